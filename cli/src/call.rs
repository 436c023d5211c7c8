//! `roster call`: any method by name. (Being written.)

use crate::context::Context;
use crate::fail::CliError;

#[derive(clap::Args, Debug)]
pub struct CallArgs {
    /// The method, e.g. GetUsers.
    pub method: String,
}

pub async fn run(_ctx: &Context, _args: CallArgs) -> Result<(), CliError> {
    Err(CliError::Usage("roster call is not built yet".to_owned()))
}
