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
    /// The account the key belongs to, and the tokens' `iss` unless an issuer overrides it.
    /// Read from a JSON number or a numeric string.
    #[serde(deserialize_with = "int_or_string")]
    pub account_id: i64,
    /// The id of the service-account key, sent as the `kid` of each token's header.
    pub key_id: String,
    /// PEM, PKCS#8.
    pub private_key: Secret<String>,
    /// The account's e-mail address, when the file has one; not used to sign.
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
        check_lifetime(&settings)?;
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
            if fresh(c.issued_at, c.expires_at, now, &self.settings) {
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

    /// The id of the key tokens are signed with (their `kid`).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The account tokens are issued for (their `iss`): the credentials' account, or the child
    /// account given to [`ServiceAccount::new`].
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
    /// Tokens the core prepares and the host signs ([`HostSigner`]).
    HostSigned(Box<HostSigner>),
    /// Tokens the host's provider callback supplies when the call machine asks
    /// ([`crate::call::Step::Token`]).
    Provider(ProvidedToken),
    /// The deprecated `account_id` + `api_key` parameters.
    ApiKey {
        /// Sent as the `account_id` parameter of every request.
        account_id: i64,
        /// Sent as the `api_key` parameter, redacted wherever the request is shown.
        api_key: Secret<String>,
    },
}

impl VoximplantAuth {
    /// Signs with the key of `credentials`, with the default token settings.
    pub fn service_account(credentials: &Credentials) -> Result<Self, Error> {
        ServiceAccount::new(credentials, TokenSettings::default(), None)
            .map(|s| Self::ServiceAccount(Box::new(s)))
    }
}

/// What the call machine asks the host for before a request: a token from its provider, or,
/// for a client whose host signs ([`HostSigner`]), the signature of prepared claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The server refused the last token (455/456), or it passed its `exp`: the provider must
    /// not hand back a token it cached.
    pub force_refresh: bool,
    /// Set when the host signs the core's prepared claims: sign this, and answer with the
    /// signature's bytes instead of a token.
    pub sign: Option<SigningRequest>,
}

impl TokenRequest {
    /// Asks a token provider for a token.
    pub fn provider(force_refresh: bool) -> Self {
        Self {
            force_refresh,
            sign: None,
        }
    }
}

/// Claims the core prepared for the host to sign (WebCrypto in browsers and Node): the host
/// holds the key, the core makes the token around the signature and caches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningRequest {
    /// The JWS algorithm: `RS256` (RSASSA-PKCS1-v1_5 with SHA-256).
    pub algorithm: &'static str,
    /// The key id, as in the token's `kid` header.
    pub key_id: String,
    /// `base64url(header).base64url(claims)`: the exact bytes to sign (ASCII).
    pub signing_input: String,
    issued_at: u64,
    expires_at: u64,
}

/// A service account whose host signs the tokens: the core prepares the header and claims
/// (`kid`, `iss`, back-dated `iat`, `exp`), the host signs them with the key it holds, and the
/// core assembles the token and caches it like [`ServiceAccount`] does.
#[derive(Debug)]
pub struct HostSigner {
    key_id: String,
    issuer: i64,
    settings: TokenSettings,
    cached: Option<HostSigned>,
}

#[derive(Debug)]
struct HostSigned {
    token: Secret<String>,
    issued_at: u64,
    expires_at: u64,
}

impl HostSigner {
    /// A signer for the key `key_id` of account `issuer` (a child account's id to act for it).
    pub fn new(key_id: &str, issuer: i64, settings: TokenSettings) -> Result<Self, Error> {
        check_lifetime(&settings)?;
        Ok(Self {
            key_id: key_id.to_owned(),
            issuer,
            settings,
            cached: None,
        })
    }

    /// What to ask the host to sign before a request at `now`, if the cached token will not do.
    pub fn wanted(&self, now: u64) -> Option<TokenRequest> {
        if let Some(c) = &self.cached {
            if fresh(c.issued_at, c.expires_at, now, &self.settings) {
                return None;
            }
        }
        use base64::Engine as _;
        let b64 = |v: &serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
        };
        let issued_at = now.saturating_sub(self.settings.backdate_secs);
        let expires_at = issued_at.saturating_add(self.settings.lifetime_secs);
        let header = serde_json::json!({"typ": "JWT", "alg": "RS256", "kid": self.key_id});
        let claims = serde_json::json!({"iss": self.issuer, "iat": issued_at, "exp": expires_at});
        Some(TokenRequest {
            force_refresh: false,
            sign: Some(SigningRequest {
                algorithm: "RS256",
                key_id: self.key_id.clone(),
                signing_input: format!("{}.{}", b64(&header), b64(&claims)),
                issued_at,
                expires_at,
            }),
        })
    }

    /// Takes the host's signature of `request` and caches the token it completes.
    pub fn accept(&mut self, request: &SigningRequest, signature: &[u8]) -> Result<(), Error> {
        use base64::Engine as _;
        if signature.is_empty() {
            return Err(Error::Auth(
                "the host returned an empty signature".to_owned(),
            ));
        }
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature);
        self.cached = Some(HostSigned {
            token: Secret::new(format!("{}.{signature}", request.signing_input)),
            issued_at: request.issued_at,
            expires_at: request.expires_at,
        });
        Ok(())
    }

    /// The token to send, once the host signed one.
    pub fn token(&self) -> Option<&Secret<String>> {
        self.cached.as_ref().map(|c| &c.token)
    }

    /// Forgets the token (the server refused it); the next request asks for a new signature.
    pub fn invalidate(&mut self) {
        self.cached = None;
    }
}

/// Whether a token issued at `issued_at` and expiring at `expires_at` may still be sent at
/// `now`: not dated in the future, and more than the refresh margin left.
fn fresh(issued_at: u64, expires_at: u64, now: u64, settings: &TokenSettings) -> bool {
    now >= issued_at && now.saturating_add(settings.refresh_margin_secs) < expires_at
}

fn check_lifetime(settings: &TokenSettings) -> Result<(), Error> {
    if settings.lifetime_secs == 0 || settings.lifetime_secs > MAX_TOKEN_LIFETIME {
        return Err(Error::Config(format!(
            "token lifetime must be 1..={MAX_TOKEN_LIFETIME} seconds, got {}",
            settings.lifetime_secs
        )));
    }
    Ok(())
}

/// A token from the host's provider, kept until the server refuses it or its `exp` passes.
#[derive(Default)]
pub struct ProvidedToken {
    token: Option<Secret<String>>,
    expires_at: Option<u64>,
    refused: bool,
}

impl fmt::Debug for ProvidedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProvidedToken")
            .field(
                "token",
                &self.token.as_ref().map(|_| crate::secret::REDACTED),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl ProvidedToken {
    /// What to ask the provider for before a request at `now` (Unix seconds), if anything.
    pub fn wanted(&self, now: u64) -> Option<TokenRequest> {
        let expired = self.expires_at.is_some_and(|exp| now >= exp);
        match &self.token {
            Some(_) if !self.refused && !expired => None,
            Some(_) => Some(TokenRequest::provider(true)),
            None => Some(TokenRequest::provider(self.refused)),
        }
    }

    /// Takes the provider's answer. The token follows the rule of every key and token
    /// ([`crate::secret::secret_text`]); one whose `exp` has already passed is refused, so a
    /// provider handing back a stale cache cannot loop the machine.
    pub fn accept(&mut self, raw: &[u8], now: u64) -> Result<(), Error> {
        let token =
            crate::secret::secret_text("the token", &crate::secret::Source::TokenProvider, raw)?;
        let expires_at = jwt_expiry(token.expose());
        if expires_at.is_some_and(|exp| now >= exp) {
            return Err(Error::Auth(
                "the token provider returned a token that has already expired".to_owned(),
            ));
        }
        self.token = Some(token);
        self.expires_at = expires_at;
        self.refused = false;
        Ok(())
    }

    /// The token to send, if the provider gave one.
    pub fn token(&self) -> Option<&Secret<String>> {
        self.token.as_ref()
    }

    /// Forgets a token the server refused; the next request asks with `force_refresh`.
    pub fn invalidate(&mut self) {
        self.token = None;
        self.refused = true;
    }
}

/// The `exp` claim of a JWT, read without checking the signature (only to know when to ask
/// for a new one); `None` for a token that is not a JWT.
fn jwt_expiry(token: &str) -> Option<u64> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp")?.as_u64()
}

#[cfg(test)]
mod provided_token_tests {
    use super::*;

    fn jwt(exp: u64) -> String {
        use base64::Engine as _;
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.sig",
            enc(r#"{"alg":"RS256"}"#),
            enc(&format!(r#"{{"exp":{exp}}}"#))
        )
    }

    #[test]
    fn asks_first_then_keeps_the_token_until_refused_or_expired() {
        let mut p = ProvidedToken::default();
        assert_eq!(p.wanted(100), Some(TokenRequest::provider(false)));
        p.accept(jwt(200).as_bytes(), 100).unwrap();
        assert_eq!(p.wanted(150), None);
        assert_eq!(p.wanted(200), Some(TokenRequest::provider(true)));
        p.invalidate();
        assert_eq!(p.wanted(150), Some(TokenRequest::provider(true)));
        p.accept(b"opaque-token\n", 150).unwrap();
        assert_eq!(p.token().unwrap().expose(), "opaque-token");
        assert_eq!(p.wanted(10_000), None);
    }

    #[test]
    fn refuses_stale_and_malformed_tokens_without_showing_them() {
        let mut p = ProvidedToken::default();
        let e = p.accept(jwt(50).as_bytes(), 100).unwrap_err();
        assert_eq!(e.code(), "auth");
        let e = p.accept(b"Bearer secret-tok", 100).unwrap_err().to_string();
        assert!(
            !e.contains("secret-tok") && e.contains("token provider"),
            "{e}"
        );
    }
}
