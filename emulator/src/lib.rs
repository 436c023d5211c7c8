//! A stateful local emulator of the Voximplant Management API (users, skills, ACD queues,
//! applications) and Voiso's user-management API, for tests and for trying Roster without a
//! contact center.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = roster_emulator::Emulator::start(roster_emulator::Config::default()).await?;
//! let vox = roster::Voximplant::builder()
//!     .credentials_json(emulator.credentials_json())
//!     .base_url(emulator.base_url())
//!     .build()?;
//! let apps = vox.call("GetApplications", serde_json::json!({})).await?;
//! # Ok(()) }
//! ```
//!
//! Parameters are validated by the core's generated rules (the same code clients run), state is
//! real (ids, bindings, balances), auth is checked like the real server's, and faults can be
//! injected for testing retries. See `emulator/README.md`.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod admin;
mod auth;
mod body;
pub mod cli;
pub mod clock;
pub mod config;
pub mod error;
pub mod faults;
mod json;
mod keys;
mod ratelimit;
mod reqlog;
mod server;
pub mod state;
mod tls;
pub mod validation;
mod voiso;
mod voximplant;
pub mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use tokio::sync::watch;

pub use config::{Config, ServiceKey, DEFAULT_MAX_BODY_BYTES};
pub use faults::{FaultKind, FaultPlan, FaultRule};
pub use reqlog::LogEntry;
pub use state::fixtures::Fixtures;
pub use state::State;

use crate::faults::Faults;
use crate::server::App;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Setup(String),
}

/// Runs one Voximplant method on a state, after the point where the server has checked auth,
/// roles and faults: the answer's JSON body, or the error the envelope would carry.
pub fn dispatch(
    method: &str,
    params: &std::collections::BTreeMap<String, String>,
    state: &mut State,
    now: i64,
) -> Result<Vec<u8>, error::VoxError> {
    let info = roster_core::dynamic::find_method_exact(roster_core::ApiKind::Voximplant, method)
        .ok_or_else(|| error::VoxError::new(error::codes::UNKNOWN_COMMAND, "unknown command"))?;
    if voximplant::is_read(info) {
        voximplant::read(info, state, params)
    } else {
        voximplant::prepare_write(info, params)?.apply(state, now)
    }
}

/// Starts emulators.
pub struct Emulator;

impl Emulator {
    /// Binds, builds the state and serves in the background of the current tokio runtime
    /// (multi-threaded or not). The emulator stops when the handle is dropped.
    pub async fn start(config: Config) -> Result<EmulatorHandle, StartError> {
        let key = match &config.service_key {
            ServiceKey::BuiltIn => keys::KeyPair::from_private_pem(keys::DEV_KEY_PEM),
            ServiceKey::Pem(pem) => keys::KeyPair::from_private_pem(pem),
            ServiceKey::Generate => tokio::task::spawn_blocking(keys::KeyPair::generate)
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r),
        }
        .map_err(StartError::Setup)?;
        let tls = if config.tls {
            Some(tls::generate().map_err(StartError::Setup)?)
        } else {
            None
        };

        let base_account = state::Account {
            account_id: config.account_id,
            account_name: config.account_name.clone(),
            balance: config.initial_balance,
            api_key: config.api_key.clone(),
        };
        let initial = config.fixtures.clone().unwrap_or_default();
        let clock = clock::Clock::default();
        let state = initial
            .build(&base_account, config.user_limit, clock.now())
            .map_err(|e| StartError::Setup(e.to_string()))?;
        let account_id = state.account.account_id;
        // The account's api_key acts with the roles of the first key.
        let keys = auth::KeyStore::new(config.roles.clone());
        keys.add(
            &config.key_id,
            key.public_pem.as_bytes(),
            account_id,
            config.roles.clone(),
        )
        .map_err(StartError::Setup)?;

        let app = Arc::new(App {
            state: RwLock::new(state),
            initial: RwLock::new(initial),
            base_account,
            user_limit: config.user_limit,
            clock,
            keys,
            faults: Faults::new(config.faults.clone(), config.seed),
            limiter: ratelimit::RateLimiter::new(config.rate_limit),
            log: reqlog::RequestLog::new(config.request_log_capacity),
            voiso_api_key: config.voiso_api_key.clone(),
            max_body_bytes: config.max_body_bytes,
        });

        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let host = match addr {
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
            SocketAddr::V4(a) => a.ip().to_string(),
        };
        let base_url = format!("{scheme}://{host}:{}", addr.port());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let acceptor = tls
            .as_ref()
            .map(|t| tokio_rustls::TlsAcceptor::from(Arc::clone(&t.config)));
        let router = server::router(Arc::clone(&app), &config.cors_origins);
        let task = tokio::spawn(server::serve(listener, acceptor, router, shutdown_rx));
        tracing::info!("listening on {base_url}");
        Ok(EmulatorHandle {
            base_url,
            addr,
            ca_pem: tls.map(|t| t.ca_pem),
            credentials_json: keys::credentials_json(account_id, &config.key_id, &key.private_pem),
            account_id,
            key_id: config.key_id,
            app,
            shutdown,
            task,
        })
    }

    /// Starts an emulator on a runtime thread of its own, for synchronous code. It stops when
    /// the returned handle is dropped.
    pub fn start_blocking(config: Config) -> Result<BlockingEmulator, StartError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("roster-emulator")
            .build()
            .map_err(|e| StartError::Setup(format!("cannot start a runtime: {e}")))?;
        let handle = runtime.block_on(Self::start(config))?;
        Ok(BlockingEmulator {
            handle: Some(handle),
            runtime: Some(runtime),
        })
    }
}

/// A running emulator. Dropping it stops the server (open connections are closed).
pub struct EmulatorHandle {
    base_url: String,
    addr: SocketAddr,
    ca_pem: Option<String>,
    credentials_json: String,
    account_id: i64,
    key_id: String,
    app: Arc<App>,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT` or `https://...` with `tls`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The PEM of the CA that signed the server certificate (with `tls`).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// A `credentials.json` text for the first key (its roles are `Config::roles`).
    pub fn credentials_json(&self) -> &str {
        &self.credentials_json
    }

    pub fn account_id(&self) -> i64 {
        self.account_id
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The Voiso API key the users endpoint accepts.
    pub fn voiso_api_key(&self) -> &str {
        &self.app.voiso_api_key
    }

    /// The deprecated `api_key` parameter of the account.
    pub fn api_key(&self) -> String {
        self.app.read().account.api_key.clone()
    }

    /// Reads the state.
    pub fn with_state<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.app.read())
    }

    /// Changes the state directly (the indexes are kept by `State`'s own methods).
    pub fn with_state_mut<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.app.write())
    }

    /// Replaces the state with `fixtures`.
    pub fn load_fixtures(&self, fixtures: &Fixtures) -> Result<(), String> {
        self.app.load(fixtures).map_err(|e| e.to_string())
    }

    /// Back to the starting state.
    pub fn reset(&self) -> Result<(), String> {
        let initial = self
            .app
            .initial
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        self.load_fixtures(&initial)
    }

    /// The state in the fixtures format.
    pub fn dump(&self) -> Fixtures {
        Fixtures::dump(&self.app.read())
    }

    /// The virtual clock (Unix seconds): read, set, advance.
    pub fn clock(&self) -> &clock::Clock {
        &self.app.clock
    }

    /// Replaces the fault plan; with a seed, restarts the dice.
    pub fn set_faults(&self, plan: FaultPlan, seed: Option<u64>) {
        self.app.faults.set(plan, seed);
    }

    /// How many faults of each kind were injected so far.
    pub fn fault_counters(&self) -> Vec<(&'static str, u64)> {
        self.app.faults.counters.snapshot()
    }

    /// The request log, oldest first, secrets redacted.
    pub fn requests(&self) -> Vec<LogEntry> {
        self.app.log.entries()
    }

    /// Trusts another public key (PEM) with the given roles.
    pub fn add_key(&self, key_id: &str, public_pem: &str, roles: &[&str]) -> Result<(), String> {
        self.app.keys.add(
            key_id,
            public_pem.as_bytes(),
            self.account_id,
            roles.iter().map(|r| (*r).to_owned()).collect(),
        )
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.task.abort();
    }
}

/// An emulator on its own runtime thread (see [`Emulator::start_blocking`]).
pub struct BlockingEmulator {
    handle: Option<EmulatorHandle>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::ops::Deref for BlockingEmulator {
    type Target = EmulatorHandle;

    fn deref(&self) -> &EmulatorHandle {
        // Both fields are `Some` until drop.
        self.handle
            .as_ref()
            .unwrap_or_else(|| unreachable!("handle taken before drop"))
    }
}

impl Drop for BlockingEmulator {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            let _guard = runtime.enter();
            drop(self.handle.take());
            runtime.shutdown_background();
        }
    }
}
