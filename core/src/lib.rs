//! Roster's pure core.
//!
//! It validates calls, builds the exact HTTP request of each, parses answers into typed results
//! or typed errors, and mints and caches auth tokens. It performs no I/O, starts no threads and
//! reads no clock (time is passed in), so the same code runs in every binding, in wasm too.
//!
//! Every method's request and response types are generated from `spec/*.toml` into [`api`];
//! the modules here hold the runtime those types share.
//!
//! ```
//! use roster_core::api::voximplant::users::AddUser;
//! use roster_core::{VoximplantAuth, VoximplantClient};
//!
//! let mut client = VoximplantClient::new(VoximplantAuth::Token("t0ken".into()), None).unwrap();
//! let request = AddUser::new("jdoe", "John Doe", "S3cure!pass").application_id(1);
//! let http = client.prepare(&request, 1_700_000_000).unwrap();
//! assert_eq!(http.url, "https://api.voximplant.com/platform_api/AddUser");
//! assert!(!format!("{http:?}").contains("S3cure"));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// The core must not panic on any input (a panic poisons a wasm module and must not cross FFI).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod auth;
pub mod base_url;
pub mod call;
pub mod dynamic;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod page;
pub mod pager;
pub mod param_text;
pub mod params;
mod protocol;
mod read;
pub mod rules;
pub mod secret;
pub mod session;
pub mod settings;
pub mod spec;
mod values;
pub mod wire;
mod write;

/// The generated endpoints: `api::voximplant::users::AddUser`, `api::voiso::users::ListUsers`,
/// ..., and [`api::METHODS`], the table of every method.
#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod api {
    include!(concat!(env!("OUT_DIR"), "/api.rs"));
}

pub use auth::{
    Credentials, HostSigner, ServiceAccount, SigningRequest, TokenSettings, VoximplantAuth,
};
pub use base_url::BaseUrl;
pub use call::{Call, Outcome, Prepare, RetryOverrides, RetryPolicy, Step, TokenRequest};
pub use endpoint::{ApiKind, Endpoint, MethodInfo, ResponseBody, Safety};
pub use error::{
    ApiError, ApiErrorEntry, ApiErrorKind, Error, ErrorDetails, Rule, TransportError,
    TransportErrorKind, ValidationError,
};
pub use http::{HttpMethod, HttpRequest, HttpResponse};
pub use page::{Page, PageItem};
pub use pager::Pager;
pub use protocol::parse;
pub use protocol::voiso::VoisoClient;
pub use protocol::voximplant::VoximplantClient;
pub use rust_decimal::Decimal;
pub use secret::Secret;
pub use session::Session;
pub use settings::{Host, Source, VoisoOptions, VoximplantOptions};
pub use time::{Date, OffsetDateTime, PrimitiveDateTime};
pub use values::IdList;
