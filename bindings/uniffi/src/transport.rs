//! What the host app supplies: an HTTP transport and a way to sleep, as foreign traits.
//!
//! In the style of mozilla's viaduct, Rust never opens a socket: the core builds each request,
//! the host sends it with the HTTP stack of its platform (HttpURLConnection or OkHttp on the JVM
//! and Android, URLSession on iOS) and hands back the answer. The host must say truthfully how a
//! failed exchange ended ([`TransportFailure`]), because what the call machine may retry depends
//! on whether the request could have reached the server.

use std::sync::Arc;

use roster_core::call::{Attempt, Outcome};
use roster_core::{TransportError, TransportErrorKind};

/// One header. Names are lower-case in requests; any case in responses.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    pub name: String,
    pub value: String,
}

/// A request to send as it is. It carries credentials (the `authorization` header, passwords in
/// the body), so it is an object with accessors rather than a record: printing it (`toString()`
/// in Kotlin, `description` in Swift, `{}` and `{:?}` in Rust) shows only its redacted form —
/// method, URL and header names with every secret replaced by `[redacted]` — while the transport
/// reads the real values through [`HttpRequest::headers`] and [`HttpRequest::body`].
#[derive(uniffi::Object)]
#[uniffi::export(Display, Debug)]
pub struct HttpRequest {
    request: roster_core::HttpRequest,
    connect_timeout_ms: u64,
    timeout_ms: u64,
    redacted: String,
}

#[uniffi::export]
impl HttpRequest {
    /// `GET` or `POST`.
    pub fn method(&self) -> String {
        self.request.method.as_str().to_owned()
    }

    /// The full URL, query string included. May hold a secret parameter: do not log it, log
    /// [`HttpRequest::redacted`].
    pub fn url(&self) -> String {
        self.request.url.clone()
    }

    /// The headers to send, values as they are (the `authorization` header included): for the
    /// wire only.
    pub fn headers(&self) -> Vec<HttpHeader> {
        self.request
            .headers
            .iter()
            .map(|(name, value)| HttpHeader {
                name: name.clone(),
                value: value.clone(),
            })
            .collect()
    }

    /// The value of the header `name` (any case), as it is, if the request has it.
    pub fn header(&self, name: String) -> Option<String> {
        self.request.header(&name).map(str::to_owned)
    }

    /// The body to send, as it is (passwords included): for the wire only.
    pub fn body(&self) -> Body {
        Body(self.request.body.clone())
    }

    /// The longest the connection (and TLS handshake) may take.
    pub fn connect_timeout_ms(&self) -> u64 {
        self.connect_timeout_ms
    }

    /// The longest the whole exchange may take, from sending to the last byte of the answer.
    pub fn timeout_ms(&self) -> u64 {
        self.timeout_ms
    }

    /// Method and URL with secrets replaced by `[redacted]`, on one line: what a log line or an
    /// exception's message may show.
    pub fn redacted(&self) -> String {
        self.redacted.clone()
    }
}

/// The request as an HTTP message with its secrets redacted: method and URL, then one line per
/// header (sensitive values `[redacted]`), then the body (secret parameters `[redacted]`).
impl std::fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self.request.redacted().to_string();
        f.write_str(shown.trim_end_matches('\n'))
    }
}

/// The core's redacted `Debug` of the request, with the attempt's timeouts.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("request", &self.request)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// The answer as received; any status, since error statuses carry API errors.
#[derive(Debug, Clone, uniffi::Record)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<HttpHeader>,
    pub body: Body,
}

/// The bytes of a body: `ByteArray` in Kotlin and `Data` in Swift, exactly as a `Vec<u8>` (same
/// metadata, same wire form: an `i32` length, then the bytes). uniffi moves a `Vec<u8>` across
/// one byte at a time, with a bounds check each; a 65 KB answer cost more to cross than to
/// parse. This copies it once, both ways (answers in, request bodies out).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Body(pub Vec<u8>);

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

// SAFETY: the same FFI type, metadata and serialized form as uniffi's `Vec<u8>`.
unsafe impl<UT> uniffi::FfiConverter<UT> for Body {
    type FfiType = uniffi::RustBuffer;

    fn lower(obj: Self) -> uniffi::RustBuffer {
        let mut buf = Vec::with_capacity(4 + obj.0.len());
        <Self as uniffi::FfiConverter<UT>>::write(obj, &mut buf);
        uniffi::RustBuffer::from_vec(buf)
    }

    fn try_lift(v: uniffi::RustBuffer) -> uniffi::Result<Self> {
        let vec = v.destroy_into_vec();
        let mut buf = vec.as_slice();
        let value = <Self as uniffi::FfiConverter<UT>>::try_read(&mut buf)?;
        if !buf.is_empty() {
            return Err(uniffi::deps::anyhow::anyhow!(
                "junk data left in buffer after lifting (count: {})",
                buf.len()
            ));
        }
        Ok(value)
    }

    fn write(obj: Self, buf: &mut Vec<u8>) {
        // uniffi limits sequences to i32::MAX items, and panics past it as well.
        let len = i32::try_from(obj.0.len()).unwrap();
        buf.extend_from_slice(&len.to_be_bytes());
        buf.extend_from_slice(&obj.0);
    }

    fn try_read(buf: &mut &[u8]) -> uniffi::Result<Self> {
        uniffi::check_remaining(buf, 4)?;
        let (head, rest) = buf.split_at(4);
        let len = usize::try_from(i32::from_be_bytes([head[0], head[1], head[2], head[3]]))?;
        uniffi::check_remaining(rest, len)?;
        let (bytes, rest) = rest.split_at(len);
        *buf = rest;
        Ok(Self(bytes.to_vec()))
    }

    const TYPE_ID_META: uniffi::MetadataBuffer = <Vec<u8> as uniffi::TypeId<UT>>::TYPE_ID_META;
}

uniffi::derive_ffi_traits!(blanket Body);

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
    async fn send(&self, request: Arc<HttpRequest>) -> Result<HttpResponse, TransportFailure>;
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

/// The request the host's transport receives for one attempt.
pub(crate) fn request_of(attempt: &Attempt) -> Arc<HttpRequest> {
    Arc::new(HttpRequest {
        request: attempt.request.clone(),
        connect_timeout_ms: millis(attempt.timeouts.connect),
        timeout_ms: millis(attempt.timeouts.total),
        redacted: attempt.describe().request,
    })
}

/// The outcome the call machine takes, from what the host's transport returned.
pub(crate) fn outcome_of(result: Result<HttpResponse, TransportFailure>) -> Outcome {
    match result {
        Ok(r) => Outcome::Response(roster_core::HttpResponse {
            status: r.status,
            headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: r.body.0,
        }),
        Err(f) => Outcome::Failed(f.into()),
    }
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::call::Step;
    use roster_core::Session;

    const TOKEN: &str = "tok-5ecret-value";
    const PASSWORD: &str = "S3cure!pass";

    /// The first request of an `AddUser` call with a bearer token and a password.
    fn add_user() -> Arc<HttpRequest> {
        let mut session = Session::voximplant_token(TOKEN.to_owned(), None, "test").unwrap();
        let params = serde_json::json!({
            "user_name": "jdoe",
            "user_display_name": "John",
            "user_password": PASSWORD,
            "application_id": 1,
        });
        let mut call = session.call("AddUser", params, None).unwrap();
        match call.start(&mut session, 1_700_000_000_000) {
            Step::Send(attempt) => request_of(&attempt),
            _ => panic!("the first step of a call sends"),
        }
    }

    #[test]
    fn printing_a_request_shows_no_secret() {
        let r = add_user();
        for shown in [r.to_string(), format!("{r:?}"), r.redacted()] {
            assert!(!shown.contains(TOKEN), "{shown}");
            assert!(!shown.contains("S3cure"), "{shown}");
        }
        let shown = r.to_string();
        assert!(shown.starts_with("POST https://"), "{shown}");
        assert!(shown.contains("AddUser"), "{shown}");
        assert!(
            shown.contains("authorization: Bearer [redacted]"),
            "{shown}"
        );
        assert!(!shown.ends_with('\n'), "{shown}");
        assert!(format!("{r:?}").contains("timeout_ms"));
    }

    #[test]
    fn the_accessors_give_the_values_to_send() {
        let r = add_user();
        assert_eq!(r.method(), "POST");
        assert_eq!(
            r.header("Authorization".into()),
            Some(format!("Bearer {TOKEN}"))
        );
        assert!(r
            .headers()
            .iter()
            .any(|h| h.name == "authorization" && h.value == format!("Bearer {TOKEN}")));
        assert!(String::from_utf8(r.body().0)
            .unwrap()
            .contains("user_password=S3cure"));
        assert!(r.url().contains("AddUser"));
        assert!(r.connect_timeout_ms() > 0 && r.timeout_ms() >= r.connect_timeout_ms());
    }

    #[test]
    fn a_body_crosses_exactly_as_a_vec_of_bytes() {
        use uniffi::{Lift, Lower, TypeId};
        type T = crate::UniFfiTag;
        assert_eq!(
            <Body as TypeId<T>>::TYPE_ID_META.as_ref(),
            <Vec<u8> as TypeId<T>>::TYPE_ID_META.as_ref()
        );
        for bytes in [
            vec![],
            vec![0u8, 1, 255],
            (0..70_000).map(|i| i as u8).collect(),
        ] {
            let mut ours = Vec::new();
            <Body as Lower<T>>::write(Body(bytes.clone()), &mut ours);
            let mut theirs = Vec::new();
            <Vec<u8> as Lower<T>>::write(bytes.clone(), &mut theirs);
            assert_eq!(ours, theirs);
            let lifted = <Body as Lift<T>>::try_lift(<Vec<u8> as Lower<T>>::lower(bytes.clone()));
            assert_eq!(lifted.unwrap().0, bytes);
            let mut rest = &ours[..ours.len() - 1];
            assert!(<Body as Lift<T>>::try_read(&mut rest).is_err() || bytes.is_empty());
        }
        let mut junk = Vec::new();
        <Vec<u8> as Lower<T>>::write(vec![1, 2], &mut junk);
        junk.push(9);
        assert!(<Body as Lift<T>>::try_lift(uniffi::RustBuffer::from_vec(junk)).is_err());
    }
}
