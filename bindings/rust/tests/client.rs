//! The client with a scripted in-memory transport: what it sends and how it reads answers.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use roster::voiso::users::ListUsers;
use roster::voximplant::users::{AddUser, GetUsers};
use roster::{
    ApiErrorKind, BoxFuture, Error, HttpRequest, HttpResponse, RetryPolicy, Timeouts, Transport,
    TransportError, TransportErrorKind, Voiso, Voximplant, VoximplantBuilder,
};
use serde_json::json;

type Answer = Result<HttpResponse, TransportError>;

/// Answers from a script and remembers what was sent.
#[derive(Default)]
struct Scripted {
    answers: Mutex<VecDeque<Answer>>,
    sent: Mutex<Vec<(HttpRequest, Duration)>>,
}

impl Scripted {
    fn new(answers: Vec<Answer>) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers.into()),
            sent: Mutex::default(),
        })
    }

    fn sent(&self) -> Vec<HttpRequest> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }
}

impl Transport for Scripted {
    fn send(&self, request: HttpRequest, timeouts: Timeouts) -> BoxFuture<'_, Answer> {
        self.sent.lock().unwrap().push((request, timeouts.total));
        let answer = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .expect("the script has an answer");
        Box::pin(async move { answer })
    }
}

fn ok(body: &str) -> Answer {
    Ok(HttpResponse::new(200, body.as_bytes().to_vec()))
}

const CREDENTIALS: &str = include_str!("../../../tests/fixtures/credentials.json");

fn vox(transport: Arc<Scripted>) -> Voximplant {
    vox_with(transport, |b| b)
}

/// Sleeps are recorded, not slept.
static SLEPT: Mutex<Vec<Duration>> = Mutex::new(Vec::new());

fn vox_with(
    transport: Arc<Scripted>,
    configure: impl FnOnce(VoximplantBuilder) -> VoximplantBuilder,
) -> Voximplant {
    let builder = Voximplant::builder()
        .token("tok-123")
        .base_url("http://127.0.0.1:9/")
        .timeout(Duration::from_secs(7))
        .transport(transport)
        .sleeper(Arc::new(|d| {
            SLEPT.lock().unwrap().push(d);
            Box::pin(async {})
        }));
    configure(builder).build().unwrap()
}

#[tokio::test]
async fn typed_call_sends_the_exact_request_and_reads_the_answer() {
    let t = Scripted::new(vec![ok(r#"{"result":1,"user_id":77}"#)]);
    let client = vox(t.clone());
    let created = client
        .users()
        .add_user(AddUser::new("jdoe", "John Doe", "S3cure!pass").application_id(1))
        .await
        .unwrap();
    assert_eq!(created.user_id, Some(77));
    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "http://127.0.0.1:9/platform_api/AddUser");
    assert_eq!(sent[0].header("authorization"), Some("Bearer tok-123"));
    assert!(sent[0]
        .form_params()
        .contains(&("user_password".into(), "S3cure!pass".into())));
    assert_eq!(
        t.sent.lock().unwrap()[0].1,
        Duration::from_secs(7),
        "the timeout reaches the transport"
    );
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let t = Scripted::new(vec![]);
    let e = vox(t.clone())
        .users()
        .add_user(AddUser::new("John Doe", "x", "S3cure!pass").application_id(1))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "validation");
    assert!(t.sent().is_empty());
}

#[tokio::test]
async fn api_and_transport_errors_are_typed() {
    let t = Scripted::new(vec![
        ok(r#"{"error":{"code":118,"msg":"User name is not unique","field_name":"user_name"}}"#),
        Err(TransportError::new(
            TransportErrorKind::NotSent,
            "connection refused",
        )),
    ]);
    let client = vox_with(t, |b| b.retry_policy(RetryPolicy::no_retries()));
    let req = AddUser::new("jdoe", "John Doe", "S3cure!pass").application_id(1);
    match client.users().add_user(req.clone()).await.unwrap_err() {
        Error::Api(a) => assert_eq!((a.code, a.kind), (118, ApiErrorKind::Conflict)),
        other => panic!("{other}"),
    }
    match client.users().add_user(req).await.unwrap_err() {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::NotSent),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn call_by_name_returns_json_with_exact_money() {
    let t = Scripted::new(vec![ok(
        r#"{"result":[{"user_id":1,"balance":0.1}],"total_count":1,"count":1}"#,
    )]);
    let client = vox(t.clone());
    let page = client
        .call("get_users", json!({"application_id": 5, "count": 1}))
        .await
        .unwrap();
    assert_eq!(page["items"][0]["balance"], "0.1");
    assert_eq!(t.sent()[0].url, "http://127.0.0.1:9/platform_api/GetUsers");

    let e = client.call("GetUser", json!({})).await.unwrap_err();
    assert_eq!(e.code(), "unknown_method");
    assert!(
        e.to_string().contains("GetUsers"),
        "suggests the near name: {e}"
    );
}

#[tokio::test]
async fn paged_list_is_typed() {
    let t = Scripted::new(vec![ok(
        r#"{"result":[{"user_id":1,"user_name":"a"},{"user_id":2,"user_name":"b"}],"total_count":9,"count":2}"#,
    )]);
    let page = vox(t)
        .users()
        .get_users(GetUsers::new().application_id(1).count(2))
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(9));
    assert_eq!(page.items[1].user_name.as_deref(), Some("b"));
}

#[tokio::test]
async fn service_account_credentials_sign_a_token_with_the_given_clock() {
    let t = Scripted::new(vec![ok(r#"{"result":[],"total_count":0,"count":0}"#)]);
    let client = Voximplant::builder()
        .credentials_json(CREDENTIALS)
        .clock(Arc::new(|| 1_700_000_000_000))
        .transport(t.clone())
        .build()
        .unwrap();
    client
        .users()
        .get_users(GetUsers::new().application_id(1))
        .await
        .unwrap();
    let auth = t.sent()[0].header("authorization").unwrap().to_owned();
    let token = auth.strip_prefix("Bearer ").unwrap();
    assert_eq!(token.split('.').count(), 3, "a JWT");
    assert!(!format!("{client:?}").contains(token));
}

#[test]
fn a_ca_with_a_custom_transport_is_refused_not_ignored() {
    let e = Voximplant::builder()
        .token("t")
        .ca_pem(b"-----BEGIN CERTIFICATE-----".to_vec())
        .transport(Scripted::new(vec![]))
        .build()
        .unwrap_err();
    assert_eq!(e.code(), "config");
    assert!(e.to_string().contains("ca_pem"), "{e}");
}

#[tokio::test]
async fn voiso_lists_users() {
    let t = Scripted::new(vec![ok(r#"[{"id":1,"name":"A","employee_id":5}]"#)]);
    let voiso = Voiso::builder()
        .api_key("k")
        .transport(t.clone())
        .build()
        .unwrap();
    let page = voiso
        .users()
        .list_users(ListUsers::new().sag("Agent"))
        .await
        .unwrap();
    assert_eq!(page.items[0].employee_id.as_deref(), Some("5"));
    assert_eq!(
        t.sent()[0].query_params(),
        vec![("sag".to_owned(), "Agent".to_owned())]
    );
}

#[tokio::test]
async fn the_client_runs_the_retry_machine_and_reports_each_attempt() {
    let mut busy = HttpResponse::new(503, b"<html>busy</html>".to_vec());
    busy.headers.push(("Retry-After".into(), "4".into()));
    let t = Scripted::new(vec![Ok(busy), ok(r#"{"result":1,"balance":"12.5"}"#)]);
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let client = vox_with(t.clone(), |b| {
        b.on_attempt(move |e| seen.lock().unwrap().push(e.to_string()))
    });
    let transfer = roster::voximplant::users::TransferMoneyToUser::new("2.5".parse().unwrap())
        .user_id(vec![3]);
    let result = client
        .users()
        .transfer_money_to_user(transfer)
        .await
        .unwrap();
    assert_eq!(result.balance, Some("12.5".parse().unwrap()));
    let attempts: Vec<_> = t
        .sent()
        .iter()
        .map(|r| r.header("x-roster-attempt").unwrap().to_owned())
        .collect();
    assert_eq!(attempts, ["1", "2"]);
    assert!(SLEPT.lock().unwrap().contains(&Duration::from_secs(4)));
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        events[0].contains("TransferMoneyToUser attempt 1") && events[0].contains("HTTP 503"),
        "{events:?}"
    );
    assert!(events.iter().all(|e| !e.contains("tok-123")));
}

#[tokio::test]
async fn a_lost_transfer_is_reported_as_unknown_and_not_resent() {
    let t = Scripted::new(vec![Err(TransportError::new(
        TransportErrorKind::TimedOut,
        "no answer",
    ))]);
    let transfer = roster::voximplant::users::TransferMoneyToUser::new("2.5".parse().unwrap())
        .user_id(vec![3]);
    let e = vox(t.clone())
        .users()
        .transfer_money_to_user(transfer)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "outcome_unknown");
    assert_eq!(t.sent().len(), 1);
}

#[tokio::test]
async fn pages_are_fetched_lazily_until_the_total() {
    let page = |ids: &[i64], total: i64| {
        let items: Vec<String> = ids
            .iter()
            .map(|i| format!(r#"{{"user_id":{i},"user_name":"u{i}"}}"#))
            .collect();
        ok(&format!(
            r#"{{"result":[{}],"total_count":{total},"count":{}}}"#,
            items.join(","),
            ids.len()
        ))
    };
    let t = Scripted::new(vec![
        page(&[1, 2, 3], 7),
        page(&[3, 4, 5], 7),
        page(&[5, 6, 7], 7),
    ]);
    let client = vox(t.clone());
    let mut users = client
        .users()
        .iter_users(GetUsers::new().application_id(1).count(3));
    let first = users.next().await.unwrap().unwrap();
    assert_eq!(first.user_id, Some(1));
    assert_eq!(t.sent().len(), 1, "one page fetched for the first user");
    let rest = users.collect_all().await.unwrap();
    let ids: Vec<_> = rest.iter().map(|u| u.user_id.unwrap()).collect();
    assert_eq!(ids, [2, 3, 4, 5, 6, 7]);
    let offsets: Vec<_> = t
        .sent()
        .iter()
        .map(|r| {
            r.form_params()
                .into_iter()
                .find(|(k, _)| k == "offset")
                .unwrap()
                .1
        })
        .collect();
    assert_eq!(offsets, ["0", "2", "4"]);
    assert!(t.sent().iter().all(|r| r
        .form_params()
        .contains(&("order_by".into(), "user_id".into()))));
}
