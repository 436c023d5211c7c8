//! The one error type of the command line, printed as a single line with what to do next.
//!
//! Every failure ends the process with a distinct exit status, so scripts can tell a bad
//! roster file from a refused call or a partly applied plan:
//!
//! | status | meaning |
//! |---|---|
//! | 1 | a call failed (API, transport or decode error), or what it names does not exist |
//! | 2 | bad usage: arguments, configuration, credentials or a roster file |
//! | 3 | `apply` finished, but some changes failed or were skipped |
//! | 4 | the outcome of a write is unknown: check the state before retrying |
//! | 130 | interrupted (Ctrl-C); `apply` resumes when run again |

use std::fmt;
use std::path::PathBuf;

use roster::{ApiErrorKind, Error};

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// A call to the API failed; `action` says which one (`AddUser ana-lopez`).
    Call { action: String, error: Error },
    /// A roster file cannot be used; the position is 1-based.
    File {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The command line or the configuration is wrong.
    Usage(String),
    /// A user, skill, queue or application named on the command line does not exist; the
    /// message says how to see what does.
    NotFound(String),
    /// A local file could not be read or written.
    Io { what: String, error: std::io::Error },
    /// `apply` ran to the end but not every change succeeded (each was reported already).
    Incomplete { failed: usize, skipped: usize },
    /// The user interrupted the command.
    Interrupted,
}

impl CliError {
    pub fn call(action: impl Into<String>, error: Error) -> Self {
        Self::Call {
            action: action.into(),
            error,
        }
    }

    pub fn io(what: impl Into<String>, error: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            error,
        }
    }

    /// The process exit status for this error (see the module docs).
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Call {
                error: Error::OutcomeUnknown { .. },
                ..
            } => 4,
            Self::Call {
                error:
                    Error::Config(_)
                    | Error::Auth(_)
                    | Error::Validation(_)
                    | Error::UnknownMethod { .. },
                ..
            } => 2,
            Self::Call { .. } | Self::Io { .. } | Self::NotFound(_) => 1,
            Self::File { .. } | Self::Usage(_) => 2,
            Self::Incomplete { .. } => 3,
            Self::Interrupted => 130,
        }
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self::Call {
            action: String::new(),
            error,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Call { action, error } => {
                if !action.is_empty() {
                    write!(f, "{action}: ")?;
                }
                write!(f, "{error}")?;
                if let Some(hint) = hint(error) {
                    write!(f, " — {hint}")?;
                }
                Ok(())
            }
            Self::File {
                path,
                line,
                column,
                message,
            } => write!(f, "{}:{line}:{column}: {message}", path.display()),
            Self::Usage(message) | Self::NotFound(message) => f.write_str(message),
            Self::Io { what, error } => write!(f, "{what}: {error}"),
            Self::Incomplete { failed, skipped } => write!(
                f,
                "{failed} change(s) failed and {skipped} were skipped (see above) — fix the cause and run apply again; it only does what is still missing"
            ),
            Self::Interrupted => f.write_str(
                "interrupted — run the same command again to carry on where it stopped",
            ),
        }
    }
}

impl std::error::Error for CliError {}

/// What the user can do about `error`, when there is something better than reading it.
pub fn hint(error: &Error) -> Option<&'static str> {
    Some(match error {
        Error::Validation(_) => "fix the value and run the command again",
        Error::Api(api) => match api.kind {
            ApiErrorKind::Auth => "check --credentials (or VOXIMPLANT_CREDENTIALS) and the clock; the key may be revoked",
            ApiErrorKind::Forbidden => "the key's role may not do this; use a service account with the Owner, Admin or User manager role",
            ApiErrorKind::NotFound => "check the id or name; `roster users list` and friends show what exists",
            ApiErrorKind::Conflict => "the name is taken; pick another or manage the existing one",
            ApiErrorKind::RateLimited | ApiErrorKind::Unavailable => "the server is busy; try again later or with less --concurrency",
            ApiErrorKind::InvalidArgument => "the server refused a parameter; check its format",
            ApiErrorKind::InsufficientFunds => "top up the account or transfer a smaller amount",
            ApiErrorKind::LimitExceeded => "an account limit is reached; delete unused records or raise the limit",
            ApiErrorKind::UnknownMethod => "the server does not know this method; check --base-url",
            _ => return None,
        },
        Error::HttpStatus { .. } => "the server (or a proxy) answered with an error page; check --base-url",
        Error::Decode { .. } => "the answer was not what the API sends; check --base-url",
        Error::Auth(_) => "check the credentials file: it must be a Voximplant service-account credentials.json",
        Error::Config(_) => "check the options and environment variables",
        Error::Transport(_) => "check the network and --base-url (and --ca-cert for a private CA)",
        Error::OutcomeUnknown { .. } => "the write may have been applied: check the state (e.g. `roster plan`) before running it again",
        Error::UnknownMethod { .. } => "`roster call --list` shows every method",
        _ => return None,
    })
}
