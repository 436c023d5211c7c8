//! Dynamic parameters: a JSON object turned into a typed request.
//!
//! Calls by name (`call("GetUsers", {...})`) from the CLI and every binding come in as JSON.
//! Each value is converted with the same rules as the typed API, and a value of the wrong shape
//! gets a `type` error naming the parameter. Values are read leniently where a caller could
//! fairly send another form: numbers as strings (`"42"`, from a command line), lists as one
//! value or as a `;`-joined string, booleans as `"true"`/`"1"`.

use serde_json::{Map, Value};

use crate::error::{Rule, ValidationError};
use crate::spec::{MethodInfo, SpecEnum};
use crate::values::{DATETIME_FORMAT, DATE_FORMAT};
use crate::{Date, Decimal, IdList, PrimitiveDateTime, Secret};

type Result<T> = std::result::Result<T, ValidationError>;

/// The not yet consumed parameters of one dynamic call.
pub struct Params {
    map: Map<String, Value>,
}

impl Params {
    /// Checks that every key names a parameter of `info`, so a typo is reported as such
    /// rather than as a missing required parameter.
    pub fn new(info: &MethodInfo, map: Map<String, Value>) -> Result<Self> {
        for key in map.keys() {
            if info.param(key).is_none() {
                return Err(unknown_parameter(info, key));
            }
        }
        Ok(Self { map })
    }

    fn take(&mut self, name: &str) -> Option<Value> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// Takes the required parameter `name` and converts it with `conv` (one of this module's
    /// converters). Absent or `null` is a `required` error.
    pub fn required<T>(
        &mut self,
        name: &'static str,
        conv: fn(&'static str, Value) -> Result<T>,
    ) -> Result<T> {
        match self.take(name) {
            Some(v) => conv(name, v),
            None => Err(ValidationError::new(name, Rule::Required, "is required")),
        }
    }

    /// Takes the optional parameter `name` and converts it with `conv`. Absent or `null` is
    /// `None`.
    pub fn optional<T>(
        &mut self,
        name: &'static str,
        conv: fn(&'static str, Value) -> Result<T>,
    ) -> Result<Option<T>> {
        self.take(name).map(|v| conv(name, v)).transpose()
    }

    /// Every key was checked by [`Params::new`] and taken by the generated constructor.
    pub fn finish(self) -> Result<()> {
        Ok(())
    }
}

/// The error for a name that is not a parameter of `info`, with the nearest one when it looks
/// like a typo.
pub(crate) fn unknown_parameter(info: &MethodInfo, key: &str) -> ValidationError {
    let known: Vec<&str> = info.params.iter().map(|p| p.name).collect();
    let hint = match closest(key, &known) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    };
    ValidationError::new(
        key,
        Rule::UnknownParameter,
        format!("{} has no parameter `{key}`{hint}", info.name),
    )
}

/// The known name nearest to a misspelt one, if it is near enough to be a typo.
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for ((cb, &diag), &up) in b.iter().zip(&prev).zip(prev.iter().skip(1)) {
            let left = cur.last().copied().unwrap_or(i + 1);
            cur.push((diag + usize::from(ca != *cb)).min(up + 1).min(left + 1));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn type_error(name: &str, expected: &str, got: &Value) -> ValidationError {
    ValidationError::new(
        name,
        Rule::Type,
        format!("expected {expected}, got {}", kind_of(got)),
    )
}

/// An `int`: a JSON integer, or a string holding one (`"42"`, as a command line gives it;
/// whitespace around it is ignored).
pub fn int(name: &'static str, v: Value) -> Result<i64> {
    match &v {
        Value::Number(n) => n.as_i64().ok_or_else(|| {
            ValidationError::new(name, Rule::Type, format!("expected an integer, got {n}"))
        }),
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| {
            ValidationError::new(
                name,
                Rule::Type,
                format!("expected an integer, got {:?}", truncate(s)),
            )
        }),
        _ => Err(type_error(name, "an integer", &v)),
    }
}

/// A `string`: a JSON string only; any other shape is a `type` error.
pub fn string(name: &'static str, v: Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(type_error(name, "a string", &other)),
    }
}

/// A secret string. The error for a wrong shape names the shape only, never the value.
pub fn secret(name: &'static str, v: Value) -> Result<Secret<String>> {
    match v {
        Value::String(s) => Ok(Secret::new(s)),
        other => Err(type_error(name, "a string", &other)),
    }
}

/// A `bool`: `true`/`false`, the numbers `1`/`0`, or the strings `true`, `false`, `1`, `0` in
/// any case.
pub fn boolean(name: &'static str, v: Value) -> Result<bool> {
    match &v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ValidationError::new(
                name,
                Rule::Type,
                format!("expected true or false, got {:?}", truncate(s)),
            )),
        },
        _ => Err(type_error(name, "true or false", &v)),
    }
}

/// A decimal from a string (exact) or a JSON number (its shortest decimal text).
pub fn decimal(name: &'static str, v: Value) -> Result<Decimal> {
    let text = match &v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return Err(type_error(name, "a decimal number", &v)),
    };
    parse_decimal(&text).ok_or_else(|| {
        ValidationError::new(
            name,
            Rule::Type,
            format!("expected a decimal number, got {:?}", truncate(&text)),
        )
    })
}

/// Exact parsing of plain (`15.75`) and scientific (`1e-2`) notation.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// A `date`: a `YYYY-MM-DD` string.
pub fn date(name: &'static str, v: Value) -> Result<Date> {
    match &v {
        Value::String(s) => Date::parse(s.trim(), DATE_FORMAT).map_err(|_| {
            ValidationError::new(
                name,
                Rule::Type,
                format!("expected a date YYYY-MM-DD, got {:?}", truncate(s)),
            )
        }),
        _ => Err(type_error(name, "a date YYYY-MM-DD", &v)),
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC), or RFC 3339 with an offset, which is converted to UTC.
pub fn datetime(name: &'static str, v: Value) -> Result<PrimitiveDateTime> {
    let Value::String(s) = &v else {
        return Err(type_error(name, "a datetime YYYY-MM-DD HH:MM:SS", &v));
    };
    let s = s.trim();
    if let Ok(dt) = PrimitiveDateTime::parse(s, DATETIME_FORMAT) {
        return Ok(dt);
    }
    if let Ok(dt) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        let utc = dt.to_offset(time::UtcOffset::UTC);
        return Ok(PrimitiveDateTime::new(utc.date(), utc.time()));
    }
    Err(ValidationError::new(
        name,
        Rule::Type,
        format!(
            "expected a datetime YYYY-MM-DD HH:MM:SS (UTC) or RFC 3339, got {:?}",
            truncate(s)
        ),
    ))
}

/// An `enum`: a string that is exactly one of `E`'s wire values; an `enum` error lists them.
pub fn enumeration<E: SpecEnum>(name: &'static str, v: Value) -> Result<E> {
    match &v {
        Value::String(s) => E::parse(s).ok_or_else(|| enum_error(name, s, E::VALUES)),
        _ => Err(type_error(name, "a string", &v)),
    }
}

fn enum_error(name: &str, got: &str, values: &[&str]) -> ValidationError {
    ValidationError::new(
        name,
        Rule::Enum,
        format!("{:?} is not one of {}", truncate(got), values.join(", ")),
    )
}

/// The items of a list parameter: a JSON array, or one value, or a `;`-joined string.
fn items(name: &'static str, v: Value) -> Result<Vec<Value>> {
    match v {
        Value::Array(items) => Ok(items),
        Value::String(s) if s.contains(';') => {
            Ok(s.split(';').map(|p| Value::String(p.to_owned())).collect())
        }
        Value::Object(_) => Err(type_error(name, "a list", &v)),
        other => Ok(vec![other]),
    }
}

/// An `int_list`: the string `all` (in any case), a JSON array, a single value, or a `;`-joined
/// string (`"1;5"`), each item read as [`int`] reads it.
pub fn id_list(name: &'static str, v: Value) -> Result<IdList> {
    if let Value::String(s) = &v {
        if s.trim().eq_ignore_ascii_case("all") {
            return Ok(IdList::All);
        }
    }
    let ids = items(name, v)?
        .into_iter()
        .map(|item| int(name, item))
        .collect::<Result<Vec<i64>>>()?;
    Ok(IdList::Ids(ids))
}

/// A `string_list`: a JSON array of strings, a single string, or a `;`-joined string.
pub fn string_list(name: &'static str, v: Value) -> Result<Vec<String>> {
    items(name, v)?
        .into_iter()
        .map(|item| string(name, item))
        .collect()
}

/// An `enum_list`: the shapes of [`string_list`], each item one of `E`'s wire values.
pub fn enum_list<E: SpecEnum>(name: &'static str, v: Value) -> Result<Vec<E>> {
    items(name, v)?
        .into_iter()
        .map(|item| enumeration(name, item))
        .collect()
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_forms() {
        assert_eq!(int("p", json!("42")).unwrap(), 42);
        assert!(boolean("p", json!("True")).unwrap());
        assert!(!boolean("p", json!(0)).unwrap());
        assert_eq!(id_list("p", json!("all")).unwrap(), IdList::All);
        assert_eq!(id_list("p", json!("1;5")).unwrap(), IdList::Ids(vec![1, 5]));
        assert_eq!(id_list("p", json!(7)).unwrap(), IdList::Ids(vec![7]));
        assert_eq!(decimal("p", json!(15.75)).unwrap().to_string(), "15.75");
        assert_eq!(decimal("p", json!("0.10")).unwrap().to_string(), "0.10");
        assert_eq!(int("p", json!(1.5)).unwrap_err().rule, Rule::Type);
        assert_eq!(string_list("p", json!(["a", "b"])).unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn typo_suggestion() {
        assert_eq!(
            closest("user_nme", &["user_name", "user_id"]),
            Some("user_name")
        );
        assert_eq!(closest("zzzzzz", &["user_name"]), None);
    }
}
