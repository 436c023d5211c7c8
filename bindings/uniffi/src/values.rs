//! The value types the generated records use, and how they convert to and from the core's.
//!
//! Money crosses the FFI as its exact decimal text and becomes `java.math.BigDecimal` in Kotlin
//! and `Decimal` in Swift (see `uniffi.toml`); it is never a binary float. Secrets cross as a
//! `Secret` whose `toString`/`description` prints `[redacted]`, so a logged parameter record
//! cannot show a password.
//!
//! Text a host hands in (parameters, the JSON of a call by name, secrets) crosses as [`HostText`]
//! or [`Secret`]: its UTF-8 bytes, checked here. A Kotlin `String` can hold a lone surrogate
//! (half of a UTF-16 pair), which has no UTF-8 form: uniffi's own `String` would throw an
//! untyped `MalformedInputException` naming nothing, and `String.toByteArray` would send `?` in
//! its place. Kotlin's `textBytes` hands it over as the three bytes of its code unit instead,
//! which are not UTF-8, and the parameter holding it is refused with the core's validation
//! error (rule `type`), its value never shown.

use std::collections::HashMap;
use std::time::SystemTime;

use roster_core::{Date, Decimal, OffsetDateTime, Rule, ValidationError};
use serde_json::{Map, Value};

use crate::error::RosterError;
use crate::transport::Body;

/// An exact decimal amount (money, probabilities), as its decimal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money(pub String);
uniffi::custom_newtype!(Money, String);

/// A password, key or token: redacted whenever a host prints it. It crosses as its bytes, as
/// [`HostText`] does, so one holding a lone surrogate reaches the core, which refuses it as not
/// UTF-8 without showing it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub Vec<u8>);
uniffi::custom_type!(Secret, Body, {
    lower: |s| Body(s.0),
    try_lift: |b| Ok(Secret(b.0)),
});

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Text handed in by the host (`String` in Kotlin and Swift) as the bytes it crossed as, in
/// `Body`'s wire form (one copy). Bytes that are not UTF-8 (a Kotlin string with a lone
/// surrogate) are refused where the text is used, naming the parameter.
#[derive(Clone, PartialEq, Eq)]
pub struct HostText(pub Vec<u8>);
uniffi::custom_type!(HostText, Body, {
    lower: |t| Body(t.0),
    try_lift: |b| Ok(HostText(b.0)),
});

impl HostText {
    /// The text, or `None` when it is not UTF-8.
    pub(crate) fn into_string(self) -> Option<String> {
        String::from_utf8(self.0).ok()
    }

    /// The text, with U+FFFD for what is not UTF-8. Only for names that select something (a
    /// method), which no name holding U+FFFD matches.
    pub(crate) fn lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl From<&str> for HostText {
    fn from(s: &str) -> Self {
        Self(s.as_bytes().to_vec())
    }
}

impl std::fmt::Debug for HostText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.lossy().fmt(f)
    }
}

/// The name the core gives the parameters as a whole.
const PARAMETERS: &str = "(parameters)";

/// The core's validation error for a parameter whose text is not UTF-8. The value is never
/// shown: it may be a password.
pub(crate) fn not_text(parameter: &str) -> RosterError {
    let what = if parameter == PARAMETERS {
        "a parameter name"
    } else {
        "the value"
    };
    roster_core::Error::Validation(ValidationError::new(
        parameter,
        Rule::Type,
        format!(
            "{what} is not valid Unicode text: it holds a lone surrogate (half of a UTF-16 \
             pair), which UTF-8 cannot encode"
        ),
    ))
    .into()
}

/// The JSON parameters of a call by name. Text that is not UTF-8 is refused naming the
/// parameter that holds it (`(parameters)` when it is in a name or outside any value).
pub(crate) fn parse_params(json: &[u8]) -> Result<Value, RosterError> {
    let Ok(text) = std::str::from_utf8(json) else {
        return Err(not_text(&holder_of_bad_text(json)));
    };
    serde_json::from_str(text).map_err(|e| {
        roster_core::Error::Validation(ValidationError::new(
            PARAMETERS,
            Rule::Type,
            format!("the parameters are not valid JSON: {e}"),
        ))
        .into()
    })
}

/// Which top-level parameter of `json` (not UTF-8) holds the bytes that are not: each such
/// stretch becomes a character the text does not otherwise hold, and the parsed parameters
/// show where it went.
fn holder_of_bad_text(json: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(json);
    // Plane 15 is private use: the first is almost surely absent; checked all the same.
    let Some(marker) = ('\u{F0000}'..='\u{FFFFD}').find(|c| !lossy.contains(*c)) else {
        return PARAMETERS.to_owned();
    };
    let mut text = String::with_capacity(json.len() + 4);
    for chunk in json.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push(marker);
        }
    }
    fn holds(v: &Value, marker: char) -> bool {
        match v {
            Value::String(s) => s.contains(marker),
            Value::Array(items) => items.iter().any(|i| holds(i, marker)),
            Value::Object(map) => map
                .iter()
                .any(|(k, v)| k.contains(marker) || holds(v, marker)),
            _ => false,
        }
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) if !map.keys().any(|k| k.contains(marker)) => map
            .iter()
            .find(|(_, v)| holds(v, marker))
            .map_or_else(|| PARAMETERS.to_owned(), |(k, _)| k.clone()),
        _ => PARAMETERS.to_owned(),
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

/// A parameter value holding text that is not UTF-8 (see [`HostText`]); [`put`] names the
/// parameter.
pub(crate) struct NotText;

/// A parameter value of a generated record, in the JSON form the core's call by name takes
/// (and validates exactly as the conformance vectors do).
pub(crate) trait ToParam {
    fn to_param(self) -> Result<Value, NotText>;
}

impl ToParam for i64 {
    fn to_param(self) -> Result<Value, NotText> {
        Ok(self.into())
    }
}

impl ToParam for bool {
    fn to_param(self) -> Result<Value, NotText> {
        Ok(self.into())
    }
}

impl ToParam for HostText {
    fn to_param(self) -> Result<Value, NotText> {
        self.into_string().map(Value::from).ok_or(NotText)
    }
}

impl ToParam for Secret {
    fn to_param(self) -> Result<Value, NotText> {
        String::from_utf8(self.0)
            .map(Value::from)
            .map_err(|_| NotText)
    }
}

impl ToParam for Money {
    fn to_param(self) -> Result<Value, NotText> {
        Ok(self.0.into())
    }
}

impl ToParam for IdList {
    fn to_param(self) -> Result<Value, NotText> {
        Ok(match self {
            IdList::All => "all".into(),
            IdList::Ids { ids } => ids.into(),
        })
    }
}

impl<T: ToParam> ToParam for Vec<T> {
    fn to_param(self) -> Result<Value, NotText> {
        self.into_iter()
            .map(ToParam::to_param)
            .collect::<Result<_, _>>()
            .map(Value::Array)
    }
}

/// Adds `value` under `name` unless it is absent. Text that is not UTF-8 is the core's
/// validation error naming `name`.
pub(crate) fn put<T: ToParam>(
    map: &mut Map<String, Value>,
    name: &str,
    value: Option<T>,
) -> Result<(), RosterError> {
    if let Some(v) = value {
        let v = v.to_param().map_err(|NotText| not_text(name))?;
        map.insert(name.to_owned(), v);
    }
    Ok(())
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
        assert_eq!(
            format!("{:?}", Secret(b"S3cure!pass".to_vec())),
            "[redacted]"
        );
    }

    #[test]
    fn id_lists_become_json() {
        assert_eq!(IdList::All.to_param().ok(), Some(Value::from("all")));
        assert_eq!(
            IdList::Ids { ids: vec![1, 5] }.to_param().ok(),
            Some(serde_json::json!([1, 5]))
        );
    }

    /// `a`, the lone surrogate U+DCFF as Kotlin's `textBytes` hands it over, `b`.
    const LONE: &[u8] = b"a\xed\xb3\xbfb";

    fn refused(e: RosterError) -> (String, String, String) {
        match e {
            RosterError::Validation {
                reason,
                parameter,
                rule,
            } => (parameter, rule, reason),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_naming_the_parameter() {
        let mut map = Map::new();
        put(&mut map, "user_name", Some(HostText::from("jdoe"))).unwrap();
        let e = put(&mut map, "user_display_name", Some(HostText(LONE.to_vec()))).unwrap_err();
        let (parameter, rule, reason) = refused(e);
        assert_eq!(
            (parameter.as_str(), rule.as_str()),
            ("user_display_name", "type")
        );
        assert!(reason.contains("lone surrogate"), "{reason}");
        let list = vec![HostText::from("a"), HostText(LONE.to_vec())];
        assert_eq!(
            refused(put(&mut map, "skills", Some(list)).unwrap_err()).0,
            "skills"
        );
        let secret = Secret(LONE.to_vec());
        let e = put(&mut map, "user_password", Some(secret)).unwrap_err();
        assert_eq!(refused(e).0, "user_password");
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn json_that_is_not_utf8_names_the_parameter_holding_it() {
        let named = |parts: &[&[u8]]| refused(parse_params(&parts.concat()).unwrap_err()).0;
        let head: &[u8] = b"{\"application_id\":1,";
        assert_eq!(
            named(&[head, b"\"user_display_name\":\"a\xed\xb3\xbfb\"}"]),
            "user_display_name"
        );
        assert_eq!(
            named(&[head, b"\"skills\":[\"x\",{\"n\":\"\xed\xa0\x80\"}]}"]),
            "skills"
        );
        // In a name, or outside any string: the parameters as a whole.
        assert_eq!(named(&[head, b"\"a\xed\xb3\xbf\":1}"]), "(parameters)");
        assert_eq!(named(&[head, b"\"a\":\xed\xb3\xbf}"]), "(parameters)");
        assert_eq!(named(&[b"{\"x\":1}\xed\xb3\xbf"]), "(parameters)");
        // Text that already holds the first marker candidate still finds its parameter.
        let taken = "\"x\":\"\u{F0000}\u{FFFD}\",\"y\":\"".as_bytes();
        assert_eq!(named(&[head, taken, b"\xed\xb3\xbf\"}"]), "y");
        // UTF-8 text is parsed as JSON, as before.
        assert_eq!(
            parse_params(b"{\"a\":\"\xc3\xa9\"}").unwrap()["a"],
            "\u{e9}"
        );
        assert_eq!(refused(parse_params(b"[1").unwrap_err()).0, "(parameters)");
    }
}
