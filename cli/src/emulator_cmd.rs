//! `roster emulator`: the emulator's own command line. (Being written.)

use crate::fail::CliError;

#[derive(clap::Args, Debug)]
pub struct EmulatorArgs {}

pub async fn run(_args: EmulatorArgs) -> Result<(), CliError> {
    Err(CliError::Usage("not built yet".to_owned()))
}
