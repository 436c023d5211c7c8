//! Tolerant reading of response fields.
//!
//! Servers do not always send what their documentation says (see `shared/wire-facts.md`):
//! Voiso's `employee_id` is documented as a string and sent as a number, Voximplant sends `""`
//! for a datetime that has no value, phone numbers arrive as JSON numbers beyond 32 bits. Each
//! seed here reads one field type and accepts every form that carries the same meaning. `null`
//! always means "absent". A value that cannot mean the declared type is still an error: reading
//! tolerantly is not the same as guessing.
//!
//! The seeds are used by the generated `Deserialize` impls, which read straight from the body
//! bytes in one pass (no intermediate `serde_json::Value`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::values::{DATETIME_FORMAT, DATE_FORMAT};
use crate::{Date, Decimal, OffsetDateTime};

/// An object key, borrowed from the input when it has no escapes.
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(s) => s,
            Self::Owned(s) => s,
        }
    }

    pub fn into_string(self) -> String {
        match self {
            Self::Borrowed(s) => s.to_owned(),
            Self::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// Declares a unit seed whose visitor yields `Option<$ty>` through `deserialize_any`.
macro_rules! seed {
    ($(#[$doc:meta])* $name:ident => $ty:ty, $expecting:literal, { $($body:tt)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default)]
        pub struct $name;

        impl<'de> DeserializeSeed<'de> for $name {
            type Value = Option<$ty>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Option<$ty>;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                        Ok(None)
                    }
                    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                        Ok(None)
                    }
                    $($body)*
                }
                d.deserialize_any(V)
            }
        }
    };
}

seed!(
    /// `int`: a JSON integer, a float with no fraction, or a numeric string.
    IntSeed => i64, "an integer", {
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v).map(Some).map_err(|_| E::custom(format!("integer {v} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(Some(v as i64))
        } else {
            Err(E::custom(format!("expected an integer, got {v}")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|_| E::custom(format!("expected an integer, got {v:?}")))
    }
});

seed!(
    /// `string`: a JSON string, or a number or boolean in its JSON spelling.
    StrSeed => String, "a string", {
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
});

seed!(
    /// `bool`: `true`/`false`, `1`/`0`, or those spelled as strings.
    BoolSeed => bool, "a boolean", {
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::custom(format!("expected a boolean, got {v}"))),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err(E::custom(format!("expected a boolean, got {v:?}"))),
        }
    }
});

seed!(
    /// `date`: `YYYY-MM-DD` (a datetime's date part is accepted); `""` is absent. Generated
    /// readers use it for answer fields of type `date`; today's spec has none.
    #[allow(dead_code)]
    DateSeed => Date, "a date YYYY-MM-DD", {
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let head = t.get(..10).unwrap_or(t);
        Date::parse(head, DATE_FORMAT)
            .map(Some)
            .map_err(|_| E::custom(format!("expected a date YYYY-MM-DD, got {v:?}")))
    }
});

seed!(
    /// `datetime`: `YYYY-MM-DD HH:MM:SS` in UTC, RFC 3339, or Unix seconds; `""` is absent.
    DateTimeSeed => OffsetDateTime, "a datetime YYYY-MM-DD HH:MM:SS", {
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_datetime(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        OffsetDateTime::from_unix_timestamp(v)
            .map(Some)
            .map_err(|_| E::custom(format!("timestamp {v} is out of range")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }
});

/// Parses a response datetime; `Ok(None)` for the empty string.
pub(crate) fn parse_datetime(v: &str) -> Result<Option<OffsetDateTime>, String> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(dt) = time::PrimitiveDateTime::parse(t, DATETIME_FORMAT) {
        return Ok(Some(dt.assume_utc()));
    }
    if let Ok(dt) = OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339) {
        return Ok(Some(dt));
    }
    Err(format!(
        "expected a datetime YYYY-MM-DD HH:MM:SS, got {v:?}"
    ))
}

seed!(
    /// `csv`: a comma-separated string (`"3623, 2481"`) or a JSON array; items trimmed.
    CsvSeed => Vec<String>, "a comma-separated list", {
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(vec![v.to_string()]))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(vec![v.to_string()]))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(StrSeed)? {
            out.extend(item);
        }
        Ok(Some(out))
    }
});

/// `json`: any value, kept as it is.
#[derive(Clone, Copy, Default)]
pub struct JsonSeed;

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Option<serde_json::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(None),
            v => Ok(Some(v)),
        }
    }
}

/// `decimal`: the exact decimal text of a JSON number, or a numeric string.
///
/// A JSON number is never routed through `f64`: the raw text is captured and parsed as a
/// decimal, so `0.1` stays `0.1`.
#[derive(Clone, Copy, Default)]
pub struct DecimalSeed;

impl<'de> DeserializeSeed<'de> for DecimalSeed {
    type Value = Option<Decimal>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let text = raw.get().trim();
        if text == "null" {
            return Ok(None);
        }
        let unquoted;
        let number = if text.starts_with('"') {
            unquoted = serde_json::from_str::<String>(text).map_err(de::Error::custom)?;
            unquoted.trim()
        } else {
            text
        };
        if number.is_empty() {
            return Ok(None);
        }
        crate::params::parse_decimal(number)
            .map(Some)
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "expected a decimal number, got {}",
                    truncate(number)
                ))
            })
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// A struct, or `null` for absent.
pub struct StructSeed<T>(PhantomData<fn() -> T>);

impl<T> StructSeed<T> {
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for StructSeed<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for StructSeed<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for StructSeed<T> {}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for StructSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Option::<T>::deserialize(d)
    }
}

/// `[T]`: a JSON array (null items are skipped), or a single object read as a list of one.
#[derive(Clone, Copy)]
pub struct ListSeed<S>(pub S);

impl<'de, S, T> DeserializeSeed<'de> for ListSeed<S>
where
    S: DeserializeSeed<'de, Value = Option<T>> + Copy,
{
    type Value = Option<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V<S>(S);
        impl<'de, S, T> Visitor<'de> for V<S>
        where
            S: DeserializeSeed<'de, Value = Option<T>> + Copy,
        {
            type Value = Option<Vec<T>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(self.0)? {
                    out.extend(item);
                }
                Ok(Some(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let one = self
                    .0
                    .deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Some(one.into_iter().collect()))
            }
        }
        d.deserialize_any(V(self.0))
    }
}
