//! The two clients a host creates, their options, and the calls by name.
//!
//! The typed groups (`users()`, `skills()`, ...) are generated from the spec onto these types;
//! what is written here is only what differs between the APIs: how each authenticates.

use std::sync::Arc;
use std::time::Duration;

use roster_core::{ApiKind, RetryPolicy, Session};
use serde_json::Value;

use crate::engine::Engine;
use crate::error::RosterError;
use crate::transport::{HttpTransport, Sleeper};
use crate::values::Secret;

/// How hard a call tries. Which failures are retried is not configurable: it follows from what
/// each failure proves. Unset fields keep the core's defaults.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct RetrySettings {
    /// Requests sent for one call, lookups included; 1 disables retries.
    #[uniffi(default = None)]
    pub max_attempts: Option<u32>,
    /// The first backoff; each further retry doubles it.
    #[uniffi(default = None)]
    pub base_backoff_ms: Option<u64>,
    #[uniffi(default = None)]
    pub max_backoff_ms: Option<u64>,
    /// The share of each backoff that is randomised, 0 to 100.
    #[uniffi(default = None)]
    pub jitter_percent: Option<u8>,
    /// The longest a whole call may take, retries and sleeps included.
    #[uniffi(default = None)]
    pub deadline_ms: Option<u64>,
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<u64>,
    /// The longest one exchange may take.
    #[uniffi(default = None)]
    pub attempt_timeout_ms: Option<u64>,
}

impl RetrySettings {
    fn policy(&self) -> RetryPolicy {
        let d = RetryPolicy::default();
        let ms = Duration::from_millis;
        RetryPolicy {
            max_attempts: self.max_attempts.unwrap_or(d.max_attempts),
            base_backoff: self.base_backoff_ms.map_or(d.base_backoff, ms),
            max_backoff: self.max_backoff_ms.map_or(d.max_backoff, ms),
            jitter_percent: self.jitter_percent.unwrap_or(d.jitter_percent),
            deadline: self.deadline_ms.map(ms).or(d.deadline),
            connect_timeout: self.connect_timeout_ms.map_or(d.connect_timeout, ms),
            attempt_timeout: self.attempt_timeout_ms.map_or(d.attempt_timeout, ms),
        }
    }
}

/// Settings shared by both clients.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ClientOptions {
    /// Another host, a proxy or a local emulator; may carry a port and a path prefix.
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    #[uniffi(default = None)]
    pub retry: Option<RetrySettings>,
    /// Seeds the retry jitter (tests and chaos runs repeat with a fixed seed).
    #[uniffi(default = None)]
    pub seed: Option<u64>,
    /// Named in the User-Agent (`kotlin`, `swift`).
    #[uniffi(default = "uniffi")]
    pub binding: String,
}

/// Applies the options every session shares.
fn configured(session: Session, options: &ClientOptions) -> Session {
    let session = match &options.retry {
        Some(r) => session.with_policy(r.policy()),
        None => session,
    };
    let seed = options.seed.unwrap_or_else(clock_seed);
    session.with_seed(seed)
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// A client of the Voximplant Management API. Its methods are grouped: `users()`,
/// `skills()`, `queues()`, `applications()`.
#[derive(uniffi::Object)]
pub struct Voximplant {
    pub(crate) engine: Arc<Engine>,
}

#[uniffi::export]
impl Voximplant {
    /// Signs tokens with the service-account key in the text of a `credentials.json`.
    #[uniffi::constructor]
    pub fn with_service_account(
        credentials_json: Secret,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        let session = Session::voximplant_service_account(
            &credentials_json.0,
            options.base_url.as_deref(),
            &options.binding,
        )?;
        Ok(Arc::new(Self {
            engine: Engine::new(configured(session, &options), transport, sleeper),
        }))
    }

    /// Sends a token minted elsewhere (by the app's backend, say).
    #[uniffi::constructor]
    pub fn with_token(
        token: Secret,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        let session =
            Session::voximplant_token(token.0, options.base_url.as_deref(), &options.binding)?;
        Ok(Arc::new(Self {
            engine: Engine::new(configured(session, &options), transport, sleeper),
        }))
    }

    /// Calls a method by name (`GetUsers` or `get_users`) with parameters as a JSON object;
    /// returns the typed result in its JSON form (money as decimal strings, datetimes in RFC 3339).
    pub async fn call(&self, method: String, params_json: String) -> Result<String, RosterError> {
        call_by_name(&self.engine, &method, &params_json).await
    }
}

/// A client of Voiso's user-management API. Its methods are grouped: `users()`.
#[derive(uniffi::Object)]
pub struct Voiso {
    pub(crate) engine: Arc<Engine>,
}

#[uniffi::export]
impl Voiso {
    /// Authenticates with the contact center's API key.
    #[uniffi::constructor]
    pub fn new(
        api_key: Secret,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        let session = Session::voiso(api_key.0, options.base_url.as_deref(), &options.binding)?;
        Ok(Arc::new(Self {
            engine: Engine::new(configured(session, &options), transport, sleeper),
        }))
    }

    /// Calls a method by name with parameters as a JSON object; see [`Voximplant::call`].
    pub async fn call(&self, method: String, params_json: String) -> Result<String, RosterError> {
        call_by_name(&self.engine, &method, &params_json).await
    }
}

async fn call_by_name(
    engine: &Engine,
    method: &str,
    params_json: &str,
) -> Result<String, RosterError> {
    let params = parse_json(params_json)?;
    let result = engine.call_json(method, params).await?;
    Ok(result.to_string())
}

fn parse_json(text: &str) -> Result<Value, RosterError> {
    serde_json::from_str(text).map_err(|e| {
        roster_core::Error::Validation(roster_core::ValidationError::new(
            "(parameters)",
            roster_core::Rule::Type,
            format!("the parameters are not valid JSON: {e}"),
        ))
        .into()
    })
}

/// Reads an answer of `method` (of API `api`: `voximplant` or `voiso`) exactly as a call would,
/// without sending anything or retrying: for replaying recorded answers and conformance tests.
/// Returns the typed result in its JSON form.
#[uniffi::export]
pub fn read_answer(
    api: String,
    method: String,
    status: u16,
    body: Vec<u8>,
) -> Result<String, RosterError> {
    let kind = match api.as_str() {
        "voximplant" => ApiKind::Voximplant,
        "voiso" => ApiKind::Voiso,
        other => {
            return Err(RosterError::Config {
                reason: format!("unknown API {other:?}: expected voximplant or voiso"),
            })
        }
    };
    let info = roster_core::dynamic::find_method(kind, &method)?;
    let response = roster_core::HttpResponse::new(status, body);
    Ok(roster_core::dynamic::parse_response(info, &response)?.to_string())
}
