//! The virtual clock. Token checks and `created`/`modified` stamps read it, so a test can move
//! time (expire a token, issue one "in the future") without waiting. It runs with the system
//! clock, shifted by an offset the admin endpoint sets.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serializer;

#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

/// `YYYY-MM-DD HH:MM:SS`, UTC, the Voximplant datetime form.
const DATETIME: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Clock {
    /// Unix seconds on the virtual clock.
    pub fn now(&self) -> i64 {
        system_now().saturating_add(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Makes the virtual clock read `unix` now (it keeps running from there).
    pub fn set(&self, unix: i64) {
        self.offset_secs
            .store(unix.saturating_sub(system_now()), Ordering::Relaxed);
    }

    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }

    /// Back to the system clock.
    pub fn reset(&self) {
        self.offset_secs.store(0, Ordering::Relaxed);
    }

    pub fn offset(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }
}

/// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC); out-of-range values give `""`.
pub fn format_datetime(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(DATETIME).ok())
        .unwrap_or_default()
}

/// Serde helper: a Unix-seconds field written as a Voximplant datetime.
pub fn serialize_datetime<S: Serializer>(unix: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_datetime(*unix))
}
