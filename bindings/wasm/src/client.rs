//! `RawClient`: one session of either API, exported to JavaScript.

use std::cell::RefCell;
use std::rc::Rc;

use roster_core::{Error, HttpResponse, RetryPolicy, Session, VoisoOptions, VoximplantOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::convert::{error_to_js, params_from_js, value_to_js};
use crate::driver::{self, Shared, Stop};
use crate::host::JsHost;
use crate::options;
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
    /// A client of `api` (`"voximplant"` or `"voiso"`), its settings resolved by the core
    /// (`Session::open_voximplant` / `open_voiso`): what `options` gives, then the environment
    /// through `options.env(name)`, then the defaults; a path is read through
    /// `options.readFile(path)`.
    ///
    /// `options`: `baseUrl`, `retry` (camelCase retry settings), `seed`, `browser`; the
    /// credentials `credentials` (a path or the JSON, as text or bytes), `token` or
    /// `tokenProvider` (a function) for Voximplant, `apiKey` (text or bytes) for Voiso; and the
    /// host's functions `fetch`, `onAttempt`, `env`, `readFile`, `clock` and `sleep`.
    #[wasm_bindgen(constructor)]
    pub fn new(api: &str, options: JsValue) -> Result<RawClient, JsValue> {
        let host = JsHost::new(
            options::function(&options, "env").map_err(js_err)?,
            options::function(&options, "readFile").map_err(js_err)?,
        );
        let base_url = options::text(&options, "baseUrl").map_err(js_err)?;
        let mut token_provider = None;
        let opened = match api {
            "voximplant" => {
                token_provider = options::function(&options, "tokenProvider").map_err(js_err)?;
                let o = VoximplantOptions {
                    credentials: options::secret_bytes(&options, "credentials").map_err(js_err)?,
                    token: options::secret_bytes(&options, "token").map_err(js_err)?,
                    token_provider: token_provider.is_some(),
                    base_url,
                    ..VoximplantOptions::default()
                };
                Session::open_voximplant(o, &host, BINDING)
            }
            "voiso" => {
                let o = VoisoOptions {
                    api_key: options::secret_bytes(&options, "apiKey").map_err(js_err)?,
                    base_url,
                };
                Session::open_voiso(o, &host, BINDING)
            }
            other => Err(Error::Config(format!(
                "unknown API {:?}: voximplant or voiso",
                other.chars().take(40).collect::<String>()
            ))),
        };
        // A host callback that threw is the reason, even if the resolver carried on without it.
        if let Some(thrown) = host.take_failure() {
            return Err(thrown);
        }
        let session = opened.map_err(js_err)?;
        let retry = options::retry(&options::field(&options, "retry"), "retry").map_err(js_err)?;
        let session = session.with_overrides(&retry).map_err(js_err)?;
        let seed = options::seed(&options).map_err(js_err)?;
        let shared = Shared {
            session: RefCell::new(session),
            transport: Transport {
                fetch: options::function(&options, "fetch").map_err(js_err)?,
                browser: options::flag(&options, "browser").map_err(js_err)?,
            },
            token_provider,
            on_attempt: options::function(&options, "onAttempt").map_err(js_err)?,
            clock: options::function(&options, "clock").map_err(js_err)?,
            sleep: options::function(&options, "sleep").map_err(js_err)?,
        };
        let seed = match seed {
            Some(s) => s,
            None => shared.now_ms().map_err(JsValue::from)?,
        };
        let shared = Shared {
            session: RefCell::new(shared.session.into_inner().with_seed(seed)),
            ..shared
        };
        Ok(RawClient {
            shared: Rc::new(shared),
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
        // Read now: the caller may change its objects once the call has started.
        let prepared = prepare(&shared, &method, &params, &retry);
        future_to_promise(async move {
            let (params, policy) = prepared.map_err(js_err)?;
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

    /// A pager over a list method: each `next()` resolves to the next batch of items not
    /// yielded before, or `undefined` once the listing is complete.
    pub fn pager(
        &self,
        method: &str,
        params: JsValue,
        retry: JsValue,
    ) -> Result<RawPager, JsValue> {
        let (params, policy) = prepare(&self.shared, method, &params, &retry).map_err(js_err)?;
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
        let info = self
            .shared
            .session
            .borrow()
            .method(method)
            .map_err(js_err)?;
        let params = params_from_js(info, &params).map_err(js_err)?;
        let now = self.shared.now_ms().map_err(JsValue::from)?;
        let request = self
            .shared
            .session
            .borrow_mut()
            .prepare(method, params, now / 1000)
            .map_err(js_err)?;
        Ok(request.redacted().to_string())
    }
}

/// The parameters of a call of `method` in the core's JSON form, and its policy: the
/// session's with the call's retry overrides. The method is looked up first, so a misspelt
/// name is reported as such.
fn prepare(
    shared: &Shared,
    method: &str,
    params: &JsValue,
    retry: &JsValue,
) -> Result<(serde_json::Value, RetryPolicy), Error> {
    let session = shared.session.borrow();
    let info = session.method(method)?;
    let overrides = options::retry(retry, "retry")?;
    let policy = session.policy_with(&overrides)?;
    Ok((params_from_js(info, params)?, policy))
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Core(e)
    }
}
