//! The call state machine, driven by a scripted transport and a fake clock: every branch of the
//! retry policy, the natural-key recovery of lost writes, token refresh and the deadline.

use std::collections::VecDeque;
use std::time::Duration;

use roster_core::api::voximplant::queues::AddQueue;
use roster_core::api::voximplant::skills::BindSkill;
use roster_core::api::voximplant::users::{AddUser, GetUsers, SetUserInfo, TransferMoneyToUser};
use roster_core::call::{Call, Outcome, Purpose, RetryPolicy, Step, ATTEMPT_HEADER};
use roster_core::{
    Credentials, Endpoint, Error, HttpRequest, HttpResponse, TransportError, TransportErrorKind,
    VoximplantAuth, VoximplantClient,
};

const CREDENTIALS: &str = include_str!("../../tests/fixtures/credentials.json");
const START_MS: u64 = 1_700_000_000_000;

fn client() -> VoximplantClient {
    let auth = VoximplantAuth::service_account(&Credentials::from_json(CREDENTIALS).unwrap());
    VoximplantClient::new(auth.unwrap(), Some("https://vox.test")).unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        base_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(2),
        jitter_percent: 0,
        deadline: Some(Duration::from_secs(60)),
        connect_timeout: Duration::from_secs(3),
        attempt_timeout: Duration::from_secs(10),
    }
}

fn ok(body: &str) -> Outcome {
    Outcome::Response(HttpResponse::new(200, body))
}

fn status(code: u16, body: &str, retry_after: Option<&str>) -> Outcome {
    let mut r = HttpResponse::new(code, body);
    if let Some(v) = retry_after {
        r.headers.push(("Retry-After".into(), v.into()));
    }
    Outcome::Response(r)
}

fn api_error(code: i64, msg: &str) -> Outcome {
    ok(&format!(r#"{{"error":{{"code":{code},"msg":"{msg}"}}}}"#))
}

fn failed(kind: TransportErrorKind) -> Outcome {
    Outcome::Failed(TransportError::new(kind, "scripted"))
}

/// What the driver saw: every request sent and every sleep.
#[derive(Default)]
struct Trace {
    sent: Vec<(Purpose, HttpRequest, Duration)>,
    sleeps: Vec<Duration>,
}

impl Trace {
    fn methods(&self) -> Vec<String> {
        self.sent
            .iter()
            .map(|(_, r, _)| {
                r.path_and_query()
                    .trim_start_matches("/platform_api/")
                    .to_owned()
            })
            .collect()
    }
    fn count(&self, method: &str) -> usize {
        self.methods().iter().filter(|m| *m == method).count()
    }
}

/// Runs a call to completion against scripted outcomes, advancing a fake clock by each sleep
/// and by `per_send` per exchange.
fn drive<T>(
    mut call: Call<T>,
    script: Vec<Outcome>,
    per_send: Duration,
) -> (Result<T, Error>, Trace) {
    let mut client = client();
    let mut script: VecDeque<Outcome> = script.into();
    let mut now = START_MS;
    let mut trace = Trace::default();
    let mut step = call.start(&mut client, now);
    loop {
        step = match step {
            Step::Send(attempt) => {
                trace
                    .sent
                    .push((attempt.purpose, attempt.request, attempt.timeouts.total));
                now += per_send.as_millis() as u64;
                let outcome = script.pop_front().expect("the script ran out");
                call.on_outcome(outcome, &mut client, now)
            }
            Step::Sleep(d) => {
                trace.sleeps.push(d);
                now += d.as_millis() as u64;
                call.resume(&mut client, now)
            }
            Step::Token(ask) => panic!("a service account asks no token provider: {ask:?}"),
            Step::Done(result) => {
                assert!(
                    script.is_empty(),
                    "{} scripted outcomes unused",
                    script.len()
                );
                return (result, trace);
            }
        };
    }
}

fn typed<E: Endpoint>(request: E) -> Call<E::Response> {
    Call::typed(&request, policy(), 42).unwrap()
}

fn add_user() -> AddUser {
    AddUser::new("jdoe", "John Doe", "S3cure!pass").application_id(7)
}

fn transfer() -> TransferMoneyToUser {
    TransferMoneyToUser::new("10.50".parse().unwrap()).user_id(vec![5])
}

const USERS_PAGE: &str = r#"{"result":[{"user_id":11,"user_name":"jdoe2"},{"user_id":12,"user_name":"jdoe"}],"total_count":2,"count":2}"#;
const NO_USERS: &str = r#"{"result":[],"total_count":0,"count":0}"#;

#[test]
fn success_on_the_first_attempt_sends_once_with_attempt_header() {
    let (r, t) = drive(
        typed(add_user()),
        vec![ok(r#"{"result":1,"user_id":12}"#)],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap().user_id, Some(12));
    assert_eq!(t.sent.len(), 1);
    assert_eq!(t.sent[0].1.header(ATTEMPT_HEADER), Some("1"));
    assert!(t.sent[0]
        .1
        .header("user-agent")
        .unwrap()
        .starts_with("roster/"));
    assert_eq!(t.sent[0].2, Duration::from_secs(10));
}

#[test]
fn a_read_is_retried_after_a_5xx_with_backoff() {
    let page = r#"{"result":[],"total_count":0,"count":0}"#;
    let (r, t) = drive(
        typed(GetUsers::new().application_id(7)),
        vec![
            status(502, "<html>bad gateway</html>", None),
            status(500, "oops", None),
            ok(page),
        ],
        Duration::ZERO,
    );
    assert!(r.is_ok());
    assert_eq!(t.sent.len(), 3);
    assert_eq!(
        t.sleeps,
        vec![Duration::from_millis(100), Duration::from_millis(200)]
    );
    let attempts: Vec<_> = t
        .sent
        .iter()
        .map(|s| s.1.header(ATTEMPT_HEADER).unwrap().to_owned())
        .collect();
    assert_eq!(attempts, ["1", "2", "3"]);
}

#[test]
fn a_read_is_retried_after_a_timeout_and_a_truncated_body() {
    let (r, t) = drive(
        typed(GetUsers::new().application_id(7)),
        vec![
            failed(TransportErrorKind::TimedOut),
            ok(r#"{"result":[{"user_id""#),
            ok(NO_USERS),
        ],
        Duration::ZERO,
    );
    assert!(r.is_ok());
    assert_eq!(t.sent.len(), 3);
}

#[test]
fn a_transfer_never_sent_is_sent_again() {
    let (r, t) = drive(
        typed(transfer()),
        vec![
            failed(TransportErrorKind::NotSent),
            ok(r#"{"result":1,"balance":89.5}"#),
        ],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap().balance, Some("89.5".parse().unwrap()));
    assert_eq!(t.count("TransferMoneyToUser"), 2);
}

#[test]
fn a_refused_transfer_is_sent_again_after_the_delay_the_server_asked_for() {
    let (r, t) = drive(
        typed(transfer()),
        vec![
            api_error(416, "Repeat the request after 3 seconds"),
            api_error(340, "Rate limit exceeded"),
            api_error(162, "Try later"),
            status(429, "slow down", Some("2")),
            ok(r#"{"result":1,"balance":1}"#),
        ],
        Duration::ZERO,
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(t.count("TransferMoneyToUser"), 5);
    assert_eq!(
        t.sleeps,
        vec![
            Duration::from_secs(3),
            Duration::from_millis(200),
            Duration::from_millis(400),
            Duration::from_secs(2)
        ]
    );
}

#[test]
fn a_503_with_retry_after_is_a_refusal_but_without_it_is_ambiguous() {
    let (r, t) = drive(
        typed(transfer()),
        vec![
            status(503, "<html>busy</html>", Some("1")),
            ok(r#"{"result":1}"#),
        ],
        Duration::ZERO,
    );
    assert!(r.is_ok());
    assert_eq!(t.sleeps, vec![Duration::from_secs(1)]);

    let (r, t) = drive(
        typed(transfer()),
        vec![status(503, "<html>busy</html>", None)],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "outcome_unknown");
    assert_eq!(t.count("TransferMoneyToUser"), 1);
}

#[test]
fn a_transfer_whose_answer_is_lost_is_never_sent_twice() {
    for lost in [
        failed(TransportErrorKind::TimedOut),
        failed(TransportErrorKind::Interrupted),
        status(500, "<html>internal</html>", None),
        status(502, "<html>bad gateway</html>", None),
        ok(r#"{"result":1,"bal"#),
    ] {
        let (r, t) = drive(typed(transfer()), vec![lost], Duration::ZERO);
        assert_eq!(t.count("TransferMoneyToUser"), 1);
        match r.unwrap_err() {
            Error::OutcomeUnknown {
                method,
                request,
                cause,
            } => {
                assert_eq!(method, "TransferMoneyToUser");
                assert!(request.contains("amount=10.50"), "{request}");
                assert!(request.contains("Bearer [redacted]"), "{request}");
                assert!(!request.contains("eyJ"), "the token leaked: {request}");
                assert!(matches!(
                    *cause,
                    Error::Transport(_) | Error::HttpStatus { .. } | Error::Decode { .. }
                ));
            }
            other => panic!("expected OutcomeUnknown, got {other:?}"),
        }
    }
}

#[test]
fn a_lost_add_user_is_found_by_its_name() {
    let (r, t) = drive(
        typed(add_user()),
        vec![failed(TransportErrorKind::TimedOut), ok(USERS_PAGE)],
        Duration::ZERO,
    );
    // Partial matches (jdoe2) are not taken for the record.
    assert_eq!(r.unwrap().user_id, Some(12));
    assert_eq!(t.methods(), ["AddUser", "GetUsers"]);
    let lookup = &t.sent[1];
    assert_eq!(lookup.0, Purpose::Lookup);
    let params = lookup.1.form_params();
    assert!(params.contains(&("user_name".into(), "jdoe".into())));
    assert!(params.contains(&("application_id".into(), "7".into())));
    assert!(t.sleeps.is_empty());
}

#[test]
fn a_lost_add_user_not_found_is_sent_again() {
    let (r, t) = drive(
        typed(add_user()),
        vec![
            failed(TransportErrorKind::Interrupted),
            ok(NO_USERS),
            ok(r#"{"result":1,"user_id":99}"#),
        ],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap().user_id, Some(99));
    assert_eq!(t.methods(), ["AddUser", "GetUsers", "AddUser"]);
}

#[test]
fn a_lost_add_user_that_lands_late_is_found_after_the_duplicate_error() {
    let (r, t) = drive(
        typed(add_user()),
        vec![
            failed(TransportErrorKind::TimedOut),
            ok(NO_USERS),
            api_error(118, "User name is not unique"),
            ok(USERS_PAGE),
        ],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap().user_id, Some(12));
    assert_eq!(t.methods(), ["AddUser", "GetUsers", "AddUser", "GetUsers"]);
}

#[test]
fn a_duplicate_name_without_a_lost_attempt_is_the_callers_error() {
    let (r, t) = drive(
        typed(add_user()),
        vec![api_error(118, "User name is not unique")],
        Duration::ZERO,
    );
    match r.unwrap_err() {
        Error::Api(e) => assert_eq!(e.code, 118),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn the_lookup_pages_through_partial_matches() {
    let first = format!(
        r#"{{"result":[{}],"total_count":150,"count":100}}"#,
        (0..100)
            .map(|i| format!(r#"{{"user_id":{i},"user_name":"jdoe{i}"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let second = r#"{"result":[{"user_id":500,"user_name":"jdoe"}],"total_count":150,"count":1}"#;
    let (r, t) = drive(
        typed(add_user()),
        vec![failed(TransportErrorKind::TimedOut), ok(&first), ok(second)],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap().user_id, Some(500));
    let offsets: Vec<_> = t.sent[1..]
        .iter()
        .map(|s| {
            s.1.form_params()
                .into_iter()
                .find(|(k, _)| k == "offset")
                .unwrap()
                .1
        })
        .collect();
    assert_eq!(offsets, ["0", "100"]);
}

#[test]
fn a_failing_lookup_ends_in_outcome_unknown_without_resending_the_write() {
    let (r, t) = drive(
        typed(add_user()),
        vec![
            failed(TransportErrorKind::TimedOut),
            status(500, "x", None),
            status(500, "x", None),
            status(500, "x", None),
            status(500, "x", None),
        ],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "outcome_unknown");
    assert_eq!(t.count("AddUser"), 1);
    assert_eq!(t.sent.len(), 5);
}

#[test]
fn a_queue_created_by_application_name_cannot_be_looked_up() {
    // GetQueues cannot filter by application name, so a same-named queue of another application
    // could pass for ours: the outcome is reported as unknown instead.
    let request = AddQueue::new("support").application_name("app");
    let (r, t) = drive(
        typed(request),
        vec![failed(TransportErrorKind::TimedOut)],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "outcome_unknown");
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn an_idempotent_write_is_resent_and_a_not_found_after_a_lost_attempt_is_unknown() {
    let request = || SetUserInfo::new().user_id(5).user_display_name("Jane");
    let (r, t) = drive(
        typed(request()),
        vec![failed(TransportErrorKind::TimedOut), ok(r#"{"result":1}"#)],
        Duration::ZERO,
    );
    assert!(r.is_ok());
    assert_eq!(t.count("SetUserInfo"), 2);

    let (r, _) = drive(
        typed(request()),
        vec![
            failed(TransportErrorKind::TimedOut),
            api_error(117, "Invalid user_id"),
        ],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "outcome_unknown");

    // Without a lost attempt, "not found" is simply the answer.
    let (r, _) = drive(
        typed(request()),
        vec![api_error(117, "Invalid user_id")],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "api");
}

#[test]
fn an_expired_token_is_reminted_once() {
    let (r, t) = drive(
        typed(
            BindSkill::new()
                .user_id(vec![1])
                .skill_id(vec![2])
                .application_id(7),
        ),
        vec![api_error(456, "Token expired"), ok(r#"{"result":1}"#)],
        Duration::from_secs(2),
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(t.sent.len(), 2);
    assert!(t.sleeps.is_empty());
    let auth = |i: usize| t.sent[i].1.header("authorization").unwrap().to_owned();
    assert_ne!(auth(0), auth(1), "a new token must be signed");

    let (r, t) = drive(
        typed(transfer()),
        vec![
            api_error(455, "Token issued in the future"),
            api_error(455, "Token issued in the future"),
        ],
        Duration::ZERO,
    );
    match r.unwrap_err() {
        Error::Api(e) => assert_eq!(e.code, 455),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent.len(), 2);
}

#[test]
fn other_api_errors_are_final() {
    let (r, t) = drive(
        typed(transfer()),
        vec![api_error(127, "Not enough money")],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "api");
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn attempts_are_bounded() {
    let script = (0..5).map(|_| status(502, "x", None)).collect();
    let (r, t) = drive(
        typed(GetUsers::new().application_id(7)),
        script,
        Duration::ZERO,
    );
    assert_eq!(r.unwrap_err().code(), "http_status");
    assert_eq!(t.sent.len(), 5);
    assert_eq!(t.sleeps.len(), 4);
}

#[test]
fn the_deadline_bounds_sleeps_and_shortens_the_last_attempt() {
    let mut p = policy();
    p.deadline = Some(Duration::from_secs(12));
    p.max_attempts = 10;
    let call = Call::typed(&GetUsers::new().application_id(7), p, 1).unwrap();
    // Each exchange takes 5 s and the server asks for 1 s pauses.
    let (r, t) = drive(
        call,
        vec![status(429, "", Some("1")), status(429, "", Some("1"))],
        Duration::from_secs(5),
    );
    assert_eq!(r.unwrap_err().code(), "http_status");
    let timeouts: Vec<_> = t.sent.iter().map(|s| s.2).collect();
    // 10 s, then only the 6 s left of the deadline; then 1 s is left, too little for a pause.
    assert_eq!(timeouts, [Duration::from_secs(10), Duration::from_secs(6)]);
    assert_eq!(t.sleeps, [Duration::from_secs(1)]);
}

#[test]
fn a_call_past_its_deadline_is_not_sent() {
    let mut p = policy();
    p.deadline = Some(Duration::from_secs(3));
    let call = Call::typed(&transfer(), p, 1).unwrap();
    let (r, t) = drive(
        call,
        vec![failed(TransportErrorKind::NotSent)],
        Duration::from_secs(3),
    );
    match r.unwrap_err() {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::NotSent),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn jitter_is_repeatable_for_a_seed_and_varies_between_seeds() {
    let mut p = policy();
    p.jitter_percent = 100;
    let sleeps = |seed| {
        let call = Call::typed(&GetUsers::new().application_id(7), p, seed).unwrap();
        let script = vec![status(500, "", None), status(500, "", None), ok(NO_USERS)];
        drive(call, script, Duration::ZERO).1.sleeps
    };
    assert_eq!(sleeps(1), sleeps(1));
    assert_ne!(sleeps(1), sleeps(2));
    assert!(sleeps(3).iter().all(|d| *d <= Duration::from_millis(200)));
}

#[test]
fn no_retries_policy_sends_once() {
    let call = Call::typed(
        &GetUsers::new().application_id(7),
        RetryPolicy::no_retries(),
        1,
    )
    .unwrap();
    let (r, t) = drive(call, vec![status(502, "", None)], Duration::ZERO);
    assert!(r.is_err());
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn calls_by_name_run_the_same_machine() {
    let info =
        roster_core::dynamic::find_method(roster_core::ApiKind::Voximplant, "AddUser").unwrap();
    let params = serde_json::json!({
        "user_name": "jdoe", "user_display_name": "John", "user_password": "S3cure!pass", "application_id": 7
    });
    let call = Call::dynamic(info, params, policy(), 1).unwrap();
    let (r, t) = drive(
        call,
        vec![failed(TransportErrorKind::TimedOut), ok(USERS_PAGE)],
        Duration::ZERO,
    );
    assert_eq!(r.unwrap()["user_id"], 12);
    assert_eq!(t.methods(), ["AddUser", "GetUsers"]);
}

#[test]
fn a_token_refused_twice_is_dropped_so_the_next_call_signs_a_new_one() {
    let mut client = client();
    let first = client
        .prepare(&GetUsers::new().application_id(7), START_MS / 1000)
        .unwrap();
    let mut call = typed(GetUsers::new().application_id(7));
    let mut step = call.start(&mut client, START_MS);
    for _ in 0..2 {
        let Step::Send(_) = step else {
            panic!("expected a send")
        };
        step = call.on_outcome(api_error(456, "expired"), &mut client, START_MS);
    }
    assert!(matches!(step, Step::Done(Err(_))));
    // Re-signing at the same second gives the same token only if the cache kept it: compare the
    // cache's state instead, through a request one second later (a fresh signature differs).
    let next = client
        .prepare(&GetUsers::new().application_id(7), START_MS / 1000 + 1)
        .unwrap();
    assert_ne!(
        first.header("authorization"),
        next.header("authorization"),
        "the refused token was sent again"
    );
}

/// A client whose host signs: the machine asks for a signature of the claims it prepared,
/// sends the token it assembles, keeps it for the next call, and asks again after a 456.
#[test]
fn a_host_signs_the_claims_the_core_prepares() {
    use roster_core::{HostSigner, TokenSettings};
    let creds = Credentials::from_json(CREDENTIALS).unwrap();
    let signer =
        HostSigner::new(&creds.key_id, creds.account_id, TokenSettings::default()).unwrap();
    let mut client = VoximplantClient::new(
        VoximplantAuth::HostSigned(Box::new(signer)),
        Some("https://vox.test"),
    )
    .unwrap();
    let key =
        jsonwebtoken::EncodingKey::from_rsa_pem(creds.private_key.expose().as_bytes()).unwrap();
    let sign = |input: &str| {
        let text =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::RS256)
                .unwrap();
        base64_decode(&text)
    };
    let public = include_str!("../../tests/fixtures/test-key.pub.pem");
    let verify = |token: &str| {
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.validate_exp = false;
        v.required_spec_claims.clear();
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(public.as_bytes()).unwrap();
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &key, &v).unwrap();
        (data.header.kid, data.claims)
    };

    let mut call = typed(GetUsers::new().application_id(7));
    let Step::Token(ask) = call.start(&mut client, START_MS) else {
        panic!("no signing step")
    };
    let request = ask.sign.clone().expect("a signing request");
    assert_eq!(
        (request.algorithm, request.key_id.as_str()),
        ("RS256", creds.key_id.as_str())
    );
    let Step::Send(attempt) =
        call.on_token(Ok(&sign(&request.signing_input)), &mut client, START_MS)
    else {
        panic!("no send after the signature")
    };
    let token = attempt
        .request
        .header("authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_owned();
    let (kid, claims) = verify(&token);
    assert_eq!(kid.as_deref(), Some(creds.key_id.as_str()));
    assert_eq!(claims["iss"], creds.account_id);
    assert_eq!(claims["iat"], START_MS / 1000 - 10);
    // 456: the token is dropped and a new signature is asked for, with force_refresh unset
    // (a host that signs has no cache of its own).
    let step = call.on_outcome(api_error(456, "expired"), &mut client, START_MS + 1000);
    let Step::Token(again) = step else {
        panic!("no new signing step after 456")
    };
    let input = again.sign.expect("a signing request").signing_input;
    let Step::Send(attempt) = call.on_token(Ok(&sign(&input)), &mut client, START_MS + 1000) else {
        panic!("no resend")
    };
    let Step::Done(Ok(_)) = call.on_outcome(ok(NO_USERS), &mut client, START_MS + 1000) else {
        panic!("the call did not end")
    };
    let resent = attempt.request.header("authorization").unwrap().to_owned();
    assert_ne!(resent, format!("Bearer {token}"));
    // The next call reuses the cached token: no signing step.
    let mut next = typed(GetUsers::new().application_id(7));
    let Step::Send(attempt) = next.start(&mut client, START_MS + 2000) else {
        panic!("a cached token was signed again")
    };
    assert_eq!(attempt.request.header("authorization").unwrap(), resent);
    // A signature that never came ends the call; an empty one is refused.
    let mut failed = typed(GetUsers::new().application_id(7));
    roster_core::Prepare::refresh_token(&mut client);
    let Step::Token(_) = failed.start(&mut client, START_MS + 3000) else {
        panic!()
    };
    let Step::Done(Err(e)) = failed.on_token(Ok(b""), &mut client, START_MS + 3000) else {
        panic!("an empty signature was taken")
    };
    assert_eq!(e.code(), "auth");
}

fn base64_decode(text: &str) -> Vec<u8> {
    // The test's own tiny base64url decoder, so the check does not lean on the core's encoder.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}
