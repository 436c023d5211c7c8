//! From wire parameters to a validated typed request, and from the core's
//! [`ValidationError`] to the code the real server answers with.

use roster_core::rules::PasswordProblem;
use std::collections::BTreeMap;

use roster_core::params::Params;
use roster_core::{Endpoint, Rule, ValidationError};
use serde_json::{Map, Value};

use crate::error::{codes, VoxError};

/// Parameters every method may carry that are not the method's own: the command name and the
/// deprecated credentials. Other unknown keys are ignored as well, as the real server does.
pub const TRANSPORT_PARAMS: [&str; 3] = ["cmd", "account_id", "api_key"];

/// Builds `E` from the wire map with the core's lenient converters (`"42"`, `1;5`, `True`)
/// and checks every rule of the spec.
pub fn typed<E: Endpoint>(wire: &BTreeMap<String, String>) -> Result<E, VoxError> {
    let info = E::INFO;
    let mut map = Map::new();
    for (key, value) in wire {
        let Some(param) = info.param(key) else {
            continue;
        };
        if param.required && value.trim().is_empty() {
            return Err(VoxError::new(134, format!("{key} must not be empty")).field(key.clone()));
        }
        map.insert(key.clone(), Value::String(value.clone()));
    }
    let request = Params::new(info, map)
        .and_then(E::from_params)
        .and_then(|r| r.validate().map(|()| r))
        .map_err(|e| to_vox_error(&e, wire))?;
    Ok(request)
}

/// The server's answer to a broken rule. `wire` is consulted to tell "none given" from
/// "several given" in an exactly-one group, and which password rule failed.
pub fn to_vox_error(e: &ValidationError, wire: &BTreeMap<String, String>) -> VoxError {
    let given = |names: &str| names.split('/').filter(|n| wire.contains_key(*n)).count();
    let p = e.parameter.as_str();
    let code = match e.rule {
        Rule::Required | Rule::AtLeastOne | Rule::Requires => 485,
        Rule::ExactlyOne if given(p) > 1 => 458,
        Rule::ExactlyOne => 485,
        Rule::AtMostOne => 458,
        rule => match (p, rule) {
            ("user_name", Rule::Pattern) => 122,
            ("new_user_name", _) => 462,
            ("user_display_name", _) => 157,
            ("user_custom_data", _) => 212,
            ("skill_name" | "new_skill_name", Rule::MaxLength) => 220,
            ("acd_queue_name" | "new_acd_queue_name", Rule::MaxLength) => 213,
            ("service_probability", Rule::Min | Rule::Max) => 214,
            ("amount", _) => codes::BAD_AMOUNT,
            (_, Rule::PasswordPolicy) => password_code(wire.get(p).map_or("", String::as_str)),
            (_, Rule::Min | Rule::Max | Rule::MinAbs) => 497,
            (_, Rule::MaxLength) => 499,
            _ => codes::INVALID_PARAMETER,
        },
    };
    // The core's messages never quote a secret's value.
    VoxError::new(code, format!("{p}: {}", e.message)).field(p)
}

/// Which password rule failed, by the core's policy: 463 too short, 524 contains spaces, 464
/// lacks a character class.
fn password_code(password: &str) -> i64 {
    match roster_core::rules::password_problem(password) {
        Some(PasswordProblem::TooShort) => 463,
        Some(PasswordProblem::Whitespace) => 524,
        Some(PasswordProblem::MissingClass) | None => 464,
    }
}
