//! One client type over the core's session, for both APIs.
//!
//! [`Voximplant`] and [`Voiso`] are [`Client`] of each API: the same preparing, sending,
//! calling by name and paging, typed so that a request of one API cannot be sent to the other.
//! Only their builders differ, in how each API authenticates.

use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Arc;

use roster_core::call::{RetryOverrides, RetryPolicy};
use roster_core::endpoint::{Api, VoisoApi, VoximplantApi};
use roster_core::{
    Credentials, Endpoint, Error, HttpRequest, Prepare, Secret, ServiceAccount, Session,
    TokenSettings, VoisoOptions, VoximplantAuth, VoximplantOptions,
};
use serde_json::Value;

use crate::driver::Shared;
use crate::pages::{JsonPages, ListResponse, Pages};
use crate::settings::{settings_methods, Settings, TokenProvider};

/// A client of one API (`A` is [`VoximplantApi`] or [`VoisoApi`]). Cheap to clone; clones share
/// the token cache, the jitter seeds and the connection pool.
///
/// Every call runs the core's retry machine: refused and unsent requests are retried, reads and
/// idempotent writes also after ambiguous failures, and a write that must not repeat is either
/// recovered through its natural key or reported as [`Error::OutcomeUnknown`].
pub struct Client<A: Api> {
    pub(crate) inner: Arc<Shared>,
    api: PhantomData<fn() -> A>,
}

/// A Voximplant Management API client: `Voximplant::builder()` or `Voximplant::from_env()`.
pub type Voximplant = Client<VoximplantApi>;

/// A Voiso user-management client: `Voiso::builder()` or `Voiso::from_env()`.
pub type Voiso = Client<VoisoApi>;

impl<A: Api> Clone for Client<A> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            api: PhantomData,
        }
    }
}

impl<A: Api> std::fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("session", &*self.inner.session())
            .finish_non_exhaustive()
    }
}

impl<A: Api> Client<A> {
    fn new(inner: Shared) -> Self {
        Self {
            inner: Arc::new(inner),
            api: PhantomData,
        }
    }

    /// The retry policy calls use unless they pass their own overrides.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.session().policy()
    }

    /// The exact HTTP request `request` would send first, without sending it (a dry run). Its
    /// `Debug` and `redacted()` forms hide the token and secret parameters.
    pub fn prepare<E: Endpoint<Api = A>>(&self, request: &E) -> Result<HttpRequest, Error> {
        let w = request.to_wire()?;
        let now = self.inner.now_ms() / 1000;
        self.inner.session().build_request(E::INFO, &w, now)
    }

    /// The same for a call by name with JSON parameters.
    pub fn prepare_call(&self, method: &str, params: Value) -> Result<HttpRequest, Error> {
        let now = self.inner.now_ms() / 1000;
        self.inner.session().prepare(method, params, now)
    }

    /// Sends a typed request with the client's retry policy and reads its typed answer.
    pub async fn send<E: Endpoint<Api = A>>(&self, request: E) -> Result<E::Response, Error> {
        self.send_with(request, &RetryOverrides::default()).await
    }

    /// The same with retry overrides for this call.
    pub async fn send_with<E: Endpoint<Api = A>>(
        &self,
        request: E,
        retry: &RetryOverrides,
    ) -> Result<E::Response, Error> {
        let w = request.to_wire()?;
        let call = {
            let mut session = self.inner.session();
            let policy = session.policy_with(retry)?;
            session.call_parts((&request).into(), w, Some(policy))
        };
        self.inner.run(call).await
    }

    /// Calls a method of this API by name with JSON parameters; the result is the typed answer
    /// as JSON (money as decimal strings, datetimes as RFC 3339).
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
        self.call_with(method, params, &RetryOverrides::default())
            .await
    }

    /// The same with retry overrides for this call.
    pub async fn call_with(
        &self,
        method: &str,
        params: Value,
        retry: &RetryOverrides,
    ) -> Result<Value, Error> {
        let call = {
            let mut session = self.inner.session();
            let policy = session.policy_with(retry)?;
            session.call(method, params, Some(policy))?
        };
        self.inner.run(call).await
    }

    /// Every record of a list method, page by page as they are consumed.
    pub fn pages<E>(&self, request: E) -> Pages<E>
    where
        E: Endpoint<Api = A>,
        E::Response: ListResponse,
    {
        Pages::new(Arc::clone(&self.inner), &request)
    }

    /// Every record of a list method called by name, as JSON, page by page.
    pub fn pages_by_name(&self, method: &str, params: Value) -> Result<JsonPages, Error> {
        JsonPages::new(Arc::clone(&self.inner), method, params)
    }
}

impl Client<VoximplantApi> {
    /// A builder. Without credentials, token or token provider it reads
    /// `VOXIMPLANT_CREDENTIALS` (the path of credentials.json, or its text).
    pub fn builder() -> VoximplantBuilder {
        VoximplantBuilder {
            options: VoximplantOptions::default(),
            credentials_path: None,
            typed_credentials: None,
            token_provider: None,
            settings: Settings::default(),
        }
    }

    /// A client from the environment: `VOXIMPLANT_CREDENTIALS` and optionally
    /// `VOXIMPLANT_BASE_URL` (see the settings table in the README).
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }
}

impl Client<VoisoApi> {
    /// A builder. Without an API key it reads `VOISO_API_KEY`; without a base URL,
    /// `VOISO_BASE_URL`, then the default cluster.
    pub fn builder() -> VoisoBuilder {
        VoisoBuilder::default()
    }

    /// A client from `VOISO_API_KEY` and optionally `VOISO_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }
}

/// Builds a [`Voximplant`] client. Settings resolve as in every binding: what is given here,
/// then the environment, then the defaults.
pub struct VoximplantBuilder {
    options: VoximplantOptions,
    credentials_path: Option<PathBuf>,
    typed_credentials: Option<Credentials>,
    token_provider: Option<TokenProvider>,
    settings: Settings,
}

impl VoximplantBuilder {
    /// Signs tokens with the service-account key in this `credentials.json`.
    #[must_use]
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_path = Some(path.into());
        self
    }

    /// The credentials argument as every binding takes it: the JSON text of `credentials.json`,
    /// or a path to it (the core's resolver tells them apart, and never shows the value).
    #[must_use]
    pub fn credentials_json(mut self, json: impl Into<String>) -> Self {
        self.options.credentials = Some(Secret::new(json.into().into_bytes()));
        self
    }

    /// Signs tokens with these credentials.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.typed_credentials = Some(credentials);
        self
    }

    /// Sends this ready-made token (minted by a backend) instead of signing one.
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.options.token = Some(Secret::new(token.into().into_bytes()));
        self
    }

    /// Asks `provider` for tokens minted elsewhere: before the first request, and again with
    /// `force_refresh` after the server refused one (455, 456).
    #[must_use]
    pub fn token_provider(mut self, provider: TokenProvider) -> Self {
        self.options.token_provider = true;
        self.token_provider = Some(provider);
        self
    }

    /// The deprecated `account_id` + `api_key` authentication.
    #[must_use]
    pub fn api_key(mut self, account_id: i64, api_key: impl Into<String>) -> Self {
        self.options.auth = Some(VoximplantAuth::ApiKey {
            account_id,
            api_key: Secret::new(api_key.into()),
        });
        self
    }

    /// Token lifetime, back-dating and refresh margin.
    #[must_use]
    pub fn token_settings(mut self, settings: TokenSettings) -> Self {
        self.options.token_settings = settings;
        self
    }

    /// Acts for a child account: its id becomes the token's `iss`.
    #[must_use]
    pub fn issuer(mut self, child_account_id: i64) -> Self {
        self.options.issuer = Some(child_account_id);
        self
    }

    settings_methods!();

    /// The client, or a `config` error naming the setting that is missing or wrong.
    pub fn build(mut self) -> Result<Voximplant, Error> {
        if let Some(path) = self.credentials_path.take() {
            // The resolver reads the path through the host, like a path from the environment.
            self.options.credentials = Some(Secret::new(
                path.to_string_lossy().into_owned().into_bytes(),
            ));
        }
        if let Some(credentials) = self.typed_credentials.take() {
            let account = ServiceAccount::new(
                &credentials,
                self.options.token_settings,
                self.options.issuer,
            )?;
            self.options.auth = Some(VoximplantAuth::ServiceAccount(Box::new(account)));
        }
        self.options.base_url = self.settings.base_url.clone();
        let session = Session::open_voximplant(self.options, &*self.settings.host, "rust")?;
        Ok(Client::new(
            self.settings.shared(session, self.token_provider)?,
        ))
    }
}

/// Builds a [`Voiso`] client.
#[derive(Default)]
pub struct VoisoBuilder {
    api_key: Option<Secret<Vec<u8>>>,
    settings: Settings,
}

impl VoisoBuilder {
    /// The contact center's API key, sent as a bearer token.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key.into().into_bytes()));
        self
    }

    settings_methods!();

    /// The client, or a `config` error naming the setting that is missing or wrong.
    pub fn build(self) -> Result<Voiso, Error> {
        let options = VoisoOptions {
            api_key: self.api_key,
            base_url: self.settings.base_url.clone(),
        };
        let session = Session::open_voiso(options, &*self.settings.host, "rust")?;
        Ok(Client::new(self.settings.shared(session, None)?))
    }
}
