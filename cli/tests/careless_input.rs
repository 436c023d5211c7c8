//! Issue 14's findings for the command line, each driven through the binary: credentials and
//! keys are never shown (help included), settings resolve through the core (a variable may
//! hold the credentials' JSON, a key read from a file ends in a newline), `--param` is not
//! coerced, and refused values name their flag before anything is sent or shown.

mod common;

use common::{bare_roster, failure, output_of, stdout_of, Env};
use roster::core::dynamic::find_method;
use roster::core::ApiKind;
use serde_json::Value;

const CREDENTIALS_ENV: &str = "VOXIMPLANT_CREDENTIALS";

/// Requests that reached the Voiso API.
fn voiso_requests(env: &Env) -> usize {
    env.emulator
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("user_management"))
        .count()
}

// ---- finding 1: the private key is printed ------------------------------------------------

#[test]
fn help_never_shows_a_credential_a_key_or_a_url_password() {
    let env = Env::start();
    let voiso_key = "voiso-0123456789abcdef-NOT-TO-BE-SHOWN";
    let helps: [&[&str]; 9] = [
        &["--help"],
        &["-h"],
        &["call", "--help"],
        &["help", "call"],
        &["users", "add", "--help"],
        &["queues", "add", "--help"],
        &["voiso", "users", "--help"],
        &["apply", "--help"],
        &["emulator", "--help"],
    ];
    for args in helps {
        let (code, out, err) = output_of(
            bare_roster()
                .env(CREDENTIALS_ENV, env.emulator.credentials_json())
                .env("VOISO_API_KEY", voiso_key)
                .env("VOXIMPLANT_BASE_URL", "https://admin:Hunter2@vox.example")
                .env("VOISO_BASE_URL", "https://admin:Hunter2@cc.example")
                .args(args),
        );
        assert_eq!(code, Some(0), "{args:?}: {err}");
        let all = format!("{out}{err}");
        env.assert_no_key(&all);
        assert!(
            !all.contains(voiso_key),
            "{args:?} shows the Voiso key:\n{all}"
        );
        assert!(
            !all.contains("Hunter2"),
            "{args:?} shows a password:\n{all}"
        );
        if args != ["emulator", "--help"] {
            // The variables are named, so the user knows they are read.
            assert!(all.contains(CREDENTIALS_ENV), "{args:?}:\n{all}");
            assert!(all.contains("VOISO_API_KEY"), "{args:?}:\n{all}");
        }
    }
}

#[test]
fn credentials_json_in_the_variable_works_and_never_shows_the_key() {
    let env = Env::start();
    let json = env.emulator.credentials_json().to_owned();
    // `VOXIMPLANT_CREDENTIALS="$(cat cred.json)" roster call GetUsers --param application_id=1`
    let from_variable = || {
        let mut cmd = env.roster_from_env();
        cmd.env(CREDENTIALS_ENV, &json)
            .args(["--base-url", env.emulator.base_url()]);
        cmd
    };
    let (code, out, err) = output_of(from_variable().args([
        "--verbose",
        "call",
        "GetUsers",
        "--param",
        "application_id=1",
    ]));
    assert_eq!(code, Some(0), "{err}");
    let page: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(page["total_count"], 2, "{out}");
    env.assert_no_key(&format!("{out}{err}"));
    assert!(!err.contains("eyJ"), "token shown: {err}");

    // The JSON given to --credentials, a dry run and --curl: the same, nothing shown.
    let out = stdout_of(
        env.roster_from_env()
            .args([
                "--credentials",
                &json,
                "--base-url",
                env.emulator.base_url(),
            ])
            .args(["call", "GetSkills", "--curl"]),
    );
    assert!(out.starts_with("curl -X POST"), "{out}");
    env.assert_no_key(&out);
    assert!(!out.contains("eyJ"), "{out}");

    // Credentials in every wrong form: refused with one line naming where they came from.
    let creds: Value = serde_json::from_str(&json).unwrap();
    let key = creds["private_key"].as_str().unwrap().to_owned();
    let wrong_forms = [
        key.clone(),
        key.replace('\n', ""),
        json.replacen('{', "[", 1),
        json.replacen("\"key_id\"", "\"kid\"", 1),
        json[..json.len() / 2].to_owned(),
        format!("x{json}"),
    ];
    for wrong in &wrong_forms {
        let mut cmd = from_variable();
        cmd.env(CREDENTIALS_ENV, wrong).args(["users", "list"]);
        let line = failure(&mut cmd, 2);
        assert!(line.contains(CREDENTIALS_ENV), "{line}");
        assert!(line.contains("--credentials"), "no hint: {line}");
        env.assert_no_key(&line);

        let mut cmd = env.roster_from_env();
        cmd.args(["--credentials", wrong, "call", "GetSkills", "--dry-run"]);
        let line = failure(&mut cmd, 2);
        assert!(line.contains("credentials"), "{line}");
        env.assert_no_key(&line);
    }
    assert!(
        env.api_methods_called().len() == 1,
        "{:?}",
        env.api_methods_called()
    );
}

// ---- finding 2: a key ending in a newline -------------------------------------------------

#[test]
fn a_voiso_key_read_from_a_file_works() {
    let env = Env::start();
    let key = env.emulator.voiso_api_key().to_owned();
    std::fs::write(env.path("voiso.key"), format!("{key}\n")).unwrap();
    let from_file = std::fs::read_to_string(env.path("voiso.key")).unwrap();
    assert!(from_file.ends_with('\n'));

    let by_variable = || {
        let mut cmd = env.roster_from_env();
        cmd.env("VOISO_API_KEY", &from_file)
            .env("VOISO_BASE_URL", env.emulator.base_url());
        cmd
    };
    let by_option = || {
        let mut cmd = env.roster_from_env();
        cmd.args([
            "--voiso-key",
            &from_file,
            "--voiso-base-url",
            env.emulator.base_url(),
        ]);
        cmd
    };
    for mut cmd in [by_variable(), by_option()] {
        let out = stdout_of(cmd.args(["voiso", "users", "-o", "json"]));
        let users: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(users[0]["name"], "AG D", "{out}");
    }
    let out = stdout_of(by_variable().args(["call", "ListUsers", "-p", "extension=2594"]));
    assert!(out.contains("AG D"), "{out}");
    let sent = voiso_requests(&env);
    assert_eq!(sent, 3);

    // A line break inside the key is refused before sending, naming the key's option and
    // never as an interrupted exchange.
    let broken = format!("{}\n{}", &key[..6], &key[6..]);
    for mut cmd in [
        {
            let mut cmd = by_variable();
            cmd.env("VOISO_API_KEY", &broken);
            cmd
        },
        {
            let mut cmd = env.roster_from_env();
            cmd.args(["--voiso-key", &broken]);
            cmd
        },
    ] {
        let line = failure(cmd.args(["voiso", "users"]), 2);
        assert!(!line.contains("interrupted"), "{line}");
        assert!(
            line.contains("--voiso-key") && line.contains("VOISO_API_KEY"),
            "{line}"
        );
        assert!(!line.contains(&key[6..]), "key shown: {line}");
    }
    assert_eq!(voiso_requests(&env), sent, "a refused key was sent");
}

// ---- finding 10: --param with_skills=yes becomes true -------------------------------------

#[test]
fn call_refuses_yes_for_a_boolean() {
    let env = Env::start();
    for word in ["yes", "no", "on", "Y"] {
        let param = format!("with_skills={word}");
        let line = env.fails(
            2,
            &[
                "call",
                "GetUsers",
                "-p",
                "application_id=1",
                "-p",
                &param,
                "--dry-run",
            ],
        );
        assert!(line.contains("`with_skills` (type)"), "{line}");
        let line = env.fails(
            2,
            &["call", "GetUsers", "-p", "application_id=1", "-p", &param],
        );
        assert!(line.contains("`with_skills`"), "{line}");
    }
    assert!(env.api_methods_called().is_empty());
    // What the core reads as a boolean from text: true/false in any case, 1/0.
    for (word, sent) in [
        ("TRUE", "true"),
        ("false", "false"),
        ("1", "true"),
        ("0", "false"),
    ] {
        let out = env.ok(&[
            "call",
            "GetUsers",
            "-p",
            "application_id=1",
            "-p",
            &format!("with_skills={word}"),
            "--dry-run",
        ]);
        assert!(
            out.contains(&format!("with_skills={sent}")),
            "{word}: {out}"
        );
    }
}

// ---- finding 12: negative numbers, a password shown too early, hints, help ---------------

#[test]
fn negative_numbers_are_refused_naming_their_flag() {
    let env = Env::start();
    std::fs::write(env.path("team.toml"), "application = \"support\"\n").unwrap();
    let team = env.path("team.toml");
    let cases: [(&[&str], &str, Option<&str>); 10] = [
        (
            &["users", "list", "-a", "support", "--limit", "-1"],
            "--limit",
            None,
        ),
        (&["voiso", "users", "--limit", "-3"], "--limit", None),
        (
            &["users", "list", "--application-id", "-1"],
            "--application-id",
            Some("application_id"),
        ),
        (
            &[
                "queues",
                "add",
                "q-neg",
                "-a",
                "support",
                "--priority",
                "-5",
            ],
            "--priority",
            Some("acd_queue_priority"),
        ),
        (
            &[
                "queues",
                "add",
                "q-neg",
                "-a",
                "support",
                "--max-queue-size",
                "-1",
            ],
            "--max-queue-size",
            Some("max_queue_size"),
        ),
        (
            &[
                "queues",
                "add",
                "q-neg",
                "-a",
                "support",
                "--max-waiting-time",
                "-1",
            ],
            "--max-waiting-time",
            Some("max_waiting_time"),
        ),
        (
            &[
                "queues",
                "add",
                "q-neg",
                "-a",
                "support",
                "--service-probability",
                "-0.5",
            ],
            "--service-probability",
            Some("service_probability"),
        ),
        (
            &[
                "queues",
                "add",
                "q-neg",
                "-a",
                "support",
                "--service-probability",
                "0.3",
            ],
            "--service-probability",
            Some("0.5"),
        ),
        (
            &[
                "queues",
                "update",
                "inbound",
                "--average-service-time",
                "-30",
            ],
            "--average-service-time",
            Some("average_service_time"),
        ),
        (
            &["apply", "TEAM", "--concurrency", "-2"],
            "--concurrency",
            None,
        ),
    ];
    for (args, flag, parameter) in cases {
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == "TEAM" {
                    team.to_str().unwrap()
                } else {
                    a
                }
            })
            .collect();
        let (code, _, err) = output_of(env.roster().args(&args));
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(flag), "{args:?} does not name {flag}: {err}");
        if let Some(parameter) = parameter {
            assert!(err.contains(parameter), "{args:?}: {err}");
        }
    }
    let called = env.api_methods_called();
    assert!(
        !called
            .iter()
            .any(|m| m == "AddQueue" || m == "SetQueueInfo"),
        "a refused value was sent: {called:?}"
    );
}

#[test]
fn a_generated_password_is_shown_only_once_the_user_passed_the_rules() {
    let env = Env::start();
    let (code, out, err) = output_of(env.roster().args([
        "users",
        "add",
        "Bad Name",
        "-a",
        "support",
        "--generate-password",
    ]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("`user_name`"), "{err}");
    assert!(!format!("{out}{err}").contains("password"), "{out}{err}");

    let pw = env.path("pw.txt");
    let mut cmd = env.roster();
    cmd.args(["users", "add", "x", "-a", "support", "--generate-password"])
        .arg("--password-out")
        .arg(&pw);
    failure(&mut cmd, 2);
    assert!(!pw.exists(), "a password was written for a refused user");

    let (code, out, err) = output_of(env.roster().args([
        "users",
        "update",
        "agent-ann",
        "-a",
        "support",
        "--new-name",
        "Bad Name",
        "--generate-password",
    ]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--new-name"), "{err}");
    assert!(
        !format!("{out}{err}").contains("generated password"),
        "{out}{err}"
    );
    let called = env.api_methods_called();
    assert!(
        !called.iter().any(|m| m == "AddUser" || m == "SetUserInfo"),
        "{called:?}"
    );

    // A valid user gets it, once.
    let (code, _, err) = output_of(env.roster().args([
        "users",
        "add",
        "good-user",
        "-a",
        "support",
        "--generate-password",
    ]));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err.matches("generated password (shown once)").count(),
        1,
        "{err}"
    );
}

#[test]
fn a_refused_voiso_key_points_at_the_voiso_key() {
    let env = Env::start();
    let calls: [&[&str]; 2] = [&["voiso", "users"], &["call", "ListUsers"]];
    for args in calls {
        let mut cmd = env.roster_from_env();
        cmd.args([
            "--voiso-key",
            "wrong-key",
            "--voiso-base-url",
            env.emulator.base_url(),
        ])
        .args(args);
        let line = failure(&mut cmd, 1);
        assert!(line.contains("401"), "{line}");
        assert!(
            line.contains("--voiso-key") && line.contains("VOISO_API_KEY"),
            "{line}"
        );
        assert!(
            !line.contains("--credentials") && !line.contains("VOXIMPLANT"),
            "a Voiso key refused, and the hint is about Voximplant: {line}"
        );
    }
    // A key that looks like a flag is a key too, refused by the server, never echoed.
    let mut cmd = env.roster_from_env();
    cmd.args(["--voiso-key", "--looks-like-a-flag-KEY"]).args([
        "--voiso-base-url",
        env.emulator.base_url(),
        "voiso",
        "users",
    ]);
    let line = failure(&mut cmd, 1);
    assert!(
        line.contains("401") && !line.contains("looks-like"),
        "{line}"
    );

    // And no Voiso key at all.
    let line = failure(env.roster_from_env().args(["voiso", "users"]), 2);
    assert!(
        line.contains("--voiso-key") && !line.contains("--credentials"),
        "{line}"
    );
}

#[test]
fn queue_help_gives_the_spec_range_of_service_probability() {
    let spec = find_method(ApiKind::Voximplant, "AddQueue")
        .unwrap()
        .param("service_probability")
        .unwrap()
        .doc;
    assert!(spec.contains("0.5 to 1"), "the spec changed: {spec}");
    for command in ["add", "update"] {
        let help = stdout_of(bare_roster().args(["queues", command, "--help"]));
        let (_, after) = help.split_once("--service-probability").unwrap();
        let paragraph = after.split("\n\n").next().unwrap();
        assert!(paragraph.contains("0.5 to 1"), "{paragraph}");
        assert!(!paragraph.contains(" 0 to 1"), "{paragraph}");
    }
}

// ---- settings through the core's resolver -------------------------------------------------

#[test]
fn settings_come_from_options_then_variables() {
    let env = Env::start();
    let url = env.emulator.base_url();
    let creds = env.path("creds.json");
    let creds = creds.to_str().unwrap();

    // Every setting from its variable.
    let out = stdout_of(
        env.roster_from_env()
            .env(CREDENTIALS_ENV, creds)
            .env("VOXIMPLANT_BASE_URL", url)
            .args(["skills", "list", "-o", "json"]),
    );
    assert!(out.contains("english"), "{out}");
    let out = stdout_of(
        env.roster_from_env()
            .env("VOISO_API_KEY", env.emulator.voiso_api_key())
            .env("VOISO_BASE_URL", url)
            .args(["voiso", "users", "-o", "json"]),
    );
    assert!(out.contains("AG D"), "{out}");

    // An option wins over its variable.
    let out = stdout_of(
        env.roster_from_env()
            .env(CREDENTIALS_ENV, "/nowhere/credentials.json")
            .env("VOXIMPLANT_BASE_URL", "https://127.0.0.1:9")
            .args(["--credentials", creds, "--base-url", url])
            .args(["skills", "list", "-o", "json"]),
    );
    assert!(out.contains("english"), "{out}");
    let out = stdout_of(
        env.roster_from_env()
            .env("VOISO_API_KEY", "wrong-key")
            .env("VOISO_BASE_URL", "https://127.0.0.1:9")
            .args([
                "--voiso-key",
                env.emulator.voiso_api_key(),
                "--voiso-base-url",
                url,
            ])
            .args(["voiso", "users", "-o", "json"]),
    );
    assert!(out.contains("AG D"), "{out}");

    // A path that cannot be read is named (it is plainly a path); a blank variable is unset.
    let line = failure(
        env.roster_from_env()
            .env(CREDENTIALS_ENV, "/nowhere/credentials.json")
            .args(["skills", "list"]),
        2,
    );
    assert!(line.contains("/nowhere/credentials.json"), "{line}");
    assert!(line.contains(CREDENTIALS_ENV), "{line}");
    let line = failure(
        env.roster_from_env()
            .env("VOISO_API_KEY", "  ")
            .args(["voiso", "users"]),
        2,
    );
    assert!(line.contains("no Voiso API key"), "{line}");

    // A base URL's password is never shown, from an option or a variable.
    let line = failure(
        env.roster_from_env().args(["--credentials", creds]).args([
            "--base-url",
            "https://admin:Hunter2@127.0.0.1:9",
            "skills",
            "list",
        ]),
        2,
    );
    assert!(!line.contains("Hunter2"), "{line}");
    let line = failure(
        env.roster_from_env()
            .env("VOISO_API_KEY", "k")
            .env("VOISO_BASE_URL", "https://admin:Hunter2@127.0.0.1:9")
            .args(["voiso", "users"]),
        2,
    );
    assert!(
        !line.contains("Hunter2") && line.contains("VOISO_BASE_URL"),
        "{line}"
    );
}
