//! What both clients' builders share: transport choice, timeouts, clock.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use roster_core::Error;

use crate::transport::Transport;

/// A source of Unix time in seconds, for signing tokens. Tests pass a fixed one.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

pub(crate) fn system_clock() -> Clock {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    })
}

/// Transport settings common to both builders.
#[derive(Clone)]
pub(crate) struct Settings {
    pub base_url: Option<String>,
    pub ca_pem: Option<Vec<u8>>,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub transport: Option<Arc<dyn Transport>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: None,
            ca_pem: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            transport: None,
        }
    }
}

impl Settings {
    /// The given transport, or the default one built from these settings.
    pub fn transport(&self) -> Result<Arc<dyn Transport>, Error> {
        if let Some(t) = &self.transport {
            // A CA the caller asked to trust would be silently ignored: say so instead.
            if self.ca_pem.is_some() {
                return Err(Error::Config(
                    "ca_pem applies to the default transport; configure trust in the custom transport instead".to_owned(),
                ));
            }
            return Ok(Arc::clone(t));
        }
        #[cfg(feature = "reqwest")]
        {
            let t = crate::ReqwestTransport::new(self.ca_pem.as_deref(), self.connect_timeout)?;
            Ok(Arc::new(t))
        }
        #[cfg(not(feature = "reqwest"))]
        Err(Error::Config(
            "no transport: enable the `reqwest` feature or pass one with `.transport(...)`"
                .to_owned(),
        ))
    }
}

/// The configured way out: a transport and the per-exchange timeout. Both clients send
/// through it, so the exchange is written once.
#[derive(Clone)]
pub(crate) struct Link {
    pub transport: Arc<dyn Transport>,
    pub timeout: Duration,
}

impl Link {
    pub fn new(settings: &Settings) -> Result<Self, Error> {
        Ok(Self {
            transport: settings.transport()?,
            timeout: settings.timeout,
        })
    }

    /// Sends a prepared request and reads the typed answer of `E`.
    pub async fn send<E: roster_core::Endpoint>(
        &self,
        http: roster_core::HttpRequest,
    ) -> Result<E::Response, Error> {
        let response = self.transport.send(http, self.timeout).await?;
        roster_core::parse::<E>(&response)
    }

    /// Sends a prepared call by name and reads its answer as JSON.
    pub async fn call(
        &self,
        info: &roster_core::MethodInfo,
        http: roster_core::HttpRequest,
    ) -> Result<serde_json::Value, Error> {
        let response = self.transport.send(http, self.timeout).await?;
        roster_core::dynamic::parse_response(info, &response)
    }
}

/// Reads an environment variable, treating an empty value as unset.
pub(crate) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Reads a file the user named, reporting the path and the reason but never the contents.
pub(crate) fn read_file(what: &str, path: &std::path::Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("cannot read {what} {}: {e}", path.display())))
}

/// Builder methods both builders have, delegating to their `settings` field.
macro_rules! settings_methods {
    () => {
        /// Sends to another host, port or path prefix (a regional host, a proxy, the emulator).
        #[must_use]
        pub fn base_url(mut self, url: impl Into<String>) -> Self {
            self.settings.base_url = Some(url.into());
            self
        }

        /// Trusts this CA certificate (PEM) too, e.g. the local emulator's.
        #[must_use]
        pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
            self.settings.ca_pem = Some(pem.into());
            self
        }

        /// The longest one HTTP exchange may take (default 30 s).
        #[must_use]
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.timeout = timeout;
            self
        }

        /// The longest connecting may take (default 10 s).
        #[must_use]
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.connect_timeout = timeout;
            self
        }

        /// Sends through this transport instead of the default one.
        #[must_use]
        pub fn transport(mut self, transport: std::sync::Arc<dyn crate::Transport>) -> Self {
            self.settings.transport = Some(transport);
            self
        }
    };
}

pub(crate) use settings_methods;
