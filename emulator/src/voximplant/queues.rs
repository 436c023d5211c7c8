//! AddQueue, DelQueue, SetQueueInfo, GetQueues, BindUserToQueue (ACDv1 queues).
//!
//! Automatic binding by skills (`auto_binding`) is stored and reported but not simulated:
//! operators serve a queue only when bound explicitly.

use std::collections::BTreeSet;

use roster_core::api::voximplant::queues::{
    AddQueue, BindUserToQueue, DelQueue, GetQueues, SetQueueInfo,
};
use rust_decimal::Decimal;

use super::render::{List, QueueView};
use super::{contains_ci, lookup, ok};
use crate::error::{codes, VoxError};
use crate::state::{Queue, State};

/// Queue names are unique within an application.
fn name_taken(state: &State, app: i64, name: &str, field: &str) -> Result<(), VoxError> {
    if state
        .queues
        .values()
        .any(|q| q.application_id == app && q.name == name)
    {
        return Err(
            VoxError::new(codes::QUEUE_NAME_TAKEN, "the queue name is not unique").field(field),
        );
    }
    Ok(())
}

pub fn add_queue(state: &mut State, now: i64, r: AddQueue) -> Result<Vec<u8>, VoxError> {
    let app = lookup::required_application(state, r.application_id, r.application_name.as_deref())?;
    name_taken(state, app, &r.acd_queue_name, "acd_queue_name")?;
    let id = state.insert_queue(Queue {
        id: 0,
        name: r.acd_queue_name,
        application_id: app,
        priority: r.acd_queue_priority.unwrap_or(0),
        auto_binding: r.auto_binding.unwrap_or(true),
        service_probability: r.service_probability.unwrap_or(Decimal::ONE),
        max_queue_size: r.max_queue_size,
        max_waiting_time: r.max_waiting_time,
        average_service_time: r.average_service_time,
        created: now,
        modified: now,
        users: BTreeSet::new(),
        skills: BTreeSet::new(),
    });
    Ok(super::render::result_with_id("acd_queue_id", id))
}

pub fn del_queue(state: &mut State, r: &DelQueue) -> Result<Vec<u8>, VoxError> {
    let ids = lookup::queues(
        state,
        r.acd_queue_id.as_ref(),
        r.acd_queue_name.as_deref(),
        None,
    )?;
    for id in ids {
        state.remove_queue(id);
    }
    Ok(ok())
}

pub fn set_queue_info(state: &mut State, now: i64, r: SetQueueInfo) -> Result<Vec<u8>, VoxError> {
    let ids = r.acd_queue_id.map(roster_core::IdList::from);
    let names = r.acd_queue_name.as_ref().map(|n| vec![n.clone()]);
    let id = lookup::queues(state, ids.as_ref(), names.as_deref(), None)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            VoxError::new(485, "acd_queue_id or acd_queue_name must be specified")
                .field("acd_queue_id")
        })?;
    if let (Some(new), Some(q)) = (&r.new_acd_queue_name, state.queues.get(&id)) {
        if &q.name != new {
            name_taken(state, q.application_id, new, "new_acd_queue_name")?;
        }
    }
    if let Some(q) = state.queues.get_mut(&id) {
        if let Some(v) = r.new_acd_queue_name {
            q.name = v;
        }
        if let Some(v) = r.acd_queue_priority {
            q.priority = v;
        }
        if let Some(v) = r.auto_binding {
            q.auto_binding = v;
        }
        if let Some(v) = r.service_probability {
            q.service_probability = v;
        }
        q.max_queue_size = r.max_queue_size.or(q.max_queue_size);
        q.max_waiting_time = r.max_waiting_time.or(q.max_waiting_time);
        q.average_service_time = r.average_service_time.or(q.average_service_time);
        q.modified = now;
    }
    Ok(ok())
}

pub fn get_queues(state: &State, r: &GetQueues) -> Result<Vec<u8>, VoxError> {
    let matching = state.queues.values().filter(|q| {
        r.acd_queue_id.is_none_or(|id| q.id == id)
            && r.acd_queue_name
                .as_deref()
                .is_none_or(|p| contains_ci(&q.name, p))
            && r.application_id.is_none_or(|a| q.application_id == a)
            && r.skill_id.is_none_or(|s| q.skills.contains(&s))
            && r.excluded_skill_id.is_none_or(|s| !q.skills.contains(&s))
    });
    let (page, total) = super::page(matching, r.offset, r.count);
    let views: Vec<QueueView<'_>> = page
        .into_iter()
        .map(|queue| QueueView {
            state,
            queue,
            with_skills: r.with_skills.unwrap_or(false),
            showing_skill_id: r.showing_skill_id,
            with_operatorcount: r.with_operatorcount.unwrap_or(false),
        })
        .collect();
    Ok(crate::json::to_vec(&List {
        count: views.len(),
        result: views,
        total_count: total,
    }))
}

/// Binds users to queues of one application: users outside it are refused with 393, queues
/// outside it with 218.
pub fn bind_user_to_queue(
    state: &mut State,
    now: i64,
    r: &BindUserToQueue,
) -> Result<Vec<u8>, VoxError> {
    let app = lookup::required_application(state, r.application_id, r.application_name.as_deref())?;
    let users = lookup::users(state, r.user_id.as_ref(), r.user_name.as_deref(), Some(app))?;
    let queues = lookup::queues(
        state,
        r.acd_queue_id.as_ref(),
        r.acd_queue_name.as_deref(),
        Some(app),
    )?;
    let bind = r.bind.unwrap_or(true);
    for &u in &users {
        for &q in &queues {
            state.bind_user_to_queue(u, q, bind);
        }
        if let Some(user) = state.users.get_mut(&u) {
            user.modified = now;
        }
    }
    Ok(ok())
}
