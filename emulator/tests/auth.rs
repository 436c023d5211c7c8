//! Token checks with the virtual clock, key ids, roles and the deprecated api_key.

mod common;

use common::{client, code, emulator, now, sign, token_client};
use roster::voximplant::users::{AddUser, GetUsers};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_codes() {
    let emu = emulator(false).await;
    let (kid, acct) = (emu.key_id().to_owned(), emu.account_id());
    let get = |vox: roster::Voximplant| async move { vox.call("GetApplications", json!({})).await };

    assert!(get(token_client(
        &emu,
        &sign(&emu, &kid, acct, now(), now() + 60)
    ))
    .await
    .is_ok());
    assert_eq!(
        code(
            get(token_client(
                &emu,
                &sign(&emu, "nope", acct, now(), now() + 60)
            ))
            .await
        ),
        433
    );
    assert_eq!(code(get(token_client(&emu, "not-a-jwt")).await), 447);
    assert_eq!(
        code(
            get(token_client(
                &emu,
                &sign(&emu, &kid, acct, now(), now() + 7200)
            ))
            .await
        ),
        454
    );
    assert_eq!(
        code(
            get(token_client(
                &emu,
                &sign(&emu, &kid, acct, now() + 600, now() + 900)
            ))
            .await
        ),
        455
    );
    assert_eq!(
        code(
            get(token_client(
                &emu,
                &sign(&emu, &kid, acct, now() - 100, now() - 10)
            ))
            .await
        ),
        456
    );
    assert_eq!(
        code(get(token_client(&emu, &sign(&emu, &kid, 42, now(), now() + 60))).await),
        100
    );

    // The virtual clock: a valid client's cached token expires when time moves on, and is
    // "from the future" when time moves back.
    let vox = client(&emu);
    vox.call("GetApplications", json!({}))
        .await
        .expect("valid now");
    emu.clock().advance(2 * 3600);
    assert_eq!(code(vox.call("GetApplications", json!({})).await), 456);
    emu.clock().advance(-4 * 3600);
    assert_eq!(code(vox.call("GetApplications", json!({})).await), 455);
    emu.clock().reset();
    vox.call("GetApplications", json!({}))
        .await
        .expect("valid again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_enforced_and_api_key_works() {
    let emu = emulator(false).await;
    // A Supervisor key (the same public key under another id) may read but not write.
    let creds: serde_json::Value = serde_json::from_str(emu.credentials_json()).expect("json");
    let pair_public = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/test-key.pub.pem"
    ))
    .expect("public key");
    emu.add_key("supervisor-key", &pair_public, &["Supervisor"])
        .expect("key added");
    let mut sup = creds.clone();
    sup["key_id"] = json!("supervisor-key");
    let vox = roster::Voximplant::builder()
        .credentials_json(sup.to_string())
        .base_url(emu.base_url())
        .build()
        .expect("client");
    vox.users()
        .get_users(GetUsers::new().application_id(1))
        .await
        .expect("Supervisor may read");
    assert_eq!(
        code(
            vox.users()
                .add_user(AddUser::new("sup-made", "S", "S3cure!pass").application_id(1))
                .await
        ),
        104
    );

    let legacy = roster::Voximplant::builder()
        .api_key(emu.account_id(), emu.api_key())
        .base_url(emu.base_url())
        .build()
        .expect("client");
    legacy
        .call("GetSkills", json!({}))
        .await
        .expect("api_key accepted");
    let wrong = roster::Voximplant::builder()
        .api_key(emu.account_id(), "wrong")
        .base_url(emu.base_url())
        .build()
        .expect("client");
    assert_eq!(code(wrong.call("GetSkills", json!({})).await), 100);
    // The request log keeps no secret.
    let log = serde_json::to_string(&emu.requests()).expect("json");
    assert!(
        !log.contains(&emu.api_key()) && !log.contains("S3cure"),
        "{log}"
    );
}
