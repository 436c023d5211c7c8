//! JSON forms of response values for the bindings: money as decimal strings (never a float),
//! dates as `YYYY-MM-DD`, datetimes as RFC 3339 in UTC (`2024-04-20T09:15:42Z`).

use serde::Serializer;

use crate::values::{DATE_FORMAT, RFC3339_UTC};
use crate::{Date, Decimal, OffsetDateTime};

pub fn decimal<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Writes an answer field of type `date`; used by generated code when the spec has one
/// (today's has none).
#[allow(dead_code)]
pub fn date<S: Serializer>(v: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match v.map(|d| d.format(DATE_FORMAT)) {
        Some(Ok(text)) => s.serialize_str(&text),
        Some(Err(e)) => Err(serde::ser::Error::custom(e)),
        None => s.serialize_none(),
    }
}

pub fn datetime<S: Serializer>(v: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    let utc = v.map(|d| d.to_offset(time::UtcOffset::UTC).format(RFC3339_UTC));
    match utc {
        Some(Ok(text)) => s.serialize_str(&text),
        Some(Err(e)) => Err(serde::ser::Error::custom(e)),
        None => s.serialize_none(),
    }
}
