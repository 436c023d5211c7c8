//! `roster users|skills|queues|voiso`: the everyday commands, one module per resource, on the
//! typed Rust client. This module holds what they share: choosing an application, naming a
//! record by id or name, and listing with auto-paging.

pub mod password;
mod queues;
mod skills;
mod users;
mod voiso;

use std::str::FromStr;

use roster::core::Endpoint;
use roster::voximplant::applications::GetApplications;
use roster::voximplant::types::Application;
use roster::{ListResponse, Pages, Voximplant};

use crate::fail::CliError;
use crate::output::Format;

pub use queues::{queues, QueuesCommand};
pub use skills::{skills, SkillsCommand};
pub use users::{users, UsersCommand};
pub use voiso::{voiso, VoisoCommand};

/// Which application a command works in. Optional when the account has exactly one.
#[derive(clap::Args, Debug, Clone)]
pub struct AppArg {
    /// The application: its short name (`support`) or full name
    /// (`support.ACCOUNT.voximplant.com`).
    #[arg(
        long,
        short = 'a',
        value_name = "NAME",
        conflicts_with = "application_id"
    )]
    pub application: Option<String>,
    /// The application by id.
    #[arg(long, value_name = "ID", allow_negative_numbers = true)]
    pub application_id: Option<i64>,
}

/// The options of every list command.
#[derive(clap::Args, Debug, Clone)]
pub struct ListArgs {
    /// Stop after this many records (all of them by default, fetched page by page).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = record_count)]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub output: OutputArg,
}

/// `--output table|json|csv`.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct OutputArg {
    /// How to print the result.
    #[arg(long, short, value_enum, default_value_t)]
    pub output: Format,
}

/// `--limit`: a whole number of records. clap names the flag when this refuses a value.
fn record_count(text: &str) -> Result<usize, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("expected a whole number of records, 0 or more, got {text:?}"))
}

/// The command-line flag each request parameter of the everyday commands comes from.
const FLAGS: &[(&str, &str)] = &[
    ("application_id", "--application-id"),
    ("user_display_name", "--display-name"),
    ("user_active", "--active"),
    ("user_custom_data", "--custom-data"),
    ("user_password", "the password option"),
    ("new_user_name", "--new-name"),
    ("new_acd_queue_name", "--new-name"),
    ("acd_queue_priority", "--priority"),
    ("auto_binding", "--auto-binding"),
    ("service_probability", "--service-probability"),
    ("max_queue_size", "--max-queue-size"),
    ("max_waiting_time", "--max-waiting-time"),
    ("average_service_time", "--average-service-time"),
];

/// A failed call of an everyday command. A value the core refused before sending is
/// reported against the flag it came from as well as the parameter: `AddQueue q: --priority:
/// invalid parameter `acd_queue_priority` (min): ...`.
pub(crate) fn failed(action: impl Into<String>) -> impl FnOnce(roster::Error) -> CliError {
    let action = action.into();
    move |error| {
        let flag = match &error {
            roster::Error::Validation(v) => FLAGS
                .iter()
                .find(|(parameter, _)| *parameter == v.parameter)
                .map(|(_, flag)| *flag),
            _ => None,
        };
        match flag {
            Some(flag) => CliError::call(format!("{action}: {flag}"), error),
            None => CliError::call(action, error),
        }
    }
}

/// A record named on the command line: a number is taken as an id, anything else as a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ref {
    Id(i64),
    Name(String),
}

impl FromStr for Ref {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.parse::<i64>() {
            Ok(id) if id > 0 => Self::Id(id),
            _ => Self::Name(text.to_owned()),
        })
    }
}

impl std::fmt::Display for Ref {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Name(name) => f.write_str(name),
        }
    }
}

impl Ref {
    /// Whether a record with this id and name is the one named.
    fn matches(&self, id: Option<i64>, name: Option<&str>) -> bool {
        match self {
            Self::Id(want) => id == Some(*want),
            Self::Name(want) => name == Some(want.as_str()),
        }
    }
}

/// Up to `limit` records of a list method, fetching pages only as far as needed.
pub async fn collect<E>(
    mut pages: Pages<E>,
    limit: Option<usize>,
) -> Result<Vec<<E::Response as ListResponse>::Item>, roster::Error>
where
    E: Endpoint,
    E::Response: ListResponse,
{
    let mut items = Vec::new();
    while limit.is_none_or(|n| items.len() < n) {
        match pages.next_page().await {
            Some(page) => items.extend(page?),
            None => break,
        }
    }
    if let Some(n) = limit {
        items.truncate(n);
    }
    Ok(items)
}

/// The id of the application `app` names. Names are matched in full or by their first label,
/// since people say `support` for `support.ACCOUNT.voximplant.com`.
pub async fn application_id(vox: &Voximplant, app: &AppArg) -> Result<i64, CliError> {
    if let Some(id) = app.application_id {
        return Ok(id);
    }
    let apps = collect(
        vox.applications().iter_applications(GetApplications::new()),
        None,
    )
    .await
    .map_err(|e| CliError::call("GetApplications", e))?;
    let found = match &app.application {
        Some(name) => apps.iter().find(|a| is_named(a, name)),
        None if apps.len() == 1 => apps.first(),
        None => {
            return Err(CliError::Usage(format!(
                "which application? pass --application NAME; this account has: {}",
                app_names(&apps)
            )))
        }
    };
    found.and_then(|a| a.application_id).ok_or_else(|| {
        CliError::NotFound(format!(
            "no application {:?} — this account has: {}",
            app.application.as_deref().unwrap_or_default(),
            app_names(&apps)
        ))
    })
}

/// Whether `app` is the application called `name`: its full name or its short name (the first
/// label).
pub(crate) fn is_named(app: &Application, name: &str) -> bool {
    app.application_name
        .as_deref()
        .is_some_and(|full| full == name || full.split('.').next() == Some(name))
}

fn app_names(apps: &[Application]) -> String {
    if apps.is_empty() {
        return "no applications".to_owned();
    }
    let names: Vec<&str> = apps
        .iter()
        .filter_map(|a| a.application_name.as_deref())
        .map(|n| n.split('.').next().unwrap_or(n))
        .collect();
    names.join(", ")
}

/// A one-line status message (what was done); stdout keeps the data.
fn done(message: impl std::fmt::Display) {
    eprintln!("roster: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_ids_and_the_rest_names() {
        assert_eq!("42".parse::<Ref>(), Ok(Ref::Id(42)));
        assert_eq!("ana".parse::<Ref>(), Ok(Ref::Name("ana".to_owned())));
        assert_eq!("-1".parse::<Ref>(), Ok(Ref::Name("-1".to_owned())));
    }

    #[test]
    fn a_name_matches_exactly_not_by_substring() {
        let name = Ref::Name("ana".to_owned());
        assert!(name.matches(Some(1), Some("ana")));
        assert!(!name.matches(Some(1), Some("ana-lopez")));
        assert!(Ref::Id(3).matches(Some(3), Some("x")));
    }

    #[test]
    fn applications_match_by_full_name_or_first_label() {
        let mut app = Application::default();
        app.application_name = Some("support.acme.voximplant.com".to_owned());
        assert!(is_named(&app, "support"));
        assert!(is_named(&app, "support.acme.voximplant.com"));
        assert!(!is_named(&app, "supp"));
    }
}
