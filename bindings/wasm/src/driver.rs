//! The loop that drives one call of the core's state machine: send, sleep, or done.

use std::cell::RefCell;

use roster_core::call::{Attempt, AttemptEvent};
use roster_core::{Call, Error, Session, Step};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
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

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Runs `call` to its end: every step the core asks for, with `fetch`, a timer and the
/// caller's token provider.
pub async fn run(
    shared: &Shared,
    mut call: Call<Value>,
    signal: Option<AbortSignal>,
) -> Result<Value, Stop> {
    let mut step = call.start(&mut *shared.session.borrow_mut(), now_ms());
    loop {
        step = match step {
            Step::Done(result) => return result.map_err(Stop::Core),
            Step::Sleep(delay) => {
                let ms = delay.as_millis() as f64;
                JsFuture::from(host::sleep(ms, signal.clone()))
                    .await
                    .map_err(Stop::Js)?;
                call.resume(&mut *shared.session.borrow_mut(), now_ms())
            }
            Step::Token(ask) => {
                let token = shared.ask_token(ask.force_refresh).await?;
                let token = match &token {
                    Ok(t) => Ok(t.as_bytes()),
                    Err(e) => Err(e.clone()),
                };
                call.on_token(token, &mut *shared.session.borrow_mut(), now_ms())
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
                call.on_outcome(outcome, &mut *shared.session.borrow_mut(), now_ms())
            }
        }
    }
}

impl Shared {
    /// Asks the provider for a token: `provider({ forceRefresh })`, a string or a promise of
    /// one. What it returns is checked by the core ([`Call::on_token`]); a provider that throws
    /// ends the call with its error.
    async fn ask_token(&self, force_refresh: bool) -> Result<Result<String, Error>, Stop> {
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
        Ok(token
            .as_string()
            .ok_or_else(|| Error::Auth("the token provider must return a string".into())))
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
