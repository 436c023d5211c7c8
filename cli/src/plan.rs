//! `roster plan`: the changes that make an application match a roster file.
//!
//! The diff is a pure function of the file and the observed state, so it is tested without a
//! server, and `apply` runs exactly the plan it printed. Everything is keyed by name: users by
//! login name, queues by name within the application, skills by name within the account.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use crate::context::Context;
use crate::fail::CliError;
use crate::observed::{self, Observed};
use crate::roster_file::{QueueSettings, QueueSpec, RosterFile, UserSpec};

#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    /// The roster file.
    pub file: PathBuf,
    /// Also delete users and queues of the application, and skills it alone used, that the
    /// file does not declare.
    #[arg(long)]
    pub prune: bool,
}

pub async fn run(ctx: &Context, args: PlanArgs) -> Result<(), CliError> {
    let file = RosterFile::load(&args.file)?;
    let vox = ctx.voximplant()?;
    let (plan, _) = make(&vox, &file, args.prune).await?;
    print!("{plan}");
    Ok(())
}

/// Reads the state and plans; also returns the state, whose ids `apply` starts from.
pub async fn make(
    vox: &roster::Voximplant,
    file: &RosterFile,
    prune: bool,
) -> Result<(Plan, Observed), CliError> {
    let observed = Observed::fetch(vox, &file.application).await?;
    let elsewhere = match (&observed.application, prune) {
        (Some(app), true) => {
            let candidates = observed
                .skills_in_use()
                .into_iter()
                .filter(|s| !file.skills.contains(s))
                .filter_map(|s| observed.skills.get(&s).map(|&id| (s, id)))
                .collect();
            observed::skills_used_elsewhere(vox, app.id, &candidates).await?
        }
        _ => BTreeSet::new(),
    };
    Ok((diff(file, &observed, prune, &elsewhere), observed))
}

/// What a change is about; a change that needs a target whose creation failed is skipped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Application,
    Skill(String),
    Queue(String),
    User(String),
}

/// Who holds a skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    User(String),
    Queue(String),
}

/// One field whose value changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// One step of a plan; each is one API call.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateApplication(String),
    CreateSkill(String),
    CreateQueue(QueueSpec),
    /// `set` holds only the settings that change.
    UpdateQueue {
        name: String,
        set: QueueSettings,
        fields: Vec<FieldChange>,
    },
    CreateUser(UserSpec),
    UpdateUser {
        user: UserSpec,
        fields: Vec<FieldChange>,
    },
    BindSkills {
        holder: Holder,
        skills: Vec<String>,
        bind: bool,
    },
    BindQueues {
        user: String,
        queues: Vec<String>,
        bind: bool,
    },
    DeleteUser(String),
    DeleteQueue(String),
    DeleteSkill(String),
}

impl Change {
    /// Changes run phase by phase; within a phase they are independent of each other.
    pub fn phase(&self) -> usize {
        match self {
            Self::CreateApplication(_) => 0,
            Self::CreateSkill(_)
            | Self::CreateQueue(_)
            | Self::UpdateQueue { .. }
            | Self::CreateUser(_)
            | Self::UpdateUser { .. } => 1,
            Self::BindSkills { .. } | Self::BindQueues { .. } => 2,
            Self::DeleteUser(_) | Self::DeleteQueue(_) | Self::DeleteSkill(_) => 3,
        }
    }

    /// What this change brings into existence.
    pub fn creates(&self) -> Option<Target> {
        match self {
            Self::CreateApplication(_) => Some(Target::Application),
            Self::CreateSkill(name) => Some(Target::Skill(name.clone())),
            Self::CreateQueue(q) => Some(Target::Queue(q.name.clone())),
            Self::CreateUser(u) => Some(Target::User(u.name.clone())),
            _ => None,
        }
    }

    /// What must exist before this change can run.
    pub fn needs(&self) -> Vec<Target> {
        match self {
            Self::CreateQueue(_) | Self::CreateUser(_) => vec![Target::Application],
            Self::BindSkills { holder, skills, .. } => {
                let holder = match holder {
                    Holder::User(u) => Target::User(u.clone()),
                    Holder::Queue(q) => Target::Queue(q.clone()),
                };
                std::iter::once(holder)
                    .chain(skills.iter().cloned().map(Target::Skill))
                    .collect()
            }
            Self::BindQueues { user, queues, .. } => std::iter::once(Target::Application)
                .chain(std::iter::once(Target::User(user.clone())))
                .chain(queues.iter().cloned().map(Target::Queue))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Self::CreateApplication(_)
            | Self::CreateSkill(_)
            | Self::CreateQueue(_)
            | Self::CreateUser(_) => Kind::Create,
            Self::UpdateQueue { .. } | Self::UpdateUser { .. } => Kind::Update,
            Self::BindSkills { bind: true, .. } | Self::BindQueues { bind: true, .. } => Kind::Bind,
            Self::BindSkills { .. } | Self::BindQueues { .. } => Kind::Unbind,
            Self::DeleteUser(_) | Self::DeleteQueue(_) | Self::DeleteSkill(_) => Kind::Delete,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Create,
    Update,
    Bind,
    Unbind,
    Delete,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[String]| v.join(", ");
        match self {
            Self::CreateApplication(name) => write!(f, "+ create application {name}"),
            Self::CreateSkill(name) => write!(f, "+ create skill {name}"),
            Self::CreateQueue(q) => {
                write!(f, "+ create queue {}", q.name)?;
                let settings = settings_text(&q.settings);
                if !settings.is_empty() {
                    write!(f, " ({settings})")?;
                }
                Ok(())
            }
            Self::UpdateQueue { name, fields, .. } => {
                write!(f, "~ update queue {name}: {}", fields_text(fields))
            }
            Self::CreateUser(u) => {
                write!(f, "+ create user {} {:?}", u.name, u.display_name)?;
                if !u.active {
                    f.write_str(" (inactive)")?;
                }
                Ok(())
            }
            Self::UpdateUser { user, fields } => {
                write!(f, "~ update user {}: {}", user.name, fields_text(fields))
            }
            Self::BindSkills {
                holder,
                skills,
                bind,
            } => {
                let (verb, to) = if *bind {
                    ("+ bind", "to")
                } else {
                    ("- unbind", "from")
                };
                let holder = match holder {
                    Holder::User(u) => format!("user {u}"),
                    Holder::Queue(q) => format!("queue {q}"),
                };
                write!(f, "{verb} skills {} {to} {holder}", list(skills))
            }
            Self::BindQueues { user, queues, bind } => {
                let (verb, to) = if *bind {
                    ("+ bind", "to")
                } else {
                    ("- unbind", "from")
                };
                write!(f, "{verb} user {user} {to} queues {}", list(queues))
            }
            Self::DeleteUser(name) => write!(f, "- delete user {name}"),
            Self::DeleteQueue(name) => write!(f, "- delete queue {name}"),
            Self::DeleteSkill(name) => write!(f, "- delete skill {name}"),
        }
    }
}

fn fields_text(fields: &[FieldChange]) -> String {
    fields
        .iter()
        .map(|c| format!("{} {} → {}", c.field, c.from, c.to))
        .collect::<Vec<_>>()
        .join(", ")
}

fn settings_text(s: &QueueSettings) -> String {
    setting_values(s)
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| format!("{name} {v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each queue setting by its roster-file name, as text.
fn setting_values(s: &QueueSettings) -> [(&'static str, Option<String>); 6] {
    let text = |v: Option<i64>| v.map(|v| v.to_string());
    [
        ("priority", text(s.priority)),
        ("auto_binding", s.auto_binding.map(|v| v.to_string())),
        (
            "service_probability",
            s.service_probability.map(|v| v.normalize().to_string()),
        ),
        ("max_queue_size", text(s.max_queue_size)),
        ("max_waiting_time", text(s.max_waiting_time)),
        ("average_service_time", text(s.average_service_time)),
    ]
}

/// A plan for one application.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub application: String,
    pub changes: Vec<Change>,
    /// What exists but is not declared, when not pruning: shown so nothing is a surprise.
    pub undeclared: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    fn count(&self, kind: Kind) -> usize {
        self.changes.iter().filter(|c| c.kind() == kind).count()
    }

    /// `3 to create, 1 to update, ...`
    pub fn summary(&self) -> String {
        format!(
            "{} to create, {} to update, {} to bind, {} to unbind, {} to delete",
            self.count(Kind::Create),
            self.count(Kind::Update),
            self.count(Kind::Bind),
            self.count(Kind::Unbind),
            self.count(Kind::Delete),
        )
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            writeln!(
                f,
                "No changes: application {} matches the roster file.",
                self.application
            )?;
        } else {
            writeln!(f, "Plan for application {}:", self.application)?;
            for change in &self.changes {
                writeln!(f, "  {change}")?;
            }
            writeln!(f, "Plan: {}.", self.summary())?;
        }
        if !self.undeclared.is_empty() {
            writeln!(
                f,
                "Not in the file, kept (--prune would delete them): {}",
                self.undeclared.join(", ")
            )?;
        }
        Ok(())
    }
}

/// The changes that take `observed` to what `file` declares. `used_elsewhere` names skills
/// other applications still use, which pruning keeps.
pub fn diff(
    file: &RosterFile,
    observed: &Observed,
    prune: bool,
    used_elsewhere: &BTreeSet<String>,
) -> Plan {
    let mut changes = Vec::new();
    let mut undeclared = Vec::new();
    if observed.application.is_none() {
        changes.push(Change::CreateApplication(file.application.clone()));
    }
    for skill in &file.skills {
        if !observed.skills.contains_key(skill) {
            changes.push(Change::CreateSkill(skill.clone()));
        }
    }
    for queue in &file.queues {
        diff_queue(queue, observed, &mut changes);
    }
    for user in &file.users {
        diff_user(user, observed, &mut changes);
    }

    let declared_users: BTreeSet<_> = file.users.iter().map(|u| u.name.as_str()).collect();
    let declared_queues: BTreeSet<_> = file.queues.iter().map(|q| q.name.as_str()).collect();
    let mut extra = |change: Change, what: &str, name: &str| {
        if prune {
            changes.push(change);
        } else {
            undeclared.push(format!("{what} {name}"));
        }
    };
    for name in observed
        .users
        .keys()
        .filter(|n| !declared_users.contains(n.as_str()))
    {
        extra(Change::DeleteUser(name.clone()), "user", name);
    }
    for name in observed
        .queues
        .keys()
        .filter(|n| !declared_queues.contains(n.as_str()))
    {
        extra(Change::DeleteQueue(name.clone()), "queue", name);
    }
    for name in observed.skills_in_use() {
        if !file.skills.contains(&name) && !used_elsewhere.contains(&name) {
            extra(Change::DeleteSkill(name.clone()), "skill", &name);
        }
    }
    Plan {
        application: file.application.clone(),
        changes,
        undeclared,
    }
}

fn diff_queue(queue: &QueueSpec, observed: &Observed, changes: &mut Vec<Change>) {
    let Some(now) = observed.queues.get(&queue.name) else {
        changes.push(Change::CreateQueue(queue.clone()));
        if !queue.skills.is_empty() {
            changes.push(bind_skills(
                Holder::Queue(queue.name.clone()),
                &queue.skills,
                true,
            ));
        }
        return;
    };
    let (set, fields) = changed_settings(&queue.settings, &now.settings);
    if !fields.is_empty() {
        changes.push(Change::UpdateQueue {
            name: queue.name.clone(),
            set,
            fields,
        });
    }
    sync_set(&queue.skills, &now.skills, |names, bind| {
        changes.push(bind_skills(Holder::Queue(queue.name.clone()), names, bind));
    });
}

/// The declared settings that differ from the server's, as settings to send and as text.
fn changed_settings(
    want: &QueueSettings,
    now: &QueueSettings,
) -> (QueueSettings, Vec<FieldChange>) {
    fn pick<T: PartialEq + Clone>(want: &Option<T>, now: &Option<T>) -> Option<T> {
        want.as_ref().filter(|w| now.as_ref() != Some(*w)).cloned()
    }
    let set = QueueSettings {
        priority: pick(&want.priority, &now.priority),
        auto_binding: pick(&want.auto_binding, &now.auto_binding),
        service_probability: pick(&want.service_probability, &now.service_probability),
        max_queue_size: pick(&want.max_queue_size, &now.max_queue_size),
        max_waiting_time: pick(&want.max_waiting_time, &now.max_waiting_time),
        average_service_time: pick(&want.average_service_time, &now.average_service_time),
    };
    let fields = setting_values(&set)
        .into_iter()
        .zip(setting_values(now))
        .filter_map(|((field, to), (_, from))| {
            Some(FieldChange {
                field,
                to: to?,
                from: from.unwrap_or_else(|| "(unset)".to_owned()),
            })
        })
        .collect();
    (set, fields)
}

fn diff_user(user: &UserSpec, observed: &Observed, changes: &mut Vec<Change>) {
    let Some(now) = observed.users.get(&user.name) else {
        changes.push(Change::CreateUser(user.clone()));
        if !user.skills.is_empty() {
            changes.push(bind_skills(
                Holder::User(user.name.clone()),
                &user.skills,
                true,
            ));
        }
        if !user.queues.is_empty() {
            changes.push(bind_queues(&user.name, &user.queues, true));
        }
        return;
    };
    let mut fields = Vec::new();
    if user.display_name != now.display_name {
        fields.push(FieldChange {
            field: "display_name",
            from: format!("{:?}", now.display_name),
            to: format!("{:?}", user.display_name),
        });
    }
    if user.active != now.active {
        fields.push(FieldChange {
            field: "active",
            from: now.active.to_string(),
            to: user.active.to_string(),
        });
    }
    if let Some(data) = user.custom_data.as_ref().filter(|d| **d != now.custom_data) {
        fields.push(FieldChange {
            field: "custom_data",
            from: format!("{:?}", now.custom_data),
            to: format!("{data:?}"),
        });
    }
    if !fields.is_empty() {
        changes.push(Change::UpdateUser {
            user: user.clone(),
            fields,
        });
    }
    sync_set(&user.skills, &now.skills, |names, bind| {
        changes.push(bind_skills(Holder::User(user.name.clone()), names, bind));
    });
    sync_set(&user.queues, &now.queues, |names, bind| {
        changes.push(bind_queues(&user.name, names, bind));
    });
}

/// Calls `emit` with what to bind (`true`) and what to unbind (`false`), when not empty.
fn sync_set(
    want: &BTreeSet<String>,
    now: &BTreeSet<String>,
    mut emit: impl FnMut(&BTreeSet<String>, bool),
) {
    let add: BTreeSet<String> = want.difference(now).cloned().collect();
    let remove: BTreeSet<String> = now.difference(want).cloned().collect();
    if !add.is_empty() {
        emit(&add, true);
    }
    if !remove.is_empty() {
        emit(&remove, false);
    }
}

fn bind_skills(holder: Holder, skills: &BTreeSet<String>, bind: bool) -> Change {
    Change::BindSkills {
        holder,
        skills: skills.iter().cloned().collect(),
        bind,
    }
}

fn bind_queues(user: &str, queues: &BTreeSet<String>, bind: bool) -> Change {
    Change::BindQueues {
        user: user.to_owned(),
        queues: queues.iter().cloned().collect(),
        bind,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::observed::{ObservedApplication, ObservedQueue, ObservedUser};

    fn file(text: &str) -> RosterFile {
        RosterFile::parse(text, Path::new("t.toml")).unwrap()
    }

    const TEAM: &str = r#"
application = "support"
skills = ["billing", "spanish"]
[[queue]]
name = "billing-es"
priority = 1
skills = ["billing", "spanish"]
[[user]]
name = "ana"
display_name = "Ana"
skills = ["billing"]
queues = ["billing-es"]
"#;

    fn lines(plan: &Plan) -> Vec<String> {
        plan.changes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn an_empty_account_gets_everything_in_dependency_order() {
        let plan = diff(&file(TEAM), &Observed::default(), false, &BTreeSet::new());
        assert_eq!(
            lines(&plan),
            [
                "+ create application support",
                "+ create skill billing",
                "+ create skill spanish",
                "+ create queue billing-es (priority 1)",
                "+ bind skills billing, spanish to queue billing-es",
                "+ create user ana \"Ana\"",
                "+ bind skills billing to user ana",
                "+ bind user ana to queues billing-es",
            ]
        );
        let phases: Vec<_> = plan.changes.iter().map(Change::phase).collect();
        assert_eq!(phases, [0, 1, 1, 1, 2, 1, 2, 2]);
        assert_eq!(
            plan.summary(),
            "5 to create, 0 to update, 3 to bind, 0 to unbind, 0 to delete"
        );
        assert_eq!(
            plan.changes[7].needs(),
            [
                Target::Application,
                Target::User("ana".into()),
                Target::Queue("billing-es".into())
            ]
        );
    }

    fn matching() -> Observed {
        let mut o = Observed {
            application: Some(ObservedApplication {
                id: 1,
                full_name: "support.acme.voximplant.com".into(),
            }),
            ..Observed::default()
        };
        o.skills.insert("billing".into(), 1);
        o.skills.insert("spanish".into(), 2);
        o.queues.insert(
            "billing-es".into(),
            ObservedQueue {
                id: 5,
                settings: QueueSettings {
                    priority: Some(1),
                    auto_binding: Some(true),
                    ..QueueSettings::default()
                },
                skills: ["billing".to_owned(), "spanish".to_owned()].into(),
            },
        );
        o.users.insert(
            "ana".into(),
            ObservedUser {
                id: 9,
                display_name: "Ana".into(),
                active: true,
                custom_data: String::new(),
                skills: ["billing".to_owned()].into(),
                queues: ["billing-es".to_owned()].into(),
            },
        );
        o
    }

    #[test]
    fn a_matching_account_needs_nothing() {
        let plan = diff(&file(TEAM), &matching(), true, &BTreeSet::new());
        assert!(plan.is_empty(), "{plan}");
        assert!(plan.to_string().starts_with("No changes"));
    }

    #[test]
    fn drift_is_updated_bound_and_unbound() {
        let mut o = matching();
        let ana = o.users.get_mut("ana").unwrap();
        ana.display_name = "Ana L".into();
        ana.active = false;
        ana.skills = ["spanish".to_owned()].into();
        o.queues.get_mut("billing-es").unwrap().settings.priority = Some(3);
        let plan = diff(&file(TEAM), &o, false, &BTreeSet::new());
        assert_eq!(
            lines(&plan),
            [
                "~ update queue billing-es: priority 3 → 1",
                "~ update user ana: display_name \"Ana L\" → \"Ana\", active false → true",
                "+ bind skills billing to user ana",
                "- unbind skills spanish from user ana",
            ]
        );
        let Change::UpdateQueue { set, .. } = &plan.changes[0] else {
            panic!()
        };
        assert_eq!(
            set,
            &QueueSettings {
                priority: Some(1),
                ..QueueSettings::default()
            }
        );
    }

    #[test]
    fn undeclared_records_are_deleted_only_with_prune() {
        let mut o = matching();
        o.users.insert(
            "old".into(),
            ObservedUser {
                id: 10,
                skills: ["legacy".to_owned()].into(),
                ..ObservedUser::default()
            },
        );
        o.queues.insert("old-q".into(), ObservedQueue::default());
        o.skills.insert("legacy".into(), 3);
        o.skills.insert("shared".into(), 4);
        o.users
            .get_mut("old")
            .unwrap()
            .skills
            .insert("shared".into());

        let kept = diff(&file(TEAM), &o, false, &BTreeSet::new());
        assert!(kept.is_empty());
        assert_eq!(
            kept.undeclared,
            ["user old", "queue old-q", "skill legacy", "skill shared"]
        );

        let elsewhere = ["shared".to_owned()].into();
        let pruned = diff(&file(TEAM), &o, true, &elsewhere);
        assert_eq!(
            lines(&pruned),
            [
                "- delete user old",
                "- delete queue old-q",
                "- delete skill legacy"
            ]
        );
        assert!(pruned.changes.iter().all(|c| c.phase() == 3));
    }
}
