//! Secrets never reach a Debug print, a redacted dump, a curl line or an error.
//!
//! Every request and invalid case of the vectors that carries a secret parameter is prepared,
//! and every printable form of the outcome is scanned for the secret's value. The clients'
//! configurations are scanned for the private key, the token and the API keys.

use std::path::Path;

use roster_core::dynamic::find_method;
use roster_core::{ApiKind, Credentials, VoisoClient, VoximplantAuth, VoximplantClient};
use serde_json::Value;

const CREDENTIALS: &str = include_str!("../../tests/fixtures/credentials.json");

fn assert_hidden(secret: &str, printed: &str, what: &str) {
    assert!(!secret.is_empty());
    assert!(
        !printed.contains(secret),
        "{what} leaks a secret:\n{printed}"
    );
}

/// The secret string values among the parameters of a call.
fn secrets_of(api: ApiKind, method: &str, params: &Value) -> Vec<String> {
    let info = find_method(api, method).unwrap();
    params
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| info.param(k).is_some_and(|p| p.secret))
        .filter_map(|(_, v)| v.as_str().map(str::to_owned))
        .filter(|s| s.len() >= 4)
        .collect()
}

#[test]
fn no_vector_request_or_error_prints_a_secret() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut vox =
        VoximplantClient::new(VoximplantAuth::Token("tok-abcdefgh".into()), None).unwrap();
    let mut scanned = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if file["api"] != "voximplant" {
            continue;
        }
        let method = file["method"].as_str().unwrap();
        let cases = file["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(file["invalid"].as_array().into_iter().flatten());
        for case in cases {
            let params = &case["params"];
            let secrets = secrets_of(ApiKind::Voximplant, method, params);
            if secrets.is_empty() {
                continue;
            }
            scanned += 1;
            let printed = match vox.prepare_json(method, params.clone(), 1_700_000_000) {
                Ok(req) => {
                    assert!(
                        secrets
                            .iter()
                            .all(|s| req.form_params().iter().any(|(_, v)| v == s)),
                        "the secret must still be sent"
                    );
                    format!("{req:?}\n{}\n{}", req.redacted(), req.redacted().to_curl())
                }
                Err(e) => format!("{e}\n{e:?}"),
            };
            for s in &secrets {
                assert_hidden(s, &printed, &format!("{method} / {}", case["name"]));
            }
            assert_hidden("tok-abcdefgh", &printed, method);
        }
    }
    assert!(
        scanned >= 5,
        "only {scanned} cases with secrets were scanned"
    );
}

#[test]
fn secret_parameters_of_the_wrong_shape_are_not_echoed() {
    let mut vox = VoximplantClient::new(VoximplantAuth::Token("t".into()), None).unwrap();
    let params = serde_json::json!({
        "user_name": "jdoe", "user_display_name": "J", "application_id": 1,
        "user_password": ["Sup3r$ecretValue"],
    });
    let e = vox.prepare_json("AddUser", params, 0).unwrap_err();
    assert_eq!(e.code(), "validation");
    assert_hidden("Sup3r$ecretValue", &format!("{e} {e:?}"), "type error");

    let params = serde_json::json!({
        "user_name": "jdoe", "user_display_name": "J", "application_id": 1,
        "user_password": "weak pass",
    });
    let e = vox.prepare_json("AddUser", params, 0).unwrap_err();
    assert_hidden("weak pass", &format!("{e} {e:?}"), "policy error");
}

#[test]
fn configurations_do_not_print_keys_or_tokens() {
    let creds = Credentials::from_json(CREDENTIALS).unwrap();
    let key_line = creds
        .private_key
        .expose()
        .lines()
        .nth(1)
        .unwrap()
        .to_owned();
    assert_hidden(&key_line, &format!("{creds:?}"), "credentials");

    let mut client =
        VoximplantClient::new(VoximplantAuth::service_account(&creds).unwrap(), None).unwrap();
    let req = client
        .prepare(
            &roster_core::api::voximplant::skills::GetSkills::new(),
            1_700_000_000,
        )
        .unwrap();
    let token = req
        .header("authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_owned();
    let printed = format!("{client:?} {req:?} {}", req.redacted());
    assert_hidden(&key_line, &printed, "client");
    assert_hidden(&token, &printed, "client");

    let token_client =
        VoximplantClient::new(VoximplantAuth::Token("browser-token-123".into()), None).unwrap();
    assert_hidden(
        "browser-token-123",
        &format!("{token_client:?}"),
        "token client",
    );

    let voiso = VoisoClient::new("voiso-key-secret-1", None).unwrap();
    let req = voiso
        .prepare(&roster_core::api::voiso::users::ListUsers::new())
        .unwrap();
    assert_eq!(
        req.header("authorization"),
        Some("Bearer voiso-key-secret-1")
    );
    let printed = format!(
        "{voiso:?} {req:?} {} {}",
        req.redacted(),
        req.redacted().to_curl()
    );
    assert_hidden("voiso-key-secret-1", &printed, "voiso");
}
