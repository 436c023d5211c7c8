//! The one loop that drives the core's call machine: send, sleep, repeat, done.
//!
//! All decisions (what to retry, when, how long to wait, how to recover a lost write) are the
//! core's; this module only performs the steps it asks for with the transport and the sleeper.

use std::sync::{Arc, Mutex, MutexGuard};

use roster_core::call::{Call, Outcome, Prepare, RetryPolicy, SplitMix64, Step};
use roster_core::{ApiKind, Endpoint, Error};
use serde_json::Value;

use crate::settings::{AttemptHook, Clock};
use crate::transport::{Sleeper, Transport};

/// The configured way out, shared by a client's clones.
pub(crate) struct Exchange {
    transport: Arc<dyn Transport>,
    sleeper: Sleeper,
    hook: Option<AttemptHook>,
    pub policy: RetryPolicy,
    seeds: Mutex<SplitMix64>,
    pub clock: Clock,
}

impl Exchange {
    pub fn new(
        transport: Arc<dyn Transport>,
        sleeper: Sleeper,
        hook: Option<AttemptHook>,
        policy: RetryPolicy,
        seed: u64,
        clock: Clock,
    ) -> Self {
        Self {
            transport,
            sleeper,
            hook,
            policy,
            seeds: Mutex::new(SplitMix64::new(seed)),
            clock,
        }
    }

    /// A fresh jitter seed for one call.
    pub fn seed(&self) -> u64 {
        lock(&self.seeds).next_u64()
    }

    pub fn now_ms(&self) -> u64 {
        (self.clock)()
    }
}

/// A client's protocol state (token cache) and its exchange.
pub(crate) struct Shared<C> {
    pub core: Mutex<C>,
    pub exchange: Exchange,
}

/// The core holds no invariant a panic elsewhere could break, so a poisoned lock is usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<C: Prepare> Shared<C> {
    /// Sends a typed request with `policy` and reads its typed answer.
    pub async fn send<E: Endpoint>(
        &self,
        request: &E,
        policy: RetryPolicy,
    ) -> Result<E::Response, Error> {
        let call = Call::typed(request, policy, self.exchange.seed())?;
        self.run(call).await
    }

    /// Calls a method of `api` by name with JSON parameters.
    pub async fn call(
        &self,
        api: ApiKind,
        method: &str,
        params: Value,
        policy: RetryPolicy,
    ) -> Result<Value, Error> {
        let info = roster_core::dynamic::find_method(api, method)?;
        let call = Call::dynamic(info, params, policy, self.exchange.seed())?;
        self.run(call).await
    }

    /// Runs `call` to its result. The core's lock is held only while the machine builds a
    /// request or reads an answer, never across I/O.
    pub async fn run<T>(&self, mut call: Call<T>) -> Result<T, Error> {
        let x = &self.exchange;
        let mut step = call.start(&mut *lock(&self.core), x.now_ms());
        loop {
            step = match step {
                Step::Send(attempt) => {
                    let mut event = x.hook.as_ref().map(|_| attempt.describe());
                    let outcome = match x.transport.send(attempt.request, attempt.timeouts).await {
                        Ok(response) => Outcome::Response(response),
                        Err(e) => Outcome::Failed(e),
                    };
                    if let (Some(hook), Some(event)) = (&x.hook, event.as_mut()) {
                        event.outcome(&outcome);
                        hook(event);
                    }
                    let mut core = lock(&self.core);
                    call.on_outcome(outcome, &mut *core, x.now_ms())
                }
                Step::Sleep(duration) => {
                    (x.sleeper)(duration).await;
                    let mut core = lock(&self.core);
                    call.resume(&mut *core, x.now_ms())
                }
                Step::Done(result) => return result,
            };
        }
    }
}
