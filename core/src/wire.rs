//! Request parameters in their wire form.
//!
//! Generated `encode` methods write each parameter the caller set into a [`FormWriter`] as a
//! name and a string. The protocol then decides where the pairs go: a form-urlencoded body for
//! Voximplant, the query string for Voiso.

use crate::values::{DATETIME_FORMAT, DATE_FORMAT};
use crate::{Date, Decimal, IdList, PrimitiveDateTime};

/// The parameters of one request, in spec order, as wire strings.
///
/// Deliberately not `Debug`: the values include passwords in clear text.
#[derive(Default, Clone)]
pub struct FormWriter {
    pairs: Vec<(&'static str, String)>,
}

impl FormWriter {
    /// An empty set of parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// A `string` or `enum` value, as is (secret strings included: this type is never printed).
    pub fn str(&mut self, name: &'static str, value: &str) {
        self.pairs.push((name, value.to_owned()));
    }

    /// An `int`, as decimal digits.
    pub fn int(&mut self, name: &'static str, value: i64) {
        self.pairs.push((name, value.to_string()));
    }

    /// Booleans go out as `true`/`false`, the form every server version accepts.
    pub fn bool(&mut self, name: &'static str, value: bool) {
        self.pairs
            .push((name, if value { "true" } else { "false" }.to_owned()));
    }

    /// Decimals go out in plain notation without trailing zeros beyond what was given.
    pub fn decimal(&mut self, name: &'static str, value: &Decimal) {
        self.pairs.push((name, value.to_string()));
    }

    /// A `date`, as `YYYY-MM-DD`.
    pub fn date(&mut self, name: &'static str, value: Date) {
        // Formatting a calendar date with a fixed description cannot fail.
        self.pairs
            .push((name, value.format(DATE_FORMAT).unwrap_or_default()));
    }

    /// A `datetime`, as `YYYY-MM-DD HH:MM:SS`; the value is taken to be UTC.
    pub fn datetime(&mut self, name: &'static str, value: PrimitiveDateTime) {
        self.pairs
            .push((name, value.format(DATETIME_FORMAT).unwrap_or_default()));
    }

    /// An `int_list`, as ids joined with `;` (`1;5;7`) or `all`.
    pub fn id_list(&mut self, name: &'static str, value: &IdList) {
        self.pairs.push((name, value.to_string()));
    }

    /// A `string_list` or `enum_list`, as items joined with `;` (`a;b`). Items are joined as
    /// given: validation's `list_item` rule is what refuses an item holding `;`.
    pub fn str_list<'a>(&mut self, name: &'static str, items: impl Iterator<Item = &'a str>) {
        let mut joined = String::new();
        for (i, item) in items.enumerate() {
            if i > 0 {
                joined.push(';');
            }
            joined.push_str(item);
        }
        self.pairs.push((name, joined));
    }

    /// The value of a parameter, if it was set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a parameter, replacing its value if it was set (the pager's `count`/`offset`).
    pub fn set(&mut self, name: &'static str, value: String) {
        match self.pairs.iter_mut().find(|(k, _)| *k == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name, value)),
        }
    }

    /// Every parameter set, as wire name and value, in the order written.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.pairs
    }

    /// The same pairs, taken out of the writer.
    pub fn into_pairs(self) -> Vec<(&'static str, String)> {
        self.pairs
    }

    /// `application/x-www-form-urlencoded` text of the pairs.
    pub fn urlencoded(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            s.append_pair(k, v);
        }
        s.finish()
    }
}
