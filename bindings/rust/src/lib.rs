//! Roster for Rust: typed, async clients for the Voximplant Management API and Voiso's
//! user-management API.
//!
//! Everything about a method — its parameters, their rules, the wire format, the answer's
//! shape — comes from Roster's endpoint spec through the pure core ([`roster_core`], re-exported
//! as [`core`]). This crate adds only what needs I/O: reading credentials, the clock, and an
//! HTTP [`Transport`] (reqwest with rustls by default; bring your own for anything else).
//!
//! ```no_run
//! use roster::voximplant::users::{AddUser, GetUsers};
//!
//! # async fn run() -> Result<(), roster::Error> {
//! // Reads the path of credentials.json from VOXIMPLANT_CREDENTIALS.
//! let vox = roster::Voximplant::from_env()?;
//! let created = vox
//!     .users()
//!     .add_user(AddUser::new("jdoe", "John Doe", "S3cure!pass").application_id(1))
//!     .await?;
//! let page = vox.users().get_users(GetUsers::new().application_id(1)).await?;
//! println!("{:?} of {:?} users", page.items.len(), page.total_count);
//!
//! // Any method by name, with JSON in and out:
//! let skills = vox.call("GetSkills", serde_json::json!({"count": 5})).await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod driver;
mod pages;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
mod settings;
mod transport;

pub use roster_core as core;
pub use roster_core::{
    ApiError, ApiErrorKind, Decimal, Error, HttpRequest, HttpResponse, Page, Secret,
    TransportError, TransportErrorKind,
};

pub use client::{Client, Voiso, VoisoBuilder, Voximplant, VoximplantBuilder};
pub use pages::{JsonPages, ListResponse, Pages};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;
pub use roster_core::call::{AttemptEvent, RetryOverrides, RetryPolicy, Timeouts, TokenRequest};
pub use roster_core::settings::ProcessHost;
pub use settings::{AttemptHook, Clock, TokenProvider};
pub use transport::{BoxFuture, Sleeper, Transport};

/// Request and response types of the Voximplant Management API, by group.
pub mod voximplant {
    pub use roster_core::api::voximplant::*;
    pub use roster_core::settings::{CREDENTIALS_ENV, VOXIMPLANT_BASE_URL_ENV as BASE_URL_ENV};
}

/// Request and response types of the Voiso user-management API.
pub mod voiso {
    pub use roster_core::api::voiso::*;
    pub use roster_core::settings::{
        VOISO_API_KEY_ENV as API_KEY_ENV, VOISO_BASE_URL_ENV as BASE_URL_ENV,
    };
}

// The grouped typed methods, generated from the spec: `vox.users().add_user(...)`.
include!(concat!(env!("OUT_DIR"), "/client.rs"));
