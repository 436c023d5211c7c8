//! What the platform holds now for one application: read with the SDK's auto-paging listers,
//! keyed by name, which is how a roster file refers to things.

use std::collections::{BTreeMap, BTreeSet};

use roster::voximplant::applications::GetApplications;
use roster::voximplant::queues::GetQueues;
use roster::voximplant::skills::GetSkills;
use roster::voximplant::types::{Queue, User};
use roster::voximplant::users::GetUsers;
use roster::Voximplant;

use crate::fail::CliError;
use crate::resources::is_named;
use crate::roster_file::QueueSettings;

/// One application's users, queues and skills as the server reports them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// `None` when the application does not exist yet.
    pub application: Option<ObservedApplication>,
    /// Every skill of the account (skills are account-wide), name → id.
    pub skills: BTreeMap<String, i64>,
    pub queues: BTreeMap<String, ObservedQueue>,
    pub users: BTreeMap<String, ObservedUser>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedApplication {
    pub id: i64,
    pub full_name: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservedQueue {
    pub id: i64,
    pub settings: QueueSettings,
    pub skills: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservedUser {
    pub id: i64,
    pub display_name: String,
    pub active: bool,
    pub custom_data: String,
    pub skills: BTreeSet<String>,
    /// Queues the user was bound to by hand; bindings a queue's `auto_binding` made are the
    /// server's business and are left out, so a plan never fights them.
    pub queues: BTreeSet<String>,
}

impl Observed {
    /// Reads the application named `application` (short name) and everything in it.
    pub async fn fetch(vox: &Voximplant, application: &str) -> Result<Self, CliError> {
        let Some(app) = find_application(vox, application).await? else {
            let skills = all_skills(vox).await?;
            return Ok(Self {
                skills,
                ..Self::default()
            });
        };
        let (skills, queues, users) = tokio::try_join!(
            all_skills(vox),
            vox.queues()
                .iter_queues(GetQueues::new().application_id(app.id).with_skills(true))
                .collect_all(),
            vox.users()
                .iter_users(
                    GetUsers::new()
                        .application_id(app.id)
                        .with_skills(true)
                        .with_queues(true),
                )
                .collect_all(),
        )
        .map_err(|e| CliError::call(format!("reading application {application}"), e))?;
        Ok(Self {
            application: Some(app),
            skills,
            queues: queues.into_iter().filter_map(observed_queue).collect(),
            users: users.into_iter().filter_map(observed_user).collect(),
        })
    }

    /// The skills bound to this application's users or queues.
    pub fn skills_in_use(&self) -> BTreeSet<String> {
        let users = self.users.values().flat_map(|u| u.skills.iter());
        let queues = self.queues.values().flat_map(|q| q.skills.iter());
        users.chain(queues).cloned().collect()
    }
}

/// The application whose short name (first label) is `short_name`.
pub async fn find_application(
    vox: &Voximplant,
    short_name: &str,
) -> Result<Option<ObservedApplication>, CliError> {
    // The filter matches any name containing the text; the first label must match exactly.
    let apps = vox
        .applications()
        .iter_applications(GetApplications::new().application_name(short_name))
        .collect_all()
        .await
        .map_err(|e| CliError::call(format!("looking up application {short_name}"), e))?;
    Ok(apps
        .into_iter()
        .filter(|a| is_named(a, short_name))
        .find_map(|a| {
            Some(ObservedApplication {
                id: a.application_id?,
                full_name: a.application_name?,
            })
        }))
}

async fn all_skills(vox: &Voximplant) -> Result<BTreeMap<String, i64>, roster::Error> {
    let skills = vox
        .skills()
        .iter_skills(GetSkills::new())
        .collect_all()
        .await?;
    Ok(skills
        .into_iter()
        .filter_map(|s| Some((s.skill_name?, s.skill_id?)))
        .collect())
}

fn observed_queue(q: Queue) -> Option<(String, ObservedQueue)> {
    let queue = ObservedQueue {
        id: q.acd_queue_id?,
        settings: QueueSettings {
            priority: q.acd_queue_priority,
            auto_binding: q.auto_binding,
            service_probability: q.service_probability,
            max_queue_size: q.max_queue_size,
            max_waiting_time: q.max_waiting_time,
            average_service_time: q.average_service_time,
        },
        skills: q
            .skills
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| s.skill_name)
            .collect(),
    };
    Some((q.acd_queue_name?, queue))
}

fn observed_user(u: User) -> Option<(String, ObservedUser)> {
    let user = ObservedUser {
        id: u.user_id?,
        display_name: u.user_display_name.unwrap_or_default(),
        active: u.user_active.unwrap_or(true),
        custom_data: u.user_custom_data.unwrap_or_default(),
        skills: u
            .skills
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| s.skill_name)
            .collect(),
        queues: u
            .acd_queues
            .unwrap_or_default()
            .into_iter()
            .filter(|q| q.auto_link != Some(true))
            .filter_map(|q| q.acd_queue_name)
            .collect(),
    };
    Some((u.user_name?, user))
}

/// Which of `skills` (name → id) a user or queue of another application still has. Skills are
/// account-wide, so pruning one this application stopped using must not take it from others.
pub async fn skills_used_elsewhere(
    vox: &Voximplant,
    application_id: i64,
    skills: &BTreeMap<String, i64>,
) -> Result<BTreeSet<String>, CliError> {
    let fail = |e| CliError::call("checking where skills are used", e);
    let apps = vox
        .applications()
        .iter_applications(GetApplications::new())
        .collect_all()
        .await
        .map_err(fail)?;
    let others: Vec<i64> = apps
        .iter()
        .filter_map(|a| a.application_id)
        .filter(|&id| id != application_id)
        .collect();
    let mut used = BTreeSet::new();
    for (name, &skill_id) in skills {
        let queues = vox
            .queues()
            .iter_queues(GetQueues::new().skill_id(skill_id))
            .collect_all()
            .await
            .map_err(fail)?;
        let mut elsewhere = queues
            .iter()
            .any(|q| q.application_id.is_some_and(|id| id != application_id));
        for &app in &others {
            if elsewhere {
                break;
            }
            let users = vox
                .users()
                .get_users(
                    GetUsers::new()
                        .application_id(app)
                        .skill_id(skill_id)
                        .count(1),
                )
                .await
                .map_err(fail)?;
            elsewhere = !users.items.is_empty();
        }
        if elsewhere {
            used.insert(name.clone());
        }
    }
    Ok(used)
}
