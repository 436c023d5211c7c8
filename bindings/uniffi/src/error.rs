//! The exception every call throws: one variant per stable error code of the core, filled from
//! [`roster_core::Error::details`] so Kotlin and Swift expose exactly the codes, kinds and fields
//! of the conformance vectors. Nothing here holds a secret: the core never quotes one.

use roster_core::ErrorDetails;

/// Why a call failed. `code()` is the stable code shared with every binding: `validation`,
/// `api`, `http_status`, `decode`, `auth`, `config`, `transport`, `outcome_unknown`,
/// `unknown_method`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum RosterError {
    /// The call was refused before anything was sent.
    #[error("{reason}")]
    Validation {
        reason: String,
        /// The parameter's wire name (`user_name`), or names joined by `/` for a group rule.
        parameter: String,
        /// The rule broken: `required`, `pattern`, `password_policy`, `exactly_one`, ...
        rule: String,
    },
    /// The server answered with an API error.
    #[error("{reason}")]
    Api {
        reason: String,
        /// The API's own code (Voximplant 118, Voiso's HTTP status).
        api_code: i64,
        /// Its named kind: `auth`, `forbidden`, `not_found`, `conflict`, `rate_limited`,
        /// `unavailable`, `invalid_argument`, `insufficient_funds`, `limit_exceeded`,
        /// `unknown_method` or `other`.
        kind: String,
        /// The server's message.
        msg: String,
        field_name: Option<String>,
        http_status: u16,
        /// Every problem of a multi-error answer (Voximplant's `errors`, Voiso's per-field
        /// messages); the first is also in `api_code` / `msg`.
        errors: Vec<ApiProblem>,
    },
    /// A non-success HTTP status without an API error in the body (a gateway page).
    #[error("{reason}")]
    HttpStatus { reason: String, status: u16 },
    /// The answer could not be read (truncated, not JSON, of the wrong shape).
    #[error("{reason}")]
    Decode { reason: String },
    /// The credentials could not be used.
    #[error("{reason}")]
    Auth { reason: String },
    /// The client's configuration is wrong: a missing or malformed credential, API key or
    /// token, a bad base URL, a retry setting out of range. The reason names where the setting
    /// came from (argument, variable, file), never its value.
    #[error("{reason}")]
    Config { reason: String },
    /// No answer came: `transport_kind` is `not_sent`, `timed_out` or `interrupted`.
    #[error("{reason}")]
    Transport {
        reason: String,
        transport_kind: String,
    },
    /// A write may or may not have been applied; check before trying again.
    #[error("{reason}")]
    OutcomeUnknown {
        reason: String,
        method: String,
        /// The request as sent, secrets redacted.
        request: String,
        /// The code of the failure that lost the answer.
        cause_code: String,
    },
    /// A call by name named no method of this API.
    #[error("{reason}")]
    UnknownMethod { reason: String },
}

/// One problem of a multi-error API answer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApiProblem {
    pub code: i64,
    pub msg: String,
    pub field_name: Option<String>,
}

#[uniffi::export]
impl RosterError {
    /// The stable code of this error, as in the conformance vectors.
    pub fn code(&self) -> String {
        match self {
            Self::Validation { .. } => "validation",
            Self::Api { .. } => "api",
            Self::HttpStatus { .. } => "http_status",
            Self::Decode { .. } => "decode",
            Self::Auth { .. } => "auth",
            Self::Config { .. } => "config",
            Self::Transport { .. } => "transport",
            Self::OutcomeUnknown { .. } => "outcome_unknown",
            Self::UnknownMethod { .. } => "unknown_method",
        }
        .to_owned()
    }
}

impl From<roster_core::Error> for RosterError {
    fn from(e: roster_core::Error) -> Self {
        from_details(e.details())
    }
}

fn from_details(d: ErrorDetails) -> RosterError {
    let reason = d.message;
    let text = |s: Option<&str>| s.unwrap_or_default().to_owned();
    match d.code {
        "validation" => RosterError::Validation {
            reason,
            parameter: d.parameter.unwrap_or_default(),
            rule: text(d.rule),
        },
        "api" => RosterError::Api {
            reason,
            api_code: d.api_code.unwrap_or_default(),
            kind: text(d.api_kind),
            msg: d.msg.unwrap_or_default(),
            field_name: d.field_name,
            http_status: d.http_status.unwrap_or_default(),
            errors: d
                .errors
                .into_iter()
                .map(|p| ApiProblem {
                    code: p.code,
                    msg: p.msg,
                    field_name: p.field_name,
                })
                .collect(),
        },
        "http_status" => RosterError::HttpStatus {
            reason,
            status: d.http_status.unwrap_or_default(),
        },
        "decode" => RosterError::Decode { reason },
        "auth" => RosterError::Auth { reason },
        "transport" => RosterError::Transport {
            reason,
            transport_kind: text(d.transport_kind),
        },
        "outcome_unknown" => RosterError::OutcomeUnknown {
            reason,
            method: d.method.unwrap_or_default(),
            request: d.request.unwrap_or_default(),
            cause_code: text(d.cause),
        },
        "unknown_method" => RosterError::UnknownMethod { reason },
        // `config`, and any code a newer core adds: still an error, never a panic.
        _ => RosterError::Config { reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::{Rule, TransportError, TransportErrorKind, ValidationError};

    #[test]
    fn every_variant_keeps_the_core_code() {
        let errors = [
            roster_core::Error::Validation(ValidationError::new("user_name", Rule::Pattern, "bad")),
            roster_core::Error::Transport(TransportError::new(TransportErrorKind::TimedOut, "t")),
            roster_core::Error::Decode {
                message: "m".into(),
                excerpt: "e".into(),
            },
            roster_core::Error::Config("c".into()),
        ];
        for e in errors {
            let code = e.code();
            assert_eq!(RosterError::from(e).code(), code);
        }
    }

    #[test]
    fn transport_kind_survives() {
        let e =
            roster_core::Error::Transport(TransportError::new(TransportErrorKind::NotSent, "x"));
        assert!(
            matches!(RosterError::from(e), RosterError::Transport { transport_kind, .. } if transport_kind == "not_sent")
        );
    }
}
