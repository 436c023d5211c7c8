//! Call parameters from Python values to the JSON the core validates.
//!
//! The JSON kinds map directly; anything else (`Decimal`, `datetime`, `date`, enums, other
//! sequences) is turned into its wire text by `roster._wire.scalar`, written in Python once.
//! Nothing is coerced silently: a value Python holds but JSON cannot is the core's typed
//! `ValidationError` naming the parameter (rule `type`), never a raw Python exception:
//! - a string that is not valid Unicode (a lone surrogate such as `"a\udcffb"`, which no UTF-8
//!   text can hold), never a `UnicodeEncodeError`;
//! - a `float` that is NaN or infinite;
//! - a `float` given for a `decimal` parameter (money, probabilities), whatever its value: a
//!   binary float is not the amount the caller wrote (`0.1 + 0.2` is
//!   `0.30000000000000004`), so money is `decimal.Decimal` or `str`;
//! - a value `roster._wire.scalar` cannot turn into text (bytes, `Decimal("NaN")`, an object).
//!
//! Any other finite `float` goes to the core as a JSON number, which it checks like any other
//! (a `type` error where it expects text, an integer or a boolean).
//! (Answers go the other way through `answer.rs`.)

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use roster_core::spec::ParamKind;
use roster_core::{Error, MethodInfo, Rule, ValidationError};
use serde_json::{Map, Number, Value};

static WIRE_SCALAR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// What a validation error names when the problem is not one parameter's.
const PARAMETERS: &str = "(parameters)";

/// Python parameters as JSON. `None` values are dropped from mappings (an absent parameter).
/// `method`, when the values are a call's parameters, tells which of them are `decimal`.
pub fn from_python(obj: &Bound<'_, PyAny>, method: Option<&MethodInfo>) -> PyResult<Value> {
    value(obj, PARAMETERS, method, None)
}

/// `obj` as JSON; `parameter` is the top-level parameter it belongs to, for errors, and `kind`
/// its spec type when known.
fn value(
    obj: &Bound<'_, PyAny>,
    parameter: &str,
    method: Option<&MethodInfo>,
    kind: Option<ParamKind>,
) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract()?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return text(s, parameter).map(Value::String);
    }
    if obj.is_instance_of::<PyInt>() {
        return match obj.extract::<i64>() {
            Ok(i) => Ok(Value::from(i)),
            // Out of range for the API anyway; the core names the parameter and the rule.
            Err(_) => Ok(Value::String(obj.str()?.extract()?)),
        };
    }
    if obj.is_instance_of::<PyFloat>() {
        return float(obj.py(), obj.extract()?, parameter, kind);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            if v.is_none() {
                continue;
            }
            let key = match k.cast::<PyString>() {
                Ok(k) => text(k, PARAMETERS)?,
                Err(_) => return Err(PyTypeError::new_err("parameter names must be strings")),
            };
            // Nested values report against the top-level parameter.
            let (at, at_kind) = if parameter == PARAMETERS {
                let kind = method.and_then(|m| m.param(&key)).map(|p| p.kind);
                (key.as_str(), kind)
            } else {
                (parameter, kind)
            };
            let converted = value(&v, at, method, at_kind)?;
            map.insert(key, converted);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|item| value(&item?, parameter, method, kind))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    // Decimal, datetime, date, enums, sets and other sequences: converted in Python.
    let py = obj.py();
    let scalar = WIRE_SCALAR.get_or_try_init(py, || {
        py.import("roster._wire")?
            .getattr("scalar")
            .map(Bound::unbind)
    })?;
    let converted = match scalar.bind(py).call1((obj,)) {
        Ok(converted) => converted,
        // What `scalar` cannot send (bytes, `Decimal("NaN")`, an arbitrary object): its
        // message names the type or the problem, never the value.
        Err(e) if e.is_instance_of::<PyTypeError>(py) => {
            let reason = e.value(py).str()?.to_cow()?.into_owned();
            return Err(invalid(py, parameter, reason));
        }
        Err(e) => return Err(e),
    };
    if let Ok(s) = converted.cast::<PyString>() {
        text(s, parameter).map(Value::String)
    } else {
        value(&converted, parameter, method, kind)
    }
}

/// A Python `float`: refused for a `decimal` parameter whatever its value (a binary float is
/// not the amount the caller wrote), and when it is NaN or infinite (JSON has no such number);
/// otherwise a JSON number, for the core to check against the parameter's type.
fn float(py: Python<'_>, f: f64, parameter: &str, kind: Option<ParamKind>) -> PyResult<Value> {
    let reason = if kind == Some(ParamKind::Decimal) {
        "a float is a binary approximation, not an exact decimal (0.1 + 0.2 is \
         0.30000000000000004): pass a decimal.Decimal or a str, such as Decimal(\"10.50\") \
         or \"10.50\""
    } else if f.is_nan() {
        "NaN is not a number the API can take"
    } else if f.is_infinite() {
        "an infinite float is not a number the API can take"
    } else if let Some(n) = Number::from_f64(f) {
        return Ok(Value::Number(n));
    } else {
        "the float is not a number the API can take"
    };
    Err(invalid(py, parameter, reason.to_owned()))
}

/// The core's `type` error for `parameter`, as its Python exception.
fn invalid(py: Python<'_>, parameter: &str, reason: String) -> PyErr {
    let error = Error::Validation(ValidationError::new(parameter, Rule::Type, reason));
    crate::errors::to_py(py, &error)
}

/// A Python string as UTF-8 text, or the core's validation error for `parameter`.
fn text(s: &Bound<'_, PyString>, parameter: &str) -> PyResult<String> {
    match s.to_cow() {
        Ok(t) => Ok(t.into_owned()),
        Err(_) => {
            // Never the value: the parameter may be a password.
            let what = if parameter == PARAMETERS {
                "a parameter name"
            } else {
                "the value"
            };
            let error = Error::Validation(ValidationError::new(
                parameter,
                Rule::Type,
                format!(
                    "{what} is not valid Unicode text: it holds a lone surrogate, which \
                     UTF-8 cannot encode"
                ),
            ));
            Err(crate::errors::to_py(s.py(), &error))
        }
    }
}
