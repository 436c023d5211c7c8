//! What both clients' builders share: transport, sleeper, retry settings, hook, clock and the
//! host the settings resolver reads.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use roster_core::call::{AttemptEvent, RetryOverrides, RetryPolicy, TokenRequest};
use roster_core::settings::Host;
use roster_core::{Error, Session};

use crate::driver::Shared;
use crate::transport::{BoxFuture, Sleeper, Transport};

/// A source of Unix time in milliseconds: it dates tokens and measures deadlines. Tests pass a
/// fixed one.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// Sees every attempt of every call, secrets redacted: for logging and metrics.
pub type AttemptHook = Arc<dyn Fn(&AttemptEvent) + Send + Sync>;

/// Supplies Voximplant tokens minted elsewhere (a backend's token service): called before the
/// first request and after the server refused a token, with
/// [`TokenRequest::force_refresh`] set then.
pub type TokenProvider =
    Arc<dyn Fn(TokenRequest) -> BoxFuture<'static, Result<String, Error>> + Send + Sync>;

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
    pub overrides: RetryOverrides,
    pub transport: Option<Arc<dyn Transport>>,
    pub sleeper: Option<Sleeper>,
    pub hook: Option<AttemptHook>,
    pub seed: Option<u64>,
    pub clock: Clock,
    pub host: Arc<dyn Host + Send + Sync>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: None,
            ca_pem: None,
            policy: RetryPolicy::default(),
            overrides: RetryOverrides::default(),
            transport: None,
            sleeper: None,
            hook: None,
            seed: None,
            clock: system_clock(),
            host: Arc::new(crate::ProcessHost),
        }
    }
}

impl Settings {
    /// The given transport, or the default one built from these settings.
    fn transport(&self, policy: &RetryPolicy) -> Result<Arc<dyn Transport>, Error> {
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
            let t = crate::ReqwestTransport::new(self.ca_pem.as_deref(), policy.connect_timeout)?;
            Ok(Arc::new(t))
        }
        #[cfg(not(feature = "reqwest"))]
        {
            let _ = policy;
            Err(Error::Config(
                "no transport: enable the `reqwest` feature or pass one with `.transport(...)`"
                    .to_owned(),
            ))
        }
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

    /// Everything a client's calls go out through, around the core session.
    pub fn shared(
        &self,
        session: Session,
        token_provider: Option<TokenProvider>,
    ) -> Result<Shared, Error> {
        let seed = self.seed.unwrap_or_else(|| (self.clock)());
        let session = session
            .with_policy(self.policy)
            .with_overrides(&self.overrides)?
            .with_seed(seed);
        let policy = session.policy();
        Ok(Shared {
            session: std::sync::Mutex::new(session),
            transport: self.transport(&policy)?,
            sleeper: self.sleeper()?,
            hook: self.hook.clone(),
            token_provider,
            clock: std::sync::Arc::clone(&self.clock),
        })
    }
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
        /// [`RetryPolicy::default`](roster_core::RetryPolicy)); [`retry`](Self::retry) changes
        /// fields of it, and `send_with`/`call_with` per call.
        #[must_use]
        pub fn retry_policy(mut self, policy: roster_core::RetryPolicy) -> Self {
            self.settings.policy = policy;
            self
        }

        /// Changes some fields of the retry policy, as every binding takes them
        /// ([`RetryOverrides`](roster_core::RetryOverrides): `deadline_ms: Some(0)` switches
        /// the deadline off). Checked when the client is built.
        #[must_use]
        pub fn retry(mut self, overrides: roster_core::RetryOverrides) -> Self {
            self.settings.overrides = overrides;
            self
        }

        /// Where the settings resolver reads environment variables and files (default: the
        /// process's own, [`ProcessHost`](crate::ProcessHost)).
        #[must_use]
        pub fn host(
            mut self,
            host: std::sync::Arc<dyn roster_core::settings::Host + Send + Sync>,
        ) -> Self {
            self.settings.host = host;
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
