//! Call parameters from Python values to the JSON the core validates.
//!
//! The JSON kinds map directly; anything else (`Decimal`, `datetime`, `date`, enums, other
//! sequences) is turned into its wire text by `roster._wire.scalar`, written in Python once.
//! (Answers go the other way through `answer.rs`.)

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

static WIRE_SCALAR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Python parameters as JSON. `None` values are dropped from mappings (an absent parameter).
pub fn from_python(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract()?));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract()?));
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
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("parameter names must be strings"))?;
            map.insert(key, from_python(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|item| from_python(&item?))
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
    if converted.is_instance_of::<PyString>() {
        Ok(Value::String(converted.extract()?))
    } else {
        from_python(&converted)
    }
}
