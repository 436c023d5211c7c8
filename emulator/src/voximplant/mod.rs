//! The Voximplant Management API methods over [`State`].
//!
//! Parameters are checked by the core, not here: the wire map is handed to the generated
//! `E::from_params` + `validate()` of the method, exactly the code a client runs before sending,
//! and a [`ValidationError`] is translated into the server's error code
//! ([`crate::validation::to_vox_error`]). What remains here is what only a server can know: whether
//! ids exist, names are taken, money suffices.

mod applications;
mod lookup;
mod queues;
mod render;
mod skills;
mod users;

use std::collections::BTreeMap;

use roster_core::api::voximplant::{
    applications as app_api, queues as queue_api, skills as skill_api, users as user_api,
};
use roster_core::{Endpoint, MethodInfo};

use crate::error::VoxError;
use crate::state::State;

/// Whether a method only reads (a shared lock suffices).
pub fn is_read(info: &MethodInfo) -> bool {
    info.safety == roster_core::Safety::Read
}

/// The typed request of `E` from wire parameters, validated by the core's generated rules.
pub fn typed<E: Endpoint>(wire: &BTreeMap<String, String>) -> Result<E, VoxError> {
    crate::validation::typed(wire)
}

/// Runs a read method. `info` must be one of [`is_read`].
pub fn read(
    info: &MethodInfo,
    state: &State,
    wire: &BTreeMap<String, String>,
) -> Result<Vec<u8>, VoxError> {
    match info.name {
        "GetUsers" => users::get_users(state, &typed::<user_api::GetUsers>(wire)?),
        "GetSkills" => skills::get_skills(state, &typed::<skill_api::GetSkills>(wire)?),
        "GetQueues" => queues::get_queues(state, &typed::<queue_api::GetQueues>(wire)?),
        "GetApplications" => {
            applications::get_applications(state, &typed::<app_api::GetApplications>(wire)?)
        }
        other => Err(unknown(other)),
    }
}

/// Validates a write method's parameters before any lock is taken, so bad input costs no
/// contention; [`Write::apply`] then runs it.
pub fn prepare_write(
    info: &MethodInfo,
    wire: &BTreeMap<String, String>,
) -> Result<Write, VoxError> {
    Ok(match info.name {
        "AddUser" => Write::AddUser(typed(wire)?),
        "DelUser" => Write::DelUser(typed(wire)?),
        "SetUserInfo" => Write::SetUserInfo(typed(wire)?),
        "TransferMoneyToUser" => Write::TransferMoneyToUser(typed(wire)?),
        "AddSkill" => Write::AddSkill(typed(wire)?),
        "DelSkill" => Write::DelSkill(typed(wire)?),
        "SetSkillInfo" => Write::SetSkillInfo(typed(wire)?),
        "BindSkill" => Write::BindSkill(typed(wire)?),
        "AddQueue" => Write::AddQueue(typed(wire)?),
        "DelQueue" => Write::DelQueue(typed(wire)?),
        "SetQueueInfo" => Write::SetQueueInfo(typed(wire)?),
        "BindUserToQueue" => Write::BindUserToQueue(typed(wire)?),
        "AddApplication" => Write::AddApplication(typed(wire)?),
        other => return Err(unknown(other)),
    })
}

/// A validated write, ready to apply to the state.
#[derive(Debug)]
pub enum Write {
    AddUser(user_api::AddUser),
    DelUser(user_api::DelUser),
    SetUserInfo(user_api::SetUserInfo),
    TransferMoneyToUser(user_api::TransferMoneyToUser),
    AddSkill(skill_api::AddSkill),
    DelSkill(skill_api::DelSkill),
    SetSkillInfo(skill_api::SetSkillInfo),
    BindSkill(skill_api::BindSkill),
    AddQueue(queue_api::AddQueue),
    DelQueue(queue_api::DelQueue),
    SetQueueInfo(queue_api::SetQueueInfo),
    BindUserToQueue(queue_api::BindUserToQueue),
    AddApplication(app_api::AddApplication),
}

impl Write {
    /// Applies the write at virtual time `now`. On error the state is unchanged: every check
    /// runs before the first change.
    pub fn apply(self, state: &mut State, now: i64) -> Result<Vec<u8>, VoxError> {
        match self {
            Self::AddUser(r) => users::add_user(state, now, r),
            Self::DelUser(r) => users::del_user(state, &r),
            Self::SetUserInfo(r) => users::set_user_info(state, now, r),
            Self::TransferMoneyToUser(r) => users::transfer_money(state, &r),
            Self::AddSkill(r) => skills::add_skill(state, r),
            Self::DelSkill(r) => skills::del_skill(state, &r),
            Self::SetSkillInfo(r) => skills::set_skill_info(state, r),
            Self::BindSkill(r) => skills::bind_skill(state, now, &r),
            Self::AddQueue(r) => queues::add_queue(state, now, r),
            Self::DelQueue(r) => queues::del_queue(state, &r),
            Self::SetQueueInfo(r) => queues::set_queue_info(state, now, r),
            Self::BindUserToQueue(r) => queues::bind_user_to_queue(state, now, &r),
            Self::AddApplication(r) => applications::add_application(state, now, &r),
        }
    }
}

fn unknown(name: &str) -> VoxError {
    VoxError::new(
        crate::error::codes::UNKNOWN_COMMAND,
        format!("unknown command {name}"),
    )
}

/// `{"result":1}`.
pub fn ok() -> Vec<u8> {
    br#"{"result":1}"#.to_vec()
}

/// Applies `offset`/`count` (defaults 0 and 20) to a list, returning the page and the total.
pub fn page<T>(
    items: impl Iterator<Item = T>,
    offset: Option<i64>,
    count: Option<i64>,
) -> (Vec<T>, usize) {
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(0);
    let count = usize::try_from(count.unwrap_or(20)).unwrap_or(20);
    let mut total = 0;
    let mut out = Vec::new();
    for item in items {
        if total >= offset && out.len() < count {
            out.push(item);
        }
        total += 1;
    }
    (out, total)
}

/// Whether `haystack` contains `needle`, ignoring ASCII case (the "name part" filters).
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}
