//! The Voiso user-management client.

use std::sync::{Arc, Mutex};

use roster_core::call::RetryPolicy;
use roster_core::endpoint::VoisoApi;
use roster_core::{Endpoint, Error, HttpRequest, Secret, VoisoClient};
use serde_json::Value;

use crate::driver::{lock, Shared};
use crate::pages::{ListResponse, Pages};
use crate::settings::{env, settings_methods, Settings};

/// The environment variable holding the contact center's API key.
pub const API_KEY_ENV: &str = "VOISO_API_KEY";
/// The environment variable holding the cluster's base URL (`https://cluster1.voiso.com`).
pub const BASE_URL_ENV: &str = "VOISO_BASE_URL";

/// A Voiso user-management client. Cheap to clone.
#[derive(Clone)]
pub struct Voiso {
    inner: Arc<Shared<VoisoClient>>,
}

impl std::fmt::Debug for Voiso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voiso")
            .field("core", &*lock(&self.inner.core))
            .field("policy", &self.inner.exchange.policy)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Voiso`] client. Without an API key it reads `VOISO_API_KEY`; without a base URL,
/// `VOISO_BASE_URL`, then the default cluster.
#[derive(Default)]
pub struct VoisoBuilder {
    api_key: Option<Secret<String>>,
    settings: Settings,
}

impl VoisoBuilder {
    /// The contact center's API key, sent as a bearer token.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key.into()));
        self
    }

    settings_methods!();

    pub fn build(self) -> Result<Voiso, Error> {
        let api_key = match self.api_key {
            Some(k) => k,
            None => Secret::new(env(API_KEY_ENV).ok_or_else(|| {
                Error::Config(format!(
                    "no Voiso API key: set {API_KEY_ENV} or pass one to the builder"
                ))
            })?),
        };
        let base_url = self.settings.base_url.clone().or_else(|| env(BASE_URL_ENV));
        let core = VoisoClient::new(api_key, base_url.as_deref())?;
        Ok(Voiso {
            inner: Arc::new(Shared {
                core: Mutex::new(core),
                exchange: self.settings.exchange()?,
            }),
        })
    }
}

impl Voiso {
    pub fn builder() -> VoisoBuilder {
        VoisoBuilder::default()
    }

    /// A client from `VOISO_API_KEY` and optionally `VOISO_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// The exact HTTP request, without sending it.
    pub fn prepare<E: Endpoint<Api = VoisoApi>>(&self, request: &E) -> Result<HttpRequest, Error> {
        lock(&self.inner.core).prepare(request)
    }

    /// Sends a typed request with the client's retry policy.
    pub async fn send<E: Endpoint<Api = VoisoApi>>(
        &self,
        request: E,
    ) -> Result<E::Response, Error> {
        self.send_with(request, self.inner.exchange.policy).await
    }

    /// The same with another retry policy for this call.
    pub async fn send_with<E: Endpoint<Api = VoisoApi>>(
        &self,
        request: E,
        policy: RetryPolicy,
    ) -> Result<E::Response, Error> {
        self.inner.send(&request, policy).await
    }

    /// Calls a method by name with JSON parameters.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
        let policy = self.inner.exchange.policy;
        self.inner
            .call(roster_core::ApiKind::Voiso, method, params, policy)
            .await
    }

    /// Every record of a list method, page by page as they are consumed.
    pub fn pages<E>(&self, request: E) -> Pages<E>
    where
        E: Endpoint<Api = VoisoApi>,
        E::Response: ListResponse,
    {
        Pages::new(Arc::clone(&self.inner), &request)
    }
}
