//! Calls by name: JSON parameters in, JSON result out — the registry above the typed code.
//!
//! This is the form every binding and the CLI use. The generated `crate::api::REGISTRY` holds
//! a pair of monomorphised functions per method, in the order of [`crate::api::METHODS`], so a
//! call by name runs exactly the typed code path: the same validation, the same encoding, the
//! same parsing. The spec data ([`MethodInfo`]) stays plain data; only this layer knows the code
//! behind each entry.

use serde_json::{Map, Value};

use crate::endpoint::{ApiKind, Endpoint, MethodInfo};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::params::Params;
use crate::wire::FormWriter;
use crate::{VoisoClient, VoximplantClient};

/// The dynamic entry points of one method.
#[derive(Clone, Copy)]
pub(crate) struct DynamicFns {
    encode: fn(Map<String, Value>) -> Result<FormWriter, Error>,
    parse: fn(&HttpResponse) -> Result<Value, Error>,
}

impl std::fmt::Debug for DynamicFns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DynamicFns")
    }
}

impl DynamicFns {
    /// The entry points of `E` (generated code fills the registry with these).
    pub(crate) const fn of<E: Endpoint>() -> Self {
        Self {
            encode: encode::<E>,
            parse: parse::<E>,
        }
    }
}

fn encode<E: Endpoint>(params: Map<String, Value>) -> Result<FormWriter, Error> {
    let request = E::from_params(Params::new(E::INFO, params)?)?;
    let w = request.to_wire()?;
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

/// The registry entry of `info`: the entry at the same position as its method in
/// [`crate::api::METHODS`]. Found by API and wire name, not by address: a generated `INFO` is
/// a constant, and a constant used from another crate may be a copy at another address.
fn fns(info: &MethodInfo) -> Result<DynamicFns, Error> {
    crate::api::METHODS
        .iter()
        .position(|m| m.api == info.api && m.name == info.name)
        .and_then(|i| crate::api::REGISTRY.get(i).copied())
        .ok_or_else(|| Error::UnknownMethod {
            name: info.name.chars().take(80).collect(),
            suggestion: None,
        })
}

/// The answer reader of a call by name of `info`, for the call machine.
pub(crate) fn parser(info: &MethodInfo) -> fn(&HttpResponse) -> Result<Value, Error> {
    fns(info).map_or(unregistered, |f| f.parse)
}

/// Stands in for the reader of a method outside the table (a hand-made `MethodInfo`).
fn unregistered(_: &HttpResponse) -> Result<Value, Error> {
    Err(Error::Config(
        "this method is not in the generated method table, so it cannot be called by name"
            .to_owned(),
    ))
}

/// Validates JSON parameters of a method and returns them in wire form.
pub fn encode_params(info: &MethodInfo, params: Value) -> Result<FormWriter, Error> {
    let encode = fns(info)?.encode;
    match params {
        Value::Object(map) => encode(map),
        Value::Null => encode(Map::new()),
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
    (fns(info)?.parse)(response)
}

impl VoximplantClient {
    /// Validates a call by name with JSON parameters and builds its exact HTTP request. `now`
    /// is Unix seconds, used to sign or reuse the token.
    pub fn prepare_json(
        &mut self,
        method: &str,
        params: Value,
        now: u64,
    ) -> Result<HttpRequest, Error> {
        let info = find_method(ApiKind::Voximplant, method)?;
        let w = encode_params(info, params)?;
        self.build(info, w, now)
    }
}

impl VoisoClient {
    /// Validates a call by name with JSON parameters and builds its exact HTTP request.
    pub fn prepare_json(&self, method: &str, params: Value) -> Result<HttpRequest, Error> {
        let info = find_method(ApiKind::Voiso, method)?;
        let w = encode_params(info, params)?;
        Ok(self.build(info, w))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::voximplant::skills::AddSkill;

    /// A copy of a method's spec data (what a constant used from another crate may be) still
    /// finds the method's entry points.
    #[test]
    fn a_copy_of_the_spec_data_finds_its_entry() {
        let copy: &'static MethodInfo = Box::leak(Box::new(MethodInfo {
            doc: "a copy",
            ..*<AddSkill as Endpoint>::INFO
        }));
        assert!(!std::ptr::eq(copy, <AddSkill as Endpoint>::INFO));
        let wire = encode_params(copy, serde_json::json!({"skill_name": "billing"})).unwrap();
        assert_eq!(wire.get("skill_name"), Some("billing"));
    }
}
