//! Parameters given as text (`NAME=VALUE` on a command line, a form field), typed by the spec.
//!
//! A call by name takes JSON parameters ([`crate::params`]). Text has no types, so each value
//! is first read by its parameter's [`ParamKind`] with the same converters the JSON path uses;
//! the JSON that comes out is then validated like any other call. Nothing is guessed: a value
//! that does not fit its kind is refused with a [`ValidationError`] naming the parameter.
//!
//! | kind | text | JSON |
//! |---|---|---|
//! | `int` | `42`, ` 42 ` | `42` |
//! | `bool` | `true`, `false` (any case), `1`, `0`; nothing else (`yes` is refused) | `true` |
//! | `decimal` | `0.10`, `1e-2`: exact, never through a float | `"0.10"` |
//! | `date`, `datetime` | `2024-05-01`, `2024-05-01 10:00:00`, RFC 3339 | the text, checked |
//! | `string`, `enum` | anything, kept as given (spaces included) | the text |
//! | `int_list` | `1;2;3`, or `all` alone where the spec allows it | `[1, 2, 3]`, `"all"` |
//! | `string_list`, `enum_list` | `a;b` | `["a", "b"]` |
//!
//! [`from_pairs`] reads several `NAME=VALUE`: a list parameter given more than once collects
//! every value in order (`skill_id=1;2` and `skill_id=3` make `[1, 2, 3]`); any other
//! parameter given twice is refused.

use serde_json::{Map, Value};

use crate::endpoint::{MethodInfo, ParamInfo, ParamKind};
use crate::error::{Error, Rule, ValidationError};
use crate::params;

/// The text that stands for every id of an `int_list` that accepts it.
const ALL: &str = "all";

/// The JSON value of parameter `name` of `info` given as `text`.
pub fn from_text(info: &MethodInfo, name: &str, text: &str) -> Result<Value, Error> {
    let param = param(info, name)?;
    typed(param, text).map_err(Error::from)
}

/// The JSON parameters of `pairs` (`(name, text)`, in the order given); see the module docs
/// for lists and repeats.
pub fn from_pairs<'a, I>(info: &MethodInfo, pairs: I) -> Result<Map<String, Value>, Error>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut map = Map::new();
    for (name, text) in pairs {
        let param = param(info, name)?;
        let value = typed(param, text)?;
        match map.get_mut(param.name) {
            None => {
                map.insert(param.name.to_owned(), value);
            }
            Some(Value::Array(items)) => match value {
                Value::Array(more) => items.extend(more),
                // A lone `all` after ids: the same refusal as `1;all`.
                _ => return Err(all_alone(param.name).into()),
            },
            Some(Value::String(_)) if is_list(param.kind) => {
                return Err(all_alone(param.name).into())
            }
            Some(_) => {
                return Err(ValidationError::new(
                    param.name,
                    Rule::Type,
                    format!(
                        "is given more than once, but {} takes one value for it",
                        info.name
                    ),
                )
                .into())
            }
        }
    }
    Ok(map)
}

fn param(info: &MethodInfo, name: &str) -> Result<&'static ParamInfo, ValidationError> {
    info.param(name)
        .ok_or_else(|| params::unknown_parameter(info, name))
}

fn is_list(kind: ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::IntList | ParamKind::StringList | ParamKind::EnumList
    )
}

fn all_alone(name: &str) -> ValidationError {
    ValidationError::new(
        name,
        Rule::ListItem,
        "`all` stands alone: it cannot be combined with ids",
    )
}

fn typed(param: &ParamInfo, text: &str) -> Result<Value, ValidationError> {
    let name = param.name;
    let given = || Value::String(text.to_owned());
    Ok(match param.kind {
        ParamKind::Int => Value::from(params::int(name, given())?),
        ParamKind::Bool => Value::Bool(params::boolean(name, given())?),
        ParamKind::Decimal => Value::String(params::decimal(name, given())?.to_string()),
        ParamKind::Date => {
            params::date(name, given())?;
            Value::String(text.trim().to_owned())
        }
        ParamKind::Datetime => {
            params::datetime(name, given())?;
            Value::String(text.trim().to_owned())
        }
        ParamKind::String | ParamKind::Enum => given(),
        ParamKind::IntList => {
            if text.trim().eq_ignore_ascii_case(ALL) {
                // Whether this list accepts `all` is the validator's rule, named there.
                return Ok(Value::String(ALL.to_owned()));
            }
            let items = text.split(';').map(|item| {
                if item.trim().eq_ignore_ascii_case(ALL) {
                    return Err(all_alone(name));
                }
                params::int(name, Value::String(item.to_owned())).map(Value::from)
            });
            Value::Array(items.collect::<Result<_, _>>()?)
        }
        ParamKind::StringList | ParamKind::EnumList => Value::Array(
            text.split(';')
                .map(|item| Value::String(item.to_owned()))
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamic::{encode_params, find_method};
    use crate::ApiKind;
    use serde_json::json;

    fn method(name: &str) -> &'static MethodInfo {
        find_method(ApiKind::Voximplant, name).unwrap()
    }

    fn refused<T>(result: Result<T, Error>) -> ValidationError {
        match result {
            Err(Error::Validation(v)) => v,
            Err(other) => panic!("not a validation error: {other}"),
            Ok(_) => panic!("accepted"),
        }
    }

    fn pairs<'a>(
        info: &MethodInfo,
        items: &[(&'a str, &'a str)],
    ) -> Result<Map<String, Value>, Error> {
        from_pairs(info, items.iter().copied())
    }

    #[test]
    fn values_take_the_kind_of_their_parameter() {
        let users = method("GetUsers");
        assert_eq!(from_text(users, "application_id", " 7 ").unwrap(), json!(7));
        assert_eq!(
            from_text(users, "with_skills", "true").unwrap(),
            json!(true)
        );
        assert_eq!(
            from_text(users, "with_skills", "FALSE").unwrap(),
            json!(false)
        );
        // The core's lenient forms for booleans, and no others.
        assert_eq!(from_text(users, "with_skills", "1").unwrap(), json!(true));
        assert_eq!(from_text(users, "with_skills", "0").unwrap(), json!(false));
        // Text stays text, even when it looks like a number.
        assert_eq!(from_text(users, "user_name", "007").unwrap(), json!("007"));
        assert_eq!(
            from_text(method("AddUser"), "user_display_name", " Ana  L ").unwrap(),
            json!(" Ana  L ")
        );
    }

    #[test]
    fn yes_and_no_are_not_booleans() {
        let users = method("GetUsers");
        for word in ["yes", "no", "on", "y", "2", ""] {
            let e = refused(from_text(users, "with_skills", word));
            assert_eq!(e.parameter, "with_skills", "{word}");
            assert_eq!(e.rule, Rule::Type, "{word}");
        }
    }

    #[test]
    fn integers_are_whole_numbers_only() {
        let users = method("GetUsers");
        for bad in ["one", "1.5", "1e3", "", "9223372036854775808"] {
            let e = refused(from_text(users, "application_id", bad));
            assert_eq!(
                (e.parameter.as_str(), e.rule),
                ("application_id", Rule::Type),
                "{bad}"
            );
        }
        // A negative number is a number; its range is the validator's rule.
        assert_eq!(from_text(users, "count", "-1").unwrap(), json!(-1));
        let e = refused(encode_params(
            users,
            json!({"application_id": 1, "count": -1}),
        ));
        assert_eq!((e.parameter.as_str(), e.rule), ("count", Rule::Min));
    }

    #[test]
    fn decimals_stay_exact() {
        let transfer = method("TransferMoneyToUser");
        assert_eq!(
            from_text(transfer, "amount", "0.10").unwrap(),
            json!("0.10")
        );
        assert_eq!(
            from_text(transfer, "amount", " 1e-2 ").unwrap(),
            json!("0.01")
        );
        assert_eq!(
            from_text(transfer, "amount", "0.30000000000000004").unwrap(),
            json!("0.30000000000000004")
        );
        let e = refused(from_text(transfer, "amount", "ten"));
        assert_eq!((e.parameter.as_str(), e.rule), ("amount", Rule::Type));
    }

    #[test]
    fn lists_come_from_semicolons_and_repeats() {
        let bind = method("BindSkill");
        let p = pairs(
            bind,
            &[("skill_id", "1;2"), ("skill_id", "3"), ("user_name", "ana")],
        )
        .unwrap();
        assert_eq!(p["skill_id"], json!([1, 2, 3]));
        assert_eq!(p["user_name"], json!(["ana"]));
        let e = refused(pairs(bind, &[("skill_id", "1;x")]));
        assert_eq!((e.parameter.as_str(), e.rule), ("skill_id", Rule::Type));
    }

    #[test]
    fn all_stands_alone() {
        let transfer = method("TransferMoneyToUser");
        assert_eq!(
            from_text(transfer, "user_id", " ALL ").unwrap(),
            json!("all")
        );
        for given in [
            &[("user_id", "1;all")][..],
            &[("user_id", "1"), ("user_id", "all")],
            &[("user_id", "all"), ("user_id", "1")],
            &[("user_id", "all"), ("user_id", "all")],
        ] {
            let e = refused(pairs(transfer, given));
            assert_eq!(
                (e.parameter.as_str(), e.rule),
                ("user_id", Rule::ListItem),
                "{given:?}"
            );
        }
    }

    #[test]
    fn a_scalar_given_twice_is_refused() {
        let e = refused(pairs(method("GetUsers"), &[("count", "5"), ("count", "6")]));
        assert_eq!((e.parameter.as_str(), e.rule), ("count", Rule::Type));
        assert!(e.message.contains("more than once"), "{}", e.message);
    }

    #[test]
    fn an_unknown_name_is_refused_like_the_json_path() {
        let skills = method("GetSkills");
        let text = refused(from_text(skills, "skil_name", "x"));
        let json = refused(encode_params(skills, json!({"skil_name": "x"})));
        assert_eq!(text, json);
        assert_eq!(text.rule, Rule::UnknownParameter);
        assert!(text.message.contains("`skill_name`"), "{}", text.message);
    }

    proptest::proptest! {
        /// Any text, once or twice, for any parameter of any method: a value or a validation
        /// error, no panic, and what comes out is accepted or refused by the JSON path without
        /// a panic either.
        #[test]
        fn any_text_is_typed_or_refused(
            method in 0..crate::api::METHODS.len(),
            param in 0usize..32,
            text in proptest::prelude::prop_oneof![
                ".{0,24}",
                "[0-9;a-z. -]{0,16}",
                proptest::prelude::Just("all".to_owned()),
            ],
            twice in proptest::prelude::any::<bool>(),
        ) {
            let info = crate::api::METHODS[method];
            let Some(p) = info.params.get(param % info.params.len().max(1)) else {
                return Ok(());
            };
            let times = if twice { 2 } else { 1 };
            match from_pairs(info, std::iter::repeat_n((p.name, text.as_str()), times)) {
                Ok(map) => {
                    let _ = encode_params(info, Value::Object(map));
                }
                Err(e) => proptest::prop_assert_eq!(e.code(), "validation"),
            }
        }
    }

    #[test]
    fn typed_text_passes_the_same_validation_as_json() {
        let users = method("GetUsers");
        let p = pairs(
            users,
            &[
                ("application_id", "1"),
                ("with_skills", "true"),
                ("user_id", "3"),
            ],
        )
        .unwrap();
        assert!(encode_params(users, Value::Object(p)).is_ok());
    }
}
