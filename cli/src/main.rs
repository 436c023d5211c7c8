//! `roster`: call any Voximplant or Voiso method, list and change agents, and manage a contact
//! center's agents as code with `plan` and `apply`.
//!
//! Everything goes through the Roster SDK, so every call is validated by the spec's rules,
//! retried only when that is safe, and logged with its secrets redacted.

#![forbid(unsafe_code)]

mod apply;
mod call;
mod context;
mod emulator_cmd;
mod export;
mod fail;
mod observed;
mod output;
mod passwords;
mod plan;
mod queue_settings;
mod resources;
mod roster_file;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::context::{Context, GlobalArgs};
use crate::fail::CliError;

/// The variables the settings resolver reads when an option is not given, with the core's
/// defaults. Named here, never shown: a variable may hold a key.
fn after_help() -> String {
    use roster::{voiso, voximplant};
    format!(
        "Environment (read when the option is not given; values are never shown):
  {:<23} --credentials: the path of credentials.json, or the JSON itself
  {:<23} --base-url (default {})
  {:<23} --voiso-key
  {:<23} --voiso-base-url (default {})
  {:<23} --ca-cert

Try it without an account: roster --sandbox apply examples/support-team.toml",
        voximplant::CREDENTIALS_ENV,
        voximplant::BASE_URL_ENV,
        voximplant::DEFAULT_BASE_URL,
        voiso::API_KEY_ENV,
        voiso::BASE_URL_ENV,
        voiso::DEFAULT_BASE_URL,
        context::CA_CERT_ENV,
    )
}

#[derive(Parser, Debug)]
#[command(
    name = "roster",
    version,
    about = "Manage contact-center agents on Voximplant and Voiso: call any method, list and change users, skills and queues, and plan/apply a roster file",
    after_help = after_help()
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Call any method of the spec by name.
    Call(call::CallArgs),
    /// List, show, add, change and delete users (agents).
    #[command(subcommand)]
    Users(resources::UsersCommand),
    /// List, add, rename and delete skills.
    #[command(subcommand)]
    Skills(resources::SkillsCommand),
    /// List, add, change and delete ACD queues.
    #[command(subcommand)]
    Queues(resources::QueuesCommand),
    /// Voiso's agent directory.
    #[command(subcommand)]
    Voiso(resources::VoisoCommand),
    /// Write an application's users, skills and queues as a roster file (to stdout).
    Export(export::ExportArgs),
    /// Show what `apply` would change to make the platform match a roster file.
    Plan(plan::PlanArgs),
    /// Make the platform match a roster file.
    Apply(apply::ApplyArgs),
    /// Run the local emulator (the same flags as `roster-emulator`).
    Emulator(emulator_cmd::EmulatorArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("roster: cannot start a runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("roster: error: {error}");
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    // These two need no client.
    let command = match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "roster", &mut std::io::stdout());
            return Ok(());
        }
        Command::Emulator(args) => return emulator_cmd::run(args).await,
        command => command,
    };
    let ctx = Context::new(cli.global).await?;
    match command {
        Command::Call(args) => call::run(&ctx, args).await,
        Command::Users(cmd) => resources::users(&ctx, cmd).await,
        Command::Skills(cmd) => resources::skills(&ctx, cmd).await,
        Command::Queues(cmd) => resources::queues(&ctx, cmd).await,
        Command::Voiso(cmd) => resources::voiso(&ctx, cmd).await,
        Command::Export(args) => export::run(&ctx, args).await,
        Command::Plan(args) => plan::run(&ctx, args).await,
        Command::Apply(args) => apply::run(&ctx, args).await,
        Command::Completions { .. } | Command::Emulator(_) => Ok(()),
    }
}
