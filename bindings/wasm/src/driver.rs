//! The loop that drives one call of the core's state machine: send, sleep, or done.

use std::cell::RefCell;

use roster_core::call::{Attempt, AttemptEvent};
use roster_core::{Call, Error, Session, Step};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::convert::{error_to_js, to_js};
use crate::host;
use crate::transport::{Aborted, Transport};

/// What every call of one client shares.
pub struct Shared {
    pub session: RefCell<Session>,
    pub transport: Transport,
    /// Voximplant tokens minted by the app's backend: `({ forceRefresh }) => token`.
    pub token_provider: Option<js_sys::Function>,
    /// Called with a redacted record of every attempt.
    pub on_attempt: Option<js_sys::Function>,
    /// `() => milliseconds since the Unix epoch` instead of `Date.now` (a test's virtual
    /// clock). It dates tokens and measures deadlines.
    pub clock: Option<js_sys::Function>,
    /// `(ms, signal) => promise` instead of a timer (a test's recording sleep).
    pub sleep: Option<js_sys::Function>,
}

/// Why a call stopped without a result.
pub enum Stop {
    Core(Error),
    /// The caller's signal aborted, or one of the caller's functions threw.
    Js(JsValue),
}

impl From<Stop> for JsValue {
    fn from(stop: Stop) -> Self {
        match stop {
            Stop::Core(e) => error_to_js(&e),
            Stop::Js(v) => v,
        }
    }
}

impl Shared {
    /// The client's clock in Unix milliseconds: the caller's `clock`, or `Date.now()`.
    /// Fractions of a millisecond are dropped; anything but a finite number from 0 up is an
    /// error.
    pub fn now_ms(&self) -> Result<u64, Stop> {
        let Some(clock) = &self.clock else {
            return Ok(js_sys::Date::now() as u64);
        };
        let now = clock.call0(&JsValue::NULL).map_err(Stop::Js)?;
        match now.as_f64() {
            Some(ms) if ms.is_finite() && ms >= 0.0 => Ok(ms as u64),
            _ => Err(Stop::Core(Error::Config(
                "clock must return the time in milliseconds since the Unix epoch, a finite \
                 number from 0 up"
                    .into(),
            ))),
        }
    }

    /// Waits `ms` with the caller's `sleep`, or a timer; rejects when `signal` aborts.
    async fn sleep(&self, ms: f64, signal: Option<AbortSignal>) -> Result<(), Stop> {
        let promise = match &self.sleep {
            Some(sleep) => {
                let signal = signal.map_or(JsValue::UNDEFINED, JsValue::from);
                js_sys::Promise::resolve(
                    &sleep
                        .call2(&JsValue::NULL, &JsValue::from_f64(ms), &signal)
                        .map_err(Stop::Js)?,
                )
            }
            None => host::sleep(ms, signal),
        };
        JsFuture::from(promise).await.map(drop).map_err(Stop::Js)
    }
}

/// Runs `call` to its end: every step the core asks for, with `fetch`, a timer and the
/// caller's token provider.
pub async fn run(
    shared: &Shared,
    mut call: Call<Value>,
    signal: Option<AbortSignal>,
) -> Result<Value, Stop> {
    let now = shared.now_ms()?;
    let mut step = call.start(&mut *shared.session.borrow_mut(), now);
    loop {
        step = match step {
            Step::Done(result) => return result.map_err(Stop::Core),
            Step::Sleep(delay) => {
                // Whole milliseconds, rounded down, as every binding sleeps.
                let ms = delay.as_millis() as f64;
                shared.sleep(ms, signal.clone()).await?;
                let now = shared.now_ms()?;
                call.resume(&mut *shared.session.borrow_mut(), now)
            }
            Step::Token(ask) => {
                let token = shared.ask_token(ask.force_refresh).await?;
                let token = match &token {
                    Ok(t) => Ok(t.as_slice()),
                    Err(e) => Err(e.clone()),
                };
                let now = shared.now_ms()?;
                call.on_token(token, &mut *shared.session.borrow_mut(), now)
            }
            Step::Send(attempt) => {
                let mut event = shared.on_attempt.as_ref().map(|_| attempt.describe());
                let outcome = shared
                    .transport
                    .send(&attempt, signal.as_ref())
                    .await
                    .map_err(|Aborted(reason)| Stop::Js(reason))?;
                if let (Some(hook), Some(event)) = (&shared.on_attempt, event.as_mut()) {
                    event.outcome(&outcome);
                    report(hook, event, &attempt)?;
                }
                let now = shared.now_ms()?;
                call.on_outcome(outcome, &mut *shared.session.borrow_mut(), now)
            }
        }
    }
}

impl Shared {
    /// Asks the provider for a token: `provider({ forceRefresh })`, a string (or bytes) or a
    /// promise of one. What it returns is checked by the core ([`Call::on_token`]: the one
    /// trim rule of keys and tokens, an expired JWT refused) and cached there until the server
    /// refuses it or it expires; a provider that throws ends the call with its error.
    async fn ask_token(&self, force_refresh: bool) -> Result<Result<Vec<u8>, Error>, Stop> {
        let Some(provider) = &self.token_provider else {
            return Ok(Err(Error::Config("no token provider".into())));
        };
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Ask {
            force_refresh: bool,
        }
        let asked = provider
            .call1(&JsValue::NULL, &to_js(&Ask { force_refresh }))
            .map_err(Stop::Js)?;
        let token = JsFuture::from(js_sys::Promise::resolve(&asked))
            .await
            .map_err(Stop::Js)?;
        if let Some(text) = token.as_string() {
            return Ok(Ok(text.into_bytes()));
        }
        if let Some(bytes) = token.dyn_ref::<js_sys::Uint8Array>() {
            return Ok(Ok(bytes.to_vec()));
        }
        Ok(Err(Error::Auth(
            "the token provider must return a string (or a promise of one)".into(),
        )))
    }
}

fn report(hook: &js_sys::Function, event: &AttemptEvent, attempt: &Attempt) -> Result<(), Stop> {
    #[derive(Serialize)]
    struct Record<'a> {
        method: &'a str,
        number: u32,
        purpose: &'a str,
        request: &'a str,
        outcome: &'a str,
        text: String,
    }
    let record = Record {
        method: event.method,
        number: event.number,
        purpose: attempt.purpose.as_str(),
        request: &event.request,
        outcome: &event.outcome,
        text: event.to_string(),
    };
    hook.call1(&JsValue::NULL, &to_js(&record))
        .map(drop)
        .map_err(Stop::Js)
}
