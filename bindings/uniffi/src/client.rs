//! The two clients a host creates, their options, and the calls by name.
//!
//! The typed groups (`users()`, `skills()`, ...) are generated from the spec onto these types;
//! what is written here is only how a client is made. Settings resolve in the core
//! ([`Session::open_voximplant`], [`Session::open_voiso`]): what the caller gave, then the
//! environment (read through the host's [`SettingsHost`]), then the defaults.

use std::sync::Arc;

use roster_core::settings::{Host, VoisoOptions, VoximplantOptions};
use roster_core::{ApiKind, RetryOverrides, Session};

use crate::engine::Engine;
use crate::error::RosterError;
use crate::host::{AttemptListener, Lent, SettingsHost, SystemClock, TimeSource, TokenProvider};
use crate::pages::JsonPager;
use crate::transport::{HttpTransport, Sleeper};
use crate::values::{parse_params, HostText, Secret};

/// How hard a call tries, as changes to the core's defaults: every field optional (null keeps
/// the default). Which failures are retried is not configurable: it follows from what each
/// failure proves. A value the core cannot take is a `config` error naming the field, never
/// clamped.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct RetrySettings {
    /// Requests sent for one call, lookups included, at least 1; 1 disables retries.
    /// Default 4.
    #[uniffi(default = None)]
    pub max_attempts: Option<u32>,
    /// The first backoff; each further retry doubles it. Default 200 ms.
    #[uniffi(default = None)]
    pub base_backoff_ms: Option<u64>,
    /// No backoff is longer than this (a delay the server asks for is honoured as asked).
    /// Default 10 s.
    #[uniffi(default = None)]
    pub max_backoff_ms: Option<u64>,
    /// The share of each backoff that is randomised, 0 to 100. Default 50.
    #[uniffi(default = None)]
    pub jitter_percent: Option<u32>,
    /// The longest a whole call may take, retries and sleeps included; 0 switches the
    /// deadline off. Default 90 s.
    #[uniffi(default = None)]
    pub deadline_ms: Option<u64>,
    /// The longest connecting may take, at least 1. Default 10 s.
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<u64>,
    /// The longest one exchange may take, at least 1. Default 30 s.
    #[uniffi(default = None)]
    pub attempt_timeout_ms: Option<u64>,
}

impl RetrySettings {
    /// The core's overrides, field by field: the core applies and checks them.
    pub(crate) fn overrides(&self) -> RetryOverrides {
        RetryOverrides {
            max_attempts: self.max_attempts,
            base_backoff_ms: self.base_backoff_ms,
            max_backoff_ms: self.max_backoff_ms,
            jitter_percent: self.jitter_percent,
            deadline_ms: self.deadline_ms,
            connect_timeout_ms: self.connect_timeout_ms,
            attempt_timeout_ms: self.attempt_timeout_ms,
        }
    }
}

/// Settings shared by both clients.
#[derive(Clone, uniffi::Record)]
pub struct ClientOptions {
    /// Another host, a proxy or a local emulator; may carry a port and a path prefix. Null:
    /// `VOXIMPLANT_BASE_URL` or `VOISO_BASE_URL`, then the API's default.
    #[uniffi(default = None)]
    pub base_url: Option<HostText>,
    /// Retry settings of every call of the client (null: the core's defaults).
    #[uniffi(default = None)]
    pub retry: Option<RetrySettings>,
    /// Seeds the retry jitter (tests and chaos runs repeat with a fixed seed). Null: the clock.
    #[uniffi(default = None)]
    pub seed: Option<u64>,
    /// Named in the User-Agent (`kotlin`, `swift`).
    #[uniffi(default = "uniffi")]
    pub binding: String,
    /// Where environment variables and files are read. Null: the process's own.
    #[uniffi(default = None)]
    pub host: Option<Arc<dyn SettingsHost>>,
    /// The time source (Unix milliseconds) of deadlines and tokens. Null: the system clock.
    #[uniffi(default = None)]
    pub clock: Option<Arc<dyn TimeSource>>,
    /// Sees every attempt of every call, secrets redacted.
    #[uniffi(default = None)]
    pub on_attempt: Option<Arc<dyn AttemptListener>>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("seed", &self.seed)
            .field("binding", &self.binding)
            .field("host", &self.host.is_some())
            .field("clock", &self.clock.is_some())
            .field("on_attempt", &self.on_attempt.is_some())
            .finish()
    }
}

/// How a Voximplant client authenticates.
#[derive(uniffi::Enum)]
pub enum VoximplantAuth {
    /// From `VOXIMPLANT_CREDENTIALS`: the path of a service account's `credentials.json`, or
    /// its JSON text.
    Environment,
    /// A service account's `credentials.json`: its path or its JSON text, as given. The core
    /// tells them apart and never shows the key in an error.
    Credentials { credentials: Secret },
    /// A token minted elsewhere, sent as is (surrounding whitespace trimmed).
    Token { token: Secret },
    /// Tokens from the host's provider, asked for when the core needs one.
    Provider { provider: Arc<dyn TokenProvider> },
}

impl std::fmt::Debug for VoximplantAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Environment => "Environment",
            Self::Credentials { .. } => "Credentials([redacted])",
            Self::Token { .. } => "Token([redacted])",
            Self::Provider { .. } => "Provider",
        })
    }
}

/// Resolves a session through the host's environment and files; a lookup the host failed is
/// the error, since the core took it as unset.
fn open(
    options: &ClientOptions,
    resolve: impl FnOnce(&dyn Host) -> Result<Session, roster_core::Error>,
) -> Result<Session, RosterError> {
    let session = match &options.host {
        Some(host) => {
            let lent = Lent::new(Arc::clone(host));
            let session = resolve(&lent);
            lent.check()?;
            session?
        }
        // Swift apps, and Kotlin code that makes clients without the `Roster` factory.
        None => resolve(&roster_core::settings::ProcessHost)?,
    };
    Ok(session)
}

/// The engine of a resolved session: the client's retry settings applied (checked by the
/// core), the jitter seeded, the host's clock and listener attached.
fn engine(
    session: Session,
    transport: Arc<dyn HttpTransport>,
    sleeper: Arc<dyn Sleeper>,
    options: &ClientOptions,
    provider: Option<Arc<dyn TokenProvider>>,
) -> Result<Arc<Engine>, RosterError> {
    let overrides = options
        .retry
        .as_ref()
        .map(RetrySettings::overrides)
        .unwrap_or_default();
    let clock: Arc<dyn TimeSource> = match &options.clock {
        Some(c) => Arc::clone(c),
        None => Arc::new(SystemClock),
    };
    let seed = match options.seed {
        Some(seed) => seed,
        None => crate::engine::read_clock(&*clock)?,
    };
    let session = session.with_overrides(&overrides)?.with_seed(seed);
    Ok(Engine::new(
        session,
        transport,
        sleeper,
        clock,
        options.on_attempt.clone(),
        provider,
    ))
}

/// A client of the Voximplant Management API. Its methods are grouped: `users()`,
/// `skills()`, `queues()`, `applications()`.
#[derive(uniffi::Object)]
pub struct Voximplant {
    pub(crate) engine: Arc<Engine>,
}

#[uniffi::export]
impl Voximplant {
    /// A client authenticating as `auth` says. Settings resolve as in every binding: what is
    /// given here, then `VOXIMPLANT_CREDENTIALS` and `VOXIMPLANT_BASE_URL` (read through
    /// `options.host`), then the defaults. A missing or malformed setting is a `config` error
    /// naming where it came from, never its value.
    #[uniffi::constructor]
    pub fn new(
        auth: VoximplantAuth,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        let mut given = VoximplantOptions {
            base_url: base_url(&options)?,
            ..VoximplantOptions::default()
        };
        let mut provider = None;
        match auth {
            VoximplantAuth::Environment => {}
            VoximplantAuth::Credentials { credentials } => {
                given.credentials = Some(roster_core::Secret::new(credentials.0));
            }
            VoximplantAuth::Token { token } => {
                given.token = Some(roster_core::Secret::new(token.0));
            }
            VoximplantAuth::Provider { provider: p } => {
                given.token_provider = true;
                provider = Some(p);
            }
        }
        let binding = options.binding.clone();
        let session = open(&options, |host| {
            Session::open_voximplant(given, host, &binding)
        })?;
        Ok(Arc::new(Self {
            engine: engine(session, transport, sleeper, &options, provider)?,
        }))
    }

    /// Signs tokens with a service account's key: `credentials` is the path of its
    /// `credentials.json` or the JSON text itself. The same as
    /// `Voximplant(VoximplantAuth.Credentials(credentials), ...)`.
    #[uniffi::constructor]
    pub fn with_service_account(
        credentials: Secret,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        Self::new(
            VoximplantAuth::Credentials { credentials },
            transport,
            sleeper,
            options,
        )
    }

    /// Sends a token minted elsewhere (by the app's backend, say). The same as
    /// `Voximplant(VoximplantAuth.Token(token), ...)`.
    #[uniffi::constructor]
    pub fn with_token(
        token: Secret,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        Self::new(VoximplantAuth::Token { token }, transport, sleeper, options)
    }

    /// Calls a method by name (`GetUsers` or `get_users`) with parameters as a JSON object;
    /// returns the typed result in its JSON form (money as decimal strings, datetimes in RFC 3339).
    pub async fn call(
        &self,
        method: HostText,
        params_json: HostText,
    ) -> Result<String, RosterError> {
        call_by_name(&self.engine, &method, &params_json, None).await
    }

    /// The same with retry settings for this call, applied over the client's.
    pub async fn call_with(
        &self,
        method: HostText,
        params_json: HostText,
        retry: RetrySettings,
    ) -> Result<String, RosterError> {
        call_by_name(&self.engine, &method, &params_json, Some(&retry)).await
    }

    /// Every record of a list method called by name, as JSON texts, page by page as `next()`
    /// is called (the rules of the typed pagers).
    pub fn pager(
        &self,
        method: HostText,
        params_json: HostText,
    ) -> Result<Arc<JsonPager>, RosterError> {
        JsonPager::new(&self.engine, &method, &params_json)
    }
}

/// A client of Voiso's user-management API. Its methods are grouped: `users()`.
#[derive(uniffi::Object)]
pub struct Voiso {
    pub(crate) engine: Arc<Engine>,
}

#[uniffi::export]
impl Voiso {
    /// Authenticates with the contact center's API key; null: `VOISO_API_KEY` (read through
    /// `options.host`). The base URL: `options.base_url`, then `VOISO_BASE_URL`, then
    /// `https://cluster1.voiso.com`. The key is trimmed and checked by the core, and never
    /// shown in an error.
    #[uniffi::constructor]
    pub fn new(
        api_key: Option<Secret>,
        transport: Arc<dyn HttpTransport>,
        sleeper: Arc<dyn Sleeper>,
        options: ClientOptions,
    ) -> Result<Arc<Self>, RosterError> {
        let given = VoisoOptions {
            api_key: api_key.map(|k| roster_core::Secret::new(k.0)),
            base_url: base_url(&options)?,
        };
        let binding = options.binding.clone();
        let session = open(&options, |host| Session::open_voiso(given, host, &binding))?;
        Ok(Arc::new(Self {
            engine: engine(session, transport, sleeper, &options, None)?,
        }))
    }

    /// Calls a method by name with parameters as a JSON object; see [`Voximplant::call`].
    pub async fn call(
        &self,
        method: HostText,
        params_json: HostText,
    ) -> Result<String, RosterError> {
        call_by_name(&self.engine, &method, &params_json, None).await
    }

    /// The same with retry settings for this call, applied over the client's.
    pub async fn call_with(
        &self,
        method: HostText,
        params_json: HostText,
        retry: RetrySettings,
    ) -> Result<String, RosterError> {
        call_by_name(&self.engine, &method, &params_json, Some(&retry)).await
    }

    /// Every record of a list method called by name; see [`Voximplant::pager`].
    pub fn pager(
        &self,
        method: HostText,
        params_json: HostText,
    ) -> Result<Arc<JsonPager>, RosterError> {
        JsonPager::new(&self.engine, &method, &params_json)
    }
}

async fn call_by_name(
    engine: &Engine,
    method: &HostText,
    params_json: &HostText,
    retry: Option<&RetrySettings>,
) -> Result<String, RosterError> {
    let params = parse_params(&params_json.0)?;
    let overrides = retry.map(RetrySettings::overrides);
    // A name that is not UTF-8 names no method: the core says so (U+FFFD is in no method's name).
    let result = engine
        .call_json(&method.lossy(), params, overrides.as_ref())
        .await?;
    Ok(result.to_string())
}

/// The base URL given, if any. Text that is not UTF-8 (a lone surrogate) is a `config` error
/// naming the argument, never its value.
fn base_url(options: &ClientOptions) -> Result<Option<String>, RosterError> {
    options
        .base_url
        .clone()
        .map(|url| {
            url.into_string().ok_or_else(|| {
                roster_core::Error::Config(
                    "the `base_url` argument is not valid Unicode text (it holds a lone \
                     surrogate)"
                        .to_owned(),
                )
                .into()
            })
        })
        .transpose()
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
