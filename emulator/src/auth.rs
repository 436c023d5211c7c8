//! Authentication and roles of the Voximplant side.
//!
//! A request carries `Authorization: Bearer <JWT>` (RS256, header `kid`, claims `iss`, `iat`,
//! `exp`), checked as the real server does: the key id must be known (433), the token well formed
//! (447), the signature valid and `iss` the account (100), the lifetime at most 3600 s (454),
//! `iat` not in the future beyond a small leeway (455), `exp` not passed (456). Times are read
//! from the virtual clock. The deprecated `account_id` + `api_key` parameters are accepted too.
//! Each key has roles; a method whose spec roles the key lacks is refused with 104.
//!
//! Both ways in end in the same [`Principal`], which always carries roles, and the server makes
//! one role check on it ([`Principal::may_call`]). The account's `api_key` has the roles of the
//! first key (`--roles`, `Config::roles`): an emulator started to play a Supervisor must not
//! let the older credential of the same account do what the Supervisor may not (security review,
//! issue 14, found it allowed every method).
//!
//! Verifying an RSA signature costs tens of microseconds, so a verified token's claims are
//! cached by its text; the time checks still run on every request.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::error::{codes, VoxError};

/// How far in the future `iat` may be (clock skew between client and server).
pub const IAT_LEEWAY_SECS: i64 = 5;
/// The longest token lifetime accepted.
pub const MAX_LIFETIME_SECS: i64 = 3600;
/// Verified tokens remembered; the cache is emptied when full.
const CACHE_CAPACITY: usize = 8192;

/// A service-account key the emulator trusts.
pub struct Key {
    pub account_id: i64,
    pub roles: Vec<String>,
    decoding: DecodingKey,
}

/// Who is calling: the account, and the roles of the credential it called with.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: i64,
    pub roles: Vec<String>,
}

impl Principal {
    /// Whether these roles may call a method that allows `allowed`.
    pub fn may_call(&self, allowed: &[&str]) -> bool {
        self.roles
            .iter()
            .any(|r| allowed.iter().any(|a| a.eq_ignore_ascii_case(r)))
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
struct Claims {
    #[serde(deserialize_with = "int_or_string")]
    iss: i64,
    iat: i64,
    exp: i64,
}

fn int_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Int(i64),
        Text(String),
    }
    match Form::deserialize(d)? {
        Form::Int(i) => Ok(i),
        Form::Text(t) => t.trim().parse().map_err(serde::de::Error::custom),
    }
}

pub struct KeyStore {
    keys: RwLock<HashMap<String, Key>>,
    verified: Mutex<HashMap<String, (String, Claims)>>,
    /// The roles of the account's deprecated `api_key`.
    api_key_roles: Vec<String>,
}

impl KeyStore {
    /// An empty store; the account's `api_key` will act with `api_key_roles`.
    pub fn new(api_key_roles: Vec<String>) -> Self {
        Self {
            keys: RwLock::default(),
            verified: Mutex::default(),
            api_key_roles,
        }
    }

    /// Checks the deprecated `account_id` + `api_key` parameters against `account` (whose key
    /// the fixtures may set, so it is read from the state, not kept here).
    pub fn verify_api_key(
        &self,
        account: &crate::state::Account,
        account_id: &str,
        api_key: &str,
    ) -> Result<Principal, VoxError> {
        if account_id.trim().parse::<i64>().ok() == Some(account.account_id)
            && api_key == account.api_key
        {
            Ok(Principal {
                account_id: account.account_id,
                roles: self.api_key_roles.clone(),
            })
        } else {
            Err(VoxError::new(codes::AUTH_FAILED, "authorization failed"))
        }
    }

    /// Trusts a public key (PEM, SPKI or PKCS#1) under `key_id`.
    pub fn add(
        &self,
        key_id: &str,
        public_pem: &[u8],
        account_id: i64,
        roles: Vec<String>,
    ) -> Result<(), String> {
        let decoding = DecodingKey::from_rsa_pem(public_pem)
            .map_err(|e| format!("not an RSA public key: {e}"))?;
        self.keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(
                key_id.to_owned(),
                Key {
                    account_id,
                    roles,
                    decoding,
                },
            );
        Ok(())
    }

    /// Checks a bearer token at virtual time `now`.
    pub fn verify_token(&self, token: &str, now: i64) -> Result<Principal, VoxError> {
        let (kid, claims) = self.verified_claims(token)?;
        let keys = self
            .keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = keys
            .get(&kid)
            .ok_or_else(|| VoxError::new(codes::BAD_KEY_ID, "invalid key id"))?;
        if claims.iss != key.account_id {
            return Err(VoxError::new(
                codes::AUTH_FAILED,
                "authorization failed: iss is not the key's account",
            ));
        }
        if claims.exp.saturating_sub(claims.iat) > MAX_LIFETIME_SECS {
            return Err(VoxError::new(
                codes::TOKEN_TOO_LONG,
                "token lifetime is longer than 3600 seconds",
            ));
        }
        if claims.iat > now.saturating_add(IAT_LEEWAY_SECS) {
            return Err(VoxError::new(
                codes::TOKEN_FROM_FUTURE,
                "token is issued in the future; check the clock",
            ));
        }
        if claims.exp <= now {
            return Err(VoxError::new(codes::TOKEN_EXPIRED, "token expired"));
        }
        Ok(Principal {
            account_id: key.account_id,
            roles: key.roles.clone(),
        })
    }

    /// The key id and claims of a token whose signature is valid, from the cache when seen.
    fn verified_claims(&self, token: &str) -> Result<(String, Claims), VoxError> {
        let cache = || {
            self.verified
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(hit) = cache().get(token) {
            return Ok(hit.clone());
        }
        let malformed = || VoxError::new(codes::BAD_TOKEN, "invalid token format");
        let header = jsonwebtoken::decode_header(token).map_err(|_| malformed())?;
        if header.alg != Algorithm::RS256 {
            return Err(malformed());
        }
        let kid = header
            .kid
            .ok_or_else(|| VoxError::new(codes::BAD_KEY_ID, "the token has no kid"))?;
        let claims = {
            let keys = self
                .keys
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let key = keys
                .get(&kid)
                .ok_or_else(|| VoxError::new(codes::BAD_KEY_ID, "invalid key id"))?;
            let mut validation = Validation::new(Algorithm::RS256);
            validation.validate_exp = false;
            validation.validate_nbf = false;
            validation.validate_aud = false;
            validation.required_spec_claims.clear();
            match jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation) {
                Ok(data) => data.claims,
                Err(e) => {
                    return Err(match e.kind() {
                        jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                            VoxError::new(codes::AUTH_FAILED, "authorization failed: bad signature")
                        }
                        _ => malformed(),
                    })
                }
            }
        };
        let mut cache = cache();
        if cache.len() >= CACHE_CAPACITY {
            cache.clear();
        }
        cache.insert(token.to_owned(), (kid.clone(), claims));
        Ok((kid, claims))
    }
}

/// The bearer token of an `Authorization` header value, if it is one.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> crate::state::Account {
        crate::state::Account {
            account_id: 7,
            account_name: "a".to_owned(),
            balance: rust_decimal::Decimal::ZERO,
            api_key: "k".to_owned(),
        }
    }

    #[test]
    fn api_key_acts_with_the_configured_roles() {
        let store = KeyStore::new(vec!["Supervisor".to_owned()]);
        let p = store
            .verify_api_key(&account(), " 7", "k")
            .expect("accepted");
        assert!(p.may_call(&["Owner", "supervisor"]));
        assert!(!p.may_call(&["Owner", "Admin", "User manager"]));
        for (id, key) in [("7", "K"), ("8", "k"), ("x", "k")] {
            let e = store
                .verify_api_key(&account(), id, key)
                .expect_err("refused");
            assert_eq!(e.code, codes::AUTH_FAILED);
        }
        assert!(!KeyStore::new(Vec::new())
            .verify_api_key(&account(), "7", "k")
            .expect("accepted")
            .may_call(&["Owner"]));
    }
}
