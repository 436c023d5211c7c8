//! Every Voximplant method through the native Rust client, over HTTP and HTTPS, with the
//! state-dependent error codes the server answers.

mod common;

use common::{client, code, emulator};
use roster::voximplant::applications::{AddApplication, GetApplications};
use roster::voximplant::queues::{AddQueue, BindUserToQueue, DelQueue, GetQueues, SetQueueInfo};
use roster::voximplant::skills::{AddSkill, BindSkill, DelSkill, GetSkills, SetSkillInfo};
use roster::voximplant::users::{AddUser, DelUser, GetUsers, SetUserInfo, TransferMoneyToUser};
use roster::Decimal;
use serde_json::json;

async fn lifecycle(tls: bool) {
    let emu = emulator(tls).await;
    let vox = client(&emu);

    let app = vox
        .applications()
        .add_application(AddApplication::new("support"))
        .await
        .expect("AddApplication");
    let app_id = app.application_id.expect("id");
    assert_eq!(
        app.application_name.as_deref(),
        Some("support.emulator.voximplant.com")
    );
    let apps = vox
        .applications()
        .get_applications(GetApplications::new().application_name("support"))
        .await
        .expect("GetApplications");
    assert_eq!(apps.total_count, Some(1));

    let alice = vox
        .users()
        .add_user(AddUser::new("alice", "Alice A", "S3cure!pass").application_id(app_id))
        .await
        .expect("AddUser")
        .user_id
        .expect("id");
    let bob = vox
        .users()
        .add_user(
            AddUser::new("bob", "Bob B", "S3cure!pass")
                .application_name("support")
                .user_custom_data("night shift"),
        )
        .await
        .expect("AddUser by app name")
        .user_id
        .expect("id");
    assert!(bob > alice, "ids increase");
    assert_eq!(
        code(
            vox.users()
                .add_user(AddUser::new("alice", "Again", "S3cure!pass").application_id(app_id))
                .await
        ),
        118
    );
    assert_eq!(
        code(
            vox.users()
                .add_user(AddUser::new("carol", "C", "S3cure!pass").application_id(999))
                .await
        ),
        116
    );

    let english = vox
        .skills()
        .add_skill(AddSkill::new("english"))
        .await
        .expect("AddSkill")
        .skill_id
        .expect("id");
    let french = vox
        .skills()
        .add_skill(AddSkill::new("french"))
        .await
        .expect("AddSkill")
        .skill_id
        .expect("id");
    assert_eq!(
        code(vox.skills().add_skill(AddSkill::new("english")).await),
        221
    );
    vox.skills()
        .set_skill_info(SetSkillInfo::new("francais").skill_id(french))
        .await
        .expect("SetSkillInfo");
    let skills = vox
        .skills()
        .get_skills(GetSkills::new().skill_name("franc"))
        .await
        .expect("GetSkills");
    assert_eq!(skills.items[0].skill_name.as_deref(), Some("francais"));

    let queue = vox
        .queues()
        .add_queue(
            AddQueue::new("tier1")
                .application_id(app_id)
                .service_probability(Decimal::new(75, 2)),
        )
        .await
        .expect("AddQueue")
        .acd_queue_id
        .expect("id");
    assert_eq!(
        code(
            vox.queues()
                .add_queue(AddQueue::new("tier1").application_id(app_id))
                .await
        ),
        219
    );
    vox.queues()
        .set_queue_info(
            SetQueueInfo::new()
                .acd_queue_id(queue)
                .acd_queue_priority(2),
        )
        .await
        .expect("SetQueueInfo");

    vox.skills()
        .bind_skill(BindSkill::new().skill_id(english).user_id([alice, bob]))
        .await
        .expect("BindSkill users");
    vox.skills()
        .bind_skill(
            BindSkill::new()
                .skill_name(vec!["francais".to_owned()])
                .acd_queue_id(queue),
        )
        .await
        .expect("BindSkill queue");
    assert_eq!(
        code(
            vox.skills()
                .bind_skill(BindSkill::new().skill_id(4242).user_id(alice))
                .await
        ),
        222
    );
    vox.queues()
        .bind_user_to_queue(
            BindUserToQueue::new()
                .application_id(app_id)
                .user_id(alice)
                .acd_queue_id(queue),
        )
        .await
        .expect("BindUserToQueue");
    // A user of another application cannot join this application's queue.
    let outsider = vox
        .users()
        .add_user(AddUser::new("dave", "Dave", "S3cure!pass").application_id(1))
        .await
        .expect("AddUser")
        .user_id
        .expect("id");
    assert_eq!(
        code(
            vox.queues()
                .bind_user_to_queue(
                    BindUserToQueue::new()
                        .application_id(app_id)
                        .user_id(outsider)
                        .acd_queue_id(queue)
                )
                .await
        ),
        393
    );

    let queues = vox
        .queues()
        .get_queues(
            GetQueues::new()
                .application_id(app_id)
                .with_skills(true)
                .with_operatorcount(true),
        )
        .await
        .expect("GetQueues");
    let q = &queues.items[0];
    assert_eq!(q.service_probability, Some(Decimal::new(75, 2)));
    assert_eq!(q.operatorcount, Some(1));
    assert_eq!(q.acd_queue_priority, Some(2));
    assert_eq!(q.skills.as_ref().map(Vec::len), Some(1));

    // Money moves exactly between the account and users.
    let after = vox
        .users()
        .transfer_money_to_user(
            TransferMoneyToUser::new(Decimal::new(1050, 2)).user_id([alice, bob]),
        )
        .await
        .expect("transfer");
    assert_eq!(after.balance, Some(Decimal::new(97900, 2)));
    let back = vox
        .users()
        .transfer_money_to_user(TransferMoneyToUser::new(Decimal::new(-50, 2)).user_id(alice))
        .await
        .expect("transfer back");
    assert_eq!(back.balance, Some(Decimal::new(97950, 2)));
    assert_eq!(
        code(
            vox.users()
                .transfer_money_to_user(
                    TransferMoneyToUser::new(Decimal::new(100_000, 2)).user_id(alice)
                )
                .await
        ),
        127
    );
    assert_eq!(
        code(
            vox.users()
                .transfer_money_to_user(
                    TransferMoneyToUser::new(Decimal::new(-2000, 2)).user_id(bob)
                )
                .await
        ),
        127
    );

    vox.users()
        .set_user_info(
            SetUserInfo::new()
                .user_id(bob)
                .new_user_name("robert")
                .user_display_name("Robert B"),
        )
        .await
        .expect("SetUserInfo");
    assert_eq!(
        code(
            vox.users()
                .set_user_info(SetUserInfo::new().user_id(bob).new_user_name("alice"))
                .await
        ),
        118
    );
    assert_eq!(
        code(
            vox.users()
                .set_user_info(SetUserInfo::new().user_id(777))
                .await
        ),
        117
    );

    let page = vox
        .users()
        .get_users(
            GetUsers::new()
                .application_id(app_id)
                .with_skills(true)
                .with_queues(true),
        )
        .await
        .expect("GetUsers");
    assert_eq!(page.total_count, Some(2));
    let names: Vec<_> = page
        .items
        .iter()
        .map(|u| u.user_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["alice", "robert"], "ordered by user_name");
    let a = &page.items[0];
    assert_eq!(a.balance, Some(Decimal::new(1000, 2)));
    assert_eq!(a.skills.as_ref().map(Vec::len), Some(1));
    assert_eq!(a.acd_queues.as_ref().map(Vec::len), Some(1));
    assert!(a.created.is_some());

    // Filters, order and paging.
    let by_display = vox.call("GetUsers", json!({"application_id": app_id, "order_by": "user_display_name", "count": 1, "offset": 1})).await.expect("paged");
    assert_eq!(by_display["total_count"], 2);
    assert_eq!(by_display["count"], 1);
    assert_eq!(by_display["items"][0]["user_name"], "robert");
    let part = vox
        .call(
            "GetUsers",
            json!({"application_name": "supp", "user_name": "ali"}),
        )
        .await
        .expect("filter");
    assert_eq!(part["total_count"], 1);
    let skilled = vox
        .call(
            "GetUsers",
            json!({"application_id": app_id, "skill_id": english, "acd_queue_id": queue}),
        )
        .await
        .expect("filter");
    assert_eq!(skilled["total_count"], 1);

    // Deleting cascades: the queue loses its operator, the skill leaves every user.
    vox.skills()
        .del_skill(DelSkill::new().skill_id(english))
        .await
        .expect("DelSkill");
    vox.users()
        .del_user(DelUser::new().user_id(alice))
        .await
        .expect("DelUser");
    assert_eq!(
        code(vox.users().del_user(DelUser::new().user_id(alice)).await),
        117
    );
    emu.with_state(|s| {
        assert!(s.queues.values().all(|q| !q.users.contains(&alice)));
        assert!(s.users.values().all(|u| !u.skills.contains(&english)));
    });
    vox.users()
        .del_user(
            DelUser::new()
                .user_name(vec!["robert".to_owned()])
                .application_id(app_id),
        )
        .await
        .expect("DelUser by name");
    vox.queues()
        .del_queue(DelQueue::new().acd_queue_id(queue))
        .await
        .expect("DelQueue");
    assert_eq!(
        code(
            vox.queues()
                .del_queue(DelQueue::new().acd_queue_id(queue))
                .await
        ),
        218
    );
    let empty = vox
        .users()
        .get_users(GetUsers::new().application_id(app_id))
        .await
        .expect("GetUsers");
    assert_eq!(empty.total_count, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_method_over_http() {
    lifecycle(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_method_over_https() {
    lifecycle(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_limit_gives_109() {
    let emu = roster_emulator::Emulator::start(roster_emulator::Config {
        user_limit: 2,
        ..Default::default()
    })
    .await
    .expect("starts");
    let vox = client(&emu);
    for name in ["u-one", "u-two"] {
        vox.users()
            .add_user(AddUser::new(name, "U", "S3cure!pass").application_id(1))
            .await
            .expect("AddUser");
    }
    assert_eq!(
        code(
            vox.users()
                .add_user(AddUser::new("u-three", "U", "S3cure!pass").application_id(1))
                .await
        ),
        109
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voiso_users_with_filters_and_key_check() {
    let fixtures = roster_emulator::Fixtures::from_json(include_bytes!("../fixtures/example.json"))
        .expect("example fixtures");
    let emu = roster_emulator::Emulator::start(roster_emulator::Config {
        fixtures: Some(fixtures),
        ..Default::default()
    })
    .await
    .expect("starts");
    let voiso = roster::Voiso::builder()
        .api_key(emu.voiso_api_key())
        .base_url(emu.base_url())
        .build()
        .expect("client");
    let all = voiso.call("ListUsers", json!({})).await.expect("ListUsers");
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    let one = voiso
        .call("ListUsers", json!({"sag": "Supervisor"}))
        .await
        .expect("filtered");
    assert_eq!(one["items"][0]["name"], "Mia Supervisor");
    assert_eq!(
        one["items"][0]["assigned_channels"][0]["value"],
        "1234567890123"
    );
    let bad = roster::Voiso::builder()
        .api_key("wrong")
        .base_url(emu.base_url())
        .build()
        .expect("client");
    match bad.call("ListUsers", json!({})).await {
        Err(roster::Error::Api(e)) => assert_eq!(e.http_status, 401),
        other => panic!("expected 401, got {other:?}"),
    }
    // The documented path under /api/ answers too, with the documented quirks on the wire.
    let raw: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/api/user_management/v1/users?id=28982",
            emu.base_url()
        ))
        .bearer_auth(emu.voiso_api_key())
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(raw[0]["employee_id"], 123);
    assert_eq!(raw[0]["assigned_teams"], "3623, 2481");
    assert_eq!(raw[0]["assigned_channels"][0]["value"], 1234567890123_i64);
}
