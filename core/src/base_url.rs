//! The base URL a client sends to: scheme, host, port and an optional path prefix.
//!
//! Every vendor client lets the user point elsewhere (regional hosts, proxies, the local
//! emulator); a prefix such as `/api` serves the Voiso paths that live under it.

use std::fmt;

use crate::error::Error;

/// A checked base URL: `http` or `https`, a host (lower-cased) with an optional port, and an
/// optional path prefix; never credentials, a query or a fragment.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://host:port`, no trailing slash.
    origin: String,
    /// `""` or `/prefix`, no trailing slash.
    prefix: String,
}

impl BaseUrl {
    /// Parses and checks a base URL (a trailing `/` is dropped). Errors are `config` errors,
    /// which never show the user name and password of a `user:password@` part.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::Config(format!("base URL {:?} {why}", shown(text)));
        let t = text.trim();
        let (scheme, rest) = t
            .split_once("://")
            .ok_or_else(|| bad("needs a scheme, http:// or https://"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad("must use http or https"));
        }
        if rest.contains(['?', '#']) {
            return Err(bad("cannot have a query or a fragment"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(bad("has no host"));
        }
        if authority.contains('@') {
            return Err(bad("must not carry credentials"));
        }
        if authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
            || path.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(bad("contains whitespace"));
        }
        if let Some((_, port)) = authority
            .rsplit_once(':')
            .filter(|_| !authority.ends_with(']'))
        {
            if port.parse::<u16>().is_err() {
                return Err(bad("has an invalid port"));
            }
        }
        Ok(Self {
            origin: format!("{scheme}://{}", authority.to_ascii_lowercase()),
            prefix: path.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL of `path` (which starts with `/`) under this base.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}{}", self.origin, self.prefix, path)
    }

    /// Whether the scheme is `https`.
    pub fn is_https(&self) -> bool {
        self.origin.starts_with("https://")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.prefix)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({self})")
    }
}

/// What an error may show of a base URL the caller gave: everything but the user name and
/// password of a `user:password@` part, which are replaced by `***`.
fn shown(text: &str) -> String {
    let t = text.trim();
    let Some((scheme, rest)) = t.split_once("://") else {
        return t.chars().take(200).collect();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at_checked(authority_end).unwrap_or((rest, ""));
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_owned(),
    };
    format!("{scheme}://{host}{tail}")
        .chars()
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_joins() {
        let b = BaseUrl::parse("https://Cluster1.voiso.com/api/").unwrap();
        assert_eq!(
            b.join("/user_management/v1/users"),
            "https://cluster1.voiso.com/api/user_management/v1/users"
        );
        let b = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            b.join("/platform_api/GetUsers"),
            "http://127.0.0.1:8080/platform_api/GetUsers"
        );
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("https://").is_err());
        assert!(BaseUrl::parse("https://x:99999").is_err());
        assert!(BaseUrl::parse("https://u:p@x").is_err());
        assert!(BaseUrl::parse("https://x/?a=1").is_err());
        assert!(BaseUrl::parse("https://[::1]:8443/p").is_ok());
        let e = BaseUrl::parse("https://admin:S3cret@host:1/p").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid configuration: base URL \"https://***@host:1/p\" must not carry credentials"
        );
        let e = BaseUrl::parse("https://a:b@c@x y").unwrap_err().to_string();
        assert!(!e.contains("a:b"), "{e}");
    }
}
