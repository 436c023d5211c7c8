//! Token minting and caching, checked against the public key the way a server checks them.

use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use roster_core::{
    Credentials, Error, ServiceAccount, TokenSettings, VoximplantAuth, VoximplantClient,
};
use serde::Deserialize;

const CREDENTIALS: &str = include_str!("../../tests/fixtures/credentials.json");
const PUBLIC_KEY: &str = include_str!("../../tests/fixtures/test-key.pub.pem");
const NOW: u64 = 1_700_000_000;

#[derive(Debug, Deserialize)]
struct Claims {
    iss: i64,
    iat: u64,
    exp: u64,
}

fn claims(token: &str) -> Claims {
    let key = DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap();
    let mut v = Validation::new(Algorithm::RS256);
    v.validate_exp = false;
    v.required_spec_claims.clear();
    decode::<Claims>(token, &key, &v).unwrap().claims
}

fn account(settings: TokenSettings) -> ServiceAccount {
    ServiceAccount::new(
        &Credentials::from_json(CREDENTIALS).unwrap(),
        settings,
        None,
    )
    .unwrap()
}

#[test]
fn signs_rs256_with_kid_iss_and_backdated_iat() {
    let mut a = account(TokenSettings::default());
    let token = a.token(NOW).unwrap();
    let header = decode_header(token.expose()).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), Some("0f4e6c2a-test-key"));
    let c = claims(token.expose());
    assert_eq!(c.iss, 1_234_567);
    assert_eq!(c.iat, NOW - 10);
    assert_eq!(c.exp - c.iat, 3600);
}

#[test]
fn caches_until_the_refresh_margin_then_re_mints() {
    let mut a = account(TokenSettings::default());
    let first = a.token(NOW).unwrap();
    assert_eq!(a.token(NOW + 1000).unwrap(), first, "reused while fresh");
    // exp = NOW - 10 + 3600; the margin is 300 s.
    assert_eq!(a.token(NOW + 3589 - 300 - 1).unwrap(), first);
    let second = a.token(NOW + 3590 - 300).unwrap();
    assert_ne!(second, first, "re-minted inside the margin");
    assert_eq!(claims(second.expose()).iat, NOW + 3590 - 300 - 10);
}

#[test]
fn invalidate_and_clock_going_back_force_a_new_token() {
    let mut a = account(TokenSettings::default());
    let first = a.token(NOW).unwrap();
    a.invalidate();
    let second = a.token(NOW + 1).unwrap();
    assert_ne!(first, second);
    // The clock jumped back before the cached token's iat: a server would call it "issued in the
    // future", so a new one is signed.
    let third = a.token(NOW - 100).unwrap();
    assert_eq!(claims(third.expose()).iat, NOW - 110);
}

#[test]
fn child_account_issuer_and_short_lifetime() {
    let creds = Credentials::from_json(CREDENTIALS).unwrap();
    let settings = TokenSettings {
        lifetime_secs: 60,
        ..TokenSettings::default()
    };
    let mut a = ServiceAccount::new(&creds, settings, Some(42)).unwrap();
    let c = claims(a.token(NOW).unwrap().expose());
    assert_eq!(c.iss, 42);
    assert_eq!(c.exp - c.iat, 60);
}

#[test]
fn lifetime_over_an_hour_is_a_config_error() {
    let creds = Credentials::from_json(CREDENTIALS).unwrap();
    let settings = TokenSettings {
        lifetime_secs: 3601,
        ..TokenSettings::default()
    };
    let e = ServiceAccount::new(&creds, settings, None).unwrap_err();
    assert_eq!(e.code(), "config");
}

#[test]
fn bad_credentials_never_echo_the_key() {
    let e = Credentials::from_json(r#"{"account_id": 1, "key_id": "k"}"#).unwrap_err();
    assert_eq!(e.code(), "auth");
    assert!(e.to_string().contains("private_key"), "{e}");

    let text = CREDENTIALS.replace("BEGIN PRIVATE KEY", "BEGIN NONSENSE");
    let creds = Credentials::from_json(&text).unwrap();
    let e = ServiceAccount::new(&creds, TokenSettings::default(), None).unwrap_err();
    assert!(matches!(e, Error::Auth(_)));
    assert!(!e.to_string().contains("MII"), "{e}");

    let e = Credentials::from_json(&CREDENTIALS.replace("\"account_id\"", "\"account_id\" x"))
        .unwrap_err();
    assert!(!e.to_string().contains("MII"), "{e}");
}

#[test]
fn client_puts_the_token_in_the_authorization_header() {
    let creds = Credentials::from_json(CREDENTIALS).unwrap();
    let mut client =
        VoximplantClient::new(VoximplantAuth::service_account(&creds).unwrap(), None).unwrap();
    let req = client
        .prepare(&roster_core::api::voximplant::skills::GetSkills::new(), NOW)
        .unwrap();
    let auth = req.header("authorization").unwrap();
    let token = auth.strip_prefix("Bearer ").unwrap();
    assert_eq!(claims(token).iss, 1_234_567);
    assert!(!format!("{req:?}").contains(token));
}

#[test]
fn legacy_api_key_goes_in_the_body_and_is_redacted() {
    let auth = VoximplantAuth::ApiKey {
        account_id: 7,
        api_key: "legacy-secret-key".into(),
    };
    let mut client = VoximplantClient::new(auth, None).unwrap();
    let req = client
        .prepare(&roster_core::api::voximplant::skills::GetSkills::new(), NOW)
        .unwrap();
    let body: Vec<(String, String)> = req.form_params();
    assert!(body.contains(&("account_id".into(), "7".into())));
    assert!(body.contains(&("api_key".into(), "legacy-secret-key".into())));
    assert!(req.header("authorization").is_none());
    assert!(!format!("{req:?}").contains("legacy-secret-key"));
    assert!(!req.redacted().to_curl().contains("legacy-secret-key"));
}
