//! Roster for JavaScript: the pure core compiled to WebAssembly.
//!
//! The npm package `roster-sdk` wraps [`RawClient`] in the `Voximplant` and `Voiso` classes
//! (`js/client.js`). Everything that decides something — validation, retries, paging, parsing,
//! token signing — is the core's; this crate only drives the core's call machine over `fetch`
//! (gloo-net, or a fetch function the caller supplies) and converts values at the edge.

mod client;
mod convert;
mod driver;
mod host;
mod options;
mod pager;
mod transport;

pub use client::RawClient;
pub use pager::RawPager;
