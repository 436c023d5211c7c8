//! What an emulator starts with. The binary's flags map onto these fields one to one.

use std::net::SocketAddr;

use rust_decimal::Decimal;

use crate::faults::FaultPlan;
use crate::state::fixtures::Fixtures;

/// The account id of the default state.
pub const DEFAULT_ACCOUNT_ID: i64 = 1_000_001;
/// The short name of the application every state without fixtures has (id 1).
pub const DEFAULT_APPLICATION: &str = "demo";

/// The default body limit of the API routes (`Config::max_body_bytes`): 1 MiB, hundreds of
/// times the largest request a Voximplant client sends in practice (a `;`-list of a few
/// thousand ids), and small enough that no client can move the emulator's memory with it.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Which service-account key the emulator trusts first (more can be added at run time).
#[derive(Debug, Clone)]
pub enum ServiceKey {
    /// A fixed, public development key built into the emulator: instant start-up. It authorises
    /// nothing anywhere else; never use it outside tests.
    BuiltIn,
    /// A fresh 2048-bit RSA key (about a second in a release build).
    Generate,
    /// A given PKCS#8 PEM private key.
    Pem(String),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `127.0.0.1:0` picks a free port.
    pub addr: SocketAddr,
    /// Serve HTTPS with a certificate signed by a fresh self-signed CA.
    pub tls: bool,
    pub account_id: i64,
    /// The `ACCOUNT` part of applications' full names.
    pub account_name: String,
    pub initial_balance: Decimal,
    /// Error 109 when an AddUser would pass this many users.
    pub user_limit: usize,
    pub service_key: ServiceKey,
    pub key_id: String,
    /// Roles of the first key (`Owner` by default), and of the account's `api_key`.
    pub roles: Vec<String>,
    /// The deprecated `api_key` parameter accepted for the account.
    pub api_key: String,
    /// The Voiso contact-center API key.
    pub voiso_api_key: String,
    pub fixtures: Option<Fixtures>,
    pub faults: FaultPlan,
    /// Seed of the fault dice, for repeatable runs.
    pub seed: u64,
    /// Origins allowed by CORS (browser clients); none means no CORS headers.
    pub cors_origins: Vec<String>,
    /// Requests per account per second; `None` means unlimited.
    pub rate_limit: Option<u32>,
    /// How many requests the admin request log keeps.
    pub request_log_capacity: usize,
    /// The largest request body the Voximplant and Voiso routes read; a larger one is answered
    /// with HTTP 413 (see `emulator/README.md`). The admin endpoints have their own limit.
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            account_id: DEFAULT_ACCOUNT_ID,
            account_name: "emulator".to_owned(),
            initial_balance: Decimal::new(100_000, 2),
            user_limit: 1000,
            service_key: ServiceKey::BuiltIn,
            key_id: "roster-emulator-key".to_owned(),
            roles: vec!["Owner".to_owned()],
            api_key: "emulator-api-key".to_owned(),
            voiso_api_key: "voiso-emulator-key".to_owned(),
            fixtures: None,
            faults: FaultPlan::default(),
            seed: 0,
            cors_origins: Vec::new(),
            rate_limit: None,
            request_log_capacity: 1000,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}
