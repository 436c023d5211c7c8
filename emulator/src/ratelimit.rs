//! Per-account rate limiting (off by default): more than N requests in one wall-clock second
//! are refused with error 340, not executed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct RateLimiter {
    per_second: Option<u32>,
    windows: Mutex<HashMap<i64, (u64, u32)>>,
}

impl RateLimiter {
    pub fn new(per_second: Option<u32>) -> Self {
        Self {
            per_second,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `account`; `false` when it is over the limit.
    pub fn allow(&self, account: i64) -> bool {
        let Some(limit) = self.per_second else {
            return true;
        };
        let second = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = windows.entry(account).or_insert((second, 0));
        if window.0 != second {
            *window = (second, 0);
        }
        window.1 = window.1.saturating_add(1);
        window.1 <= limit
    }
}
