//! Each fault kind as a client sees it, whether the request was applied, the counters, and
//! repeatability with a seed. Raw HTTP, so what is tested is the emulator, not a client's retries.

mod common;

use common::emulator;
use roster_emulator::FaultPlan;
use serde_json::Value;

async fn add_skill(
    emu: &roster_emulator::EmulatorHandle,
    name: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    reqwest::Client::new()
        .post(format!("{}/platform_api/AddSkill", emu.base_url()))
        .form(&[
            ("account_id", emu.account_id().to_string()),
            ("api_key", emu.api_key()),
            ("skill_name", name.to_owned()),
        ])
        .send()
        .await
}

fn skills(emu: &roster_emulator::EmulatorHandle) -> usize {
    emu.with_state(|s| s.skills.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind() {
    let emu = emulator(false).await;
    let set = |spec: &str| emu.set_faults(spec.parse::<FaultPlan>().expect("spec"), Some(1));

    for (spec, status, retry_after) in [
        ("AddSkill=http500", 500, None),
        ("AddSkill=http502", 502, None),
        ("AddSkill=http503", 503, None),
        ("AddSkill=http503_retry_after:7", 503, Some("7")),
        ("AddSkill=http429", 429, Some("1")),
    ] {
        set(spec);
        let r = add_skill(&emu, "never").await.expect("answered");
        assert_eq!(r.status().as_u16(), status, "{spec}");
        assert_eq!(
            r.headers()
                .get("retry-after")
                .map(|v| v.to_str().expect("ascii")),
            retry_after,
            "{spec}"
        );
        assert!(r.text().await.expect("body").contains("<html>"), "{spec}");
    }
    for (spec, code) in [("AddSkill=rate_limit", 340), ("*=busy", 162)] {
        set(spec);
        let v: Value = add_skill(&emu, "never")
            .await
            .expect("answered")
            .json()
            .await
            .expect("json");
        assert_eq!(v["error"]["code"], code, "{spec}");
    }
    set("AddSkill=reset");
    assert!(add_skill(&emu, "never").await.is_err(), "no answer");
    assert_eq!(skills(&emu), 0, "nothing above was applied");

    set("AddSkill=truncated");
    let body = add_skill(&emu, "cut")
        .await
        .expect("answered")
        .bytes()
        .await
        .expect("body");
    assert!(
        serde_json::from_slice::<Value>(&body).is_err(),
        "half a JSON answer"
    );
    assert_eq!(skills(&emu), 1, "truncated: applied");

    set("AddSkill=drop_after_apply");
    assert!(add_skill(&emu, "dropped").await.is_err(), "no answer");
    assert_eq!(skills(&emu), 2, "drop_after_apply: applied");

    set("AddSkill=delay:150");
    let started = std::time::Instant::now();
    assert_eq!(
        add_skill(&emu, "slow").await.expect("answered").status(),
        200
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));

    let counters: std::collections::HashMap<_, _> = emu.fault_counters().into_iter().collect();
    for kind in [
        "http500",
        "http502",
        "http503",
        "http503_retry_after",
        "http429",
        "rate_limit",
        "busy",
        "reset",
        "truncated",
        "drop_after_apply",
        "delay",
    ] {
        assert_eq!(counters[kind], 1, "{kind}");
    }
    let admin: Value = reqwest::get(format!("{}/_emulator/faults", emu.base_url()))
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(admin["total"], 11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_runs_repeat() {
    let emu = emulator(false).await;
    let mut runs = Vec::new();
    for _ in 0..2 {
        emu.set_faults("GetSkills=http503:0.5".parse().expect("spec"), Some(99));
        let mut outcomes = Vec::new();
        for _ in 0..20 {
            let r = reqwest::get(format!(
                "{}/platform_api/GetSkills?account_id={}&api_key={}",
                emu.base_url(),
                emu.account_id(),
                emu.api_key()
            ))
            .await
            .expect("answered");
            outcomes.push(r.status().as_u16());
        }
        runs.push(outcomes);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&503) && runs[0].contains(&200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_per_account() {
    let emu = roster_emulator::Emulator::start(roster_emulator::Config {
        rate_limit: Some(3),
        ..Default::default()
    })
    .await
    .expect("starts");
    let mut codes = Vec::new();
    for _ in 0..6 {
        let v: Value = reqwest::get(format!(
            "{}/platform_api/GetSkills?account_id={}&api_key={}",
            emu.base_url(),
            emu.account_id(),
            emu.api_key()
        ))
        .await
        .expect("answered")
        .json()
        .await
        .expect("json");
        codes.push(v["error"]["code"].as_i64());
    }
    // Six requests within (at most) two wall-clock seconds: some must be refused with 340.
    assert!(codes.contains(&Some(340)), "{codes:?}");
}
