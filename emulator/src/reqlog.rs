//! The request log the admin endpoint reads: the last N requests, with secrets redacted
//! (`user_password`, `api_key` and every parameter the spec marks secret; the `Authorization`
//! header is never recorded, only whether one was present).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;

/// What replaces a secret value.
pub const REDACTED: &str = "[redacted]";

const ALWAYS_SECRET: [&str; 2] = ["user_password", "api_key"];

#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub seq: u64,
    /// Virtual time, `YYYY-MM-DD HH:MM:SS`.
    pub time: String,
    pub http_method: String,
    pub path: String,
    /// The API method, when one was named.
    pub method: Option<String>,
    pub params: BTreeMap<String, String>,
    pub authorization: bool,
    /// The HTTP status sent (0 when the connection was closed without an answer).
    pub status: u16,
    /// The Voximplant error code of the answer, if it was an error.
    pub error_code: Option<i64>,
    pub fault: Option<String>,
}

#[derive(Debug)]
pub struct RequestLog {
    capacity: usize,
    entries: Mutex<(u64, VecDeque<LogEntry>)>,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new((0, VecDeque::new())),
        }
    }

    /// Records an entry, redacting `secrets` (and the always-secret names) in its parameters.
    pub fn push(&self, mut entry: LogEntry, secrets: &[&str]) {
        if self.capacity == 0 {
            return;
        }
        for (k, v) in &mut entry.params {
            if ALWAYS_SECRET.contains(&k.as_str()) || secrets.contains(&k.as_str()) {
                *v = REDACTED.to_owned();
            }
        }
        let mut guard = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0 += 1;
        entry.seq = guard.0;
        if guard.1.len() >= self.capacity {
            guard.1.pop_front();
        }
        guard.1.push_back(entry);
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
            .iter()
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
            .clear();
    }
}
