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
        match RawValue::from_string(self.0.to_string()) {
            Ok(raw) => raw.serialize(s),
            Err(_) => s.serialize_str(&self.0.to_string()),
        }
    }
}

/// Serialises a value to bytes; our own types cannot fail, but a failure still gives JSON.
pub fn to_vec<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}
