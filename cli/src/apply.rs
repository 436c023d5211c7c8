//! `roster apply`: runs a plan, phase by phase, with bounded concurrency.
//!
//! - **Order.** The application first, then skills, queues and users, then bindings, then
//!   deletions. Changes within a phase are independent and run `--concurrency` at a time.
//! - **Failures.** A failed change is reported with its reason; changes that need what it
//!   should have created are skipped and reported too; everything else carries on.
//! - **Idempotence and resuming.** Apply re-reads the state and plans again every time, so a
//!   second run changes nothing, and a run after an interruption (Ctrl-C, a crash, a lost
//!   connection) does only what is still missing. A create whose answer was lost is recovered
//!   by the SDK's natural-key lookup, never sent twice.
//! - **Retries.** Every call runs the SDK's retry machine with a patient policy: refusals
//!   (rate limits, busy servers) are retried after the delay the server asks for.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use roster::voximplant::applications::AddApplication;
use roster::voximplant::queues::{BindUserToQueue, DelQueue, SetQueueInfo};
use roster::voximplant::skills::{AddSkill, BindSkill, DelSkill};
use roster::voximplant::users::{AddUser, DelUser, GetUsers, SetUserInfo};
use roster::{AttemptEvent, AttemptHook, RetryOverrides, Secret, Voximplant};

use crate::context::Context;
use crate::fail::CliError;
use crate::observed::Observed;
use crate::output::{self, Format};
use crate::passwords::PasswordsFile;
use crate::plan::{self, Change, Holder, Plan, Target};
use crate::queue_settings::apply_settings;
use crate::roster_file::{add_queue, PasswordSource, RosterFile};

#[derive(clap::Args, Debug)]
pub struct ApplyArgs {
    /// The roster file.
    pub file: PathBuf,
    /// Also delete users and queues of the application, and skills it alone used, that the
    /// file does not declare.
    #[arg(long)]
    pub prune: bool,
    /// How many changes run at once.
    #[arg(long, default_value_t = 8, allow_negative_numbers = true, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Where generated passwords of new users are written, readable only by you
    /// [default: beside the roster file, NAME.passwords.csv].
    #[arg(long, value_name = "FILE")]
    pub passwords_out: Option<PathBuf>,
    /// Do not list the application's agents at the end.
    #[arg(long)]
    pub no_table: bool,
}

pub async fn run(ctx: &Context, args: ApplyArgs) -> Result<(), CliError> {
    let file = RosterFile::load(&args.file)?;
    let requests = Arc::new(Requests::default());
    let vox = ctx.voximplant_with(patient(), Some(requests.hook()))?;
    let started = Instant::now();
    let (plan, observed) = plan::make(&vox, &file, args.prune).await?;
    print!("{plan}");
    if plan.is_empty() {
        return Ok(());
    }

    let passwords_path = args
        .passwords_out
        .clone()
        .unwrap_or_else(|| PasswordsFile::default_path(&args.file));
    let (passwords, handed_out) = new_passwords(&plan, &passwords_path)?;

    let run = Run::new(vox.clone(), &observed, passwords);
    let report = run.execute(&plan, usize::from(args.concurrency)).await;
    println!(
        "Applied {} of {} changes in {:.1} s ({} requests, {} retried).",
        report.done,
        plan.changes.len(),
        started.elapsed().as_secs_f64(),
        requests.sent.load(Ordering::Relaxed),
        requests.retried.load(Ordering::Relaxed),
    );
    if handed_out > 0 {
        println!(
            "Passwords of {handed_out} new user(s) are in {} (readable only by you).",
            passwords_path.display()
        );
    }
    if !args.no_table && !report.interrupted {
        if let Some(app) = run.application_id() {
            let mut users = vox
                .users()
                .iter_users(
                    GetUsers::new()
                        .application_id(app)
                        .with_skills(true)
                        .with_queues(true),
                )
                .collect_all()
                .await
                .map_err(|e| CliError::call("listing the agents", e))?;
            users.sort_by(|a, b| a.user_name.cmp(&b.user_name));
            output::print_users(&users, Format::Table)?;
        }
    }
    report.into_result()
}

/// Rate limits and busy servers are waited out rather than reported: a big apply is expected
/// to meet them. Everything else is the core's default policy.
fn patient() -> RetryOverrides {
    RetryOverrides {
        max_attempts: Some(10),
        deadline_ms: Some(300_000),
        ..RetryOverrides::default()
    }
}

/// Requests sent and resent, for the summary.
#[derive(Default)]
struct Requests {
    sent: AtomicU64,
    retried: AtomicU64,
}

impl Requests {
    fn hook(self: &Arc<Self>) -> AttemptHook {
        let this = Arc::clone(self);
        Arc::new(move |event: &AttemptEvent| {
            this.sent.fetch_add(1, Ordering::Relaxed);
            if event.number > 1 {
                this.retried.fetch_add(1, Ordering::Relaxed);
            }
        })
    }
}

/// The passwords of the users the plan creates, and how many were generated and saved to the
/// passwords file (before any user is created: see `passwords.rs`).
fn new_passwords(plan: &Plan, path: &std::path::Path) -> Result<(NewPasswords, usize), CliError> {
    let mut file = PasswordsFile::load(path)?;
    let mut passwords = HashMap::new();
    let mut in_file = 0;
    for change in &plan.changes {
        if let Change::CreateUser(user) = change {
            passwords.insert(user.name.clone(), file.resolve(&user.name, &user.password));
            in_file += usize::from(user.password == PasswordSource::Generate);
        }
    }
    if file.generated() > 0 {
        file.save()?;
    }
    Ok((passwords, in_file))
}

/// Each new user's password, or why it could not be had (which fails that user's creation).
type NewPasswords = HashMap<String, Result<Secret<String>, String>>;

/// How a run went.
#[derive(Debug, Default)]
struct Report {
    done: usize,
    failed: usize,
    skipped: usize,
    interrupted: bool,
}

impl Report {
    fn into_result(self) -> Result<(), CliError> {
        if self.interrupted {
            Err(CliError::Interrupted)
        } else if self.failed + self.skipped > 0 {
            Err(CliError::Incomplete {
                failed: self.failed,
                skipped: self.skipped,
            })
        } else {
            Ok(())
        }
    }
}

/// What happened to one change.
enum Outcome {
    Done,
    Failed(CliError),
    Skipped(Target),
    NotStarted,
}

/// The ids of everything by name, from the observed state and from what this run creates.
#[derive(Default)]
struct Ids {
    application: Option<i64>,
    skills: HashMap<String, i64>,
    queues: HashMap<String, i64>,
    users: HashMap<String, i64>,
}

struct Run {
    vox: Voximplant,
    ids: Mutex<Ids>,
    passwords: NewPasswords,
    interrupted: Arc<AtomicBool>,
}

impl Run {
    fn new(vox: Voximplant, observed: &Observed, passwords: NewPasswords) -> Self {
        let ids = Ids {
            application: observed.application.as_ref().map(|a| a.id),
            skills: observed.skills.clone().into_iter().collect(),
            queues: observed
                .queues
                .iter()
                .map(|(n, q)| (n.clone(), q.id))
                .collect(),
            users: observed
                .users
                .iter()
                .map(|(n, u)| (n.clone(), u.id))
                .collect(),
        };
        Self {
            vox,
            ids: Mutex::new(ids),
            passwords,
            interrupted: Arc::new(AtomicBool::new(false)),
        }
    }

    fn application_id(&self) -> Option<i64> {
        self.ids().application
    }

    fn ids(&self) -> std::sync::MutexGuard<'_, Ids> {
        self.ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs every phase; stops starting changes once interrupted.
    async fn execute(&self, plan: &Plan, concurrency: usize) -> Report {
        let progress = progress_bar(plan.changes.len() as u64);
        let watcher = tokio::spawn(watch_interrupt(
            Arc::clone(&self.interrupted),
            progress.clone(),
        ));
        let mut failed: HashSet<Target> = HashSet::new();
        let mut report = Report::default();
        let last_phase = plan.changes.iter().map(Change::phase).max().unwrap_or(0);
        for phase in 0..=last_phase {
            let batch = plan.changes.iter().filter(|c| c.phase() == phase);
            let failed_before = &failed.clone();
            let mut results = stream::iter(batch)
                .map(|change| async move {
                    let outcome = self.attempt(change, failed_before).await;
                    (change, outcome)
                })
                .buffer_unordered(concurrency);
            while let Some((change, outcome)) = results.next().await {
                progress.inc(1);
                progress.set_message(change.to_string());
                let line = match outcome {
                    Outcome::Done => {
                        report.done += 1;
                        continue;
                    }
                    Outcome::NotStarted => continue,
                    Outcome::Failed(error) => {
                        report.failed += 1;
                        format!("failed: {}: {error}", change.to_string().split_off(2))
                    }
                    Outcome::Skipped(cause) => {
                        report.skipped += 1;
                        format!(
                            "skipped: {} ({} is missing)",
                            change.to_string().split_off(2),
                            target_text(&cause)
                        )
                    }
                };
                failed.extend(change.creates());
                say(&progress, &line);
            }
        }
        report.interrupted = self.interrupted.load(Ordering::SeqCst);
        watcher.abort();
        progress.finish_and_clear();
        report
    }

    async fn attempt(&self, change: &Change, failed: &HashSet<Target>) -> Outcome {
        if self.interrupted.load(Ordering::SeqCst) {
            return Outcome::NotStarted;
        }
        if let Some(cause) = change.needs().into_iter().find(|t| failed.contains(t)) {
            return Outcome::Skipped(cause);
        }
        match self.perform(change).await {
            Ok(()) => Outcome::Done,
            Err(error) => Outcome::Failed(error),
        }
    }

    /// The id of a target that exists (observed, or created earlier in this run).
    fn id(&self, target: &Target) -> Result<i64, CliError> {
        let ids = self.ids();
        let found = match target {
            Target::Application => ids.application,
            Target::Skill(n) => ids.skills.get(n).copied(),
            Target::Queue(n) => ids.queues.get(n).copied(),
            Target::User(n) => ids.users.get(n).copied(),
        };
        found.ok_or_else(|| CliError::Usage(format!("no id known for {}", target_text(target))))
    }

    fn ids_of(&self, names: &[String], target: fn(String) -> Target) -> Result<Vec<i64>, CliError> {
        names.iter().map(|n| self.id(&target(n.clone()))).collect()
    }

    /// One change, as one call.
    async fn perform(&self, change: &Change) -> Result<(), CliError> {
        let vox = &self.vox;
        let fail = |method: &'static str| move |e| CliError::call(method, e);
        match change {
            Change::CreateApplication(name) => {
                let r = vox
                    .applications()
                    .add_application(AddApplication::new(name.clone()))
                    .await
                    .map_err(fail("AddApplication"))?;
                self.ids().application = r.application_id;
            }
            Change::CreateSkill(name) => {
                let r = vox
                    .skills()
                    .add_skill(AddSkill::new(name.clone()))
                    .await
                    .map_err(fail("AddSkill"))?;
                if let Some(id) = r.skill_id {
                    self.ids().skills.insert(name.clone(), id);
                }
            }
            Change::CreateQueue(queue) => {
                let app = self.id(&Target::Application)?;
                let r = vox
                    .queues()
                    .add_queue(add_queue(&queue.settings, &queue.name, app))
                    .await
                    .map_err(fail("AddQueue"))?;
                if let Some(id) = r.acd_queue_id {
                    self.ids().queues.insert(queue.name.clone(), id);
                }
            }
            Change::UpdateQueue { name, set, .. } => {
                let id = self.id(&Target::Queue(name.clone()))?;
                let r = apply_settings!(SetQueueInfo::new().acd_queue_id(id), set);
                vox.queues()
                    .set_queue_info(r)
                    .await
                    .map_err(fail("SetQueueInfo"))?;
            }
            Change::CreateUser(user) => {
                let password = match self.passwords.get(&user.name) {
                    Some(Ok(p)) => p.expose().clone(),
                    Some(Err(why)) => return Err(CliError::Usage(why.clone())),
                    None => return Err(CliError::Usage("no password".to_owned())),
                };
                let mut r = AddUser::new(user.name.clone(), user.display_name.clone(), password)
                    .application_id(self.id(&Target::Application)?)
                    .user_active(user.active);
                if let Some(data) = &user.custom_data {
                    r = r.user_custom_data(data.clone());
                }
                let created = vox.users().add_user(r).await.map_err(fail("AddUser"))?;
                if let Some(id) = created.user_id {
                    self.ids().users.insert(user.name.clone(), id);
                }
            }
            Change::UpdateUser { user, .. } => {
                // `user_active` is always sent: the server's default for it is `true`.
                let mut r = SetUserInfo::new()
                    .user_id(self.id(&Target::User(user.name.clone()))?)
                    .user_display_name(user.display_name.clone())
                    .user_active(user.active);
                if let Some(data) = &user.custom_data {
                    r = r.user_custom_data(data.clone());
                }
                vox.users()
                    .set_user_info(r)
                    .await
                    .map_err(fail("SetUserInfo"))?;
            }
            Change::BindSkills {
                holder,
                skills,
                bind,
            } => {
                let mut r = BindSkill::new()
                    .skill_id(self.ids_of(skills, Target::Skill)?)
                    .bind(*bind);
                r = match holder {
                    Holder::User(u) => r.user_id(vec![self.id(&Target::User(u.clone()))?]),
                    Holder::Queue(q) => r.acd_queue_id(vec![self.id(&Target::Queue(q.clone()))?]),
                };
                vox.skills()
                    .bind_skill(r)
                    .await
                    .map_err(fail("BindSkill"))?;
            }
            Change::BindQueues { user, queues, bind } => {
                let r = BindUserToQueue::new()
                    .application_id(self.id(&Target::Application)?)
                    .user_id(vec![self.id(&Target::User(user.clone()))?])
                    .acd_queue_id(self.ids_of(queues, Target::Queue)?)
                    .bind(*bind);
                vox.queues()
                    .bind_user_to_queue(r)
                    .await
                    .map_err(fail("BindUserToQueue"))?;
            }
            Change::DeleteUser(name) => {
                let id = self.id(&Target::User(name.clone()))?;
                vox.users()
                    .del_user(DelUser::new().user_id(vec![id]))
                    .await
                    .map_err(fail("DelUser"))?;
            }
            Change::DeleteQueue(name) => {
                let id = self.id(&Target::Queue(name.clone()))?;
                vox.queues()
                    .del_queue(DelQueue::new().acd_queue_id(vec![id]))
                    .await
                    .map_err(fail("DelQueue"))?;
            }
            Change::DeleteSkill(name) => {
                let id = self.id(&Target::Skill(name.clone()))?;
                vox.skills()
                    .del_skill(DelSkill::new().skill_id(id))
                    .await
                    .map_err(fail("DelSkill"))?;
            }
        }
        Ok(())
    }
}

fn target_text(target: &Target) -> String {
    match target {
        Target::Application => "the application".to_owned(),
        Target::Skill(n) => format!("skill {n}"),
        Target::Queue(n) => format!("queue {n}"),
        Target::User(n) => format!("user {n}"),
    }
}

fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A line above the progress bar; plain stderr when there is no bar (not a terminal).
fn say(progress: &ProgressBar, line: &str) {
    if progress.is_hidden() {
        eprintln!("{line}");
    } else {
        progress.println(line);
    }
}

/// The first Ctrl-C lets the changes in flight finish; a second one stops at once.
async fn watch_interrupt(flag: Arc<AtomicBool>, progress: ProgressBar) {
    if tokio::signal::ctrl_c().await.is_ok() {
        flag.store(true, Ordering::SeqCst);
        say(
            &progress,
            "interrupted: finishing the changes in flight (Ctrl-C again to stop now)",
        );
        if tokio::signal::ctrl_c().await.is_ok() {
            progress.abandon();
            eprintln!("roster: stopped; run apply again to carry on");
            std::process::exit(130);
        }
    }
}
