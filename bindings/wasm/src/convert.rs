//! Values across the JS boundary: parameters in, results and errors out.

use roster_core::{Error, Rule, ValidationError};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// A call's parameters as the core reads them. Keys may be camelCase (`userName`, as the
/// TypeScript declarations spell them) or the wire's snake_case (`user_name`); a key the spec
/// does not know is passed on as is, so the core reports it as an unknown parameter.
pub fn params_from_js(params: JsValue) -> Result<Value, Error> {
    if params.is_undefined() || params.is_null() {
        return Ok(Value::Object(Map::new()));
    }
    let value: Value = serde_wasm_bindgen::from_value(params).map_err(|e| {
        Error::Validation(ValidationError::new(
            "(parameters)",
            Rule::Type,
            format!("parameters must be plain JSON values: {e}"),
        ))
    })?;
    Ok(match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (snake_key(&k), v))
                .collect(),
        ),
        other => other,
    })
}

/// `userDisplayName` → `user_display_name`; snake_case keys pass unchanged.
fn snake_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A result in the core's JSON form (money as decimal strings, datetimes as RFC 3339 UTC
/// strings). Serialising to text and letting the engine's `JSON.parse` build the objects is
/// much faster than creating them one property at a time across the boundary.
pub fn value_to_js(value: &Value) -> Result<JsValue, JsValue> {
    let text =
        serde_json::to_string(value).map_err(|e| error_to_js(&Error::Config(e.to_string())))?;
    js_sys::JSON::parse(&text)
}

/// Any serialisable value as a plain JS object.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// The core error as the plain record `js/errors.js` turns into an `Error` subclass.
pub fn error_to_js(error: &Error) -> JsValue {
    to_js(&error.details())
}

#[cfg(test)]
mod tests {
    use super::snake_key;

    #[test]
    fn camel_keys_become_wire_names() {
        assert_eq!(snake_key("userDisplayName"), "user_display_name");
        assert_eq!(snake_key("acdQueueId"), "acd_queue_id");
        assert_eq!(snake_key("user_name"), "user_name");
    }
}
