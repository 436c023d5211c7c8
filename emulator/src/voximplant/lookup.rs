//! Resolving the ids and names a request gives into records, with the server's error codes:
//! 116 unknown application, 117 unknown user, 222 unknown skill id, 218 unknown queue id,
//! 341 a skill or queue name that matches nothing, 393 a user outside the given application.

use roster_core::IdList;

use crate::error::{codes, VoxError};
use crate::state::State;

/// The application given by id or by (short or full) name, if either is given.
pub fn application(
    state: &State,
    id: Option<i64>,
    name: Option<&str>,
) -> Result<Option<i64>, VoxError> {
    if let Some(id) = id {
        return state
            .applications
            .contains_key(&id)
            .then_some(Some(id))
            .ok_or_else(|| {
                VoxError::new(
                    codes::BAD_APPLICATION,
                    format!("invalid application_id {id}"),
                )
                .field("application_id")
            });
    }
    match name {
        None => Ok(None),
        Some(name) => state
            .application_by_name(name)
            .map(|a| Some(a.id))
            .ok_or_else(|| {
                VoxError::new(codes::BAD_APPLICATION, "invalid application_name")
                    .field("application_name")
            }),
    }
}

/// Like [`application`], for methods where one of the two is required (the core checked it).
pub fn required_application(
    state: &State,
    id: Option<i64>,
    name: Option<&str>,
) -> Result<i64, VoxError> {
    application(state, id, name)?.ok_or_else(|| {
        VoxError::new(485, "application_id or application_name must be specified")
            .field("application_id")
    })
}

/// Users by ids (or `all`) or names, restricted to `app` when given.
pub fn users(
    state: &State,
    ids: Option<&IdList>,
    names: Option<&[String]>,
    app: Option<i64>,
) -> Result<Vec<i64>, VoxError> {
    let in_app = |user_id: i64, field: &str| -> Result<i64, VoxError> {
        match (app, state.users.get(&user_id)) {
            (_, None) => Err(
                VoxError::new(codes::BAD_USER, format!("invalid user_id {user_id}")).field(field),
            ),
            (Some(app), Some(u)) if u.application_id != app => Err(VoxError::new(
                codes::NOT_IN_APPLICATION,
                format!("user {user_id} is not bound to application {app}"),
            )
            .field(field)),
            _ => Ok(user_id),
        }
    };
    match (ids, names) {
        (Some(IdList::All), _) => Ok(match app.and_then(|a| state.applications.get(&a)) {
            Some(a) => a.users.by_id.iter().copied().collect(),
            None => state.users.keys().copied().collect(),
        }),
        (Some(IdList::Ids(ids)), _) => ids.iter().map(|&id| in_app(id, "user_id")).collect(),
        (None, Some(names)) => names
            .iter()
            .map(|n| {
                let id = state.user_ids_by_name.get(n).copied().ok_or_else(|| {
                    VoxError::new(codes::BAD_USER, "invalid user_name").field("user_name")
                })?;
                in_app(id, "user_name")
            })
            .collect(),
        (None, None) => Ok(Vec::new()),
    }
}

/// One user by id or by name.
pub fn user(
    state: &State,
    id: Option<i64>,
    name: Option<&str>,
    app: Option<i64>,
) -> Result<i64, VoxError> {
    let ids = id.map(IdList::from);
    let names = name.map(|n| vec![n.to_owned()]);
    users(state, ids.as_ref(), names.as_deref(), app)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            VoxError::new(485, "user_id or user_name must be specified").field("user_id")
        })
}

/// Skills by ids (or `all`) or names.
pub fn skills(
    state: &State,
    ids: Option<&IdList>,
    names: Option<&[String]>,
) -> Result<Vec<i64>, VoxError> {
    match (ids, names) {
        (Some(IdList::All), _) => Ok(state.skills.keys().copied().collect()),
        (Some(IdList::Ids(ids)), _) => ids
            .iter()
            .map(|&id| {
                state.skills.contains_key(&id).then_some(id).ok_or_else(|| {
                    VoxError::new(codes::BAD_SKILL, format!("invalid skill_id {id}"))
                        .field("skill_id")
                })
            })
            .collect(),
        (None, Some(names)) => names
            .iter()
            .map(|n| {
                state
                    .skills
                    .values()
                    .find(|s| &s.name == n)
                    .map(|s| s.id)
                    .ok_or_else(|| {
                        VoxError::new(codes::NOT_FOUND, "skill not found").field("skill_name")
                    })
            })
            .collect(),
        (None, None) => Ok(Vec::new()),
    }
}

/// Queues by ids (or `all`) or names, restricted to `app` when given.
pub fn queues(
    state: &State,
    ids: Option<&IdList>,
    names: Option<&[String]>,
    app: Option<i64>,
) -> Result<Vec<i64>, VoxError> {
    let in_app = |q: &crate::state::Queue| app.is_none_or(|a| q.application_id == a);
    match (ids, names) {
        (Some(IdList::All), _) => Ok(state
            .queues
            .values()
            .filter(|q| in_app(q))
            .map(|q| q.id)
            .collect()),
        (Some(IdList::Ids(ids)), _) => ids
            .iter()
            .map(|&id| match state.queues.get(&id) {
                Some(q) if in_app(q) => Ok(id),
                _ => Err(
                    VoxError::new(codes::BAD_QUEUE, format!("invalid acd_queue_id {id}"))
                        .field("acd_queue_id"),
                ),
            })
            .collect(),
        (None, Some(names)) => {
            let mut out = Vec::new();
            for n in names {
                let before = out.len();
                out.extend(
                    state
                        .queues
                        .values()
                        .filter(|q| &q.name == n && in_app(q))
                        .map(|q| q.id),
                );
                if out.len() == before {
                    return Err(
                        VoxError::new(codes::NOT_FOUND, "queue not found").field("acd_queue_name")
                    );
                }
            }
            Ok(out)
        }
        (None, None) => Ok(Vec::new()),
    }
}
