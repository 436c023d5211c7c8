//! Reading a request body under a size limit (`Config::max_body_bytes`, `--max-body-bytes`),
//! for the API routes.
//!
//! Without a limit one client could make the emulator hold any number of bytes (the security
//! review of issue 14 grew it by 290 MB with six 20 MB bodies). The limit is enforced while
//! reading, so no more than the limit (plus one transport frame, which hyper keeps to a few
//! hundred KB) is ever held:
//!
//! - a body whose declared length (`Content-Length`, which hyper reports as the body's exact
//!   size hint; HTTP/2 likewise) is over the limit is refused before a byte of it is read; an
//!   HTTP/1.1 client that sent `Expect: 100-continue` (curl does for large bodies) is answered
//!   without ever being asked for the body;
//! - a body of unknown length (chunked) is read until it passes the limit, then refused.
//!
//! The admin endpoints are not read through here: they take whole fixtures (100,000 users come
//! in one body), under their own, larger limit (see `server::ADMIN_BODY_LIMIT`).

use axum::body::{Body, Bytes, HttpBody};
use futures_util::StreamExt;

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Over `limit`. `seen` is the declared length when the body was refused unread, else the
    /// bytes received when reading stopped (just past the limit).
    TooLarge { seen: u64, limit: usize },
    /// The body broke off (the client went away, a malformed chunk).
    Broken(String),
}

impl BodyError {
    /// The body's length as far as it is known, for the request log.
    pub fn seen(&self) -> u64 {
        match self {
            Self::TooLarge { seen, .. } => *seen,
            Self::Broken(_) => 0,
        }
    }
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The length is in the request log; the client knows what it sent.
            Self::TooLarge { limit, .. } => {
                write!(f, "request body too large: the limit is {limit} bytes")
            }
            Self::Broken(e) => write!(f, "the request body could not be read: {e}"),
        }
    }
}

/// The whole body if it holds at most `limit` bytes; never buffers more than that.
pub async fn read_limited(body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    let declared = body.size_hint().lower();
    if declared > limit_u64 {
        return Err(BodyError::TooLarge {
            seen: declared,
            limit,
        });
    }
    let mut stream = body.into_data_stream();
    // One frame is the common case (a small form): it is returned as is, without a copy.
    let mut first: Option<Bytes> = None;
    let mut joined: Option<Vec<u8>> = None;
    let mut total: usize = 0;
    while let Some(frame) = stream.next().await {
        let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
        total = total.saturating_add(frame.len());
        if total > limit {
            return Err(BodyError::TooLarge {
                seen: u64::try_from(total).unwrap_or(u64::MAX),
                limit,
            });
        }
        match (&mut joined, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&frame),
            (None, None) => first = Some(frame),
            (None, Some(earlier)) => {
                // The declared length, when there is one, is at most the limit.
                let hint = usize::try_from(declared).unwrap_or(0);
                let mut buf = Vec::with_capacity(hint.max(total));
                buf.extend_from_slice(&earlier);
                buf.extend_from_slice(&frame);
                joined = Some(buf);
            }
        }
    }
    Ok(joined.map(Bytes::from).or(first).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    /// A body of unknown length made of `frames`, as a chunked request arrives.
    fn streamed(frames: Vec<&'static [u8]>) -> Body {
        Body::from_stream(futures_util::stream::iter(
            frames
                .into_iter()
                .map(|f| Ok::<Bytes, std::io::Error>(Bytes::from_static(f))),
        ))
    }

    #[test]
    fn declared_length_over_the_limit_is_refused_unread() {
        let r = run(read_limited(Body::from(vec![b'a'; 11]), 10));
        assert_eq!(
            r,
            Err(BodyError::TooLarge {
                seen: 11,
                limit: 10
            })
        );
        assert_eq!(
            run(read_limited(Body::from(vec![b'a'; 10]), 10)).map(|b| b.len()),
            Ok(10)
        );
    }

    #[test]
    fn streamed_body_is_joined_and_cut_off_past_the_limit() {
        let joined = run(read_limited(streamed(vec![b"ab", b"", b"cd", b"e"]), 5));
        assert_eq!(joined.as_deref(), Ok(&b"abcde"[..]));
        let over = run(read_limited(
            streamed(vec![b"abc", b"def", b"never read"]),
            5,
        ));
        assert_eq!(over, Err(BodyError::TooLarge { seen: 6, limit: 5 }));
        assert_eq!(
            run(read_limited(streamed(vec![]), 5)).map(|b| b.len()),
            Ok(0)
        );
    }
}
