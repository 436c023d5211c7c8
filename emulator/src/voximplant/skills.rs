//! AddSkill, DelSkill, SetSkillInfo, GetSkills, BindSkill.

use roster_core::api::voximplant::skills::{
    AddSkill, BindSkill, DelSkill, GetSkills, SetSkillInfo,
};

use super::render::{List, SkillView};
use super::{contains_ci, lookup, ok};
use crate::error::{codes, VoxError};
use crate::state::State;

fn name_taken(state: &State, name: &str, field: &str) -> Result<(), VoxError> {
    if state.skills.values().any(|s| s.name == name) {
        return Err(
            VoxError::new(codes::SKILL_NAME_TAKEN, "the skill name is not unique").field(field),
        );
    }
    Ok(())
}

pub fn add_skill(state: &mut State, r: AddSkill) -> Result<Vec<u8>, VoxError> {
    name_taken(state, &r.skill_name, "skill_name")?;
    let id = state.insert_skill(None, r.skill_name);
    Ok(super::render::result_with_id("skill_id", id))
}

fn one_skill(state: &State, id: Option<i64>, name: Option<&str>) -> Result<i64, VoxError> {
    let ids = id.map(roster_core::IdList::from);
    let names = name.map(|n| vec![n.to_owned()]);
    lookup::skills(state, ids.as_ref(), names.as_deref())?
        .into_iter()
        .next()
        .ok_or_else(|| {
            VoxError::new(485, "skill_id or skill_name must be specified").field("skill_id")
        })
}

pub fn del_skill(state: &mut State, r: &DelSkill) -> Result<Vec<u8>, VoxError> {
    let id = one_skill(state, r.skill_id, r.skill_name.as_deref())?;
    state.remove_skill(id);
    Ok(ok())
}

pub fn set_skill_info(state: &mut State, r: SetSkillInfo) -> Result<Vec<u8>, VoxError> {
    let id = one_skill(state, r.skill_id, r.skill_name.as_deref())?;
    if state
        .skills
        .get(&id)
        .is_some_and(|s| s.name != r.new_skill_name)
    {
        name_taken(state, &r.new_skill_name, "new_skill_name")?;
    }
    if let Some(s) = state.skills.get_mut(&id) {
        s.name = r.new_skill_name;
    }
    Ok(ok())
}

pub fn get_skills(state: &State, r: &GetSkills) -> Result<Vec<u8>, VoxError> {
    let matching = state.skills.values().filter(|s| {
        r.skill_id.is_none_or(|id| s.id == id)
            && r.skill_name
                .as_deref()
                .is_none_or(|p| contains_ci(&s.name, p))
    });
    let (page, total) = super::page(matching, r.offset, r.count);
    let views: Vec<SkillView<'_>> = page.into_iter().map(SkillView::from).collect();
    Ok(crate::json::to_vec(&List {
        count: views.len(),
        result: views,
        total_count: total,
    }))
}

/// Gives (or takes away) skills to users and/or queues. Every id and name is resolved before
/// anything changes.
pub fn bind_skill(state: &mut State, now: i64, r: &BindSkill) -> Result<Vec<u8>, VoxError> {
    let app = lookup::application(state, r.application_id, r.application_name.as_deref())?;
    let skills = lookup::skills(state, r.skill_id.as_ref(), r.skill_name.as_deref())?;
    let users = lookup::users(state, r.user_id.as_ref(), r.user_name.as_deref(), app)?;
    let queues = lookup::queues(
        state,
        r.acd_queue_id.as_ref(),
        r.acd_queue_name.as_deref(),
        app,
    )?;
    let bind = r.bind.unwrap_or(true);
    for id in users {
        if let Some(u) = state.users.get_mut(&id) {
            for s in &skills {
                if bind {
                    u.skills.insert(*s);
                } else {
                    u.skills.remove(s);
                }
            }
            u.modified = now;
        }
    }
    for id in queues {
        if let Some(q) = state.queues.get_mut(&id) {
            for s in &skills {
                if bind {
                    q.skills.insert(*s);
                } else {
                    q.skills.remove(s);
                }
            }
            q.modified = now;
        }
    }
    Ok(ok())
}
