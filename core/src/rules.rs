//! The format rules of the spec, as functions the generated `validate` methods call.
//!
//! Messages say what is wrong with a value without echoing it when it may be secret: the
//! callers of [`password`] and of the string rules on secret parameters pass only lengths and
//! classes into the message.

use crate::error::{Rule, ValidationError};
use crate::{Decimal, IdList};

type Result = std::result::Result<(), ValidationError>;

/// A spec regex, compiled on first use.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    // `None` only if the regex failed to compile, which the spec checker rules out at build
    // time; the check then fails closed instead of panicking.
    regex: Option<regex_lite::Regex>,
}

impl Pattern {
    /// Compiles `source`, a regex of the spec (anchored with `^…$`). One that does not compile
    /// fails every check instead of panicking.
    pub fn new(source: &'static str) -> Self {
        Self {
            source,
            regex: regex_lite::Regex::new(source).ok(),
        }
    }
}

/// `pattern`: the whole `value` must match `pattern`. The message quotes the value (cut to 60
/// characters), so this rule must not be given a secret value.
pub fn pattern(param: &str, value: &str, pattern: &Pattern) -> Result {
    match &pattern.regex {
        Some(re) if re.is_match(value) => Ok(()),
        _ => Err(ValidationError::new(
            param,
            Rule::Pattern,
            format!("{} does not match {}", quoted(value), pattern.source),
        )),
    }
}

/// A short, quoted rendering of a (non-secret) value for messages.
fn quoted(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() > MAX {
        let head: String = value.chars().take(MAX).collect();
        format!("{head:?}…")
    } else {
        format!("{value:?}")
    }
}

/// `min_length`: `value` has at least `min` characters (not bytes). The message gives only the
/// length, never the value.
pub fn min_len(param: &str, value: &str, min: u32) -> Result {
    let len = value.chars().count();
    if len < min as usize {
        let what = if len == 0 {
            "is empty".to_owned()
        } else {
            format!("has {len} characters")
        };
        return Err(ValidationError::new(
            param,
            Rule::MinLength,
            format!("{what}; at least {min} required"),
        ));
    }
    Ok(())
}

/// `max_length`: `value` has at most `max` characters (not bytes). The message gives only the
/// length, never the value.
pub fn max_len(param: &str, value: &str, max: u32) -> Result {
    let len = value.chars().count();
    if len > max as usize {
        return Err(ValidationError::new(
            param,
            Rule::MaxLength,
            format!("has {len} characters; at most {max} allowed"),
        ));
    }
    Ok(())
}

/// `min`: an integer is at least `min`.
pub fn min_int(param: &str, value: i64, min: i64) -> Result {
    if value < min {
        return Err(ValidationError::new(
            param,
            Rule::Min,
            format!("{value} is below the minimum {min}"),
        ));
    }
    Ok(())
}

/// `max`: an integer is at most `max`.
pub fn max_int(param: &str, value: i64, max: i64) -> Result {
    if value > max {
        return Err(ValidationError::new(
            param,
            Rule::Max,
            format!("{value} is above the maximum {max}"),
        ));
    }
    Ok(())
}

/// `min`: a decimal is at least `min`.
pub fn min_decimal(param: &str, value: &Decimal, min: Decimal) -> Result {
    if *value < min {
        return Err(ValidationError::new(
            param,
            Rule::Min,
            format!("{value} is below the minimum {min}"),
        ));
    }
    Ok(())
}

/// `max`: a decimal is at most `max`.
pub fn max_decimal(param: &str, value: &Decimal, max: Decimal) -> Result {
    if *value > max {
        return Err(ValidationError::new(
            param,
            Rule::Max,
            format!("{value} is above the maximum {max}"),
        ));
    }
    Ok(())
}

/// `min_abs`: the absolute value of a decimal is at least `min`, for amounts that may be
/// negative but not too close to zero.
pub fn min_abs(param: &str, value: &Decimal, min: Decimal) -> Result {
    if value.abs() < min {
        return Err(ValidationError::new(
            param,
            Rule::MinAbs,
            format!("{value} is too small; the absolute value must be at least {min}"),
        ));
    }
    Ok(())
}

/// The first problem of a password under the policy, in the order a server reports them:
/// length, then whitespace, then a missing character class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than 8 characters.
    TooShort,
    /// A space or another whitespace character.
    Whitespace,
    /// No upper-case letter, lower-case letter, digit or special character (one at least).
    MissingClass,
}

/// Which rule of [`password`] a value breaks first, if any (for servers that answer each with
/// its own code, such as the emulator).
pub fn password_problem(value: &str) -> Option<PasswordProblem> {
    if value.chars().count() < 8 {
        Some(PasswordProblem::TooShort)
    } else if value.chars().any(char::is_whitespace) {
        Some(PasswordProblem::Whitespace)
    } else if password("", value).is_err() {
        Some(PasswordProblem::MissingClass)
    } else {
        None
    }
}

/// The password policy: 8+ characters, upper- and lower-case letters, a digit, a special
/// character, and no whitespace. The message lists what is missing, never the password.
pub fn password(param: &str, value: &str) -> Result {
    let mut missing = Vec::new();
    let len = value.chars().count();
    if len < 8 {
        missing.push(format!("at least 8 characters (has {len})"));
    }
    if !value.chars().any(|c| c.is_uppercase()) {
        missing.push("an upper-case letter".to_owned());
    }
    if !value.chars().any(|c| c.is_lowercase()) {
        missing.push("a lower-case letter".to_owned());
    }
    if !value.chars().any(|c| c.is_ascii_digit()) {
        missing.push("a digit".to_owned());
    }
    if !value
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        missing.push("a special character".to_owned());
    }
    let spaces = value.chars().any(char::is_whitespace);
    if missing.is_empty() && !spaces {
        return Ok(());
    }
    let mut message = String::new();
    if !missing.is_empty() {
        message.push_str("needs ");
        message.push_str(&missing.join(", "));
    }
    if spaces {
        if !message.is_empty() {
            message.push_str("; ");
        }
        message.push_str("must not contain whitespace");
    }
    Err(ValidationError::new(param, Rule::PasswordPolicy, message))
}

/// `empty_list`: a list parameter has at least one item; `len` is its number of items.
pub fn non_empty(param: &str, len: usize) -> Result {
    if len == 0 {
        return Err(ValidationError::new(
            param,
            Rule::EmptyList,
            "the list is empty; give at least one item",
        ));
    }
    Ok(())
}

/// An item of a `;`-joined list cannot contain the separator, nor be empty.
pub fn list_item(param: &str, item: &str) -> Result {
    if item.contains(';') {
        return Err(ValidationError::new(
            param,
            Rule::ListItem,
            format!("item {} contains `;`, the list separator", quoted(item)),
        ));
    }
    if item.is_empty() {
        return Err(ValidationError::new(
            param,
            Rule::ListItem,
            "an item is empty",
        ));
    }
    Ok(())
}

/// The rules of an `int_list`: `all` only where `all_allowed` (else `list_item`); otherwise at
/// least one id (`empty_list`), each within the spec's `min` and `max` if given.
pub fn id_list(
    param: &str,
    value: &IdList,
    all_allowed: bool,
    min: Option<i64>,
    max: Option<i64>,
) -> Result {
    match value {
        IdList::All if all_allowed => Ok(()),
        IdList::All => Err(ValidationError::new(
            param,
            Rule::ListItem,
            "`all` is not accepted here",
        )),
        IdList::Ids(ids) => {
            non_empty(param, ids.len())?;
            for &id in ids {
                if let Some(min) = min {
                    min_int(param, id, min)?;
                }
                if let Some(max) = max {
                    max_int(param, id, max)?;
                }
            }
            Ok(())
        }
    }
}

fn names(label: &str) -> String {
    let parts: Vec<&str> = label.split('/').collect();
    match parts.as_slice() {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    }
}

/// `exactly_one`: exactly one of the group's parameters is given. `label` is their wire names
/// joined by `/`, reported as the parameter; `present` says which the call gave, in that order.
pub fn exactly_one(label: &str, present: &[bool]) -> Result {
    match present.iter().filter(|p| **p).count() {
        1 => Ok(()),
        0 => Err(ValidationError::new(
            label,
            Rule::ExactlyOne,
            format!("give one of {}", names(label)),
        )),
        _ => Err(ValidationError::new(
            label,
            Rule::ExactlyOne,
            format!("give only one of {}, not several", names(label)),
        )),
    }
}

/// `at_most_one`: no more than one of the group's parameters is given (`label` and `present`
/// as for [`exactly_one`]).
pub fn at_most_one(label: &str, present: &[bool]) -> Result {
    if present.iter().filter(|p| **p).count() > 1 {
        return Err(ValidationError::new(
            label,
            Rule::AtMostOne,
            format!("give at most one of {}", names(label)),
        ));
    }
    Ok(())
}

/// `at_least_one`: one or more of the group's parameters are given (`label` and `present` as
/// for [`exactly_one`]).
pub fn at_least_one(label: &str, present: &[bool]) -> Result {
    if !present.contains(&true) {
        return Err(ValidationError::new(
            label,
            Rule::AtLeastOne,
            format!("give at least one of {}", names(label)),
        ));
    }
    Ok(())
}

/// `requires`: when the call gave the parameter `when` (`when_present`), it also gave at least
/// one of the group's parameters (`label` and `present` as for [`exactly_one`]).
pub fn requires(label: &str, when: &str, when_present: bool, present: &[bool]) -> Result {
    if when_present && !present.contains(&true) {
        return Err(ValidationError::new(
            label,
            Rule::Requires,
            format!("{} is required when {when} is given", names(label)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_messages_name_what_is_missing_and_never_the_value() {
        let e = password("user_password", "abc def").unwrap_err();
        assert_eq!(e.rule, Rule::PasswordPolicy);
        assert!(e.message.contains("at least 8 characters"), "{}", e.message);
        assert!(e.message.contains("upper-case"));
        assert!(e.message.contains("whitespace"));
        assert!(!e.message.contains("abc"));
        assert!(password("p", "Str0ng!pass").is_ok());
        assert!(password("p", "Str0ng!pa ss").is_err());
    }

    #[test]
    fn groups_name_every_member() {
        let e = exactly_one("application_id/application_name", &[false, false]).unwrap_err();
        assert_eq!(e.parameter, "application_id/application_name");
        assert_eq!(e.message, "give one of application_id or application_name");
        assert!(exactly_one("a/b", &[true, true]).is_err());
        assert!(at_most_one("a/b", &[true, false]).is_ok());
        assert!(requires("a/b", "c", true, &[false, false]).is_err());
        assert!(requires("a/b", "c", false, &[false, false]).is_ok());
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(max_len("p", "ééé", 3).is_ok());
        assert!(max_len("p", "éééé", 3).is_err());
    }
}
