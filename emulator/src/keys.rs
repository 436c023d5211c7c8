//! Service-account keys: the built-in development key, fresh RSA keys, and the
//! `credentials.json` text a client loads.

use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::Serialize;

/// The built-in key: public knowledge (a copy of the repository's test key), so start-up needs
/// no key generation. It authorises nothing outside an emulator.
pub const DEV_KEY_PEM: &str = include_str!("dev-key.pem");

/// A private key (PKCS#8 PEM) and its public half (SPKI PEM).
pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

impl KeyPair {
    /// A fresh 2048-bit RSA key.
    pub fn generate() -> Result<Self, String> {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .map_err(|e| format!("RSA key generation: {e}"))?;
        Self::from_private(&key)
    }

    /// The pair of a PKCS#8 PEM private key.
    pub fn from_private_pem(pem: &str) -> Result<Self, String> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .map_err(|_| "not a PKCS#8 PEM RSA private key".to_owned())?;
        Self::from_private(&key)
    }

    fn from_private(key: &RsaPrivateKey) -> Result<Self, String> {
        let private_pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| format!("encoding the private key: {e}"))?
            .to_string();
        let public_pem = RsaPublicKey::from(key)
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| format!("encoding the public key: {e}"))?;
        Ok(Self {
            private_pem,
            public_pem,
        })
    }
}

/// The text of a Voximplant `credentials.json`.
pub fn credentials_json(account_id: i64, key_id: &str, private_pem: &str) -> String {
    #[derive(Serialize)]
    struct Credentials<'a> {
        account_id: i64,
        key_id: &'a str,
        private_key: &'a str,
        account_email: &'a str,
    }
    serde_json::to_string_pretty(&Credentials {
        account_id,
        key_id,
        private_key: private_pem,
        account_email: "emulator@example.invalid",
    })
    .unwrap_or_default()
}
