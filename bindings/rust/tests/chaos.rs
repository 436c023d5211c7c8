//! Reliability against a hostile server: thousands of mixed operations through the client while
//! the emulator injects every fault it knows, then the emulator's final state is compared with
//! what the client reported. No write may be doubled, none acknowledged may be missing, every
//! "outcome unknown" must be reconciled, and money must add up to the cent.
//!
//! Figures are printed (`cargo test -p roster --test chaos -- --nocapture`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use roster::core::call::SplitMix64;
use roster::voximplant::skills::{AddSkill, BindSkill};
use roster::voximplant::users::{AddUser, GetUsers, SetUserInfo, TransferMoneyToUser};
use roster::{Decimal, Error, RetryPolicy, Voximplant};
use roster_emulator::{Config, Emulator, EmulatorHandle, FaultPlan};

const OPERATIONS: usize = 5_000;
const WORKERS: usize = 16;
const APP: i64 = 1;

/// Eleven kinds at 2% each: about 20% of requests meet a fault.
const FAULTS: &str = "*=http500:0.02,*=http502:0.02,*=http503:0.02,*=http503_retry_after:1:0.02,\
*=http429:0.02,*=rate_limit:0.02,*=busy:0.02,*=reset:0.02,*=truncated:0.02,\
*=drop_after_apply:0.02,*=delay:100:0.02";

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        base_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(50),
        jitter_percent: 50,
        deadline: Some(Duration::from_secs(60)),
        connect_timeout: Duration::from_secs(5),
        // Longer than the injected delays: a late answer is waited for. (A write whose answer
        // times out may still land later and overtake a newer write; no client can order
        // those, so this run keeps timeouts for the unit tests of the machine.)
        attempt_timeout: Duration::from_secs(2),
    }
}

/// What one worker believes about the users it owns.
#[derive(Default, Debug)]
struct Owned {
    /// user id → name
    users: BTreeMap<i64, String>,
    /// user id → balance the client can prove
    balance: BTreeMap<i64, Decimal>,
    /// user id → display names the user may have now (the last acknowledged one, plus any
    /// attempted after it that failed without proof either way)
    display: BTreeMap<i64, BTreeSet<String>>,
    /// user id → skills acknowledged as bound
    skills: BTreeMap<i64, BTreeSet<i64>>,
}

#[derive(Default, Debug)]
struct Tally {
    ops: BTreeMap<&'static str, usize>,
    ok: BTreeMap<&'static str, usize>,
    errors: BTreeMap<String, usize>,
    unknown: usize,
    unknown_applied: usize,
    unknown_not_applied: usize,
    transferred: Decimal,
    list_pages: usize,
    list_duplicates: usize,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (k, v) in other.ops {
            *self.ops.entry(k).or_default() += v;
        }
        for (k, v) in other.ok {
            *self.ok.entry(k).or_default() += v;
        }
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.unknown += other.unknown;
        self.unknown_applied += other.unknown_applied;
        self.unknown_not_applied += other.unknown_not_applied;
        self.transferred += other.transferred;
        self.list_pages += other.list_pages;
        self.list_duplicates += other.list_duplicates;
    }

    fn error(&mut self, op: &'static str, e: &Error) {
        *self
            .errors
            .entry(format!("{op}: {}", e.code()))
            .or_default() += 1;
    }
}

async fn start() -> EmulatorHandle {
    let config = Config {
        user_limit: 100_000,
        initial_balance: Decimal::new(1_000_000, 2),
        ..Config::default()
    };
    Emulator::start(config).await.expect("the emulator starts")
}

fn client(emu: &EmulatorHandle, seed: u64) -> Voximplant {
    Voximplant::builder()
        .credentials_json(emu.credentials_json())
        .base_url(emu.base_url())
        .retry_policy(policy())
        .jitter_seed(seed)
        .build()
        .unwrap()
}

/// Reads one user until an answer comes (reads are safe to repeat).
async fn read_user(vox: &Voximplant, id: i64) -> Option<roster::voximplant::types::User> {
    loop {
        let request = GetUsers::new()
            .application_id(APP)
            .user_id(id)
            .with_skills(true);
        match vox.users().get_users(request).await {
            Ok(page) => return page.items.into_iter().find(|u| u.user_id == Some(id)),
            Err(e) if e.code() == "api" => return None,
            Err(_) => continue,
        }
    }
}

async fn find_by_name(vox: &Voximplant, name: &str) -> Option<i64> {
    loop {
        let request = GetUsers::new()
            .application_id(APP)
            .user_name(name)
            .count(100);
        match vox.users().get_users(request).await {
            Ok(page) => {
                return page
                    .items
                    .iter()
                    .find(|u| u.user_name.as_deref() == Some(name))
                    .and_then(|u| u.user_id)
            }
            Err(_) => continue,
        }
    }
}

async fn worker(vox: Voximplant, id: usize, ops: usize, skills: Vec<i64>) -> (Owned, Tally) {
    let mut rng = SplitMix64::new(id as u64 + 1000);
    let mut owned = Owned::default();
    let mut tally = Tally::default();
    for n in 0..ops {
        let roll = rng.next_u64() % 100;
        let kind = if owned.users.len() < 3 || roll < 20 {
            "add"
        } else if roll < 45 {
            "update"
        } else if roll < 65 {
            "bind"
        } else if roll < 90 {
            "transfer"
        } else {
            "list"
        };
        *tally.ops.entry(kind).or_default() += 1;
        let users: Vec<i64> = owned.users.keys().copied().collect();
        let pick = |r: u64| users.get((r % users.len().max(1) as u64) as usize).copied();
        match kind {
            "add" => {
                let name = format!("w{id}-u{n}");
                let request = AddUser::new(name.clone(), format!("W{id} U{n}"), "S3cure!pass")
                    .application_id(APP);
                let created = match vox.users().add_user(request).await {
                    Ok(r) => {
                        *tally.ok.entry(kind).or_default() += 1;
                        r.user_id
                    }
                    Err(e) => {
                        tally.error(kind, &e);
                        if e.code() == "outcome_unknown" {
                            tally.unknown += 1;
                        }
                        // Whatever the error, the state says whether the user exists.
                        let found = find_by_name(&vox, &name).await;
                        if e.code() == "outcome_unknown" {
                            match found {
                                Some(_) => tally.unknown_applied += 1,
                                None => tally.unknown_not_applied += 1,
                            }
                        } else {
                            assert_eq!(found, None, "AddUser failed ({e}) but the user exists");
                        }
                        found
                    }
                };
                if let Some(user_id) = created {
                    owned.users.insert(user_id, name);
                    owned.balance.insert(user_id, Decimal::ZERO);
                    owned
                        .display
                        .insert(user_id, [format!("W{id} U{n}")].into_iter().collect());
                    owned.skills.insert(user_id, BTreeSet::new());
                }
            }
            "update" => {
                let Some(user) = pick(rng.next_u64()) else {
                    continue;
                };
                let display = format!("W{id} U{n} renamed");
                let request = SetUserInfo::new()
                    .user_id(user)
                    .user_display_name(display.clone());
                match vox.users().set_user_info(request).await {
                    Ok(_) => {
                        *tally.ok.entry(kind).or_default() += 1;
                        owned.display.insert(user, [display].into_iter().collect());
                    }
                    Err(e) => {
                        tally.error(kind, &e);
                        owned.display.entry(user).or_default().insert(display);
                    }
                }
            }
            "bind" => {
                let Some(user) = pick(rng.next_u64()) else {
                    continue;
                };
                let skill = skills[(rng.next_u64() % skills.len() as u64) as usize];
                let request = BindSkill::new()
                    .user_id(vec![user])
                    .skill_id(vec![skill])
                    .application_id(APP);
                match vox.skills().bind_skill(request).await {
                    Ok(_) => {
                        *tally.ok.entry(kind).or_default() += 1;
                        owned.skills.entry(user).or_default().insert(skill);
                    }
                    Err(e) => tally.error(kind, &e),
                }
            }
            "transfer" => {
                let Some(user) = pick(rng.next_u64()) else {
                    continue;
                };
                let cents = 1 + (rng.next_u64() % 500) as i64;
                let amount = Decimal::new(cents, 2);
                let request = TransferMoneyToUser::new(amount).user_id(vec![user]);
                match vox.users().transfer_money_to_user(request).await {
                    Ok(_) => {
                        *tally.ok.entry(kind).or_default() += 1;
                        *owned.balance.entry(user).or_default() += amount;
                        tally.transferred += amount;
                    }
                    Err(e) => {
                        tally.error(kind, &e);
                        // Only this worker moves this user's money, so the balance tells.
                        let before = owned.balance[&user];
                        let now = read_user(&vox, user)
                            .await
                            .and_then(|u| u.balance)
                            .expect("the user exists");
                        if e.code() == "outcome_unknown" {
                            tally.unknown += 1;
                            if now == before + amount {
                                tally.unknown_applied += 1;
                                owned.balance.insert(user, now);
                                tally.transferred += amount;
                            } else {
                                assert_eq!(now, before, "a lost transfer moved an odd amount");
                                tally.unknown_not_applied += 1;
                            }
                        } else {
                            assert_eq!(now, before, "a transfer that failed ({e}) moved money");
                        }
                    }
                }
            }
            _ => {
                let offset = (rng.next_u64() % 200) as i64;
                let request = GetUsers::new().application_id(APP).count(20).offset(offset);
                match vox.users().get_users(request).await {
                    Ok(page) => {
                        *tally.ok.entry(kind).or_default() += 1;
                        tally.list_pages += 1;
                        let ids: HashSet<_> = page.items.iter().map(|u| u.user_id).collect();
                        tally.list_duplicates += page.items.len() - ids.len();
                    }
                    Err(e) => tally.error(kind, &e),
                }
            }
        }
    }
    (owned, tally)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_operations_under_faults_lose_and_double_nothing() {
    let emu = start().await;
    let setup = client(&emu, 1);
    let mut skills = Vec::new();
    for name in ["english", "spanish", "billing", "tech"] {
        skills.push(
            setup
                .skills()
                .add_skill(AddSkill::new(name))
                .await
                .unwrap()
                .skill_id
                .unwrap(),
        );
    }
    let account_before = emu.with_state(|s| s.account.balance);
    emu.set_faults(FAULTS.parse::<FaultPlan>().unwrap(), Some(7));

    let started = Instant::now();
    let per_worker = OPERATIONS / WORKERS;
    let tasks: Vec<_> = (0..WORKERS)
        .map(|w| {
            let vox = client(&emu, w as u64);
            let skills = skills.clone();
            let ops = per_worker + usize::from(w < OPERATIONS % WORKERS);
            tokio::spawn(worker(vox, w, ops, skills))
        })
        .collect();
    let mut owned = Vec::new();
    let mut tally = Tally::default();
    for t in tasks {
        let (o, t) = t.await.expect("a worker panicked");
        owned.push(o);
        tally.merge(t);
    }
    let elapsed = started.elapsed();
    let faults = emu.fault_counters();
    emu.set_faults(FaultPlan::default(), None);

    // Compare the final state with what the client reported.
    let (users, account_after) = emu.with_state(|s| (s.users.clone(), s.account.balance));
    let mut expected_ids = BTreeSet::new();
    let (mut missing, mut wrong_balance, mut wrong_display, mut missing_skills) = (0, 0, 0, 0);
    let mut users_total = Decimal::ZERO;
    for o in &owned {
        for (id, name) in &o.users {
            expected_ids.insert(*id);
            let Some(u) = users.get(id) else {
                missing += 1;
                continue;
            };
            assert_eq!(&u.name, name);
            users_total += u.balance;
            if u.balance != o.balance[id] {
                wrong_balance += 1;
            }
            if !o.display[id].contains(&u.display_name) {
                wrong_display += 1;
            }
            if !o.skills[id].is_subset(&u.skills) {
                missing_skills += 1;
            }
        }
    }
    let actual_ids: BTreeSet<i64> = users.keys().copied().collect();
    let unexpected = actual_ids.difference(&expected_ids).count();
    let names: HashSet<&str> = users.values().map(|u| u.name.as_str()).collect();
    let duplicated_users = users.len() - names.len();

    println!(
        "chaos: {OPERATIONS} operations, {WORKERS} workers, {:.1?}",
        elapsed
    );
    println!("  operations: {:?}", tally.ops);
    println!("  acknowledged: {:?}", tally.ok);
    println!("  errors: {:?}", tally.errors);
    println!("  faults injected: {faults:?}");
    println!(
        "  outcome unknown: {} (reconciled: {} applied, {} not applied)",
        tally.unknown, tally.unknown_applied, tally.unknown_not_applied
    );
    println!(
        "  users: {} expected, {} in state, {missing} missing, {unexpected} unexpected, {duplicated_users} duplicated",
        expected_ids.len(),
        users.len()
    );
    println!("  writes: {wrong_balance} balances off, {wrong_display} display names off, {missing_skills} users missing an acknowledged skill");
    println!(
        "  money: account {account_before} -> {account_after}, moved {}, users hold {users_total}",
        tally.transferred
    );
    println!(
        "  list pages read: {}, duplicates within a page: {}",
        tally.list_pages, tally.list_duplicates
    );

    let injected: u64 = faults.iter().map(|(_, n)| n).sum();
    assert!(injected > 500, "faults were injected: {faults:?}");
    assert!(
        faults.iter().all(|(_, n)| *n > 0),
        "every kind of fault occurred: {faults:?}"
    );
    assert_eq!(missing, 0, "acknowledged users missing");
    assert_eq!(
        unexpected, 0,
        "users the client does not know of (doubled AddUser)"
    );
    assert_eq!(duplicated_users, 0);
    assert_eq!(
        wrong_balance, 0,
        "user balances differ from acknowledged transfers"
    );
    assert_eq!(wrong_display, 0);
    assert_eq!(missing_skills, 0);
    assert_eq!(
        tally.unknown,
        tally.unknown_applied + tally.unknown_not_applied
    );
    assert_eq!(
        account_before - account_after,
        tally.transferred,
        "the account's money"
    );
    assert_eq!(users_total, tally.transferred, "the users' money");
    assert_eq!(tally.list_duplicates, 0);
    assert!(
        tally.ok.values().sum::<usize>() > OPERATIONS * 9 / 10,
        "most operations succeed"
    );
}

/// Lists 10,000 users while another client adds and deletes users: nothing twice, and every
/// user that existed throughout is listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_stays_correct_while_users_come_and_go() {
    let emu = start().await;
    let fixtures: roster_emulator::Fixtures = serde_json::from_value(serde_json::json!({
        "applications": [{"application_id": APP, "application_name": "demo"}],
        "users": (1..=10_000).map(|i| serde_json::json!({
            "user_id": i, "user_name": format!("agent{i:05}"), "application_id": APP
        })).collect::<Vec<_>>(),
    }))
    .unwrap();
    emu.load_fixtures(&fixtures).unwrap();
    let initial: BTreeSet<i64> = (1..=10_000).collect();

    let churn_client = client(&emu, 2);
    let deleted = Arc::new(Mutex::new(BTreeSet::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (deleted, stop) = (Arc::clone(&deleted), Arc::clone(&stop));
        tokio::spawn(async move {
            let mut rng = SplitMix64::new(99);
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let victim = 1 + (rng.next_u64() % 10_000) as i64;
                let del = roster::voximplant::users::DelUser::new().user_id(vec![victim]);
                if churn_client.users().del_user(del).await.is_ok() {
                    deleted.lock().unwrap().insert(victim);
                }
                let add =
                    AddUser::new(format!("late{n}"), "Late", "S3cure!pass").application_id(APP);
                churn_client.users().add_user(add).await.ok();
            }
            n
        })
    };

    let lister = client(&emu, 3);
    let mut pages = lister
        .users()
        .iter_users(GetUsers::new().application_id(APP).count(100));
    let mut listed = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next_page().await {
        listed.extend(page.unwrap().into_iter().map(|u| u.user_id.unwrap()));
        page_count += 1;
        // Give the churn a chance between pages.
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let rounds = churn.await.unwrap();

    let deleted = deleted.lock().unwrap().clone();
    let unique: HashSet<i64> = listed.iter().copied().collect();
    let survivors: BTreeSet<i64> = initial.difference(&deleted).copied().collect();
    let skipped: Vec<_> = survivors.iter().filter(|id| !unique.contains(id)).collect();
    println!(
        "paging: {} listed in {page_count} requests while {rounds} add+delete rounds ran ({} deleted); {} duplicates, {} survivors skipped",
        listed.len(),
        deleted.len(),
        listed.len() - unique.len(),
        skipped.len()
    );
    assert!(
        !deleted.is_empty(),
        "the churn deleted users during the listing"
    );
    assert_eq!(listed.len(), unique.len(), "a user was listed twice");
    assert!(skipped.is_empty(), "survivors skipped: {skipped:?}");
}
