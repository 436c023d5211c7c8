//! What the host app may lend a client besides the transport and the sleeper: the environment
//! and files the settings resolver reads, the clock, a token provider and an attempt listener.
//! All are foreign traits (Kotlin interfaces, Swift protocols); every decision about what they
//! return stays in the core.

use std::sync::{Arc, Mutex, PoisonError};

use roster_core::settings::Host;

/// Why a host callback could not answer. The reason is shown to the user in the error that
/// follows, so it must never quote a file's contents, a key or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum HostFailure {
    /// The file cannot be read; `reason` is the operating system's (`No such file or
    /// directory`, `Permission denied`).
    #[error("{reason}")]
    Unreadable { reason: String },
    /// The callback failed for another reason (a token service that is down, say).
    #[error("{reason}")]
    Failed { reason: String },
}

/// An exception of another type thrown by a host callback: taken as a failure with the
/// exception's text.
impl From<uniffi::UnexpectedUniFFICallbackError> for HostFailure {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: format!("the host callback threw {}", e.reason),
        }
    }
}

impl HostFailure {
    fn reason(self) -> String {
        match self {
            Self::Unreadable { reason } | Self::Failed { reason } => reason,
        }
    }
}

/// Where the settings resolver reads environment variables and files. The default (no host in
/// `ClientOptions`) is the process's own; Kotlin's `SystemSettingsHost`, which the `Roster`
/// factory passes, reads `System.getenv` and `java.io.File`; tests lend maps.
#[uniffi::export(foreign)]
pub trait SettingsHost: Send + Sync {
    /// The value of the variable `name`, or null when it is unset. A failure thrown here makes
    /// the client's construction fail with a `config` error naming the variable.
    fn env(&self, name: String) -> Result<Option<String>, HostFailure>;

    /// The bytes of the file at `path`. When it cannot be read, throw `HostFailure.Unreadable`
    /// with the operating system's reason; the reason must not quote the path or the file.
    fn read_file(&self, path: String) -> Result<Vec<u8>, HostFailure>;
}

/// The time source of a client, Unix milliseconds: deadlines are measured and tokens dated by
/// it. The default is the system clock; tests lend a virtual one.
#[uniffi::export(foreign)]
pub trait TimeSource: Send + Sync {
    /// The current time in Unix milliseconds. A failure thrown here ends the call with a
    /// `config` error, whatever its request did: a clock must not throw.
    fn now_ms(&self) -> Result<u64, HostFailure>;
}

/// Supplies Voximplant tokens minted elsewhere (a backend's token service). The core asks
/// before a client's first request, and again with `force_refresh` after the server refused a
/// token (455, 456) or its `exp` passed, when a cached token must not be handed back. The core
/// checks the answer by the rule of every token (surrounding whitespace trimmed; anything an
/// HTTP header cannot carry, or an expired JWT, refused without echoing it). A failure thrown
/// here ends the call with an `auth` error carrying its reason.
#[uniffi::export(foreign)]
#[async_trait::async_trait]
pub trait TokenProvider: Send + Sync {
    /// A token to send as `Authorization: Bearer <token>`.
    async fn token(&self, force_refresh: bool) -> Result<String, HostFailure>;
}

/// One attempt of a call as a log or metrics hook sees it, secrets redacted.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttemptRecord {
    /// The wire name of the method sent (a lookup's method for a lookup).
    pub method: String,
    /// 1 for the first request of the call, then 2, 3, ...
    pub number: u32,
    /// `call`, or `lookup` when a lost write is being looked up.
    pub purpose: String,
    /// Method and URL, secret query parameters redacted.
    pub request: String,
    /// `HTTP 200`, or the transport failure.
    pub outcome: String,
    /// The whole record on one line, as every binding prints it:
    /// `GetUsers attempt 1 (call): POST https://… -> HTTP 502`.
    pub text: String,
}

impl From<&roster_core::call::AttemptEvent> for AttemptRecord {
    fn from(e: &roster_core::call::AttemptEvent) -> Self {
        Self {
            method: e.method.to_owned(),
            number: e.number,
            purpose: e.purpose.as_str().to_owned(),
            request: e.request.clone(),
            outcome: e.outcome.clone(),
            text: e.to_string(),
        }
    }
}

/// Sees every attempt of every call of a client, after its outcome is known.
#[uniffi::export(foreign)]
pub trait AttemptListener: Send + Sync {
    /// Called once per attempt. A failure thrown here is ignored: a log must not change what a
    /// call did (its request has already been sent).
    fn on_attempt(&self, attempt: AttemptRecord) -> Result<(), HostFailure>;
}

/// The host's [`SettingsHost`] as the core's [`Host`]. The core's lookup cannot fail, so the
/// first failed lookup is kept here and turned into an error once the settings are resolved
/// ([`Lent::check`]): a variable the host could not read is never taken as unset.
pub(crate) struct Lent {
    host: Arc<dyn SettingsHost>,
    failed: Mutex<Option<String>>,
}

impl Lent {
    pub(crate) fn new(host: Arc<dyn SettingsHost>) -> Self {
        Self {
            host,
            failed: Mutex::new(None),
        }
    }

    /// The first failed lookup, as a `config` error.
    pub(crate) fn check(&self) -> Result<(), roster_core::Error> {
        match self
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(why) => Err(roster_core::Error::Config(why)),
            None => Ok(()),
        }
    }
}

impl Host for Lent {
    fn env(&self, name: &str) -> Option<String> {
        match self.host.env(name.to_owned()) {
            Ok(value) => value,
            Err(e) => {
                let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
                failed.get_or_insert_with(|| {
                    format!(
                        "the host could not read the {name} variable: {}",
                        e.reason()
                    )
                });
                None
            }
        }
    }

    fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
        self.host
            .read_file(path.to_owned())
            .map_err(HostFailure::reason)
    }
}

/// The system clock, the default.
pub(crate) struct SystemClock;

impl TimeSource for SystemClock {
    fn now_ms(&self) -> Result<u64, HostFailure> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| HostFailure::Failed {
                reason: "the system clock is before 1970".to_owned(),
            })?;
        Ok(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing;

    impl SettingsHost for Failing {
        fn env(&self, name: String) -> Result<Option<String>, HostFailure> {
            match name.as_str() {
                "GIVEN" => Ok(Some("value".to_owned())),
                _ => Err(HostFailure::Failed {
                    reason: "the vault is sealed".to_owned(),
                }),
            }
        }

        fn read_file(&self, _path: String) -> Result<Vec<u8>, HostFailure> {
            Err(HostFailure::Unreadable {
                reason: "Permission denied".to_owned(),
            })
        }
    }

    #[test]
    fn a_failed_lookup_is_kept_and_reported_once_resolved() {
        let lent = Lent::new(Arc::new(Failing));
        assert_eq!(lent.env("GIVEN").as_deref(), Some("value"));
        assert!(lent.check().is_ok());
        assert_eq!(lent.env("VOISO_API_KEY"), None);
        assert_eq!(lent.env("VOISO_BASE_URL"), None);
        let e = lent.check().unwrap_err().to_string();
        assert!(
            e.contains("VOISO_API_KEY") && e.contains("the vault is sealed"),
            "{e}"
        );
        assert_eq!(
            lent.read_file("/x.json").unwrap_err(),
            "Permission denied".to_owned()
        );
    }

    #[test]
    fn the_system_clock_reads_unix_milliseconds() {
        assert!(SystemClock.now_ms().unwrap() > 1_700_000_000_000);
    }
}
