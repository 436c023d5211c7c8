//! The value types the generated records use, and how they convert to and from the core's.
//!
//! Money crosses the FFI as its exact decimal text and becomes `java.math.BigDecimal` in Kotlin
//! and `Decimal` in Swift (see `uniffi.toml`); it is never a binary float. Secrets cross as a
//! `Secret` whose `toString`/`description` prints `[redacted]`, so a logged parameter record
//! cannot show a password.

use std::collections::HashMap;
use std::time::SystemTime;

use roster_core::{Date, Decimal, OffsetDateTime};
use serde_json::{Map, Value};

/// An exact decimal amount (money, probabilities), as its decimal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money(pub String);
uniffi::custom_newtype!(Money, String);

/// A password, key or token: redacted whenever a host prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);
uniffi::custom_newtype!(Secret, String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Ids of records, or every record (`all`), for parameters that accept both.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum IdList {
    All,
    Ids { ids: Vec<i64> },
}

/// A value of a generated record read from the core's typed answer.
pub(crate) trait FromCore<C>: Sized {
    fn from_core(core: C) -> Self;
}

macro_rules! same {
    ($($t:ty),*) => {$(
        impl FromCore<$t> for $t {
            fn from_core(core: $t) -> Self { core }
        }
    )*};
}
same!(i64, bool, String);

impl<C, T: FromCore<C>> FromCore<Option<C>> for Option<T> {
    fn from_core(core: Option<C>) -> Self {
        core.map(T::from_core)
    }
}

impl<C, T: FromCore<C>> FromCore<Vec<C>> for Vec<T> {
    fn from_core(core: Vec<C>) -> Self {
        core.into_iter().map(T::from_core).collect()
    }
}

impl FromCore<Decimal> for Money {
    fn from_core(core: Decimal) -> Self {
        Money(core.to_string())
    }
}

impl FromCore<OffsetDateTime> for SystemTime {
    fn from_core(core: OffsetDateTime) -> Self {
        core.into()
    }
}

/// Dates cross as `YYYY-MM-DD`.
impl FromCore<Date> for String {
    fn from_core(core: Date) -> Self {
        core.to_string()
    }
}

/// `json` fields cross as their JSON text.
impl FromCore<Value> for String {
    fn from_core(core: Value) -> Self {
        core.to_string()
    }
}

/// Fields the spec does not name: name to JSON text.
impl FromCore<Map<String, Value>> for HashMap<String, String> {
    fn from_core(core: Map<String, Value>) -> Self {
        // Nearly always empty, and every record has one: skip the iterator for those.
        if core.is_empty() {
            return HashMap::new();
        }
        core.into_iter().map(|(k, v)| (k, v.to_string())).collect()
    }
}

/// A parameter value of a generated record, in the JSON form the core's call by name takes
/// (and validates exactly as the conformance vectors do).
pub(crate) trait ToParam {
    fn to_param(self) -> Value;
}

impl ToParam for i64 {
    fn to_param(self) -> Value {
        self.into()
    }
}

impl ToParam for bool {
    fn to_param(self) -> Value {
        self.into()
    }
}

impl ToParam for String {
    fn to_param(self) -> Value {
        self.into()
    }
}

impl ToParam for Secret {
    fn to_param(self) -> Value {
        self.0.into()
    }
}

impl ToParam for Money {
    fn to_param(self) -> Value {
        self.0.into()
    }
}

impl ToParam for IdList {
    fn to_param(self) -> Value {
        match self {
            IdList::All => "all".into(),
            IdList::Ids { ids } => ids.into(),
        }
    }
}

impl<T: ToParam> ToParam for Vec<T> {
    fn to_param(self) -> Value {
        Value::Array(self.into_iter().map(ToParam::to_param).collect())
    }
}

/// Adds `value` under `name` unless it is absent.
pub(crate) fn put<T: ToParam>(map: &mut Map<String, Value>, name: &str, value: Option<T>) {
    if let Some(v) = value {
        map.insert(name.to_owned(), v.to_param());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_its_scale() {
        let d = Decimal::from_str_exact("15.750").unwrap();
        assert_eq!(Money::from_core(d).0, "15.750");
    }

    #[test]
    fn secret_debug_is_redacted() {
        assert_eq!(format!("{:?}", Secret("S3cure!pass".into())), "[redacted]");
    }

    #[test]
    fn id_lists_become_json() {
        assert_eq!(IdList::All.to_param(), Value::from("all"));
        assert_eq!(
            IdList::Ids { ids: vec![1, 5] }.to_param(),
            serde_json::json!([1, 5])
        );
    }
}
