//! HTTPS: a fresh self-signed CA per emulator, and a server certificate for `127.0.0.1`,
//! `localhost` and `::1` signed by it. Clients trust the CA's PEM (`ca_pem()`, `--ca-out`); a
//! new CA each run means no certificate outlives its emulator.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The server side of TLS, and the CA certificate clients should trust.
pub struct Tls {
    pub config: Arc<rustls::ServerConfig>,
    pub ca_pem: String,
}

pub fn generate() -> Result<Tls, String> {
    let err = |e: &dyn std::fmt::Display| format!("TLS setup: {e}");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(|e| err(&e))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "roster-emulator local CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().map_err(|e| err(&e))?)
        .map_err(|e| err(&e))?;

    let names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let mut leaf_params = CertificateParams::new(names).map_err(|e| err(&e))?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "roster-emulator");
    let leaf_key = KeyPair::generate().map_err(|e| err(&e))?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca).map_err(|e| err(&e))?;

    let chain = vec![leaf.der().clone(), CertificateDer::from(ca.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| err(&e))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|e| err(&e))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        ca_pem: ca.pem(),
    })
}
