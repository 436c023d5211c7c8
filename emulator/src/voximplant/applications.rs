//! AddApplication, GetApplications.

use roster_core::api::voximplant::applications::{AddApplication, GetApplications};
use serde::Serialize;

use super::contains_ci;
use super::render::{ApplicationView, List};
use crate::error::{codes, VoxError};
use crate::state::State;

/// Creates `NAME.ACCOUNT.voximplant.com`. A taken name is refused with 496 (the wire facts name
/// no dedicated code).
pub fn add_application(
    state: &mut State,
    now: i64,
    r: &AddApplication,
) -> Result<Vec<u8>, VoxError> {
    let full = state.full_application_name(&r.application_name);
    if state.applications.values().any(|a| a.name == full) {
        return Err(VoxError::new(
            codes::INVALID_PARAMETER,
            "the application name is already taken",
        )
        .field("application_name"));
    }
    let id = state.insert_application(None, &r.application_name, now);
    #[derive(Serialize)]
    struct Out<'a> {
        result: i64,
        application_id: i64,
        application_name: &'a str,
    }
    Ok(crate::json::to_vec(&Out {
        result: 1,
        application_id: id,
        application_name: &full,
    }))
}

pub fn get_applications(state: &State, r: &GetApplications) -> Result<Vec<u8>, VoxError> {
    let matching = state.applications.values().filter(|a| {
        r.application_id.is_none_or(|id| a.id == id)
            && r.application_name
                .as_deref()
                .is_none_or(|p| contains_ci(&a.name, p))
    });
    let (page, total) = super::page(matching, r.offset, r.count);
    let views: Vec<ApplicationView<'_>> = page.into_iter().map(ApplicationView::from).collect();
    Ok(crate::json::to_vec(&List {
        count: views.len(),
        result: views,
        total_count: total,
    }))
}
