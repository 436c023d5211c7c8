//! The session Python holds: a core [`Session`] behind a mutex, so threads may share a client.
//!
//! Clients are made by the core's one settings resolver ([`Session::open_voximplant`],
//! [`Session::open_voiso`]): the explicit arguments, then the environment, then the defaults.
//! The environment lookup and the file reader are lent by Python ([`PyHost`]); nothing here
//! decides which source wins or what a value means. Every other entry point converts its
//! arguments with the GIL held, then releases the GIL while the core validates, encodes,
//! signs or parses.

use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};
use roster_core::secret::Secret;
use roster_core::settings::{Host, VoisoOptions, VoximplantOptions};
use roster_core::{HttpResponse, RetryOverrides, RetryPolicy, Session};

use crate::answer::Entry;
use crate::call::{CallHandle, PagerHandle};
use crate::convert;
use crate::errors;
use crate::request::Request;

/// What the `User-Agent`-style binding tag of every request says.
const BINDING: &str = concat!("python/", env!("CARGO_PKG_VERSION"));

#[pyclass(frozen, module = "roster._native")]
pub struct NativeSession {
    inner: Mutex<Session>,
    /// `on_attempt=`: called with an [`crate::call::AttemptRecord`] after every attempt.
    hook: Option<Py<PyAny>>,
}

impl NativeSession {
    /// The session. The core never panics, so a poisoned lock still holds a sound session.
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The attempt hook, if the client has one.
    pub fn hook(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.hook.as_ref().map(|h| h.clone_ref(py))
    }

    /// Finishes a session the resolver made: retry overrides, the jitter seed and the hook.
    fn finish(
        py: Python<'_>,
        made: Result<Session, roster_core::Error>,
        host: &PyHost<'_>,
        retry: Option<&Bound<'_, PyAny>>,
        seed: Option<u64>,
        on_attempt: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // A callback's own exception explains a failure better than what the core made of it.
        if let Some(e) = host.failed.borrow_mut().take() {
            return Err(e);
        }
        let overrides = overrides(py, retry)?;
        let session = made
            .and_then(|s| s.with_overrides(&overrides))
            .map_err(|e| errors::to_py(py, &e))?
            .with_seed(seed.unwrap_or_else(clock_seed));
        Ok(Self {
            inner: Mutex::new(session),
            hook: on_attempt.filter(|h| !h.is_none()).map(Bound::unbind),
        })
    }

    /// A method of the session's API by wire or snake_case name, looked up before its
    /// parameters are converted: the conversion needs the spec types (a `float` is refused
    /// for a `decimal` parameter only).
    fn method(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
    ) -> PyResult<&'static roster_core::MethodInfo> {
        let name = method_name(name)?;
        self.lock().method(&name).map_err(|e| errors::to_py(py, &e))
    }

    /// The policy of one call: the session's, with the call's overrides applied.
    fn policy_with(
        &self,
        py: Python<'_>,
        retry: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<RetryPolicy>> {
        match retry.filter(|r| !r.is_none()) {
            None => Ok(None),
            Some(r) => {
                let overrides = overrides(py, Some(r))?;
                self.lock()
                    .policy_with(&overrides)
                    .map(Some)
                    .map_err(|e| errors::to_py(py, &e))
            }
        }
    }
}

#[pymethods]
impl NativeSession {
    /// A Voximplant session from the caller's settings, then the environment, then the
    /// defaults (the core's `roster_core::settings`). `credentials`, `token`: the bytes the
    /// caller gave (a path or the JSON; a token). `retry`: the core's `RetryOverrides` as a dict
    /// of snake_case fields. `env(name) -> str | None` and `read_file(path) -> bytes` replace
    /// the process's environment and file system; `on_attempt(record)` sees every attempt.
    #[staticmethod]
    #[pyo3(signature = (
        *, credentials=None, token=None, token_provider=false, base_url=None, retry=None,
        seed=None, env=None, read_file=None, on_attempt=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn open_voximplant(
        py: Python<'_>,
        credentials: Option<&Bound<'_, PyAny>>,
        token: Option<&Bound<'_, PyAny>>,
        token_provider: bool,
        base_url: Option<&Bound<'_, PyAny>>,
        retry: Option<&Bound<'_, PyAny>>,
        seed: Option<u64>,
        env: Option<Bound<'_, PyAny>>,
        read_file: Option<Bound<'_, PyAny>>,
        on_attempt: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = VoximplantOptions {
            credentials: secret_bytes(credentials, "credentials")?,
            token: secret_bytes(token, "token")?,
            token_provider,
            base_url: text(base_url, "base_url")?,
            ..VoximplantOptions::default()
        };
        let host = PyHost::new(py, env, read_file);
        let made = Session::open_voximplant(options, &host, BINDING);
        Self::finish(py, made, &host, retry, seed, on_attempt)
    }

    /// A Voiso session, resolved the same way (`api_key`: bytes).
    #[staticmethod]
    #[pyo3(signature = (
        *, api_key=None, base_url=None, retry=None, seed=None, env=None, read_file=None,
        on_attempt=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn open_voiso(
        py: Python<'_>,
        api_key: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        retry: Option<&Bound<'_, PyAny>>,
        seed: Option<u64>,
        env: Option<Bound<'_, PyAny>>,
        read_file: Option<Bound<'_, PyAny>>,
        on_attempt: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = VoisoOptions {
            api_key: secret_bytes(api_key, "api_key")?,
            base_url: text(base_url, "base_url")?,
        };
        let host = PyHost::new(py, env, read_file);
        let made = Session::open_voiso(options, &host, BINDING);
        Self::finish(py, made, &host, retry, seed, on_attempt)
    }

    /// `voximplant` or `voiso`.
    #[getter]
    fn api(&self) -> &'static str {
        self.lock().api().as_str()
    }

    /// Starts a call by name (wire or snake_case): validates the parameters and returns the
    /// call's state machine. `retry` (a dict of the core's override fields) changes the
    /// session's retry settings for this call.
    #[pyo3(signature = (method, params, retry=None))]
    fn call(
        slf: &Bound<'_, Self>,
        method: &Bound<'_, PyString>,
        params: &Bound<'_, PyAny>,
        retry: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<CallHandle> {
        let py = slf.py();
        let this = slf.get();
        let info = this.method(py, method)?;
        let params = convert::from_python(params, Some(info))?;
        let policy = this.policy_with(py, retry)?;
        let call = py
            .detach(|| {
                let mut session = this.lock();
                let wire = roster_core::dynamic::encode_params(info, params)?;
                Ok(session.call_parts(Entry::of(info)?.parts(), wire, policy))
            })
            .map_err(|e: roster_core::Error| errors::to_py(py, &e))?;
        Ok(CallHandle::new(
            slf.clone().unbind(),
            call,
            None,
            this.hook(py),
        ))
    }

    /// A pager over a list method (the core's paging rules); `retry` as for [`Self::call`],
    /// for each page.
    #[pyo3(signature = (method, params, retry=None))]
    fn pager(
        slf: &Bound<'_, Self>,
        method: &Bound<'_, PyString>,
        params: &Bound<'_, PyAny>,
        retry: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PagerHandle> {
        let py = slf.py();
        let this = slf.get();
        let info = this.method(py, method)?;
        let params = convert::from_python(params, Some(info))?;
        let policy = this.policy_with(py, retry)?;
        let (pager, entry) = py
            .detach(|| {
                let session = this.lock();
                let entry = Entry::of(info)?;
                Ok((session.pager(info.name, params)?, entry))
            })
            .map_err(|e: roster_core::Error| errors::to_py(py, &e))?;
        Ok(PagerHandle::new(slf.clone().unbind(), pager, entry, policy))
    }

    /// The exact first request of a call, without sending it (a dry run). `now_secs` dates
    /// the token.
    fn prepare(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyString>,
        params: &Bound<'_, PyAny>,
        now_secs: u64,
    ) -> PyResult<Request> {
        let info = self.method(py, method)?;
        let params = convert::from_python(params, Some(info))?;
        let result = py.detach(|| {
            let session = &mut *self.lock();
            session
                .prepare(info.name, params, now_secs)
                .map(|r| (r, info.name))
        });
        let (request, name) = result.map_err(|e| errors::to_py(py, &e))?;
        Ok(Request::of_dry_run(request, name))
    }

    /// Reads an answer of `method` into its result as plain Python data (the vectors' JSON
    /// form), or raises the error it carries. No retry logic: one answer, one reading.
    fn parse<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        status: u16,
        headers: &Bound<'py, PyList>,
        body: &[u8],
    ) -> PyResult<Bound<'py, PyAny>> {
        let response = HttpResponse {
            status,
            headers: headers.extract()?,
            body: body.to_vec(),
        };
        let parsed = py.detach(|| {
            let entry = Entry::of(self.lock().method(method)?)?;
            entry.parse(&response)
        });
        match parsed {
            Ok(answer) => answer.to_python(py),
            Err(e) => Err(errors::to_py(py, &e)),
        }
    }

    fn __repr__(&self) -> String {
        // The core's Debug redacts keys and tokens.
        format!("<roster._native.NativeSession {:?}>", *self.lock())
    }
}

/// A method's name as text; one Python cannot encode (a lone surrogate) names no method.
fn method_name(name: &Bound<'_, PyString>) -> PyResult<String> {
    name.to_cow()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| {
            let error = roster_core::Error::UnknownMethod {
                name: name.to_string_lossy().into_owned(),
                suggestion: None,
            };
            errors::to_py(name.py(), &error)
        })
}

/// A seed for the jitter when the caller gave none: the clock, as the Rust binding does.
fn clock_seed() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The core's retry overrides from a dict of its snake_case fields (`base_backoff_ms`, ...),
/// read by the core's own `RetryOverrides::from_json`: unknown fields and wrong types are its
/// `config` errors.
fn overrides(py: Python<'_>, retry: Option<&Bound<'_, PyAny>>) -> PyResult<RetryOverrides> {
    let Some(retry) = retry.filter(|r| !r.is_none()) else {
        return Ok(RetryOverrides::default());
    };
    let json = convert::from_python(retry, None)?;
    RetryOverrides::from_json(&json).map_err(|e| errors::to_py(py, &e))
}

/// A secret as the caller gave it (Python passes `bytes`); never echoed.
fn secret_bytes(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<Secret<Vec<u8>>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Some(Secret::new(bytes.as_bytes().to_vec())));
    }
    if let Ok(bytes) = value.cast::<PyByteArray>() {
        return Ok(Some(Secret::new(bytes.to_vec())));
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be bytes here, got {}",
        type_name(value)
    )))
}

/// A plain text setting. Text Python cannot encode as UTF-8 (a lone surrogate) is a `config`
/// error naming the argument.
fn text(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let s = value.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!("{name} must be str, got {}", type_name(value)))
    })?;
    match s.to_cow() {
        Ok(t) => Ok(Some(t.into_owned())),
        Err(_) => Err(errors::to_py(
            value.py(),
            &roster_core::Error::Config(format!(
                "the `{name}` argument is not valid Unicode text (it holds a lone surrogate)"
            )),
        )),
    }
}

pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

static ENVIRON_GET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// What the resolver reads through Python: `env(name)` (default `os.environ.get`) and
/// `read_file(path)` (default: the file's bytes). The first exception a callback raises is
/// kept and raised instead of whatever the resolver made of the missing value.
pub struct PyHost<'py> {
    py: Python<'py>,
    env: Option<Bound<'py, PyAny>>,
    read_file: Option<Bound<'py, PyAny>>,
    failed: RefCell<Option<PyErr>>,
}

impl<'py> PyHost<'py> {
    pub fn new(
        py: Python<'py>,
        env: Option<Bound<'py, PyAny>>,
        read_file: Option<Bound<'py, PyAny>>,
    ) -> Self {
        Self {
            py,
            env: env.filter(|e| !e.is_none()),
            read_file: read_file.filter(|r| !r.is_none()),
            failed: RefCell::new(None),
        }
    }

    fn fail(&self, e: PyErr) {
        let mut failed = self.failed.borrow_mut();
        if failed.is_none() {
            *failed = Some(e);
        }
    }

    fn lookup(&self, name: &str) -> PyResult<Option<String>> {
        let py = self.py;
        let value = match &self.env {
            Some(env) => env.call1((name,))?,
            None => {
                let get = ENVIRON_GET.get_or_try_init(py, || {
                    py.import("os")?
                        .getattr("environ")?
                        .getattr("get")
                        .map(Bound::unbind)
                })?;
                get.bind(py).call1((name,))?
            }
        };
        if value.is_none() {
            return Ok(None);
        }
        let s = value.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "the environment lookup of {name} must return str or None, got {}",
                type_name(&value)
            ))
        })?;
        match s.to_cow() {
            Ok(t) => Ok(Some(t.into_owned())),
            // Bytes the OS gave that are not UTF-8 (Python keeps them as surrogates): the
            // resolver then says what is wrong with the value, without showing it.
            Err(_) => {
                let raw = s.call_method1("encode", ("utf-8", "surrogateescape"))?;
                let raw = raw.cast::<PyBytes>()?;
                Ok(Some(String::from_utf8_lossy(raw.as_bytes()).into_owned()))
            }
        }
    }
}

impl Host for PyHost<'_> {
    fn env(&self, name: &str) -> Option<String> {
        self.lookup(name).unwrap_or_else(|e| {
            self.fail(e);
            None
        })
    }

    fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
        let Some(read) = &self.read_file else {
            return std::fs::read(path).map_err(|e| {
                // "No such file or directory (os error 2)": the reason, never the file.
                let text = e.to_string();
                text.split(" (os error").next().unwrap_or(&text).to_owned()
            });
        };
        let py = self.py;
        match read.call1((path,)) {
            Ok(data) => {
                if let Ok(bytes) = data.cast::<PyBytes>() {
                    return Ok(bytes.as_bytes().to_vec());
                }
                if let Ok(bytes) = data.cast::<PyByteArray>() {
                    return Ok(bytes.to_vec());
                }
                self.fail(PyTypeError::new_err(format!(
                    "read_file must return bytes, got {}",
                    type_name(&data)
                )));
                Err("the read_file callback returned no bytes".to_owned())
            }
            // OSError is how a file fails to be read: its reason (strerror) is shown, as the
            // operating system's would be.
            Err(e) if e.is_instance_of::<PyOSError>(py) => {
                let value = e.value(py);
                let reason = value
                    .getattr("strerror")
                    .ok()
                    .filter(|s| !s.is_none())
                    .and_then(|s| s.extract::<String>().ok())
                    .unwrap_or_else(|| type_name(value.as_any()));
                Err(reason)
            }
            Err(e) => {
                self.fail(e);
                Err("the read_file callback raised an exception".to_owned())
            }
        }
    }
}
