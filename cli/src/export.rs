//! `roster export`: an application's current users, skills, queues and bindings as a roster
//! file, so `apply` of the output changes nothing. Passwords are never exported (the API does
//! not return them, and existing users keep theirs).

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::context::Context;
use crate::fail::CliError;
use crate::observed::{Observed, ObservedQueue, ObservedUser};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The application, by short name (`support`) or full name.
    #[arg(long, short)]
    pub application: String,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub async fn run(ctx: &Context, args: ExportArgs) -> Result<(), CliError> {
    let short = args
        .application
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let vox = ctx.voximplant()?;
    let observed = Observed::fetch(&vox, &short).await?;
    if observed.application.is_none() {
        return Err(CliError::Usage(format!(
            "there is no application {short} — `roster call GetApplications` lists them"
        )));
    }
    let text = render(&short, &observed);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e)),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// The roster file of `observed`, in the layout of `examples/support-team.toml`.
pub fn render(application: &str, observed: &Observed) -> String {
    let mut out = String::new();
    let full = observed
        .application
        .as_ref()
        .map_or("", |a| a.full_name.as_str());
    let _ = writeln!(out, "# Exported by roster from {full}.");
    let _ = writeln!(out, "application = {}", quote(application));
    let _ = writeln!(out, "skills = {}", list(observed.skills_in_use().iter()));
    for (name, queue) in &observed.queues {
        queue_table(&mut out, name, queue);
    }
    for (name, user) in &observed.users {
        user_table(&mut out, name, user);
    }
    out
}

fn queue_table(out: &mut String, name: &str, q: &ObservedQueue) {
    let s = &q.settings;
    let _ = writeln!(out, "\n[[queue]]\nname = {}", quote(name));
    let mut line = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            let _ = writeln!(out, "{key} = {v}");
        }
    };
    line("priority", s.priority.map(|v| v.to_string()));
    line("auto_binding", s.auto_binding.map(|v| v.to_string()));
    line(
        "service_probability",
        s.service_probability
            .map(|v| quote(&v.normalize().to_string())),
    );
    line("max_queue_size", s.max_queue_size.map(|v| v.to_string()));
    line(
        "max_waiting_time",
        s.max_waiting_time.map(|v| v.to_string()),
    );
    line(
        "average_service_time",
        s.average_service_time.map(|v| v.to_string()),
    );
    let _ = writeln!(out, "skills = {}", list(q.skills.iter()));
}

fn user_table(out: &mut String, name: &str, u: &ObservedUser) {
    let _ = writeln!(out, "\n[[user]]\nname = {}", quote(name));
    let _ = writeln!(out, "display_name = {}", quote(&u.display_name));
    if !u.active {
        let _ = writeln!(out, "active = false");
    }
    if !u.custom_data.is_empty() {
        let _ = writeln!(out, "custom_data = {}", quote(&u.custom_data));
    }
    let _ = writeln!(out, "skills = {}", list(u.skills.iter()));
    let _ = writeln!(out, "queues = {}", list(u.queues.iter()));
}

/// A TOML string literal, escaped by the TOML library.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn list<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let items: Vec<String> = items.map(|s| quote(s)).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;
    use crate::observed::ObservedApplication;
    use crate::plan::diff;
    use crate::roster_file::{QueueSettings, RosterFile};

    #[test]
    fn an_export_reads_back_as_the_same_state() {
        let mut o = Observed {
            application: Some(ObservedApplication {
                id: 3,
                full_name: "support.acme.voximplant.com".into(),
            }),
            ..Observed::default()
        };
        o.skills.insert("billing".into(), 1);
        o.skills.insert("unused \"elsewhere\"".into(), 2);
        o.queues.insert(
            "billing".into(),
            ObservedQueue {
                id: 4,
                settings: QueueSettings {
                    priority: Some(2),
                    auto_binding: Some(false),
                    service_probability: Some("0.950".parse().unwrap()),
                    max_queue_size: Some(5),
                    max_waiting_time: None,
                    average_service_time: Some(60),
                },
                skills: ["billing".to_owned()].into(),
            },
        );
        o.users.insert(
            "ana".into(),
            ObservedUser {
                id: 7,
                display_name: "Ana \"the\" Lopez".into(),
                active: false,
                custom_data: "line 1\nline 2".into(),
                skills: ["billing".to_owned()].into(),
                queues: ["billing".to_owned()].into(),
            },
        );
        let text = render("support", &o);
        let file = RosterFile::parse(&text, Path::new("export.toml")).unwrap();
        assert_eq!(file.skills, BTreeSet::from(["billing".to_owned()]));
        let plan = diff(&file, &o, true, &BTreeSet::new());
        assert!(plan.is_empty(), "{plan}\n{text}");
    }
}
