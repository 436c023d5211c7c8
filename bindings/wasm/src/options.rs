//! Client and call options as the JS side passes them.

use std::time::Duration;

use roster_core::{Error, RetryPolicy};
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
    pub jitter_percent: Option<u8>,
    pub deadline_ms: Option<u64>,
    pub connect_timeout_ms: Option<u64>,
    pub attempt_timeout_ms: Option<u64>,
}

impl RetryOptions {
    pub fn apply(&self, mut p: RetryPolicy) -> RetryPolicy {
        let ms = Duration::from_millis;
        if let Some(v) = self.max_attempts {
            p.max_attempts = v.max(1);
        }
        if let Some(v) = self.base_backoff_ms {
            p.base_backoff = ms(v);
        }
        if let Some(v) = self.max_backoff_ms {
            p.max_backoff = ms(v);
        }
        if let Some(v) = self.jitter_percent {
            p.jitter_percent = v.min(100);
        }
        if let Some(v) = self.deadline_ms {
            p.deadline = (v > 0).then(|| ms(v));
        }
        if let Some(v) = self.connect_timeout_ms {
            p.connect_timeout = ms(v);
        }
        if let Some(v) = self.attempt_timeout_ms {
            p.attempt_timeout = ms(v);
        }
        p
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
