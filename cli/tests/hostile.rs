//! The shared bad-input table (`tests/hostile/cases.json`) through the `roster` binary, as a
//! user types it: `roster call METHOD --json PARAMS`. Every case must end with exit status 2
//! and one line naming the parameter and the rule, before anything is sent: the base URL points
//! at a closed port, so a request that got out would end in a transport error instead.

use assert_cmd::Command;
use serde_json::Value;

const CASES: &str = include_str!("../../tests/hostile/cases.json");
const CREDENTIALS: &str = include_str!("../../tests/fixtures/credentials.json");

fn applies(case: &Value) -> bool {
    match case.get("where") {
        None => true,
        Some(w) => w.as_array().unwrap().iter().any(|b| b == "cli"),
    }
}

#[test]
fn every_bad_input_is_refused_with_its_parameter_and_rule() {
    let table: Value = serde_json::from_str(CASES).unwrap();
    let cases: Vec<&Value> = table["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| applies(c))
        .collect();
    assert!(
        cases.len() >= 80,
        "only {} cases apply to the CLI",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let want = &case["error"];
        let out = Command::cargo_bin("roster")
            .unwrap()
            .env_clear()
            .env("VOXIMPLANT_CREDENTIALS", CREDENTIALS)
            .args(["--base-url", "http://127.0.0.1:9", "--voiso-key", "k3y"])
            .args(["--voiso-base-url", "http://127.0.0.1:9", "call"])
            .arg(case["method"].as_str().unwrap())
            .args(["--api", case["api"].as_str().unwrap(), "--json"])
            .arg(case["params"].to_string())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let expected = format!(
            "invalid parameter `{}` ({})",
            want["parameter"].as_str().unwrap(),
            want["rule"].as_str().unwrap()
        );
        if out.status.code() != Some(2) || !stderr.contains(&expected) {
            failures.push(format!(
                "{name}: want exit 2 and {expected:?}, got {:?}: {}",
                out.status.code(),
                stderr.trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
