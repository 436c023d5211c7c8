//! Building clients from the environment and from files. The only test in this binary, so
//! changing process environment variables races with nothing.

use std::sync::Arc;

use roster::voiso::users::ListUsers;
use roster::voximplant::users::GetUsers;
use roster::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError, Voiso, Voximplant};

const CREDENTIALS: &str = include_str!("../../../tests/fixtures/credentials.json");

/// Never called: these tests only build clients and prepare requests.
struct Unused;

impl Transport for Unused {
    fn send(
        &self,
        _: HttpRequest,
        _: roster::Timeouts,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        unreachable!("nothing is sent")
    }
}

#[test]
fn credentials_file_from_env_and_missing_files() {
    // One test owns the process environment, so nothing races on it.
    let dir = std::env::temp_dir().join(format!("roster-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("credentials.json");
    std::fs::write(&path, CREDENTIALS).unwrap();

    std::env::set_var("VOXIMPLANT_CREDENTIALS", &path);
    std::env::set_var("VOXIMPLANT_BASE_URL", "http://127.0.0.1:1");
    let t = Arc::new(Unused);
    let client = Voximplant::builder().transport(t).build().unwrap();
    let req = client.prepare(&GetUsers::new().application_id(1)).unwrap();
    assert_eq!(req.url, "http://127.0.0.1:1/platform_api/GetUsers");

    std::env::set_var("VOXIMPLANT_CREDENTIALS", dir.join("missing.json"));
    let e = Voximplant::from_env().unwrap_err();
    assert_eq!(e.code(), "config");
    assert!(e.to_string().contains("missing.json"), "{e}");

    std::env::remove_var("VOXIMPLANT_CREDENTIALS");
    let e = Voximplant::from_env().unwrap_err();
    assert!(e.to_string().contains("VOXIMPLANT_CREDENTIALS"), "{e}");

    // A file that is not credentials: the error must not quote it.
    let junk = dir.join("junk.json");
    std::fs::write(
        &junk,
        r#"{"private_key": "-----BEGIN PRIVATE KEY----- SECRETSTUFF"}"#,
    )
    .unwrap();
    let e = Voximplant::builder()
        .credentials_file(&junk)
        .build()
        .unwrap_err();
    assert!(!e.to_string().contains("SECRETSTUFF"), "{e}");
    std::env::remove_var("VOXIMPLANT_BASE_URL");

    std::env::set_var("VOISO_API_KEY", "voiso-key-1");
    std::env::set_var("VOISO_BASE_URL", "https://cluster9.voiso.com/api");
    let voiso = Voiso::builder()
        .transport(Arc::new(Unused))
        .build()
        .unwrap();
    let req = voiso.prepare(&ListUsers::new().email("a@b.c")).unwrap();
    assert_eq!(
        req.url,
        "https://cluster9.voiso.com/api/user_management/v1/users?email=a%40b.c"
    );
    assert_eq!(req.header("authorization"), Some("Bearer voiso-key-1"));
    std::env::remove_var("VOISO_API_KEY");
    std::env::remove_var("VOISO_BASE_URL");
    assert_eq!(Voiso::from_env().unwrap_err().code(), "config");
    std::fs::remove_dir_all(&dir).ok();
}
