//! The emulator's command line, shared by the `roster-emulator` binary and `roster emulator`,
//! so both take exactly the same flags and behave the same way.
//!
//! [`serve`] prints one line, `roster-emulator listening on <base-url>`, when ready (scripts
//! and other languages' test harnesses wait for it) and runs until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{Config, Emulator, FaultPlan, Fixtures, ServiceKey};

/// The flags of `roster-emulator` (and `roster emulator`).
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// Serve HTTPS with a certificate from a fresh self-signed CA.
    #[arg(long)]
    pub tls: bool,
    /// Write the CA certificate (PEM) here, for clients to trust (needs --tls).
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_out: Option<PathBuf>,
    /// Write a credentials.json for a freshly generated service-account key here.
    #[arg(long, value_name = "FILE")]
    pub credentials_out: Option<PathBuf>,
    /// Roles of that key (and of the account's api_key), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "Owner")]
    pub roles: Vec<String>,
    /// Write a fresh Voiso API key here.
    #[arg(long, value_name = "FILE")]
    pub voiso_key_out: Option<PathBuf>,
    /// Starting state (JSON; see emulator/README.md).
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// Faults to inject, e.g. "AddUser=drop_after_apply:0.1,*=http503:0.05".
    #[arg(long, value_name = "SPEC", default_value = "")]
    pub faults: FaultPlan,
    /// Seed of the fault dice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// An origin allowed by CORS (repeatable).
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Requests per account per second (off by default).
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,
    /// The most users the account may hold (error 109 past it).
    #[arg(long, default_value_t = 1000)]
    pub user_limit: usize,
    /// Requests kept in the admin request log (0 turns the log off).
    #[arg(long, default_value_t = 1000)]
    pub request_log: usize,
    /// The largest request body the API routes read; larger ones get HTTP 413.
    #[arg(long, value_name = "BYTES", default_value_t = crate::config::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Log each connection problem and more to stderr.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Why [`serve`] stopped before serving: a file it could not read or write, or a start-up
/// failure. One line, ready to print.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ServeError(String);

impl ServeArgs {
    /// Sends the emulator's log to stderr: warnings, or everything with `--verbose`. Does
    /// nothing when the process already has a subscriber.
    pub fn init_logging(&self) {
        let level = if self.verbose {
            tracing::Level::DEBUG
        } else {
            tracing::Level::WARN
        };
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(level)
            .try_init();
    }

    /// The emulator configuration these flags describe.
    pub fn config(&self) -> Result<Config, ServeError> {
        let fixtures = self.fixtures.as_deref().map(read_fixtures).transpose()?;
        Ok(Config {
            addr: self.addr,
            tls: self.tls,
            // A key written out for others is fresh; the built-in one is public knowledge.
            service_key: if self.credentials_out.is_some() {
                ServiceKey::Generate
            } else {
                ServiceKey::BuiltIn
            },
            roles: self.roles.clone(),
            voiso_api_key: if self.voiso_key_out.is_some() {
                format!("voiso-{:032x}", rand::random::<u128>())
            } else {
                Config::default().voiso_api_key
            },
            fixtures,
            faults: self.faults.clone(),
            seed: self.seed,
            cors_origins: self.cors_origins.clone(),
            rate_limit: self.rate_limit,
            user_limit: self.user_limit,
            request_log_capacity: self.request_log,
            max_body_bytes: self.max_body_bytes,
            ..Config::default()
        })
    }
}

/// Starts the emulator the flags describe on the current tokio runtime, writes the files they
/// ask for, prints the ready line and serves until SIGINT or SIGTERM.
pub async fn serve(args: &ServeArgs) -> Result<(), ServeError> {
    let started = Instant::now();
    let emulator = Emulator::start(args.config()?)
        .await
        .map_err(|e| ServeError(e.to_string()))?;
    if let (Some(path), Some(pem)) = (&args.ca_out, emulator.ca_pem()) {
        write_file(path, pem)?;
    }
    if let Some(path) = &args.credentials_out {
        write_file(path, emulator.credentials_json())?;
    }
    if let Some(path) = &args.voiso_key_out {
        write_file(path, emulator.voiso_api_key())?;
    }
    tracing::info!("started in {:?}", started.elapsed());
    println!("roster-emulator listening on {}", emulator.base_url());
    wait_for_signal().await;
    drop(emulator);
    Ok(())
}

fn read_fixtures(path: &Path) -> Result<Fixtures, ServeError> {
    let text = std::fs::read(path)
        .map_err(|e| ServeError(format!("cannot read {}: {e}", path.display())))?;
    Fixtures::from_json(&text).map_err(|e| ServeError(format!("{}: {e}", path.display())))
}

fn write_file(path: &Path, text: &str) -> Result<(), ServeError> {
    std::fs::write(path, text)
        .map_err(|e| ServeError(format!("cannot write {}: {e}", path.display())))
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn max_body_bytes_flag_reaches_the_config() {
        let default = Cli::parse_from(["roster-emulator"])
            .serve
            .config()
            .expect("config");
        assert_eq!(
            default.max_body_bytes,
            crate::config::DEFAULT_MAX_BODY_BYTES
        );
        let set = Cli::parse_from(["roster-emulator", "--max-body-bytes", "4096"])
            .serve
            .config()
            .expect("config");
        assert_eq!(set.max_body_bytes, 4096);
        assert!(Cli::try_parse_from(["roster-emulator", "--max-body-bytes", "-1"]).is_err());
    }
}
