//! Security review, issue 14: the request body limit (413 in each API's error shape, before
//! reading a body declared too large, as soon as a chunked body passes it), the bounded excerpt
//! the request log keeps, and the deprecated `api_key` obeying the roles of `--roles`.
//!
//! The oversized requests are written as raw HTTP/1.1, because what is under test is what the
//! server does with bytes it has *not* been sent yet: a client library would stream the whole
//! body and could not show that the answer came before it.

mod common;

use std::time::Duration;

use common::{code, error_code, post_form};
use roster::voximplant::users::AddUser;
use roster_emulator::{Config, Emulator, EmulatorHandle};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The documented default body limit (emulator/README.md, `--max-body-bytes`).
const LIMIT: usize = 1024 * 1024;
/// The documented size of the excerpt the log keeps of a request's parameters.
const EXCERPT: usize = 2048;

async fn start(config: Config) -> EmulatorHandle {
    Emulator::start(config).await.expect("emulator starts")
}

/// A status code and a body, as read off a raw connection.
struct Answer {
    status: u16,
    body: Value,
}

/// Writes `head` (request line and headers, without the blank line) and then `chunks`, without
/// ever sending more; reads one answer. Panics when none comes within 10 s: a server that waits
/// for the rest of a body it should have refused fails the test that way.
async fn raw(emu: &EmulatorHandle, head: &str, chunks: &[Vec<u8>]) -> Answer {
    let mut tcp = TcpStream::connect(emu.addr()).await.expect("connects");
    tcp.write_all(format!("{head}\r\nHost: {}\r\n\r\n", emu.addr()).as_bytes())
        .await
        .expect("head written");
    for chunk in chunks {
        tcp.write_all(chunk).await.expect("chunk written");
    }
    tokio::time::timeout(Duration::from_secs(10), read_answer(&mut tcp))
        .await
        .expect("the server answers without waiting for the rest of the body")
}

async fn read_answer(tcp: &mut TcpStream) -> Answer {
    let mut buf = Vec::new();
    let mut piece = [0_u8; 8192];
    loop {
        let n = tcp.read(&mut piece).await.expect("read");
        buf.extend_from_slice(&piece[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = text[..end].to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            let body = &buf[end + 4..];
            if n == 0 || length.is_some_and(|l| body.len() >= l) {
                let status = text
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .expect("a status line");
                let body = serde_json::from_slice(body).unwrap_or(Value::Null);
                return Answer { status, body };
            }
        }
        assert!(n > 0, "connection closed without an answer: {text}");
    }
}

/// A chunked-encoding chunk of `size` bytes of `a`.
fn chunk(size: usize) -> Vec<u8> {
    let mut c = format!("{size:x}\r\n").into_bytes();
    c.extend(std::iter::repeat_n(b'a', size));
    c.extend_from_slice(b"\r\n");
    c
}

/// An urlencoded GetUsers body of exactly `size` bytes, authorised with the account's api_key
/// (its parameters first, the padding in a last parameter `pad`).
fn padded_get_users(emu: &EmulatorHandle, size: usize) -> String {
    let mut body = format!(
        "account_id={}&api_key={}&application_id=1&count=1&pad=",
        emu.account_id(),
        emu.api_key()
    );
    let pad = size.saturating_sub(body.len());
    body.extend(std::iter::repeat_n('x', pad));
    body
}

async fn log(emu: &EmulatorHandle) -> Vec<Value> {
    let log: Value = reqwest::get(format!("{}/_emulator/requests", emu.base_url()))
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    log["requests"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_declared_too_large_is_refused_unread_with_413() {
    let emu = start(Config::default()).await;
    // 50 MB declared, not one byte sent: the answer cannot wait for the body.
    let vox = raw(
        &emu,
        "POST /platform_api/GetUsers HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 52428800",
        &[],
    )
    .await;
    assert_eq!(vox.status, 413, "{}", vox.body);
    assert_eq!(error_code(&vox.body), Some(101), "{}", vox.body);
    assert!(
        vox.body["error"]["msg"]
            .as_str()
            .is_some_and(|m| m.contains("1048576")),
        "the message names the limit: {}",
        vox.body
    );
    // The Voiso side answers in its own shape.
    let voiso = raw(
        &emu,
        "GET /user_management/v1/users HTTP/1.1\r\nContent-Length: 2097152",
        &[],
    )
    .await;
    assert_eq!(voiso.status, 413, "{}", voiso.body);
    assert!(voiso.body["error"].is_string(), "{}", voiso.body);

    let entries = log(&emu).await;
    let refused: Vec<&Value> = entries.iter().filter(|e| e["status"] == 413).collect();
    assert_eq!(refused.len(), 2, "{entries:?}");
    assert_eq!(refused[0]["method"], "GetUsers");
    assert_eq!(refused[0]["error_code"], 101);
    assert_eq!(refused[0]["body_bytes"], 52_428_800);
    assert_eq!(refused[1]["method"], "ListUsers");
    assert_eq!(refused[1]["body_bytes"], 2_097_152);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunked_body_is_cut_off_past_the_limit_with_413() {
    let emu = start(Config::default()).await;
    // 17 chunks of 64 KiB: one past the limit, and no final chunk ever sent.
    let chunks: Vec<Vec<u8>> = (0..LIMIT / 65_536 + 1).map(|_| chunk(65_536)).collect();
    let vox = raw(
        &emu,
        "POST /platform_api/GetUsers HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked",
        &chunks,
    )
    .await;
    assert_eq!(vox.status, 413, "{}", vox.body);
    assert_eq!(error_code(&vox.body), Some(101), "{}", vox.body);

    let voiso = raw(
        &emu,
        "GET /api/user_management/v1/users HTTP/1.1\r\nTransfer-Encoding: chunked",
        &chunks,
    )
    .await;
    assert_eq!(voiso.status, 413, "{}", voiso.body);
    assert!(voiso.body["error"].is_string(), "{}", voiso.body);

    let entries = log(&emu).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    for e in &entries {
        assert_eq!(e["status"], 413, "{e}");
        let read = e["body_bytes"].as_u64().expect("body_bytes");
        assert!(
            read > LIMIT as u64 && read <= (LIMIT + 65_536) as u64,
            "cut off just past the limit: {e}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_is_exact_and_a_body_at_it_is_answered() {
    let emu = start(Config::default()).await;
    let http = reqwest::Client::new();
    let url = format!("{}/platform_api/GetUsers", emu.base_url());
    for size in [LIMIT - 1, LIMIT] {
        let answer: Value = http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(padded_get_users(&emu, size))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        assert_eq!(answer["total_count"], 0, "{size} bytes answered: {answer}");
    }
    let over = raw(
        &emu,
        &format!(
            "POST /platform_api/GetUsers HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}",
            LIMIT + 1
        ),
        &[],
    )
    .await;
    assert_eq!(over.status, 413, "{}", over.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_keeps_a_bounded_redacted_excerpt() {
    let emu = start(Config::default()).await;
    let body = padded_get_users(&emu, LIMIT);
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/platform_api/GetUsers", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(answer["total_count"], 0, "{answer}");
    // Secrets are still redacted in the excerpt, and nothing past it is written down.
    let mut body = format!(
        "account_id={}&api_key={}&application_id=1&user_display_name=D&user_name=big-user&zz_pad=",
        emu.account_id(),
        emu.api_key()
    );
    body.extend(std::iter::repeat_n('y', 64 * 1024));
    body.push_str("&user_password=S3cure%21passTOPSECRET");
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/platform_api/AddUser", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(answer["result"], 1, "{answer}");

    let entries = log(&emu).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    let sizes = [LIMIT as u64, body.len() as u64];
    for (e, size) in entries.iter().zip(sizes) {
        assert_eq!(e["body_bytes"], size, "the original length is noted");
        assert_eq!(e["truncated"], true, "{e}");
        let params = e["params"].as_object().expect("params");
        let kept: usize = params
            .iter()
            .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
            .sum();
        assert!(kept <= EXCERPT, "{kept} bytes of parameters kept");
        assert_eq!(params["api_key"], "[redacted]");
    }
    let text = serde_json::to_string(&entries).expect("json");
    assert!(
        text.len() < 3 * EXCERPT,
        "two entries take {} bytes",
        text.len()
    );
    assert!(!text.contains("TOPSECRET") && !text.contains(&emu.api_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_api_key_obeys_the_roles() {
    let emu = start(Config {
        roles: vec!["Supervisor".to_owned()],
        ..Config::default()
    })
    .await;
    // A write Supervisor may not call: refused with 104 through api_key, as through a JWT.
    let added = post_form(
        &emu,
        "AddUser",
        &[
            ("application_id", "1"),
            ("user_name", "legacy-made"),
            ("user_display_name", "L"),
            ("user_password", "S3cure!pass"),
        ],
    )
    .await;
    assert_eq!(error_code(&added), Some(104), "{added}");
    let jwt = common::client(&emu);
    assert_eq!(
        code(
            jwt.users()
                .add_user(AddUser::new("jwt-made", "J", "S3cure!pass").application_id(1))
                .await
        ),
        104
    );
    emu.with_state(|s| assert!(s.users.is_empty(), "nothing was created"));
    // Reads Supervisor may call still work through api_key.
    for (method, params) in [
        ("GetUsers", &[("application_id", "1")][..]),
        ("GetSkills", &[][..]),
        ("GetQueues", &[][..]),
        ("GetApplications", &[][..]),
    ] {
        let answer = post_form(&emu, method, params).await;
        assert_eq!(error_code(&answer), None, "{method}: {answer}");
        assert!(answer.get("result").is_some(), "{method}: {answer}");
    }
    // A wrong key is still 100, whatever the roles.
    let wrong: Value = serde_json::from_str(
        &reqwest::Client::new()
            .post(format!("{}/platform_api/GetSkills", emu.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("account_id={}&api_key=wrong", emu.account_id()))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("text"),
    )
    .expect("json");
    assert_eq!(error_code(&wrong), Some(100), "{wrong}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_follows_the_configuration_over_http2_too() {
    let emu = start(Config {
        tls: true,
        max_body_bytes: 4096,
        ..Config::default()
    })
    .await;
    let http = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(emu.ca_pem().expect("ca").as_bytes()).expect("pem"),
        )
        .build()
        .expect("client");
    let url = format!("{}/platform_api/GetUsers", emu.base_url());
    let send = |size: usize| {
        http.post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(padded_get_users(&emu, size))
            .send()
    };
    let at = send(4096).await.expect("sent");
    assert_eq!(at.version(), reqwest::Version::HTTP_2);
    assert_eq!(at.status(), 200);
    // A whole body streamed by a client that does not wait: refused, the answer still arrives.
    let over = send(64 * 1024).await.expect("sent");
    assert_eq!(over.status(), 413);
    let body: Value = over.json().await.expect("json");
    assert_eq!(error_code(&body), Some(101), "{body}");
    assert!(
        body["error"]["msg"]
            .as_str()
            .is_some_and(|m| m.contains("4096")),
        "{body}"
    );
}
