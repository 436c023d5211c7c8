//! Quick start: an agent's whole lifecycle against the embedded emulator, no account needed.
//!
//! Starts `roster-emulator` in-process (a local Voximplant Management API with real state), then
//! through the SDK: creates an application, two agents, two skills and a queue, binds skills and
//! the queue, pays an agent, lists the agents with their skills and queues, and cleans up.
//!
//! ```sh
//! cargo run -q -p roster --example quickstart
//! ```

use roster::voximplant::applications::AddApplication;
use roster::voximplant::queues::{AddQueue, BindUserToQueue, DelQueue, GetQueues};
use roster::voximplant::skills::{AddSkill, BindSkill, DelSkill};
use roster::voximplant::users::{AddUser, DelUser, GetUsers, TransferMoneyToUser};
use roster::Decimal;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = roster_emulator::Emulator::start(roster_emulator::Config::default()).await?;
    println!(
        "emulator    listening on {} (account {})",
        emulator.base_url(),
        emulator.account_id()
    );

    // The same builder as against api.voximplant.com, pointed at the emulator.
    let vox = roster::Voximplant::builder()
        .credentials_json(emulator.credentials_json())
        .base_url(emulator.base_url())
        .build()?;

    let app = vox
        .applications()
        .add_application(AddApplication::new("helpdesk"))
        .await?;
    let app_id = app.application_id.ok_or("no application_id")?;
    println!(
        "application {app_id} {}",
        app.application_name.as_deref().unwrap_or_default()
    );

    let mut agents = Vec::new();
    for (name, display) in [("ana-lopez", "Ana López"), ("ben-okafor", "Ben Okafor")] {
        let user = vox
            .users()
            .add_user(AddUser::new(name, display, "Onb0arding!2024").application_id(app_id))
            .await?;
        let id = user.user_id.ok_or("no user_id")?;
        println!("user        {id} {name} ({display})");
        agents.push(id);
    }

    let mut skills = Vec::new();
    for name in ["spanish", "billing"] {
        let id = vox
            .skills()
            .add_skill(AddSkill::new(name))
            .await?
            .skill_id
            .ok_or("no skill_id")?;
        println!("skill       {id} {name}");
        skills.push(id);
    }

    let queue = vox
        .queues()
        .add_queue(
            AddQueue::new("billing-es")
                .application_id(app_id)
                .service_probability(Decimal::new(95, 2)),
        )
        .await?
        .acd_queue_id
        .ok_or("no acd_queue_id")?;
    println!("queue       {queue} billing-es");

    vox.skills()
        .bind_skill(
            BindSkill::new()
                .skill_id(skills.clone())
                .user_id(agents.clone()),
        )
        .await?;
    println!("BindSkill   skills {skills:?} -> users {agents:?}");
    vox.skills()
        .bind_skill(
            BindSkill::new()
                .skill_id(skills.clone())
                .acd_queue_id(queue),
        )
        .await?;
    println!("BindSkill   skills {skills:?} -> queue {queue}");
    vox.queues()
        .bind_user_to_queue(
            BindUserToQueue::new()
                .application_id(app_id)
                .user_id(agents.clone())
                .acd_queue_id(queue),
        )
        .await?;
    println!("BindUserToQueue users {agents:?} -> queue {queue}");

    let paid = vox
        .users()
        .transfer_money_to_user(TransferMoneyToUser::new(Decimal::new(1250, 2)).user_id(agents[0]))
        .await?;
    println!(
        "transfer    12.50 to user {} -> account balance {}",
        agents[0],
        paid.balance.unwrap_or_default()
    );

    let page = vox
        .users()
        .get_users(
            GetUsers::new()
                .application_id(app_id)
                .with_skills(true)
                .with_queues(true),
        )
        .await?;
    println!(
        "GetUsers    {} of {} users",
        page.items.len(),
        page.total_count.unwrap_or_default()
    );
    for user in &page.items {
        let skills: Vec<&str> = user
            .skills
            .iter()
            .flatten()
            .filter_map(|s| s.skill_name.as_deref())
            .collect();
        let queues: Vec<&str> = user
            .acd_queues
            .iter()
            .flatten()
            .filter_map(|q| q.acd_queue_name.as_deref())
            .collect();
        println!(
            "  {:>3} {:<11} balance {:>6}  skills {:?}  queues {:?}",
            user.user_id.unwrap_or_default(),
            user.user_name.as_deref().unwrap_or_default(),
            user.balance.unwrap_or_default(),
            skills,
            queues,
        );
    }
    let queues = vox
        .queues()
        .get_queues(
            GetQueues::new()
                .application_id(app_id)
                .with_operatorcount(true),
        )
        .await?;
    for q in &queues.items {
        println!(
            "  queue {} has {} operators",
            q.acd_queue_name.as_deref().unwrap_or_default(),
            q.operatorcount.unwrap_or_default()
        );
    }

    // Clean-up: deleting users and the queue also removes their bindings.
    vox.users()
        .del_user(DelUser::new().user_id(agents.clone()))
        .await?;
    vox.queues()
        .del_queue(DelQueue::new().acd_queue_id(queue))
        .await?;
    for id in &skills {
        vox.skills()
            .del_skill(DelSkill::new().skill_id(*id))
            .await?;
    }
    let left = vox
        .users()
        .get_users(GetUsers::new().application_id(app_id))
        .await?;
    println!(
        "clean-up    users, queue and skills deleted; {} users left",
        left.total_count.unwrap_or_default()
    );
    Ok(())
}
