//! One call's state machine, and the auto-pager, as Python objects.
//!
//! Each method feeds the machine one event and returns the next step as a `(kind, payload)`
//! tuple: `(SEND, Request)`, `(SLEEP, seconds)` or `(DONE, result)`; a failed call raises its
//! `roster.RosterError`. The Python clients run the few-line loop around it and do only I/O
//! and sleeping, so retries, timeouts and recovery behave the same in every binding.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use roster_core::call::{Outcome, Step};
use roster_core::{Call, HttpResponse, Pager, TransportError, TransportErrorKind};

use crate::answer::{Boxed, Entry};
use crate::errors;
use crate::request::Request;
use crate::session::NativeSession;

pub const SEND: u8 = 0;
pub const SLEEP: u8 = 1;
pub const DONE: u8 = 2;

/// A call in flight. Not shared between threads: one caller drives it to its end.
#[pyclass(module = "roster._native")]
pub struct CallHandle {
    session: Py<NativeSession>,
    call: Call<Boxed>,
    /// Set for a page of an auto-pager: the page's answer is handed to it and the step's result
    /// is the list of items to yield.
    pager: Option<Py<PagerHandle>>,
    done: bool,
}

impl CallHandle {
    pub fn new(
        session: Py<NativeSession>,
        call: Call<Boxed>,
        pager: Option<Py<PagerHandle>>,
    ) -> Self {
        Self {
            session,
            call,
            pager,
            done: false,
        }
    }

    /// Runs one event through the machine with the GIL released.
    fn advance<'py>(
        &mut self,
        py: Python<'py>,
        event: impl FnOnce(&mut Call<Boxed>, &mut roster_core::Session) -> Step<Boxed> + Send,
    ) -> PyResult<Bound<'py, PyTuple>> {
        if self.done {
            return Err(PyRuntimeError::new_err("this call is already over"));
        }
        let session = self.session.get();
        let call = &mut self.call;
        let step = py.detach(|| event(call, &mut session.lock().session));
        match step {
            Step::Send(attempt) => {
                let request = Bound::new(py, Request::of_attempt(attempt))?;
                (SEND, request).into_pyobject(py)
            }
            Step::Sleep(d) => (SLEEP, d.as_secs_f64()).into_pyobject(py),
            Step::Token(_) => {
                // Python clients are not made with a token provider yet, so the machine never
                // asks; should it, the call ends with a typed error rather than a panic.
                self.done = true;
                let e = roster_core::Error::Config("no token provider".to_owned());
                Err(errors::to_py(py, &e))
            }
            Step::Done(result) => {
                self.done = true;
                let answer = result.map_err(|e| errors::to_py(py, &e))?;
                let payload = match &self.pager {
                    Some(pager) => answer.page_items(&mut pager.borrow_mut(py).pager, py)?,
                    None => answer.to_python(py)?,
                };
                (DONE, payload).into_pyobject(py)
            }
        }
    }
}

#[pymethods]
impl CallHandle {
    /// The first step. `now_ms` is Unix time in milliseconds.
    fn start<'py>(&mut self, py: Python<'py>, now_ms: u64) -> PyResult<Bound<'py, PyTuple>> {
        self.advance(py, move |call, session| call.start(session, now_ms))
    }

    /// The step after an answer came (any status: the core reads error answers too).
    fn on_response<'py>(
        &mut self,
        py: Python<'py>,
        status: u16,
        headers: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
        now_ms: u64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let headers = header_pairs(headers)?;
        // `bytes` is copied in one piece; extracting a Vec<u8> would walk it item by item.
        let body = match body.cast::<PyBytes>() {
            Ok(bytes) => bytes.as_bytes().to_vec(),
            Err(_) => body.extract::<Vec<u8>>()?,
        };
        let response = HttpResponse {
            status,
            headers,
            body,
        };
        self.advance(py, move |call, session| {
            call.on_outcome(Outcome::Response(response), session, now_ms)
        })
    }

    /// The step after the transport failed. `kind`: `not_sent` (nothing left the machine:
    /// DNS, refused connection, TLS handshake), `timed_out` or `interrupted` (after sending).
    fn on_failure<'py>(
        &mut self,
        py: Python<'py>,
        kind: &str,
        message: String,
        now_ms: u64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let kind = match kind {
            "not_sent" => TransportErrorKind::NotSent,
            "timed_out" => TransportErrorKind::TimedOut,
            "interrupted" => TransportErrorKind::Interrupted,
            other => {
                return Err(PyValueError::new_err(format!(
                "transport failure kind must be not_sent, timed_out or interrupted, got {other:?}"
            )))
            }
        };
        let error = TransportError::new(kind, message);
        self.advance(py, move |call, session| {
            call.on_outcome(Outcome::Failed(error), session, now_ms)
        })
    }

    /// The step after sleeping as a `SLEEP` step asked.
    fn resume<'py>(&mut self, py: Python<'py>, now_ms: u64) -> PyResult<Bound<'py, PyTuple>> {
        self.advance(py, move |call, session| call.resume(session, now_ms))
    }

    fn __repr__(&self) -> String {
        format!("<roster._native.CallHandle {:?}>", self.call)
    }
}

/// Headers as `(name, value)` pairs from a list of pairs or any mapping with `items()`.
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if headers.is_instance_of::<PyList>() {
        return headers.extract();
    }
    if headers.hasattr("items")? {
        return headers
            .call_method0("items")?
            .try_iter()?
            .map(|item| item?.extract::<(String, String)>())
            .collect();
    }
    headers.extract()
}

/// Pages through a list method, never yielding an item twice while records come and go.
#[pyclass(module = "roster._native")]
pub struct PagerHandle {
    session: Py<NativeSession>,
    pager: Pager,
    entry: &'static Entry,
}

impl PagerHandle {
    pub fn new(session: Py<NativeSession>, pager: Pager, entry: &'static Entry) -> Self {
        Self {
            session,
            pager,
            entry,
        }
    }
}

#[pymethods]
impl PagerHandle {
    /// The call of the next page, whose `DONE` result is the list of items to yield; `None`
    /// when the listing is complete.
    fn next_call(slf: &Bound<'_, Self>) -> Option<CallHandle> {
        let py = slf.py();
        let mut this = slf.borrow_mut();
        let this = &mut *this;
        let session = this.session.get();
        let pager = &mut this.pager;
        let entry = this.entry;
        let call = py.detach(|| {
            let params = pager.next_params()?;
            Some(session.lock().start_call(entry, params, None))
        })?;
        Some(CallHandle::new(
            this.session.clone_ref(py),
            call,
            Some(slf.clone().unbind()),
        ))
    }

    /// Pages fetched so far.
    #[getter]
    fn pages(&self) -> u32 {
        self.pager.pages()
    }

    fn __repr__(&self) -> String {
        format!("<roster._native.PagerHandle {:?}>", self.pager)
    }
}
