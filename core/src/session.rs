//! What a foreign-language binding holds: one API client, its retry policy and a jitter seed.
//!
//! Python, WebAssembly and uniffi bindings call methods by name with JSON-like parameters and
//! get JSON answers, typed on their side by code generated from the spec. A [`Session`] gives
//! them all the same entry points, so none of them re-implements choosing a client, seeding
//! jitter, starting calls or pages: they wrap a `Session`, drive each [`Call`] with their own
//! transport and sleep, and convert values at the edge.

use serde_json::Value;

use crate::auth::{Credentials, ServiceAccount, TokenSettings, VoximplantAuth};
use crate::call::{
    dynamic_parts, Call, CallParts, Prepare, RetryOverrides, RetryPolicy, SplitMix64, TokenRequest,
};
use crate::endpoint::{ApiKind, MethodInfo};
use crate::error::Error;
use crate::http::HttpRequest;
use crate::pager::Pager;
use crate::secret::Secret;
use crate::settings::{Host, VoisoOptions, VoximplantOptions};
use crate::wire::FormWriter;
use crate::{VoisoClient, VoximplantClient};

/// The protocol client of either API.
#[derive(Debug)]
pub enum Client {
    /// A Voximplant Management API client.
    Voximplant(VoximplantClient),
    /// A Voiso user-management client.
    Voiso(VoisoClient),
}

impl Prepare for Client {
    fn build_request(
        &mut self,
        info: &'static MethodInfo,
        params: &FormWriter,
        now_secs: u64,
    ) -> Result<HttpRequest, Error> {
        match self {
            Self::Voximplant(c) => c.build_request(info, params, now_secs),
            Self::Voiso(c) => c.build_request(info, params, now_secs),
        }
    }

    fn refresh_token(&mut self) -> bool {
        match self {
            Self::Voximplant(c) => c.refresh_token(),
            Self::Voiso(c) => c.refresh_token(),
        }
    }

    fn token_wanted(&self, now_secs: u64) -> Option<TokenRequest> {
        match self {
            Self::Voximplant(c) => c.token_wanted(now_secs),
            Self::Voiso(c) => c.token_wanted(now_secs),
        }
    }

    fn accept_token(
        &mut self,
        ask: &TokenRequest,
        token: &[u8],
        now_secs: u64,
    ) -> Result<(), Error> {
        match self {
            Self::Voximplant(c) => c.accept_token(ask, token, now_secs),
            Self::Voiso(c) => c.accept_token(ask, token, now_secs),
        }
    }
}

/// A client, its default retry policy and the source of each call's jitter seed.
#[derive(Debug)]
pub struct Session {
    client: Client,
    policy: RetryPolicy,
    seeds: SplitMix64,
}

impl Session {
    /// `seed` starts the jitter sequence; bindings pass the clock or a caller's seed.
    pub fn new(client: Client, policy: RetryPolicy, seed: u64) -> Self {
        Self {
            client,
            policy,
            seeds: SplitMix64::new(seed),
        }
    }

    /// A Voximplant session from what the caller gave, then the environment, then the
    /// defaults ([`crate::settings`]): how every binding makes its clients.
    pub fn open_voximplant(
        options: VoximplantOptions,
        host: &dyn Host,
        binding: &str,
    ) -> Result<Self, Error> {
        let settings = crate::settings::resolve_voximplant(options, host)?;
        Self::from_voximplant_settings(settings, binding)
    }

    /// A Voximplant session from settings already resolved: for a host that signs tokens
    /// itself, which takes [`crate::settings::VoximplantSettings::host_key`] first.
    pub fn from_voximplant_settings(
        settings: crate::settings::VoximplantSettings,
        binding: &str,
    ) -> Result<Self, Error> {
        let client =
            VoximplantClient::with_base(settings.auth, settings.base_url)?.with_binding(binding);
        Ok(Self::new(
            Client::Voximplant(client),
            RetryPolicy::default(),
            0,
        ))
    }

    /// A Voiso session, resolved the same way.
    pub fn open_voiso(
        options: VoisoOptions,
        host: &dyn Host,
        binding: &str,
    ) -> Result<Self, Error> {
        let settings = crate::settings::resolve_voiso(options, host)?;
        let client =
            VoisoClient::with_base(settings.api_key, settings.base_url)?.with_binding(binding);
        Ok(Self::new(Client::Voiso(client), RetryPolicy::default(), 0))
    }

    /// Applies retry overrides to this session's policy (see [`RetryOverrides`]).
    pub fn with_overrides(mut self, overrides: &RetryOverrides) -> Result<Self, Error> {
        self.policy = overrides.apply(self.policy)?;
        Ok(self)
    }

    /// The policy of one call: the session's with `overrides` applied.
    pub fn policy_with(&self, overrides: &RetryOverrides) -> Result<RetryPolicy, Error> {
        overrides.apply(self.policy)
    }

    /// A Voximplant session signing tokens with the key in a `credentials.json` text.
    pub fn voximplant_service_account(
        credentials_json: &str,
        base_url: Option<&str>,
        binding: &str,
    ) -> Result<Self, Error> {
        let credentials = Credentials::from_json(credentials_json)?;
        let account = ServiceAccount::new(&credentials, TokenSettings::default(), None)?;
        let auth = VoximplantAuth::ServiceAccount(Box::new(account));
        Self::voximplant(auth, base_url, binding)
    }

    /// A Voximplant session sending a token minted elsewhere (a browser app's backend).
    pub fn voximplant_token(
        token: impl Into<Secret<String>>,
        base_url: Option<&str>,
        binding: &str,
    ) -> Result<Self, Error> {
        Self::voximplant(VoximplantAuth::Token(token.into()), base_url, binding)
    }

    /// A Voximplant session authorised by `auth`. `base_url` defaults to the public API host;
    /// `binding` names the binding in the `User-Agent` header (`python`, `wasm`, ...). The
    /// policy is [`RetryPolicy::default`] and the jitter seed 0.
    pub fn voximplant(
        auth: VoximplantAuth,
        base_url: Option<&str>,
        binding: &str,
    ) -> Result<Self, Error> {
        let client = VoximplantClient::new(auth, base_url)?.with_binding(binding);
        Ok(Self::new(
            Client::Voximplant(client),
            RetryPolicy::default(),
            0,
        ))
    }

    /// A Voiso session with a contact-center API key (checked by
    /// [`crate::secret::secret_text`]). `base_url` defaults to `https://cluster1.voiso.com`;
    /// `binding` and the defaults are as for [`Session::voximplant`].
    pub fn voiso(
        api_key: impl Into<Secret<String>>,
        base_url: Option<&str>,
        binding: &str,
    ) -> Result<Self, Error> {
        let client = VoisoClient::new(api_key, base_url)?.with_binding(binding);
        Ok(Self::new(Client::Voiso(client), RetryPolicy::default(), 0))
    }

    /// Replaces the retry policy of every call that does not bring its own.
    #[must_use]
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Restarts the jitter seeds from `seed`: each call takes the next number of a SplitMix64
    /// sequence, so a fixed seed makes retries repeat exactly (tests, chaos runs).
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seeds = SplitMix64::new(seed);
        self
    }

    /// The API this session's client talks to.
    pub fn api(&self) -> ApiKind {
        match self.client {
            Client::Voximplant(_) => ApiKind::Voximplant,
            Client::Voiso(_) => ApiKind::Voiso,
        }
    }

    /// The retry policy of calls that do not bring their own.
    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// The client itself, to drive calls with (it implements [`Prepare`]) or to change its
    /// authentication.
    pub fn client_mut(&mut self) -> &mut Client {
        &mut self.client
    }

    /// A method of this session's API by wire or snake_case name.
    pub fn method(&self, name: &str) -> Result<&'static MethodInfo, Error> {
        crate::dynamic::find_method(self.api(), name)
    }

    /// Starts a call by name. `policy` overrides the session's for this call.
    pub fn call(
        &mut self,
        method: &str,
        params: Value,
        policy: Option<RetryPolicy>,
    ) -> Result<Call<Value>, Error> {
        let info = self.method(method)?;
        let wire = crate::dynamic::encode_params(info, params)?;
        Ok(self.call_parts(dynamic_parts(info), wire, policy))
    }

    /// Starts a call whose answer `parts` parses, with parameters already validated and in wire
    /// form: the path of bindings that read answers into their own typed records rather than
    /// JSON. Seeded and defaulted like [`Session::call`].
    pub fn call_parts<T>(
        &mut self,
        parts: CallParts<T>,
        params: FormWriter,
        policy: Option<RetryPolicy>,
    ) -> Call<T> {
        let seed = self.seeds.next_u64();
        Call::new(parts, params, policy.unwrap_or(self.policy), seed)
    }

    /// A pager over a list method by name.
    pub fn pager(&self, method: &str, params: Value) -> Result<Pager, Error> {
        Pager::dynamic(self.method(method)?, params)
    }

    /// The call of the pager's next page, or `None` when the listing is complete. Feed the
    /// page's JSON answer to [`Pager::accept_json`].
    pub fn next_page(
        &mut self,
        pager: &mut Pager,
        policy: Option<RetryPolicy>,
    ) -> Option<Call<Value>> {
        let params = pager.next_params()?;
        Some(self.call_parts(dynamic_parts(pager.method()), params, policy))
    }

    /// The exact request a call would send first, without sending it (a dry run).
    pub fn prepare(
        &mut self,
        method: &str,
        params: Value,
        now_secs: u64,
    ) -> Result<HttpRequest, Error> {
        let info = self.method(method)?;
        let wire = crate::dynamic::encode_params(info, params)?;
        self.client.build_request(info, &wire, now_secs)
    }
}

impl Prepare for Session {
    fn build_request(
        &mut self,
        info: &'static MethodInfo,
        params: &FormWriter,
        now_secs: u64,
    ) -> Result<HttpRequest, Error> {
        self.client.build_request(info, params, now_secs)
    }

    fn refresh_token(&mut self) -> bool {
        self.client.refresh_token()
    }

    fn token_wanted(&self, now_secs: u64) -> Option<TokenRequest> {
        self.client.token_wanted(now_secs)
    }

    fn accept_token(
        &mut self,
        ask: &TokenRequest,
        token: &[u8],
        now_secs: u64,
    ) -> Result<(), Error> {
        self.client.accept_token(ask, token, now_secs)
    }
}
