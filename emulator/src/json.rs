//! JSON writing helpers shared by the answers and the state dump.
//!
//! Money must reach clients as a JSON number with its exact decimal text (`1000.00`, not
//! `1000.0`): serde_json without `arbitrary_precision` would route a number through `f64`, so the
//! text is written as a raw value instead.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A decimal written as a raw JSON number with its exact text.
#[derive(Debug, Clone, Copy)]
pub struct Money<'a>(pub &'a Decimal);

impl Serialize for Money<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        raw_money(self.0).serialize(s)
    }
}

/// A decimal's exact text as a raw JSON number, made once and written as often as needed.
pub enum RawMoney {
    Number(Box<RawValue>),
    /// A decimal's text is always a valid JSON number; were it not, it is sent as a string.
    Text(String),
}

impl Serialize for RawMoney {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(raw) => raw.serialize(s),
            Self::Text(text) => s.serialize_str(text),
        }
    }
}

pub fn raw_money(d: &Decimal) -> RawMoney {
    let text = d.to_string();
    match RawValue::from_string(text) {
        Ok(raw) => RawMoney::Number(raw),
        Err(_) => RawMoney::Text(d.to_string()),
    }
}

/// Serialises a value to bytes; our own types cannot fail, but a failure still gives JSON.
/// The buffer starts at the size of a typical page of users, so it is not regrown field by
/// field on the hot path of the load benchmark.
pub fn to_vec<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * 1024);
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => out,
        Err(_) => b"{}".to_vec(),
    }
}
