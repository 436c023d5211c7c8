//! What the binary-driven tests share: a TLS emulator each test starts for itself, and the
//! `roster` command pointed at it with nothing from the environment.

#![allow(dead_code)] // each test crate uses its own part of this

use std::path::PathBuf;

use assert_cmd::Command;
use roster_emulator::{BlockingEmulator, Config, Emulator, Fixtures};
use serde_json::Value;
use tempfile::TempDir;

/// The starting state: two applications, so commands must say which one they mean.
pub const FIXTURES: &str = r#"{
  "applications": [
    { "application_id": 1, "application_name": "support" },
    { "application_id": 2, "application_name": "sales" }
  ],
  "skills": [{ "skill_id": 1, "skill_name": "english" }, { "skill_id": 2, "skill_name": "billing" }],
  "queues": [{ "acd_queue_id": 1, "acd_queue_name": "inbound", "application_id": 1, "skills": [1] }],
  "users": [
    { "user_id": 1, "user_name": "agent-ann", "user_display_name": "Ann", "application_id": 1,
      "skills": [1], "acd_queues": [1] },
    { "user_id": 2, "user_name": "agent-bob", "user_display_name": "Bob", "application_id": 1 }
  ],
  "voiso_users": [
    { "id": 28982, "name": "AG D", "email": "agd@example.com", "sip_account": "agd", "sag": "Agent",
      "extension": "2594", "assigned_teams": "3623, 2481", "assigned_skills": [{ "name": "Skill1", "value": 4 }],
      "assigned_queues": "AG Queue" }
  ]
}"#;

pub const PASSWORD: &str = "Sup3r!Secret-pw";

/// A running emulator and the files that point `roster` at it.
pub struct Env {
    pub emulator: BlockingEmulator,
    pub dir: TempDir,
}

impl Env {
    pub fn start() -> Self {
        let config = Config {
            tls: true,
            fixtures: Some(Fixtures::from_json(FIXTURES.as_bytes()).unwrap()),
            ..Config::default()
        };
        let emulator = Emulator::start_blocking(config).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), emulator.ca_pem().unwrap()).unwrap();
        std::fs::write(dir.path().join("creds.json"), emulator.credentials_json()).unwrap();
        Self { emulator, dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `roster` with the global options for this emulator and nothing from the environment.
    pub fn roster(&self) -> Command {
        let mut cmd = bare_roster();
        cmd.arg("--credentials")
            .arg(self.path("creds.json"))
            .arg("--ca-cert")
            .arg(self.path("ca.pem"))
            .args(["--base-url", self.emulator.base_url()])
            .args(["--voiso-key", self.emulator.voiso_api_key()])
            .args(["--voiso-base-url", self.emulator.base_url()]);
        cmd
    }

    /// Runs `roster ARGS`, expects success and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self
            .roster()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs `roster ARGS`, expects failure with `code` and a one-line error; returns it.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        failure(self.roster().args(args), code)
    }

    pub fn api_methods_called(&self) -> Vec<String> {
        self.emulator
            .requests()
            .into_iter()
            .filter_map(|r| r.method)
            .collect()
    }
}

pub fn bare_roster() -> Command {
    let mut cmd = Command::cargo_bin("roster").unwrap();
    for var in [
        "VOXIMPLANT_CREDENTIALS",
        "VOXIMPLANT_BASE_URL",
        "VOISO_API_KEY",
        "VOISO_BASE_URL",
        "ROSTER_CA_CERT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs `cmd`, expects success and returns stdout.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

pub fn failure(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("roster: error: "), "{stderr}");
    stderr
}

pub fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

impl Env {
    /// `roster` trusting this emulator's CA and nothing else: settings come from the
    /// variables the test sets.
    pub fn roster_from_env(&self) -> Command {
        let mut cmd = bare_roster();
        cmd.arg("--ca-cert").arg(self.path("ca.pem"));
        cmd
    }

    /// Fragments of the emulator's private key that must never appear in any output.
    pub fn key_fragments(&self) -> Vec<String> {
        let creds: Value = serde_json::from_str(self.emulator.credentials_json()).unwrap();
        let key = creds["private_key"].as_str().unwrap();
        let fragments: Vec<String> = key
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() >= 16)
            .map(|l| l[..16].to_owned())
            .collect();
        assert!(fragments.len() > 5, "{key}");
        fragments
    }

    /// Fails the test if `text` holds any part of the private key.
    pub fn assert_no_key(&self, text: &str) {
        assert!(!text.contains("PRIVATE KEY"), "key shown:\n{text}");
        for fragment in self.key_fragments() {
            assert!(!text.contains(&fragment), "key shown:\n{text}");
        }
    }
}

/// stdout and stderr of a finished command, as text.
pub fn output_of(cmd: &mut Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
