//! Arbitrary bytes, content types, paths and parameters through the request parser and the
//! method dispatch, in-process: every input gets an answer, never a panic.

use std::collections::BTreeMap;

use bytes::Bytes;
use proptest::prelude::*;
use roster_emulator::{validation, wire};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/x-www-form-urlencoded".to_owned())),
        Just(Some("multipart/form-data; boundary=XyZ".to_owned())),
        Just(Some("multipart/form-data".to_owned())),
        Just(Some("text/plain".to_owned())),
        ".{0,40}".prop_map(Some),
    ]
}

fn multipart_body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(("[a-z_]{0,12}", ".{0,20}"), 0..5).prop_map(|parts| {
        let mut body = String::new();
        for (k, v) in parts {
            body.push_str(&format!(
                "--XyZ\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            ));
        }
        body.push_str("--XyZ--\r\n");
        body.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics(
        path in "(/platform_api)?(/[A-Za-z_/]{0,20})?",
        query in proptest::option::of(".{0,60}"),
        ct in content_type(),
        body in prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), multipart_body()],
    ) {
        let rt = runtime();
        let _ = rt.block_on(wire::parse_request(&path, query.as_deref(), ct.as_deref(), Bytes::from(body)));
    }

    #[test]
    fn dispatch_never_panics(
        method in prop_oneof![
            Just("AddUser"), Just("DelUser"), Just("SetUserInfo"), Just("GetUsers"), Just("TransferMoneyToUser"),
            Just("AddSkill"), Just("DelSkill"), Just("SetSkillInfo"), Just("GetSkills"), Just("BindSkill"),
            Just("AddQueue"), Just("DelQueue"), Just("SetQueueInfo"), Just("GetQueues"), Just("BindUserToQueue"),
            Just("AddApplication"), Just("GetApplications"),
        ],
        params in proptest::collection::btree_map(
            prop_oneof![
                Just("application_id".to_owned()), Just("application_name".to_owned()), Just("user_id".to_owned()),
                Just("user_name".to_owned()), Just("skill_id".to_owned()), Just("skill_name".to_owned()),
                Just("acd_queue_id".to_owned()), Just("acd_queue_name".to_owned()), Just("amount".to_owned()),
                Just("count".to_owned()), Just("offset".to_owned()), Just("order_by".to_owned()),
                Just("user_password".to_owned()), Just("user_display_name".to_owned()), Just("bind".to_owned()),
                Just("new_user_name".to_owned()), Just("service_probability".to_owned()), "[a-z_]{1,10}",
            ],
            prop_oneof![Just("all".to_owned()), Just("1;2".to_owned()), Just("True".to_owned()), "-?[0-9]{1,25}(\\.[0-9]{0,30})?", ".{0,30}"],
            0..8,
        ),
    ) {
        let mut state = roster_emulator::Fixtures::from_json(include_bytes!("../fixtures/example.json"))
            .expect("fixtures")
            .build(&roster_emulator::state::Account {
                account_id: 1,
                account_name: "a".into(),
                balance: Default::default(),
                api_key: "k".into(),
            }, 1000, 0)
            .expect("state");
        let _ = roster_emulator::dispatch(method, &params, &mut state, 0);
        let _ = validation::to_vox_error(
            &roster_core::ValidationError::new("a/b", roster_core::Rule::ExactlyOne, "m"),
            &BTreeMap::new(),
        );
    }
}
