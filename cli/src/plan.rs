//! (Being written.)

use crate::context::Context;
use crate::fail::CliError;

#[derive(clap::Args, Debug)]
pub struct PlanArgs {}

pub async fn run(_ctx: &Context, _args: PlanArgs) -> Result<(), CliError> {
    Err(CliError::Usage("not built yet".to_owned()))
}
