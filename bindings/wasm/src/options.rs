//! Client and call options as the JS side passes them, read field by field so that a value
//! of the wrong type is a `config` error naming the option, never coerced.
//!
//! Retry options are the JavaScript spelling of the core's [`RetryOverrides`]: each camelCase
//! field is translated to its snake_case twin, and the core applies them (its defaults, its
//! range checks, `deadlineMs: 0` for no deadline). This module adds only what JavaScript's
//! types need: a retry setting must be a whole, non-negative JS number.

use roster_core::{Error, RetryOverrides, Secret};
use wasm_bindgen::{JsCast, JsValue};

use crate::convert::kind_of;

/// The camelCase retry options and their fields in the core.
const RETRY_FIELDS: [(&str, &str); 7] = [
    ("maxAttempts", "max_attempts"),
    ("baseBackoffMs", "base_backoff_ms"),
    ("maxBackoffMs", "max_backoff_ms"),
    ("jitterPercent", "jitter_percent"),
    ("deadlineMs", "deadline_ms"),
    ("connectTimeoutMs", "connect_timeout_ms"),
    ("attemptTimeoutMs", "attempt_timeout_ms"),
];

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn config(message: String) -> Error {
    Error::Config(message)
}

/// `object[name]`; `undefined` for a missing field or a value that is not an object.
pub fn field(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A wrong value as an error may show it: a number itself, anything else by its type.
fn shown(v: &JsValue) -> String {
    match v.as_f64() {
        Some(n) if n.is_nan() => "NaN".to_owned(),
        Some(n) if n.is_infinite() => if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned(),
        Some(n) => format!("{n}"),
        None => kind_of(v).to_owned(),
    }
}

/// A whole, non-negative JS number within the safe range.
fn whole(v: &JsValue, name: &str) -> Result<u64, Error> {
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER => Ok(n as u64),
        _ => Err(config(format!(
            "{name} must be a whole number, 0 or more, got {}",
            shown(v)
        ))),
    }
}

/// An optional function option.
pub fn function(options: &JsValue, name: &str) -> Result<Option<js_sys::Function>, Error> {
    let v = field(options, name);
    if absent(&v) {
        return Ok(None);
    }
    v.dyn_into::<js_sys::Function>()
        .map(Some)
        .map_err(|v| config(format!("{name} must be a function, got {}", shown(&v))))
}

/// An optional text option.
pub fn text(options: &JsValue, name: &str) -> Result<Option<String>, Error> {
    let v = field(options, name);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| config(format!("{name} must be a string, got {}", shown(&v))))
}

/// An optional boolean option.
pub fn flag(options: &JsValue, name: &str) -> Result<bool, Error> {
    let v = field(options, name);
    if absent(&v) {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| config(format!("{name} must be true or false, got {}", shown(&v))))
}

/// The jitter seed: a whole number, or `None` for the clock.
pub fn seed(options: &JsValue) -> Result<Option<u64>, Error> {
    let v = field(options, "seed");
    if absent(&v) {
        return Ok(None);
    }
    whole(&v, "seed").map(Some)
}

/// A secret given as text or bytes (`Uint8Array`, which includes Node's `Buffer`, or an
/// `ArrayBuffer`), as the user gave it: the core trims and checks it. The error names the
/// option and the type, never the value.
pub fn secret_bytes(options: &JsValue, name: &str) -> Result<Option<Secret<Vec<u8>>>, Error> {
    let v = field(options, name);
    if absent(&v) {
        return Ok(None);
    }
    if v.is_string() {
        // A lone surrogate has no UTF-8 form: refuse it rather than send U+FFFD.
        let text = v.unchecked_ref::<js_sys::JsString>();
        if !text.is_valid_utf16() {
            return Err(config(format!(
                "{name} is not valid text (it holds a lone surrogate); the value is not shown"
            )));
        }
        return Ok(Some(Secret::new(String::from(text).into_bytes())));
    }
    if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(Some(Secret::new(bytes.to_vec())));
    }
    if let Some(buffer) = v.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Some(Secret::new(js_sys::Uint8Array::new(buffer).to_vec())));
    }
    Err(config(format!(
        "{name} must be a string or bytes (Uint8Array, Buffer), got {} (the value is not shown)",
        kind_of(&v)
    )))
}

/// Reads retry options (`undefined` for none) into the core's overrides, field by field.
/// `what` names them in errors (`retry`).
pub fn retry(js: &JsValue, what: &str) -> Result<RetryOverrides, Error> {
    if absent(js) {
        return Ok(RetryOverrides::default());
    }
    if !js.is_object() || js_sys::Array::is_array(js) || js.is_function() {
        return Err(config(format!(
            "{what} must be an object of retry settings, got {}",
            shown(js)
        )));
    }
    for key in js_sys::Object::keys(js.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !RETRY_FIELDS.iter().any(|(js_name, _)| *js_name == key) {
            let known: Vec<&str> = RETRY_FIELDS.iter().map(|(js_name, _)| *js_name).collect();
            return Err(config(format!(
                "{what} has no setting `{key}` (known: {})",
                known.join(", ")
            )));
        }
    }
    let mut o = RetryOverrides::default();
    for (js_name, core_name) in RETRY_FIELDS {
        let v = field(js, js_name);
        if absent(&v) {
            continue;
        }
        let n = whole(&v, &format!("{what}.{js_name}"))?;
        let small = || {
            u32::try_from(n).map_err(|_| {
                config(format!(
                    "{what}.{js_name} ({core_name}) must be at most {}, got {n}",
                    u32::MAX
                ))
            })
        };
        match core_name {
            "max_attempts" => o.max_attempts = Some(small()?),
            "jitter_percent" => o.jitter_percent = Some(small()?),
            "base_backoff_ms" => o.base_backoff_ms = Some(n),
            "max_backoff_ms" => o.max_backoff_ms = Some(n),
            "deadline_ms" => o.deadline_ms = Some(n),
            "connect_timeout_ms" => o.connect_timeout_ms = Some(n),
            _ => o.attempt_timeout_ms = Some(n),
        }
    }
    Ok(o)
}
