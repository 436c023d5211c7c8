//! Reliable calls: one retry, timeout and recovery state machine that every binding drives.
//!
//! The machine does no I/O. [`Call::start`] returns a [`Step`]: send a request, sleep, or done.
//! The binding performs the step and feeds the [`Outcome`] back, in a loop of a few lines:
//!
//! ```text
//! let mut step = call.start(&mut client, now_ms());
//! loop {
//!     step = match step {
//!         Step::Send(attempt) => call.on_outcome(transport.send(attempt), &mut client, now_ms()),
//!         Step::Sleep(d) => { sleep(d); call.resume(&mut client, now_ms()) }
//!         Step::Done(result) => return result,
//!     }
//! }
//! ```
//!
//! What may be retried follows from what an outcome proves, and from the spec's `safety`:
//! - never sent (connection refused, DNS): any method, since nothing reached the server;
//! - refused by the server (Voximplant 340, 162, 416; HTTP 429; HTTP 503 with `Retry-After`):
//!   any method, after the delay the server asked for, or the backoff;
//! - token expired or not yet valid (Voximplant 456, 455): re-mint once and resend;
//! - ambiguous (a timeout or reset after sending, a 5xx, a truncated answer): reads and
//!   idempotent writes are resent; a `once` write is never resent blindly. If the spec names
//!   its natural key (AddUser: `user_name`), the record is looked up: found, its id is the
//!   result; absent, the write is resent, which the server's uniqueness check makes safe.
//!   Without a natural key (TransferMoneyToUser) the call ends in [`Error::OutcomeUnknown`],
//!   carrying the redacted request so the caller can reconcile. Such a write is sent twice only
//!   when the first attempt provably did not reach the server or was refused.
//!
//! [`Error::OutcomeUnknown`]: crate::Error::OutcomeUnknown

mod lookup;
mod machine;
mod policy;
mod verdict;

pub use crate::auth::{SigningRequest, TokenRequest};
pub use machine::{
    dynamic_parts, Attempt, AttemptEvent, Call, CallParts, Outcome, Purpose, Step, ATTEMPT_HEADER,
};
pub use policy::{RetryOverrides, RetryPolicy, SplitMix64, Timeouts};

use crate::endpoint::MethodInfo;
use crate::error::Error;
use crate::http::HttpRequest;
use crate::wire::FormWriter;

/// What the machine needs of a protocol client: building each attempt's request (with a fresh
/// token when needed), and forgetting a token the server refused.
pub trait Prepare {
    /// Builds the request of `info` with `params` at `now_secs` (Unix seconds).
    fn build_request(
        &mut self,
        info: &'static MethodInfo,
        params: &FormWriter,
        now_secs: u64,
    ) -> Result<HttpRequest, Error>;

    /// Drops a cached token so the next request carries a new one. Returns whether a new one
    /// can be made (a fixed token cannot).
    fn refresh_token(&mut self) -> bool {
        false
    }

    /// What the host's token provider must supply before a request at `now_secs`, if anything.
    fn token_wanted(&self, _now_secs: u64) -> Option<TokenRequest> {
        None
    }

    /// Takes the host's answer to `ask`: the provider's token (checked by the rule of every
    /// token), or the signature of the claims `ask.sign` prepared.
    fn accept_token(
        &mut self,
        _ask: &TokenRequest,
        _token: &[u8],
        _now_secs: u64,
    ) -> Result<(), Error> {
        Err(Error::Config(
            "this client takes no token from a provider".to_owned(),
        ))
    }
}

impl Prepare for crate::VoximplantClient {
    fn build_request(
        &mut self,
        info: &'static MethodInfo,
        params: &FormWriter,
        now_secs: u64,
    ) -> Result<HttpRequest, Error> {
        self.build(info, params.clone(), now_secs)
    }

    fn refresh_token(&mut self) -> bool {
        match self.auth_mut() {
            crate::VoximplantAuth::ServiceAccount(account) => {
                account.invalidate();
                true
            }
            crate::VoximplantAuth::Provider(provided) => {
                provided.invalidate();
                true
            }
            crate::VoximplantAuth::HostSigned(signer) => {
                signer.invalidate();
                true
            }
            crate::VoximplantAuth::Token(_) | crate::VoximplantAuth::ApiKey { .. } => false,
        }
    }

    fn token_wanted(&self, now_secs: u64) -> Option<TokenRequest> {
        match self.auth() {
            crate::VoximplantAuth::Provider(provided) => provided.wanted(now_secs),
            crate::VoximplantAuth::HostSigned(signer) => signer.wanted(now_secs),
            _ => None,
        }
    }

    fn accept_token(
        &mut self,
        ask: &TokenRequest,
        token: &[u8],
        now_secs: u64,
    ) -> Result<(), Error> {
        match (self.auth_mut(), &ask.sign) {
            (crate::VoximplantAuth::HostSigned(signer), Some(sign)) => signer.accept(sign, token),
            (crate::VoximplantAuth::Provider(provided), None) => provided.accept(token, now_secs),
            _ => Err(Error::Config(
                "the host answered a token request this client did not make".to_owned(),
            )),
        }
    }
}

impl Prepare for crate::VoisoClient {
    fn build_request(
        &mut self,
        info: &'static MethodInfo,
        params: &FormWriter,
        _now_secs: u64,
    ) -> Result<HttpRequest, Error> {
        Ok(self.build(info, params.clone()))
    }
}
