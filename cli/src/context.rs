//! The global options and the clients built from them, including the `--sandbox` emulator.

use std::path::PathBuf;

use std::sync::Arc;

use roster::{AttemptEvent, AttemptHook, RetryPolicy, Secret, Voiso, Voximplant};
use roster_emulator::{Config, Emulator, EmulatorHandle};

use crate::fail::CliError;

/// Options every command takes.
#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// A Voximplant service account's credentials.json.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "VOXIMPLANT_CREDENTIALS"
    )]
    pub credentials: Option<PathBuf>,
    /// The Voximplant API's base URL (a regional host, a proxy, an emulator).
    #[arg(long, global = true, value_name = "URL", env = "VOXIMPLANT_BASE_URL")]
    pub base_url: Option<String>,
    /// The Voiso contact center's API key.
    #[arg(long, global = true, value_name = "KEY", env = "VOISO_API_KEY", hide_env_values = true, value_parser = secret)]
    pub voiso_key: Option<Secret<String>>,
    /// The Voiso contact center's base URL (https://cc-XXX.voiso.com).
    #[arg(long, global = true, value_name = "URL", env = "VOISO_BASE_URL")]
    pub voiso_base_url: Option<String>,
    /// Trust this CA certificate (PEM) as well, e.g. a local emulator's.
    #[arg(long, global = true, value_name = "FILE", env = "ROSTER_CA_CERT")]
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

    /// The sandbox emulator, when `--sandbox` was given.
    pub fn sandbox(&self) -> Option<&EmulatorHandle> {
        self.sandbox.as_ref()
    }

    /// The `--verbose` request log.
    fn attempt_log(&self) -> Option<AttemptHook> {
        self.args
            .verbose
            .then(|| Arc::new(|event: &AttemptEvent| eprintln!("roster: {event}")) as AttemptHook)
    }

    /// A Voximplant client for the options given.
    pub fn voximplant(&self) -> Result<Voximplant, CliError> {
        self.voximplant_with(None, None)
    }

    /// The same with another retry policy, and a hook that sees every attempt (after the
    /// `--verbose` log).
    pub fn voximplant_with(
        &self,
        policy: Option<RetryPolicy>,
        observe: Option<AttemptHook>,
    ) -> Result<Voximplant, CliError> {
        let mut builder = Voximplant::builder();
        if let Some(emulator) = &self.sandbox {
            builder = builder
                .credentials_json(emulator.credentials_json())
                .base_url(emulator.base_url());
        } else {
            let Some(path) = &self.args.credentials else {
                return Err(CliError::Usage(
                    "no Voximplant credentials — pass --credentials FILE (or set VOXIMPLANT_CREDENTIALS), or try --sandbox".to_owned(),
                ));
            };
            builder = builder.credentials_file(path);
            if let Some(url) = &self.args.base_url {
                builder = builder.base_url(url);
            }
        }
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_pem(pem.clone());
        }
        if let Some(policy) = policy {
            builder = builder.retry_policy(policy);
        }
        let hooks: Vec<AttemptHook> = self.attempt_log().into_iter().chain(observe).collect();
        if !hooks.is_empty() {
            builder = builder.on_attempt(move |event| hooks.iter().for_each(|hook| hook(event)));
        }
        builder
            .build()
            .map_err(|e| CliError::call("Voximplant client", e))
    }

    /// A Voiso client for the options given.
    pub fn voiso(&self) -> Result<Voiso, CliError> {
        let mut builder = Voiso::builder();
        if let Some(emulator) = &self.sandbox {
            builder = builder
                .api_key(emulator.voiso_api_key())
                .base_url(emulator.base_url());
        } else {
            let (Some(key), Some(url)) = (&self.args.voiso_key, &self.args.voiso_base_url) else {
                return Err(CliError::Usage(
                    "Voiso needs --voiso-key and --voiso-base-url (or VOISO_API_KEY and VOISO_BASE_URL), or try --sandbox".to_owned(),
                ));
            };
            builder = builder.api_key(key.expose().as_str()).base_url(url);
        }
        if let Some(pem) = &self.ca_pem {
            builder = builder.ca_pem(pem.clone());
        }
        if let Some(log) = self.attempt_log() {
            builder = builder.on_attempt(move |event| log(event));
        }
        builder
            .build()
            .map_err(|e| CliError::call("Voiso client", e))
    }
}

/// Keeps a secret option out of `Debug` output from the moment it is parsed.
fn secret(value: &str) -> Result<Secret<String>, std::convert::Infallible> {
    Ok(Secret::new(value.to_owned()))
}
