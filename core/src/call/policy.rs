//! How hard a call tries: attempts, backoff, jitter, timeouts and the overall deadline.

use std::time::Duration;

/// The retry and timeout settings of a client, or of one call.
///
/// Which failures are retried is not configurable: it follows from what the answer proves (see
/// [`crate::call`]). These settings only bound how often and how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests sent for one call, lookups included; 1 disables retries.
    pub max_attempts: u32,
    /// The first backoff; each further retry doubles it.
    pub base_backoff: Duration,
    /// No backoff is longer than this. A delay the server asks for (416, `Retry-After`) is
    /// honoured as asked, since retrying sooner only earns another refusal; the deadline
    /// bounds it instead.
    pub max_backoff: Duration,
    /// The share of each backoff that is randomised, 0 to 100 percent: a backoff `d` becomes a
    /// delay between `d * (1 - jitter)` and `d`, so clients that failed together do not retry
    /// together.
    pub jitter_percent: u8,
    /// The longest the whole call may take, retries and sleeps included.
    pub deadline: Option<Duration>,
    /// Handed to the transport for connecting.
    pub connect_timeout: Duration,
    /// Handed to the transport for one exchange; shortened to what is left of the deadline.
    pub attempt_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            jitter_percent: 50,
            deadline: Some(Duration::from_secs(90)),
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries: what the vendor clients do.
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The delay before retry number `retry` (1 for the first retry), jittered with `unit`, a
    /// random number in `[0, 1)`.
    pub(crate) fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        let full = self
            .base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let jitter = f64::from(self.jitter_percent.min(100)) / 100.0;
        let keep = 1.0 - jitter * unit.clamp(0.0, 1.0);
        full.mul_f64(keep.clamp(0.0, 1.0))
    }
}

/// Changes to a [`RetryPolicy`], every field optional: the one form in which every binding
/// takes retry settings, for a client or for one call, so they mean the same everywhere.
///
/// Durations are in milliseconds. `deadline_ms: 0` switches the deadline off. A value the
/// policy cannot hold is refused with a `config` error naming the field, never clamped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetryOverrides {
    /// Requests sent for one call, lookups included, at least 1; 1 disables retries.
    pub max_attempts: Option<u32>,
    /// The first backoff; each further retry doubles it.
    pub base_backoff_ms: Option<u64>,
    /// No backoff is longer than this (a delay the server asks for is honoured as asked).
    pub max_backoff_ms: Option<u64>,
    /// The randomised share of each backoff, 0 to 100.
    pub jitter_percent: Option<u32>,
    /// The longest a whole call may take, retries and sleeps included; 0: no deadline.
    pub deadline_ms: Option<u64>,
    /// The longest connecting may take, at least 1.
    pub connect_timeout_ms: Option<u64>,
    /// The longest one exchange may take, at least 1.
    pub attempt_timeout_ms: Option<u64>,
}

impl RetryOverrides {
    /// Reads overrides from JSON (`null` is no override); unknown fields and wrong types are
    /// `config` errors naming the field.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, crate::Error> {
        if value.is_null() {
            return Ok(Self::default());
        }
        serde_json::from_value(value.clone())
            .map_err(|e| crate::Error::Config(format!("retry settings: {e}")))
    }

    /// `base` with these overrides applied.
    pub fn apply(&self, base: RetryPolicy) -> Result<RetryPolicy, crate::Error> {
        let ms = Duration::from_millis;
        let refuse = |field: &str, rule: &str, got: u64| {
            crate::Error::Config(format!("retry.{field} must be {rule}, got {got}"))
        };
        let mut p = base;
        if let Some(v) = self.max_attempts {
            if v == 0 {
                return Err(refuse("max_attempts", "at least 1", 0));
            }
            p.max_attempts = v;
        }
        if let Some(v) = self.base_backoff_ms {
            p.base_backoff = ms(v);
        }
        if let Some(v) = self.max_backoff_ms {
            p.max_backoff = ms(v);
        }
        if let Some(v) = self.jitter_percent {
            p.jitter_percent = u8::try_from(v)
                .ok()
                .filter(|v| *v <= 100)
                .ok_or_else(|| refuse("jitter_percent", "0 to 100", u64::from(v)))?;
        }
        if let Some(v) = self.deadline_ms {
            p.deadline = (v > 0).then(|| ms(v));
        }
        if let Some(v) = self.connect_timeout_ms {
            if v == 0 {
                return Err(refuse("connect_timeout_ms", "at least 1", 0));
            }
            p.connect_timeout = ms(v);
        }
        if let Some(v) = self.attempt_timeout_ms {
            if v == 0 {
                return Err(refuse("attempt_timeout_ms", "at least 1", 0));
            }
            p.attempt_timeout = ms(v);
        }
        Ok(p)
    }
}

/// The time limits the transport applies to one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The longest connecting may take; never more than `total`.
    pub connect: Duration,
    /// The whole exchange, from sending to the last byte of the answer.
    pub total: Duration,
}

/// A small seeded random source (SplitMix64) for jitter. Deterministic for a seed, so tests
/// and chaos runs repeat; bindings seed it from the clock or a caller's seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A sequence starting from `seed`; the same seed gives the same numbers.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 pseudo-random bits of the sequence.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        // 53 random bits are exactly representable.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            jitter_percent: 0,
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(1, 0.7), Duration::from_millis(100));
        assert_eq!(p.backoff(2, 0.7), Duration::from_millis(200));
        assert_eq!(p.backoff(3, 0.7), Duration::from_millis(350));
        assert_eq!(p.backoff(40, 0.7), Duration::from_millis(350));
    }

    #[test]
    fn overrides_change_only_what_they_name_and_can_switch_the_deadline_off() {
        let d = RetryPolicy::default();
        assert_eq!(RetryOverrides::default().apply(d).unwrap(), d);
        let o =
            RetryOverrides::from_json(&serde_json::json!({"max_attempts": 1, "deadline_ms": 0}))
                .unwrap();
        let p = o.apply(d).unwrap();
        assert_eq!((p.max_attempts, p.deadline), (1, None));
        assert_eq!(p.base_backoff, d.base_backoff);
        for (bad, field) in [
            (serde_json::json!({"max_attempts": 0}), "max_attempts"),
            (serde_json::json!({"jitter_percent": 101}), "jitter_percent"),
            (
                serde_json::json!({"attempt_timeout_ms": 0}),
                "attempt_timeout_ms",
            ),
            (serde_json::json!({"max_attempts": -1}), "invalid value"),
            (
                serde_json::json!({"deadline": 5}),
                "unknown field `deadline`",
            ),
        ] {
            let e = RetryOverrides::from_json(&bad)
                .and_then(|o| o.apply(d))
                .unwrap_err();
            assert_eq!(e.code(), "config");
            assert!(e.to_string().contains(field), "{e}");
        }
    }

    #[test]
    fn jitter_stays_within_its_share() {
        let p = RetryPolicy {
            jitter_percent: 50,
            base_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(1000));
        assert_eq!(p.backoff(1, 0.5), Duration::from_millis(750));
        let mut rng = SplitMix64::new(7);
        for _ in 0..1000 {
            let d = p.backoff(1, rng.next_unit());
            assert!(d > Duration::from_millis(500) && d <= Duration::from_millis(1000));
        }
    }
}
