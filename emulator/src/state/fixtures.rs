//! The fixtures format: starting state as JSON (`--fixtures FILE`, `POST /_emulator/fixtures`),
//! and the same format out of `GET /_emulator/state`, so a dump loads back unchanged.
//! Documented in `emulator/README.md`; `emulator/fixtures/example.json` is an example.
//!
//! Ids are optional (the counters assign them); references between records use ids. Money may
//! be a JSON number or a string (`"1000.00"`), and is dumped as a string so it stays exact.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Account, Queue, State, User, VoisoUser};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountFixture>,
    #[serde(default)]
    pub applications: Vec<ApplicationFixture>,
    #[serde(default)]
    pub skills: Vec<SkillFixture>,
    #[serde(default)]
    pub queues: Vec<QueueFixture>,
    #[serde(default)]
    pub users: Vec<UserFixture>,
    #[serde(default)]
    pub voiso_users: Vec<VoisoUser>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFixture {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationFixture {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<i64>,
    /// Short (`demo`) or full (`demo.ACCOUNT.voximplant.com`) name.
    pub application_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillFixture {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<i64>,
    pub skill_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueFixture {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acd_queue_id: Option<i64>,
    pub acd_queue_name: String,
    pub application_id: i64,
    #[serde(default)]
    pub acd_queue_priority: i64,
    #[serde(default = "yes")]
    pub auto_binding: bool,
    #[serde(default = "one")]
    pub service_probability: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_queue_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_waiting_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_service_time: Option<i64>,
    /// Skill ids the queue asks for.
    #[serde(default)]
    pub skills: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_display_name: Option<String>,
    pub application_id: i64,
    #[serde(default = "yes")]
    pub user_active: bool,
    #[serde(default)]
    pub parent_accounting: bool,
    #[serde(default)]
    pub balance: Decimal,
    #[serde(default)]
    pub user_custom_data: String,
    #[serde(default)]
    pub frozen: bool,
    #[serde(default = "offline")]
    pub acd_status: String,
    /// Skill ids.
    #[serde(default)]
    pub skills: Vec<i64>,
    /// Queue ids the user serves.
    #[serde(default)]
    pub acd_queues: Vec<i64>,
}

fn yes() -> bool {
    true
}

fn one() -> Decimal {
    Decimal::ONE
}

fn offline() -> String {
    "OFFLINE".to_owned()
}

/// A fixture that refers to something that does not exist, or repeats a name.
#[derive(Debug, thiserror::Error)]
#[error("fixtures: {0}")]
pub struct FixtureError(pub String);

impl Fixtures {
    pub fn from_json(text: &[u8]) -> Result<Self, FixtureError> {
        serde_json::from_slice(text).map_err(|e| FixtureError(e.to_string()))
    }

    /// Builds a state from these fixtures on top of `base` (its account settings and limit).
    /// Without any application, the state gets the default one, so `application_id=1` works.
    pub fn build(
        &self,
        base_account: &Account,
        user_limit: usize,
        now: i64,
    ) -> Result<State, FixtureError> {
        let mut account = base_account.clone();
        if let Some(a) = &self.account {
            account.account_id = a.account_id.unwrap_or(account.account_id);
            account.account_name = a.account_name.clone().unwrap_or(account.account_name);
            account.balance = a.balance.unwrap_or(account.balance);
            account.api_key = a.api_key.clone().unwrap_or(account.api_key);
        }
        let mut state = State::new(account, user_limit);
        if self.applications.is_empty() {
            state.insert_application(None, crate::config::DEFAULT_APPLICATION, now);
        }
        for app in &self.applications {
            if state.application_by_name(&app.application_name).is_some() {
                return Err(FixtureError(format!(
                    "application {:?} given twice",
                    app.application_name
                )));
            }
            state.insert_application(app.application_id, &app.application_name, now);
        }
        for skill in &self.skills {
            if state.skills.values().any(|s| s.name == skill.skill_name) {
                return Err(FixtureError(format!(
                    "skill {:?} given twice",
                    skill.skill_name
                )));
            }
            state.insert_skill(skill.skill_id, skill.skill_name.clone());
        }
        for q in &self.queues {
            if !state.applications.contains_key(&q.application_id) {
                return Err(FixtureError(format!(
                    "queue {:?}: no application {}",
                    q.acd_queue_name, q.application_id
                )));
            }
            let skills = known(
                &q.skills,
                |id| state.skills.contains_key(&id),
                "skill",
                &q.acd_queue_name,
            )?;
            state.insert_queue(Queue {
                id: q.acd_queue_id.unwrap_or(0),
                name: q.acd_queue_name.clone(),
                application_id: q.application_id,
                priority: q.acd_queue_priority,
                auto_binding: q.auto_binding,
                service_probability: q.service_probability,
                max_queue_size: q.max_queue_size,
                max_waiting_time: q.max_waiting_time,
                average_service_time: q.average_service_time,
                created: now,
                modified: now,
                users: BTreeSet::new(),
                skills,
            });
        }
        for u in &self.users {
            if !state.applications.contains_key(&u.application_id) {
                return Err(FixtureError(format!(
                    "user {:?}: no application {}",
                    u.user_name, u.application_id
                )));
            }
            if state.user_ids_by_name.contains_key(&u.user_name) {
                return Err(FixtureError(format!("user {:?} given twice", u.user_name)));
            }
            let skills = known(
                &u.skills,
                |id| state.skills.contains_key(&id),
                "skill",
                &u.user_name,
            )?;
            let queues = known(
                &u.acd_queues,
                |id| state.queues.contains_key(&id),
                "queue",
                &u.user_name,
            )?;
            let id = state.insert_user(User {
                id: u.user_id.unwrap_or(0),
                name: u.user_name.clone(),
                display_name: u
                    .user_display_name
                    .clone()
                    .unwrap_or_else(|| u.user_name.clone()),
                active: u.user_active,
                parent_accounting: u.parent_accounting,
                balance: u.balance,
                custom_data: u.user_custom_data.clone(),
                frozen: u.frozen,
                application_id: u.application_id,
                skills,
                queues: BTreeMap::new(),
                acd_status: u.acd_status.clone(),
                acd_status_change_time: None,
                created: now,
                modified: now,
            });
            for queue_id in queues {
                state.bind_user_to_queue(id, queue_id, true);
            }
        }
        state.voiso_users.clone_from(&self.voiso_users);
        Ok(state)
    }

    /// The fixtures that rebuild `state`.
    pub fn dump(state: &State) -> Self {
        let a = &state.account;
        Self {
            account: Some(AccountFixture {
                account_id: Some(a.account_id),
                account_name: Some(a.account_name.clone()),
                balance: Some(a.balance),
                api_key: Some(a.api_key.clone()),
            }),
            applications: state
                .applications
                .values()
                .map(|app| ApplicationFixture {
                    application_id: Some(app.id),
                    application_name: app.name.clone(),
                })
                .collect(),
            skills: state
                .skills
                .values()
                .map(|s| SkillFixture {
                    skill_id: Some(s.id),
                    skill_name: s.name.clone(),
                })
                .collect(),
            queues: state
                .queues
                .values()
                .map(|q| QueueFixture {
                    acd_queue_id: Some(q.id),
                    acd_queue_name: q.name.clone(),
                    application_id: q.application_id,
                    acd_queue_priority: q.priority,
                    auto_binding: q.auto_binding,
                    service_probability: q.service_probability,
                    max_queue_size: q.max_queue_size,
                    max_waiting_time: q.max_waiting_time,
                    average_service_time: q.average_service_time,
                    skills: q.skills.iter().copied().collect(),
                })
                .collect(),
            users: state
                .users
                .values()
                .map(|u| UserFixture {
                    user_id: Some(u.id),
                    user_name: u.name.clone(),
                    user_display_name: Some(u.display_name.clone()),
                    application_id: u.application_id,
                    user_active: u.active,
                    parent_accounting: u.parent_accounting,
                    balance: u.balance,
                    user_custom_data: u.custom_data.clone(),
                    frozen: u.frozen,
                    acd_status: u.acd_status.clone(),
                    skills: u.skills.iter().copied().collect(),
                    acd_queues: u.queues.keys().copied().collect(),
                })
                .collect(),
            voiso_users: state.voiso_users.clone(),
        }
    }
}

fn known(
    ids: &[i64],
    exists: impl Fn(i64) -> bool,
    what: &str,
    owner: &str,
) -> Result<BTreeSet<i64>, FixtureError> {
    ids.iter()
        .map(|&id| {
            if exists(id) {
                Ok(id)
            } else {
                Err(FixtureError(format!("{owner:?}: no {what} {id}")))
            }
        })
        .collect()
}
