//! Values across the JS boundary: parameters in, results and errors out.
//!
//! Parameters are read from the JS values themselves rather than through a generic
//! serialiser, because some JS values have no faithful JSON form and must be refused by name
//! instead of silently changed: `NaN` and `±Infinity` (JSON has no such numbers), a string with
//! a lone surrogate (it has no UTF-8 form), a Symbol or a function (no form at all), an object
//! with `toJSON` or an invalid `Date`, a money amount given as a JS number that is not the
//! decimal it was written as, and a parameter given under two spellings. Each is a
//! `ValidationError` naming the parameter, with a rule of the core (`type`, or `at_most_one`
//! for two spellings). The parameter kinds come from the core's method table.

use roster_core::endpoint::{MethodInfo, ParamKind};
use roster_core::{Error, Rule, ValidationError};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Nesting deeper than this is refused (no parameter of the spec nests at all; the bound
/// keeps a cyclic object from exhausting the stack).
const MAX_DEPTH: usize = 8;

/// The most significant digits a JS number may show for a money amount: every decimal of up
/// to 15 significant digits survives the trip through a binary double unchanged, so a number
/// whose shortest decimal form needs more was not written as that decimal (`0.1 + 0.2` is
/// `0.30000000000000004`).
const MONEY_DIGITS: usize = 15;

fn invalid(parameter: &str, rule: Rule, message: impl Into<String>) -> Error {
    Error::Validation(ValidationError::new(parameter, rule, message))
}

/// A call's parameters as the core reads them. Keys may be camelCase (`userName`, as the
/// TypeScript declarations spell them) or the wire's snake_case (`user_name`), not both for
/// one parameter; `undefined` and `null` values are left out; a key the spec does not know
/// is passed on as is, so the core reports it as an unknown parameter.
pub fn params_from_js(info: &MethodInfo, params: &JsValue) -> Result<Value, Error> {
    if params.is_undefined() || params.is_null() {
        return Ok(Value::Object(Map::new()));
    }
    let Some(object) = params
        .dyn_ref::<js_sys::Object>()
        .filter(|_| params.is_object() && !js_sys::Array::is_array(params) && !has_to_json(params))
    else {
        return Err(invalid(
            "(parameters)",
            Rule::Type,
            format!(
                "parameters must be an object of named values, got {}",
                kind_of(params)
            ),
        ));
    };
    let mut out = Map::new();
    // The spelling each wire name was given in, to refuse a second one.
    let mut spelt: Map<String, Value> = Map::new();
    for key in js_sys::Object::keys(object).iter() {
        let Some(key) = key.as_string() else { continue };
        let value = js_sys::Reflect::get(params, &JsValue::from_str(&key))
            .map_err(|_| invalid(&key, Rule::Type, "cannot be read (its getter threw)"))?;
        if value.is_undefined() || value.is_null() {
            continue;
        }
        let wire = snake_key(&key);
        if let Some(Value::String(first)) = spelt.get(&wire) {
            return Err(invalid(
                &wire,
                Rule::AtMostOne,
                format!("is given twice, as `{first}` and as `{key}`: pass one of them"),
            ));
        }
        spelt.insert(wire.clone(), Value::String(key));
        let param = info.param(&wire);
        let shape = Shape {
            name: &wire,
            kind: param.map(|p| p.kind),
            secret: param.is_some_and(|p| p.secret),
        };
        let converted = shape.convert(&value, None, 0)?;
        out.insert(wire, converted);
    }
    Ok(Value::Object(out))
}

/// What is known of the parameter a value belongs to.
struct Shape<'a> {
    name: &'a str,
    kind: Option<ParamKind>,
    /// Its value is never shown, even in part.
    secret: bool,
}

impl Shape<'_> {
    fn refuse(&self, item: Option<usize>, message: &str) -> Error {
        let what = match item {
            Some(i) => format!("item {} {message}", i + 1),
            None => message.to_owned(),
        };
        invalid(self.name, Rule::Type, what)
    }

    /// One value (`item`: its index within a list) as JSON, or why it has no faithful form.
    fn convert(&self, v: &JsValue, item: Option<usize>, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.refuse(item, "is nested too deeply"));
        }
        if v.is_undefined() || v.is_null() {
            return Ok(Value::Null);
        }
        if let Some(b) = v.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(n) = v.as_f64() {
            return self.number(n, v, item);
        }
        if v.is_bigint() {
            let text: String = v
                .unchecked_ref::<js_sys::BigInt>()
                .to_string(10)
                .map(String::from)
                .unwrap_or_default();
            return Ok(match text.parse::<i64>() {
                Ok(i) if self.kind != Some(ParamKind::Decimal) => Value::from(i),
                _ => Value::String(text),
            });
        }
        if v.is_string() {
            let text = v.unchecked_ref::<js_sys::JsString>();
            if !text.is_valid_utf16() {
                return Err(self.refuse(
                    item,
                    "contains a lone surrogate (half of a UTF-16 pair, e.g. from text cut in \
                     the middle of an emoji), which has no UTF-8 form and cannot be sent",
                ));
            }
            return Ok(Value::String(String::from(text)));
        }
        if v.is_symbol() {
            return Err(self.refuse(item, "is a Symbol, which has no JSON form"));
        }
        if v.is_function() {
            return Err(self.refuse(item, "is a function, which has no JSON form"));
        }
        if let Some(date) = v.dyn_ref::<js_sys::Date>() {
            if date.get_time().is_nan() {
                return Err(self.refuse(item, "is an invalid Date"));
            }
            return Ok(Value::String(String::from(date.to_iso_string())));
        }
        if has_to_json(v) {
            return Err(self.refuse(
                item,
                "is an object with a toJSON method; pass the value it stands for instead",
            ));
        }
        if js_sys::Array::is_array(v) {
            let items: &js_sys::Array = v.unchecked_ref();
            let inner = Shape {
                name: self.name,
                kind: match self.kind {
                    Some(ParamKind::IntList) => Some(ParamKind::Int),
                    Some(ParamKind::StringList) => Some(ParamKind::String),
                    Some(ParamKind::EnumList) => Some(ParamKind::Enum),
                    other => other,
                },
                secret: self.secret,
            };
            let mut out = Vec::with_capacity(items.length() as usize);
            for (i, x) in items.iter().enumerate() {
                out.push(inner.convert(&x, Some(i), depth + 1)?);
            }
            return Ok(Value::Array(out));
        }
        // Any other object: no parameter takes one, so the core refuses its shape by name.
        let object: &js_sys::Object = v.unchecked_ref();
        let mut out = Map::new();
        for key in js_sys::Object::keys(object).iter() {
            let Some(key) = key.as_string() else { continue };
            let value = js_sys::Reflect::get(v, &JsValue::from_str(&key))
                .map_err(|_| self.refuse(item, "cannot be read (a getter threw)"))?;
            out.insert(key, self.convert(&value, item, depth + 1)?);
        }
        Ok(Value::Object(out))
    }

    fn number(&self, n: f64, v: &JsValue, item: Option<usize>) -> Result<Value, Error> {
        if n.is_nan() {
            return Err(self.refuse(item, "is NaN, which is not a number that can be sent"));
        }
        if n.is_infinite() {
            let sign = if n > 0.0 { "Infinity" } else { "-Infinity" };
            return Err(self.refuse(
                item,
                &format!("is {sign}, which is not a number that can be sent"),
            ));
        }
        let safe = n.abs() <= MAX_SAFE_INTEGER;
        let text = || {
            String::from(
                v.unchecked_ref::<js_sys::Number>()
                    .to_string_with_radix(10)
                    .unwrap_or_else(|_| js_sys::JsString::from("")),
            )
        };
        match self.kind {
            Some(ParamKind::Decimal) => {
                // Money is exact decimal text. A JS number is taken when it is the decimal it
                // was written as: within the safe range and at most 15 significant digits.
                let text = text();
                let shown = if self.secret {
                    String::new()
                } else {
                    format!(" ({text})")
                };
                if !safe {
                    return Err(self.refuse(
                        item,
                        &format!(
                            "is a JS number{shown} beyond Number.MAX_SAFE_INTEGER; pass the \
                             amount as a decimal string such as \"12.50\""
                        ),
                    ));
                }
                if significant_digits(&text) > MONEY_DIGITS {
                    return Err(self.refuse(
                        item,
                        &format!(
                            "is a JS number{shown} that is not the decimal it was written as \
                             (binary floating point: 0.1 + 0.2 is 0.30000000000000004); pass \
                             money as a decimal string such as \"0.30\""
                        ),
                    ));
                }
                Ok(Value::String(text))
            }
            Some(ParamKind::Int | ParamKind::IntList) if n.fract() == 0.0 && !safe => Err(self
                .refuse(
                    item,
                    "is a JS number beyond Number.MAX_SAFE_INTEGER, where numbers skip \
                     integers; pass it as a string or a BigInt",
                )),
            _ if n.fract() == 0.0 && safe => Ok(Value::from(n as i64)),
            // Fractions (and huge numbers where no integer is expected): the core reads them
            // against the parameter's kind.
            _ => Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)),
        }
    }
}

/// 2^53 - 1, `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Significant digits of a JS number's shortest decimal text (`"0.30000000000000004"`: 17,
/// `"1e-7"`: 1, `"1200"`: 2).
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Whether `v` is an object with a `toJSON` method (a `Date` is handled before this).
fn has_to_json(v: &JsValue) -> bool {
    v.is_object()
        && js_sys::Reflect::get(v, &JsValue::from_str("toJSON")).is_ok_and(|f| f.is_function())
}

/// The type of a value, never the value (for secrets and for errors about any value).
pub(crate) fn kind_of(v: &JsValue) -> &'static str {
    if js_sys::Array::is_array(v) {
        "an array"
    } else if v.is_string() {
        "a string"
    } else if v.as_f64().is_some() {
        "a number"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else if v.is_function() {
        "a function"
    } else if v.is_symbol() {
        "a Symbol"
    } else if v.is_bigint() {
        "a BigInt"
    } else if has_to_json(v) {
        "an object with toJSON"
    } else {
        "an object"
    }
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

/// The core error as the plain record `js/errors.js` turns into an `Error` subclass: the
/// core's `ErrorDetails`, `errors` (every entry of a multi-error answer) included.
pub fn error_to_js(error: &Error) -> JsValue {
    to_js(&error.details())
}

/// A `config` error record, for a setting the JS side gave wrongly.
pub fn config_error(message: &str) -> JsValue {
    error_to_js(&Error::Config(message.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::{significant_digits, snake_key};

    #[test]
    fn camel_keys_become_wire_names() {
        assert_eq!(snake_key("userDisplayName"), "user_display_name");
        assert_eq!(snake_key("acdQueueId"), "acd_queue_id");
        assert_eq!(snake_key("user_name"), "user_name");
    }

    #[test]
    fn significant_digits_of_shortest_number_text() {
        assert_eq!(significant_digits("0.30000000000000004"), 17);
        assert_eq!(significant_digits("10.5"), 3);
        assert_eq!(significant_digits("-0.01"), 1);
        assert_eq!(significant_digits("1200"), 2);
        assert_eq!(significant_digits("1e-7"), 1);
        assert_eq!(significant_digits("1.5e+300"), 2);
        assert_eq!(significant_digits("0"), 0);
    }
}
