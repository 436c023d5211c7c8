//! A wrapper that keeps secrets out of logs.
//!
//! Passwords, private keys, tokens and API keys are held in [`Secret`]. Its `Debug` and
//! `Display` print `[redacted]`, so a secret can sit inside a request, a config or an error that
//! someone prints, and still not leak. Reading it takes an explicit [`Secret::expose`], which is
//! easy to find in review. It deliberately does not implement `Serialize`.
//!
//! [`secret_text`] is the one rule every key and token passes, wherever it came from.

use std::fmt;

use crate::error::Error;

/// A value that is never printed.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

/// What every secret prints as.
pub const REDACTED: &str = "[redacted]";

impl<T> Secret<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Call this only where the value must go on the wire.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The secret itself, by value; the same care as with [`Secret::expose`] applies.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Where a setting came from; errors name it, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An argument of the client's constructor, by its name in the binding (`credentials`).
    Argument(&'static str),
    /// An environment variable.
    Variable(&'static str),
    /// A file whose path came from another source. `path` is what may be shown of it.
    File {
        /// The source that gave the path (an argument or a variable).
        named_by: Box<Source>,
        /// What may be shown of the path: quoted when it is a plain `.json` path, else only its
        /// length.
        path: String,
    },
    /// A token provider callback.
    TokenProvider,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Argument(name) => write!(f, "the `{name}` argument"),
            Self::Variable(name) => write!(f, "the {name} variable"),
            Self::File { named_by, path } => write!(f, "the file {path} (named by {named_by})"),
            Self::TokenProvider => f.write_str("the token provider"),
        }
    }
}

/// The one rule for API keys and tokens: UTF-8, without a byte-order mark and the whitespace
/// around it (a file read whole ends in a newline), not empty, and nothing left in it that an
/// HTTP header could not carry (a space, a line break, a control or non-ASCII character). The
/// error names `what` and its `source`, never the value.
pub fn secret_text(what: &str, source: &Source, raw: &[u8]) -> Result<Secret<String>, Error> {
    let refuse = |why: &str| {
        Error::Config(format!(
            "{what} from {source} {why} (the value is not shown)"
        ))
    };
    let text = std::str::from_utf8(raw).map_err(|_| refuse("is not UTF-8 text"))?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(refuse("is empty"));
    }
    if let Some(at) = text.chars().position(|c| !c.is_ascii_graphic()) {
        return Err(refuse(&format!(
            "has a space, a line break or a character an HTTP header cannot carry at character {}",
            at + 1
        )));
    }
    Ok(Secret::new(text.to_owned()))
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let s = Secret::from("hunter2-Pass!");
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{:?}", Some(&s)), format!("Some({REDACTED})"));
        assert_eq!(s.expose(), "hunter2-Pass!");
    }
}
