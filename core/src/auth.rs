//! Credentials and tokens.
//!
//! Voximplant service accounts sign their own short-lived RS256 JWTs: header `kid` = key id,
//! claims `iss` = account id, `iat`, `exp`, with `exp - iat` at most 3600 s. The vendor clients
//! re-parse the PEM key and sign a fresh token on every call; here the key is parsed once and
//! the token is cached until shortly before it expires. Time is passed in (`now`, Unix
//! seconds), so tests control it and the core stays free of clocks.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::error::Error;
use crate::secret::Secret;

/// The longest token lifetime the server accepts.
pub const MAX_TOKEN_LIFETIME: u64 = 3600;

/// The contents of a Voximplant `credentials.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Credentials {
    #[serde(deserialize_with = "int_or_string")]
    pub account_id: i64,
    pub key_id: String,
    /// PEM, PKCS#8.
    pub private_key: Secret<String>,
    #[serde(default)]
    pub account_email: Option<String>,
}

fn int_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOrString {
        Int(i64),
        String(String),
    }
    match IntOrString::deserialize(d)? {
        IntOrString::Int(i) => Ok(i),
        IntOrString::String(s) => s.trim().parse().map_err(serde::de::Error::custom),
    }
}

impl Credentials {
    /// Reads the JSON text of a `credentials.json`. The error never quotes the text, which
    /// holds the private key.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Data => {
                    // serde's data errors name the field, not its value.
                    let msg = e.to_string();
                    msg.split(" at line")
                        .next()
                        .unwrap_or("invalid field")
                        .to_owned()
                }
                _ => format!("not valid JSON (line {}, column {})", e.line(), e.column()),
            };
            Error::Auth(format!("credentials JSON: {what}"))
        })
    }
}

/// How tokens are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenSettings {
    /// `exp - iat`, at most [`MAX_TOKEN_LIFETIME`].
    pub lifetime_secs: u64,
    /// How far `iat` is set in the past, to survive clock skew with the server.
    pub backdate_secs: u64,
    /// A cached token is replaced when it has less than this left.
    pub refresh_margin_secs: u64,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            lifetime_secs: MAX_TOKEN_LIFETIME,
            backdate_secs: 10,
            refresh_margin_secs: 300,
        }
    }
}

/// A service-account key that signs tokens, with the last token cached.
pub struct ServiceAccount {
    key_id: String,
    issuer: i64,
    key: jsonwebtoken::EncodingKey,
    settings: TokenSettings,
    cached: Option<CachedToken>,
}

struct CachedToken {
    token: Secret<String>,
    issued_at: u64,
    expires_at: u64,
}

#[derive(serde::Serialize)]
struct Claims {
    iss: i64,
    iat: u64,
    exp: u64,
}

impl ServiceAccount {
    /// Parses the private key once. `issuer` overrides the account id, to act for a child
    /// account.
    pub fn new(
        credentials: &Credentials,
        settings: TokenSettings,
        issuer: Option<i64>,
    ) -> Result<Self, Error> {
        if settings.lifetime_secs == 0 || settings.lifetime_secs > MAX_TOKEN_LIFETIME {
            return Err(Error::Config(format!(
                "token lifetime must be 1..={MAX_TOKEN_LIFETIME} seconds, got {}",
                settings.lifetime_secs
            )));
        }
        let key =
            jsonwebtoken::EncodingKey::from_rsa_pem(credentials.private_key.expose().as_bytes())
                .map_err(|_| Error::Auth("private_key is not a PEM RSA private key".to_owned()))?;
        Ok(Self {
            key_id: credentials.key_id.clone(),
            issuer: issuer.unwrap_or(credentials.account_id),
            key,
            settings,
            cached: None,
        })
    }

    /// A token valid at `now`: the cached one while it has more than the refresh margin left,
    /// else a new one.
    pub fn token(&mut self, now: u64) -> Result<Secret<String>, Error> {
        if let Some(c) = &self.cached {
            let fresh = now >= c.issued_at
                && now.saturating_add(self.settings.refresh_margin_secs) < c.expires_at;
            if fresh {
                return Ok(c.token.clone());
            }
        }
        let issued_at = now.saturating_sub(self.settings.backdate_secs);
        let expires_at = issued_at + self.settings.lifetime_secs;
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.key_id.clone());
        let claims = Claims {
            iss: self.issuer,
            iat: issued_at,
            exp: expires_at,
        };
        let token = jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| Error::Auth(format!("cannot sign a token: {e}")))?;
        let token = Secret::new(token);
        self.cached = Some(CachedToken {
            token: token.clone(),
            issued_at,
            expires_at,
        });
        Ok(token)
    }

    /// Drops the cached token, so the next call signs a new one (after the server said the
    /// token expired or is not yet valid).
    pub fn invalidate(&mut self) {
        self.cached = None;
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn issuer(&self) -> i64 {
        self.issuer
    }
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("key_id", &self.key_id)
            .field("issuer", &self.issuer)
            .field("key", &crate::secret::REDACTED)
            .field("settings", &self.settings)
            .finish()
    }
}

/// How Voximplant requests are authorised.
#[derive(Debug)]
pub enum VoximplantAuth {
    /// Sign tokens with a service-account key.
    ServiceAccount(Box<ServiceAccount>),
    /// A token minted elsewhere (a browser app's backend); sent as is.
    Token(Secret<String>),
    /// The deprecated `account_id` + `api_key` parameters.
    ApiKey {
        account_id: i64,
        api_key: Secret<String>,
    },
}

impl VoximplantAuth {
    pub fn service_account(credentials: &Credentials) -> Result<Self, Error> {
        ServiceAccount::new(credentials, TokenSettings::default(), None)
            .map(|s| Self::ServiceAccount(Box::new(s)))
    }
}
