//! AddUser, DelUser, SetUserInfo, GetUsers, TransferMoneyToUser.

use std::collections::{BTreeMap, BTreeSet};

use roster_core::api::voximplant::types::UserOrder;
use roster_core::api::voximplant::users::{
    AddUser, DelUser, GetUsers, SetUserInfo, TransferMoneyToUser,
};
use roster_core::endpoint::SpecEnum;
use rust_decimal::Decimal;

use super::render::{List, UserFlags, UserView};
use super::{contains_ci, lookup, ok};
use crate::error::{codes, VoxError};
use crate::state::{State, User};

/// The longest `user_custom_data` the server keeps (error 212 past it). The spec leaves it open.
pub const MAX_CUSTOM_DATA_CHARS: usize = 200;

fn check_custom_data(data: Option<&str>) -> Result<(), VoxError> {
    match data {
        Some(d) if d.chars().count() > MAX_CUSTOM_DATA_CHARS => Err(VoxError::new(
            212,
            format!("user_custom_data is longer than {MAX_CUSTOM_DATA_CHARS} characters"),
        )
        .field("user_custom_data")),
        _ => Ok(()),
    }
}

fn name_taken(state: &State, name: &str, field: &str) -> Result<(), VoxError> {
    if state.user_ids_by_name.contains_key(name) {
        return Err(
            VoxError::new(codes::USER_NAME_TAKEN, "the user name is not unique").field(field),
        );
    }
    Ok(())
}

pub fn add_user(state: &mut State, now: i64, r: AddUser) -> Result<Vec<u8>, VoxError> {
    let app = lookup::required_application(state, r.application_id, r.application_name.as_deref())?;
    check_custom_data(r.user_custom_data.as_deref())?;
    name_taken(state, &r.user_name, "user_name")?;
    if state.users.len() >= state.user_limit {
        return Err(VoxError::new(
            codes::USER_LIMIT,
            format!("the account may hold at most {} users", state.user_limit),
        ));
    }
    // The password is checked by the core's policy and not kept: nothing ever reads it back.
    let id = state.insert_user(User {
        id: 0,
        name: r.user_name,
        display_name: r.user_display_name,
        active: r.user_active.unwrap_or(true),
        parent_accounting: r.parent_accounting.unwrap_or(false),
        balance: Decimal::ZERO,
        custom_data: r.user_custom_data.unwrap_or_default(),
        frozen: false,
        application_id: app,
        skills: BTreeSet::new(),
        queues: BTreeMap::new(),
        acd_status: "OFFLINE".to_owned(),
        acd_status_change_time: None,
        created: now,
        modified: now,
    });
    Ok(super::render::result_with_id("user_id", id))
}

pub fn del_user(state: &mut State, r: &DelUser) -> Result<Vec<u8>, VoxError> {
    let app = lookup::application(state, r.application_id, r.application_name.as_deref())?;
    let ids = lookup::users(state, r.user_id.as_ref(), r.user_name.as_deref(), app)?;
    for id in ids {
        state.remove_user(id);
    }
    Ok(ok())
}

pub fn set_user_info(state: &mut State, now: i64, r: SetUserInfo) -> Result<Vec<u8>, VoxError> {
    let app = lookup::application(state, r.application_id, r.application_name.as_deref())?;
    let id = lookup::user(state, r.user_id, r.user_name.as_deref(), app)?;
    check_custom_data(r.user_custom_data.as_deref())?;
    let current_name = state
        .users
        .get(&id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    if let Some(new) = r.new_user_name.as_deref().filter(|n| *n != current_name) {
        name_taken(state, new, "new_user_name")?;
    }
    if r.new_user_name.is_some() || r.user_display_name.is_some() {
        state.rename_user(id, r.new_user_name, r.user_display_name);
    }
    if let Some(u) = state.users.get_mut(&id) {
        if let Some(v) = r.user_active {
            u.active = v;
        }
        if let Some(v) = r.parent_accounting {
            u.parent_accounting = v;
        }
        if let Some(v) = r.user_custom_data {
            u.custom_data = v;
        }
        u.modified = now;
    }
    Ok(ok())
}

pub fn get_users(state: &State, r: &GetUsers) -> Result<Vec<u8>, VoxError> {
    let apps: Vec<&crate::state::Application> = match (r.application_id, &r.application_name) {
        (Some(id), name) => {
            let app = state.applications.get(&id).ok_or_else(|| {
                VoxError::new(
                    codes::BAD_APPLICATION,
                    format!("invalid application_id {id}"),
                )
                .field("application_id")
            })?;
            match name {
                Some(n) if !contains_ci(&app.name, n) => Vec::new(),
                _ => vec![app],
            }
        }
        (None, Some(part)) => state
            .applications
            .values()
            .filter(|a| contains_ci(&a.name, part))
            .collect(),
        (None, None) => Vec::new(),
    };
    let order = r.order_by.unwrap_or(UserOrder::UserName);
    let statuses: Option<Vec<&str>> = r
        .acd_status
        .as_ref()
        .map(|s| s.iter().map(|x| x.as_str()).collect());
    let keep = |u: &User| {
        r.user_id.is_none_or(|id| u.id == id)
            && r.user_name
                .as_deref()
                .is_none_or(|p| contains_ci(&u.name, p))
            && r.user_display_name
                .as_deref()
                .is_none_or(|p| contains_ci(&u.display_name, p))
            && r.user_active.is_none_or(|a| u.active == a)
            && r.skill_id.is_none_or(|s| u.skills.contains(&s))
            && r.excluded_skill_id.is_none_or(|s| !u.skills.contains(&s))
            && r.acd_queue_id.is_none_or(|q| u.queues.contains_key(&q))
            && r.excluded_acd_queue_id
                .is_none_or(|q| !u.queues.contains_key(&q))
            && statuses
                .as_ref()
                .is_none_or(|s| s.contains(&u.acd_status.as_str()))
    };
    // One application: walk its index in the requested order, no sorting. Several: merge.
    let ordered: Box<dyn Iterator<Item = i64> + '_> = match apps.as_slice() {
        [app] => ordered_ids(app, order),
        many => {
            let mut users: Vec<&User> = many
                .iter()
                .flat_map(|a| a.users.by_id.iter())
                .filter_map(|id| state.users.get(id))
                .collect();
            users.sort_by(|a, b| match order {
                UserOrder::UserId => a.id.cmp(&b.id),
                UserOrder::UserDisplayName => (&a.display_name, a.id).cmp(&(&b.display_name, b.id)),
                _ => a.name.cmp(&b.name),
            });
            Box::new(
                users
                    .into_iter()
                    .map(|u| u.id)
                    .collect::<Vec<_>>()
                    .into_iter(),
            )
        }
    };
    let unfiltered = r.user_id.is_none()
        && r.user_name.is_none()
        && r.user_display_name.is_none()
        && r.user_active.is_none()
        && r.skill_id.is_none()
        && r.excluded_skill_id.is_none()
        && r.acd_queue_id.is_none()
        && r.excluded_acd_queue_id.is_none()
        && statuses.is_none();
    let (page, total) = match apps.as_slice() {
        // The common case, one application and no filter: the index gives the total, and only
        // the page's users are looked up.
        [app] if unfiltered => {
            let offset = usize::try_from(r.offset.unwrap_or(0)).unwrap_or(0);
            let count = usize::try_from(r.count.unwrap_or(20)).unwrap_or(20);
            let page: Vec<&User> = ordered
                .skip(offset)
                .take(count)
                .filter_map(|id| state.users.get(&id))
                .collect();
            (page, app.users.len())
        }
        _ => super::page(
            ordered
                .filter_map(|id| state.users.get(&id))
                .filter(|u| keep(u)),
            r.offset,
            r.count,
        ),
    };
    let flags = UserFlags {
        with_skills: r.with_skills.unwrap_or(false),
        with_queues: r.with_queues.unwrap_or(false),
        live_balance: r.return_live_balance.unwrap_or(true),
        showing_skill_id: r.showing_skill_id,
    };
    let views: Vec<UserView<'_>> = page
        .into_iter()
        .map(|user| UserView { state, user, flags })
        .collect();
    Ok(crate::json::to_vec(&List {
        count: views.len(),
        result: views,
        total_count: total,
    }))
}

fn ordered_ids(
    app: &crate::state::Application,
    order: UserOrder,
) -> Box<dyn Iterator<Item = i64> + '_> {
    match order {
        UserOrder::UserId => Box::new(app.users.by_id.iter().copied()),
        UserOrder::UserDisplayName => Box::new(app.users.by_display_name.iter().map(|(_, id)| *id)),
        _ => Box::new(app.users.by_name.values().copied()),
    }
}

/// Moves `amount` to each user from the account (or back, when negative). In strict mode
/// (the default) nobody may go below zero: 127 and nothing moves.
pub fn transfer_money(state: &mut State, r: &TransferMoneyToUser) -> Result<Vec<u8>, VoxError> {
    let app = lookup::application(state, r.application_id, r.application_name.as_deref())?;
    let ids = lookup::users(state, r.user_id.as_ref(), r.user_name.as_deref(), app)?;
    let count = Decimal::from(ids.len());
    let total = r
        .amount
        .checked_mul(count)
        .ok_or_else(|| VoxError::new(codes::BAD_AMOUNT, "amount is too large").field("amount"))?;
    if r.strict_mode.unwrap_or(true) {
        let short = if r.amount.is_sign_positive() {
            state.account.balance < total
        } else {
            ids.iter()
                .filter_map(|id| state.users.get(id))
                .any(|u| u.balance < -r.amount)
        };
        if short {
            return Err(VoxError::new(codes::NOT_ENOUGH_MONEY, "not enough money").field("amount"));
        }
    }
    state.account.balance -= total;
    for id in ids {
        if let Some(u) = state.users.get_mut(&id) {
            u.balance += r.amount;
        }
    }
    Ok(super::render::transfer_result(&state.account.balance))
}
