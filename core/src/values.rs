//! Value types of request parameters that the standard library does not have.

use std::fmt;

/// An `int_list` parameter: some ids, or every record (`all` on the wire).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IdList {
    /// Every record; only where the spec allows `all`.
    All,
    /// These ids, joined with `;` on the wire.
    Ids(Vec<i64>),
}

impl From<i64> for IdList {
    fn from(id: i64) -> Self {
        Self::Ids(vec![id])
    }
}

impl From<Vec<i64>> for IdList {
    fn from(ids: Vec<i64>) -> Self {
        Self::Ids(ids)
    }
}

impl From<&[i64]> for IdList {
    fn from(ids: &[i64]) -> Self {
        Self::Ids(ids.to_vec())
    }
}

impl<const N: usize> From<[i64; N]> for IdList {
    fn from(ids: [i64; N]) -> Self {
        Self::Ids(ids.to_vec())
    }
}

impl fmt::Display for IdList {
    /// The wire form: `all` or ids joined with `;`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Ids(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        f.write_str(";")?;
                    }
                    write!(f, "{id}")?;
                }
                Ok(())
            }
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS`, the Voximplant datetime format (always UTC).
pub(crate) const DATETIME_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

/// `YYYY-MM-DD`.
pub(crate) const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// RFC 3339 with a `Z`, the form the bindings receive datetimes in.
pub(crate) const RFC3339_UTC: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
