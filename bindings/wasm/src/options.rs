//! Client and call options as the JS side passes them.

use roster_core::{Error, RetryOverrides};
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// `{ baseUrl, retry, seed, browser }`; functions (`fetch`, `onAttempt`) come as arguments.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientOptions {
    pub base_url: Option<String>,
    pub retry: Option<RetryOptions>,
    /// Seeds retry jitter; the clock when absent.
    pub seed: Option<f64>,
    /// Running in a browser: headers a page may not set are left out.
    pub browser: bool,
}

/// Overrides of [`RetryPolicy`], in milliseconds. `deadlineMs: 0` means no deadline.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RetryOptions {
    pub max_attempts: Option<u32>,
    pub base_backoff_ms: Option<u64>,
    pub max_backoff_ms: Option<u64>,
    pub jitter_percent: Option<u32>,
    pub deadline_ms: Option<u64>,
    pub connect_timeout_ms: Option<u64>,
    pub attempt_timeout_ms: Option<u64>,
}

impl RetryOptions {
    /// The core's overrides: the one meaning of every retry setting in every binding.
    pub fn overrides(&self) -> RetryOverrides {
        RetryOverrides {
            max_attempts: self.max_attempts,
            base_backoff_ms: self.base_backoff_ms,
            max_backoff_ms: self.max_backoff_ms,
            jitter_percent: self.jitter_percent,
            deadline_ms: self.deadline_ms,
            connect_timeout_ms: self.connect_timeout_ms,
            attempt_timeout_ms: self.attempt_timeout_ms,
        }
    }
}

/// Reads a JS options object; `undefined` gives the defaults.
pub fn read<T: for<'de> Deserialize<'de> + Default>(what: &str, js: &JsValue) -> Result<T, Error> {
    if js.is_undefined() || js.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(js.clone())
        .map_err(|e| Error::Config(format!("invalid {what}: {e}")))
}
