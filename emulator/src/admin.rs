//! Admin endpoints under `/_emulator/`, for tests and people: reset, load and dump state, the
//! virtual clock, the request log, faults and their counters, and extra keys with chosen roles.
//! They need no authentication: the emulator is a local test server.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultPlan;
use crate::server::App;
use crate::state::fixtures::Fixtures;

pub fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/reset", post(reset))
        .route("/fixtures", post(load_fixtures))
        .route("/state", get(dump_state))
        .route("/clock", get(get_clock).post(set_clock))
        .route("/requests", get(get_requests).delete(clear_requests))
        .route("/faults", get(get_faults).post(set_faults))
        .route("/keys", post(add_key))
}

fn reply(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        crate::json::to_vec(body),
    )
        .into_response()
}

fn ok(body: &Value) -> Response {
    reply(StatusCode::OK, body)
}

fn bad(message: impl std::fmt::Display) -> Response {
    reply(
        StatusCode::BAD_REQUEST,
        &json!({ "error": message.to_string() }),
    )
}

// The error is the finished answer to the admin call; admin calls are rare, so its size is moot.
#[allow(clippy::result_large_err)]
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

/// Back to the starting state (the fixtures the emulator started with). Keys, clock, faults
/// and the log are kept.
async fn reset(AxumState(app): AxumState<Arc<App>>) -> Response {
    let initial = app
        .initial
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    match app.load(&initial) {
        Ok(()) => ok(&json!({ "result": "reset" })),
        Err(e) => bad(e),
    }
}

/// Replaces the state with the posted fixtures (reset still goes back to the starting ones).
async fn load_fixtures(AxumState(app): AxumState<Arc<App>>, body: Bytes) -> Response {
    let fixtures = match Fixtures::from_json(&body) {
        Ok(f) => f,
        Err(e) => return bad(e),
    };
    if let Err(e) = app.load(&fixtures) {
        return bad(e);
    }
    let state = app.read();
    ok(&json!({
        "result": "loaded",
        "applications": state.applications.len(),
        "users": state.users.len(),
        "skills": state.skills.len(),
        "queues": state.queues.len(),
        "voiso_users": state.voiso_users.len(),
    }))
}

/// The state in the fixtures format.
async fn dump_state(AxumState(app): AxumState<Arc<App>>) -> Response {
    let dump = Fixtures::dump(&app.read());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        crate::json::to_vec(&dump),
    )
        .into_response()
}

fn clock_json(app: &App) -> Value {
    let now = app.clock.now();
    json!({ "now": now, "datetime": crate::clock::format_datetime(now), "offset_secs": app.clock.offset() })
}

async fn get_clock(AxumState(app): AxumState<Arc<App>>) -> Response {
    ok(&clock_json(&app))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    /// Unix seconds the clock should read now.
    set: Option<i64>,
    /// Seconds to move the clock by (negative moves it back).
    advance: Option<i64>,
    /// `true`: back to the system clock.
    #[serde(default)]
    reset: bool,
}

async fn set_clock(AxumState(app): AxumState<Arc<App>>, body: Bytes) -> Response {
    let change: ClockChange = match parse(&body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if change.reset {
        app.clock.reset();
    }
    if let Some(t) = change.set {
        app.clock.set(t);
    }
    if let Some(d) = change.advance {
        app.clock.advance(d);
    }
    ok(&clock_json(&app))
}

async fn get_requests(AxumState(app): AxumState<Arc<App>>) -> Response {
    ok(&json!({ "requests": app.log.entries() }))
}

async fn clear_requests(AxumState(app): AxumState<Arc<App>>) -> Response {
    app.log.clear();
    ok(&json!({ "result": "cleared" }))
}

fn faults_json(app: &App) -> Value {
    let counters: serde_json::Map<String, Value> = app
        .faults
        .counters
        .snapshot()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    json!({ "spec": app.faults.plan().to_string(), "counters": counters, "total": app.faults.counters.total() })
}

async fn get_faults(AxumState(app): AxumState<Arc<App>>) -> Response {
    ok(&faults_json(&app))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultChange {
    /// A fault spec (see `emulator/README.md`); `""` removes every fault.
    spec: String,
    /// Restarts the dice with this seed.
    seed: Option<u64>,
}

async fn set_faults(AxumState(app): AxumState<Arc<App>>, body: Bytes) -> Response {
    let change: FaultChange = match parse(&body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match change.spec.parse::<FaultPlan>() {
        Ok(plan) => {
            app.faults.set(plan, change.seed);
            ok(&faults_json(&app))
        }
        Err(e) => bad(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKey {
    #[serde(default = "owner")]
    roles: Vec<String>,
    key_id: Option<String>,
    /// A public key (PEM) to trust; without it a key pair is generated and returned.
    public_key: Option<String>,
}

fn owner() -> Vec<String> {
    vec!["Owner".to_owned()]
}

/// Trusts a new key with the given roles. Without `public_key`, answers with the
/// `credentials.json` of a freshly generated key.
async fn add_key(AxumState(app): AxumState<Arc<App>>, body: Bytes) -> Response {
    let req: NewKey = match parse(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let account_id = app.read().account.account_id;
    let key_id = req
        .key_id
        .unwrap_or_else(|| format!("emulator-key-{}", rand::random::<u64>()));
    match req.public_key {
        Some(pem) => match app.keys.add(&key_id, pem.as_bytes(), account_id, req.roles) {
            Ok(()) => ok(&json!({ "key_id": key_id, "account_id": account_id })),
            Err(e) => bad(e),
        },
        None => {
            let pair = match tokio::task::spawn_blocking(crate::keys::KeyPair::generate).await {
                Ok(Ok(pair)) => pair,
                Ok(Err(e)) => return bad(e),
                Err(e) => return bad(e),
            };
            if let Err(e) = app
                .keys
                .add(&key_id, pair.public_pem.as_bytes(), account_id, req.roles)
            {
                return bad(e);
            }
            let text = crate::keys::credentials_json(account_id, &key_id, &pair.private_pem);
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                text,
            )
                .into_response()
        }
    }
}
