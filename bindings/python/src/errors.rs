//! Core errors as Python exceptions.
//!
//! The exception classes live in Python (`roster/_errors.py`, typed and documented there); the
//! core's flat, secret-free [`ErrorDetails`](roster_core::ErrorDetails) record is handed to
//! `roster._errors._from_details`, which picks the class from the stable codes.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use roster_core::Error;

static FROM_DETAILS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a core error.
pub fn to_py(py: Python<'_>, error: &Error) -> PyErr {
    match build(py, error) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn build<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let dict = crate::to_python::to_python(py, &error.details())?;
    let from_details = FROM_DETAILS.get_or_try_init(py, || {
        py.import("roster._errors")?
            .getattr("_from_details")
            .map(Bound::unbind)
    })?;
    from_details.bind(py).call1((dict,))
}
