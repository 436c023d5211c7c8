//! A wrapper that keeps secrets out of logs.
//!
//! Passwords, private keys, tokens and API keys are held in [`Secret`]. Its `Debug` and
//! `Display` print `[redacted]`, so a secret can sit inside a request, a config or an error that
//! someone prints, and still not leak. Reading it takes an explicit [`Secret::expose`], which is
//! easy to find in review. It deliberately does not implement `Serialize`.

use std::fmt;

/// A value that is never printed.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

/// What every secret prints as.
pub const REDACTED: &str = "[redacted]";

impl<T> Secret<T> {
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Call this only where the value must go on the wire.
    pub fn expose(&self) -> &T {
        &self.0
    }

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
