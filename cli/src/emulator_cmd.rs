//! `roster emulator`: the local emulator, with exactly the flags of the `roster-emulator`
//! binary, because both take them from [`roster_emulator::cli::ServeArgs`].

use roster_emulator::cli::{serve, ServeArgs};

use crate::fail::CliError;

#[derive(clap::Args, Debug)]
pub struct EmulatorArgs {
    #[command(flatten, next_help_heading = "Emulator options")]
    pub serve: ServeArgs,
}

/// Serves until SIGINT or SIGTERM; prints `roster-emulator listening on <base-url>` when ready.
pub async fn run(args: EmulatorArgs) -> Result<(), CliError> {
    args.serve.init_logging();
    serve(&args.serve)
        .await
        .map_err(|e| CliError::Usage(format!("emulator: {e}")))
}
