//! The endpoint model: one trait every generated request implements.
//!
//! As in ruma, a request is a plain value that knows how to check and encode itself; the
//! protocol modules turn it into an [`HttpRequest`](crate::HttpRequest) and read the answer back.
//! What the spec says of a method (roles, safety, paging, parameters) is plain data in
//! [`crate::spec`], re-exported here.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ValidationError;
use crate::params::Params;
use crate::wire::FormWriter;

pub use crate::spec::*;

/// A type-level [`ApiKind`], so a Voiso request cannot be given to the Voximplant client.
pub trait Api {
    /// The API this type stands for.
    const KIND: ApiKind;
}

/// The Voximplant Management API.
#[derive(Debug, Clone, Copy)]
pub struct VoximplantApi;

impl Api for VoximplantApi {
    const KIND: ApiKind = ApiKind::Voximplant;
}

/// Voiso's user management API.
#[derive(Debug, Clone, Copy)]
pub struct VoisoApi;

impl Api for VoisoApi {
    const KIND: ApiKind = ApiKind::Voiso;
}

/// A typed request of one method. Implemented by generated code only.
pub trait Endpoint: Clone + std::fmt::Debug + Sized + 'static {
    /// The API of the method: only that API's client accepts the request.
    type Api: Api;
    /// The typed answer.
    type Response: ResponseBody;
    /// What the spec says of the method.
    const INFO: &'static MethodInfo;

    /// Checks every format rule and parameter group of the spec.
    fn validate(&self) -> Result<(), ValidationError>;

    /// Writes the parameters the caller set, in wire form.
    fn encode(&self, w: &mut FormWriter);

    /// Builds the request from dynamic JSON parameters (calls by name).
    fn from_params(params: Params) -> Result<Self, ValidationError>;

    /// Checks the request, then writes it in wire form: what every path to the wire does
    /// first, so a bad value never reaches it.
    fn to_wire(&self) -> Result<FormWriter, ValidationError> {
        self.validate()?;
        let mut w = FormWriter::new();
        self.encode(&mut w);
        Ok(w)
    }
}

/// A typed answer.
pub trait ResponseBody: Serialize + DeserializeOwned + Clone + std::fmt::Debug {
    /// The fields the spec does not name; Voximplant's `error` lands here too.
    fn extra(&self) -> &Map<String, Value>;

    /// Whether the answer carried its `result` (Voximplant), so `{}` is not taken for success.
    fn has_result(&self) -> bool;

    /// Reads the body. Lists override this to accept each API's framing.
    fn from_body(body: &[u8], _api: ApiKind) -> serde_json::Result<Self> {
        serde_json::from_slice(body)
    }
}
