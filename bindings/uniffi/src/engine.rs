//! Drives the core's call machine with the host's transport and sleeper.
//!
//! This is the whole of the binding's runtime: the loop of `roster_core::call`, awaiting the
//! foreign transport for each attempt and the foreign sleeper between them. Validation, retries,
//! lookups of lost writes and paging decisions all happen in the core.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use roster_core::call::{Call, CallParts, Step};
use roster_core::endpoint::Endpoint;
use roster_core::{Session, TransportError, TransportErrorKind};
use serde_json::{Map, Value};

use crate::error::RosterError;
use crate::transport::{outcome_of, request_of, HttpTransport, Sleeper};

/// A session with the host's transport and sleeper. Shared by a client, its groups and pagers.
pub(crate) struct Engine {
    /// Locked only for the synchronous steps of the machine, never across an `await`, so
    /// concurrent calls of one client interleave freely.
    session: Mutex<Session>,
    transport: Arc<dyn HttpTransport>,
    sleeper: Arc<dyn Sleeper>,
}

impl Engine {
    pub(crate) fn new(
        session: Session,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
    ) -> Arc<Self> {
        Arc::new(Self {
            session: Mutex::new(session),
            transport,
            sleeper,
        })
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, Session> {
        // The core never panics, so a poisoned lock still holds a consistent session.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `call` to its end.
    pub(crate) async fn run<T>(&self, mut call: Call<T>) -> Result<T, roster_core::Error> {
        let mut step = call.start(&mut *self.session(), now_ms());
        loop {
            step = match step {
                Step::Send(attempt) => {
                    let result = self.transport.send(request_of(&attempt)).await;
                    call.on_outcome(outcome_of(result), &mut *self.session(), now_ms())
                }
                Step::Sleep(delay) => {
                    let millis = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    if let Err(e) = self.sleeper.sleep(millis).await {
                        // The host abandoned the call while it waited to retry.
                        let reason = format!("the call was abandoned while waiting to retry: {e}");
                        return Err(
                            TransportError::new(TransportErrorKind::Interrupted, reason).into()
                        );
                    }
                    call.resume(&mut *self.session(), now_ms())
                }
                Step::Token(_) => {
                    let none = roster_core::Error::Config("no token provider".to_owned());
                    call.on_token(Err(none), &mut *self.session(), now_ms())
                }
                Step::Done(result) => return result,
            };
        }
    }

    /// A typed call: parameters validated by the core's call by name (the path the vectors
    /// test), the answer parsed into the core's typed response.
    pub(crate) async fn call<E: Endpoint>(
        &self,
        params: Map<String, Value>,
    ) -> Result<E::Response, RosterError> {
        let call = self.start::<E>(params)?;
        Ok(self.run(call).await?)
    }

    fn start<E: Endpoint>(
        &self,
        params: Map<String, Value>,
    ) -> Result<Call<E::Response>, roster_core::Error> {
        let form = roster_core::dynamic::encode_params(E::INFO, Value::Object(params))?;
        Ok(self.session().call_parts(parts::<E>(), form, None))
    }

    /// A call by name with JSON parameters; the answer in its JSON form.
    pub(crate) async fn call_json(
        &self,
        method: &str,
        params: Value,
    ) -> Result<Value, RosterError> {
        let call = self.session().call(method, params, None)?;
        Ok(self.run(call).await?)
    }
}

/// What the machine needs to know of `E` to run and parse its calls.
pub(crate) fn parts<E: Endpoint>() -> CallParts<E::Response> {
    CallParts {
        info: E::INFO,
        parse: roster_core::parse::<E>,
    }
}

/// Unix time in milliseconds: the machine's clock, which also dates tokens.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
