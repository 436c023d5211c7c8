//! One call's state machine, and the pager, as Python objects.
//!
//! Each method feeds the machine one event and returns the next step as a `(kind, payload)`
//! tuple: `(SEND, Request)`, `(SLEEP, seconds)`, `(TOKEN, force_refresh)` or `(DONE, result)`;
//! a failed call raises its `roster.RosterError`. The Python clients run the few-line loop
//! around it and do only I/O, sleeping and asking the token provider, so retries, timeouts,
//! token refresh and recovery behave the same in every binding.

use pyo3::exceptions::PyBaseException;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};
use roster_core::call::{AttemptEvent, Outcome, Step};
use roster_core::{
    Call, Error, HttpResponse, Pager, RetryPolicy, TransportError, TransportErrorKind,
};

use crate::answer::{Boxed, Entry};
use crate::errors;
use crate::request::Request;
use crate::session::{type_name, NativeSession};

pub const SEND: u8 = 0;
pub const SLEEP: u8 = 1;
pub const DONE: u8 = 2;
pub const TOKEN: u8 = 3;

/// A call in flight. Not shared between threads: one caller drives it to its end.
#[pyclass(module = "roster._native")]
pub struct CallHandle {
    session: Py<NativeSession>,
    call: Call<Boxed>,
    /// Set for a page of a pager: the page's answer is handed to it and the step's result is
    /// the list of new items, or `None` when the page brought nothing new.
    pager: Option<Py<PagerHandle>>,
    /// The client's attempt hook, and the record of the attempt in flight for it.
    hook: Option<Py<PyAny>>,
    event: Option<AttemptEvent>,
    done: bool,
}

impl CallHandle {
    pub fn new(
        session: Py<NativeSession>,
        call: Call<Boxed>,
        pager: Option<Py<PagerHandle>>,
        hook: Option<Py<PyAny>>,
    ) -> Self {
        Self {
            session,
            call,
            pager,
            hook,
            event: None,
            done: false,
        }
    }

    /// Runs one event through the machine with the GIL released.
    fn step(
        &mut self,
        py: Python<'_>,
        event: impl FnOnce(&mut Call<Boxed>, &mut roster_core::Session) -> Step<Boxed> + Send,
    ) -> PyResult<Step<Boxed>> {
        if self.done {
            return Err(PyRuntimeError::new_err("this call is already over"));
        }
        let session = self.session.get();
        let call = &mut self.call;
        Ok(py.detach(|| event(call, &mut session.lock())))
    }

    /// The step as the `(kind, payload)` tuple Python's loop reads.
    fn hand_over<'py>(
        &mut self,
        py: Python<'py>,
        step: Step<Boxed>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        match step {
            Step::Send(attempt) => {
                if self.hook.is_some() {
                    self.event = Some(attempt.describe());
                }
                let request = Bound::new(py, Request::of_attempt(attempt))?;
                (SEND, request).into_pyobject(py)
            }
            Step::Sleep(d) => (SLEEP, d.as_secs_f64()).into_pyobject(py),
            Step::Token(ask) => (TOKEN, ask.force_refresh).into_pyobject(py),
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

    fn advance<'py>(
        &mut self,
        py: Python<'py>,
        event: impl FnOnce(&mut Call<Boxed>, &mut roster_core::Session) -> Step<Boxed> + Send,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let step = self.step(py, event)?;
        self.hand_over(py, step)
    }

    /// Hands the attempt's record, completed with its outcome, to the client's hook. An
    /// exception of the hook ends the call with it.
    fn report(&mut self, py: Python<'_>, outcome: &Outcome) -> PyResult<()> {
        let (Some(hook), Some(mut event)) = (&self.hook, self.event.take()) else {
            return Ok(());
        };
        event.outcome(outcome);
        let record = Bound::new(py, AttemptRecord(event))?;
        hook.bind(py).call1((record,)).map(drop).inspect_err(|_| {
            self.done = true;
        })
    }

    fn on_outcome<'py>(
        &mut self,
        py: Python<'py>,
        outcome: Outcome,
        now_ms: u64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        if self.done {
            return Err(PyRuntimeError::new_err("this call is already over"));
        }
        self.report(py, &outcome)?;
        self.advance(py, move |call, session| {
            call.on_outcome(outcome, session, now_ms)
        })
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
        self.on_outcome(py, Outcome::Response(response), now_ms)
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
        self.on_outcome(py, Outcome::Failed(error), now_ms)
    }

    /// The step after sleeping as a `SLEEP` step asked.
    fn resume<'py>(&mut self, py: Python<'py>, now_ms: u64) -> PyResult<Bound<'py, PyTuple>> {
        self.advance(py, move |call, session| call.resume(session, now_ms))
    }

    /// The step after a `TOKEN` step: what the token provider returned (`str` or `bytes`,
    /// checked by the core's rule for every token), or the exception it raised. The provider's
    /// exception ends the call and is raised as it was; only when an earlier attempt of a
    /// write may have been applied does the call end in `OutcomeUnknownError`, whose
    /// `__cause__` is the provider's exception.
    fn on_token<'py>(
        &mut self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        now_ms: u64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        if let Ok(raised) = token.cast::<PyBaseException>() {
            let said = format!("the token provider raised {}", type_name(raised.as_any()));
            let failure = Error::Auth(said.clone());
            let step = self.step(py, move |call, session| {
                call.on_token(Err(failure), session, now_ms)
            })?;
            return match step {
                Step::Done(Err(Error::Auth(text))) if text == said => {
                    self.done = true;
                    Err(PyErr::from_value(raised.clone().into_any()))
                }
                Step::Done(Err(e)) => {
                    self.done = true;
                    let error = errors::to_py(py, &e);
                    error.set_cause(py, Some(PyErr::from_value(raised.clone().into_any())));
                    Err(error)
                }
                other => self.hand_over(py, other),
            };
        }
        let given: Result<Vec<u8>, Error> = if let Ok(b) = token.cast::<PyBytes>() {
            Ok(b.as_bytes().to_vec())
        } else if let Ok(b) = token.cast::<PyByteArray>() {
            Ok(b.to_vec())
        } else if let Ok(s) = token.cast::<PyString>() {
            // Text Python cannot encode (a lone surrogate) goes on as the bytes it holds, which
            // the core refuses as not UTF-8, without showing them.
            match s.to_cow() {
                Ok(t) => Ok(t.as_bytes().to_vec()),
                Err(_) => s
                    .call_method1("encode", ("utf-8", "surrogatepass"))?
                    .extract::<Vec<u8>>()
                    .map_err(|_| {
                        Error::Auth("the token provider returned undecodable text".into())
                    }),
            }
        } else {
            Err(Error::Auth(format!(
                "the token provider must return str or bytes, got {}",
                type_name(token)
            )))
        };
        self.advance(py, move |call, session| {
            let token = given.as_deref().map_err(Clone::clone);
            call.on_token(token, session, now_ms)
        })
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

/// What the attempt hook (`on_attempt=`) sees of one attempt, secrets redacted: the core's
/// `AttemptEvent`. `str()` is the core's one text of it, the same in every binding
/// (`GetUsers attempt 1 (call): POST https://.../platform_api/GetUsers -> HTTP 200`).
#[pyclass(frozen, name = "AttemptEvent", module = "roster")]
pub struct AttemptRecord(AttemptEvent);

#[pymethods]
impl AttemptRecord {
    /// The API method's wire name (`GetUsers`).
    #[getter]
    fn method(&self) -> &'static str {
        self.0.method
    }

    /// 1 for the call's first request; lookups count too.
    #[getter]
    fn number(&self) -> u32 {
        self.0.number
    }

    /// `call`, or `lookup` (learning whether a lost write happened).
    #[getter]
    fn purpose(&self) -> &'static str {
        self.0.purpose.as_str()
    }

    /// The HTTP method and URL, secret query parameters redacted.
    #[getter]
    fn request(&self) -> &str {
        &self.0.request
    }

    /// `HTTP 200`, or `transport timed_out: <message>`.
    #[getter]
    fn outcome(&self) -> &str {
        &self.0.outcome
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<roster.AttemptEvent {}>", self.0)
    }
}

/// Pages through a list method by the core's paging rules, never yielding an item twice
/// while records come and go.
#[pyclass(module = "roster._native")]
pub struct PagerHandle {
    session: Py<NativeSession>,
    pager: Pager,
    entry: &'static Entry,
    policy: Option<RetryPolicy>,
}

impl PagerHandle {
    pub fn new(
        session: Py<NativeSession>,
        pager: Pager,
        entry: &'static Entry,
        policy: Option<RetryPolicy>,
    ) -> Self {
        Self {
            session,
            pager,
            entry,
            policy,
        }
    }
}

#[pymethods]
impl PagerHandle {
    /// The call of the next page, or `None` when the listing is complete. Its `DONE` result is
    /// the list of items not yielded before, or `None` when the page brought nothing new (ask
    /// for the next call again). After a failed call the pager keeps its place: the next call
    /// asks for the same page.
    fn next_call(slf: &Bound<'_, Self>) -> Option<CallHandle> {
        let py = slf.py();
        let mut this = slf.borrow_mut();
        let this = &mut *this;
        let session = this.session.get();
        let pager = &mut this.pager;
        let parts = this.entry.parts();
        let policy = this.policy;
        let call = py.detach(|| {
            let params = pager.next_params()?;
            Some(session.lock().call_parts(parts, params, policy))
        })?;
        Some(CallHandle::new(
            this.session.clone_ref(py),
            call,
            Some(slf.clone().unbind()),
            session.hook(py),
        ))
    }

    /// Pages requested so far.
    #[getter]
    fn pages(&self) -> u32 {
        self.pager.pages()
    }

    /// Whether the listing is complete.
    #[getter]
    fn done(&self) -> bool {
        self.pager.is_done()
    }

    fn __repr__(&self) -> String {
        format!("<roster._native.PagerHandle {:?}>", self.pager)
    }
}
