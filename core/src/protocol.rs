//! The two wire protocols: how a typed request becomes an [`HttpRequest`] and how an
//! [`HttpResponse`] becomes a typed result or a typed error.

pub mod voiso;
pub mod voximplant;

use crate::endpoint::{Api, ApiKind, Endpoint};
use crate::error::Error;
use crate::http::HttpResponse;

/// Parses an answer to `E` into its typed result or typed error.
pub fn parse<E: Endpoint>(response: &HttpResponse) -> Result<E::Response, Error> {
    match <E::Api as Api>::KIND {
        ApiKind::Voximplant => voximplant::parse::<E::Response>(response),
        ApiKind::Voiso => voiso::parse::<E::Response>(response),
    }
}

/// `roster/0.1.0 (rust)`: who is calling, for the server's logs.
pub(crate) fn user_agent(binding: &str) -> String {
    format!("roster/{} ({binding})", env!("CARGO_PKG_VERSION"))
}
