//! HTTP requests and responses as plain values.
//!
//! The core never performs I/O: it hands the binding an [`HttpRequest`] to send and takes back
//! an [`HttpResponse`]. `Debug` and [`HttpRequest::redacted`] print a request with the
//! `Authorization` header and every secret parameter replaced by `[redacted]`, so a request can
//! be logged or shown by a dry run as it is.

use std::fmt;

use crate::secret::REDACTED;

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`: Voiso's reads, parameters in the query string.
    Get,
    /// `POST`: every Voximplant method, parameters in a form-urlencoded body.
    Post,
}

impl HttpMethod {
    /// The method as it goes on the wire: `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Headers whose values are credentials.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

/// A request ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The HTTP method to send with.
    pub method: HttpMethod,
    /// The full URL, query string included.
    pub url: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    /// The bytes to send as the body: Voximplant's form-urlencoded parameters; empty for Voiso.
    pub body: Vec<u8>,
    /// Names of form/query parameters whose values are secret.
    pub(crate) secret_params: Vec<&'static str>,
}

impl HttpRequest {
    /// The value of the first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path and query of the URL (`/platform_api/AddUser`).
    pub fn path_and_query(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, rest)| rest);
        rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/")
    }

    /// The form parameters of the body, decoded (empty for a body that is not a form).
    pub fn form_params(&self) -> Vec<(String, String)> {
        if self.header("content-type") != Some(FORM) {
            return Vec::new();
        }
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The query parameters of the URL, decoded.
    pub fn query_params(&self) -> Vec<(String, String)> {
        match self.url.split_once('?') {
            Some((_, q)) => form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
            None => Vec::new(),
        }
    }

    /// A view that prints without secrets: as an HTTP message (`Display`) or as curl.
    pub fn redacted(&self) -> Redacted<'_> {
        Redacted(self)
    }

    fn is_secret(&self, name: &str) -> bool {
        self.secret_params.contains(&name)
    }

    fn redacted_pairs(&self, text: &str) -> String {
        form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| {
                let key: String = form_urlencoded::byte_serialize(k.as_bytes()).collect();
                if self.is_secret(&k) {
                    format!("{key}={REDACTED}")
                } else {
                    let value: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
                    format!("{key}={value}")
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    pub(crate) fn redacted_url(&self) -> String {
        match self.url.split_once('?') {
            Some((base, q)) => format!("{base}?{}", self.redacted_pairs(q)),
            None => self.url.clone(),
        }
    }

    fn redacted_body(&self) -> String {
        if self.body.is_empty() {
            String::new()
        } else if self.header("content-type") == Some(FORM) {
            self.redacted_pairs(&String::from_utf8_lossy(&self.body))
        } else {
            format!("({} bytes)", self.body.len())
        }
    }

    fn redacted_headers(&self) -> impl Iterator<Item = (&str, String)> {
        self.headers.iter().map(|(k, v)| {
            let shown = if SENSITIVE_HEADERS.contains(&k.as_str()) {
                match v.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                    None => REDACTED.to_owned(),
                }
            } else {
                v.clone()
            };
            (k.as_str(), shown)
        })
    }
}

pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> = self.redacted_headers().collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("headers", &headers)
            .field("body", &self.redacted_body())
            .finish()
    }
}

/// A request printed without its secrets.
pub struct Redacted<'a>(&'a HttpRequest);

impl Redacted<'_> {
    /// A curl command line that would send this request, secrets replaced by `[redacted]`.
    pub fn to_curl(&self) -> String {
        let r = self.0;
        let mut out = format!("curl -X {} {}", r.method, shell_quote(&r.redacted_url()));
        for (k, v) in r.redacted_headers() {
            out.push_str(" \\\n  -H ");
            out.push_str(&shell_quote(&format!("{k}: {v}")));
        }
        let body = r.redacted_body();
        if !body.is_empty() {
            out.push_str(" \\\n  --data-raw ");
            out.push_str(&shell_quote(&body));
        }
        out
    }
}

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        writeln!(f, "{} {}", r.method, r.redacted_url())?;
        for (k, v) in r.redacted_headers() {
            writeln!(f, "{k}: {v}")?;
        }
        let body = r.redacted_body();
        if !body.is_empty() {
            writeln!(f)?;
            writeln!(f, "{body}")?;
        }
        Ok(())
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// An answer as the transport received it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Names in any case; looked up case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The raw body, which the protocol modules parse (Voximplant's JSON envelope, Voiso's bare
    /// JSON).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// An answer with this status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The value of the first header called `name`, compared case-insensitively (`Retry-After`).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &crate::error::excerpt(&self.body))
            .finish()
    }
}
