//! Drives the core's call machine with what the host lent: transport, sleeper, clock, token
//! provider and attempt listener.
//!
//! This is the whole of the binding's runtime: the loop of `roster_core::call`, performing each
//! step the machine asks for (send, sleep, fetch a token) and feeding it the result, with time
//! read only from the client's clock. Validation, retries, lookups of lost writes, token
//! checks and paging decisions all happen in the core.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use roster_core::call::{Call, CallParts, Step};
use roster_core::endpoint::Endpoint;
use roster_core::{RetryOverrides, Session, TransportError, TransportErrorKind};
use serde_json::{Map, Value};

use crate::error::RosterError;
use crate::host::{AttemptListener, AttemptRecord, TimeSource, TokenProvider};
use crate::transport::{outcome_of, request_of, HttpTransport, Sleeper};

/// A session with what the host lent. Shared by a client, its groups and pagers.
pub(crate) struct Engine {
    /// Locked only for the synchronous steps of the machine, never across an `await`, so
    /// concurrent calls of one client interleave freely.
    session: Mutex<Session>,
    transport: Arc<dyn HttpTransport>,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn TimeSource>,
    listener: Option<Arc<dyn AttemptListener>>,
    token_provider: Option<Arc<dyn TokenProvider>>,
}

/// The clock's time, or a `config` error when the host's clock failed.
pub(crate) fn read_clock(clock: &dyn TimeSource) -> Result<u64, roster_core::Error> {
    clock
        .now_ms()
        .map_err(|e| roster_core::Error::Config(format!("the client's clock failed: {e}")))
}

impl Engine {
    pub(crate) fn new(
        session: Session,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        clock: Arc<dyn TimeSource>,
        listener: Option<Arc<dyn AttemptListener>>,
        token_provider: Option<Arc<dyn TokenProvider>>,
    ) -> Arc<Self> {
        Arc::new(Self {
            session: Mutex::new(session),
            transport,
            sleeper,
            clock,
            listener,
            token_provider,
        })
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, Session> {
        // The core never panics, so a poisoned lock still holds a consistent session.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now_ms(&self) -> Result<u64, roster_core::Error> {
        read_clock(&*self.clock)
    }

    /// Runs `call` to its end.
    pub(crate) async fn run<T>(&self, mut call: Call<T>) -> Result<T, roster_core::Error> {
        // Time is read before the session is locked: the lock never spans a host callback.
        let now = self.now_ms()?;
        let mut step = call.start(&mut *self.session(), now);
        loop {
            step = match step {
                Step::Send(attempt) => {
                    let result = self.transport.send(request_of(&attempt)).await;
                    let outcome = outcome_of(result);
                    if let Some(listener) = &self.listener {
                        let mut event = attempt.describe();
                        event.outcome(&outcome);
                        // A log must not change what the call did: its failure is ignored.
                        let _ = listener.on_attempt(AttemptRecord::from(&event));
                    }
                    let now = self.now_ms()?;
                    call.on_outcome(outcome, &mut *self.session(), now)
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
                    let now = self.now_ms()?;
                    call.resume(&mut *self.session(), now)
                }
                Step::Token(ask) => {
                    let token = match &self.token_provider {
                        Some(provider) => provider.token(ask.force_refresh).await.map_err(|e| {
                            roster_core::Error::Auth(format!("the token provider failed: {e}"))
                        }),
                        None => Err(roster_core::Error::Config("no token provider".to_owned())),
                    };
                    let token = token.as_ref().map(|t| t.as_bytes()).map_err(Clone::clone);
                    let now = self.now_ms()?;
                    call.on_token(token, &mut *self.session(), now)
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
        let parts = parts::<E>();
        let form = roster_core::dynamic::encode_params(parts.info, Value::Object(params))?;
        Ok(self.session().call_parts(parts, form, None))
    }

    /// A call by name with JSON parameters, with retry overrides for this call over the
    /// client's; the answer in its JSON form.
    pub(crate) async fn call_json(
        &self,
        method: &str,
        params: Value,
        retry: Option<&RetryOverrides>,
    ) -> Result<Value, RosterError> {
        let call = {
            let mut session = self.session();
            let policy = retry.map(|o| session.policy_with(o)).transpose()?;
            session.call(method, params, policy)?
        };
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
