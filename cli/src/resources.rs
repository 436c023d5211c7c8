//! `roster users|skills|queues|voiso`: the everyday commands. (Being written.)

use crate::context::Context;
use crate::fail::CliError;

#[derive(clap::Subcommand, Debug)]
pub enum UsersCommand {
    /// List users.
    List,
}
#[derive(clap::Subcommand, Debug)]
pub enum SkillsCommand {
    /// List skills.
    List,
}
#[derive(clap::Subcommand, Debug)]
pub enum QueuesCommand {
    /// List queues.
    List,
}
#[derive(clap::Subcommand, Debug)]
pub enum VoisoCommand {
    /// List Voiso agents.
    Users,
}

fn not_yet() -> Result<(), CliError> {
    Err(CliError::Usage("not built yet".to_owned()))
}
pub async fn users(_ctx: &Context, _cmd: UsersCommand) -> Result<(), CliError> {
    not_yet()
}
pub async fn skills(_ctx: &Context, _cmd: SkillsCommand) -> Result<(), CliError> {
    not_yet()
}
pub async fn queues(_ctx: &Context, _cmd: QueuesCommand) -> Result<(), CliError> {
    not_yet()
}
pub async fn voiso(_ctx: &Context, _cmd: VoisoCommand) -> Result<(), CliError> {
    not_yet()
}
