//! The Voximplant Management API client.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use roster_core::call::RetryPolicy;
use roster_core::endpoint::VoximplantApi;
use roster_core::{
    Credentials, Endpoint, Error, HttpRequest, Secret, TokenSettings, VoximplantAuth,
    VoximplantClient,
};
use serde_json::Value;

use crate::driver::{lock, Shared};
use crate::pages::{ListResponse, Pages};
use crate::settings::{env, read_file, settings_methods, Settings};

/// The environment variable holding the path of `credentials.json`, as in the vendor clients.
pub const CREDENTIALS_ENV: &str = "VOXIMPLANT_CREDENTIALS";
/// An optional base URL override.
pub const BASE_URL_ENV: &str = "VOXIMPLANT_BASE_URL";

/// A Voximplant Management API client. Cheap to clone; clones share the token cache and the
/// connection pool.
///
/// Every call runs the core's retry machine: refused and unsent requests are retried, reads and
/// idempotent writes also after ambiguous failures, and a write that must not repeat is either
/// recovered through its natural key or reported as [`Error::OutcomeUnknown`].
#[derive(Clone)]
pub struct Voximplant {
    inner: Arc<Shared<VoximplantClient>>,
}

impl std::fmt::Debug for Voximplant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voximplant")
            .field("core", &*lock(&self.inner.core))
            .field("policy", &self.inner.exchange.policy)
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
            inner: Arc::new(Shared {
                core: Mutex::new(core),
                exchange: self.settings.exchange()?,
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
        }
    }

    /// A client from the environment: `VOXIMPLANT_CREDENTIALS` (path of credentials.json) and
    /// optionally `VOXIMPLANT_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }

    fn now_secs(&self) -> u64 {
        self.inner.exchange.now_ms() / 1000
    }

    /// The exact HTTP request `request` would send first, without sending it (a dry run). Its
    /// `Debug` and `redacted()` forms hide the token and secret parameters.
    pub fn prepare<E: Endpoint<Api = VoximplantApi>>(
        &self,
        request: &E,
    ) -> Result<HttpRequest, Error> {
        let now = self.now_secs();
        lock(&self.inner.core).prepare(request, now)
    }

    /// The same for a call by name.
    pub fn prepare_call(&self, method: &str, params: Value) -> Result<HttpRequest, Error> {
        let now = self.now_secs();
        lock(&self.inner.core).prepare_json(method, params, now)
    }

    /// Sends a typed request with the client's retry policy and reads its typed answer.
    pub async fn send<E: Endpoint<Api = VoximplantApi>>(
        &self,
        request: E,
    ) -> Result<E::Response, Error> {
        self.send_with(request, self.inner.exchange.policy).await
    }

    /// The same with another retry policy for this call.
    pub async fn send_with<E: Endpoint<Api = VoximplantApi>>(
        &self,
        request: E,
        policy: RetryPolicy,
    ) -> Result<E::Response, Error> {
        self.inner.send(&request, policy).await
    }

    /// Calls a method by name with JSON parameters; the result is the typed answer as JSON
    /// (money as decimal strings, datetimes as RFC 3339).
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
        self.call_with(method, params, self.inner.exchange.policy)
            .await
    }

    /// The same with another retry policy for this call.
    pub async fn call_with(
        &self,
        method: &str,
        params: Value,
        policy: RetryPolicy,
    ) -> Result<Value, Error> {
        self.inner
            .call(roster_core::ApiKind::Voximplant, method, params, policy)
            .await
    }

    /// Every record of a list method, page by page as they are consumed.
    pub fn pages<E>(&self, request: E) -> Pages<E>
    where
        E: Endpoint<Api = VoximplantApi>,
        E::Response: ListResponse,
    {
        Pages::new(Arc::clone(&self.inner), &request)
    }
}
