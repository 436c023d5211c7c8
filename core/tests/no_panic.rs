//! The core must not panic on any input: a panic inside wasm poisons the module, and across FFI
//! it is undefined behaviour. These properties feed arbitrary bytes and structure-aware JSON to
//! every entry point that takes outside input.

use proptest::prelude::*;
use roster_core::call::{Outcome, Step};
use roster_core::dynamic::parse_response;
use roster_core::{
    api::METHODS, ApiKind, BaseUrl, Credentials, HttpResponse, TransportError, TransportErrorKind,
    VoisoClient, VoximplantAuth, VoximplantClient,
};
use serde_json::{Map, Value};

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("all"),
            Just(""),
            Just("1;2"),
            Just("2024-04-20 09:15:42"),
            Just("15.75"),
            Just("true"),
            Just("1e400"),
            Just("-0.001")
        ]
        .prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Names the spec uses, so generated objects reach the typed readers, plus noise.
fn field_name() -> impl Strategy<Value = String> {
    let known: Vec<String> = METHODS
        .iter()
        .flat_map(|m| m.params.iter().map(|p| p.name.to_owned()))
        .chain(
            [
                "result",
                "error",
                "errors",
                "code",
                "msg",
                "field_name",
                "total_count",
                "count",
                "balance",
                "live_balance",
                "skills",
                "acd_queues",
                "applications",
                "created",
                "modified",
                "assigned_teams",
                "assigned_skills",
                "employee_id",
                "value",
            ]
            .map(String::from),
        )
        .collect();
    prop_oneof![prop::sample::select(known), "[a-z_]{1,8}"]
}

fn method_index() -> impl Strategy<Value = usize> {
    0..METHODS.len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_bytes(i in method_index(), status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_response(METHODS[i], &HttpResponse::new(status, body));
    }

    #[test]
    fn parse_never_panics_on_json(i in method_index(), status in prop_oneof![Just(200u16), Just(401), Just(500)], body in json_value()) {
        let bytes = serde_json::to_vec(&body).unwrap();
        let _ = parse_response(METHODS[i], &HttpResponse::new(status, bytes.clone()));
        // Also inside the envelope a list answer expects.
        let wrapped = serde_json::to_vec(&serde_json::json!({"result": [body.clone()], "total_count": 1})).unwrap();
        let _ = parse_response(METHODS[i], &HttpResponse::new(status, wrapped));
        // Truncated at every length: a body cut by a dropped connection.
        for cut in 0..bytes.len().min(40) {
            let _ = parse_response(METHODS[i], &HttpResponse::new(status, bytes[..cut].to_vec()));
        }
    }

    #[test]
    fn prepare_never_panics(i in method_index(), params in prop::collection::btree_map(field_name(), json_value(), 0..8)) {
        let info = METHODS[i];
        let params = Value::Object(params.into_iter().collect::<Map<String, Value>>());
        match info.api {
            ApiKind::Voximplant => {
                let mut c = VoximplantClient::new(VoximplantAuth::Token("t".into()), None).unwrap();
                let _ = c.prepare_json(info.name, params, 0);
            }
            ApiKind::Voiso => {
                let c = VoisoClient::new("k", None).unwrap();
                let _ = c.prepare_json(info.name, params);
            }
        }
    }

    #[test]
    fn prepare_with_any_method_name_and_top_level_value(name in ".{0,20}", params in json_value()) {
        let mut c = VoximplantClient::new(VoximplantAuth::Token("t".into()), None).unwrap();
        let _ = c.prepare_json(&name, params, 0);
    }

    #[test]
    fn config_parsers_never_panic(text in ".{0,64}", json in json_value()) {
        let _ = BaseUrl::parse(&text);
        let _ = Credentials::from_json(&text);
        let _ = Credentials::from_json(&json.to_string());
        let _ = VoisoClient::new(text.as_str(), Some(&text));
    }

    /// The call machine and the pager, fed any sequence of outcomes for any method (lookups,
    /// token refreshes and pages included), and any clock, always end without panicking.
    #[test]
    fn the_call_machine_never_panics(
        i in method_index(),
        outcomes in prop::collection::vec(outcome(), 1..12),
        clock_steps in prop::collection::vec(any::<u32>(), 12),
    ) {
        let info = METHODS[i];
        let mut session = match info.api {
            ApiKind::Voximplant => roster_core::Session::voximplant_token("t", None, "test").unwrap(),
            ApiKind::Voiso => roster_core::Session::voiso("k", None, "test").unwrap(),
        };
        let params = sample_params(info);
        let Ok(mut call) = session.call(info.name, params.clone(), None) else { return Ok(()) };
        let mut now = 1_700_000_000_000u64;
        let mut step = call.start(&mut session, now);
        let mut outcomes = outcomes.into_iter();
        let mut clock = clock_steps.into_iter().cycle();
        for _ in 0..64 {
            now = now.saturating_add(u64::from(clock.next().unwrap_or(0)));
            step = match step {
                Step::Send(_) => match outcomes.next() {
                    Some(o) => call.on_outcome(o, &mut session, now),
                    None => break,
                },
                Step::Sleep(_) => call.resume(&mut session, now),
                Step::Token(_) => call.on_token(Ok(b"t"), &mut session, now),
                Step::Done(_) => break,
            };
        }
        if let Ok(mut pager) = session.pager(info.name, params) {
            while pager.next_params().is_some() && pager.pages() < 8 {
                let _ = pager.accept_json(serde_json::json!({"items": [{"user_id": 1}], "total_count": 3}));
            }
        }
    }
}

/// Parameters that pass validation for most methods, so calls get past `start`.
fn sample_params(info: &roster_core::MethodInfo) -> Value {
    let mut map = Map::new();
    for p in info.params.iter().filter(|p| p.required) {
        let v = match p.name {
            "user_name" => Value::from("jdoe"),
            "user_password" => Value::from("S3cure!pass"),
            "amount" => Value::from("1.5"),
            "application_name" => Value::from("app"),
            _ => Value::from("1"),
        };
        map.insert(p.name.to_owned(), v);
    }
    for g in info
        .groups
        .iter()
        .filter(|g| g.rule != roster_core::endpoint::GroupRule::Requires)
    {
        if let Some(first) = g.params.first() {
            map.entry((*first).to_owned()).or_insert(Value::from("1"));
        }
    }
    Value::Object(map)
}

fn outcome() -> impl Strategy<Value = Outcome> {
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        prop::sample::select(vec![
            r#"{"error":{"code":456,"msg":"expired"}}"#,
            r#"{"error":{"code":416,"msg":"Repeat after 99999999999 seconds"}}"#,
            r#"{"error":{"code":118,"msg":"dup"}}"#,
            r#"{"error":{"code":340}}"#,
            r#"{"result":[{"user_id":1,"user_name":"jdoe"}],"total_count":5}"#,
            r#"{"result":[],"total_count":99999999999}"#,
            r#"{"result":1,"user_id":3}"#,
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ];
    let headers = prop::collection::vec(
        (
            prop_oneof![Just("Retry-After".to_owned()), "[a-z-]{1,8}"],
            prop_oneof![Just("1e308".to_owned()), Just("-1".to_owned()), ".{0,8}"],
        ),
        0..3,
    );
    prop_oneof![
        (100u16..600, headers, body).prop_map(|(status, headers, body)| Outcome::Response(
            HttpResponse {
                status,
                headers,
                body
            }
        )),
        prop::sample::select(vec![
            TransportErrorKind::NotSent,
            TransportErrorKind::TimedOut,
            TransportErrorKind::Interrupted
        ])
        .prop_map(|k| Outcome::Failed(TransportError::new(k, "x"))),
    ]
}
