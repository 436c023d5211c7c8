//! What the spec says of each method, as plain data: the bottom layer of the core.
//!
//! Generated code fills one [`MethodInfo`] per method from `spec/*.toml`; the retry machine, the
//! pager, the CLI and every binding consult it at run time. It holds no code: the typed request
//! and response traits live in [`crate::endpoint`], and the by-name entry points of each method
//! in [`crate::dynamic`], above it.

/// Which API a method belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    /// The Voximplant Management API (`spec/voximplant.toml`): form-encoded `POST`s to
    /// `/platform_api/{Method}`, answered with a JSON envelope.
    Voximplant,
    /// Voiso's user-management API (`spec/voiso.toml`): `GET`s with query filters and a bearer
    /// API key, answered with bare JSON.
    Voiso,
}

impl ApiKind {
    /// The API's lower-case name, `voximplant` or `voiso`, as the CLI and the bindings show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Voximplant => "voximplant",
            Self::Voiso => "voiso",
        }
    }
}

/// A generated enum of allowed values.
pub trait SpecEnum: Copy + 'static {
    /// Every allowed wire value, in the order of the spec's `values`.
    const VALUES: &'static [&'static str];
    /// The wire value of this variant, as it is sent.
    fn as_str(self) -> &'static str;
    /// The variant whose wire value is exactly `text` (case-sensitive), or `None` if `text` is
    /// not one of [`SpecEnum::VALUES`].
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
    /// The spec's name of this class (`safety` in `spec/*.toml`): `read`, `idempotent` or
    /// `once`.
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
    /// Not paged: one answer holds the whole result, and [`Pager`](crate::Pager) refuses it.
    None,
    /// Voximplant: `count` and `offset`, `total_count` in the answer.
    CountOffset {
        /// The wire name of the page-size parameter (`count`).
        size: &'static str,
        /// The wire name of the parameter that skips records (`offset`).
        offset: &'static str,
    },
    /// `limit` and `offset`.
    LimitOffset {
        /// The wire name of the page-size parameter (`limit`).
        size: &'static str,
        /// The wire name of the parameter that skips records (`offset`).
        offset: &'static str,
    },
}

/// How to learn whether a lost `once` write happened; see `spec/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaturalKey {
    /// The write's parameter whose value identifies the record (AddUser: `user_name`).
    pub param: &'static str,
    /// The wire name of the list method, in the same API, that finds the record (`GetUsers`).
    pub lookup: &'static str,
    /// The lookup's parameter set to the value of `param`. It may match part of a name, so each
    /// item found is compared by `field` as well.
    pub filter: &'static str,
    /// The field of a found item that must equal the value, as `matching` says.
    pub field: &'static str,
    /// How `field` is compared with the value.
    pub matching: KeyMatch,
    /// The write's parameters copied into the lookup when the caller gave them
    /// (`application_id`, `application_name`), so that a same-named record elsewhere does not
    /// pass for ours. A write that set a parameter of one of its groups (other than `requires`
    /// groups) that is neither `param` nor in the scope is not looked up: the lookup could not
    /// filter by it.
    pub scope: &'static [&'static str],
    /// The fields of the found item that become the write's answer, next to `result: 1`
    /// (AddUser: `user_id`), as if the lost answer had arrived.
    pub returns: &'static [&'static str],
}

/// The unique ascending field a paged list is ordered by; see `spec/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageKey {
    /// The item's unique, ascending integer field (`user_id`): the pager never yields a key
    /// twice, and a page that starts past the largest key seen shows that records were deleted.
    pub field: &'static str,
    /// The parameter that orders the list; the pager sets it to `field`.
    pub order_param: Option<&'static str>,
}

/// How the value of a found record is compared with the lost write's (`match` in a spec's
/// `natural_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMatch {
    /// The whole value must be equal (the default).
    Exact,
    /// Compare only the text before the first `.` of the found value.
    FirstLabel,
}

/// The spec type of a parameter (`type` in `spec/*.toml`), which decides its Rust type and its
/// wire form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `int`: a 64-bit integer, sent as decimal digits.
    Int,
    /// `string`: text, sent as is (a [`Secret`](crate::Secret) when the parameter is secret).
    String,
    /// `bool`: sent as `true` or `false`.
    Bool,
    /// `decimal`: an exact decimal (money, probabilities), sent in plain notation (`15.75`).
    Decimal,
    /// `date`: `YYYY-MM-DD`.
    Date,
    /// `datetime`: `YYYY-MM-DD HH:MM:SS`, UTC.
    Datetime,
    /// `enum`: one of [`ParamInfo::values`], sent as is.
    Enum,
    /// `int_list`: ids joined with `;`, or `all` where [`ParamInfo::all`] allows it.
    IntList,
    /// `string_list`: items joined with `;` (an item may not contain `;`).
    StringList,
    /// `enum_list`: values of [`ParamInfo::values`] joined with `;`.
    EnumList,
}

/// What the spec says of one parameter of a method (an entry of its `params`).
#[derive(Debug, Clone, Copy)]
pub struct ParamInfo {
    /// The wire name, snake_case as the API spells it (`user_name`).
    pub name: &'static str,
    /// The spec type, which decides how the value is checked and written.
    pub kind: ParamKind,
    /// Whether the call is invalid without it. Alternatives (`application_id` or
    /// `application_name`) are not required; a [`GroupInfo`] demands one of them instead.
    pub required: bool,
    /// Whether the value is a password, key or token: it is redacted from every `Debug`, log,
    /// error and dry run.
    pub secret: bool,
    /// Whether an `int_list` accepts `all`.
    pub all: bool,
    /// The allowed values of an `enum` or `enum_list`, in spec order; empty for other kinds.
    pub values: &'static [&'static str],
    /// The server's default, as JSON text.
    pub default: Option<&'static str>,
    /// What the parameter does, in the spec's words, for help texts and generated bindings.
    pub doc: &'static str,
}

/// What a group of parameters demands (`rule` of an entry of a method's `groups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRule {
    /// One and only one of the group's parameters must be given (`exactly_one`).
    ExactlyOne,
    /// No more than one of them may be given (`at_most_one`).
    AtMostOne,
    /// One or more of them must be given (`at_least_one`).
    AtLeastOne,
    /// When [`GroupInfo::when`] is given, at least one of the group's parameters must be given
    /// too (`requires`).
    Requires,
}

/// A rule over several parameters of a method (an entry of its `groups`).
#[derive(Debug, Clone, Copy)]
pub struct GroupInfo {
    /// What the group demands.
    pub rule: GroupRule,
    /// The wire names of the group's parameters. A broken rule is reported under these names
    /// joined by `/` (`application_id/application_name`).
    pub params: &'static [&'static str],
    /// For [`GroupRule::Requires`], the parameter whose presence brings the rule into force;
    /// `None` for the other rules.
    pub when: Option<&'static str>,
}

/// The shape of a method's answer (`response` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseInfo {
    /// A JSON object with `result` and the method's own fields (AddUser:
    /// `{"result":1,"user_id":N}`).
    Command,
    /// A list of records: Voximplant's `{"result":[...],"total_count":N,"count":N}`, or Voiso's
    /// bare JSON array (a single object is read as a list of one).
    List {
        /// The name of the spec `[[struct]]` each item is read into (`User`).
        item: &'static str,
    },
}

/// What the spec says of one method.
#[derive(Debug)]
pub struct MethodInfo {
    /// The API the method belongs to.
    pub api: ApiKind,
    /// The wire name, `AddUser`.
    pub name: &'static str,
    /// `add_user`, for bindings and the CLI.
    pub snake_name: &'static str,
    /// The spec's `group` (`users`, `skills`, `queues`, `applications`), which names the
    /// method's module under [`crate::api`].
    pub group: &'static str,
    /// What the method does, in the spec's words.
    pub doc: &'static str,
    /// `POST` for Voximplant and `GET` for Voiso, unless the spec's `http` says otherwise.
    pub http_method: crate::http::HttpMethod,
    /// The path appended to the base URL: the spec's `path` (required for Voiso:
    /// `/user_management/v1/users`), or else `/platform_api/{name}` for Voximplant.
    pub path: &'static str,
    /// The roles of the keys allowed to call the method (`Owner`, `Admin`, `User manager`, ...).
    /// The client does not check them: the server refuses any other key (Voximplant 104), and
    /// the emulator enforces this list.
    pub roles: &'static [&'static str],
    /// Whether repeating the call is harmless, which decides what the call machine may resend
    /// after an ambiguous failure.
    pub safety: Safety,
    /// How the method pages, with the wire names of its size and offset parameters.
    pub paging: Paging,
    /// For a `once` write, how to learn whether a lost write happened. Without one, such a
    /// call whose answer is lost ends in [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
    pub natural_key: Option<NaturalKey>,
    /// For a paged list, the key the pager orders and de-duplicates by.
    pub page_key: Option<PageKey>,
    /// Every parameter, in spec order: the order in which validation checks them.
    pub params: &'static [ParamInfo],
    /// The rules over several parameters, checked in this order after every single parameter.
    pub groups: &'static [GroupInfo],
    /// The shape of the answer.
    pub response: ResponseInfo,
}

impl MethodInfo {
    /// The parameter whose wire name is `name`, if the method has one.
    pub fn param(&self, name: &str) -> Option<&'static ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The wire names of the parameters whose values must never be shown.
    pub fn secret_params(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.params.iter().filter(|p| p.secret).map(|p| p.name)
    }
}
