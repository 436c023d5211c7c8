//! The vendors' wire forms, sent as raw HTTP: urlencoded POST /platform_api with `cmd` and
//! `True`/`False`, multipart with a `cmd` part streamed chunked (the Node client), query-string
//! GET, repeated keys, a per-call short-lived JWT (the Python client), and the validation codes
//! the server answers where a client would have refused to send.

mod common;

use common::{emulator, error_code, now, post_form, sign};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urlencoded_cmd_with_python_booleans_and_per_call_jwt() {
    let emu = emulator(false).await;
    let http = reqwest::Client::new();
    // The Python client: a new token per call, exp = now + 24 s, booleans True/False.
    let call = |body: &'static str| {
        let token = sign(&emu, emu.key_id(), emu.account_id(), now(), now() + 24);
        http.post(format!("{}/platform_api", emu.base_url()))
            .bearer_auth(token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let added: Value = call("cmd=AddUser&application_id=1&user_name=py-user&user_display_name=Py&user_password=S3cure%21pass&user_active=False")
        .await.expect("sent").json().await.expect("json");
    assert_eq!(added["result"], 1, "{added}");
    let listed: Value = call("cmd=GetUsers&application_id=1&with_skills=True&user_active=False")
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(listed["total_count"], 1, "{listed}");
    assert_eq!(listed["result"][0]["user_active"], false);
    assert_eq!(listed["result"][0]["skills"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunked_multipart_with_cmd_part() {
    let emu = emulator(false).await;
    let token = sign(&emu, emu.key_id(), emu.account_id(), now(), now() + 64);
    let boundary = "--------------------------node123";
    let mut body = String::new();
    for (k, v) in [("cmd", "AddSkill"), ("skill_name", "node-skill")] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    // Two chunks, no Content-Length, as a streaming client sends it.
    let (a, b) = body.split_at(body.len() / 2);
    let request = format!(
        "POST /platform_api HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len(),
        host = emu.addr(),
    );
    let mut tcp = tokio::net::TcpStream::connect(emu.addr())
        .await
        .expect("connect");
    tcp.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""skill_id":1"#), "{answer}");
    emu.with_state(|s| {
        assert_eq!(
            s.skills.values().next().map(|s| s.name.as_str()),
            Some("node-skill")
        )
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_string_get_with_repeated_keys_and_all() {
    let emu = emulator(false).await;
    for name in ["first", "second"] {
        assert_eq!(
            post_form(&emu, "AddSkill", &[("skill_name", name)]).await["result"],
            1
        );
    }
    post_form(
        &emu,
        "AddUser",
        &[
            ("application_id", "1"),
            ("user_name", "q-user"),
            ("user_display_name", "Q"),
            ("user_password", "S3cure!pass"),
        ],
    )
    .await;
    let url = format!(
        "{}/platform_api/BindSkill/?account_id={}&api_key={}&skill_id=1&skill_id=2&user_id=all&bind=1",
        emu.base_url(),
        emu.account_id(),
        emu.api_key()
    );
    let bound: Value = reqwest::get(url)
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(bound["result"], 1, "{bound}");
    emu.with_state(|s| assert_eq!(s.users.values().next().map(|u| u.skills.len()), Some(2)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_codes_from_the_core_rules() {
    let emu = emulator(false).await;
    let user = |name: &'static str, display: &'static str, password: &'static str| {
        vec![
            ("application_id", "1"),
            ("user_name", name),
            ("user_display_name", display),
            ("user_password", password),
        ]
    };
    // A method, its parameters and the error code the server must answer.
    type Case = (&'static str, Vec<(&'static str, &'static str)>, i64);
    let cases: Vec<Case> = vec![
        (
            "AddUser",
            vec![
                ("application_id", "1"),
                ("application_name", "demo"),
                ("user_name", "abc"),
                ("user_display_name", "A"),
                ("user_password", "S3cure!pass"),
            ],
            458,
        ),
        (
            "AddUser",
            vec![
                ("user_name", "abc"),
                ("user_display_name", "A"),
                ("user_password", "S3cure!pass"),
            ],
            485,
        ),
        ("AddUser", user("Bad Name", "A", "S3cure!pass"), 122),
        ("AddUser", user("abc", "", "S3cure!pass"), 134),
        ("AddUser", user("abc", "A", "Sh0rt!"), 463),
        ("AddUser", user("abc", "A", "nouppercase1!"), 464),
        ("AddUser", user("abc", "A", "With Space1!"), 524),
        (
            "SetUserInfo",
            vec![("user_id", "1"), ("new_user_name", "-bad")],
            462,
        ),
        (
            "AddSkill",
            vec![("skill_name", &*Box::leak("s".repeat(600).into_boxed_str()))],
            220,
        ),
        (
            "AddQueue",
            vec![
                ("application_id", "1"),
                (
                    "acd_queue_name",
                    &*Box::leak("q".repeat(120).into_boxed_str()),
                ),
            ],
            213,
        ),
        (
            "AddQueue",
            vec![
                ("application_id", "1"),
                ("acd_queue_name", "q"),
                ("service_probability", "0.2"),
            ],
            214,
        ),
        (
            "TransferMoneyToUser",
            vec![("user_id", "1"), ("amount", "0.001")],
            125,
        ),
        (
            "GetUsers",
            vec![("application_id", "1"), ("count", "abc")],
            496,
        ),
        (
            "GetUsers",
            vec![("application_id", "1"), ("count", "0")],
            497,
        ),
        ("NoSuchMethod", vec![], 103),
    ];
    for (method, params, expected) in cases {
        let answer = post_form(&emu, method, &params).await;
        assert_eq!(
            error_code(&answer),
            Some(expected),
            "{method} {params:?}: {answer}"
        );
        assert!(
            !answer.to_string().contains("S3cure"),
            "no secret echoed: {answer}"
        );
    }
    // No method at all.
    let missing: Value = reqwest::Client::new()
        .post(format!("{}/platform_api", emu.base_url()))
        .body("a=1")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(error_code(&missing), Some(102));
}

/// The server routes by the exact wire name: a client's lenient spelling is not a method.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_are_routed_by_their_exact_wire_name() {
    let emu = emulator(false).await;
    assert_eq!(
        error_code(&post_form(&emu, "get_skills", &[]).await),
        Some(103)
    );
    assert_eq!(
        error_code(&post_form(&emu, "getskills", &[]).await),
        Some(103)
    );
    assert_eq!(
        post_form(&emu, "GetSkills", &[]).await["result"],
        serde_json::json!([])
    );
}
