//! The `roster` binary driven as a user would: against a TLS emulator each test starts for
//! itself (trusted through `--ca-cert`, reached with `--credentials` and `--base-url`), and
//! with `--sandbox`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};

use common::{bare_roster, failure, names, stdout_of, Env, PASSWORD};
use serde_json::Value;

// ---- roster call ----------------------------------------------------------------------------

#[test]
fn call_types_params_by_the_spec() {
    let env = Env::start();
    let page = env.json(&[
        "call",
        "GetUsers",
        "--param",
        "application_id=1",
        "--param",
        "with_skills=true",
    ]);
    assert_eq!(page["total_count"], 2);
    assert_eq!(
        names(&page["items"], "user_name"),
        ["agent-ann", "agent-bob"]
    );
    assert_eq!(page["items"][0]["skills"][0]["skill_name"], "english");
}

#[test]
fn call_json_overrides_params_and_lists_bind() {
    let env = Env::start();
    let page = env.json(&[
        "call",
        "get_users",
        "-p",
        "application_id=1",
        "-p",
        "count=5",
        "--json",
        r#"{"count": 1}"#,
    ]);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["total_count"], 2);

    // A list from `a;b`, and one from a repeated parameter.
    env.ok(&["call", "BindSkill", "-p", "skill_id=1;2", "-p", "user_id=2"]);
    env.ok(&[
        "call",
        "BindSkill",
        "-p",
        "skill_id=2",
        "-p",
        "user_id=1",
        "-p",
        "user_id=2",
    ]);
    let bob = env.json(&["users", "get", "agent-bob", "-a", "support", "-o", "json"]);
    assert_eq!(names(&bob["skills"], "skill_name"), ["english", "billing"]);
    let ann = env.json(&["users", "get", "agent-ann", "-a", "support", "-o", "json"]);
    assert_eq!(names(&ann["skills"], "skill_name"), ["english", "billing"]);
}

#[test]
fn call_sends_money_exactly() {
    let env = Env::start();
    let result = env.json(&[
        "call",
        "TransferMoneyToUser",
        "-p",
        "user_id=1",
        "-p",
        "amount=0.10",
    ]);
    assert_eq!(result["result"], 1, "{result}");
    let ann = env.json(&["users", "get", "1", "-a", "support", "-o", "json"]);
    assert_eq!(ann["balance"], "0.10");
}

#[test]
fn call_voiso_method_is_found_by_name() {
    let env = Env::start();
    let page = env.json(&["call", "ListUsers", "--param", "extension=2594"]);
    assert_eq!(page["items"][0]["name"], "AG D");
    assert_eq!(page["items"][0]["assigned_teams"][1], "2481");
}

#[test]
fn dry_run_prints_the_request_without_secrets_and_sends_nothing() {
    let env = Env::start();
    let out = env.ok(&[
        "call",
        "AddUser",
        "-p",
        "user_name=new-agent",
        "-p",
        "user_display_name=New",
        "-p",
        &format!("user_password={PASSWORD}"),
        "-p",
        "application_id=1",
        "--dry-run",
    ]);
    assert!(out.starts_with("POST https://"), "{out}");
    assert!(out.contains("/platform_api/AddUser"), "{out}");
    assert!(out.contains("authorization: Bearer [redacted]"), "{out}");
    assert!(out.contains("user_name=new-agent"), "{out}");
    assert!(out.contains("user_password=[redacted]"), "{out}");
    assert!(!out.contains(PASSWORD), "password shown: {out}");
    // The signed token is a JWT: its header always starts with `eyJ`.
    assert!(!out.contains("eyJ"), "token shown: {out}");
    assert!(!env.api_methods_called().contains(&"AddUser".to_owned()));
}

#[test]
fn curl_prints_a_redacted_curl_command() {
    let env = Env::start();
    let out = env.ok(&[
        "call",
        "AddUser",
        "--json",
        &format!(
            r#"{{"user_name":"new-agent","user_display_name":"New","user_password":"{PASSWORD}","application_id":1}}"#
        ),
        "--curl",
    ]);
    assert!(out.starts_with("curl -X POST 'https://"), "{out}");
    assert!(
        out.contains("-H 'authorization: Bearer [redacted]'"),
        "{out}"
    );
    assert!(out.contains("--data-raw '"), "{out}");
    assert!(out.contains("user_password=[redacted]"), "{out}");
    assert!(!out.contains(PASSWORD) && !out.contains("eyJ"), "{out}");
    assert!(!env.api_methods_called().contains(&"AddUser".to_owned()));
}

#[test]
fn voiso_dry_run_hides_the_api_key() {
    let env = Env::start();
    let key = env.emulator.voiso_api_key().to_owned();
    let out = env.ok(&["call", "ListUsers", "-p", "name=AG D", "--dry-run"]);
    assert!(out.starts_with("GET https://"), "{out}");
    assert!(out.contains("name=AG"), "{out}");
    assert!(out.contains("authorization: Bearer [redacted]"), "{out}");
    assert!(!out.contains(&key), "{out}");
}

#[test]
fn verbose_logs_attempts_without_the_token() {
    let env = Env::start();
    let out = env
        .roster()
        .args(["--verbose", "call", "GetSkills"])
        .assert()
        .success()
        .get_output()
        .clone();
    let log = String::from_utf8(out.stderr).unwrap();
    assert!(log.contains("GetSkills attempt 1"), "{log}");
    assert!(!log.contains("eyJ"), "{log}");
}

#[test]
fn unknown_method_is_one_line_with_a_hint() {
    let env = Env::start();
    let line = env.fails(2, &["call", "GetUserz"]);
    assert!(line.contains("GetUserz"), "{line}");
    assert!(line.contains("roster call --list"), "{line}");
}

#[test]
fn unknown_parameter_is_named_with_the_known_ones() {
    let env = Env::start();
    let line = env.fails(2, &["call", "GetSkills", "--param", "skil_name=x"]);
    assert!(line.contains("`skil_name`"), "{line}");
    assert!(line.contains("skill_name, skill_id") || line.contains("skill_id, skill_name"));
    let line = env.fails(2, &["call", "GetSkills", "--json", r#"{"nope": 1}"#]);
    assert!(line.contains("`nope`"), "{line}");
    assert!(env.api_methods_called().is_empty());
}

#[test]
fn a_refused_value_names_the_parameter() {
    let env = Env::start();
    let line = env.fails(2, &["call", "GetUsers", "-p", "application_id=one"]);
    assert!(line.contains("application_id"), "{line}");
    assert!(env.api_methods_called().is_empty());
}

#[test]
fn call_list_shows_every_method() {
    let out = stdout_of(bare_roster().args(["call", "--list", "-o", "csv"]));
    let text = out;
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), roster::core::api::METHODS.len());
    let add_user = rows.iter().find(|r| &r[0] == "AddUser").unwrap();
    assert_eq!(&add_user[1], "voximplant");
    assert_eq!(&add_user[2], "users");
    assert_eq!(&add_user[3], "Owner;Admin;User manager");
    assert_eq!(&add_user[4], "once");
    assert!(rows
        .iter()
        .any(|r| &r[0] == "ListUsers" && &r[1] == "voiso"));
}

// ---- roster users ---------------------------------------------------------------------------

#[test]
fn users_round_trip_in_every_format() {
    let env = Env::start();
    let mut add = env.roster();
    add.env("NEW_PW", PASSWORD).args([
        "users",
        "add",
        "ana-lopez",
        "--display-name",
        "Ana López",
        "--password-env",
        "NEW_PW",
        "--application",
        "support",
        "-o",
        "json",
    ]);
    let out = add.assert().success().get_output().clone();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD));
    let created: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(created["user_display_name"], "Ana López");
    let id = created["user_id"].as_i64().unwrap();
    assert!(
        stderr.contains(&format!("added user ana-lopez (id {id})")),
        "{stderr}"
    );

    let table = env.ok(&["users", "list", "-a", "support"]);
    for column in ["id", "name", "display name", "active", "skills", "queues"] {
        assert!(table.contains(column), "{table}");
    }
    let ann_row = table.lines().find(|l| l.contains("agent-ann")).unwrap();
    assert!(
        ann_row.contains("english") && ann_row.contains("inbound"),
        "{ann_row}"
    );
    assert!(table.contains("Ana López"), "{table}");

    let list = env.json(&[
        "users",
        "list",
        "-a",
        "support.emulator.voximplant.com",
        "-o",
        "json",
    ]);
    assert_eq!(
        names(&list, "user_name"),
        ["agent-ann", "agent-bob", "ana-lopez"]
    );

    let csv_text = env.ok(&["users", "list", "--application-id", "1", "-o", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["id", "name", "display name", "active", "skills", "queues"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[2][0], id.to_string());
    assert_eq!(&rows[2][2], "Ana López");

    let limited = env.json(&[
        "users", "list", "-a", "support", "--limit", "2", "-o", "json",
    ]);
    assert_eq!(limited.as_array().unwrap().len(), 2);

    let shown = env.ok(&["users", "get", "ana-lopez", "-a", "support"]);
    assert!(
        shown.contains("display name") && shown.contains("created"),
        "{shown}"
    );

    let updated = env.json(&[
        "users",
        "update",
        "ana-lopez",
        "-a",
        "support",
        "--display-name",
        "Ana L.",
        "--active",
        "false",
        "--new-name",
        "ana-l",
        "-o",
        "json",
    ]);
    assert_eq!(updated["user_name"], "ana-l");
    assert_eq!(updated["user_display_name"], "Ana L.");
    assert_eq!(updated["user_active"], false);

    env.ok(&["users", "delete", "ana-l", "2", "-a", "support"]);
    let left = env.json(&["users", "list", "-a", "support", "-o", "json"]);
    assert_eq!(names(&left, "user_name"), ["agent-ann"]);
    let line = env.fails(1, &["users", "get", "ana-l", "-a", "support"]);
    assert!(line.contains("no user ana-l"), "{line}");
}

#[test]
fn users_need_an_application_when_the_account_has_several() {
    let env = Env::start();
    let line = env.fails(2, &["users", "list"]);
    assert!(
        line.contains("--application") && line.contains("support, sales"),
        "{line}"
    );
    let line = env.fails(1, &["users", "list", "-a", "nope"]);
    assert!(line.contains("no application \"nope\""), "{line}");
    let sales = env.json(&["users", "list", "-a", "sales", "-o", "json"]);
    assert_eq!(sales, Value::Array(Vec::new()));
}

#[test]
fn users_add_needs_a_password_source() {
    let env = Env::start();
    let line = env.fails(2, &["users", "add", "no-pw", "-a", "support"]);
    assert!(line.contains("--password-env"), "{line}");
    let line = env.fails(
        2,
        &[
            "users",
            "add",
            "no-pw",
            "-a",
            "support",
            "--password-env",
            "UNSET_PW_VAR",
        ],
    );
    assert!(line.contains("UNSET_PW_VAR"), "{line}");
    assert!(!env.api_methods_called().contains(&"AddUser".to_owned()));
}

#[test]
fn a_weak_password_is_refused_before_sending() {
    let env = Env::start();
    std::fs::write(env.path("pw"), "short\n").unwrap();
    let pw = env.path("pw");
    let line = env.fails(
        2,
        &[
            "users",
            "add",
            "weak",
            "-a",
            "support",
            "--password-file",
            pw.to_str().unwrap(),
        ],
    );
    assert!(line.contains("user_password"), "{line}");
    assert!(!line.contains("short"), "the password leaked: {line}");
    assert!(!env.api_methods_called().contains(&"AddUser".to_owned()));
}

#[cfg(unix)]
#[test]
fn generated_password_goes_to_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::start();
    let pw = env.path("generated.txt");
    let out = env
        .roster()
        .args([
            "users",
            "add",
            "gen-user",
            "-a",
            "support",
            "--generate-password",
        ])
        .arg("--password-out")
        .arg(&pw)
        .assert()
        .success()
        .get_output()
        .clone();
    let password = std::fs::read_to_string(&pw).unwrap().trim_end().to_owned();
    assert!(password.len() >= 16, "{password}");
    assert_eq!(
        std::fs::metadata(&pw).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&password));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&password));
}

#[test]
fn a_refused_call_is_one_line_with_the_api_code_and_a_hint() {
    let env = Env::start();
    let line = env.fails(1, &["skills", "add", "english"]);
    assert!(line.contains("AddSkill english"), "{line}");
    assert!(line.contains("pick another"), "{line}");
}

// ---- skills, queues, voiso ------------------------------------------------------------------

#[test]
fn skills_add_list_rename_delete() {
    let env = Env::start();
    let created = env.json(&["skills", "add", "spanish", "-o", "json"]);
    assert_eq!(created["skill_name"], "spanish");
    let id = created["skill_id"].as_i64().unwrap();

    let table = env.ok(&["skills", "list"]);
    assert!(
        table.contains("spanish") && table.contains("billing"),
        "{table}"
    );

    env.ok(&["skills", "rename", "spanish", "espanol"]);
    let list = env.json(&["skills", "list", "-o", "json"]);
    assert_eq!(
        names(&list, "skill_name"),
        ["english", "billing", "espanol"]
    );

    env.ok(&["skills", "delete", &id.to_string()]);
    let csv_text = env.ok(&["skills", "list", "-o", "csv"]);
    assert_eq!(csv_text, "id,name\n1,english\n2,billing\n");
}

#[test]
fn queues_add_get_update_delete() {
    let env = Env::start();
    let created = env.json(&[
        "queues",
        "add",
        "billing-es",
        "-a",
        "support",
        "--priority",
        "3",
        "--service-probability",
        "0.95",
        "-o",
        "json",
    ]);
    assert_eq!(created["acd_queue_name"], "billing-es");
    assert_eq!(created["service_probability"], "0.95");
    assert_eq!(created["acd_queue_priority"], 3);
    assert_eq!(created["application_id"], 1);

    let table = env.ok(&["queues", "get", "billing-es"]);
    assert!(table.contains("0.95"), "{table}");

    let inbound = env.ok(&["queues", "list", "-a", "support"]);
    let row = inbound.lines().find(|l| l.contains("inbound")).unwrap();
    assert!(row.contains("english"), "{row}");
    let sales = env.json(&["queues", "list", "-a", "sales", "-o", "json"]);
    assert_eq!(sales, Value::Array(Vec::new()));

    let updated = env.json(&[
        "queues",
        "update",
        "billing-es",
        "--new-name",
        "billing-spanish",
        "--max-queue-size",
        "7",
        "-o",
        "json",
    ]);
    assert_eq!(updated["acd_queue_name"], "billing-spanish");
    assert_eq!(updated["max_queue_size"], 7);

    env.ok(&["queues", "delete", "billing-spanish"]);
    let left = env.json(&["queues", "list", "-o", "json"]);
    assert_eq!(names(&left, "acd_queue_name"), ["inbound"]);
}

#[test]
fn voiso_users_table_and_json() {
    let env = Env::start();
    let table = env.ok(&["voiso", "users"]);
    for text in [
        "28982",
        "AG D",
        "agd@example.com",
        "2594",
        "3623, 2481",
        "Skill1",
        "AG Queue",
    ] {
        assert!(table.contains(text), "{text} missing: {table}");
    }
    let json = env.json(&["voiso", "users", "-o", "json"]);
    assert_eq!(json[0]["assigned_queues"][0], "AG Queue");
    let none = env.json(&["voiso", "users", "--name", "nobody", "-o", "json"]);
    assert_eq!(none, Value::Array(Vec::new()));
}

#[test]
fn missing_credentials_say_what_to_pass() {
    let line = failure(bare_roster().args(["users", "list"]), 2);
    assert!(
        line.contains("--credentials") && line.contains("--sandbox"),
        "{line}"
    );
    let line = failure(bare_roster().args(["voiso", "users"]), 2);
    assert!(line.contains("--voiso-key"), "{line}");
}

// ---- --sandbox, completions, emulator -------------------------------------------------------

#[test]
fn sandbox_runs_without_an_account() {
    let out = stdout_of(bare_roster().args(["--sandbox", "call", "GetApplications"]));
    let apps: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        apps["items"][0]["application_name"],
        "demo.emulator.voximplant.com"
    );

    let out = stdout_of(bare_roster().env("PW", PASSWORD).args([
        "--sandbox",
        "users",
        "add",
        "try-me",
        "--password-env",
        "PW",
        "-o",
        "csv",
    ]));
    let text = out;
    assert!(
        text.starts_with("id,name,display name,active,skills,queues,balance"),
        "{text}"
    );
    assert!(text.contains(",try-me,try-me,true,"), "{text}");
}

#[test]
fn completions_cover_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout_of(bare_roster().args(["completions", shell]));
        let script = out;
        for word in [
            "users",
            "skills",
            "queues",
            "voiso",
            "emulator",
            "dry-run",
            "generate-password",
        ] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
}

#[test]
fn emulator_help_shows_every_flag_of_the_emulator_binary() {
    use clap::{Args, Command as ClapCommand};
    let out = stdout_of(bare_roster().args(["emulator", "--help"]));
    let help = out;
    let flags = roster_emulator::cli::ServeArgs::augment_args(ClapCommand::new("x"));
    let longs: Vec<&str> = flags.get_arguments().filter_map(|a| a.get_long()).collect();
    assert!(longs.len() >= 14, "{longs:?}");
    for long in longs {
        assert!(
            help.contains(&format!("--{long}")),
            "--{long} missing:\n{help}"
        );
    }
}

/// Kills the child when the test ends, passed or not.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn roster_emulator_serves_what_its_ready_line_says() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, creds) = (dir.path().join("ca.pem"), dir.path().join("creds.json"));
    let bin = assert_cmd::cargo::cargo_bin("roster");
    let mut child = Child(
        StdCommand::new(bin)
            .args(["emulator", "--tls", "--ca-out"])
            .arg(&ca)
            .arg("--credentials-out")
            .arg(&creds)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("roster-emulator listening on ")
        .unwrap_or_else(|| panic!("no ready line: {line:?}"));
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let out = stdout_of(
        bare_roster()
            .arg("--credentials")
            .arg(&creds)
            .arg("--ca-cert")
            .arg(&ca)
            .args(["--base-url", url, "skills", "list", "-o", "json"]),
    );
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        Value::Array(Vec::new())
    );
}
