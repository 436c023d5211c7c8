//! How records are printed: a table for people, JSON and CSV for scripts.
//!
//! Each record type says once which columns it has ([`Record`]); every format is built from
//! that, so a table, a CSV file and a JSON document of the same command always agree. JSON is
//! the record's own serialisation (money as exact decimal strings, unknown fields kept); the
//! table and CSV show money with `Decimal`'s `Display` (never through a float) and datetimes
//! as `YYYY-MM-DD HH:MM:SS` in UTC.

use std::fmt::Display;
use std::io::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use roster::core::OffsetDateTime;
use roster::voiso::types::VoisoUser;
use roster::voximplant::types::{Queue, Skill, User};
use serde::Serialize;
use time::macros::format_description;

use crate::fail::CliError;

/// The output format of a command.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// JSON: an array for lists, an object for one record.
    Json,
    /// CSV with a header row; lists inside a cell are joined with `;`.
    Csv,
}

/// One cell: a list is kept apart so each format can join it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    List(Vec<String>),
}

impl Cell {
    fn render(&self, separator: &str) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::List(items) => items.join(separator),
        }
    }
}

/// A record type that can be printed: its column titles and its cells, in the same order.
pub trait Record: Serialize {
    const HEADERS: &'static [&'static str];
    fn cells(&self) -> Vec<Cell>;
}

/// An optional value as a cell; a missing value is an empty cell.
pub fn text<T: Display>(value: &Option<T>) -> Cell {
    Cell::Text(value.as_ref().map(ToString::to_string).unwrap_or_default())
}

/// A datetime as `YYYY-MM-DD HH:MM:SS` in UTC, the form the Voximplant API itself uses.
pub fn datetime(value: &Option<OffsetDateTime>) -> Cell {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    Cell::Text(
        value
            .and_then(|v| v.to_offset(time::UtcOffset::UTC).format(&format).ok())
            .unwrap_or_default(),
    )
}

/// The names of a nested list (skills, queues), in the API's order.
pub fn names<T>(items: &Option<Vec<T>>, name: impl Fn(&T) -> Option<&String>) -> Cell {
    Cell::List(items.iter().flatten().filter_map(name).cloned().collect())
}

/// Prints records in `format`: a table with one row each, a JSON array, or CSV rows.
pub fn print_list<T: Record>(items: &[T], format: Format) -> Result<(), CliError> {
    match format {
        Format::Table => {
            let mut table = new_table();
            table.set_header(T::HEADERS.to_vec());
            for item in items {
                table.add_row(rendered(item, ", "));
            }
            print_text(&table.to_string())
        }
        Format::Json => print_json(&items),
        Format::Csv => print_csv(T::HEADERS, items.iter().map(|i| rendered(i, ";"))),
    }
}

/// Prints one record: as a two-column field/value table, a JSON object, or one CSV row.
pub fn print_one<T: Record>(item: &T, format: Format) -> Result<(), CliError> {
    match format {
        Format::Table => {
            let mut table = new_table();
            for (header, value) in T::HEADERS.iter().zip(rendered(item, ", ")) {
                table.add_row(vec![(*header).to_owned(), value]);
            }
            print_text(&table.to_string())
        }
        Format::Json => print_json(item),
        Format::Csv => print_csv(T::HEADERS, std::iter::once(rendered(item, ";"))),
    }
}

/// The agents of an application, one row each: id, name, display name, active, skills, queues.
pub fn print_users(users: &[User], format: Format) -> Result<(), CliError> {
    print_list(users, format)
}

/// Any JSON value, pretty, to stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))?;
    print_text(&text)
}

fn rendered<T: Record>(item: &T, separator: &str) -> Vec<String> {
    item.cells().iter().map(|c| c.render(separator)).collect()
}

fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

fn print_csv(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<(), CliError> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => stdout_result(Err(e)),
        other => Err(CliError::Usage(format!("cannot write CSV: {other:?}"))),
    };
    if let Err(e) = writer.write_record(headers) {
        return csv_error(e);
    }
    for row in rows {
        if let Err(e) = writer.write_record(&row) {
            return csv_error(e);
        }
    }
    stdout_result(writer.flush())
}

/// Writes a line to stdout. A reader that stopped early (`roster users list | head`) is not an
/// error, and must not be a panic as `println!` would make it.
pub fn print_text(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    stdout_result(writeln!(out, "{text}"))
}

fn stdout_result(result: std::io::Result<()>) -> Result<(), CliError> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}

impl Record for User {
    const HEADERS: &'static [&'static str] =
        &["id", "name", "display name", "active", "skills", "queues"];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(&self.user_id),
            text(&self.user_name),
            text(&self.user_display_name),
            text(&self.user_active),
            names(&self.skills, |s| s.skill_name.as_ref()),
            names(&self.acd_queues, |q| q.acd_queue_name.as_ref()),
        ]
    }
}

/// One user in full, for `users get`: the list columns and the rest of the record.
#[derive(Serialize)]
#[serde(transparent)]
pub struct UserDetail(pub User);

impl Record for UserDetail {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "name",
        "display name",
        "active",
        "skills",
        "queues",
        "balance",
        "live balance",
        "frozen",
        "parent accounting",
        "custom data",
        "acd status",
        "created",
        "modified",
    ];
    fn cells(&self) -> Vec<Cell> {
        let u = &self.0;
        let mut cells = u.cells();
        cells.extend([
            text(&u.balance),
            text(&u.live_balance),
            text(&u.frozen),
            text(&u.parent_accounting),
            text(&u.user_custom_data),
            text(&u.acd_status),
            datetime(&u.created),
            datetime(&u.modified),
        ]);
        cells
    }
}

impl Record for Skill {
    const HEADERS: &'static [&'static str] = &["id", "name"];
    fn cells(&self) -> Vec<Cell> {
        vec![text(&self.skill_id), text(&self.skill_name)]
    }
}

impl Record for Queue {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "name",
        "application id",
        "priority",
        "auto binding",
        "service probability",
        "max waiting time",
        "max queue size",
        "operators",
        "skills",
        "created",
    ];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(&self.acd_queue_id),
            text(&self.acd_queue_name),
            text(&self.application_id),
            text(&self.acd_queue_priority),
            text(&self.auto_binding),
            text(&self.service_probability),
            text(&self.max_waiting_time),
            text(&self.max_queue_size),
            text(&self.operatorcount),
            names(&self.skills, |s| s.skill_name.as_ref()),
            datetime(&self.created),
        ]
    }
}

impl Record for VoisoUser {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "name",
        "email",
        "extension",
        "sip account",
        "teams",
        "skills",
        "queues",
    ];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(&self.id),
            text(&self.name),
            text(&self.email),
            text(&self.extension),
            text(&self.sip_account),
            Cell::List(self.assigned_teams.clone().unwrap_or_default()),
            names(&self.assigned_skills, |s| s.name.as_ref()),
            Cell::List(self.assigned_queues.clone().unwrap_or_default()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_shown_in_utc() {
        let dt = OffsetDateTime::from_unix_timestamp(1_700_000_000)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(3, 0, 0).unwrap());
        assert_eq!(
            datetime(&Some(dt)),
            Cell::Text("2023-11-14 22:13:20".to_owned())
        );
        assert_eq!(datetime(&None), Cell::Text(String::new()));
    }

    #[test]
    fn lists_join_per_format() {
        let cell = Cell::List(vec!["a".into(), "b".into()]);
        assert_eq!(cell.render(", "), "a, b");
        assert_eq!(cell.render(";"), "a;b");
    }

    #[test]
    fn money_keeps_its_digits() {
        let amount = Some(roster::Decimal::new(1050, 2));
        assert_eq!(text(&amount), Cell::Text("10.50".to_owned()));
    }
}
