//! `roster-emulator`: the emulator as a command-line server for scripts, other languages'
//! test harnesses and people. Prints one line, `roster-emulator listening on <base-url>`, when
//! ready; stops on SIGINT/SIGTERM. The flags and the serving live in
//! [`roster_emulator::cli`], which `roster emulator` shares.

use clap::Parser;
use roster_emulator::cli::{serve, ServeArgs};

#[derive(Parser, Debug)]
#[command(
    name = "roster-emulator",
    version,
    about = "A local Voximplant Management API + Voiso user-management emulator"
)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
}

fn main() {
    let args = Args::parse();
    args.serve.init_logging();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))
        .and_then(|runtime| {
            runtime
                .block_on(serve(&args.serve))
                .map_err(|e| e.to_string())
        });
    if let Err(message) = result {
        eprintln!("roster-emulator: {message}");
        std::process::exit(2);
    }
}
