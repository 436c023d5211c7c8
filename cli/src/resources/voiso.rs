//! `roster voiso`: Voiso's agent directory (read-only: that is all its API offers).

use roster::voiso::users::ListUsers;

use super::ListArgs;
use crate::context::Context;
use crate::fail::{Api, CliError};
use crate::output::print_list;

#[derive(clap::Subcommand, Debug)]
pub enum VoisoCommand {
    /// List the contact center's agents.
    Users {
        /// Only agents with this name.
        #[arg(long, value_name = "TEXT")]
        name: Option<String>,
        /// Only the agent who signs in with this address.
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
        /// Only agents with this extension.
        #[arg(long, value_name = "EXT")]
        extension: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
}

pub async fn voiso(ctx: &Context, command: VoisoCommand) -> Result<(), CliError> {
    let VoisoCommand::Users {
        name,
        email,
        extension,
        list,
    } = command;
    let mut request = ListUsers::new();
    if let Some(name) = name {
        request = request.name(name);
    }
    if let Some(email) = email {
        request = request.email(email);
    }
    if let Some(extension) = extension {
        request = request.extension(extension);
    }
    let mut users = ctx
        .voiso()?
        .users()
        .list_users(request)
        .await
        .map_err(|e| CliError::call_to(Api::Voiso, "ListUsers", e))?
        .items;
    // Voiso answers with every agent at once; --limit only shortens the listing.
    if let Some(limit) = list.limit {
        users.truncate(limit);
    }
    print_list(&users, list.output.output)
}
