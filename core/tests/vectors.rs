//! Runs every conformance vector in `tests/vectors/` against the core's call-by-name path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use roster_core::dynamic::{find_method, parse_response};
use roster_core::{ApiKind, Error, HttpResponse, VoisoClient, VoximplantAuth, VoximplantClient};
use serde_json::{json, Map, Value};

const NOW: u64 = 1_700_000_000;

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// The error in the vectors' terms.
fn error_json(e: &Error) -> Value {
    let mut out = Map::new();
    out.insert("code".into(), json!(e.code()));
    match e {
        Error::Validation(v) => {
            out.insert("parameter".into(), json!(v.parameter));
            out.insert("rule".into(), json!(v.rule.as_str()));
        }
        Error::Api(a) => {
            out.insert("api_code".into(), json!(a.code));
            out.insert("kind".into(), json!(a.kind.as_str()));
            out.insert("msg".into(), json!(a.msg));
            if let Some(f) = &a.field_name {
                out.insert("field_name".into(), json!(f));
            }
            out.insert("http_status".into(), json!(a.http_status));
            out.insert("error_count".into(), json!(a.errors.len()));
        }
        Error::HttpStatus { status, .. } => {
            out.insert("status".into(), json!(status));
        }
        _ => {}
    }
    Value::Object(out)
}

/// Every key of `expected` must equal the same key of `actual`.
fn check_subset(expected: &Value, actual: &Value) -> Result<(), String> {
    let (Some(exp), Some(act)) = (expected.as_object(), actual.as_object()) else {
        return Err("expected an object".into());
    };
    for (k, v) in exp {
        if act.get(k) != Some(v) {
            return Err(format!(
                "{k}: expected {v}, got {}",
                act.get(k).unwrap_or(&Value::Null)
            ));
        }
    }
    Ok(())
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

struct Clients {
    vox: VoximplantClient,
    voiso: VoisoClient,
}

impl Clients {
    fn new() -> Self {
        Self {
            vox: VoximplantClient::new(
                VoximplantAuth::Token("test-token".into()),
                Some("https://api.voximplant.com"),
            )
            .unwrap(),
            voiso: VoisoClient::new("test-voiso-key", Some("https://cluster1.voiso.com")).unwrap(),
        }
    }

    fn prepare(
        &mut self,
        api: ApiKind,
        method: &str,
        params: Value,
    ) -> Result<roster_core::HttpRequest, Error> {
        match api {
            ApiKind::Voximplant => self.vox.prepare_json(method, params, NOW),
            ApiKind::Voiso => self.voiso.prepare_json(method, params),
        }
    }
}

fn run_file(path: &Path, clients: &mut Clients, failures: &mut Vec<String>) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let file: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let api = match file["api"].as_str() {
        Some("voximplant") => ApiKind::Voximplant,
        Some("voiso") => ApiKind::Voiso,
        other => panic!("{}: unknown api {other:?}", path.display()),
    };
    let method = file["method"].as_str().unwrap();
    let info = find_method(api, method).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut count = 0;
    let mut fail =
        |name: &str, why: String| failures.push(format!("{} / {name}: {why}", path.display()));

    for case in file["requests"].as_array().into_iter().flatten() {
        count += 1;
        let name = case["name"].as_str().unwrap_or("?");
        let req = match clients.prepare(api, method, case["params"].clone()) {
            Ok(r) => r,
            Err(e) => {
                fail(name, format!("unexpected error {e}"));
                continue;
            }
        };
        let exp = &case["expect"];
        if exp["http_method"].as_str() != Some(req.method.as_str()) {
            fail(
                name,
                format!("method {} != {}", req.method, exp["http_method"]),
            );
        }
        let path_only = req.path_and_query().split('?').next().unwrap_or("");
        if exp["path"].as_str() != Some(path_only) {
            fail(name, format!("path {path_only} != {}", exp["path"]));
        }
        for (k, v) in string_map(exp.get("headers")) {
            if req.header(&k) != Some(v.as_str()) {
                fail(name, format!("header {k}: {:?} != {v:?}", req.header(&k)));
            }
        }
        let query: BTreeMap<String, String> = req.query_params().into_iter().collect();
        if query != string_map(exp.get("query")) {
            fail(name, format!("query {query:?} != {:?}", exp.get("query")));
        }
        let body: BTreeMap<String, String> = req.form_params().into_iter().collect();
        if body != string_map(exp.get("body")) {
            fail(name, format!("body {body:?} != {:?}", exp.get("body")));
        }
    }

    for case in file["invalid"].as_array().into_iter().flatten() {
        count += 1;
        let name = case["name"].as_str().unwrap_or("?");
        match clients.prepare(api, method, case["params"].clone()) {
            Ok(r) => fail(name, format!("expected an error, built {r:?}")),
            Err(e) => {
                if let Err(why) = check_subset(&case["error"], &error_json(&e)) {
                    fail(name, format!("{why} (error was: {e})"));
                }
            }
        }
    }

    for case in file["responses"].as_array().into_iter().flatten() {
        count += 1;
        let name = case["name"].as_str().unwrap_or("?");
        let status = case["status"].as_u64().unwrap_or(200) as u16;
        let body = case["body"].as_str().unwrap_or_default();
        let response = HttpResponse::new(status, body.as_bytes().to_vec());
        match (
            parse_response(info, &response),
            case.get("result"),
            case.get("error"),
        ) {
            (Ok(got), Some(want), None) => {
                if &got != want {
                    fail(name, format!("result\n  got  {got}\n  want {want}"));
                }
            }
            (Err(e), None, Some(want)) => {
                if let Err(why) = check_subset(want, &error_json(&e)) {
                    fail(name, format!("{why} (error was: {e})"));
                }
            }
            (Ok(got), _, Some(want)) => {
                fail(name, format!("expected error {want}, got result {got}"))
            }
            (Err(e), Some(_), _) => fail(name, format!("unexpected error {e}")),
            (_, None, None) => fail(name, "case has neither result nor error".into()),
        }
    }
    count
}

#[test]
fn conformance_vectors() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vector_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vectors found");
    let mut clients = Clients::new();
    let mut failures = Vec::new();
    let mut total = 0;
    let mut covered = std::collections::BTreeSet::new();
    for f in &files {
        total += run_file(f, &mut clients, &mut failures);
        covered.insert(f.file_stem().unwrap().to_string_lossy().into_owned());
    }
    let missing: Vec<&str> = roster_core::api::METHODS
        .iter()
        .map(|m| m.name)
        .filter(|m| !covered.contains(*m))
        .collect();
    println!("{total} vectors in {} files", files.len());
    assert!(missing.is_empty(), "methods without vectors: {missing:?}");
    assert!(
        failures.is_empty(),
        "{} of {total} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 150, "only {total} vectors; the bar is 150");
}
