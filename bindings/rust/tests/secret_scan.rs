//! Every credential, in every wrong form a careless caller gives it, through the Rust client:
//! no fragment of the private key, a token, a password or a Voiso key may appear in any error's
//! text or `Debug`, a client's `Debug`, a prepared request's `Debug`/redacted form/curl line, or
//! an attempt record.

use std::sync::{Arc, Mutex};

use roster::core::settings::Host;
use roster::{
    BoxFuture, HttpRequest, HttpResponse, Timeouts, Transport, TransportError, Voiso, Voximplant,
};
use serde_json::json;

const CREDENTIALS: &str = include_str!("../../../tests/fixtures/credentials.json");
const TOKEN: &str = "tok-SECRET-9f8e7d6c5b4a";
const VOISO_KEY: &str = "voiso-SECRET-0a1b2c3d4e";
const PASSWORD: &str = "Pw-SECRET-1!abc";
const URL_PASSWORD: &str = "url-SECRET-pw";

/// Fragments whose presence anywhere is a leak: slices of the PEM body, the whole token, key,
/// password and the URL password.
fn fragments() -> Vec<String> {
    let creds: serde_json::Value = serde_json::from_str(CREDENTIALS).unwrap();
    let key = creds["private_key"].as_str().unwrap();
    let mut f: Vec<String> = key
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 24)
        .flat_map(|l| [l[..12].to_owned(), l[l.len() - 12..].to_owned()])
        .collect();
    f.extend(["PRIVATE KEY", TOKEN, VOISO_KEY, PASSWORD, URL_PASSWORD].map(String::from));
    f
}

fn assert_clean(what: &str, text: &str, leaks: &mut Vec<String>) {
    for f in fragments() {
        if text.contains(&f) {
            leaks.push(format!(
                "{what} shows {f:?}: {}",
                text.chars().take(200).collect::<String>()
            ));
        }
    }
}

/// A host whose environment holds what the case puts there.
struct Env(Vec<(&'static str, String)>);

impl Host for Env {
    fn env(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
    fn read_file(&self, _: &str) -> Result<Vec<u8>, String> {
        Err("No such file or directory".into())
    }
}

/// Answers 200 with a user id, and keeps nothing.
struct Ok200;

impl Transport for Ok200 {
    fn send(
        &self,
        _: HttpRequest,
        _: Timeouts,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async { Ok(HttpResponse::new(200, r#"{"result":1,"user_id":7}"#)) })
    }
}

#[tokio::test]
async fn no_credential_shows_in_any_form() {
    let creds: serde_json::Value = serde_json::from_str(CREDENTIALS).unwrap();
    let pem = creds["private_key"].as_str().unwrap().to_owned();
    let mut leaks = Vec::new();
    let mut tried = 0;

    // Voximplant credentials where a path or JSON was expected, in every form.
    let wrong_credentials = [
        format!("\u{feff}{CREDENTIALS}x"),
        pem.clone(),
        pem.replace('\n', ""),
        pem.replace('\n', "\\n"),
        CREDENTIALS.replace("\"key_id\"", "\"kid\""),
        CREDENTIALS[..CREDENTIALS.len() / 2].to_owned(),
        // A key where the path was expected: not shown, since it does not name a `.json` file
        // (a path that does is shown: a file name is not a secret).
        TOKEN.to_owned(),
    ];
    for text in &wrong_credentials {
        tried += 1;
        let by_arg = Voximplant::builder()
            .credentials_json(text.clone())
            .host(Arc::new(Env(vec![])))
            .transport(Arc::new(Ok200))
            .build();
        let by_path = Voximplant::builder()
            .credentials_file(text.clone())
            .host(Arc::new(Env(vec![])))
            .transport(Arc::new(Ok200))
            .build();
        let by_env = Voximplant::builder()
            .host(Arc::new(Env(vec![(
                "VOXIMPLANT_CREDENTIALS",
                text.clone(),
            )])))
            .transport(Arc::new(Ok200))
            .build();
        for (how, r) in [
            ("argument", by_arg),
            ("path", by_path),
            ("variable", by_env),
        ] {
            match r {
                Err(e) => {
                    assert_clean(&format!("error ({how})"), &e.to_string(), &mut leaks);
                    assert_clean(
                        &format!("error Debug ({how})"),
                        &format!("{e:?}"),
                        &mut leaks,
                    );
                }
                Ok(c) => assert_clean(
                    &format!("client Debug ({how})"),
                    &format!("{c:?}"),
                    &mut leaks,
                ),
            }
        }
    }

    // Tokens and keys with whitespace: trimmed or refused, never shown.
    for token in [
        format!("{TOKEN}\n"),
        format!("{TOKEN}\r\n"),
        format!("Bearer {TOKEN}"),
        format!("{TOKEN} x"),
    ] {
        tried += 1;
        match Voximplant::builder()
            .token(token)
            .transport(Arc::new(Ok200))
            .build()
        {
            Err(e) => assert_clean("token error", &format!("{e} {e:?}"), &mut leaks),
            Ok(c) => {
                assert_clean("client Debug", &format!("{c:?}"), &mut leaks);
                let r = c
                    .prepare_call("GetUsers", json!({"application_id": 1}))
                    .unwrap();
                assert_clean("request Debug", &format!("{r:?}"), &mut leaks);
                assert_clean("redacted request", &r.redacted().to_string(), &mut leaks);
                assert_clean("curl line", &r.redacted().to_curl(), &mut leaks);
            }
        }
    }
    for key in [format!("{VOISO_KEY}\n"), format!(" {VOISO_KEY} extra")] {
        tried += 1;
        match Voiso::builder()
            .api_key(key)
            .transport(Arc::new(Ok200))
            .build()
        {
            Err(e) => assert_clean("Voiso key error", &format!("{e} {e:?}"), &mut leaks),
            Ok(c) => {
                let r = c.prepare_call("ListUsers", json!({})).unwrap();
                assert_clean(
                    "Voiso request",
                    &format!("{r:?} {} {}", r.redacted(), r.redacted().to_curl()),
                    &mut leaks,
                );
            }
        }
    }

    // A base URL with a user and password, given and from the environment.
    for url in [
        format!("https://admin:{URL_PASSWORD}@127.0.0.1:9"),
        format!("https://{URL_PASSWORD}@h/p"),
        format!("admin:{URL_PASSWORD}@api.test"),
        format!("https:/admin:{URL_PASSWORD}@api.test"),
        format!("https://admin:pa/{URL_PASSWORD}@api.test"),
        format!("https://admin:pa?{URL_PASSWORD}@api.test"),
        format!("https://api.test/?api_key={URL_PASSWORD}"),
        format!("https://api.test/#{URL_PASSWORD}"),
        URL_PASSWORD.to_owned(),
    ] {
        tried += 1;
        let e = Voiso::builder()
            .api_key("k")
            .base_url(url.clone())
            .build()
            .unwrap_err();
        assert_clean("base URL error", &format!("{e} {e:?}"), &mut leaks);
        let e = Voximplant::builder()
            .token("t")
            .host(Arc::new(Env(vec![("VOXIMPLANT_BASE_URL", url)])))
            .build()
            .unwrap_err();
        assert_clean(
            "base URL error (variable)",
            &format!("{e} {e:?}"),
            &mut leaks,
        );
    }

    // A password parameter: in the prepared request, the attempt records and a refusal.
    tried += 1;
    let records = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&records);
    let vox = Voximplant::builder()
        .credentials_json(CREDENTIALS)
        .transport(Arc::new(Ok200))
        .on_attempt(move |e| seen.lock().unwrap().push(e.to_string()))
        .build()
        .unwrap();
    let params = json!({"user_name": "jdoe", "user_display_name": "J", "user_password": PASSWORD, "application_id": 1});
    let r = vox.prepare_call("AddUser", params.clone()).unwrap();
    assert_clean(
        "AddUser request",
        &format!("{r:?} {} {}", r.redacted(), r.redacted().to_curl()),
        &mut leaks,
    );
    vox.call("AddUser", params).await.unwrap();
    assert_clean(
        "attempt records",
        &records.lock().unwrap().join("\n"),
        &mut leaks,
    );
    let weak = json!({"user_name": "jdoe", "user_display_name": "J", "user_password": format!("{PASSWORD} "), "application_id": 1});
    let e = vox.call("AddUser", weak).await.unwrap_err();
    assert_clean("password refusal", &format!("{e} {e:?}"), &mut leaks);

    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    println!("secret scan: {tried} credential forms, 0 leaks");
}
