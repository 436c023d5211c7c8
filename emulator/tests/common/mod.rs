//! Helpers shared by the integration tests: an emulator plus clients pointed at it.
#![allow(dead_code)]

use roster_emulator::{Config, Emulator, EmulatorHandle};

pub async fn emulator(tls: bool) -> EmulatorHandle {
    Emulator::start(Config {
        tls,
        ..Config::default()
    })
    .await
    .expect("emulator starts")
}

pub fn client(emu: &EmulatorHandle) -> roster::Voximplant {
    let mut b = roster::Voximplant::builder()
        .credentials_json(emu.credentials_json())
        .base_url(emu.base_url());
    if let Some(pem) = emu.ca_pem() {
        b = b.ca_pem(pem.as_bytes().to_vec());
    }
    b.build().expect("client builds")
}

/// A client that sends a token minted elsewhere.
pub fn token_client(emu: &EmulatorHandle, token: &str) -> roster::Voximplant {
    roster::Voximplant::builder()
        .token(token)
        .base_url(emu.base_url())
        .build()
        .expect("client builds")
}

/// The API error code of a failed call.
pub fn code<T: std::fmt::Debug>(r: Result<T, roster::Error>) -> i64 {
    match r {
        Err(roster::Error::Api(e)) => e.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Signs an RS256 token with the emulator's first key and the given claims.
pub fn sign(emu: &EmulatorHandle, kid: &str, iss: i64, iat: i64, exp: i64) -> String {
    let creds: serde_json::Value = serde_json::from_str(emu.credentials_json()).expect("json");
    let pem = creds["private_key"].as_str().expect("key");
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).expect("pem");
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(
        &header,
        &serde_json::json!({ "iss": iss, "iat": iat, "exp": exp }),
        &key,
    )
    .expect("sign")
}

/// POSTs an urlencoded body authorised with the account's `api_key` and returns the JSON answer.
pub async fn post_form(
    emu: &EmulatorHandle,
    method: &str,
    params: &[(&str, &str)],
) -> serde_json::Value {
    serde_json::from_str(&post_form_text(emu, method, params).await).expect("json")
}

/// The same, with the answer's exact text.
pub async fn post_form_text(emu: &EmulatorHandle, method: &str, params: &[(&str, &str)]) -> String {
    let account = emu.account_id().to_string();
    let key = emu.api_key();
    let mut form: Vec<(&str, &str)> = vec![("account_id", &account), ("api_key", &key)];
    form.extend_from_slice(params);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let resp = reqwest::Client::new()
        .post(format!("{}/platform_api/{method}", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("sent");
    resp.text().await.expect("text")
}

pub fn error_code(v: &serde_json::Value) -> Option<i64> {
    v["error"]["code"].as_i64()
}
