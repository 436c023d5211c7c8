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

use roster::core::ApiKind;
use roster::{ApiErrorKind, Error};

/// Which API a call went to: hints name that API's options.
pub type Api = ApiKind;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// A call to `api` failed; `action` says which one (`AddUser ana-lopez`).
    Call {
        action: String,
        error: Error,
        api: Api,
    },
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
    /// A failed Voximplant call (or client set-up).
    pub fn call(action: impl Into<String>, error: Error) -> Self {
        Self::call_to(Api::Voximplant, action, error)
    }

    /// A failed call to `api` (or its client's set-up).
    pub fn call_to(api: Api, action: impl Into<String>, error: Error) -> Self {
        Self::Call {
            action: action.into(),
            error,
            api,
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
        Self::call(String::new(), error)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Call { action, error, api } => {
                if !action.is_empty() {
                    write!(f, "{action}: ")?;
                }
                write!(f, "{error}")?;
                if let Some(hint) = hint(*api, error) {
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

/// What the user can do about `error` from `api`, when there is something better than
/// reading it. Each names the options of the API the call went to.
pub fn hint(api: Api, error: &Error) -> Option<&'static str> {
    let voiso = api == Api::Voiso;
    Some(match error {
        Error::Validation(_) => "fix the value and run the command again",
        Error::Api(e) => match e.kind {
            ApiErrorKind::Auth if voiso => "check --voiso-key (or VOISO_API_KEY): the contact center may have revoked the key",
            ApiErrorKind::Auth => "check --credentials (or VOXIMPLANT_CREDENTIALS) and the clock; the key may be revoked",
            ApiErrorKind::Forbidden if voiso => "the Voiso key may not do this; ask the contact center's admin for a key that may",
            ApiErrorKind::Forbidden => "the key's role may not do this; use a service account with the Owner, Admin or User manager role",
            ApiErrorKind::NotFound => "check the id or name; `roster users list` and friends show what exists",
            ApiErrorKind::Conflict => "the name is taken; pick another or manage the existing one",
            ApiErrorKind::RateLimited | ApiErrorKind::Unavailable => "the server is busy; try again later or with less --concurrency",
            ApiErrorKind::InvalidArgument => "the server refused a parameter; check its format",
            ApiErrorKind::InsufficientFunds => "top up the account or transfer a smaller amount",
            ApiErrorKind::LimitExceeded => "an account limit is reached; delete unused records or raise the limit",
            ApiErrorKind::UnknownMethod if voiso => "the server does not know this method; check --voiso-base-url",
            ApiErrorKind::UnknownMethod => "the server does not know this method; check --base-url",
            _ => return None,
        },
        Error::HttpStatus { .. } | Error::Decode { .. } if voiso => "the answer was not what Voiso sends; check --voiso-base-url",
        Error::HttpStatus { .. } => "the server (or a proxy) answered with an error page; check --base-url",
        Error::Decode { .. } => "the answer was not what the API sends; check --base-url",
        Error::Auth(_) => "check the credentials: they must be a Voximplant service account's credentials.json (its path or its text)",
        Error::Config(_) if voiso => "check --voiso-key (or VOISO_API_KEY) and --voiso-base-url (or VOISO_BASE_URL), or try --sandbox",
        Error::Config(_) => "check --credentials (the path of credentials.json or its text; or VOXIMPLANT_CREDENTIALS) and --base-url (or VOXIMPLANT_BASE_URL), or try --sandbox",
        Error::Transport(_) if voiso => "check the network and --voiso-base-url (and --ca-cert for a private CA)",
        Error::Transport(_) => "check the network and --base-url (and --ca-cert for a private CA)",
        Error::OutcomeUnknown { .. } => "the write may have been applied: check the state (e.g. `roster plan`) before running it again",
        Error::UnknownMethod { .. } => "`roster call --list` shows every method",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster::ApiError;

    fn refused_key() -> Error {
        Error::Api(ApiError {
            code: 401,
            msg: "Invalid User API Key".to_owned(),
            field_name: None,
            errors: Vec::new(),
            http_status: 401,
            kind: ApiErrorKind::Auth,
        })
    }

    #[test]
    fn hints_name_the_options_of_the_api_called() {
        let voiso = CliError::call_to(Api::Voiso, "ListUsers", refused_key()).to_string();
        assert!(voiso.contains("--voiso-key"), "{voiso}");
        assert!(
            !voiso.contains("--credentials") && !voiso.contains("VOXIMPLANT"),
            "{voiso}"
        );
        let vox = CliError::call("GetUsers", refused_key()).to_string();
        assert!(
            vox.contains("--credentials") && !vox.contains("voiso"),
            "{vox}"
        );
        let setup = CliError::call_to(Api::Voiso, "Voiso client", Error::Config("x".to_owned()));
        assert!(setup.to_string().contains("VOISO_API_KEY"), "{setup}");
        assert!(!setup.to_string().contains("--credentials"), "{setup}");
    }
}
