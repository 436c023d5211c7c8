//! `RawClient`: one session of either API, exported to JavaScript.

use std::cell::RefCell;
use std::rc::Rc;

use roster_core::{Error, HttpResponse, RetryPolicy, Session};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::convert::{error_to_js, params_from_js, value_to_js};
use crate::driver::{self, now_ms, Shared, Stop};
use crate::options::{self, ClientOptions, RetryOptions};
use crate::pager::RawPager;
use crate::transport::Transport;

/// The name the core puts in the `User-Agent` header.
const BINDING: &str = "wasm";

/// A client of one API. Holds no secret where JavaScript can see it: the credentials live in
/// wasm memory, inside the core's redacting types.
#[wasm_bindgen]
pub struct RawClient {
    shared: Rc<Shared>,
}

fn js_err(e: Error) -> JsValue {
    error_to_js(&e)
}

#[wasm_bindgen]
impl RawClient {
    /// Voximplant, signing RS256 tokens with the key of a `credentials.json` text.
    #[wasm_bindgen(js_name = voximplantServiceAccount)]
    pub fn voximplant_service_account(
        credentials_json: &str,
        settings: JsValue,
        fetch: Option<js_sys::Function>,
        on_attempt: Option<js_sys::Function>,
    ) -> Result<RawClient, JsValue> {
        Self::new(&settings, fetch, on_attempt, None, |base| {
            Session::voximplant_service_account(credentials_json, base, BINDING)
        })
    }

    /// Voximplant with tokens from `provider({ forceRefresh })` (a string or a promise of one),
    /// asked before each call and again when the server rejects a token as expired.
    #[wasm_bindgen(js_name = voximplantToken)]
    pub fn voximplant_token(
        provider: js_sys::Function,
        settings: JsValue,
        fetch: Option<js_sys::Function>,
        on_attempt: Option<js_sys::Function>,
    ) -> Result<RawClient, JsValue> {
        Self::new(&settings, fetch, on_attempt, Some(provider), |base| {
            let options = roster_core::VoximplantOptions {
                token_provider: true,
                base_url: base.map(str::to_owned),
                ..roster_core::VoximplantOptions::default()
            };
            Session::open_voximplant(options, &roster_core::settings::NoHost, BINDING)
        })
    }

    /// Voiso with a contact-center API key.
    pub fn voiso(
        api_key: &str,
        settings: JsValue,
        fetch: Option<js_sys::Function>,
        on_attempt: Option<js_sys::Function>,
    ) -> Result<RawClient, JsValue> {
        Self::new(&settings, fetch, on_attempt, None, |base| {
            Session::voiso(api_key.to_owned(), base, BINDING)
        })
    }

    /// Calls a method by wire or snake_case name; resolves to its result in the core's JSON form.
    pub fn call(
        &self,
        method: String,
        params: JsValue,
        signal: Option<AbortSignal>,
        retry: JsValue,
    ) -> js_sys::Promise {
        let shared = self.shared.clone();
        future_to_promise(async move {
            let policy = call_policy(&shared, &retry).map_err(js_err)?;
            let params = params_from_js(params).map_err(js_err)?;
            let call = shared
                .session
                .borrow_mut()
                .call(&method, params, Some(policy))
                .map_err(js_err)?;
            let value = driver::run(&shared, call, signal)
                .await
                .map_err(JsValue::from)?;
            value_to_js(&value)
        })
    }

    /// A pager over a list method; each `next()` resolves to the next items, or `undefined`.
    pub fn pager(
        &self,
        method: &str,
        params: JsValue,
        retry: JsValue,
    ) -> Result<RawPager, JsValue> {
        let policy = call_policy(&self.shared, &retry).map_err(js_err)?;
        let params = params_from_js(params).map_err(js_err)?;
        let pager = self
            .shared
            .session
            .borrow()
            .pager(method, params)
            .map_err(js_err)?;
        Ok(RawPager::new(self.shared.clone(), pager, policy))
    }

    /// Reads an answer to a method fetched some other way: its result, or the error it
    /// carries. The same reader a call uses, without the retries.
    pub fn parse(&self, method: &str, status: u16, body: &[u8]) -> Result<JsValue, JsValue> {
        let info = self
            .shared
            .session
            .borrow()
            .method(method)
            .map_err(js_err)?;
        let response = HttpResponse::new(status, body);
        let value = roster_core::dynamic::parse_response(info, &response).map_err(js_err)?;
        value_to_js(&value)
    }

    /// The first request a call would send, secrets redacted (a dry run; nothing is sent).
    #[wasm_bindgen(js_name = dryRun)]
    pub fn dry_run(&self, method: &str, params: JsValue) -> Result<String, JsValue> {
        let params = params_from_js(params).map_err(js_err)?;
        let request = self
            .shared
            .session
            .borrow_mut()
            .prepare(method, params, now_ms() / 1000)
            .map_err(js_err)?;
        Ok(request.redacted().to_string())
    }
}

impl RawClient {
    /// Reads the settings, makes the session for their base URL, applies retry and seed.
    fn new(
        settings: &JsValue,
        fetch: Option<js_sys::Function>,
        on_attempt: Option<js_sys::Function>,
        token_provider: Option<js_sys::Function>,
        session: impl FnOnce(Option<&str>) -> Result<Session, Error>,
    ) -> Result<RawClient, JsValue> {
        let o: ClientOptions = options::read("client options", settings).map_err(js_err)?;
        let session = session(o.base_url.as_deref()).map_err(js_err)?;
        let session = match &o.retry {
            Some(r) => session.with_overrides(&r.overrides()).map_err(js_err)?,
            None => session,
        };
        let seed = o.seed.map_or_else(now_ms, |s| s as u64);
        Ok(RawClient {
            shared: Rc::new(Shared {
                session: RefCell::new(session.with_seed(seed)),
                transport: Transport {
                    fetch,
                    browser: o.browser,
                },
                token_provider,
                on_attempt,
            }),
        })
    }
}

/// The session's policy with one call's overrides.
fn call_policy(shared: &Shared, retry: &JsValue) -> Result<RetryPolicy, Error> {
    let overrides: RetryOptions = options::read("retry options", retry)?;
    shared.session.borrow().policy_with(&overrides.overrides())
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Core(e)
    }
}
