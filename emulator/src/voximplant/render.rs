//! The JSON shapes of answers, written straight from the state by borrowing (no copy of the
//! records), with money as exact numbers and datetimes as `YYYY-MM-DD HH:MM:SS`.

use rust_decimal::Decimal;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::clock::{serialize_datetime, Datetime};
use crate::json::Money;
use crate::state::{Application, Queue, Skill, State, User};

/// A list answer: `{"result":[...],"total_count":N,"count":N}`.
#[derive(Serialize)]
pub struct List<T: Serialize> {
    pub result: T,
    pub total_count: usize,
    pub count: usize,
}

#[derive(Serialize)]
pub struct ApplicationView<'a> {
    application_id: i64,
    application_name: &'a str,
    #[serde(serialize_with = "serialize_datetime")]
    modified: i64,
    secure_record_storage: bool,
}

impl<'a> From<&'a Application> for ApplicationView<'a> {
    fn from(a: &'a Application) -> Self {
        Self {
            application_id: a.id,
            application_name: &a.name,
            modified: a.modified,
            secure_record_storage: a.secure_record_storage,
        }
    }
}

#[derive(Serialize)]
pub struct SkillView<'a> {
    skill_id: i64,
    skill_name: &'a str,
}

impl<'a> From<&'a Skill> for SkillView<'a> {
    fn from(s: &'a Skill) -> Self {
        Self {
            skill_id: s.id,
            skill_name: &s.name,
        }
    }
}

/// The skills with the given ids (optionally only `only`), in id order.
pub struct SkillsOf<'a> {
    pub state: &'a State,
    pub ids: &'a std::collections::BTreeSet<i64>,
    pub only: Option<i64>,
}

impl Serialize for SkillsOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for id in self
            .ids
            .iter()
            .filter(|id| self.only.is_none_or(|o| o == **id))
        {
            if let Some(skill) = self.state.skills.get(id) {
                seq.serialize_element(&SkillView::from(skill))?;
            }
        }
        seq.end()
    }
}

/// How a user is shown, per the `GetUsers` flags.
#[derive(Clone, Copy)]
pub struct UserFlags {
    pub with_skills: bool,
    pub with_queues: bool,
    pub live_balance: bool,
    pub showing_skill_id: Option<i64>,
}

pub struct UserView<'a> {
    pub state: &'a State,
    pub user: &'a User,
    pub flags: UserFlags,
}

impl Serialize for UserView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (u, state) = (self.user, self.state);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("user_id", &u.id)?;
        m.serialize_entry("user_name", &u.name)?;
        m.serialize_entry("user_display_name", &u.display_name)?;
        m.serialize_entry("user_active", &u.active)?;
        m.serialize_entry("parent_accounting", &u.parent_accounting)?;
        // One exact text for the three balances (no reservations are modelled).
        let balance = crate::json::raw_money(&u.balance);
        if self.flags.live_balance {
            m.serialize_entry("live_balance", &balance)?;
        }
        m.serialize_entry("balance", &balance)?;
        m.serialize_entry("fixed_balance", &balance)?;
        m.serialize_entry("user_custom_data", &u.custom_data)?;
        m.serialize_entry("frozen", &u.frozen)?;
        let apps: Vec<ApplicationView<'_>> = state
            .applications
            .get(&u.application_id)
            .map(ApplicationView::from)
            .into_iter()
            .collect();
        m.serialize_entry("applications", &apps)?;
        if self.flags.with_skills {
            m.serialize_entry(
                "skills",
                &SkillsOf {
                    state,
                    ids: &u.skills,
                    only: self.flags.showing_skill_id,
                },
            )?;
        }
        if self.flags.with_queues {
            m.serialize_entry("acd_queues", &UserQueues { state, user: u })?;
        }
        m.serialize_entry("acd_status", &u.acd_status)?;
        m.serialize_entry(
            "acd_status_change_time",
            &Datetime(u.acd_status_change_time),
        )?;
        m.serialize_entry("created", &Datetime(Some(u.created)))?;
        m.serialize_entry("modified", &Datetime(Some(u.modified)))?;
        m.end()
    }
}

struct UserQueues<'a> {
    state: &'a State,
    user: &'a User,
}

impl Serialize for UserQueues<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            acd_queue_id: i64,
            acd_queue_name: &'a str,
            auto_link: bool,
        }
        let mut seq = s.serialize_seq(None)?;
        for (id, auto_link) in &self.user.queues {
            if let Some(q) = self.state.queues.get(id) {
                seq.serialize_element(&Entry {
                    acd_queue_id: q.id,
                    acd_queue_name: &q.name,
                    auto_link: *auto_link,
                })?;
            }
        }
        seq.end()
    }
}

/// How a queue is shown, per the `GetQueues` flags.
pub struct QueueView<'a> {
    pub state: &'a State,
    pub queue: &'a Queue,
    pub with_skills: bool,
    pub showing_skill_id: Option<i64>,
    pub with_operatorcount: bool,
}

impl Serialize for QueueView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct QueueUser {
            user_id: i64,
        }
        let q = self.queue;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("acd_queue_id", &q.id)?;
        m.serialize_entry("acd_queue_name", &q.name)?;
        m.serialize_entry("application_id", &q.application_id)?;
        m.serialize_entry("acd_queue_priority", &q.priority)?;
        m.serialize_entry("service_probability", &Money(&q.service_probability))?;
        m.serialize_entry("auto_binding", &q.auto_binding)?;
        m.serialize_entry("max_waiting_time", &q.max_waiting_time)?;
        m.serialize_entry("max_queue_size", &q.max_queue_size)?;
        m.serialize_entry("average_service_time", &q.average_service_time)?;
        m.serialize_entry("created", &Datetime(Some(q.created)))?;
        m.serialize_entry("modified", &Datetime(Some(q.modified)))?;
        m.serialize_entry("deleted", &false)?;
        let users: Vec<QueueUser> = q
            .users
            .iter()
            .map(|&user_id| QueueUser { user_id })
            .collect();
        m.serialize_entry("users", &users)?;
        if self.with_skills {
            m.serialize_entry(
                "skills",
                &SkillsOf {
                    state: self.state,
                    ids: &q.skills,
                    only: self.showing_skill_id,
                },
            )?;
        }
        m.serialize_entry("sl_thresholds", &[0u8; 0])?;
        if self.with_operatorcount {
            m.serialize_entry("operatorcount", &q.users.len())?;
        }
        m.end()
    }
}

/// The TransferMoneyToUser answer: `{"result":1,"balance":990.00}`, the account's balance.
pub fn transfer_result(balance: &Decimal) -> Vec<u8> {
    #[derive(Serialize)]
    struct Out<'a> {
        result: i64,
        balance: Money<'a>,
    }
    crate::json::to_vec(&Out {
        result: 1,
        balance: Money(balance),
    })
}

/// A command answer with ids, e.g. `{"result":1,"user_id":7}`.
pub fn result_with_id(field: &'static str, id: i64) -> Vec<u8> {
    format!(r#"{{"result":1,"{field}":{id}}}"#).into_bytes()
}
