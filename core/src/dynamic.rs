//! Calls by name: JSON parameters in, JSON result out.
//!
//! This is the form every binding and the CLI use. Each entry of the method table carries a
//! pair of monomorphised functions, so a call by name runs exactly the typed code path: the same
//! validation, the same encoding, the same parsing.

use serde_json::{Map, Value};

use crate::endpoint::{ApiKind, Endpoint, MethodInfo};
use crate::error::Error;
use crate::http::HttpResponse;
use crate::params::Params;
use crate::wire::FormWriter;

/// The dynamic entry points of one method.
#[derive(Clone, Copy)]
pub struct DynamicFns {
    pub(crate) encode: fn(Map<String, Value>) -> Result<FormWriter, Error>,
    pub(crate) parse: fn(&HttpResponse) -> Result<Value, Error>,
}

impl std::fmt::Debug for DynamicFns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DynamicFns")
    }
}

impl DynamicFns {
    pub const fn of<E: Endpoint>() -> Self {
        Self {
            encode: encode::<E>,
            parse: parse::<E>,
        }
    }
}

fn encode<E: Endpoint>(params: Map<String, Value>) -> Result<FormWriter, Error> {
    let request = E::from_params(Params::new(E::INFO, params)?)?;
    request.validate()?;
    let mut w = FormWriter::new();
    request.encode(&mut w);
    Ok(w)
}

fn parse<E: Endpoint>(response: &HttpResponse) -> Result<Value, Error> {
    let typed = crate::protocol::parse::<E>(response)?;
    serde_json::to_value(&typed).map_err(|e| Error::decode(e, &response.body))
}

/// Finds a method by its wire name (`GetUsers`), its snake_case name (`get_users`), or either
/// in another case, within one API.
pub fn find_method(api: ApiKind, name: &str) -> Result<&'static MethodInfo, Error> {
    let methods = || crate::api::METHODS.iter().copied().filter(|m| m.api == api);
    let normalized = name.replace(['_', '-'], "").to_ascii_lowercase();
    methods()
        .find(|m| m.name == name)
        .or_else(|| methods().find(|m| m.name.to_ascii_lowercase() == normalized))
        .ok_or_else(|| Error::UnknownMethod {
            name: name.chars().take(80).collect(),
            suggestion: methods()
                .find(|m| {
                    let n = m.name.to_ascii_lowercase();
                    n.contains(&normalized) || (!n.is_empty() && normalized.contains(&n))
                })
                .map(|m| m.name.to_owned()),
        })
}

/// Finds a method by its exact wire name only, as a server routes it (`GetUsers`, not
/// `get_users`).
pub fn find_method_exact(api: ApiKind, name: &str) -> Option<&'static MethodInfo> {
    crate::api::METHODS
        .iter()
        .copied()
        .find(|m| m.api == api && m.name == name)
}

/// Validates JSON parameters of a method and returns them in wire form.
pub fn encode_params(info: &MethodInfo, params: Value) -> Result<FormWriter, Error> {
    match params {
        Value::Object(map) => (info.dynamic.encode)(map),
        Value::Null => (info.dynamic.encode)(Map::new()),
        other => Err(Error::Validation(crate::ValidationError::new(
            "(parameters)",
            crate::Rule::Type,
            format!(
                "parameters must be a JSON object, got {}",
                short_kind(&other)
            ),
        ))),
    }
}

/// Parses an answer of a method into its typed result, as JSON.
pub fn parse_response(info: &MethodInfo, response: &HttpResponse) -> Result<Value, Error> {
    (info.dynamic.parse)(response)
}

fn short_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
