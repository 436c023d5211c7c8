//! The core's hot paths, side by side in one run:
//!
//! - `prepare/add_user_cached_token`: validate and build an AddUser request, token cached;
//! - `parse/get_users_100_typed`: a 100-user GetUsers answer into `Page<User>`;
//! - `parse/get_users_100_value`: the same bytes into `serde_json::Value`, the baseline.
//!
//! Bars (issue 2): typed parse at most 1.5x the Value parse; AddUser under 10 us.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use roster_core::api::voximplant::users::{AddUser, GetUsers};
use roster_core::{Credentials, HttpResponse, VoximplantAuth, VoximplantClient};

const CREDENTIALS: &str = include_str!("../../tests/fixtures/credentials.json");
const NOW: u64 = 1_700_000_000;

/// A GetUsers answer as the server sends it with `with_skills` and `with_queues`.
pub fn get_users_body(n: usize) -> Vec<u8> {
    let users: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"user_id":{id},"user_name":"agent{i:04}","user_display_name":"Agent Number {i}","user_active":true,"parent_accounting":false,"live_balance":{i}.75,"balance":{i}.5,"fixed_balance":0.0,"user_custom_data":"team=support;floor=2","frozen":false,"acd_status":"READY","acd_status_change_time":"2024-04-20 09:15:42","created":"2023-01-05 10:00:00","modified":"2024-04-20 09:15:42","applications":[{{"application_id":10,"application_name":"support.acme.voximplant.com","modified":"2024-01-01 00:00:00"}}],"skills":[{{"skill_id":1,"skill_name":"english"}},{{"skill_id":2,"skill_name":"billing"}}],"acd_queues":[{{"acd_queue_id":5,"acd_queue_name":"tier1","auto_link":true}}]}}"#,
                id = 1000 + i
            )
        })
        .collect();
    format!(
        r#"{{"result":[{}],"total_count":{n},"count":{n}}}"#,
        users.join(",")
    )
    .into_bytes()
}

fn benches(c: &mut Criterion) {
    let creds = Credentials::from_json(CREDENTIALS).expect("fixture credentials");
    let mut client =
        VoximplantClient::new(VoximplantAuth::service_account(&creds).expect("key"), None)
            .expect("client");
    let request = AddUser::new("jdoe", "John Doe", "S3cure!pass").application_id(1);
    client
        .prepare(&request, NOW)
        .expect("first call signs the token");

    let mut g = c.benchmark_group("prepare");
    g.bench_function("add_user_cached_token", |b| {
        b.iter(|| client.prepare(black_box(&request), NOW).expect("valid"))
    });
    g.finish();

    let body = get_users_body(100);
    let response = HttpResponse::new(200, body.clone());
    let mut g = c.benchmark_group("parse");
    g.throughput(criterion::Throughput::Bytes(body.len() as u64));
    g.bench_function("get_users_100_typed", |b| {
        b.iter(|| roster_core::parse::<GetUsers>(black_box(&response)).expect("valid"))
    });
    g.bench_function("get_users_100_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("valid"))
    });
    g.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
