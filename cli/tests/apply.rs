//! `roster plan` / `apply` / `export`, driven through the binary against an emulator each test
//! starts on 127.0.0.1 (HTTPS with its own CA).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use roster_emulator::{BlockingEmulator, Config, Emulator};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-team.toml");

/// An emulator, the files that point at it, and a scratch directory.
struct Env {
    emulator: BlockingEmulator,
    dir: tempfile::TempDir,
}

impl Env {
    fn new(config: Config) -> Self {
        let emulator = Emulator::start_blocking(Config {
            tls: true,
            ..config
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), emulator.ca_pem().unwrap()).unwrap();
        std::fs::write(
            dir.path().join("credentials.json"),
            emulator.credentials_json(),
        )
        .unwrap();
        Self { emulator, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn args(&self) -> Vec<String> {
        vec![
            "--credentials".into(),
            self.path("credentials.json").display().to_string(),
            "--base-url".into(),
            self.emulator.base_url().to_owned(),
            "--ca-cert".into(),
            self.path("ca.pem").display().to_string(),
        ]
    }

    /// `roster` with this emulator's options and none from the environment.
    fn roster(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("roster"));
        for var in [
            "VOXIMPLANT_CREDENTIALS",
            "VOXIMPLANT_BASE_URL",
            "ROSTER_CA_CERT",
        ] {
            cmd.env_remove(var);
        }
        cmd.args(self.args());
        cmd
    }

    fn user_names(&self) -> BTreeSet<String> {
        self.emulator
            .with_state(|s| s.users.values().map(|u| u.name.clone()).collect())
    }

    fn user_count(&self) -> usize {
        self.emulator.with_state(|s| s.users.len())
    }
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Copies the example beside the emulator's files, so its passwords file lands there too.
fn example(env: &Env) -> PathBuf {
    env.write("team.toml", &std::fs::read_to_string(EXAMPLE).unwrap())
}

fn passwords(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (u, p) = l.split_once(',').unwrap();
            (u.to_owned(), p.to_owned())
        })
        .collect()
}

#[test]
fn plan_then_apply_then_apply_again_changes_nothing() {
    let env = Env::new(Config::default());
    let team = example(&env);

    let plan = env.roster().arg("plan").arg(&team).output().unwrap();
    assert!(plan.status.success(), "{}", stderr(&plan));
    let text = stdout(&plan);
    assert!(text.contains("+ create application support"), "{text}");
    assert!(
        text.contains("+ create user ana-lopez \"Ana Lopez\""),
        "{text}"
    );
    assert!(
        text.contains("+ bind skills billing, english to user ana-lopez"),
        "{text}"
    );
    assert!(
        text.contains("Plan: 63 to create, 0 to update, 104 to bind, 0 to unbind, 0 to delete."),
        "{text}"
    );
    assert_eq!(env.user_count(), 0, "plan must not change anything");

    let apply = env.roster().arg("apply").arg(&team).output().unwrap();
    assert!(apply.status.success(), "{}", stderr(&apply));
    let text = stdout(&apply);
    assert!(text.contains("Applied 167 of 167 changes"), "{text}");
    assert!(text.contains("ana-lopez"), "the agent table: {text}");
    assert_eq!(env.user_count(), 50);
    let (skills, queues) = env.emulator.with_state(|s| {
        let ana = s.users.values().find(|u| u.name == "ana-lopez").unwrap();
        let skill_names: BTreeSet<_> = ana
            .skills
            .iter()
            .map(|id| s.skills[id].name.clone())
            .collect();
        let queue_names: BTreeSet<_> = ana
            .queues
            .keys()
            .map(|id| s.queues[id].name.clone())
            .collect();
        (skill_names, queue_names)
    });
    assert_eq!(
        skills,
        BTreeSet::from(["billing".to_owned(), "english".to_owned()])
    );
    assert_eq!(queues, BTreeSet::from(["billing".to_owned()]));

    // Generated passwords: one per new user, valid, in a file only the owner can read.
    let file = env.path("team.passwords.csv");
    let entries = passwords(&file);
    assert_eq!(entries.len(), 50);
    assert!(entries
        .iter()
        .all(|(_, p)| roster::core::rules::password_problem(p).is_none()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // ... and never on the terminal.
    assert!(!text.contains(&entries[0].1) && !stderr(&apply).contains(&entries[0].1));

    let again = env.roster().arg("apply").arg(&team).output().unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).starts_with("No changes"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        passwords(&file),
        entries,
        "a second apply hands out nothing new"
    );
}

const BIG: &str = r#"
application = "ops"
skills = ["a", "b", "c"]
[[queue]]
name = "q1"
skills = ["a"]
[[queue]]
name = "q2"
skills = ["b"]
[[user]]
name = "ag1"
display_name = "AG1"
skills = ["a", "b"]
queues = ["q1", "q2"]
[[user]]
name = "ag2"
display_name = "AG2"
skills = ["c"]
[[user]]
name = "ag3"
display_name = "AG3"
"#;

const SMALL: &str = r#"
application = "ops"
skills = ["a"]
[[queue]]
name = "q1"
skills = ["a"]
[[user]]
name = "ag1"
display_name = "AG1 renamed"
skills = ["a"]
queues = ["q1"]
"#;

/// Another application whose agent still has skill "c".
const OTHER: &str = r#"
application = "other"
skills = ["c"]
[[user]]
name = "xa1"
display_name = "XA1"
skills = ["c"]
"#;

#[test]
fn undeclared_records_are_deleted_only_with_prune() {
    let env = Env::new(Config::default());
    for file in [env.write("other.toml", OTHER), env.write("big.toml", BIG)] {
        let out = env.roster().arg("apply").arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let small = env.write("small.toml", SMALL);

    let kept = env.roster().arg("apply").arg(&small).output().unwrap();
    assert!(kept.status.success(), "{}", stderr(&kept));
    let text = stdout(&kept);
    assert!(
        text.contains("~ update user ag1: display_name \"AG1\" → \"AG1 renamed\""),
        "{text}"
    );
    assert!(text.contains("- unbind skills b from user ag1"), "{text}");
    assert!(text.contains("- unbind user ag1 from queues q2"), "{text}");
    assert!(
        text.contains(
            "Not in the file, kept (--prune would delete them): user ag2, user ag3, queue q2"
        ),
        "{text}"
    );
    assert!(env.user_names().contains("ag3"));

    let pruned = env
        .roster()
        .args(["apply", "--prune"])
        .arg(&small)
        .output()
        .unwrap();
    assert!(pruned.status.success(), "{}", stderr(&pruned));
    let text = stdout(&pruned);
    for line in [
        "- delete user ag2",
        "- delete user ag3",
        "- delete queue q2",
        "- delete skill b",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    // Skill c went with ag2 here, but the other application's agent still has it.
    assert!(!text.contains("delete skill c"), "{text}");
    assert_eq!(
        env.user_names(),
        BTreeSet::from(["ag1".to_owned(), "xa1".to_owned()])
    );
    let skills: BTreeSet<String> = env
        .emulator
        .with_state(|s| s.skills.values().map(|k| k.name.clone()).collect());
    assert_eq!(skills, BTreeSet::from(["a".to_owned(), "c".to_owned()]));

    let again = env
        .roster()
        .args(["plan", "--prune"])
        .arg(&small)
        .output()
        .unwrap();
    assert!(
        stdout(&again).starts_with("No changes"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn an_export_applies_back_to_the_same_state() {
    let first = Env::new(Config::default());
    let team = example(&first);
    assert!(first
        .roster()
        .arg("apply")
        .arg(&team)
        .output()
        .unwrap()
        .status
        .success());
    // Drift the export must capture: a custom field and a deactivated agent.
    first.emulator.with_state_mut(|s| {
        let user = s
            .users
            .values_mut()
            .find(|u| u.name == "ben-okafor")
            .unwrap();
        user.custom_data = "desk 4, \"north\" wing".into();
        user.active = false;
    });

    let exported = first
        .roster()
        .args(["export", "--application", "support"])
        .output()
        .unwrap();
    assert!(exported.status.success(), "{}", stderr(&exported));
    let export = first.write("export.toml", &stdout(&exported));
    let plan = first.roster().arg("plan").arg(&export).output().unwrap();
    assert!(stdout(&plan).starts_with("No changes"), "{}", stdout(&plan));

    let second = Env::new(Config::default());
    let export2 = second.write("export.toml", &stdout(&exported));
    let apply = second.roster().arg("apply").arg(&export2).output().unwrap();
    assert!(apply.status.success(), "{}", stderr(&apply));
    let again = second
        .roster()
        .args(["export", "--application", "support"])
        .output()
        .unwrap();
    assert_eq!(stdout(&again), stdout(&exported));
}

/// Waits until the emulator holds at least `users` users.
fn wait_for(env: &Env, users: usize) {
    let start = Instant::now();
    while env.user_count() < users {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "only {} users",
            env.user_count()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn spawn_apply(env: &Env, team: &Path) -> std::process::Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin!("roster"))
        .env_remove("VOXIMPLANT_CREDENTIALS")
        .args(env.args())
        .args(["apply", "--concurrency", "2"])
        .arg(team)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &std::process::Child, name: &str) {
    let status = StdCommand::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn an_interrupted_apply_resumes_where_it_stopped() {
    // Every answer 20 ms late, so there is time to interrupt mid-way.
    let env = Env::new(Config {
        faults: "*=delay:20".parse().unwrap(),
        ..Config::default()
    });
    let team = example(&env);

    // Ctrl-C: the changes in flight finish, nothing new starts, exit 130.
    let child = spawn_apply(&env, &team);
    wait_for(&env, 10);
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    let after_int = env.user_count();
    assert!(
        after_int < 50,
        "{after_int} users: the interrupt came too late"
    );

    // A hard kill, possibly with creates in flight.
    let child = spawn_apply(&env, &team);
    wait_for(&env, after_int + 10);
    signal(&child, "KILL");
    let _ = child.wait_with_output().unwrap();
    assert!(env.user_count() < 50);

    env.emulator
        .set_faults(roster_emulator::FaultPlan::default(), None);
    let resumed = env.roster().arg("apply").arg(&team).output().unwrap();
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(
        !stdout(&resumed).contains("create application"),
        "{}",
        stdout(&resumed)
    );
    assert_eq!(env.user_count(), 50);
    let again = env.roster().arg("plan").arg(&team).output().unwrap();
    assert!(
        stdout(&again).starts_with("No changes"),
        "{}",
        stdout(&again)
    );

    // Every agent has exactly one password in the file, including those created by the runs
    // that were cut short.
    let entries = passwords(&env.path("team.passwords.csv"));
    let names: BTreeSet<String> = entries.iter().map(|(u, _)| u.clone()).collect();
    assert_eq!(entries.len(), 50);
    assert_eq!(names, env.user_names());
}

#[test]
fn a_malformed_roster_file_gets_its_line_and_column() {
    let env = Env::new(Config::default());
    let bad = env.write(
        "bad.toml",
        "application = \"support\"\nskills = [\"billing\"]\n\n[[user]]\nname = \"ana\"\ndisplay_name = \"Ana\"\nskills = [\"biling\"]\n",
    );
    let out = env.roster().arg("plan").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.toml:7:11: user \"ana\" names skill \"biling\", which is not declared"),
        "{err}"
    );

    let syntax = env.write(
        "syntax.toml",
        "application = \"support\"\n[[user]\nname = 1\n",
    );
    let out = env.roster().arg("apply").arg(&syntax).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("syntax.toml:2:"), "{}", stderr(&out));
    assert_eq!(env.user_count(), 0);
}

#[test]
fn a_forbidden_role_is_reported_with_the_code_and_what_to_do() {
    let env = Env::new(Config {
        roles: vec!["Supervisor".to_owned()],
        ..Config::default()
    });
    let team = example(&env);
    let out = env.roster().arg("apply").arg(&team).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    let first = err.lines().find(|l| l.starts_with("failed:")).unwrap();
    assert!(first.contains("API error 104 (forbidden)"), "{first}");
    assert!(
        first.contains("use a service account with the Owner, Admin or User manager role"),
        "{first}"
    );
    // What needed the application is skipped, not attempted.
    assert!(
        err.contains("skipped: create user ana-lopez \"Ana Lopez\" (the application is missing)"),
        "{err}"
    );
    assert!(err.lines().last().unwrap().contains("failed and"), "{err}");
    assert_eq!(env.user_count(), 0);
}
