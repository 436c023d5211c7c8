//! The loop that drives one call of the core's state machine: send, sleep, or done.

use std::cell::RefCell;

use roster_core::auth::VoximplantAuth;
use roster_core::call::{Attempt, AttemptEvent};
use roster_core::session::Client;
use roster_core::wire::FormWriter;
use roster_core::{Call, Error, HttpRequest, MethodInfo, Prepare, Session, Step};
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

/// Runs `call` to its end.
pub async fn run(
    shared: &Shared,
    mut call: Call<Value>,
    signal: Option<AbortSignal>,
) -> Result<Value, Stop> {
    if shared.token_provider.is_some() {
        shared.renew_token(false).await?;
    }
    let mut refresh = false;
    let mut step = call.start(&mut shared.host(&mut refresh), now_ms());
    loop {
        step = match step {
            Step::Done(result) => return result.map_err(Stop::Core),
            Step::Sleep(delay) => {
                let ms = delay.as_millis() as f64;
                JsFuture::from(host::sleep(ms, signal.clone()))
                    .await
                    .map_err(Stop::Js)?;
                call.resume(&mut shared.host(&mut refresh), now_ms())
            }
            Step::Send(mut attempt) => {
                if std::mem::take(&mut refresh) {
                    let token = shared.renew_token(true).await?;
                    set_bearer(&mut attempt.request, &token);
                }
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
                call.on_outcome(outcome, &mut shared.host(&mut refresh), now_ms())
            }
        }
    }
}

impl Shared {
    fn host<'a>(&'a self, refresh: &'a mut bool) -> Host<'a> {
        Host {
            session: &self.session,
            provider: self.token_provider.is_some(),
            refresh,
        }
    }

    /// Asks the provider for a token and makes it the session's. Returns it for an attempt
    /// already built with the old one.
    async fn renew_token(&self, force_refresh: bool) -> Result<String, Stop> {
        let Some(provider) = &self.token_provider else {
            return Err(Stop::Core(Error::Config("no token provider".into())));
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
            .map_err(Stop::Js)?
            .as_string()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Stop::Core(Error::Auth(
                    "the token provider must return a non-empty string".into(),
                ))
            })?;
        if let Client::Voximplant(client) = self.session.borrow_mut().client_mut() {
            *client.auth_mut() = VoximplantAuth::Token(token.clone().into());
        }
        Ok(token)
    }
}

/// An attempt that was built before the provider's new token arrived carries the new one.
/// The header's form is the core's (`VoximplantClient::build`).
fn set_bearer(request: &mut HttpRequest, token: &str) {
    for (name, value) in &mut request.headers {
        if name == "authorization" {
            *value = format!("Bearer {token}");
        }
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

/// The session as the call machine sees it. With a token provider, a rejected token is
/// replaced by asking the provider again, which is async: the machine is told a new token is
/// coming, and the loop fetches it before sending the attempt.
struct Host<'a> {
    session: &'a RefCell<Session>,
    provider: bool,
    refresh: &'a mut bool,
}

impl Prepare for Host<'_> {
    fn build_request(
        &mut self,
        info: &'static MethodInfo,
        params: &FormWriter,
        now_secs: u64,
    ) -> Result<HttpRequest, Error> {
        self.session
            .borrow_mut()
            .build_request(info, params, now_secs)
    }

    fn refresh_token(&mut self) -> bool {
        if self.provider {
            *self.refresh = true;
            true
        } else {
            self.session.borrow_mut().refresh_token()
        }
    }
}
