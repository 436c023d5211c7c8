//! The HTTP server: routes, the Voximplant and Voiso request paths, and per-connection control.
//!
//! Connections are served one by one with hyper-util's connection builder rather than
//! `axum::serve`, because two faults must close a connection without answering (`reset`,
//! `drop_after_apply`): each connection gets a [`ConnKill`] in its requests' extensions, and a
//! handler that fires it makes the connection task drop the connection, so the client sees the
//! socket close with no response.
//!
//! The API routes read their bodies themselves, under `Config::max_body_bytes` (see
//! [`crate::body`]), so that a body over the limit is answered with HTTP 413 in the API's own
//! error shape and recorded in the request log, before faults, auth or anything else.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use roster_core::ApiKind;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::auth::{bearer, KeyStore, Principal};
use crate::body::{read_limited, BodyError};
use crate::clock::Clock;
use crate::error::{codes, VoxError};
use crate::faults::{FaultKind, Faults};
use crate::ratelimit::RateLimiter;
use crate::reqlog::{LogEntry, RequestLog};
use crate::state::fixtures::Fixtures;
use crate::state::State;
use crate::{voximplant, wire};

/// Everything a request can touch.
pub struct App {
    pub state: RwLock<State>,
    /// What `reset` goes back to.
    pub initial: RwLock<Fixtures>,
    pub base_account: crate::state::Account,
    pub user_limit: usize,
    pub clock: Clock,
    pub keys: KeyStore,
    pub faults: Faults,
    pub limiter: RateLimiter,
    pub log: RequestLog,
    pub voiso_api_key: String,
    /// The largest body the API routes read (`Config::max_body_bytes`).
    pub max_body_bytes: usize,
}

impl App {
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces the state with one built from `fixtures`.
    pub fn load(&self, fixtures: &Fixtures) -> Result<(), crate::state::fixtures::FixtureError> {
        let state = fixtures.build(&self.base_account, self.user_limit, self.clock.now())?;
        *self.write() = state;
        Ok(())
    }
}

/// Closes the connection a request came on, without an answer.
#[derive(Clone, Default)]
pub struct ConnKill(Arc<Notify>);

impl ConnKill {
    /// Fires the kill switch and never returns: the connection task drops this handler.
    async fn close(&self) -> Response {
        self.0.notify_one();
        std::future::pending::<()>().await;
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    }
}

/// The body limit of the admin endpoints: generous, because fixtures with 100,000 users come
/// in one body. The API routes have their own, small limit (`Config::max_body_bytes`).
pub const ADMIN_BODY_LIMIT: usize = 256 * 1024 * 1024;

pub fn router(app: Arc<App>, cors_origins: &[String]) -> Router {
    let mut router = Router::new()
        .route("/platform_api", any(platform_api))
        .route("/platform_api/", any(platform_api))
        .route("/platform_api/{*method}", any(platform_api))
        .route("/user_management/v1/users", get(voiso_users))
        .route("/api/user_management/v1/users", get(voiso_users))
        .nest(
            "/_emulator",
            crate::admin::router().layer(DefaultBodyLimit::max(ADMIN_BODY_LIMIT)),
        )
        .with_state(app);
    let origins: Vec<HeaderValue> = cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if !origins.is_empty() {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT]),
        );
    }
    router
}

/// Accepts connections until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let (tcp, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => return,
        };
        let _ = tcp.set_nodelay(true);
        let (router, tls, shutdown) = (router.clone(), tls.clone(), shutdown.clone());
        tokio::spawn(async move {
            match tls {
                None => serve_connection(tcp, router, shutdown).await,
                Some(acceptor) => match acceptor.accept(tcp).await {
                    Ok(stream) => serve_connection(stream, router, shutdown).await,
                    Err(e) => tracing::debug!("TLS handshake failed: {e}"),
                },
            }
        });
    }
}

async fn serve_connection<S>(stream: S, router: Router, mut shutdown: watch::Receiver<bool>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let kill = ConnKill::default();
    let service = TowerToHyperService::new(router.layer(axum::Extension(kill.clone())));
    let builder = auto::Builder::new(TokioExecutor::new());
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = conn => if let Err(e) = result { tracing::debug!("connection ended: {e}") },
        () = kill.0.notified() => tracing::debug!("connection closed by a fault"),
        _ = shutdown.changed() => {},
    }
}

/// What a request gets back, before it becomes a response.
enum Reply {
    Json(Vec<u8>),
    Error(VoxError),
    /// An error with an HTTP status of its own: a body that was not read.
    Refused {
        status: StatusCode,
        error: VoxError,
    },
    /// A gateway-style failure with an HTML body.
    Html {
        status: StatusCode,
        retry_after: Option<u64>,
    },
    /// Half of a JSON answer.
    Truncated(Vec<u8>),
    /// No answer at all.
    Close,
}

fn html(status: StatusCode) -> String {
    let reason = status.canonical_reason().unwrap_or("Error");
    format!("<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", code = status.as_u16())
}

/// The reply of a fault that refuses the request (`None` for faults that let it run).
fn refusal(fault: FaultKind, voiso: bool) -> Option<Reply> {
    let html = |status, retry_after| {
        Some(Reply::Html {
            status,
            retry_after,
        })
    };
    match fault {
        FaultKind::Http500 => html(StatusCode::INTERNAL_SERVER_ERROR, None),
        FaultKind::Http502 => html(StatusCode::BAD_GATEWAY, None),
        FaultKind::Http503 => html(StatusCode::SERVICE_UNAVAILABLE, None),
        FaultKind::Http503RetryAfter(s) => html(StatusCode::SERVICE_UNAVAILABLE, Some(s)),
        FaultKind::Http429 => html(StatusCode::TOO_MANY_REQUESTS, Some(1)),
        FaultKind::RateLimit if voiso => html(StatusCode::TOO_MANY_REQUESTS, Some(1)),
        FaultKind::Busy if voiso => html(StatusCode::SERVICE_UNAVAILABLE, None),
        FaultKind::RateLimit => Some(Reply::Error(VoxError::new(
            codes::RATE_LIMITED,
            "rate limit exceeded; the request was not executed",
        ))),
        FaultKind::Busy => Some(Reply::Error(VoxError::new(
            codes::TRY_LATER,
            "try later; the request was not executed",
        ))),
        FaultKind::Reset => Some(Reply::Close),
        FaultKind::Delay(_) | FaultKind::Truncated | FaultKind::DropAfterApply => None,
    }
}

/// A JSON answer.
fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The HTTP status of a body that was not read: 413 over the limit, 400 when it broke off.
fn body_status(e: &BodyError) -> StatusCode {
    match e {
        BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        BodyError::Broken(_) => StatusCode::BAD_REQUEST,
    }
}

/// Turns a reply into a response (or closes the connection), recording it in the log entry.
async fn respond(reply: Reply, kill: Option<&ConnKill>, entry: &mut LogEntry) -> Response {
    match reply {
        Reply::Json(body) => {
            entry.status = 200;
            json(StatusCode::OK, body)
        }
        Reply::Error(e) => {
            entry.status = 200;
            entry.error_code = Some(e.code);
            json(StatusCode::OK, e.to_body())
        }
        Reply::Refused { status, error } => {
            entry.status = status.as_u16();
            entry.error_code = Some(error.code);
            json(status, error.to_body())
        }
        Reply::Html {
            status,
            retry_after,
        } => {
            entry.status = status.as_u16();
            let mut response =
                (status, [(header::CONTENT_TYPE, "text/html")], html(status)).into_response();
            if let Some(s) = retry_after {
                if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            response
        }
        Reply::Truncated(mut body) => {
            entry.status = 200;
            body.truncate(body.len() / 2);
            json(StatusCode::OK, body)
        }
        Reply::Close => {
            entry.status = 0;
            match kill {
                Some(k) => k.close().await,
                // Not on a connection we control (a test calling the router directly).
                None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
    }
}

fn new_entry(app: &App, method: &Method, uri: &Uri, headers: &HeaderMap) -> LogEntry {
    LogEntry::new(
        crate::clock::format_datetime(app.clock.now()),
        method.as_str(),
        uri.path(),
        headers.contains_key(header::AUTHORIZATION),
    )
}

/// Reads a request body under the limit, noting its length in the log entry.
async fn read_body(app: &App, body: Body, entry: &mut LogEntry) -> Result<Bytes, BodyError> {
    let read = read_limited(body, app.max_body_bytes).await;
    entry.body_bytes = match &read {
        Ok(bytes) => u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        Err(e) => e.seen(),
    };
    read
}

async fn platform_api(
    AxumState(app): AxumState<Arc<App>>,
    kill: Option<Extension<ConnKill>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut entry = new_entry(&app, &method, &uri, &headers);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    // A body that was not read still has its method and query parameters logged (the request
    // is parsed without it), but nothing of it runs: it is refused before faults and auth.
    let (body, unread) = match read_body(&app, body, &mut entry).await {
        Ok(body) => (body, None),
        Err(e) => (Bytes::new(), Some(e)),
    };
    let refusal = |e: &BodyError| Reply::Refused {
        status: body_status(e),
        error: VoxError::new(codes::INVALID_ARGUMENTS, e.to_string()),
    };
    let (reply, secrets) =
        match wire::parse_request(uri.path(), uri.query(), content_type, body).await {
            Err(e) => (unread.as_ref().map_or(Reply::Error(e), refusal), Vec::new()),
            Ok(request) => {
                entry.record_params(&request.params);
                entry.record_method(request.command.as_deref());
                let info = request.command.as_deref().map(|c| {
                    roster_core::dynamic::find_method_exact(ApiKind::Voximplant, c).ok_or(())
                });
                let secrets: Vec<&str> = match info {
                    Some(Ok(info)) => info.secret_params().collect(),
                    _ => Vec::new(),
                };
                let reply = match (&unread, info) {
                    (Some(e), _) => refusal(e),
                    (None, None) => Reply::Error(VoxError::new(
                        codes::MISSING_CMD,
                        "no method given: use /platform_api/METHOD or cmd=METHOD",
                    )),
                    (None, Some(Err(()))) => {
                        Reply::Error(VoxError::new(codes::UNKNOWN_COMMAND, "unknown command"))
                    }
                    (None, Some(Ok(info))) => {
                        run_voximplant(&app, info, &request.params, authorization, &mut entry).await
                    }
                };
                (reply, secrets)
            }
        };
    let response = respond(reply, kill.as_ref().map(|k| &k.0), &mut entry).await;
    app.log.push(entry, &secrets);
    response
}

/// Faults, auth, roles, rate limit, then the method itself.
async fn run_voximplant(
    app: &App,
    info: &'static roster_core::MethodInfo,
    params: &BTreeMap<String, String>,
    authorization: Option<&str>,
    entry: &mut LogEntry,
) -> Reply {
    let fault = app.faults.pick(info.name);
    entry.fault = fault.map(|f| f.to_string());
    if let Some(f) = fault {
        if let Some(reply) = refusal(f, false) {
            return reply;
        }
        if let FaultKind::Delay(ms) = f {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }
    let result = authenticate(app, authorization, params).and_then(|principal| {
        if !principal.may_call(info.roles) {
            return Err(VoxError::new(
                codes::FORBIDDEN,
                format!("the key's roles may not call {}", info.name),
            ));
        }
        if !app.limiter.allow(principal.account_id) {
            return Err(VoxError::new(
                codes::RATE_LIMITED,
                "rate limit exceeded; the request was not executed",
            ));
        }
        execute(app, info, params)
    });
    match (result, fault) {
        (Err(e), _) => Reply::Error(e),
        (Ok(body), Some(FaultKind::Truncated)) => Reply::Truncated(body),
        (Ok(_), Some(FaultKind::DropAfterApply)) => Reply::Close,
        (Ok(body), _) => Reply::Json(body),
    }
}

fn execute(
    app: &App,
    info: &'static roster_core::MethodInfo,
    params: &BTreeMap<String, String>,
) -> Result<Vec<u8>, VoxError> {
    if voximplant::is_read(info) {
        voximplant::read(info, &app.read(), params)
    } else {
        let write = voximplant::prepare_write(info, params)?;
        let now = app.clock.now();
        write.apply(&mut app.write(), now)
    }
}

/// A bearer JWT, else the deprecated `account_id` + `api_key` parameters.
fn authenticate(
    app: &App,
    authorization: Option<&str>,
    params: &BTreeMap<String, String>,
) -> Result<Principal, VoxError> {
    if let Some(value) = authorization {
        let token =
            bearer(value).ok_or_else(|| VoxError::new(codes::BAD_TOKEN, "invalid token format"))?;
        return app.keys.verify_token(token, app.clock.now());
    }
    match (params.get("account_id"), params.get("api_key")) {
        (Some(id), Some(key)) => app.keys.verify_api_key(&app.read().account, id, key),
        _ => Err(VoxError::new(codes::AUTH_FAILED, "authorization failed")),
    }
}

/// `GET /user_management/v1/users` (also under `/api/`): Voiso's agent directory.
async fn voiso_users(
    AxumState(app): AxumState<Arc<App>>,
    kill: Option<Extension<ConnKill>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut entry = new_entry(&app, &method, &uri, &headers);
    entry.method = Some("ListUsers".to_owned());
    let params: BTreeMap<String, String> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    entry.record_params(&params);
    // Voiso takes no body, but one is read (and dropped) under the same limit rather than left
    // on the connection, so an oversized one gets the same 413, in Voiso's error shape.
    if let Err(e) = read_body(&app, body, &mut entry).await {
        let status = body_status(&e);
        entry.status = status.as_u16();
        app.log.push(entry, &[]);
        return json(
            status,
            crate::json::to_vec(&serde_json::json!({ "error": e.to_string() })),
        );
    }
    let fault = app.faults.pick("ListUsers");
    entry.fault = fault.map(|f| f.to_string());
    if let Some(reply) = fault.and_then(|f| refusal(f, true)) {
        let response = respond(reply, kill.as_ref().map(|k| &k.0), &mut entry).await;
        app.log.push(entry, &[]);
        return response;
    }
    if let Some(FaultKind::Delay(ms)) = fault {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let key_ok = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .is_some_and(|k| k == app.voiso_api_key);
    let (status, body) = if key_ok {
        match crate::voiso::list_users(&app.read(), &params) {
            Ok(body) => (StatusCode::OK, body),
            Err(message) => (
                StatusCode::BAD_REQUEST,
                crate::json::to_vec(&serde_json::json!({ "error": message })),
            ),
        }
    } else {
        (
            StatusCode::UNAUTHORIZED,
            br#"{"error":"Invalid User API Key"}"#.to_vec(),
        )
    };
    entry.status = status.as_u16();
    let response = match fault {
        Some(FaultKind::Truncated) => {
            let mut body = body;
            body.truncate(body.len() / 2);
            json(status, body)
        }
        Some(FaultKind::DropAfterApply) => {
            respond(Reply::Close, kill.as_ref().map(|k| &k.0), &mut entry).await
        }
        _ => json(status, body),
    };
    app.log.push(entry, &[]);
    response
}
