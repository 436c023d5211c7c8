//! What the host app supplies: an HTTP transport and a way to sleep, as foreign traits.
//!
//! In the style of mozilla's viaduct, Rust never opens a socket: the core builds each request,
//! the host sends it with the HTTP stack of its platform (HttpURLConnection or OkHttp on the JVM
//! and Android, URLSession on iOS) and hands back the answer. The host must say truthfully how a
//! failed exchange ended ([`TransportFailure`]), because what the call machine may retry depends
//! on whether the request could have reached the server.

use roster_core::call::{Attempt, Outcome};
use roster_core::{TransportError, TransportErrorKind};

/// One header. Names are lower-case in requests; any case in responses.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    pub name: String,
    pub value: String,
}

/// A request to send as it is. It carries credentials (the `authorization` header, passwords in
/// the body): log [`HttpRequest::redacted`], never the request itself.
#[derive(Clone, uniffi::Record)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The full URL, query string included.
    pub url: String,
    pub headers: Vec<HttpHeader>,
    pub body: Vec<u8>,
    /// The longest the connection (and TLS handshake) may take.
    pub connect_timeout_ms: u64,
    /// The longest the whole exchange may take, from sending to the last byte of the answer.
    pub timeout_ms: u64,
    /// Method and URL with secrets replaced by `[redacted]`: what a log line may show.
    pub redacted: String,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted)
    }
}

/// The answer as received; any status, since error statuses carry API errors.
#[derive(Debug, Clone, uniffi::Record)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<HttpHeader>,
    pub body: Vec<u8>,
}

/// How an exchange failed. The kind decides what may be retried, so classify carefully.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportFailure {
    /// Nothing left the machine: DNS failure, connection refused, TLS handshake failure.
    #[error("not sent: {reason}")]
    NotSent { reason: String },
    /// The request was (or may have been) sent and no complete answer came in time.
    #[error("timed out: {reason}")]
    TimedOut { reason: String },
    /// The connection broke after sending (reset, closed, truncated answer), or anything else.
    #[error("interrupted: {reason}")]
    Interrupted { reason: String },
}

/// An exception of another type thrown by the host's transport. It says nothing about whether
/// the request was sent, so it is taken as the ambiguous kind.
impl From<uniffi::UnexpectedUniFFICallbackError> for TransportFailure {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Interrupted {
            reason: format!("the transport threw {}", e.reason),
        }
    }
}

impl From<TransportFailure> for TransportError {
    fn from(f: TransportFailure) -> Self {
        match f {
            TransportFailure::NotSent { reason } => Self::new(TransportErrorKind::NotSent, reason),
            TransportFailure::TimedOut { reason } => {
                Self::new(TransportErrorKind::TimedOut, reason)
            }
            TransportFailure::Interrupted { reason } => {
                Self::new(TransportErrorKind::Interrupted, reason)
            }
        }
    }
}

/// Sends HTTP requests for the core. Implemented by the host app.
#[uniffi::export(foreign)]
#[async_trait::async_trait]
pub trait HttpTransport: Send + Sync {
    /// Sends `request` within its timeouts and returns the answer, whatever its status. Throws
    /// [`TransportFailure`] when no answer came.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportFailure>;
}

/// Waits between retries. Implemented by the host app with its timer (`delay` in Kotlin,
/// `Task.sleep` in Swift), so Rust needs no runtime of its own.
#[uniffi::export(foreign)]
#[async_trait::async_trait]
pub trait Sleeper: Send + Sync {
    /// Returns after `millis` milliseconds. Throw (any [`TransportFailure`]) to abandon the
    /// call, when the host is shutting down.
    async fn sleep(&self, millis: u64) -> Result<(), TransportFailure>;
}

/// The record the host's transport receives for one attempt.
pub(crate) fn request_of(attempt: &Attempt) -> HttpRequest {
    let r = &attempt.request;
    HttpRequest {
        method: r.method.as_str().to_owned(),
        url: r.url.clone(),
        headers: r
            .headers
            .iter()
            .map(|(name, value)| HttpHeader {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        body: r.body.clone(),
        connect_timeout_ms: millis(attempt.timeouts.connect),
        timeout_ms: millis(attempt.timeouts.total),
        redacted: attempt.describe().request,
    }
}

/// The outcome the call machine takes, from what the host's transport returned.
pub(crate) fn outcome_of(result: Result<HttpResponse, TransportFailure>) -> Outcome {
    match result {
        Ok(r) => Outcome::Response(roster_core::HttpResponse {
            status: r.status,
            headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: r.body,
        }),
        Err(f) => Outcome::Failed(f.into()),
    }
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
