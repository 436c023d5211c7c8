//! What both clients' builders share: transport, sleeper, retry policy, hook and clock.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use roster_core::call::{AttemptEvent, RetryPolicy};
use roster_core::Error;

use crate::transport::{Sleeper, Transport};

/// A source of Unix time in milliseconds: it dates tokens and measures deadlines. Tests pass a
/// fixed one.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// Sees every attempt of every call, secrets redacted: for logging and metrics.
pub type AttemptHook = Arc<dyn Fn(&AttemptEvent) + Send + Sync>;

pub(crate) fn system_clock() -> Clock {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    })
}

/// Settings common to both builders.
#[derive(Clone)]
pub(crate) struct Settings {
    pub base_url: Option<String>,
    pub ca_pem: Option<Vec<u8>>,
    pub policy: RetryPolicy,
    pub transport: Option<Arc<dyn Transport>>,
    pub sleeper: Option<Sleeper>,
    pub hook: Option<AttemptHook>,
    pub seed: Option<u64>,
    pub clock: Clock,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: None,
            ca_pem: None,
            policy: RetryPolicy::default(),
            transport: None,
            sleeper: None,
            hook: None,
            seed: None,
            clock: system_clock(),
        }
    }
}

impl Settings {
    /// The given transport, or the default one built from these settings.
    fn transport(&self) -> Result<Arc<dyn Transport>, Error> {
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
            let t =
                crate::ReqwestTransport::new(self.ca_pem.as_deref(), self.policy.connect_timeout)?;
            Ok(Arc::new(t))
        }
        #[cfg(not(feature = "reqwest"))]
        Err(Error::Config(
            "no transport: enable the `reqwest` feature or pass one with `.transport(...)`"
                .to_owned(),
        ))
    }

    fn sleeper(&self) -> Result<Sleeper, Error> {
        if let Some(s) = &self.sleeper {
            return Ok(Arc::clone(s));
        }
        #[cfg(feature = "reqwest")]
        {
            Ok(Arc::new(|d: Duration| {
                Box::pin(tokio::time::sleep(d)) as crate::BoxFuture<'static, ()>
            }))
        }
        #[cfg(not(feature = "reqwest"))]
        Err(Error::Config(
            "no sleeper: enable the `reqwest` feature or pass one with `.sleeper(...)`".to_owned(),
        ))
    }

    /// Everything a client's calls go out through.
    pub fn exchange(&self) -> Result<crate::driver::Exchange, Error> {
        let seed = self.seed.unwrap_or_else(|| (self.clock)());
        Ok(crate::driver::Exchange::new(
            self.transport()?,
            self.sleeper()?,
            self.hook.clone(),
            self.policy,
            seed,
            Arc::clone(&self.clock),
        ))
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
            self.settings.policy.attempt_timeout = timeout;
            self
        }

        /// The longest connecting may take (default 10 s).
        #[must_use]
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.policy.connect_timeout = timeout;
            self
        }

        /// Attempts, backoff, jitter, deadline and timeouts of every call (default
        /// [`RetryPolicy::default`](roster_core::RetryPolicy)); `send_with` overrides it per call.
        #[must_use]
        pub fn retry_policy(mut self, policy: roster_core::RetryPolicy) -> Self {
            self.settings.policy = policy;
            self
        }

        /// Sends through this transport instead of the default one.
        #[must_use]
        pub fn transport(mut self, transport: std::sync::Arc<dyn crate::Transport>) -> Self {
            self.settings.transport = Some(transport);
            self
        }

        /// Waits between retries with this instead of tokio's timer.
        #[must_use]
        pub fn sleeper(mut self, sleeper: crate::Sleeper) -> Self {
            self.settings.sleeper = Some(sleeper);
            self
        }

        /// Calls `hook` after every attempt with a redacted record of it.
        #[must_use]
        pub fn on_attempt(
            mut self,
            hook: impl Fn(&roster_core::call::AttemptEvent) + Send + Sync + 'static,
        ) -> Self {
            self.settings.hook = Some(std::sync::Arc::new(hook));
            self
        }

        /// Seeds the retry jitter, for repeatable runs (default: the clock).
        #[must_use]
        pub fn jitter_seed(mut self, seed: u64) -> Self {
            self.settings.seed = Some(seed);
            self
        }

        /// The time source, Unix milliseconds: tokens are dated and deadlines measured by it.
        #[must_use]
        pub fn clock(mut self, clock: crate::Clock) -> Self {
            self.settings.clock = clock;
            self
        }
    };
}

pub(crate) use settings_methods;
