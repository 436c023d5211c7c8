//! The shared scenario vectors (`tests/scenarios/*.json`, format in its README), run through the
//! public `roster` client: a scripted [`Transport`], a [`roster::Sleeper`] that records each
//! sleep and advances a virtual clock, a [`roster::Clock`] reading that clock, an attempt hook
//! recording every attempt's text, a settings [`Host`] whose environment and files are the
//! scenario's maps, and a token provider handing out the scenario's tokens. Every file is loaded
//! and run; a file that does not parse, carries an unknown key, or asks for something this
//! runner cannot honour fails the test, as does any disagreement with what the file expects.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use roster::core::endpoint::Api;
use roster::core::settings::Host;
use roster::{
    BoxFuture, Client, Error, HttpRequest, HttpResponse, RetryOverrides, Timeouts, TokenRequest,
    Transport, TransportError, TransportErrorKind, Voiso, Voximplant,
};
use serde_json::{Map, Value};

const SCENARIO_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios");
const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

/// Where the virtual clock starts (Unix milliseconds).
const START_MS: u64 = 1_700_000_000_000;

/// The fewest scenario files the suite must find and run: a floor, so that a moved directory or
/// a lost group cannot pass as an empty run. Raise it when scenarios are added.
const EXPECTED_SCENARIOS: usize = 145;

/// The groups (first digit of the file name) that must each have at least one scenario: `0x`
/// settings, `1x`/`2x` the retry machine, `3x` lost writes, `4x` tokens, `5x` deadlines and
/// attempts, `6x` paging.
const GROUPS: &[u8] = b"0123456";

/// What the scripted host says of a path that is not in the scenario's `files`.
const NO_SUCH_FILE: &str = "No such file or directory";

// ---- the scenario file ---------------------------------------------------------------------------

/// A parsed scenario; fields not needed after validation stay as JSON.
struct Scenario {
    name: String,
    client: ClientSpec,
    env: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    kind: Kind,
    exchanges: Vec<ExchangeSpec>,
    token_requests: Option<Vec<bool>>,
    sleeps_ms: Option<Vec<u64>>,
    attempts: Option<Vec<String>>,
    outcome: Map<String, Value>,
}

struct ClientSpec {
    api: ApiName,
    /// `None`: from the environment.
    auth: Option<Auth>,
    /// `None`: from the environment, then the default.
    base_url: Option<String>,
    /// The retry overrides exactly as the file gives them: `RetryOverrides::from_json` reads
    /// them when the client is made, so a bad one is the client's error, as in every binding.
    retry: Option<Value>,
    seed: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ApiName {
    Voximplant,
    Voiso,
}

enum Auth {
    Token(String),
    /// A path or the JSON text: the resolver decides which.
    Credentials(String),
    TokenProvider(Vec<String>),
    ApiKey(String),
}

enum Kind {
    Call {
        method: String,
        params: Value,
        retry: Option<Value>,
    },
    Pages {
        method: String,
        params: Value,
        id_field: String,
        next_calls: usize,
    },
}

struct ExchangeSpec {
    expect: Map<String, Value>,
    elapse_ms: u64,
    reply: Reply,
}

#[derive(Clone)]
enum Reply {
    Answer(HttpResponse),
    Fail(TransportErrorKind),
}

const TOP_KEYS: &[&str] = &[
    "name",
    "client",
    "env",
    "files",
    "call",
    "pages",
    "exchanges",
    "token_requests",
    "sleeps_ms",
    "outcome",
    "attempts",
];
const CLIENT_KEYS: &[&str] = &["api", "auth", "base_url", "retry", "seed"];
const AUTH_KEYS: &[&str] = &["token", "credentials", "token_provider", "api_key"];
const CALL_KEYS: &[&str] = &["method", "params", "retry"];
const PAGES_KEYS: &[&str] = &["method", "params", "id_field", "next_calls"];
const EXCHANGE_KEYS: &[&str] = &["expect", "elapse_ms", "answer", "fail"];
const EXPECT_KEYS: &[&str] = &[
    "http_method",
    "path",
    "params",
    "absent",
    "attempt",
    "headers",
    "header_prefixes",
    "timeout_ms",
];
const ANSWER_KEYS: &[&str] = &["status", "headers", "body"];
const TOKEN_REQUEST_KEYS: &[&str] = &["force_refresh"];
const ERROR_KEYS: &[&str] = &[
    "code",
    "parameter",
    "rule",
    "api_code",
    "kind",
    "http_status",
    "transport_kind",
    "method",
    "cause",
    "errors",
    "message_contains",
    "message_excludes",
];
const PAGE_ENTRY_KEYS: &[&str] = &["ids", "error", "end"];

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{at}: expected an object, got {v}"))
}

/// Every key of `map` must be one of `allowed`.
fn known_keys(map: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), String> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("{at}: unknown key `{k}` (allowed: {allowed:?})")),
        None => Ok(()),
    }
}

fn string(map: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    map.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("{at}.{key}: a string is required"))
}

fn uint(v: &Value, at: &str) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("{at}: a non-negative integer is required, got {v}"))
}

fn strings(v: &Value, at: &str) -> Result<Vec<String>, String> {
    v.as_array()
        .and_then(|a| a.iter().map(|s| s.as_str().map(str::to_owned)).collect())
        .ok_or_else(|| format!("{at}: a list of strings is required, got {v}"))
}

/// `@fixture:NAME` stands for the text of `tests/fixtures/NAME`.
fn fixture(text: &str) -> Result<String, String> {
    match text.strip_prefix("@fixture:") {
        Some(name) => std::fs::read_to_string(Path::new(FIXTURE_DIR).join(name))
            .map_err(|e| format!("cannot read fixture {name}: {e}")),
        None => Ok(text.to_owned()),
    }
}

/// A map of strings (`env`, `files`), fixtures read.
fn string_map(top: &Map<String, Value>, key: &str) -> Result<BTreeMap<String, String>, String> {
    let Some(v) = top.get(key) else {
        return Ok(BTreeMap::new());
    };
    object(v, key)?
        .iter()
        .map(|(k, v)| {
            let text = v
                .as_str()
                .ok_or_else(|| format!("{key}.{k}: a string is required, got {v}"))?;
            Ok((k.clone(), fixture(text)?))
        })
        .collect()
}

/// Retry overrides must be an object; their keys and values are `RetryOverrides::from_json`'s
/// to judge (when the client is made, or when the call starts).
fn retry_json(v: &Value, at: &str) -> Result<Value, String> {
    object(v, at)?;
    Ok(v.clone())
}

fn parse_auth(a: &Map<String, Value>, api: ApiName) -> Result<Auth, String> {
    known_keys(a, AUTH_KEYS, "client.auth")?;
    if a.len() != 1 {
        return Err("client.auth: exactly one way to authenticate is required".into());
    }
    let auth = if let Some(tokens) = a.get("token_provider") {
        let tokens = strings(tokens, "client.auth.token_provider")?
            .iter()
            .map(|t| fixture(t))
            .collect::<Result<Vec<_>, _>>()?;
        Auth::TokenProvider(tokens)
    } else if a.contains_key("token") {
        Auth::Token(fixture(&string(a, "token", "client.auth")?)?)
    } else if a.contains_key("api_key") {
        Auth::ApiKey(fixture(&string(a, "api_key", "client.auth")?)?)
    } else {
        Auth::Credentials(fixture(&string(a, "credentials", "client.auth")?)?)
    };
    match (api, &auth) {
        (ApiName::Voiso, Auth::ApiKey(_))
        | (ApiName::Voximplant, Auth::Token(_))
        | (ApiName::Voximplant, Auth::Credentials(_))
        | (ApiName::Voximplant, Auth::TokenProvider(_)) => Ok(auth),
        (ApiName::Voiso, _) => Err("client.auth: a Voiso client takes only api_key".into()),
        (ApiName::Voximplant, _) => Err(
            "client.auth: api_key is Voiso's; a Voximplant client takes token, credentials or \
             token_provider"
                .into(),
        ),
    }
}

fn parse_scenario(text: &str) -> Result<Scenario, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let top = object(&root, "scenario")?;
    known_keys(top, TOP_KEYS, "scenario")?;
    let name = string(top, "name", "scenario")?;

    let c = object(
        top.get("client").ok_or("scenario.client is required")?,
        "client",
    )?;
    known_keys(c, CLIENT_KEYS, "client")?;
    let api = match string(c, "api", "client")?.as_str() {
        "voximplant" => ApiName::Voximplant,
        "voiso" => ApiName::Voiso,
        other => return Err(format!("client.api: unknown API {other:?}")),
    };
    let auth = c
        .get("auth")
        .map(|a| parse_auth(object(a, "client.auth")?, api))
        .transpose()?;
    let base_url = c
        .get("base_url")
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or("client.base_url: a string is required")
        })
        .transpose()?;
    let retry = c
        .get("retry")
        .map(|v| retry_json(v, "client.retry"))
        .transpose()?;
    let seed = c.get("seed").map_or(Ok(0), |v| uint(v, "client.seed"))?;
    let env = string_map(top, "env")?;
    let files = string_map(top, "files")?;

    let kind = match (top.get("call"), top.get("pages")) {
        (Some(call), None) => {
            let m = object(call, "call")?;
            known_keys(m, CALL_KEYS, "call")?;
            Kind::Call {
                method: string(m, "method", "call")?,
                params: m.get("params").cloned().unwrap_or(Value::Null),
                retry: m
                    .get("retry")
                    .map(|v| retry_json(v, "call.retry"))
                    .transpose()?,
            }
        }
        (None, Some(pages)) => {
            let m = object(pages, "pages")?;
            known_keys(m, PAGES_KEYS, "pages")?;
            Kind::Pages {
                method: string(m, "method", "pages")?,
                params: m.get("params").cloned().unwrap_or(Value::Null),
                id_field: string(m, "id_field", "pages")?,
                next_calls: usize::try_from(uint(
                    m.get("next_calls").ok_or("pages.next_calls is required")?,
                    "pages.next_calls",
                )?)
                .map_err(|e| e.to_string())?,
            }
        }
        _ => return Err("exactly one of `call` and `pages` is required".into()),
    };

    let mut exchanges = Vec::new();
    let list = top
        .get("exchanges")
        .and_then(Value::as_array)
        .ok_or("scenario.exchanges: a list is required")?;
    for (i, x) in list.iter().enumerate() {
        exchanges.push(parse_exchange(x, &format!("exchanges[{i}]"))?);
    }

    let token_requests = top
        .get("token_requests")
        .map(|v| {
            if !matches!(auth, Some(Auth::TokenProvider(_))) {
                return Err("token_requests: only a client with a token provider is asked".into());
            }
            v.as_array()
                .ok_or("token_requests: a list is required".to_owned())?
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let at = format!("token_requests[{i}]");
                    let m = object(r, &at)?;
                    known_keys(m, TOKEN_REQUEST_KEYS, &at)?;
                    m.get("force_refresh")
                        .and_then(Value::as_bool)
                        .ok_or(format!("{at}.force_refresh: true or false is required"))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let sleeps_ms = top
        .get("sleeps_ms")
        .map(|v| {
            v.as_array()
                .ok_or("sleeps_ms: a list is required".to_owned())?
                .iter()
                .map(|s| uint(s, "sleeps_ms[]"))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let attempts = top
        .get("attempts")
        .map(|v| strings(v, "attempts"))
        .transpose()?;
    let outcome = object(
        top.get("outcome").ok_or("scenario.outcome is required")?,
        "outcome",
    )?
    .clone();
    validate_outcome(&outcome, &kind)?;
    Ok(Scenario {
        name,
        client: ClientSpec {
            api,
            auth,
            base_url,
            retry,
            seed,
        },
        env,
        files,
        kind,
        exchanges,
        token_requests,
        sleeps_ms,
        attempts,
        outcome,
    })
}

fn parse_exchange(x: &Value, at: &str) -> Result<ExchangeSpec, String> {
    let m = object(x, at)?;
    known_keys(m, EXCHANGE_KEYS, at)?;
    let expect = match m.get("expect") {
        Some(v) => object(v, &format!("{at}.expect"))?.clone(),
        None => Map::new(),
    };
    known_keys(&expect, EXPECT_KEYS, &format!("{at}.expect"))?;
    for (k, v) in &expect {
        shape(k, v, &format!("{at}.expect"))?;
    }
    let elapse_ms = m
        .get("elapse_ms")
        .map_or(Ok(0), |v| uint(v, &format!("{at}.elapse_ms")))?;
    let reply = match (m.get("answer"), m.get("fail")) {
        (Some(answer), None) => {
            let am = object(answer, &format!("{at}.answer"))?;
            known_keys(am, ANSWER_KEYS, &format!("{at}.answer"))?;
            let status = u16::try_from(uint(
                am.get("status").unwrap_or(&Value::Null),
                &format!("{at}.answer.status"),
            )?)
            .map_err(|e| format!("{at}.answer.status: {e}"))?;
            let body = am.get("body").map_or(Ok(String::new()), |b| {
                b.as_str()
                    .map(str::to_owned)
                    .ok_or(format!("{at}.answer.body: the exact text is required"))
            })?;
            let mut response = HttpResponse::new(status, body.into_bytes());
            if let Some(h) = am.get("headers") {
                for (k, v) in object(h, &format!("{at}.answer.headers"))? {
                    let v = v
                        .as_str()
                        .ok_or(format!("{at}.answer.headers.{k}: a string is required"))?;
                    response.headers.push((k.clone(), v.to_owned()));
                }
            }
            Reply::Answer(response)
        }
        (None, Some(fail)) => Reply::Fail(match fail.as_str() {
            Some("not_sent") => TransportErrorKind::NotSent,
            Some("timed_out") => TransportErrorKind::TimedOut,
            Some("interrupted") => TransportErrorKind::Interrupted,
            _ => return Err(format!("{at}.fail: unknown failure {fail}")),
        }),
        _ => {
            return Err(format!(
                "{at}: exactly one of `answer` and `fail` is required"
            ))
        }
    };
    Ok(ExchangeSpec {
        expect,
        elapse_ms,
        reply,
    })
}

/// The value of `key` has the JSON shape the README gives it, so that no check is silently
/// skipped because of a typo in a vector.
fn shape(key: &str, v: &Value, at: &str) -> Result<(), String> {
    let at = format!("{at}.{key}");
    let string_map = |v: &Value| {
        object(v, &at)?.iter().try_for_each(|(k, v)| match v {
            Value::String(_) => Ok(()),
            _ => Err(format!("{at}.{k}: a string is required, got {v}")),
        })
    };
    match key {
        "attempt" | "timeout_ms" | "api_code" | "http_status" => uint(v, &at).map(|_| ()),
        "params" | "headers" | "header_prefixes" => string_map(v),
        "absent" | "message_contains" | "message_excludes" => strings(v, &at).map(|_| ()),
        "errors" => v
            .as_array()
            .filter(|a| a.iter().all(Value::is_i64))
            .map(|_| ())
            .ok_or_else(|| format!("{at}: a list of integer codes is required, got {v}")),
        _ => v
            .as_str()
            .map(|_| ())
            .ok_or_else(|| format!("{at}: a string is required, got {v}")),
    }
}

fn validate_error(v: &Value, at: &str) -> Result<(), String> {
    let m = object(v, at)?;
    known_keys(m, ERROR_KEYS, at)?;
    if !m.contains_key("code") {
        return Err(format!("{at}.code is required"));
    }
    m.iter().try_for_each(|(k, v)| shape(k, v, at))
}

fn validate_outcome(outcome: &Map<String, Value>, kind: &Kind) -> Result<(), String> {
    match kind {
        Kind::Call { .. } => {
            known_keys(outcome, &["result", "error"], "outcome")?;
            if outcome.len() != 1 {
                return Err("outcome: exactly one of `result` and `error` is required".into());
            }
            if let Some(e) = outcome.get("error") {
                validate_error(e, "outcome.error")?;
            }
        }
        Kind::Pages { .. } => {
            known_keys(outcome, &["pages", "error"], "outcome")?;
            if outcome.len() != 1 {
                return Err("outcome: exactly one of `pages` and `error` is required".into());
            }
            if let Some(e) = outcome.get("error") {
                // A client that cannot be made ends a listing too.
                validate_error(e, "outcome.error")?;
                return Ok(());
            }
            let pages = outcome
                .get("pages")
                .and_then(Value::as_array)
                .ok_or("outcome.pages: a list is required")?;
            for (i, p) in pages.iter().enumerate() {
                let at = format!("outcome.pages[{i}]");
                let m = object(p, &at)?;
                known_keys(m, PAGE_ENTRY_KEYS, &at)?;
                if m.len() != 1 {
                    return Err(format!("{at}: exactly one of ids, error, end is required"));
                }
                if let Some(e) = m.get("error") {
                    validate_error(e, &format!("{at}.error"))?;
                }
                if m.get("end").is_some_and(|e| e != &Value::Bool(true)) {
                    return Err(format!("{at}.end must be true"));
                }
            }
        }
    }
    Ok(())
}

// ---- the scripted world -------------------------------------------------------------------------

/// One request the binding sent, with the total timeout it handed the transport.
struct Sent {
    request: HttpRequest,
    timeout: Duration,
}

/// The virtual clock, the script and everything the binding did.
struct World {
    now_ms: AtomicU64,
    replies: Vec<(u64, Reply)>,
    sent: Mutex<Vec<Sent>>,
    sleeps: Mutex<Vec<u64>>,
    attempts: Mutex<Vec<String>>,
    /// The provider's tokens not handed out yet.
    tokens: Mutex<VecDeque<String>>,
    /// `force_refresh` of every request for a token.
    token_requests: Mutex<Vec<bool>>,
    /// What the binding did that the scenario forbids outright (asking for a token more often
    /// than the scenario lists).
    violations: Mutex<Vec<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Answers each request with the next exchange of the script, after advancing the clock by its
/// `elapse_ms`. A request past the script is refused as never sent, and reported.
struct ScriptedTransport(Arc<World>);

impl Transport for ScriptedTransport {
    fn send(
        &self,
        request: HttpRequest,
        timeouts: Timeouts,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let world = &self.0;
        let index = {
            let mut sent = lock(&world.sent);
            sent.push(Sent {
                request,
                timeout: timeouts.total,
            });
            sent.len() - 1
        };
        let reply = match world.replies.get(index) {
            Some((elapse, reply)) => {
                world.now_ms.fetch_add(*elapse, Ordering::SeqCst);
                match reply.clone() {
                    Reply::Answer(r) => Ok(r),
                    Reply::Fail(kind) => Err(TransportError::new(kind, "scripted")),
                }
            }
            None => Err(TransportError::new(
                TransportErrorKind::NotSent,
                "the scenario has no exchange left for this request",
            )),
        };
        Box::pin(async move { reply })
    }
}

/// The settings resolver's host: the scenario's `env` and `files`, and nothing else. A variable
/// not in `env` is unset; a path not in `files` cannot be read.
struct MapHost {
    env: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
}

impl Host for MapHost {
    fn env(&self, name: &str) -> Option<String> {
        self.env.get(name).cloned()
    }

    fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
        self.files
            .get(path)
            .map(|text| text.as_bytes().to_vec())
            .ok_or_else(|| NO_SUCH_FILE.to_owned())
    }
}

/// A token provider handing out `world.tokens` in turn and recording each request.
fn token_provider(world: &Arc<World>) -> roster::TokenProvider {
    let w = Arc::clone(world);
    Arc::new(move |ask: TokenRequest| {
        lock(&w.token_requests).push(ask.force_refresh);
        let next = lock(&w.tokens).pop_front();
        let answer = next.ok_or_else(|| {
            let n = lock(&w.token_requests).len();
            lock(&w.violations).push(format!(
                "the token provider was asked {n} times, more often than the scenario lists \
                 tokens"
            ));
            Error::Config("the scenario's token provider has no token left".to_owned())
        });
        Box::pin(async move { answer }) as BoxFuture<'static, Result<String, Error>>
    })
}

/// Gives a builder of either API everything a scenario's client shares: base URL, retry
/// overrides, seed, host, transport, sleeper, clock and attempt hook.
macro_rules! common {
    ($builder:expr, $spec:expr, $world:expr, $host:expr) => {{
        let spec: &ClientSpec = $spec;
        let world: &Arc<World> = $world;
        let mut b = $builder;
        if let Some(url) = &spec.base_url {
            b = b.base_url(url.clone());
        }
        if let Some(retry) = &spec.retry {
            b = b.retry(RetryOverrides::from_json(retry)?);
        }
        let w = Arc::clone(world);
        let sleeper: roster::Sleeper = Arc::new(move |d: Duration| {
            let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
            lock(&w.sleeps).push(ms);
            w.now_ms.fetch_add(ms, Ordering::SeqCst);
            Box::pin(async {}) as BoxFuture<'static, ()>
        });
        let w = Arc::clone(world);
        let clock: roster::Clock = Arc::new(move || w.now_ms.load(Ordering::SeqCst));
        let w = Arc::clone(world);
        b.jitter_seed(spec.seed)
            .host($host)
            .transport(Arc::new(ScriptedTransport(Arc::clone(world))))
            .sleeper(sleeper)
            .clock(clock)
            .on_attempt(move |event: &roster::AttemptEvent| {
                lock(&w.attempts).push(event.to_string())
            })
    }};
}

fn make_voximplant(
    spec: &ClientSpec,
    world: &Arc<World>,
    host: Arc<MapHost>,
) -> Result<Voximplant, Error> {
    let mut b = Voximplant::builder();
    match &spec.auth {
        None => {}
        Some(Auth::Token(t)) => b = b.token(t.clone()),
        Some(Auth::Credentials(c)) => b = b.credentials_json(c.clone()),
        Some(Auth::TokenProvider(_)) => b = b.token_provider(token_provider(world)),
        // Refused when the file was read.
        Some(Auth::ApiKey(_)) => unreachable!("api_key with voximplant"),
    }
    common!(b, spec, world, host).build()
}

fn make_voiso(spec: &ClientSpec, world: &Arc<World>, host: Arc<MapHost>) -> Result<Voiso, Error> {
    let mut b = Voiso::builder();
    match &spec.auth {
        None => {}
        Some(Auth::ApiKey(k)) => b = b.api_key(k.clone()),
        // Refused when the file was read.
        Some(_) => unreachable!("voiso takes only api_key"),
    }
    common!(b, spec, world, host).build()
}

/// What one `next` call gave.
enum Next {
    Ids(Vec<Value>),
    Error(Error),
    End,
}

/// Asks the listing by name for its next page `next_calls` times.
async fn run_pages<A: Api>(
    client: &Client<A>,
    method: &str,
    params: &Value,
    id_field: &str,
    next_calls: usize,
) -> Vec<Next> {
    let mut pages = match client.pages_by_name(method, params.clone()) {
        Ok(p) => p,
        // Parameters that cannot page: the first `next` reports it and the listing is over,
        // as with the typed `Pages`.
        Err(e) => {
            let mut out = vec![Next::Error(e)];
            out.extend((1..next_calls).map(|_| Next::End));
            return out;
        }
    };
    let mut out = Vec::new();
    for _ in 0..next_calls {
        out.push(match pages.next_page().await {
            None => Next::End,
            Some(Err(e)) => Next::Error(e),
            Some(Ok(items)) => Next::Ids(
                items
                    .iter()
                    .map(|item| item.get(id_field).cloned().unwrap_or(Value::Null))
                    .collect(),
            ),
        });
    }
    out
}

/// A call by name, with the per-call overrides if the scenario gives them.
async fn run_call<A: Api>(
    client: &Client<A>,
    method: &str,
    params: &Value,
    retry: Option<&Value>,
) -> Result<Value, Error> {
    match retry {
        None => client.call(method, params.clone()).await,
        Some(r) => {
            let overrides = RetryOverrides::from_json(r)?;
            client.call_with(method, params.clone(), &overrides).await
        }
    }
}

/// Runs the scenario's call or listing on a client that was made.
async fn run_on<A: Api>(client: &Client<A>, s: &Scenario, diffs: &mut Vec<String>) {
    match &s.kind {
        Kind::Call {
            method,
            params,
            retry,
        } => {
            let result = run_call(client, method, params, retry.as_ref()).await;
            check_call_outcome(&s.outcome, result, diffs);
        }
        Kind::Pages {
            method,
            params,
            id_field,
            next_calls,
        } => {
            let got = run_pages(client, method, params, id_field, *next_calls).await;
            check_pages_outcome(&s.outcome, &got, diffs);
        }
    }
}

// ---- checks -------------------------------------------------------------------------------------

fn show(v: &Value) -> String {
    v.to_string()
}

/// Compares an error with the expected `{ code, ... }`, adding each mismatch to `diffs`.
/// `message_contains` is looked for in the message (`Display`); `message_excludes` in every
/// string form of the error: `Display`, `Debug`, and its details as JSON.
fn check_error(want: &Value, got: &Error, at: &str, diffs: &mut Vec<String>) {
    let Some(want) = want.as_object() else {
        return;
    };
    let d = got.details();
    let display = got.to_string();
    let forms = [
        display.clone(),
        format!("{got:?}"),
        format!("{d:?}"),
        serde_json::to_string(&d).unwrap_or_default(),
    ];
    let opt_str = |s: Option<&str>| s.map_or(Value::Null, |s| Value::from(s.to_owned()));
    for (key, expected) in want {
        let actual = match key.as_str() {
            "code" => Value::from(d.code),
            "parameter" => opt_str(d.parameter.as_deref()),
            "rule" => opt_str(d.rule),
            "api_code" => d.api_code.map_or(Value::Null, Value::from),
            "kind" => opt_str(d.api_kind),
            "http_status" => d.http_status.map_or(Value::Null, Value::from),
            "transport_kind" => opt_str(d.transport_kind),
            "method" => opt_str(d.method.as_deref()),
            "cause" => opt_str(d.cause),
            "errors" => Value::from(d.errors.iter().map(|e| e.code).collect::<Vec<_>>()),
            "message_contains" => {
                for fragment in expected.as_array().into_iter().flatten() {
                    let f = fragment.as_str().unwrap_or_default();
                    if !display.contains(f) {
                        diffs.push(format!(
                            "{at}.message_contains: {f:?} is not in the message {display:?}"
                        ));
                    }
                }
                continue;
            }
            "message_excludes" => {
                for fragment in expected.as_array().into_iter().flatten() {
                    let f = fragment.as_str().unwrap_or_default();
                    if let Some(form) = forms.iter().find(|form| form.contains(f)) {
                        diffs.push(format!(
                            "{at}.message_excludes: {f:?} appears in the error: {form}"
                        ));
                    }
                }
                continue;
            }
            _ => continue,
        };
        if &actual != expected {
            diffs.push(format!(
                "{at}.{key}: want {}, got {} (error: {display})",
                show(expected),
                show(&actual)
            ));
        }
    }
}

fn check_call_outcome(
    outcome: &Map<String, Value>,
    result: Result<Value, Error>,
    diffs: &mut Vec<String>,
) {
    match (result, outcome.get("result"), outcome.get("error")) {
        (Ok(got), Some(want), _) => {
            if &got != want {
                diffs.push(format!(
                    "outcome.result: want {}, got {}",
                    show(want),
                    show(&got)
                ));
            }
        }
        (Ok(got), None, _) => diffs.push(format!(
            "outcome: want an error, got the result {}",
            show(&got)
        )),
        (Err(e), _, Some(want)) => check_error(want, &e, "outcome.error", diffs),
        (Err(e), _, None) => diffs.push(format!(
            "outcome: want a result, got the error {} ({e})",
            e.code()
        )),
    }
}

fn check_pages_outcome(outcome: &Map<String, Value>, got: &[Next], diffs: &mut Vec<String>) {
    let Some(want) = outcome.get("pages").and_then(Value::as_array) else {
        diffs.push("outcome: want the client's error, but the client was made".to_owned());
        return;
    };
    if want.len() != got.len() {
        diffs.push(format!(
            "outcome.pages: {} entries for {} next calls",
            want.len(),
            got.len()
        ));
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        let at = format!("outcome.pages[{i}]");
        match (w.get("ids"), w.get("error"), g) {
            (Some(ids), _, Next::Ids(got)) => {
                let got = Value::from(got.clone());
                if ids != &got {
                    diffs.push(format!("{at}.ids: want {ids}, got {got}"));
                }
            }
            (_, Some(e), Next::Error(got)) => check_error(e, got, &format!("{at}.error"), diffs),
            (None, None, Next::End) => {}
            (_, _, got) => diffs.push(format!(
                "{at}: want {w}, got {}",
                match got {
                    Next::Ids(ids) => format!("ids {}", Value::from(ids.clone())),
                    Next::Error(e) => format!("the error {} ({e})", e.code()),
                    Next::End => "the end".to_owned(),
                }
            )),
        }
    }
}

fn request_params(r: &HttpRequest) -> Vec<(String, String)> {
    let mut all = r.query_params();
    all.extend(r.form_params());
    all
}

fn path_of(r: &HttpRequest) -> &str {
    let pq = r.path_and_query();
    pq.split_once('?').map_or(pq, |(p, _)| p)
}

/// The request line, secrets redacted.
fn describe(r: &HttpRequest) -> String {
    r.redacted()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A header value as a mismatch report may show it: an `authorization` value (a token, or
/// whatever a broken binding put there) only as far as the expected text reaches, so that a
/// report never prints a whole credential.
fn shown_header(name: &str, got: Option<&str>, expected: &str) -> Value {
    let Some(got) = got else {
        return Value::Null;
    };
    if !name.eq_ignore_ascii_case("authorization") {
        return Value::from(got);
    }
    let keep = expected.chars().count();
    let total = got.chars().count();
    if total <= keep {
        return Value::from(got);
    }
    let head: String = got.chars().take(keep).collect();
    Value::from(format!(
        "{head}... ({} more characters not shown)",
        total - keep
    ))
}

fn check_request(i: usize, want: &Map<String, Value>, sent: &Sent, diffs: &mut Vec<String>) {
    let r = &sent.request;
    let at = format!("exchanges[{i}].expect");
    let mut differ = |what: &str, want: &Value, got: Value| {
        if want != &got {
            diffs.push(format!(
                "{at}.{what}: want {}, got {} (request: {})",
                show(want),
                show(&got),
                describe(r)
            ));
        }
    };
    let params = request_params(r);
    for (key, value) in want {
        match key.as_str() {
            "http_method" => differ(key, value, Value::from(r.method.as_str())),
            "path" => differ(key, value, Value::from(path_of(r))),
            "attempt" => differ(
                key,
                &Value::from(value.as_u64().unwrap_or_default().to_string()),
                r.header(roster::core::call::ATTEMPT_HEADER)
                    .map_or(Value::Null, Value::from),
            ),
            "timeout_ms" => differ(
                key,
                value,
                Value::from(u64::try_from(sent.timeout.as_millis()).unwrap_or(u64::MAX)),
            ),
            "params" => {
                for (name, expected) in value.as_object().into_iter().flatten() {
                    let got: Vec<&str> = params
                        .iter()
                        .filter(|(k, _)| k == name)
                        .map(|(_, v)| v.as_str())
                        .collect();
                    let got = match got.as_slice() {
                        [] => Value::Null,
                        [one] => Value::from(*one),
                        many => Value::from(many.to_vec()),
                    };
                    differ(&format!("params.{name}"), expected, got);
                }
            }
            "absent" => {
                for name in value.as_array().into_iter().flatten() {
                    let name = name.as_str().unwrap_or_default();
                    if let Some((_, v)) = params.iter().find(|(k, _)| k == name) {
                        differ(
                            &format!("absent.{name}"),
                            &Value::Null,
                            Value::from(v.clone()),
                        );
                    }
                }
            }
            "headers" => {
                for (name, expected) in value.as_object().into_iter().flatten() {
                    let got = r.header(&name.to_ascii_lowercase());
                    if got != expected.as_str() {
                        let shown = shown_header(name, got, expected.as_str().unwrap_or_default());
                        differ(&format!("headers.{name}"), expected, shown);
                    }
                }
            }
            "header_prefixes" => {
                for (name, prefix) in value.as_object().into_iter().flatten() {
                    let prefix = prefix.as_str().unwrap_or_default();
                    let got = r.header(&name.to_ascii_lowercase());
                    if !got.is_some_and(|v| v.starts_with(prefix)) {
                        differ(
                            &format!("header_prefixes.{name}"),
                            &Value::from(format!("{prefix}...")),
                            shown_header(name, got, prefix),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_list<T: PartialEq + std::fmt::Debug>(
    what: &str,
    want: &[T],
    got: &[T],
    diffs: &mut Vec<String>,
) {
    if want != got {
        let mut text = format!("{what} differ:\n      want: [");
        for w in want {
            text.push_str(&format!("\n        {w:?}"));
        }
        text.push_str("\n      ]\n      got:  [");
        for g in got {
            text.push_str(&format!("\n        {g:?}"));
        }
        text.push_str("\n      ]");
        diffs.push(text);
    }
}

/// Runs one scenario and returns every disagreement with it.
async fn run(s: &Scenario) -> Vec<String> {
    let world = Arc::new(World {
        now_ms: AtomicU64::new(START_MS),
        replies: s
            .exchanges
            .iter()
            .map(|x| (x.elapse_ms, x.reply.clone()))
            .collect(),
        sent: Mutex::default(),
        sleeps: Mutex::default(),
        attempts: Mutex::default(),
        tokens: Mutex::new(match &s.client.auth {
            Some(Auth::TokenProvider(tokens)) => tokens.iter().cloned().collect(),
            _ => VecDeque::new(),
        }),
        token_requests: Mutex::default(),
        violations: Mutex::default(),
    });
    let host = Arc::new(MapHost {
        env: s.env.clone(),
        files: s.files.clone(),
    });
    let mut diffs = Vec::new();

    let made = match s.client.api {
        ApiName::Voximplant => match make_voximplant(&s.client, &world, host) {
            Ok(client) => {
                run_on(&client, s, &mut diffs).await;
                Ok(())
            }
            Err(e) => Err(e),
        },
        ApiName::Voiso => match make_voiso(&s.client, &world, host) {
            Ok(client) => {
                run_on(&client, s, &mut diffs).await;
                Ok(())
            }
            Err(e) => Err(e),
        },
    };
    // A client that cannot be made ends the scenario with its error; the exchange checks below
    // then require the scenario to list none.
    if let Err(e) = made {
        match s.outcome.get("error") {
            Some(want) => check_error(want, &e, "outcome.error", &mut diffs),
            None => diffs.push(format!("the client could not be made: {} ({e})", e.code())),
        }
    }

    let sent = lock(&world.sent);
    for (i, (want, got)) in s.exchanges.iter().zip(sent.iter()).enumerate() {
        check_request(i, &want.expect, got, &mut diffs);
    }
    if sent.len() > s.exchanges.len() {
        for extra in sent.iter().skip(s.exchanges.len()) {
            diffs.push(format!(
                "a request after the last exchange: {}",
                describe(&extra.request)
            ));
        }
    } else if sent.len() < s.exchanges.len() {
        diffs.push(format!(
            "{} of {} exchanges left unused (the binding sent {} requests)",
            s.exchanges.len() - sent.len(),
            s.exchanges.len(),
            sent.len()
        ));
    }
    diffs.extend(lock(&world.violations).iter().cloned());
    if let Some(want) = &s.token_requests {
        let want: Vec<String> = want.iter().map(|f| format!("force_refresh: {f}")).collect();
        let got: Vec<String> = lock(&world.token_requests)
            .iter()
            .map(|f| format!("force_refresh: {f}"))
            .collect();
        check_list("token_requests", &want, &got, &mut diffs);
    }
    if let Some(want) = &s.sleeps_ms {
        check_list("sleeps_ms", want, &lock(&world.sleeps), &mut diffs);
    }
    if let Some(want) = &s.attempts {
        check_list("attempts", want, &lock(&world.attempts), &mut diffs);
    }
    diffs
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(SCENARIO_DIR)
        .unwrap_or_else(|e| panic!("cannot list {SCENARIO_DIR}: {e}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Writes to the process's stderr itself: the test harness captures `eprintln!` of a passing
/// test, and the summary must be seen on every run.
fn loud(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(text.as_bytes());
}

#[tokio::test(flavor = "current_thread")]
async fn every_scenario_passes() {
    let files = scenario_files();
    let mut failures = Vec::new();
    let mut ran = 0usize;
    let mut passed = 0usize;
    let mut seen_names = BTreeSet::new();
    for path in &files {
        let file = file_name(path);
        let numbered = file.len() > 3
            && file.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && file.as_bytes()[2] == b'-';
        if !numbered {
            failures.push(format!("{file}: not named NN-short-name.json"));
            continue;
        }
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{file}: cannot read: {e}"));
                continue;
            }
        };
        let scenario = match parse_scenario(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{file}: cannot run: {e}"));
                continue;
            }
        };
        if !seen_names.insert(scenario.name.clone()) {
            failures.push(format!(
                "{file}: the name {:?} is used twice",
                scenario.name
            ));
        }
        ran += 1;
        let diffs = run(&scenario).await;
        if diffs.is_empty() {
            passed += 1;
        } else {
            failures.push(format!(
                "{file} ({}):\n  - {}",
                scenario.name,
                diffs.join("\n  - ")
            ));
        }
    }

    if ran != files.len() {
        failures.push(format!(
            "{} of {} scenario files were not run (see above)",
            files.len() - ran,
            files.len()
        ));
    }
    for group in GROUPS {
        if !files
            .iter()
            .any(|p| file_name(p).as_bytes().first() == Some(group))
        {
            failures.push(format!(
                "no scenario of group {}x in {SCENARIO_DIR}",
                char::from(*group)
            ));
        }
    }
    if ran < EXPECTED_SCENARIOS {
        failures.push(format!(
            "only {ran} scenarios ran; at least {EXPECTED_SCENARIOS} are expected in {SCENARIO_DIR}"
        ));
    }
    loud(&format!(
        "scenarios: {ran} run of {} files, {passed} passed, {} problem(s)\n",
        files.len(),
        failures.len()
    ));
    assert!(
        failures.is_empty(),
        "{} scenario problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
