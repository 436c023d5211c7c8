//! Voiso's users endpoint: the eight filters, validated by the core's generated `ListUsers`.

use std::collections::BTreeMap;

use roster_core::api::voiso::users::ListUsers;

use crate::state::State;

const FILTERS: [&str; 8] = [
    "id",
    "name",
    "email",
    "sip_account",
    "sag",
    "extension",
    "caller_id",
    "timezone",
];

/// The users matching every given filter (exact matches), as a JSON array. `Err` carries the
/// message of a 400 answer.
pub fn list_users(state: &State, params: &BTreeMap<String, String>) -> Result<Vec<u8>, String> {
    crate::validation::typed::<ListUsers>(params).map_err(|e| e.msg)?;
    let filters: Vec<(&str, &str)> = FILTERS
        .iter()
        .filter_map(|f| params.get(*f).map(|v| (*f, v.trim())))
        .collect();
    let users: Vec<&crate::state::VoisoUser> = state
        .voiso_users
        .iter()
        .filter(|u| {
            filters
                .iter()
                .all(|(f, v)| u.filter_value(f).as_deref() == Some(*v))
        })
        .collect();
    Ok(crate::json::to_vec(&users))
}
