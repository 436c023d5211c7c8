//! Roster for Kotlin (JVM and Android) and Swift (iOS), through uniffi.
//!
//! The host app implements two small foreign traits, [`HttpTransport`] and [`Sleeper`], and may
//! lend more: a [`SettingsHost`] (environment and files for the settings resolver), a
//! [`TimeSource`] (the clock), a [`TokenProvider`] and an [`AttemptListener`]. The core's call state machine
//! runs here in Rust and awaits them. Everything else — settings resolution, validation,
//! request building, retries, token checks, lookups of lost writes, paging, parsing — is the
//! pure core's.
//!
//! The typed surface is generated from `spec/*.toml` by `roster_codegen::uniffi`: a record per
//! response structure and per method's parameters, an enum per parameter enum, one object per
//! method group (`Voximplant.users()`) with an async method per spec method, and a pager object
//! per listed item type. uniffi-bindgen turns all of it into Kotlin and Swift.

// uniffi errors are flat enums that cross the FFI by value: their fields cannot be boxed.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("roster");

mod client;
mod engine;
mod error;
mod host;
mod pages;
mod transport;
mod values;

pub use client::{read_answer, ClientOptions, RetrySettings, Voiso, Voximplant, VoximplantAuth};
pub use error::{ApiProblem, RosterError};
pub use host::{
    AttemptListener, AttemptRecord, HostFailure, SettingsHost, TimeSource, TokenProvider,
};
pub use pages::JsonPager;
pub use transport::{
    Body, HttpHeader, HttpRequest, HttpResponse, HttpTransport, Sleeper, TransportFailure,
};
pub use values::{HostText, IdList, Money, Secret};

/// The records, enums, groups and pagers generated from the spec.
#[allow(clippy::all, clippy::pedantic, missing_docs)]
mod api {
    include!(concat!(env!("OUT_DIR"), "/uniffi_api.rs"));
}

pub use api::*;

/// A typed call allocates thousands of small strings and vectors (the core's parse, the records
/// lowered for the host) and frees them together. In a JVM process glibc's malloc and free took
/// about a fifth of a call's samples (perf, bench/kotlin); with mimalloc, a twentieth, and the
/// call's median fell from about 600 to 460 µs. Apple platforms keep their system allocator.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
