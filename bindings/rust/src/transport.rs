//! What a host application may want to replace: how HTTP requests travel, and how to wait.
//!
//! As in mozilla's viaduct, the SDK never talks to the network itself. It hands a finished
//! [`HttpRequest`] to a [`Transport`] and gets an [`HttpResponse`] or a [`TransportError`]
//! back. The default is [`ReqwestTransport`](crate::ReqwestTransport); tests, proxies and
//! unusual runtimes plug in their own. Retries are decided by the core's call machine; the
//! transport sends exactly once per call to [`Transport::send`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use roster_core::call::Timeouts;
use roster_core::{HttpRequest, HttpResponse, TransportError};

/// A boxed, sendable future, so `Transport` can be used as a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request.
///
/// Implementations must report whether the request may have reached the server through
/// [`TransportErrorKind`](roster_core::TransportErrorKind): `NotSent` only when nothing left this
/// machine (DNS, refused connection, TLS handshake), because retries of writes depend on it. An
/// error message must not contain the request's headers or body, which carry secrets.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`, connecting within `timeouts.connect` and giving up after
    /// `timeouts.total` (the whole exchange, body included).
    fn send(
        &self,
        request: HttpRequest,
        timeouts: Timeouts,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// Waits before a retry. The default sleeps on tokio's timer; other runtimes pass their own.
pub type Sleeper = Arc<dyn Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync>;
