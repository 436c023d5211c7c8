//! Call parameters from Python values to the JSON the core validates.
//!
//! The JSON kinds map directly; anything else (`Decimal`, `datetime`, `date`, enums, other
//! sequences) is turned into its wire text by `roster._wire.scalar`, written in Python once.
//! A Python string that is not valid Unicode (a lone surrogate such as `"a\udcffb"`, which no
//! UTF-8 text can hold) is the core's typed `ValidationError` naming the parameter (rule
//! `type`), never a raw `UnicodeEncodeError`.
//! (Answers go the other way through `answer.rs`.)

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use roster_core::{Error, Rule, ValidationError};
use serde_json::{Map, Value};

static WIRE_SCALAR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// What a validation error names when the problem is not one parameter's.
const PARAMETERS: &str = "(parameters)";

/// Python parameters as JSON. `None` values are dropped from mappings (an absent parameter).
pub fn from_python(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    value(obj, PARAMETERS)
}

/// `obj` as JSON; `parameter` is the top-level parameter it belongs to, for errors.
fn value(obj: &Bound<'_, PyAny>, parameter: &str) -> PyResult<Value> {
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
            let at = if parameter == PARAMETERS {
                key.as_str()
            } else {
                parameter
            };
            let converted = value(&v, at)?;
            map.insert(key, converted);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|item| value(&item?, parameter))
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
    let converted = scalar.bind(py).call1((obj,))?;
    if let Ok(s) = converted.cast::<PyString>() {
        text(s, parameter).map(Value::String)
    } else {
        value(&converted, parameter)
    }
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
