//! The request log the admin endpoint reads: the last N requests, with secrets redacted
//! (`user_password`, `api_key` and every parameter the spec marks secret; the `Authorization`
//! header is never recorded, only whether one was present).
//!
//! An entry keeps a bounded excerpt of its request, never the whole of it: at most
//! [`EXCERPT_BYTES`] of parameters (keys and values together, in key order, and no more than
//! [`EXCERPT_PARAMS`] of them), of the path, and [`METHOD_BYTES`] of the API and HTTP method
//! names, with the body's original length in `body_bytes` and `truncated` set when anything was
//! cut. Otherwise every body up to the limit would stay in
//! memory for as long as its entry does (1000 entries by default), which is what let a few
//! large requests grow the emulator by hundreds of MB (security review, issue 14).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;

/// What replaces a secret value.
pub const REDACTED: &str = "[redacted]";

const ALWAYS_SECRET: [&str; 2] = ["user_password", "api_key"];

/// The most bytes of parameters (keys and values together) an entry keeps, and of its path.
pub const EXCERPT_BYTES: usize = 2048;
/// The most parameters an entry keeps (methods take under 20): without this cap, 2 KiB of
/// one-letter parameters would cost far more in map nodes and allocations than in bytes.
pub const EXCERPT_PARAMS: usize = 64;
/// The most bytes of a method name (API or HTTP) an entry keeps (real names are under 30).
pub const METHOD_BYTES: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub seq: u64,
    /// Virtual time, `YYYY-MM-DD HH:MM:SS`.
    pub time: String,
    /// The HTTP method, cut to [`METHOD_BYTES`].
    pub http_method: String,
    /// The path, cut to [`EXCERPT_BYTES`].
    pub path: String,
    /// The API method, when one was named (cut to [`METHOD_BYTES`]).
    pub method: Option<String>,
    /// The parameters (query and body), secrets redacted, cut to [`EXCERPT_BYTES`] of keys and
    /// values together and [`EXCERPT_PARAMS`] parameters, in key order.
    pub params: BTreeMap<String, String>,
    /// The body's length in bytes: as read, or as declared when it was refused unread.
    pub body_bytes: u64,
    /// Whether the path, method or parameters were cut to fit the excerpt.
    pub truncated: bool,
    pub authorization: bool,
    /// The HTTP status sent (0 when the connection was closed without an answer).
    pub status: u16,
    /// The Voximplant error code of the answer, if it was an error.
    pub error_code: Option<i64>,
    pub fault: Option<String>,
}

impl LogEntry {
    /// The entry of a request that has just arrived, its HTTP method and path cut to the
    /// excerpt (hyper accepts heads of a few hundred KB). The handler fills in the rest.
    pub fn new(time: String, http_method: &str, path: &str, authorization: bool) -> Self {
        let kept_method = clip(http_method, METHOD_BYTES);
        let kept_path = clip(path, EXCERPT_BYTES);
        Self {
            seq: 0,
            time,
            http_method: kept_method.to_owned(),
            path: kept_path.to_owned(),
            method: None,
            params: BTreeMap::new(),
            body_bytes: 0,
            truncated: kept_method.len() < http_method.len() || kept_path.len() < path.len(),
            authorization,
            status: 0,
            error_code: None,
            fault: None,
        }
    }

    /// Records the method name, cut to [`METHOD_BYTES`].
    pub fn record_method(&mut self, name: Option<&str>) {
        self.method = name.map(|n| {
            let kept = clip(n, METHOD_BYTES);
            self.truncated |= kept.len() < n.len();
            kept.to_owned()
        });
    }

    /// Records an excerpt of `params`, copying no more than the excerpt of them: a request's
    /// parameters can hold up to the body limit, and the entry outlives the request.
    pub fn record_params(&mut self, params: &BTreeMap<String, String>) {
        let (kept, cut) = excerpt(params, |k| ALWAYS_SECRET.contains(&k));
        self.params = kept;
        self.truncated |= cut;
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// At most [`EXCERPT_BYTES`] of `params`' keys and values and [`EXCERPT_PARAMS`] of them, in
/// key order, the values of the
/// `secret` keys replaced by [`REDACTED`]; and whether anything was left out. Freshly allocated,
/// so nothing of a large original is kept alive.
fn excerpt(
    params: &BTreeMap<String, String>,
    secret: impl Fn(&str) -> bool,
) -> (BTreeMap<String, String>, bool) {
    let mut kept = BTreeMap::new();
    let mut budget = EXCERPT_BYTES;
    for (k, v) in params {
        if k.len() > budget || kept.len() == EXCERPT_PARAMS {
            return (kept, true);
        }
        budget -= k.len();
        let v = if secret(k) { REDACTED } else { v.as_str() };
        let part = clip(v, budget);
        budget -= part.len();
        kept.insert(k.clone(), part.to_owned());
        if part.len() < v.len() {
            return (kept, true);
        }
    }
    (kept, false)
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

    /// Records an entry, redacting `secrets` (and the always-secret names) in its parameters
    /// and keeping them within the excerpt.
    pub fn push(&self, mut entry: LogEntry, secrets: &[&str]) {
        if self.capacity == 0 {
            return;
        }
        let (params, cut) = excerpt(&entry.params, |k| {
            ALWAYS_SECRET.contains(&k) || secrets.contains(&k)
        });
        entry.params = params;
        entry.truncated |= cut;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> LogEntry {
        LogEntry::new(String::new(), "POST", "/platform_api/AddUser", false)
    }

    #[test]
    fn clip_keeps_whole_characters() {
        assert_eq!(clip("añb", 2), "a");
        assert_eq!(clip("añb", 3), "añ");
        assert_eq!(clip("ab", 10), "ab");
        assert_eq!(clip("", 0), "");
    }

    #[test]
    fn params_are_cut_to_the_excerpt_and_redacted() {
        let params: BTreeMap<String, String> = [
            ("a_secret", "hunter2"),
            ("b", &"x".repeat(5000)),
            ("c", "past the excerpt"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let mut e = entry();
        e.record_params(&params);
        assert!(e.truncated);
        assert!(!e.params.contains_key("c"));
        let log = RequestLog::new(10);
        log.push(e, &["a_secret"]);
        let kept = &log.entries()[0];
        assert_eq!(kept.params["a_secret"], REDACTED);
        let size: usize = kept.params.iter().map(|(k, v)| k.len() + v.len()).sum();
        assert_eq!(size, EXCERPT_BYTES);

        let mut small = entry();
        small.record_params(&BTreeMap::from([("api_key".to_owned(), "k".to_owned())]));
        assert_eq!(small.params["api_key"], REDACTED);
        assert!(!small.truncated);
        small.record_method(Some(&"M".repeat(200)));
        assert_eq!(small.method.as_deref().map(str::len), Some(METHOD_BYTES));
        assert!(small.truncated);

        let long = LogEntry::new(String::new(), &"X".repeat(500), &"/p".repeat(2000), false);
        assert_eq!(long.http_method.len(), METHOD_BYTES);
        assert_eq!(long.path.len(), EXCERPT_BYTES);
        assert!(long.truncated);
    }

    #[test]
    fn many_small_params_are_capped_by_count() {
        let params: BTreeMap<String, String> = (0..500)
            .map(|i| (format!("{i:03}"), String::new()))
            .collect();
        let mut e = entry();
        e.record_params(&params);
        assert_eq!(e.params.len(), EXCERPT_PARAMS);
        assert!(e.truncated);
    }
}
