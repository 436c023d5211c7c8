//! The Voximplant Management API client.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use roster_core::endpoint::VoximplantApi;
use roster_core::{
    Credentials, Endpoint, Error, HttpRequest, Secret, TokenSettings, VoximplantAuth,
    VoximplantClient,
};
use serde_json::Value;

use crate::settings::{env, read_file, settings_methods, system_clock, Clock, Link, Settings};

/// The environment variable holding the path of `credentials.json`, as in the vendor clients.
pub const CREDENTIALS_ENV: &str = "VOXIMPLANT_CREDENTIALS";
/// An optional base URL override.
pub const BASE_URL_ENV: &str = "VOXIMPLANT_BASE_URL";

/// A Voximplant Management API client. Cheap to clone; clones share the token cache and the
/// connection pool.
#[derive(Clone)]
pub struct Voximplant {
    inner: Arc<Inner>,
}

struct Inner {
    core: Mutex<VoximplantClient>,
    link: Link,
    clock: Clock,
}

impl std::fmt::Debug for Voximplant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voximplant")
            .field("core", &*self.core())
            .finish_non_exhaustive()
    }
}

enum Auth {
    FromEnv,
    File(PathBuf),
    Json(Secret<String>),
    Credentials(Credentials),
    Token(Secret<String>),
    ApiKey {
        account_id: i64,
        api_key: Secret<String>,
    },
}

/// Builds a [`Voximplant`] client. Without credentials it reads the file named by
/// `VOXIMPLANT_CREDENTIALS`.
pub struct VoximplantBuilder {
    auth: Auth,
    settings: Settings,
    token_settings: TokenSettings,
    issuer: Option<i64>,
    clock: Clock,
}

impl VoximplantBuilder {
    /// Signs tokens with the service-account key in this `credentials.json`.
    #[must_use]
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.auth = Auth::File(path.into());
        self
    }

    /// Signs tokens with the service-account key in this JSON text.
    #[must_use]
    pub fn credentials_json(mut self, json: impl Into<String>) -> Self {
        self.auth = Auth::Json(Secret::new(json.into()));
        self
    }

    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.auth = Auth::Credentials(credentials);
        self
    }

    /// Sends this ready-made token (minted by a backend) instead of signing one.
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Token(Secret::new(token.into()));
        self
    }

    /// The deprecated `account_id` + `api_key` authentication.
    #[must_use]
    pub fn api_key(mut self, account_id: i64, api_key: impl Into<String>) -> Self {
        self.auth = Auth::ApiKey {
            account_id,
            api_key: Secret::new(api_key.into()),
        };
        self
    }

    /// Token lifetime, back-dating and refresh margin.
    #[must_use]
    pub fn token_settings(mut self, settings: TokenSettings) -> Self {
        self.token_settings = settings;
        self
    }

    /// Acts for a child account: its id becomes the token's `iss`.
    #[must_use]
    pub fn issuer(mut self, child_account_id: i64) -> Self {
        self.issuer = Some(child_account_id);
        self
    }

    /// The time source for token signing (Unix seconds).
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    settings_methods!();

    pub fn build(self) -> Result<Voximplant, Error> {
        let service_account = |c: &Credentials| {
            roster_core::ServiceAccount::new(c, self.token_settings, self.issuer)
                .map(|a| VoximplantAuth::ServiceAccount(Box::new(a)))
        };
        let from_file = |path: &std::path::Path| {
            let text = read_file("the credentials file", path)?;
            service_account(&Credentials::from_json(&text)?)
        };
        let auth = match &self.auth {
            Auth::FromEnv => match env(CREDENTIALS_ENV) {
                Some(path) => from_file(path.as_ref())?,
                None => {
                    return Err(Error::Config(format!(
                        "no Voximplant credentials: set {CREDENTIALS_ENV} to the path of credentials.json, or pass them to the builder"
                    )))
                }
            },
            Auth::File(path) => from_file(path)?,
            Auth::Json(json) => service_account(&Credentials::from_json(json.expose())?)?,
            Auth::Credentials(c) => service_account(c)?,
            Auth::Token(t) => VoximplantAuth::Token(t.clone()),
            Auth::ApiKey { account_id, api_key } => VoximplantAuth::ApiKey {
                account_id: *account_id,
                api_key: api_key.clone(),
            },
        };
        let base_url = self.settings.base_url.clone().or_else(|| env(BASE_URL_ENV));
        let core = VoximplantClient::new(auth, base_url.as_deref())?;
        Ok(Voximplant {
            inner: Arc::new(Inner {
                core: Mutex::new(core),
                link: Link::new(&self.settings)?,
                clock: self.clock,
            }),
        })
    }
}

impl Voximplant {
    pub fn builder() -> VoximplantBuilder {
        VoximplantBuilder {
            auth: Auth::FromEnv,
            settings: Settings::default(),
            token_settings: TokenSettings::default(),
            issuer: None,
            clock: system_clock(),
        }
    }

    /// A client from the environment: `VOXIMPLANT_CREDENTIALS` (path of credentials.json) and
    /// optionally `VOXIMPLANT_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }

    fn core(&self) -> MutexGuard<'_, VoximplantClient> {
        // The core holds no invariant a panic elsewhere could break, so a poisoned lock is usable.
        self.inner
            .core
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The exact HTTP request `request` would send, without sending it (a dry run). Its
    /// `Debug` and `redacted()` forms hide the token and secret parameters.
    pub fn prepare<E: Endpoint<Api = VoximplantApi>>(
        &self,
        request: &E,
    ) -> Result<HttpRequest, Error> {
        let now = (self.inner.clock)();
        self.core().prepare(request, now)
    }

    /// The same for a call by name.
    pub fn prepare_call(&self, method: &str, params: Value) -> Result<HttpRequest, Error> {
        let info = roster_core::dynamic::find_method(roster_core::ApiKind::Voximplant, method)?;
        self.prepare_info(info, params)
    }

    fn prepare_info(
        &self,
        info: &'static roster_core::MethodInfo,
        params: Value,
    ) -> Result<HttpRequest, Error> {
        let wire = roster_core::dynamic::encode_params(info, params)?;
        let now = (self.inner.clock)();
        self.core().build(info, wire, now)
    }

    /// Sends a typed request and reads its typed answer.
    pub async fn send<E: Endpoint<Api = VoximplantApi>>(
        &self,
        request: E,
    ) -> Result<E::Response, Error> {
        let http = self.prepare(&request)?;
        self.inner.link.send::<E>(http).await
    }

    /// Calls a method by name with JSON parameters; the result is the typed answer as JSON
    /// (money as decimal strings, datetimes as RFC 3339).
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
        let info = roster_core::dynamic::find_method(roster_core::ApiKind::Voximplant, method)?;
        let http = self.prepare_info(info, params)?;
        self.inner.link.call(info, http).await
    }
}
