//! The request a Python transport sends: the core's `HttpRequest` and the attempt's limits.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use roster_core::call::Attempt;
use roster_core::HttpRequest;

/// One HTTP request to send. `repr()` redacts the `Authorization` header and secret parameters;
/// the attributes hold the real values, since the transport must send them.
#[pyclass(frozen, module = "roster._native")]
pub struct Request {
    inner: HttpRequest,
    connect_timeout: f64,
    timeout: f64,
    attempt: u32,
    purpose: &'static str,
    api_method: &'static str,
}

impl Request {
    pub fn of_attempt(attempt: Attempt) -> Self {
        Self {
            connect_timeout: attempt.timeouts.connect.as_secs_f64(),
            timeout: attempt.timeouts.total.as_secs_f64(),
            attempt: attempt.number,
            purpose: attempt.purpose.as_str(),
            api_method: attempt.method,
            inner: attempt.request,
        }
    }

    /// A request built by a dry run: not sent by the state machine, so no limits of its own.
    pub fn of_dry_run(request: HttpRequest, api_method: &'static str) -> Self {
        Self {
            inner: request,
            connect_timeout: 0.0,
            timeout: 0.0,
            attempt: 0,
            purpose: "dry_run",
            api_method,
        }
    }
}

#[pymethods]
impl Request {
    /// `GET` or `POST`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.as_str()
    }

    /// The full URL, query string included.
    #[getter]
    fn url(&self) -> &str {
        &self.inner.url
    }

    /// `(name, value)` pairs, names in lower case.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let pairs = self
            .inner
            .headers
            .iter()
            .map(|(k, v)| PyTuple::new(py, [k.as_str(), v.as_str()]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, pairs)
    }

    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.body)
    }

    /// Seconds allowed for connecting.
    #[getter]
    fn connect_timeout(&self) -> f64 {
        self.connect_timeout
    }

    /// Seconds allowed for the whole exchange, already shortened to the call's deadline.
    #[getter]
    fn timeout(&self) -> f64 {
        self.timeout
    }

    /// 1 for the call's first request; lookups count too.
    #[getter]
    fn attempt(&self) -> u32 {
        self.attempt
    }

    /// `call`, `lookup` (learning whether a lost write happened) or `dry_run`.
    #[getter]
    fn purpose(&self) -> &'static str {
        self.purpose
    }

    /// The API method's wire name (`GetUsers`).
    #[getter]
    fn api_method(&self) -> &'static str {
        self.api_method
    }

    /// The request as a `curl` command line, secrets redacted.
    fn to_curl(&self) -> String {
        self.inner.redacted().to_curl()
    }

    fn __repr__(&self) -> String {
        format!(
            "<roster.Request attempt={} purpose={} {:?}>",
            self.attempt, self.purpose, self.inner
        )
    }
}
