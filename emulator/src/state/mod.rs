//! The emulated account: applications, users, skills, queues and Voiso users, with the indexes
//! that keep lookups and `GetUsers` pages cheap.
//!
//! The state is plain data behind one `RwLock` (see [`crate::server`]); methods here keep the
//! indexes and cross-references consistent (deleting a user unbinds it from its queues, deleting
//! a skill removes it from users and queues). Method semantics and error codes live in
//! [`crate::voximplant`].

pub mod fixtures;
pub mod voiso;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

pub use voiso::VoisoUser;

/// The one emulated Voximplant account.
#[derive(Debug, Clone)]
pub struct Account {
    pub account_id: i64,
    /// The name in applications' full names, `APP.ACCOUNT.voximplant.com`.
    pub account_name: String,
    pub balance: Decimal,
    /// The deprecated `api_key` parameter's value for this account.
    pub api_key: String,
}

#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    /// The full name, `NAME.ACCOUNT.voximplant.com`.
    pub name: String,
    pub modified: i64,
    pub secure_record_storage: bool,
    pub users: UserIndex,
}

impl Application {
    /// The short name: the text before the first `.`.
    pub fn short_name(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }

    /// Whether `name` names this application, short or full.
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name || self.short_name() == name
    }
}

/// The users of one application in each order `GetUsers` can sort by, so a page is read
/// without sorting.
#[derive(Debug, Clone, Default)]
pub struct UserIndex {
    pub by_id: BTreeSet<i64>,
    pub by_name: BTreeMap<String, i64>,
    pub by_display_name: BTreeSet<(String, i64)>,
}

impl UserIndex {
    fn insert(&mut self, user: &User) {
        self.by_id.insert(user.id);
        self.by_name.insert(user.name.clone(), user.id);
        self.by_display_name
            .insert((user.display_name.clone(), user.id));
    }

    fn remove(&mut self, user: &User) {
        self.by_id.remove(&user.id);
        self.by_name.remove(&user.name);
        self.by_display_name
            .remove(&(user.display_name.clone(), user.id));
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub active: bool,
    pub parent_accounting: bool,
    pub balance: Decimal,
    pub custom_data: String,
    pub frozen: bool,
    pub application_id: i64,
    pub skills: BTreeSet<i64>,
    /// Queue id → whether the binding was made automatically (`auto_link`).
    pub queues: BTreeMap<i64, bool>,
    pub acd_status: String,
    pub acd_status_change_time: Option<i64>,
    pub created: i64,
    pub modified: i64,
}

#[derive(Debug, Clone)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Queue {
    pub id: i64,
    pub name: String,
    pub application_id: i64,
    pub priority: i64,
    pub auto_binding: bool,
    pub service_probability: Decimal,
    pub max_queue_size: Option<i64>,
    pub max_waiting_time: Option<i64>,
    pub average_service_time: Option<i64>,
    pub created: i64,
    pub modified: i64,
    pub users: BTreeSet<i64>,
    pub skills: BTreeSet<i64>,
}

/// The next id of each kind; ids only grow, even across deletions.
#[derive(Debug, Clone)]
pub struct NextIds {
    pub application: i64,
    pub user: i64,
    pub skill: i64,
    pub queue: i64,
}

impl Default for NextIds {
    fn default() -> Self {
        Self {
            application: 1,
            user: 1,
            skill: 1,
            queue: 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct State {
    pub account: Account,
    pub applications: BTreeMap<i64, Application>,
    pub users: BTreeMap<i64, User>,
    /// User names are unique in the account.
    pub user_ids_by_name: HashMap<String, i64>,
    pub skills: BTreeMap<i64, Skill>,
    pub queues: BTreeMap<i64, Queue>,
    pub voiso_users: Vec<VoisoUser>,
    pub next: NextIds,
    /// The most users the account may hold (error 109 past it).
    pub user_limit: usize,
}

impl State {
    pub fn new(account: Account, user_limit: usize) -> Self {
        Self {
            account,
            applications: BTreeMap::new(),
            users: BTreeMap::new(),
            user_ids_by_name: HashMap::new(),
            skills: BTreeMap::new(),
            queues: BTreeMap::new(),
            voiso_users: Vec::new(),
            next: NextIds::default(),
            user_limit,
        }
    }

    /// The full name of an application of this account from a short or full name.
    pub fn full_application_name(&self, name: &str) -> String {
        if name.contains('.') {
            name.to_owned()
        } else {
            format!("{name}.{}.voximplant.com", self.account.account_name)
        }
    }

    pub fn application_by_name(&self, name: &str) -> Option<&Application> {
        self.applications.values().find(|a| a.is_named(name))
    }

    /// Adds an application; `id` is taken from the counter when not given.
    pub fn insert_application(&mut self, id: Option<i64>, name: &str, now: i64) -> i64 {
        let id = id.unwrap_or(self.next.application);
        self.next.application = self.next.application.max(id + 1);
        let name = self.full_application_name(name);
        self.applications.insert(
            id,
            Application {
                id,
                name,
                modified: now,
                secure_record_storage: false,
                users: UserIndex::default(),
            },
        );
        id
    }

    /// Adds a user to its application's index. The caller has checked the name and the app.
    pub fn insert_user(&mut self, mut user: User) -> i64 {
        if user.id <= 0 {
            user.id = self.next.user;
        }
        self.next.user = self.next.user.max(user.id + 1);
        let id = user.id;
        if let Some(app) = self.applications.get_mut(&user.application_id) {
            app.users.insert(&user);
        }
        self.user_ids_by_name.insert(user.name.clone(), id);
        self.users.insert(id, user);
        id
    }

    /// Removes a user and every binding of it.
    pub fn remove_user(&mut self, id: i64) -> Option<User> {
        let user = self.users.remove(&id)?;
        self.user_ids_by_name.remove(&user.name);
        if let Some(app) = self.applications.get_mut(&user.application_id) {
            app.users.remove(&user);
        }
        for queue_id in user.queues.keys() {
            if let Some(q) = self.queues.get_mut(queue_id) {
                q.users.remove(&id);
            }
        }
        Some(user)
    }

    /// Changes a user's name and/or display name, keeping the indexes right.
    pub fn rename_user(&mut self, id: i64, name: Option<String>, display_name: Option<String>) {
        let Some(user) = self.users.get_mut(&id) else {
            return;
        };
        if let Some(app) = self.applications.get_mut(&user.application_id) {
            app.users.remove(user);
        }
        if let Some(name) = name {
            self.user_ids_by_name.remove(&user.name);
            self.user_ids_by_name.insert(name.clone(), id);
            user.name = name;
        }
        if let Some(display_name) = display_name {
            user.display_name = display_name;
        }
        if let Some(app) = self.applications.get_mut(&user.application_id) {
            app.users.insert(user);
        }
    }

    pub fn insert_skill(&mut self, id: Option<i64>, name: String) -> i64 {
        let id = id.unwrap_or(self.next.skill);
        self.next.skill = self.next.skill.max(id + 1);
        self.skills.insert(id, Skill { id, name });
        id
    }

    /// Removes a skill from the account, its users and its queues.
    pub fn remove_skill(&mut self, id: i64) -> Option<Skill> {
        let skill = self.skills.remove(&id)?;
        for user in self.users.values_mut() {
            user.skills.remove(&id);
        }
        for queue in self.queues.values_mut() {
            queue.skills.remove(&id);
        }
        Some(skill)
    }

    pub fn insert_queue(&mut self, mut queue: Queue) -> i64 {
        if queue.id <= 0 {
            queue.id = self.next.queue;
        }
        self.next.queue = self.next.queue.max(queue.id + 1);
        let id = queue.id;
        for user_id in &queue.users {
            if let Some(u) = self.users.get_mut(user_id) {
                u.queues.entry(id).or_insert(false);
            }
        }
        self.queues.insert(id, queue);
        id
    }

    /// Removes a queue and its operators' bindings to it.
    pub fn remove_queue(&mut self, id: i64) -> Option<Queue> {
        let queue = self.queues.remove(&id)?;
        for user_id in &queue.users {
            if let Some(u) = self.users.get_mut(user_id) {
                u.queues.remove(&id);
            }
        }
        Some(queue)
    }

    /// Binds (or unbinds) a user and a queue on both sides.
    pub fn bind_user_to_queue(&mut self, user_id: i64, queue_id: i64, bind: bool) {
        let (Some(user), Some(queue)) =
            (self.users.get_mut(&user_id), self.queues.get_mut(&queue_id))
        else {
            return;
        };
        if bind {
            user.queues.entry(queue_id).or_insert(false);
            queue.users.insert(user_id);
        } else {
            user.queues.remove(&queue_id);
            queue.users.remove(&user_id);
        }
    }
}
