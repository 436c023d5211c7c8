//! Dry run of an agent onboarding: every request a new support team needs, built, validated and
//! printed exactly as it would be sent (secrets redacted), then a documented GetUsers answer
//! read into typed users. Nothing leaves the machine.
//!
//!     cargo run -q -p roster --example onboarding

use roster::core::api::voximplant::applications::AddApplication;
use roster::core::api::voximplant::queues::{AddQueue, BindUserToQueue};
use roster::core::api::voximplant::skills::{AddSkill, BindSkill};
use roster::core::api::voximplant::users::{AddUser, GetUsers, TransferMoneyToUser};
use roster::core::Endpoint;
use roster::{Decimal, HttpResponse, Voximplant};

/// A test-only service-account key, so tokens are really signed (and then redacted).
const CREDENTIALS: &str = include_str!("../../../tests/fixtures/credentials.json");

/// The sample answer from the GetUsers documentation page.
const SAMPLE_USERS: &str = r#"{"result":[
  {"user_id":101,"user_name":"jdoe","user_display_name":"John Doe","user_active":true,"balance":15.75,"modified":"2024-04-20 09:15:42","frozen":false},
  {"user_id":102,"user_name":"asmith","user_display_name":"Alice Smith","user_active":true,"balance":8.5,"modified":"2024-04-19 16:47:10","frozen":false}],
  "total_count":2,"count":2}"#;

fn show<E: Endpoint<Api = roster::core::endpoint::VoximplantApi>>(
    vox: &Voximplant,
    step: &str,
    request: &E,
) {
    println!("── {step}: {}", E::INFO.name);
    match vox.prepare(request) {
        Ok(http) => println!("{}", http.redacted()),
        Err(e) => println!("refused before sending: {e}\n"),
    }
}

/// `YYYY-MM-DD HH:MM:SS`, the form the API itself uses.
fn utc(t: roster::core::OffsetDateTime) -> String {
    let (d, h) = (t.date(), t.time());
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.year(),
        u8::from(d.month()),
        d.day(),
        h.hour(),
        h.minute(),
        h.second()
    )
}

fn main() -> Result<(), roster::Error> {
    let vox = Voximplant::builder()
        .credentials_json(CREDENTIALS)
        .build()?;
    println!("Roster dry run: the requests of an agent onboarding, as they would be sent.\n");

    show(&vox, "1. application", &AddApplication::new("support"));
    show(&vox, "2. skills", &AddSkill::new("English"));
    show(
        &vox,
        "3. queue",
        &AddQueue::new("tier1")
            .application_name("support")
            .service_probability(Decimal::new(9, 1)),
    );
    for (name, display) in [("jdoe", "John Doe"), ("asmith", "Alice Smith")] {
        show(
            &vox,
            "4. agent",
            &AddUser::new(name, display, "Onb0arding!2024").application_name("support"),
        );
    }
    show(
        &vox,
        "5. skills to agents",
        &BindSkill::new()
            .skill_name(["English"])
            .user_name(["jdoe", "asmith"])
            .application_name("support"),
    );
    show(
        &vox,
        "6. agents to the queue",
        &BindUserToQueue::new()
            .application_name("support")
            .user_name(["jdoe", "asmith"])
            .acd_queue_name(["tier1"]),
    );
    show(
        &vox,
        "7. starting balance",
        &TransferMoneyToUser::new(Decimal::new(500, 2))
            .user_name(["jdoe", "asmith"])
            .application_name("support"),
    );
    show(
        &vox,
        "8. a mistake caught locally",
        &AddUser::new("Bad Name", "B", "weak").application_name("support"),
    );
    show(
        &vox,
        "9. the team",
        &GetUsers::new()
            .application_name("support")
            .with_skills(true),
    );

    println!("── reading the documented GetUsers answer");
    let page = roster::core::parse::<GetUsers>(&HttpResponse::new(200, SAMPLE_USERS))?;
    println!(
        "{:>8}  {:<10} {:<14} {:>8}  modified (UTC)",
        "user_id", "user_name", "display name", "balance"
    );
    for u in &page.items {
        println!(
            "{:>8}  {:<10} {:<14} {:>8}  {}",
            u.user_id.unwrap_or_default(),
            u.user_name.as_deref().unwrap_or(""),
            u.user_display_name.as_deref().unwrap_or(""),
            u.balance.map(|b| b.to_string()).unwrap_or_default(),
            u.modified.map(utc).unwrap_or_default(),
        );
    }
    println!(
        "{} of {} users",
        page.items.len(),
        page.total_count.unwrap_or_default()
    );
    Ok(())
}
