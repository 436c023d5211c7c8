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

/// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC); years outside 0..=9999 give `""`.
/// Written by hand (days to civil date) because it runs several times per listed user.
pub fn format_datetime(unix: i64) -> String {
    let mut buf = [0u8; 19];
    write_datetime(unix, &mut buf)
        .unwrap_or_default()
        .to_owned()
}

/// Writes `YYYY-MM-DD HH:MM:SS` into `buf` without allocating (list answers write three per
/// user); `None` outside years 0..=9999.
pub fn write_datetime(unix: i64, buf: &mut [u8; 19]) -> Option<&str> {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let fields = [
        (year, 4),
        (month, 2),
        (day, 2),
        (secs / 3600, 2),
        (secs % 3600 / 60, 2),
        (secs % 60, 2),
    ];
    let mut at = 0;
    for (i, (value, width)) in fields.into_iter().enumerate() {
        if i > 0 {
            buf[at] = match i {
                1 | 2 => b'-',
                3 => b' ',
                _ => b':',
            };
            at += 1;
        }
        let mut v = value;
        for k in (0..width).rev() {
            // Each field is in range, so every digit is 0..=9.
            buf[at + k] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        at += width;
    }
    std::str::from_utf8(buf).ok()
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A Unix time written as a Voximplant datetime, or `""` for none, without allocating.
#[derive(Clone, Copy)]
pub struct Datetime(pub Option<i64>);

impl serde::Serialize for Datetime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 19];
        s.serialize_str(
            self.0
                .and_then(|t| write_datetime(t, &mut buf))
                .unwrap_or_default(),
        )
    }
}

/// Serde helper: a Unix-seconds field written as a Voximplant datetime.
pub fn serialize_datetime<S: Serializer>(unix: &i64, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 19];
    s.serialize_str(write_datetime(*unix, &mut buf).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_match_the_time_crate() {
        let fmt =
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        for t in [
            0_i64,
            951_782_400,
            1_700_000_000,
            4_102_444_799,
            -86_401,
            253_402_300_799,
        ] {
            let expected = time::OffsetDateTime::from_unix_timestamp(t)
                .expect("in range")
                .format(fmt)
                .expect("formats");
            assert_eq!(format_datetime(t), expected, "{t}");
        }
        assert_eq!(format_datetime(i64::MAX), "");
    }
}
