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
    /// which never show the user name and password of a `user:password@` part, a query or a
    /// fragment, or text with no scheme (see [`shown`]).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::Config(format!("base URL {} {why}", shown(text)));
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

/// What an error may show of a base URL the caller gave, quoted: its scheme, host, port and
/// path. A `user:password@` part (up to the last `@`, wherever it is: a password may hold a
/// `/`, `?` or `#`) and a query or fragment (where a legacy `?api_key=` sits) are replaced by
/// `***`. Text with no `://` may be a key given where the URL was expected (a swapped
/// variable), or a malformed URL with a password, so only its length is shown.
fn shown(text: &str) -> String {
    let t = text.trim();
    let Some((scheme, rest)) = t.split_once("://") else {
        return format!("of {} characters (not shown)", t.chars().count());
    };
    let (user, rest) = match rest.rsplit_once('@') {
        Some((_, host)) => ("***@", host),
        None => ("", rest),
    };
    // `?` and `#` are one byte each, so the split is on a character boundary.
    let rest = match rest
        .find(['?', '#'])
        .and_then(|i| rest.split_at_checked(i + 1))
    {
        Some((kept, _)) => format!("{kept}***"),
        None => rest.to_owned(),
    };
    let url: String = format!("{scheme}://{user}{rest}")
        .chars()
        .take(200)
        .collect();
    format!("{url:?}")
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
        // A legacy key in the query, a fragment, a key where the URL was expected: not shown.
        let e = BaseUrl::parse("https://api.voximplant.com/?account_id=1&api_key=K3y")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "invalid configuration: base URL \"https://api.voximplant.com/?***\" cannot have a \
             query or a fragment"
        );
        let e = BaseUrl::parse("https://h#K3y").unwrap_err().to_string();
        assert!(e.contains("\"https://h#***\"") && !e.contains("K3y"), "{e}");
        for url in [
            "https://admin:pa/S3cret@api.test",
            "https://admin:pa#S3cret@api.test",
            "https://admin:pa?S3cret@api.test/p",
            "https:/admin:S3cret@api.test",
            "admin:S3cret@api.test",
            "ftp://admin:S3cret@api.test",
            "https://admin:S3cret@api .test",
        ] {
            let e = BaseUrl::parse(url).unwrap_err().to_string();
            assert!(!e.contains("S3cret"), "{e}");
        }
        let e = BaseUrl::parse(" voiso-K3y-0a1b\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid configuration: base URL of 14 characters (not shown) needs a scheme, \
             http:// or https://"
        );
    }
}
