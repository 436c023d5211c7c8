//! The one error type every binding shares.
//!
//! Each variant has a stable machine-readable [`Error::code`]; API errors also carry a named
//! [`ApiErrorKind`]. The conformance vectors, and every binding's exception classes, are keyed
//! on these strings, so they never change meaning once published.

use std::fmt;

/// Anything that can go wrong between a call and its typed result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The call was refused before anything was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The server answered with an error.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A non-success HTTP status without an API error in the body (a gateway page, say).
    #[error("the server answered HTTP {status}: {excerpt}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, at most [`EXCERPT_CHARS`] characters (see [`excerpt`]).
        excerpt: String,
    },
    /// The body could not be read as the expected answer (truncated or not JSON).
    #[error("cannot read the server's answer ({message}): {excerpt}")]
    Decode {
        /// Why the body could not be read: the JSON reader's message, or what the answer lacks.
        message: String,
        /// The start of the body, at most [`EXCERPT_CHARS`] characters (see [`excerpt`]).
        excerpt: String,
    },
    /// Credentials could not be used (unreadable key, bad credentials JSON).
    #[error("authentication setup failed: {0}")]
    Auth(String),
    /// The client configuration is wrong (a bad base URL, say).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The transport could not complete the exchange.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A write may or may not have been executed: its answer was lost (a timeout, a dropped
    /// connection, a gateway error) and the write cannot be safely repeated or looked up. The
    /// caller must check the state before trying again.
    #[error("the outcome of {method} is unknown (it may or may not have been applied): {cause}")]
    OutcomeUnknown {
        /// The wire name of the write (`TransferMoneyToUser`).
        method: String,
        /// The request as sent, secrets redacted, so the caller can reconcile.
        request: String,
        /// Why the answer is missing.
        cause: Box<Error>,
    },
    /// A call by name named no method of the spec, or a method of another API.
    #[error("unknown method {name:?}{hint}", hint = suggestion_hint(.suggestion.as_deref()))]
    UnknownMethod {
        /// The name as given, cut to 80 characters.
        name: String,
        /// A method of the same API whose name contains the given one or is contained in it
        /// (ignoring case, `_` and `-`), offered as the likely intended name.
        suggestion: Option<String>,
    },
}

fn suggestion_hint(s: Option<&str>) -> String {
    s.map(|s| format!("; did you mean {s:?}?"))
        .unwrap_or_default()
}

impl Error {
    /// The stable code of this error, shared with every binding and the vectors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation",
            Self::Api(_) => "api",
            Self::HttpStatus { .. } => "http_status",
            Self::Decode { .. } => "decode",
            Self::Auth(_) => "auth",
            Self::Config(_) => "config",
            Self::Transport(_) => "transport",
            Self::OutcomeUnknown { .. } => "outcome_unknown",
            Self::UnknownMethod { .. } => "unknown_method",
        }
    }

    pub(crate) fn decode(message: impl fmt::Display, body: &[u8]) -> Self {
        Self::Decode {
            message: message.to_string(),
            excerpt: excerpt(body),
        }
    }
}

/// A failed HTTP exchange, as the binding's transport reports it.
///
/// What matters for retries is whether the request may have reached the server: a connection
/// that was never made proves nothing was executed; a timeout or a reset after sending proves
/// nothing either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("transport error ({kind}): {message}")]
pub struct TransportError {
    /// What the failure proves about whether the request reached the server.
    pub kind: TransportErrorKind,
    /// The transport's own description of the failure, for people; never parsed.
    pub message: String,
}

impl TransportError {
    /// A failure of `kind`, described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// Whether the server may have received the request.
    pub fn maybe_sent(&self) -> bool {
        !matches!(self.kind, TransportErrorKind::NotSent)
    }
}

/// How an exchange failed, which decides whether a write may have been executed: only
/// [`TransportErrorKind::NotSent`] proves it was not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Nothing was sent: DNS failure, connection refused, TLS handshake failure.
    NotSent,
    /// The request was sent and no answer came in time.
    TimedOut,
    /// The connection broke after the request was sent (reset, closed, truncated body).
    Interrupted,
}

impl TransportErrorKind {
    /// The stable code of the kind (`not_sent`, `timed_out`, `interrupted`), shared with every
    /// binding as [`ErrorDetails::transport_kind`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::TimedOut => "timed_out",
            Self::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// At most this many characters of a body are kept in an error.
pub const EXCERPT_CHARS: usize = 300;

/// A bounded, printable excerpt of a response body.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(empty body)");
    }
    out
}

/// A parameter that breaks a rule of the spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid parameter `{parameter}` ({rule}): {message}")]
pub struct ValidationError {
    /// The wire name, or for a group rule the group's names joined by `/`.
    pub parameter: String,
    /// The rule broken; [`Rule::as_str`] is its stable code.
    pub rule: Rule,
    /// What is wrong with the value. Never contains the value of a secret parameter.
    pub message: String,
}

impl ValidationError {
    /// `parameter` breaks `rule`; `message` says how, without quoting a secret value.
    pub fn new(parameter: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        Self {
            parameter: parameter.into(),
            rule,
            message: message.into(),
        }
    }
}

/// The rules a parameter can break; see `spec/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// `required`: a required parameter is missing.
    Required,
    /// `type`: a value of the wrong shape (text for an integer, a malformed date, ...), or
    /// parameters that are not a JSON object.
    Type,
    /// `unknown_parameter`: a call by name gave a parameter the method does not have.
    UnknownParameter,
    /// `pattern`: a string does not match the spec's regex.
    Pattern,
    /// `min_length`: a string has fewer characters than the spec's `min_len`.
    MinLength,
    /// `max_length`: a string has more characters than the spec's `max_len`.
    MaxLength,
    /// `min`: a number, or an id in a list, is below the spec's `min`.
    Min,
    /// `max`: a number, or an id in a list, is above the spec's `max`.
    Max,
    /// `min_abs`: a decimal's absolute value is below the spec's `min_abs` (a money amount too
    /// small to move).
    MinAbs,
    /// `enum`: a value is not one of the allowed values.
    Enum,
    /// `password_policy`: a password lacks 8 characters, an upper- or lower-case letter, a
    /// digit or a special character, or contains whitespace.
    PasswordPolicy,
    /// `list_item`: an item of a list is empty or contains the `;` separator, or `all` is given
    /// where the list does not accept it.
    ListItem,
    /// `empty_list`: a list parameter has no items.
    EmptyList,
    /// `exactly_one`: none, or more than one, of a group of alternatives was given.
    ExactlyOne,
    /// `at_most_one`: more than one of a group of mutually exclusive parameters was given.
    AtMostOne,
    /// `at_least_one`: none of a group of parameters was given.
    AtLeastOne,
    /// `requires`: a parameter was given without one of those it needs (`user_name` without
    /// `application_id` or `application_name`).
    Requires,
}

impl Rule {
    /// The stable code of the rule (`min_length`), shared by every binding and the
    /// conformance vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Type => "type",
            Self::UnknownParameter => "unknown_parameter",
            Self::Pattern => "pattern",
            Self::MinLength => "min_length",
            Self::MaxLength => "max_length",
            Self::Min => "min",
            Self::Max => "max",
            Self::MinAbs => "min_abs",
            Self::Enum => "enum",
            Self::PasswordPolicy => "password_policy",
            Self::ListItem => "list_item",
            Self::EmptyList => "empty_list",
            Self::ExactlyOne => "exactly_one",
            Self::AtMostOne => "at_most_one",
            Self::AtLeastOne => "at_least_one",
            Self::Requires => "requires",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The Voximplant error code; Voiso has none, so there it is the HTTP status.
    pub code: i64,
    /// The server's message, as sent.
    pub msg: String,
    /// The parameter the error is about, when the server named one: Voximplant's
    /// `field_name`, or the first field of Voiso's `errors`.
    pub field_name: Option<String>,
    /// Every entry of Voximplant's `errors` array, when the server sent one (the first is also
    /// in `code`/`msg`); Voiso's per-field messages.
    pub errors: Vec<ApiErrorEntry>,
    /// The HTTP status of the answer; Voximplant sends its errors with 200 in practice.
    pub http_status: u16,
    /// What the error means, told by the code (Voximplant) or the HTTP status (Voiso).
    pub kind: ApiErrorKind,
}

/// One problem in a multi-error answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiErrorEntry {
    /// The entry's error code (Voiso: the HTTP status).
    pub code: i64,
    /// The server's message.
    pub msg: String,
    /// The parameter the entry is about, when the server named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {} ({}): {}", self.code, self.kind, self.msg)?;
        if let Some(field) = &self.field_name {
            write!(f, " [field {field}]")?;
        }
        if self.errors.len() > 1 {
            write!(f, " (+{} more)", self.errors.len() - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// What an API error means, whatever its numeric code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// The credentials or the token were refused.
    Auth,
    /// The key's role may not call this method.
    Forbidden,
    /// An id or name that does not exist.
    NotFound,
    /// A name already taken, or a resend the server recognised.
    Conflict,
    /// Too many requests: the request was refused, not executed.
    RateLimited,
    /// The server is busy: the request was refused, not executed.
    Unavailable,
    /// A parameter the server rejected.
    InvalidArgument,
    /// Not enough money for a transfer.
    InsufficientFunds,
    /// An account limit (such as the number of users) is reached.
    LimitExceeded,
    /// The method name was not recognised by the server.
    UnknownMethod,
    /// A code or status without a named meaning here.
    Other,
}

impl ApiErrorKind {
    /// The stable code of the kind (`not_found`), shared by every binding.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::InvalidArgument => "invalid_argument",
            Self::InsufficientFunds => "insufficient_funds",
            Self::LimitExceeded => "limit_exceeded",
            Self::UnknownMethod => "unknown_method",
            Self::Other => "other",
        }
    }

    /// The kind of a Voximplant error code (see `shared/wire-facts.md`).
    pub fn of_voximplant(code: i64) -> Self {
        match code {
            100 | 433 | 447 | 454 | 455 | 456 => Self::Auth,
            104 => Self::Forbidden,
            115 | 116 | 117 | 218 | 222 | 341 | 393 => Self::NotFound,
            118 | 219 | 221 | 484 => Self::Conflict,
            340 | 416 => Self::RateLimited,
            162 => Self::Unavailable,
            127 => Self::InsufficientFunds,
            109 => Self::LimitExceeded,
            102 | 103 => Self::UnknownMethod,
            101 | 122 | 125 | 134 | 157 | 212 | 213 | 214 | 220 | 225 | 458 | 462 | 463 | 464
            | 485 | 496 | 497 | 499 | 523 | 524 => Self::InvalidArgument,
            _ => Self::Other,
        }
    }

    /// The kind of a Voiso error, which is told by its HTTP status.
    pub fn of_http_status(status: u16) -> Self {
        match status {
            401 => Self::Auth,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::RateLimited,
            503 => Self::Unavailable,
            400 | 406 | 422 => Self::InvalidArgument,
            _ => Self::Other,
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every field of an [`Error`] a binding may expose, flat and serialisable, so each binding's
/// exception classes are filled the same way. Holds no secret: messages never quote secret
/// values and requests are redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ErrorDetails {
    /// [`Error::code`].
    pub code: &'static str,
    /// The full message ([`Error`]'s `Display`).
    pub message: String,
    /// Validation: the parameter and the rule it breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Validation: the code of the rule broken ([`Rule::as_str`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// API errors: the API's code, its named kind, message and field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_code: Option<i64>,
    /// API errors: the kind's code ([`ApiErrorKind::as_str`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_kind: Option<&'static str>,
    /// API errors: the server's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
    /// API errors: the parameter the server named, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// API errors: every problem the answer names, in the server's order (Voximplant's
    /// `errors`, or its one `error`; Voiso's per-field messages), so a binding can list them
    /// all. Empty for errors that are not API errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ApiErrorEntry>,
    /// API and HTTP status errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Transport errors: `not_sent`, `timed_out` or `interrupted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_kind: Option<&'static str>,
    /// Outcome unknown: the method, the redacted request and the cause's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Outcome unknown: the request as sent, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// Outcome unknown: the [`Error::code`] of the failure that lost the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<&'static str>,
}

impl Error {
    /// The fields of this error for a binding's exception.
    pub fn details(&self) -> ErrorDetails {
        let mut d = ErrorDetails {
            code: self.code(),
            message: self.to_string(),
            ..ErrorDetails::default()
        };
        match self {
            Self::Validation(v) => {
                d.parameter = Some(v.parameter.clone());
                d.rule = Some(v.rule.as_str());
            }
            Self::Api(a) => {
                d.api_code = Some(a.code);
                d.api_kind = Some(a.kind.as_str());
                d.msg = Some(a.msg.clone());
                d.field_name = a.field_name.clone();
                d.errors = a.errors.clone();
                d.http_status = Some(a.http_status);
            }
            Self::HttpStatus { status, .. } => d.http_status = Some(*status),
            Self::Transport(t) => d.transport_kind = Some(t.kind.as_str()),
            Self::OutcomeUnknown {
                method,
                request,
                cause,
            } => {
                d.method = Some(method.clone());
                d.request = Some(request.clone());
                d.cause = Some(cause.code());
            }
            Self::Decode { .. } | Self::Auth(_) | Self::Config(_) | Self::UnknownMethod { .. } => {}
        }
        d
    }
}
