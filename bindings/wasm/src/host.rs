//! The JavaScript helpers of `js/host.js`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = timeoutSignal)]
    pub fn timeout_signal(ms: f64) -> web_sys::AbortSignal;

    #[wasm_bindgen(js_name = anySignal)]
    pub fn any_signal(a: &web_sys::AbortSignal, b: &web_sys::AbortSignal) -> web_sys::AbortSignal;

    pub fn sleep(ms: f64, signal: Option<web_sys::AbortSignal>) -> js_sys::Promise;

    /// `[kind, message]`; kind is `not_sent` or `interrupted`.
    #[wasm_bindgen(js_name = classifyFailure)]
    pub fn classify_failure(error: &JsValue) -> js_sys::Array;
}
