//! The call state machine.

use std::time::Duration;

use serde_json::Value;

use super::lookup::{Found, Lookup};
use super::policy::{RetryPolicy, SplitMix64, Timeouts};
use super::verdict::{self, Verdict};
use super::{Prepare, TokenRequest};
use crate::endpoint::{ApiKind, Endpoint, MethodInfo, Safety};
use crate::error::{ApiErrorKind, Error, TransportError, TransportErrorKind};
use crate::http::{HttpRequest, HttpResponse};
use crate::wire::FormWriter;

/// The header that numbers the attempts of one call (1, 2, ...), for the server's logs.
pub const ATTEMPT_HEADER: &str = "x-roster-attempt";

/// What the binding must do next.
#[derive(Debug)]
pub enum Step<T> {
    /// Send this request and feed the outcome to [`Call::on_outcome`].
    Send(Attempt),
    /// Sleep this long, then call [`Call::resume`].
    Sleep(Duration),
    /// Ask the host's token provider for a token and give its answer to [`Call::on_token`].
    /// Comes before the first request of a client made with a provider, and after the server
    /// refused a token (455, 456), with [`TokenRequest::force_refresh`] set.
    Token(TokenRequest),
    /// The call is over.
    Done(Result<T, Error>),
}

/// Why a request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The call itself.
    Call,
    /// A lookup of a lost write's natural key.
    Lookup,
}

impl Purpose {
    /// `call` or `lookup`, as attempt logs print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Lookup => "lookup",
        }
    }
}

/// One request to send, with the limits the transport must apply.
#[derive(Debug)]
pub struct Attempt {
    /// The request to send, its [`ATTEMPT_HEADER`] included.
    pub request: HttpRequest,
    /// The limits of this attempt, already shortened to what is left of the call's deadline.
    pub timeouts: Timeouts,
    /// 1 for the first request of the call; lookups count too.
    pub number: u32,
    /// Whether this is the call itself or a lookup of a lost write.
    pub purpose: Purpose,
    /// The wire name of the method sent.
    pub method: &'static str,
}

impl Attempt {
    /// A log record of this attempt, secrets redacted; complete it with
    /// [`AttemptEvent::outcome`] once the outcome is known.
    pub fn describe(&self) -> AttemptEvent {
        AttemptEvent {
            method: self.method,
            number: self.number,
            purpose: self.purpose,
            request: format!("{} {}", self.request.method, self.request.redacted_url()),
            outcome: String::new(),
        }
    }
}

/// What a logging hook sees of one attempt. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptEvent {
    /// The wire name of the method sent (the lookup's method, for a lookup).
    pub method: &'static str,
    /// The attempt's number within its call, from 1; lookups count too.
    pub number: u32,
    /// Whether the attempt was the call itself or a lookup.
    pub purpose: Purpose,
    /// Method and URL (secret query parameters redacted).
    pub request: String,
    /// `HTTP 200`, or the transport failure.
    pub outcome: String,
}

impl AttemptEvent {
    /// Records how the attempt ended.
    pub fn outcome(&mut self, outcome: &Outcome) {
        self.outcome = match outcome {
            Outcome::Response(r) => format!("HTTP {}", r.status),
            Outcome::Failed(e) => format!("transport {}: {}", e.kind, e.message),
        };
    }
}

impl std::fmt::Display for AttemptEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} attempt {} ({}): {} -> {}",
            self.method,
            self.number,
            self.purpose.as_str(),
            self.request,
            self.outcome
        )
    }
}

/// How an attempt ended, as the transport saw it.
#[derive(Debug)]
pub enum Outcome {
    /// An answer arrived, whatever its status; the machine judges it.
    Response(HttpResponse),
    /// No answer. [`TransportErrorKind::NotSent`] proves nothing reached the server; any other
    /// kind says nothing about whether the request was executed.
    Failed(TransportError),
}

/// One call, from its first request to its result. See [`crate::call`].
pub struct Call<T> {
    info: &'static MethodInfo,
    params: FormWriter,
    parse: fn(&HttpResponse) -> Result<T, Error>,
    policy: RetryPolicy,
    rng: SplitMix64,
    started_ms: u64,
    sent: u32,
    retries: u32,
    token_refreshed: bool,
    /// Why the write may already have been applied, once an outcome was ambiguous.
    maybe_applied: Option<Error>,
    lookup: Option<Lookup>,
    /// The host's token or signature the last [`Step::Token`] asked for.
    token_ask: Option<TokenRequest>,
    /// The last write request, redacted, for an `OutcomeUnknown`.
    last_request: String,
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.info.name)
            .field("sent", &self.sent)
            .field("maybe_applied", &self.maybe_applied.is_some())
            .field("looking_up", &self.lookup.is_some())
            .finish_non_exhaustive()
    }
}

impl<E: Endpoint> From<&E> for CallParts<E::Response> {
    fn from(_: &E) -> Self {
        CallParts {
            info: E::INFO,
            parse: crate::protocol::parse::<E>,
        }
    }
}

/// What a call needs to know about its method besides the parameters.
#[derive(Clone, Copy)]
pub struct CallParts<T> {
    /// What the spec says of the method.
    pub info: &'static MethodInfo,
    /// Reads an answer into the result or a typed error: the typed parser of an [`Endpoint`],
    /// or the JSON one of a call by name ([`dynamic_parts`]).
    pub parse: fn(&HttpResponse) -> Result<T, Error>,
}

impl<T> Call<T> {
    /// A call of `info` with parameters already validated and in wire form. `seed` feeds the
    /// jitter.
    pub fn new(parts: CallParts<T>, params: FormWriter, policy: RetryPolicy, seed: u64) -> Self {
        Self {
            info: parts.info,
            params,
            parse: parts.parse,
            policy,
            rng: SplitMix64::new(seed),
            started_ms: 0,
            sent: 0,
            retries: 0,
            token_refreshed: false,
            maybe_applied: None,
            lookup: None,
            token_ask: None,
            last_request: String::new(),
        }
    }

    /// What the spec says of the method called (not of a lookup's method).
    pub fn method(&self) -> &'static MethodInfo {
        self.info
    }

    /// The first step. `now_ms` is the binding's clock in milliseconds (Unix time, so it also
    /// dates tokens).
    pub fn start(&mut self, client: &mut dyn Prepare, now_ms: u64) -> Step<T> {
        self.started_ms = now_ms;
        self.send(client, now_ms)
    }

    /// The step after a [`Step::Sleep`].
    pub fn resume(&mut self, client: &mut dyn Prepare, now_ms: u64) -> Step<T> {
        self.send(client, now_ms)
    }

    /// The step after a [`Step::Token`]: the provider's token (or, when the request asked for
    /// a signature, the signature's bytes), or why the host gave none (its error ends the call;
    /// nothing is sent without a token).
    pub fn on_token(
        &mut self,
        token: Result<&[u8], Error>,
        client: &mut dyn Prepare,
        now_ms: u64,
    ) -> Step<T> {
        let Some(ask) = self.token_ask.take() else {
            let e = Error::Config("a token came that the call did not ask for".to_owned());
            return self.finish(e, false);
        };
        let accepted = token.and_then(|t| client.accept_token(&ask, t, now_ms / 1000));
        match accepted {
            Ok(()) => self.send(client, now_ms),
            Err(e) => self.finish(e, false),
        }
    }

    /// The step after the outcome of the last [`Step::Send`].
    pub fn on_outcome(
        &mut self,
        outcome: Outcome,
        client: &mut dyn Prepare,
        now_ms: u64,
    ) -> Step<T> {
        match self.lookup.as_ref().map(|l| l.info) {
            None => {
                let verdict = self.judge(outcome, self.parse);
                self.on_write(verdict, client, now_ms)
            }
            Some(info) => {
                let verdict = self.judge(outcome, crate::dynamic::parser(info));
                self.on_lookup(verdict, client, now_ms)
            }
        }
    }

    fn judge<R>(
        &self,
        outcome: Outcome,
        parse: fn(&HttpResponse) -> Result<R, Error>,
    ) -> Verdict<R> {
        match outcome {
            Outcome::Response(response) => {
                let parsed = parse(&response);
                verdict::of_response(self.info.api, &response, parsed)
            }
            Outcome::Failed(e) if e.kind == TransportErrorKind::NotSent => Verdict::Refused {
                error: e.into(),
                delay: None,
            },
            Outcome::Failed(e) => Verdict::Ambiguous(e.into()),
        }
    }

    fn on_write(&mut self, verdict: Verdict<T>, client: &mut dyn Prepare, now_ms: u64) -> Step<T> {
        match verdict {
            Verdict::Success(value) => Step::Done(Ok(value)),
            Verdict::Refused { error, delay } => self.retry(error, delay, now_ms),
            Verdict::TokenRejected(error) => self.refresh_token(error, client, now_ms),
            Verdict::Ambiguous(error) => match self.info.safety {
                Safety::Read => self.retry(error, None, now_ms),
                Safety::Idempotent => {
                    self.maybe_applied = Some(error.clone());
                    self.retry(error, None, now_ms)
                }
                Safety::Once => {
                    self.maybe_applied = Some(error.clone());
                    self.look_up(error, client, now_ms)
                }
            },
            Verdict::Final(error) => {
                let conflict = matches!(&error, Error::Api(a) if a.kind == ApiErrorKind::Conflict);
                if conflict && self.maybe_applied.is_some() && self.info.safety == Safety::Once {
                    // Our own earlier attempt may be the record in the way.
                    self.look_up(error, client, now_ms)
                } else {
                    self.finish(error, true)
                }
            }
        }
    }

    fn look_up(&mut self, error: Error, client: &mut dyn Prepare, now_ms: u64) -> Step<T> {
        match Lookup::new(self.info, &self.params) {
            Some(lookup) if self.sent < self.policy.max_attempts => {
                self.lookup = Some(lookup);
                self.send(client, now_ms)
            }
            _ => self.finish(error, false),
        }
    }

    fn on_lookup(
        &mut self,
        verdict: Verdict<Value>,
        client: &mut dyn Prepare,
        now_ms: u64,
    ) -> Step<T> {
        match verdict {
            Verdict::Success(page) => {
                let Some(lookup) = self.lookup.as_mut() else {
                    return self.finish(Error::Config("lookup state lost".into()), false);
                };
                match lookup.read(&page) {
                    Found::Record(body) => {
                        let response = HttpResponse::new(200, body);
                        match (self.parse)(&response) {
                            Ok(value) => Step::Done(Ok(value)),
                            Err(e) => self.finish(e, false),
                        }
                    }
                    Found::NextPage => self.send(client, now_ms),
                    Found::Absent => {
                        // Not applied (so far): resending is safe, since the server refuses a
                        // second record with this key and a refusal brings us back here.
                        self.lookup = None;
                        let cause = self.maybe_applied.clone().unwrap_or_else(|| {
                            Error::Config("a lookup ran without a lost write".into())
                        });
                        self.retry(cause, None, now_ms)
                    }
                }
            }
            // A lookup is a read: any failure may be retried.
            Verdict::Refused { error, delay } => self.retry(error, delay, now_ms),
            Verdict::Ambiguous(error) => self.retry(error, None, now_ms),
            Verdict::TokenRejected(error) => self.refresh_token(error, client, now_ms),
            Verdict::Final(error) => self.finish(error, false),
        }
    }

    fn refresh_token(&mut self, error: Error, client: &mut dyn Prepare, now_ms: u64) -> Step<T> {
        // The refused token is dropped even when this call gives up, so the client's next call
        // does not send it again.
        let renewable = client.refresh_token();
        if renewable && !self.token_refreshed && self.sent < self.policy.max_attempts {
            self.token_refreshed = true;
            self.send(client, now_ms)
        } else {
            self.finish(error, true)
        }
    }

    /// Sleeps before the next attempt, or gives up when the attempts or the deadline are spent.
    fn retry(&mut self, error: Error, server_delay: Option<Duration>, now_ms: u64) -> Step<T> {
        if self.sent >= self.policy.max_attempts {
            return self.finish(error, false);
        }
        self.retries += 1;
        // A server's delay is honoured as asked, not shortened to `max_backoff`: retrying
        // sooner than a 416 or a Retry-After says only earns another refusal. The deadline
        // still bounds it (below).
        let wait =
            server_delay.unwrap_or_else(|| self.policy.backoff(self.retries, self.rng.next_unit()));
        match self.time_left(now_ms) {
            Some(left) if wait >= left => self.finish(error, false),
            _ => Step::Sleep(wait),
        }
    }

    fn time_left(&self, now_ms: u64) -> Option<Duration> {
        let deadline = self.policy.deadline?;
        let spent = Duration::from_millis(now_ms.saturating_sub(self.started_ms));
        Some(deadline.saturating_sub(spent))
    }

    fn send(&mut self, client: &mut dyn Prepare, now_ms: u64) -> Step<T> {
        let left = self.time_left(now_ms);
        if left.is_some_and(|l| l.is_zero()) {
            let error = TransportError::new(
                TransportErrorKind::TimedOut,
                "the call's deadline passed before its answer came",
            );
            return self.finish(error.into(), false);
        }
        if let Some(ask) = client.token_wanted(now_ms / 1000) {
            self.token_ask = Some(ask.clone());
            return Step::Token(ask);
        }
        let (info, params) = match &self.lookup {
            None => (self.info, Ok(self.params.clone())),
            Some(lookup) => (lookup.info, lookup.params()),
        };
        let built = params.and_then(|p| client.build_request(info, &p, now_ms / 1000));
        let mut request = match built {
            Ok(r) => r,
            Err(e) => return self.finish(e, self.lookup.is_none()),
        };
        self.sent += 1;
        request
            .headers
            .push((ATTEMPT_HEADER.to_owned(), self.sent.to_string()));
        let purpose = if self.lookup.is_some() {
            Purpose::Lookup
        } else {
            self.last_request = request.redacted().to_string();
            Purpose::Call
        };
        let total = match left {
            Some(l) => self.policy.attempt_timeout.min(l),
            None => self.policy.attempt_timeout,
        };
        Step::Send(Attempt {
            request,
            timeouts: Timeouts {
                connect: self.policy.connect_timeout.min(total),
                total,
            },
            number: self.sent,
            purpose,
            method: info.name,
        })
    }

    /// Ends the call with `error`, unless a write may have been applied and `error` does not
    /// settle that: then the caller learns that the outcome is unknown. `settled` says the
    /// error is the server's verdict on a request it read; even then a "not found" or "already
    /// exists" may be the work of our own lost attempt.
    fn finish(&mut self, error: Error, settled: bool) -> Step<T> {
        self.lookup = None;
        let Some(cause) = self.maybe_applied.take() else {
            return Step::Done(Err(error));
        };
        let caused_by_us = matches!(
            &error,
            Error::Api(a) if matches!(a.kind, ApiErrorKind::NotFound | ApiErrorKind::Conflict)
        );
        if settled && !caused_by_us {
            return Step::Done(Err(error));
        }
        Step::Done(Err(Error::OutcomeUnknown {
            method: self.info.name.to_owned(),
            request: std::mem::take(&mut self.last_request),
            cause: Box::new(cause),
        }))
    }
}

/// Calls with typed requests and answers.
impl<T> Call<T> {
    /// A call of a typed request: validated here, so a bad value never reaches the wire.
    pub fn typed<E: Endpoint<Response = T>>(
        request: &E,
        policy: RetryPolicy,
        seed: u64,
    ) -> Result<Self, Error> {
        let w = request.to_wire()?;
        Ok(Self::new(CallParts::from(request), w, policy, seed))
    }
}

/// Calls by name with JSON parameters and a JSON answer.
impl Call<Value> {
    /// A call by name of `info` with JSON parameters, validated and put in wire form here; its
    /// result is the answer as JSON. `seed` feeds the jitter.
    pub fn dynamic(
        info: &'static MethodInfo,
        params: Value,
        policy: RetryPolicy,
        seed: u64,
    ) -> Result<Self, Error> {
        let w = crate::dynamic::encode_params(info, params)?;
        Ok(Self::new(dynamic_parts(info), w, policy, seed))
    }
}

/// The parts of a call by name.
pub fn dynamic_parts(info: &'static MethodInfo) -> CallParts<Value> {
    CallParts {
        info,
        parse: crate::dynamic::parser(info),
    }
}

/// Which API a call talks to, for the binding to pick its client.
impl<T> Call<T> {
    /// The API of the method called.
    pub fn api(&self) -> ApiKind {
        self.info.api
    }
}
