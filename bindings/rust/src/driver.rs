//! The one loop that drives the core's call machine: send, sleep, ask for a token, done.
//!
//! All decisions (what to retry, when, how long to wait, how to recover a lost write, when a
//! token is needed) are the core's; this module only performs the steps it asks for with the
//! transport, the sleeper and the token provider.

use std::sync::{Arc, Mutex, MutexGuard};

use roster_core::call::{Call, Outcome, Step};
use roster_core::{Error, Session};

use crate::settings::{AttemptHook, Clock, TokenProvider};
use crate::transport::{Sleeper, Transport};

/// What a client's calls go out through, shared by its clones.
pub(crate) struct Shared {
    /// The core's session: protocol client (token cache), retry policy and jitter seeds.
    pub session: Mutex<Session>,
    pub transport: Arc<dyn Transport>,
    pub sleeper: Sleeper,
    pub hook: Option<AttemptHook>,
    pub token_provider: Option<TokenProvider>,
    pub clock: Clock,
}

/// The core holds no invariant a panic elsewhere could break, so a poisoned lock is usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub fn now_ms(&self) -> u64 {
        (self.clock)()
    }

    pub fn session(&self) -> MutexGuard<'_, Session> {
        lock(&self.session)
    }

    /// Runs `call` to its result. The session's lock is held only while the machine builds a
    /// request or reads an answer, never across I/O.
    pub async fn run<T>(&self, mut call: Call<T>) -> Result<T, Error> {
        let mut step = call.start(&mut *self.session(), self.now_ms());
        loop {
            step = match step {
                Step::Send(attempt) => {
                    let mut event = self.hook.as_ref().map(|_| attempt.describe());
                    let outcome = match self.transport.send(attempt.request, attempt.timeouts).await
                    {
                        Ok(response) => Outcome::Response(response),
                        Err(e) => Outcome::Failed(e),
                    };
                    if let (Some(hook), Some(event)) = (&self.hook, event.as_mut()) {
                        event.outcome(&outcome);
                        hook(event);
                    }
                    call.on_outcome(outcome, &mut *self.session(), self.now_ms())
                }
                Step::Sleep(duration) => {
                    (self.sleeper)(duration).await;
                    call.resume(&mut *self.session(), self.now_ms())
                }
                Step::Token(ask) => {
                    let token = match &self.token_provider {
                        Some(provider) => provider(ask).await,
                        None => Err(Error::Config("no token provider".to_owned())),
                    };
                    let token = token.as_ref().map(|t| t.as_bytes()).map_err(Clone::clone);
                    call.on_token(token, &mut *self.session(), self.now_ms())
                }
                Step::Done(result) => return result,
            };
        }
    }
}
