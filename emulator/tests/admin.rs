//! The admin endpoints over HTTP.

mod common;

use common::{emulator, post_form, post_form_text};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixtures_dump_reset_clock_log_faults_keys() {
    let emu = emulator(false).await;
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}/_emulator/{p}", emu.base_url());

    let loaded: Value = http
        .post(url("fixtures"))
        .body(include_str!("../fixtures/example.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(loaded["users"], 3, "{loaded}");
    let listed = post_form(
        &emu,
        "GetUsers",
        &[("application_id", "1"), ("with_queues", "true")],
    )
    .await;
    assert_eq!(listed["total_count"], 2);
    let text = post_form_text(
        &emu,
        "GetUsers",
        &[("application_id", "1"), ("user_name", "ann")],
    )
    .await;
    assert!(
        text.contains(r#""balance":5.00"#),
        "exact money text: {text}"
    );

    let dump: Value = http
        .get(url("state"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(dump["users"].as_array().map(Vec::len), Some(3));
    // A dump loads back.
    let again: Value = http
        .post(url("fixtures"))
        .json(&dump)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(again["users"], 3);

    http.post(url("reset")).send().await.expect("sent");
    emu.with_state(|s| assert_eq!((s.users.len(), s.applications.len()), (0, 1)));

    let clock: Value = http
        .post(url("clock"))
        .json(&json!({"set": 1_700_000_000}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(clock["now"].as_i64().expect("now") - 1_700_000_000 < 5);
    assert!(clock["datetime"]
        .as_str()
        .expect("text")
        .starts_with("2023-11-14"));
    http.post(url("clock"))
        .json(&json!({"reset": true}))
        .send()
        .await
        .expect("sent");

    let log: Value = http
        .get(url("requests"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let first = &log["requests"][0];
    assert_eq!(first["method"], "GetUsers");
    assert_eq!(first["params"]["api_key"], "[redacted]");

    let bad = http
        .post(url("faults"))
        .json(&json!({"spec": "AddUser=boom"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(bad.status(), 400);
    let set: Value = http
        .post(url("faults"))
        .json(&json!({"spec": "*=busy:1", "seed": 3}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(set["spec"], "*=busy:1");
    assert_eq!(
        post_form(&emu, "GetSkills", &[]).await["error"]["code"],
        162
    );
    http.post(url("faults"))
        .json(&json!({"spec": ""}))
        .send()
        .await
        .expect("sent");

    let public = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/test-key.pub.pem"
    ))
    .expect("key");
    let key: Value = http
        .post(url("keys"))
        .json(&json!({"key_id": "k2", "roles": ["Developer"], "public_key": public}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(key["key_id"], "k2");
}
