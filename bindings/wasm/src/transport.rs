//! Sends one attempt over `fetch` and reports what happened in the call machine's terms.

use gloo_net::http::{Method, RequestBuilder, Response};
use roster_core::call::Attempt;
use roster_core::{HttpMethod, HttpResponse, Outcome, TransportError, TransportErrorKind};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::host;

/// Headers left out in browsers. A page may not set `user-agent`, and any header outside the
/// CORS-safelisted ones must be named by the server's `Access-Control-Allow-Headers`, or the
/// preflight fails: the attempt number is for server logs and not worth that.
const BROWSER_DROPPED: &[&str] = &["user-agent", roster_core::call::ATTEMPT_HEADER];

/// How requests leave: the global `fetch`, or the caller's function. A caller's fetch that
/// rejects may say what kind of failure it was with a `transportKind` of `"not_sent"` (nothing
/// left the machine: the call machine may resend any method), `"timed_out"` or
/// `"interrupted"`; its `message` is then the failure's message. Without one, a failure is
/// `not_sent` when the error's `cause.code` proves it (Node's `ECONNREFUSED` and the like),
/// `timed_out` when the attempt's timeout fired, else `interrupted`.
pub struct Transport {
    pub fetch: Option<js_sys::Function>,
    pub browser: bool,
}

/// The caller aborted: the call stops with the signal's reason.
pub struct Aborted(pub JsValue);

impl Transport {
    /// Sends `attempt` within its total timeout. Errors only when the caller's signal aborts.
    pub async fn send(
        &self,
        attempt: &Attempt,
        user: Option<&AbortSignal>,
    ) -> Result<Outcome, Aborted> {
        let timeout = host::timeout_signal(attempt.timeouts.total.as_millis() as f64);
        let signal = match user {
            Some(u) => host::any_signal(u, &timeout),
            None => timeout.clone(),
        };
        let failed = |error: JsValue| {
            if let Some(u) = user.filter(|u| u.aborted()) {
                return Err(Aborted(u.reason()));
            }
            // The failure's own word first (a custom fetch may say which kind it is), then
            // our timeout, then what the error proves.
            let pair = host::classify_failure(&error);
            let message = pair.get(1).as_string().unwrap_or_default();
            let failure = match pair.get(0).as_string().as_deref() {
                Some("not_sent") => TransportError::new(TransportErrorKind::NotSent, message),
                Some("timed_out") => TransportError::new(TransportErrorKind::TimedOut, message),
                _ if timeout.aborted() => TransportError::new(
                    TransportErrorKind::TimedOut,
                    format!("no answer within {} ms", attempt.timeouts.total.as_millis()),
                ),
                _ => TransportError::new(TransportErrorKind::Interrupted, message),
            };
            Ok(Outcome::Failed(failure))
        };
        let response = match self.exchange(attempt, &signal).await {
            Ok(r) => r,
            Err(e) => return failed(e),
        };
        let status = response.status();
        let headers = response.headers().entries().collect();
        match response.binary().await {
            Ok(body) => Ok(Outcome::Response(HttpResponse {
                status,
                headers,
                body,
            })),
            Err(gloo_net::Error::JsError(e)) => failed(JsValue::from_str(&e.message)),
            Err(e) => failed(JsValue::from_str(&e.to_string())),
        }
    }

    async fn exchange(&self, attempt: &Attempt, signal: &AbortSignal) -> Result<Response, JsValue> {
        let r = &attempt.request;
        let method = match r.method {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
        };
        let mut builder = RequestBuilder::new(&r.url)
            .method(method)
            .abort_signal(Some(signal));
        for (name, value) in &r.headers {
            if !(self.browser && BROWSER_DROPPED.contains(&name.as_str())) {
                builder = builder.header(name, value);
            }
        }
        let request = if r.body.is_empty() {
            builder.build()
        } else {
            builder.body(js_sys::Uint8Array::from(r.body.as_slice()))
        }
        .map_err(gloo_error)?;
        // gloo-net builds the request and reads the answer; the send itself calls `fetch`
        // directly, because gloo-net's `send` keeps only the message of a rejection, and
        // Node names the failure (refused, unknown host: nothing was sent) in its `cause`.
        let raw: web_sys::Request = request.into();
        let sent = match &self.fetch {
            // A caller's fetch also learns the attempt's limits (its `Request` carries only
            // the abort signal): `fetch(request, { timeoutMs, connectTimeoutMs })`.
            Some(fetch) => {
                let limits = js_sys::Object::new();
                let set = |name: &str, ms: std::time::Duration| {
                    js_sys::Reflect::set(
                        &limits,
                        &JsValue::from_str(name),
                        &JsValue::from_f64(ms.as_millis() as f64),
                    )
                };
                set("timeoutMs", attempt.timeouts.total)?;
                set("connectTimeoutMs", attempt.timeouts.connect)?;
                fetch.call2(&JsValue::NULL, &raw, &limits)?
            }
            None => js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))?
                .dyn_into::<js_sys::Function>()?
                .call1(&JsValue::NULL, &raw)?,
        };
        let promise = js_sys::Promise::resolve(&sent);
        let answer = JsFuture::from(promise).await?;
        Ok(Response::from(answer.unchecked_into::<web_sys::Response>()))
    }
}

fn gloo_error(e: gloo_net::Error) -> JsValue {
    match e {
        gloo_net::Error::JsError(js) => {
            let error = js_sys::Error::new(&js.message);
            error.set_name(&js.name);
            error.into()
        }
        other => js_sys::Error::new(&other.to_string()).into(),
    }
}
