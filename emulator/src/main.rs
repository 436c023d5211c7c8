//! `roster-emulator`: the emulator as a command-line server for scripts, other languages'
//! test harnesses and people. Prints one line, `roster-emulator listening on <base-url>`, when
//! ready; stops on SIGINT/SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use roster_emulator::{Config, Emulator, FaultPlan, Fixtures, ServiceKey};

#[derive(Parser, Debug)]
#[command(
    name = "roster-emulator",
    version,
    about = "A local Voximplant Management API + Voiso user-management emulator"
)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Serve HTTPS with a certificate from a fresh self-signed CA.
    #[arg(long)]
    tls: bool,
    /// Write the CA certificate (PEM) here, for clients to trust (needs --tls).
    #[arg(long, value_name = "FILE", requires = "tls")]
    ca_out: Option<PathBuf>,
    /// Write a credentials.json for a freshly generated service-account key here.
    #[arg(long, value_name = "FILE")]
    credentials_out: Option<PathBuf>,
    /// Roles of that key, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "Owner")]
    roles: Vec<String>,
    /// Write a fresh Voiso API key here.
    #[arg(long, value_name = "FILE")]
    voiso_key_out: Option<PathBuf>,
    /// Starting state (JSON; see emulator/README.md).
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Faults to inject, e.g. "AddUser=drop_after_apply:0.1,*=http503:0.05".
    #[arg(long, value_name = "SPEC", default_value = "")]
    faults: FaultPlan,
    /// Seed of the fault dice.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// An origin allowed by CORS (repeatable).
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    cors_origins: Vec<String>,
    /// Requests per account per second (off by default).
    #[arg(long, value_name = "N")]
    rate_limit: Option<u32>,
    /// The most users the account may hold (error 109 past it).
    #[arg(long, default_value_t = 1000)]
    user_limit: usize,
    /// Requests kept in the admin request log (0 turns the log off).
    #[arg(long, default_value_t = 1000)]
    request_log: usize,
    /// Log each connection problem and more to stderr.
    #[arg(long, short)]
    verbose: bool,
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("roster-emulator: {message}");
    std::process::exit(2)
}

fn write_file(path: &PathBuf, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        fail(format!("cannot write {}: {e}", path.display()));
    }
}

fn main() {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(if args.verbose {
            tracing::Level::DEBUG
        } else {
            tracing::Level::WARN
        })
        .init();
    let fixtures = args.fixtures.as_ref().map(|path| {
        let text = std::fs::read(path)
            .unwrap_or_else(|e| fail(format!("cannot read {}: {e}", path.display())));
        Fixtures::from_json(&text).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())))
    });
    let config = Config {
        addr: args.addr,
        tls: args.tls,
        // A key written out for others is fresh; the built-in one is public knowledge.
        service_key: if args.credentials_out.is_some() {
            ServiceKey::Generate
        } else {
            ServiceKey::BuiltIn
        },
        roles: args.roles.clone(),
        voiso_api_key: if args.voiso_key_out.is_some() {
            format!("voiso-{:032x}", rand::random::<u128>())
        } else {
            Config::default().voiso_api_key
        },
        fixtures,
        faults: args.faults.clone(),
        seed: args.seed,
        cors_origins: args.cors_origins.clone(),
        rate_limit: args.rate_limit,
        user_limit: args.user_limit,
        request_log_capacity: args.request_log,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(format!("cannot start a runtime: {e}")));
    runtime.block_on(async {
        let started = Instant::now();
        let emulator = Emulator::start(config).await.unwrap_or_else(|e| fail(e));
        if let (Some(path), Some(pem)) = (&args.ca_out, emulator.ca_pem()) {
            write_file(path, pem);
        }
        if let Some(path) = &args.credentials_out {
            write_file(path, emulator.credentials_json());
        }
        if let Some(path) = &args.voiso_key_out {
            write_file(path, emulator.voiso_api_key());
        }
        tracing::info!("started in {:?}", started.elapsed());
        println!("roster-emulator listening on {}", emulator.base_url());
        wait_for_signal().await;
        drop(emulator);
    });
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
