//! What the spec says of each method, as plain data: the bottom layer of the core.
//!
//! Generated code fills one [`MethodInfo`] per method from `spec/*.toml`; the retry machine, the
//! pager, the CLI and every binding consult it at run time. It holds no code: the typed request
//! and response traits live in [`crate::endpoint`], and the by-name entry points of each method
//! in [`crate::dynamic`], above it.

/// Which API a method belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    Voximplant,
    Voiso,
}

impl ApiKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Voximplant => "voximplant",
            Self::Voiso => "voiso",
        }
    }
}

/// A generated enum of allowed values.
pub trait SpecEnum: Copy + 'static {
    const VALUES: &'static [&'static str];
    fn as_str(self) -> &'static str;
    fn parse(text: &str) -> Option<Self>;
}

/// Whether repeating a call is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Safety {
    /// No effect on state.
    Read,
    /// A write whose repetition leaves the same state.
    Idempotent,
    /// A write that must not happen twice.
    Once,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Idempotent => "idempotent",
            Self::Once => "once",
        }
    }
}

/// How a list method pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    None,
    /// Voximplant: `count` and `offset`, `total_count` in the answer.
    CountOffset {
        size: &'static str,
        offset: &'static str,
    },
    /// `limit` and `offset`.
    LimitOffset {
        size: &'static str,
        offset: &'static str,
    },
}

/// How to learn whether a lost `once` write happened; see `spec/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaturalKey {
    pub param: &'static str,
    pub lookup: &'static str,
    pub filter: &'static str,
    pub field: &'static str,
    pub matching: KeyMatch,
    pub scope: &'static [&'static str],
    pub returns: &'static [&'static str],
}

/// The unique ascending field a paged list is ordered by; see `spec/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageKey {
    pub field: &'static str,
    /// The parameter that orders the list; the pager sets it to `field`.
    pub order_param: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMatch {
    Exact,
    /// Compare only the text before the first `.` of the found value.
    FirstLabel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Int,
    String,
    Bool,
    Decimal,
    Date,
    Datetime,
    Enum,
    IntList,
    StringList,
    EnumList,
}

#[derive(Debug, Clone, Copy)]
pub struct ParamInfo {
    pub name: &'static str,
    pub kind: ParamKind,
    pub required: bool,
    pub secret: bool,
    /// Whether an `int_list` accepts `all`.
    pub all: bool,
    pub values: &'static [&'static str],
    /// The server's default, as JSON text.
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRule {
    ExactlyOne,
    AtMostOne,
    AtLeastOne,
    Requires,
}

#[derive(Debug, Clone, Copy)]
pub struct GroupInfo {
    pub rule: GroupRule,
    pub params: &'static [&'static str],
    pub when: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseInfo {
    Command,
    List { item: &'static str },
}

/// What the spec says of one method.
#[derive(Debug)]
pub struct MethodInfo {
    pub api: ApiKind,
    /// The wire name, `AddUser`.
    pub name: &'static str,
    /// `add_user`, for bindings and the CLI.
    pub snake_name: &'static str,
    pub group: &'static str,
    pub doc: &'static str,
    pub http_method: crate::http::HttpMethod,
    pub path: &'static str,
    pub roles: &'static [&'static str],
    pub safety: Safety,
    pub paging: Paging,
    pub natural_key: Option<NaturalKey>,
    pub page_key: Option<PageKey>,
    pub params: &'static [ParamInfo],
    pub groups: &'static [GroupInfo],
    pub response: ResponseInfo,
}

impl MethodInfo {
    pub fn param(&self, name: &str) -> Option<&'static ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The wire names of the parameters whose values must never be shown.
    pub fn secret_params(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.params.iter().filter(|p| p.secret).map(|p| p.name)
    }
}
