//! (Being written.)

use crate::context::Context;
use crate::fail::CliError;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {}

pub async fn run(_ctx: &Context, _args: ExportArgs) -> Result<(), CliError> {
    Err(CliError::Usage("not built yet".to_owned()))
}
