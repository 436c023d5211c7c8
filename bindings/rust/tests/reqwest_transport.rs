//! The default transport against real sockets on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

fn timeouts(total: Duration) -> roster::Timeouts {
    roster::Timeouts {
        connect: Duration::from_secs(2),
        total,
    }
}

use roster::voximplant::skills::GetSkills;
use roster::{HttpRequest, ReqwestTransport, Transport, TransportErrorKind, Voximplant};

/// Answers one request with `head` (status line and headers) and `body`, and returns what it
/// received.
fn one_shot_server(
    head: &'static str,
    body: &'static str,
) -> (String, std::thread::JoinHandle<String>) {
    let response = format!(
        "{head}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let mut stream = stream;
        stream.write_all(response.as_bytes()).unwrap();
        head + &String::from_utf8(body).unwrap()
    });
    (format!("http://{addr}"), handle)
}

fn client(base: &str) -> Voximplant {
    Voximplant::builder()
        .token("tok")
        .base_url(base)
        .build()
        .unwrap()
}

#[tokio::test]
async fn round_trip_over_loopback() {
    let (base, server) = one_shot_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n",
        r#"{"result":[{"skill_id":1,"skill_name":"English"}],"total_count":1,"count":1}"#,
    );
    let page = client(&base)
        .skills()
        .get_skills(GetSkills::new().skill_name("Eng"))
        .await
        .unwrap();
    assert_eq!(page.items[0].skill_name.as_deref(), Some("English"));
    let received = server.join().unwrap();
    assert!(
        received.starts_with("POST /platform_api/GetSkills HTTP/1.1\r\n"),
        "{received}"
    );
    assert!(received
        .to_ascii_lowercase()
        .contains("authorization: bearer tok\r\n"));
    assert!(received.ends_with("skill_name=Eng"), "{received}");
}

#[tokio::test]
async fn status_and_headers_reach_the_core() {
    let (base, server) = one_shot_server(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: 7\r\n",
        "<html></html>",
    );
    let t = ReqwestTransport::new(None, Duration::from_secs(2)).unwrap();
    let req = client(&base).prepare(&GetSkills::new()).unwrap();
    let resp = t.send(req, timeouts(Duration::from_secs(5))).await.unwrap();
    assert_eq!(resp.status, 503);
    assert_eq!(resp.header("Retry-After"), Some("7"));
    server.join().unwrap();
}

#[tokio::test]
async fn a_refused_connection_is_not_sent() {
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let req: HttpRequest = client(&format!("http://{dead}"))
        .prepare(&GetSkills::new())
        .unwrap();
    let t = ReqwestTransport::new(None, Duration::from_secs(2)).unwrap();
    let e = t
        .send(req, timeouts(Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::NotSent, "{e}");
    assert!(!e.message.contains("tok"), "{e}");
}

#[tokio::test]
async fn no_answer_in_time_is_timed_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Accept and hold the connection without answering.
    let holder = std::thread::spawn(move || {
        let (s, _) = listener.accept().unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        drop(s);
    });
    let req = client(&base).prepare(&GetSkills::new()).unwrap();
    let t = ReqwestTransport::new(None, Duration::from_secs(2)).unwrap();
    let e = t
        .send(req, timeouts(Duration::from_millis(300)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, TransportErrorKind::TimedOut, "{e}");
    holder.join().unwrap();
}

#[test]
fn a_bad_ca_is_a_config_error() {
    let e = ReqwestTransport::new(Some(b"not a pem"), Duration::from_secs(1)).unwrap_err();
    assert_eq!(e.code(), "config");
}
