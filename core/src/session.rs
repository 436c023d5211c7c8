//! What a foreign-language binding holds: one API client, its retry policy and a jitter seed.
//!
//! Python, WebAssembly and uniffi bindings call methods by name with JSON-like parameters and
//! get JSON answers, typed on their side by code generated from the spec. A [`Session`] gives
//! them all the same entry points, so none of them re-implements choosing a client, seeding
//! jitter, starting calls or pages: they wrap a `Session`, drive each [`Call`] with their own
//! transport and sleep, and convert values at the edge.

use serde_json::Value;

use crate::auth::{Credentials, ServiceAccount, TokenSettings, VoximplantAuth};
use crate::call::{dynamic_parts, Call, CallParts, Prepare, RetryPolicy, SplitMix64};
use crate::endpoint::{ApiKind, MethodInfo};
use crate::error::Error;
use crate::http::HttpRequest;
use crate::pager::Pager;
use crate::secret::Secret;
use crate::wire::FormWriter;
use crate::{VoisoClient, VoximplantClient};

/// The protocol client of either API.
#[derive(Debug)]
pub enum Client {
    Voximplant(VoximplantClient),
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

    pub fn voiso(
        api_key: impl Into<Secret<String>>,
        base_url: Option<&str>,
        binding: &str,
    ) -> Result<Self, Error> {
        let client = VoisoClient::new(api_key, base_url)?.with_binding(binding);
        Ok(Self::new(Client::Voiso(client), RetryPolicy::default(), 0))
    }

    #[must_use]
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seeds = SplitMix64::new(seed);
        self
    }

    pub fn api(&self) -> ApiKind {
        match self.client {
            Client::Voximplant(_) => ApiKind::Voximplant,
            Client::Voiso(_) => ApiKind::Voiso,
        }
    }

    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

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
}
