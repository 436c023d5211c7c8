//! What the JavaScript host lends the core: the helpers of `js/host.js` (timers, abort
//! signals, reading a failed fetch) and, for the settings resolver, the environment and the
//! files ([`JsHost`]).

use std::cell::RefCell;

use roster_core::settings::Host;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = timeoutSignal)]
    pub fn timeout_signal(ms: f64) -> web_sys::AbortSignal;

    #[wasm_bindgen(js_name = anySignal)]
    pub fn any_signal(a: &web_sys::AbortSignal, b: &web_sys::AbortSignal) -> web_sys::AbortSignal;

    pub fn sleep(ms: f64, signal: Option<web_sys::AbortSignal>) -> js_sys::Promise;

    /// `[kind, message]`; kind is `not_sent`, `timed_out` (only when the failure says so
    /// itself, through its `transportKind`) or `interrupted`.
    #[wasm_bindgen(js_name = classifyFailure)]
    pub fn classify_failure(error: &JsValue) -> js_sys::Array;
}

/// The settings resolver's view of the JavaScript host: `env(name)` returns a variable's text
/// or `undefined`; `readFile(path)` returns the file's bytes (or text) and throws when it
/// cannot be read. Either may be absent (a browser has neither): variables are then unset and
/// no file can be read.
///
/// A callback that throws where the resolver's interface has no room for an error (the
/// environment lookup) is remembered, and [`JsHost::take_failure`] hands it back once the
/// resolver is done, so it is reported rather than read as "unset".
pub struct JsHost {
    pub env: Option<js_sys::Function>,
    pub read_file: Option<js_sys::Function>,
    failure: RefCell<Option<JsValue>>,
}

impl JsHost {
    pub fn new(env: Option<js_sys::Function>, read_file: Option<js_sys::Function>) -> Self {
        Self {
            env,
            read_file,
            failure: RefCell::new(None),
        }
    }

    /// The first error a callback threw, if any.
    pub fn take_failure(&self) -> Option<JsValue> {
        self.failure.borrow_mut().take()
    }

    fn fail(&self, error: JsValue) {
        self.failure.borrow_mut().get_or_insert(error);
    }
}

impl Host for JsHost {
    fn env(&self, name: &str) -> Option<String> {
        let lookup = self.env.as_ref()?;
        match lookup.call1(&JsValue::NULL, &JsValue::from_str(name)) {
            Ok(v) if v.is_undefined() || v.is_null() => None,
            Ok(v) => match v.as_string() {
                Some(text) => Some(text),
                None => {
                    self.fail(crate::convert::config_error(&format!(
                        "the environment variable {name} must be text"
                    )));
                    None
                }
            },
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
        let Some(read) = self.read_file.as_ref() else {
            return Err(
                "no file can be read here (a browser has no files); pass the JSON text \
                        or the parsed object instead"
                    .to_owned(),
            );
        };
        match read.call1(&JsValue::NULL, &JsValue::from_str(path)) {
            Ok(v) => {
                if let Some(text) = v.as_string() {
                    Ok(text.into_bytes())
                } else if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
                    Ok(bytes.to_vec())
                } else {
                    Err("the file reader returned neither bytes nor text".to_owned())
                }
            }
            Err(e) => Err(read_failure(&e)),
        }
    }
}

/// Why a file could not be read, from the error's `code` alone (Node's `ENOENT` and the
/// like): the message of a Node file error quotes the path, which may be a key given where a
/// path was expected, so it is never shown.
fn read_failure(error: &JsValue) -> String {
    let code = js_sys::Reflect::get(error, &JsValue::from_str("code"))
        .ok()
        .and_then(|c| c.as_string());
    match code.as_deref() {
        Some("ENOENT") => "No such file or directory".to_owned(),
        Some("EACCES" | "EPERM") => "Permission denied".to_owned(),
        Some("EISDIR") => "Is a directory".to_owned(),
        Some("ENOTDIR") => "Not a directory".to_owned(),
        Some("ENAMETOOLONG") => "File name too long".to_owned(),
        Some("ELOOP") => "Too many levels of symbolic links".to_owned(),
        Some(code)
            if code.len() <= 24
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
        {
            format!("the system refused ({code})")
        }
        _ => "the file cannot be read".to_owned(),
    }
}
