//! The session Python holds: a core [`Session`] behind a mutex, so threads may share a client.
//!
//! Every entry point converts its arguments with the GIL held, then releases the GIL while the
//! core validates, encodes, signs or parses.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use roster_core::call::SplitMix64;
use roster_core::wire::FormWriter;
use roster_core::{Call, HttpResponse, RetryPolicy, Session};

use crate::answer::{Boxed, Entry};
use crate::call::{CallHandle, PagerHandle};
use crate::convert;
use crate::errors;
use crate::request::Request;

/// What the `User-Agent`-style binding tag of every request says.
const BINDING: &str = concat!("python/", env!("CARGO_PKG_VERSION"));

#[pyclass(frozen, module = "roster._native")]
pub struct NativeSession {
    inner: Mutex<State>,
}

/// The core session and the source of each call's jitter seed.
pub struct State {
    pub session: Session,
    seeds: SplitMix64,
}

impl State {
    /// A call of `entry` with parameters already in wire form.
    pub fn start_call(
        &mut self,
        entry: &'static Entry,
        params: FormWriter,
        policy: Option<RetryPolicy>,
    ) -> Call<Boxed> {
        let policy = policy.unwrap_or(self.session.policy());
        Call::new(entry.parts(), params, policy, self.seeds.next_u64())
    }
}

impl NativeSession {
    /// The session. The core never panics, so a poisoned lock still holds a sound session.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wrap(
        py: Python<'_>,
        made: Result<Session, roster_core::Error>,
        policy: Option<&Bound<'_, PyDict>>,
        seed: u64,
    ) -> PyResult<Self> {
        let session = made.map_err(|e| errors::to_py(py, &e))?;
        let policy = match policy {
            Some(p) => retry_policy(p)?,
            None => RetryPolicy::default(),
        };
        Ok(Self {
            inner: Mutex::new(State {
                session: session.with_policy(policy),
                seeds: SplitMix64::new(seed),
            }),
        })
    }
}

#[pymethods]
impl NativeSession {
    /// A Voximplant session signing its own tokens with a service account's key.
    #[staticmethod]
    #[pyo3(signature = (credentials_json, base_url=None, policy=None, seed=0))]
    fn voximplant_service_account(
        py: Python<'_>,
        credentials_json: &str,
        base_url: Option<&str>,
        policy: Option<&Bound<'_, PyDict>>,
        seed: u64,
    ) -> PyResult<Self> {
        let made =
            py.detach(|| Session::voximplant_service_account(credentials_json, base_url, BINDING));
        Self::wrap(py, made, policy, seed)
    }

    /// A Voximplant session sending a token minted elsewhere.
    #[staticmethod]
    #[pyo3(signature = (token, base_url=None, policy=None, seed=0))]
    fn voximplant_token(
        py: Python<'_>,
        token: String,
        base_url: Option<&str>,
        policy: Option<&Bound<'_, PyDict>>,
        seed: u64,
    ) -> PyResult<Self> {
        Self::wrap(
            py,
            Session::voximplant_token(token, base_url, BINDING),
            policy,
            seed,
        )
    }

    /// A Voiso session with a contact-center API key.
    #[staticmethod]
    #[pyo3(signature = (api_key, base_url=None, policy=None, seed=0))]
    fn voiso(
        py: Python<'_>,
        api_key: String,
        base_url: Option<&str>,
        policy: Option<&Bound<'_, PyDict>>,
        seed: u64,
    ) -> PyResult<Self> {
        Self::wrap(py, Session::voiso(api_key, base_url, BINDING), policy, seed)
    }

    /// `voximplant` or `voiso`.
    #[getter]
    fn api(&self) -> &'static str {
        self.lock().session.api().as_str()
    }

    /// Starts a call by name (wire or snake_case): validates the parameters and returns the
    /// call's state machine. `policy` overrides the session's retry settings for this call.
    #[pyo3(signature = (method, params, policy=None))]
    fn call(
        slf: &Bound<'_, Self>,
        method: &str,
        params: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<CallHandle> {
        let py = slf.py();
        let params = convert::from_python(params)?;
        let policy = policy.map(retry_policy).transpose()?;
        let this = slf.get();
        let call = py
            .detach(|| {
                let mut state = this.lock();
                let info = state.session.method(method)?;
                let wire = roster_core::dynamic::encode_params(info, params)?;
                Ok(state.start_call(Entry::of(info)?, wire, policy))
            })
            .map_err(|e: roster_core::Error| errors::to_py(py, &e))?;
        Ok(CallHandle::new(slf.clone().unbind(), call, None))
    }

    /// An auto-pager over a list method.
    fn pager(
        slf: &Bound<'_, Self>,
        method: &str,
        params: &Bound<'_, PyAny>,
    ) -> PyResult<PagerHandle> {
        let py = slf.py();
        let params = convert::from_python(params)?;
        let this = slf.get();
        let (pager, entry) = py
            .detach(|| {
                let state = this.lock();
                let entry = Entry::of(state.session.method(method)?)?;
                Ok((state.session.pager(method, params)?, entry))
            })
            .map_err(|e: roster_core::Error| errors::to_py(py, &e))?;
        Ok(PagerHandle::new(slf.clone().unbind(), pager, entry))
    }

    /// The exact first request of a call, without sending it (a dry run). `now_secs` dates
    /// the token.
    fn prepare(
        &self,
        py: Python<'_>,
        method: &str,
        params: &Bound<'_, PyAny>,
        now_secs: u64,
    ) -> PyResult<Request> {
        let params = convert::from_python(params)?;
        let result = py.detach(|| {
            let session = &mut self.lock().session;
            let info = session.method(method)?;
            session
                .prepare(method, params, now_secs)
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
            let entry = Entry::of(self.lock().session.method(method)?)?;
            entry.parse(&response)
        });
        match parsed {
            Ok(answer) => answer.to_python(py),
            Err(e) => Err(errors::to_py(py, &e)),
        }
    }

    fn __repr__(&self) -> String {
        // The core's Debug redacts keys and tokens.
        format!("<roster._native.NativeSession {:?}>", self.lock().session)
    }
}

/// Retry settings from a dict of the Python `Retry` fields (seconds as floats).
fn retry_policy(d: &Bound<'_, PyDict>) -> PyResult<RetryPolicy> {
    let mut p = RetryPolicy::default();
    let secs = |name: &str| -> PyResult<Option<Option<Duration>>> {
        match d.get_item(name)? {
            None => Ok(None),
            Some(v) if v.is_none() => Ok(Some(None)),
            Some(v) => {
                let s: f64 = v.extract()?;
                Duration::try_from_secs_f64(s)
                    .map(|d| Some(Some(d)))
                    .map_err(|_| {
                        PyValueError::new_err(format!(
                            "{name} must be a non-negative number of seconds, got {s}"
                        ))
                    })
            }
        }
    };
    let required = |name: &str, v: Option<Option<Duration>>, into: &mut Duration| -> PyResult<()> {
        match v {
            None => Ok(()),
            Some(Some(d)) => {
                *into = d;
                Ok(())
            }
            Some(None) => Err(PyValueError::new_err(format!("{name} may not be None"))),
        }
    };
    if let Some(n) = d.get_item("max_attempts")? {
        p.max_attempts = n.extract()?;
        if p.max_attempts == 0 {
            return Err(PyValueError::new_err("max_attempts must be at least 1"));
        }
    }
    if let Some(j) = d.get_item("jitter_percent")? {
        p.jitter_percent = j.extract()?;
    }
    required("base_backoff", secs("base_backoff")?, &mut p.base_backoff)?;
    required("max_backoff", secs("max_backoff")?, &mut p.max_backoff)?;
    required(
        "connect_timeout",
        secs("connect_timeout")?,
        &mut p.connect_timeout,
    )?;
    required(
        "attempt_timeout",
        secs("attempt_timeout")?,
        &mut p.attempt_timeout,
    )?;
    if let Some(deadline) = secs("deadline")? {
        p.deadline = deadline;
    }
    Ok(p)
}
