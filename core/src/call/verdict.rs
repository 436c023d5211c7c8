//! What one attempt's outcome proves about the request, which decides what may happen next.

use std::time::Duration;

use crate::endpoint::ApiKind;
use crate::error::{ApiErrorKind, Error};
use crate::http::HttpResponse;

/// The verdict on one attempt.
#[derive(Debug)]
pub(crate) enum Verdict<T> {
    /// The typed result.
    Success(T),
    /// The request was not executed: never sent, or refused by an answer that says so (rate
    /// limits, "try later"). Any method may be sent again, after `delay` if the server asked.
    Refused {
        error: Error,
        delay: Option<Duration>,
    },
    /// The token was refused as expired or not yet valid: re-mint it and send again.
    TokenRejected(Error),
    /// The request may or may not have been executed (a timeout after sending, a dropped
    /// connection, a 5xx, a truncated answer).
    Ambiguous(Error),
    /// An answer that settles the call: an API error, a 4xx.
    Final(Error),
}

/// Voximplant codes that say the request was refused, not executed.
const REFUSED_CODES: &[i64] = &[340, 162, 416];
/// Voximplant codes for a token outside its validity window.
const TOKEN_CODES: &[i64] = &[455, 456];

pub(crate) fn of_response<T>(
    api: ApiKind,
    response: &HttpResponse,
    parsed: Result<T, Error>,
) -> Verdict<T> {
    let error = match parsed {
        Ok(value) => return Verdict::Success(value),
        Err(e) => e,
    };
    let retry_after = retry_after(response);
    match &error {
        Error::Api(api_error) => {
            let voximplant = api == ApiKind::Voximplant;
            if voximplant && TOKEN_CODES.contains(&api_error.code) {
                Verdict::TokenRejected(error)
            } else if voximplant && REFUSED_CODES.contains(&api_error.code) {
                let delay = retry_after.or_else(|| delay_in_message(&api_error.msg));
                Verdict::Refused { error, delay }
            } else if api_error.http_status == 429
                || (api_error.http_status == 503 && retry_after.is_some())
                || (!voximplant && api_error.kind == ApiErrorKind::RateLimited)
            {
                Verdict::Refused {
                    error,
                    delay: retry_after,
                }
            } else if api_error.http_status >= 500 {
                Verdict::Ambiguous(error)
            } else {
                Verdict::Final(error)
            }
        }
        Error::HttpStatus { status, .. } => match status {
            429 => Verdict::Refused {
                error,
                delay: retry_after,
            },
            503 if retry_after.is_some() => Verdict::Refused {
                error,
                delay: retry_after,
            },
            500..=599 => Verdict::Ambiguous(error),
            _ => Verdict::Final(error),
        },
        // A success status with an unreadable body: most likely cut short, after the server
        // did the work.
        Error::Decode { .. } => Verdict::Ambiguous(error),
        _ => Verdict::Final(error),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is ignored: the backoff applies instead).
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    let secs: f64 = value.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// "Repeat the request after 3 seconds": the first number in the message, in seconds.
fn delay_in_message(msg: &str) -> Option<Duration> {
    let start = msg.find(|c: char| c.is_ascii_digit())?;
    let digits: String = msg
        .get(start..)?
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    let secs: u64 = digits.parse().ok()?;
    let rest = msg.get(start + digits.len()..).unwrap_or("").trim_start();
    rest.starts_with("sec").then(|| Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_delays() {
        let mut r = HttpResponse::new(429, "");
        r.headers.push(("Retry-After".into(), "3".into()));
        assert_eq!(retry_after(&r), Some(Duration::from_secs(3)));
        r.headers[0].1 = "Wed, 21 Oct 2015 07:28:00 GMT".into();
        assert_eq!(retry_after(&r), None);
        assert_eq!(
            delay_in_message("Repeat the request after 2 seconds"),
            Some(Duration::from_secs(2))
        );
        assert_eq!(delay_in_message("Error 42 happened"), None);
    }
}
