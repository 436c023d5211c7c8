//! The shared bad-input table (`tests/hostile/cases.json`, format in its README) through the
//! public Rust client: every case whose `where` names `rust` (all do, unless they need a value a
//! JSON document cannot hold) must be refused before anything is sent, with the stable error
//! code, the parameter and the rule the table names.

use std::sync::Arc;

use roster::{BoxFuture, HttpRequest, HttpResponse, Timeouts, Transport, TransportError};
use serde_json::Value;

const CASES: &str = include_str!("../../../tests/hostile/cases.json");

/// Fails the test if anything is sent: every case must be refused before the wire.
struct NothingSent;

impl Transport for NothingSent {
    fn send(
        &self,
        request: HttpRequest,
        _: Timeouts,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        panic!("a refused call sent {}", request.redacted());
    }
}

fn applies(case: &Value) -> bool {
    match case.get("where") {
        None => true,
        Some(w) => w.as_array().unwrap().iter().any(|b| b == "rust"),
    }
}

#[tokio::test]
async fn every_bad_input_is_refused_with_its_parameter_and_rule() {
    let table: Value = serde_json::from_str(CASES).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 80, "the table holds {} cases", cases.len());
    let vox = roster::Voximplant::builder()
        .token("t0ken")
        .transport(Arc::new(NothingSent))
        .build()
        .unwrap();
    let voiso = roster::Voiso::builder()
        .api_key("k3y")
        .transport(Arc::new(NothingSent))
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases.iter().filter(|c| applies(c)) {
        ran += 1;
        let name = case["name"].as_str().unwrap();
        let method = case["method"].as_str().unwrap();
        let params = case["params"].clone();
        let prepared = match case["api"].as_str().unwrap() {
            "voximplant" => vox.prepare_call(method, params.clone()),
            _ => voiso.prepare_call(method, params.clone()),
        };
        let called = match case["api"].as_str().unwrap() {
            "voximplant" => vox.call(method, params).await,
            _ => voiso.call(method, params).await,
        };
        let want = &case["error"];
        for (how, result) in [
            ("prepare_call", prepared.map(|_| Value::Null)),
            ("call", called),
        ] {
            let Err(e) = result else {
                failures.push(format!("{name}: {how} was accepted"));
                continue;
            };
            let d = e.details();
            let got = serde_json::json!({
                "code": d.code,
                "parameter": d.parameter,
                "rule": d.rule,
            });
            let mismatch = ["code", "parameter", "rule"]
                .iter()
                .any(|k| want.get(*k).is_some_and(|w| *w != got[*k]));
            if mismatch {
                failures.push(format!("{name}: {how} want {want}, got {got} ({e})"));
            }
        }
    }
    let expected = cases.iter().filter(|c| applies(c)).count();
    assert_eq!(ran, expected);
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("hostile table: {ran} cases refused with the right parameter and rule, nothing sent");
}
