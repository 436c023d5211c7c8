//! Injected faults, for testing how clients retry and recover.
//!
//! A plan is a list of rules `METHOD=KIND[:ARG][:PROBABILITY]`, comma-separated, e.g.
//! `AddUser=drop_after_apply:0.1,*=http503:0.05,GetUsers=delay:5:1.0`. For each request the
//! rules whose method matches (`*` matches every method, Voiso's `ListUsers` included) are tried
//! in order, each with its own roll of the seeded dice; the first that fires is injected. The
//! dice are one ChaCha stream seeded by `--seed`, so the same sequence of requests meets the
//! same faults on every run (concurrent requests draw in arrival order).
//!
//! Whether the request is applied matters to a client deciding whether it may resend a write,
//! so each kind says so (see [`FaultKind::applies`]).

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One kind of fault.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    /// HTTP 500 with an HTML body; not applied.
    Http500,
    /// HTTP 502 with an HTML body; not applied.
    Http502,
    /// HTTP 503 with an HTML body and no `Retry-After`; not applied.
    Http503,
    /// HTTP 503 with an HTML body and `Retry-After: SECS`; not applied.
    Http503RetryAfter(u64),
    /// HTTP 429 with `Retry-After: 1`; not applied.
    Http429,
    /// Voximplant error 340 (rate limit) in the usual HTTP 200 envelope; not applied.
    RateLimit,
    /// Voximplant error 162 (try later) in the usual envelope; not applied.
    Busy,
    /// Waits this many milliseconds, then answers normally (applied).
    Delay(u64),
    /// Closes the connection without answering; not applied.
    Reset,
    /// Applies the request, then sends only the first half of the JSON answer (with a
    /// `Content-Length` that matches the half, so the client reads invalid JSON).
    Truncated,
    /// Applies the request, then closes the connection without answering.
    DropAfterApply,
}

/// Every kind's name, in the order of [`FaultCounters`].
pub const KIND_NAMES: [&str; 11] = [
    "http500",
    "http502",
    "http503",
    "http503_retry_after",
    "http429",
    "rate_limit",
    "busy",
    "delay",
    "reset",
    "truncated",
    "drop_after_apply",
];

impl FaultKind {
    pub fn name(self) -> &'static str {
        KIND_NAMES[self.index()]
    }

    fn index(self) -> usize {
        match self {
            Self::Http500 => 0,
            Self::Http502 => 1,
            Self::Http503 => 2,
            Self::Http503RetryAfter(_) => 3,
            Self::Http429 => 4,
            Self::RateLimit => 5,
            Self::Busy => 6,
            Self::Delay(_) => 7,
            Self::Reset => 8,
            Self::Truncated => 9,
            Self::DropAfterApply => 10,
        }
    }

    /// Whether the request is carried out when this fault is injected.
    pub fn applies(self) -> bool {
        matches!(
            self,
            Self::Delay(_) | Self::Truncated | Self::DropAfterApply
        )
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Http503RetryAfter(s) => write!(f, "http503_retry_after:{s}"),
            Self::Delay(ms) => write!(f, "delay:{ms}"),
            other => f.write_str(other.name()),
        }
    }
}

/// `METHOD=KIND[:ARG][:PROBABILITY]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// A method's wire name, or `*`.
    pub method: String,
    pub kind: FaultKind,
    /// 0 to 1; 1 when not given.
    pub probability: f64,
}

impl FaultRule {
    fn matches(&self, method: &str) -> bool {
        self.method == "*" || self.method.eq_ignore_ascii_case(method)
    }
}

/// The faults to inject; empty by default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    pub rules: Vec<FaultRule>,
}

/// A fault spec that cannot be read; the message says which rule and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault spec rule {rule:?}: {reason}")]
pub struct FaultSpecError {
    pub rule: String,
    pub reason: String,
}

impl FromStr for FaultPlan {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let rules = spec
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(parse_rule)
            .collect::<Result<_, _>>()?;
        Ok(Self { rules })
    }
}

fn parse_rule(rule: &str) -> Result<FaultRule, FaultSpecError> {
    let err = |reason: String| FaultSpecError {
        rule: rule.to_owned(),
        reason,
    };
    let (method, rest) = rule
        .split_once('=')
        .ok_or_else(|| err("expected METHOD=KIND[:ARG][:PROBABILITY]".to_owned()))?;
    let method = method.trim();
    let valid_method = method == "*"
        || roster_core::api::METHODS
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(method));
    if !valid_method {
        return Err(err(format!(
            "unknown method {method:?}; use a method's wire name such as AddUser, or *"
        )));
    }
    let mut parts = rest.split(':').map(str::trim);
    let kind_name = parts.next().unwrap_or_default();
    let mut number = |what: &str| -> Result<u64, FaultSpecError> {
        let text = parts
            .next()
            .ok_or_else(|| err(format!("{kind_name} needs {what}")))?;
        text.parse()
            .map_err(|_| err(format!("{what} must be a whole number, got {text:?}")))
    };
    let kind = match kind_name {
        "http500" => FaultKind::Http500,
        "http502" => FaultKind::Http502,
        "http503" => FaultKind::Http503,
        "http503_retry_after" => FaultKind::Http503RetryAfter(number("the Retry-After seconds")?),
        "http429" => FaultKind::Http429,
        "rate_limit" => FaultKind::RateLimit,
        "busy" => FaultKind::Busy,
        "delay" => FaultKind::Delay(number("the delay in milliseconds")?),
        "reset" => FaultKind::Reset,
        "truncated" => FaultKind::Truncated,
        "drop_after_apply" => FaultKind::DropAfterApply,
        other => {
            return Err(err(format!(
                "unknown fault kind {other:?}; one of {}",
                KIND_NAMES.join(", ")
            )));
        }
    };
    let probability = match parts.next() {
        None => 1.0,
        Some(p) => p
            .parse::<f64>()
            .ok()
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(|| {
                err(format!(
                    "probability must be a number from 0 to 1, got {p:?}"
                ))
            })?,
    };
    if let Some(extra) = parts.next() {
        return Err(err(format!("unexpected {extra:?} after the probability")));
    }
    Ok(FaultRule {
        method: method.to_owned(),
        kind,
        probability,
    })
}

impl fmt::Display for FaultPlan {
    /// The spec text that parses back to this plan.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.rules.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}={}:{}", r.method, r.kind, r.probability)?;
        }
        Ok(())
    }
}

/// How many faults of each kind were injected.
#[derive(Debug, Default)]
pub struct FaultCounters([AtomicU64; KIND_NAMES.len()]);

impl FaultCounters {
    /// `(kind name, count)` for every kind.
    pub fn snapshot(&self) -> Vec<(&'static str, u64)> {
        KIND_NAMES
            .iter()
            .zip(&self.0)
            .map(|(n, c)| (*n, c.load(Ordering::Relaxed)))
            .collect()
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

/// The live fault plan, its dice and counters.
pub struct Faults {
    plan: RwLock<FaultPlan>,
    dice: Mutex<ChaCha8Rng>,
    pub counters: FaultCounters,
}

impl Faults {
    pub fn new(plan: FaultPlan, seed: u64) -> Self {
        Self {
            plan: RwLock::new(plan),
            dice: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
            counters: FaultCounters::default(),
        }
    }

    /// Replaces the plan; with a seed, restarts the dice too.
    pub fn set(&self, plan: FaultPlan, seed: Option<u64>) {
        *self
            .plan
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = plan;
        if let Some(seed) = seed {
            *self
                .dice
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                ChaCha8Rng::seed_from_u64(seed);
        }
    }

    pub fn plan(&self) -> FaultPlan {
        self.plan
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The fault to inject into a call of `method`, if any; counted when chosen.
    pub fn pick(&self, method: &str) -> Option<FaultKind> {
        let plan = self
            .plan
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if plan.rules.is_empty() {
            return None;
        }
        let mut dice = self
            .dice
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let kind = plan
            .rules
            .iter()
            .filter(|r| r.matches(method))
            .find(|r| dice.gen::<f64>() < r.probability)
            .map(|r| r.kind)?;
        if let Some(c) = self.counters.0.get(kind.index()) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let plan: FaultPlan = "AddUser=drop_after_apply:0.1, *=http503:0.05,GetUsers=delay:5:1.0,DelUser=http503_retry_after:2".parse().expect("valid");
        assert_eq!(plan.rules.len(), 4);
        assert_eq!(plan.rules[2].kind, FaultKind::Delay(5));
        assert_eq!(plan.rules[3].kind, FaultKind::Http503RetryAfter(2));
        assert_eq!(plan.rules[3].probability, 1.0);
        assert_eq!(
            plan.to_string().parse::<FaultPlan>().expect("round trip"),
            plan
        );
    }

    #[test]
    fn good_errors() {
        let e = "AddUser=explode".parse::<FaultPlan>().unwrap_err();
        assert!(e.reason.contains("unknown fault kind"), "{e}");
        assert!("Nope=reset"
            .parse::<FaultPlan>()
            .unwrap_err()
            .reason
            .contains("unknown method"));
        assert!("*=reset:2"
            .parse::<FaultPlan>()
            .unwrap_err()
            .reason
            .contains("probability"));
        assert!("*=delay"
            .parse::<FaultPlan>()
            .unwrap_err()
            .reason
            .contains("milliseconds"));
        assert!("reset".parse::<FaultPlan>().is_err());
    }

    #[test]
    fn seeded_dice_repeat() {
        let plan: FaultPlan = "*=reset:0.5".parse().expect("valid");
        let run = || {
            let f = Faults::new(plan.clone(), 7);
            (0..64)
                .map(|_| f.pick("GetUsers").is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
        assert!(run().iter().any(|x| *x) && run().iter().any(|x| !*x));
    }
}
