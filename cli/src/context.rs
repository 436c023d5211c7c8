//! The global options and the clients built from them, including the `--sandbox` emulator.
//!
//! Settings resolve as in every Roster binding, by the core's one resolver: an option given
//! here, then the environment variable, then the default. The command does not read the
//! variables below itself, nor open or classify credentials: it hands what the user gave to
//! the Rust client's builder, whose resolver decides whether a credentials value is a path or
//! the JSON itself and never shows a key in an error.
//!
//! | option | variable | default |
//! |---|---|---|
//! | `--credentials FILE_OR_JSON` | `VOXIMPLANT_CREDENTIALS` (a path, or the JSON itself) | none: an error |
//! | `--base-url URL` | `VOXIMPLANT_BASE_URL` | `https://api.voximplant.com` |
//! | `--voiso-key KEY` | `VOISO_API_KEY` | none: an error |
//! | `--voiso-base-url URL` | `VOISO_BASE_URL` | `https://cluster1.voiso.com` |
//! | `--ca-cert FILE` | `ROSTER_CA_CERT` (this command's own) | the system's roots |

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

use clap::builder::{OsStringValueParser, TypedValueParser};
use roster::{AttemptEvent, AttemptHook, RetryOverrides, Secret, Voiso, Voximplant};
use roster_emulator::{Config, Emulator, EmulatorHandle};

use crate::fail::{Api, CliError};

/// The command's own variable for `--ca-cert`.
pub const CA_CERT_ENV: &str = "ROSTER_CA_CERT";

/// Options every command takes.
#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// A Voximplant service account's credentials: the path of its credentials.json, or the
    /// JSON itself [default: the VOXIMPLANT_CREDENTIALS variable, read the same way].
    // Hyphen values: a PEM key given here must reach the resolver, which refuses it without
    // showing it, rather than clap, which would echo it as an unexpected argument.
    #[arg(
        long,
        global = true,
        value_name = "FILE|JSON",
        allow_hyphen_values = true,
        value_parser = OsStringValueParser::new().map(Secret::new)
    )]
    pub credentials: Option<Secret<OsString>>,
    /// The Voximplant API's base URL (a regional host, a proxy, an emulator) [default: the
    /// VOXIMPLANT_BASE_URL variable, then the public API (below)].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The Voiso contact center's API key; whitespace around it (a file's last newline) is
    /// dropped [default: the VOISO_API_KEY variable].
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        allow_hyphen_values = true,
        value_parser = secret
    )]
    pub voiso_key: Option<Secret<String>>,
    /// The Voiso contact center's base URL (https://cc-XXX.voiso.com) [default: the
    /// VOISO_BASE_URL variable, then Voiso's first cluster (below)].
    #[arg(long, global = true, value_name = "URL")]
    pub voiso_base_url: Option<String>,
    /// Trust this CA certificate (PEM) as well, e.g. a local emulator's.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = CA_CERT_ENV,
        hide_env_values = true
    )]
    pub ca_cert: Option<PathBuf>,
    /// Start an in-process emulator and send everything to it; its state lasts as long as the
    /// command.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Log every request attempt to stderr (secrets redacted).
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The clients of one command run.
pub struct Context {
    pub args: GlobalArgs,
    /// Kept alive for the command's lifetime; dropping it stops the emulator.
    sandbox: Option<EmulatorHandle>,
    ca_pem: Option<Vec<u8>>,
}

impl Context {
    /// Reads what the options name and, with `--sandbox`, starts the emulator.
    pub async fn new(args: GlobalArgs) -> Result<Self, CliError> {
        let ca_pem = match &args.ca_cert {
            Some(path) => Some(std::fs::read(path).map_err(|e| {
                CliError::io(format!("cannot read --ca-cert {}", path.display()), e)
            })?),
            None => None,
        };
        let sandbox =
            if args.sandbox {
                let config = Config {
                    // Big enough for the examples and benchmarks; the real default is 1000.
                    user_limit: 100_000,
                    ..Config::default()
                };
                Some(Emulator::start(config).await.map_err(|e| {
                    CliError::Usage(format!("cannot start the sandbox emulator: {e}"))
                })?)
            } else {
                None
            };
        Ok(Self {
            args,
            sandbox,
            ca_pem,
        })
    }

    /// The `--verbose` request log.
    fn attempt_log(&self) -> Option<AttemptHook> {
        self.args
            .verbose
            .then(|| Arc::new(|event: &AttemptEvent| eprintln!("roster: {event}")) as AttemptHook)
    }

    /// A Voximplant client for the options given.
    pub fn voximplant(&self) -> Result<Voximplant, CliError> {
        self.voximplant_with(RetryOverrides::default(), None)
    }

    /// The same with retry overrides on the core's defaults, and a hook that sees every
    /// attempt (after the `--verbose` log).
    pub fn voximplant_with(
        &self,
        retry: RetryOverrides,
        observe: Option<AttemptHook>,
    ) -> Result<Voximplant, CliError> {
        let mut builder = Voximplant::builder().retry(retry);
        if let Some(emulator) = &self.sandbox {
            builder = builder
                .credentials_json(emulator.credentials_json())
                .base_url(emulator.base_url());
        } else {
            // Neither given: the resolver reads VOXIMPLANT_CREDENTIALS and VOXIMPLANT_BASE_URL.
            if let Some(credentials) = &self.args.credentials {
                builder = match credentials.expose().to_str() {
                    // A path or the JSON: the resolver tells them apart.
                    Some(text) => builder.credentials_json(text),
                    None => builder.credentials_file(PathBuf::from(credentials.expose())),
                };
            }
            if let Some(url) = &self.args.base_url {
                builder = builder.base_url(url);
            }
        }
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_pem(pem.clone());
        }
        let hooks: Vec<AttemptHook> = self.attempt_log().into_iter().chain(observe).collect();
        if !hooks.is_empty() {
            builder = builder.on_attempt(move |event| hooks.iter().for_each(|hook| hook(event)));
        }
        builder
            .build()
            .map_err(|e| CliError::call_to(Api::Voximplant, "Voximplant client", e))
    }

    /// A Voiso client for the options given.
    pub fn voiso(&self) -> Result<Voiso, CliError> {
        let mut builder = Voiso::builder();
        if let Some(emulator) = &self.sandbox {
            builder = builder
                .api_key(emulator.voiso_api_key())
                .base_url(emulator.base_url());
        } else {
            // Neither given: the resolver reads VOISO_API_KEY and VOISO_BASE_URL.
            if let Some(key) = &self.args.voiso_key {
                builder = builder.api_key(key.expose().as_str());
            }
            if let Some(url) = &self.args.voiso_base_url {
                builder = builder.base_url(url);
            }
        }
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_pem(pem.clone());
        }
        if let Some(log) = self.attempt_log() {
            builder = builder.on_attempt(move |event| log(event));
        }
        builder
            .build()
            .map_err(|e| CliError::call_to(Api::Voiso, "Voiso client", e))
    }
}

/// Keeps a secret option out of `Debug` output from the moment it is parsed.
fn secret(value: &str) -> Result<Secret<String>, std::convert::Infallible> {
    Ok(Secret::new(value.to_owned()))
}
