//! `roster users`: an application's agents.

use roster::core::Endpoint;
use roster::voximplant::types::User;
use roster::voximplant::users::{AddUser, DelUser, GetUsers, SetUserInfo};
use roster::Voximplant;

use super::password::PasswordArgs;
use super::{application_id, collect, done, failed, AppArg, ListArgs, OutputArg, Ref};
use crate::context::Context;
use crate::fail::CliError;
use crate::output::{print_one, print_users, UserDetail};

#[derive(clap::Subcommand, Debug)]
pub enum UsersCommand {
    /// List the users of an application with their skills and queues (every page).
    List(ListUsersArgs),
    /// Show one user in full.
    Get {
        /// The user's name, or id.
        user: Ref,
        #[command(flatten)]
        app: AppArg,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Add a user; its password comes from a variable, a file, the terminal or is generated.
    Add(AddUserArgs),
    /// Change a user's name, display name, state, custom data or password.
    Update(UpdateUserArgs),
    /// Delete users (with their skill and queue bindings).
    Delete {
        /// Names or ids of the users.
        #[arg(required = true)]
        users: Vec<Ref>,
        #[command(flatten)]
        app: AppArg,
    },
}

#[derive(clap::Args, Debug)]
pub struct ListUsersArgs {
    #[command(flatten)]
    app: AppArg,
    /// Only users whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// Only active (true) or only inactive (false) users.
    #[arg(long, value_name = "BOOL")]
    active: Option<bool>,
    #[command(flatten)]
    list: ListArgs,
}

#[derive(clap::Args, Debug)]
pub struct AddUserArgs {
    /// The login name: 3 to 50 lower-case letters, digits, `_` or `-`.
    name: String,
    #[command(flatten)]
    fields: UserFields,
}

#[derive(clap::Args, Debug)]
pub struct UpdateUserArgs {
    /// The user's name, or id.
    user: Ref,
    /// A new login name.
    #[arg(long, value_name = "NAME")]
    new_name: Option<String>,
    #[command(flatten)]
    fields: UserFields,
}

/// What `users add` and `users update` both set; each is left as it is when not given.
#[derive(clap::Args, Debug)]
pub struct UserFields {
    /// The name people see (on add, the login name by default).
    #[arg(long, value_name = "TEXT")]
    display_name: Option<String>,
    /// Switch the user on (true) or off (false).
    #[arg(long, value_name = "BOOL")]
    active: Option<bool>,
    /// Free-form data kept with the user.
    #[arg(long, value_name = "TEXT")]
    custom_data: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    app: AppArg,
    #[command(flatten)]
    output: OutputArg,
}

pub async fn users(ctx: &Context, command: UsersCommand) -> Result<(), CliError> {
    let vox = ctx.voximplant()?;
    match command {
        UsersCommand::List(args) => list(&vox, args).await,
        UsersCommand::Get { user, app, output } => {
            let app_id = application_id(&vox, &app).await?;
            let found = find(&vox, app_id, &user).await?;
            print_one(&UserDetail(found), output.output)
        }
        UsersCommand::Add(args) => add(&vox, args).await,
        UsersCommand::Update(args) => update(&vox, args).await,
        UsersCommand::Delete { users, app } => delete(&vox, &users, &app).await,
    }
}

/// Users with their skills and queues, the columns people look for first.
fn query(app_id: i64) -> GetUsers {
    GetUsers::new()
        .application_id(app_id)
        .with_skills(true)
        .with_queues(true)
}

async fn list(vox: &Voximplant, args: ListUsersArgs) -> Result<(), CliError> {
    let mut request = query(application_id(vox, &args.app).await?);
    if let Some(name) = args.name {
        request = request.user_name(name);
    }
    if let Some(active) = args.active {
        request = request.user_active(active);
    }
    let users = collect(vox.users().iter_users(request), args.list.limit)
        .await
        .map_err(failed("GetUsers"))?;
    print_users(&users, args.list.output.output)
}

/// The one user `user` names. The API's name filter matches parts of names, so the exact match
/// is picked from its answer.
async fn find(vox: &Voximplant, app_id: i64, user: &Ref) -> Result<User, CliError> {
    let request = match user {
        Ref::Id(id) => query(app_id).user_id(*id),
        Ref::Name(name) => query(app_id).user_name(name.as_str()),
    };
    let candidates = collect(vox.users().iter_users(request), None)
        .await
        .map_err(failed("GetUsers"))?;
    candidates
        .into_iter()
        .find(|u| user.matches(u.user_id, u.user_name.as_deref()))
        .ok_or_else(|| {
            CliError::NotFound(format!(
                "no user {user} in application {app_id} — `roster users list` shows them"
            ))
        })
}

async fn add(vox: &Voximplant, args: AddUserArgs) -> Result<(), CliError> {
    let fields = &args.fields;
    let app_id = application_id(vox, &fields.app).await?;
    let display = fields.display_name.as_deref().unwrap_or(&args.name);
    let password = fields.password.required()?;
    let mut request = AddUser::new(&args.name, display, password.clone()).application_id(app_id);
    if let Some(active) = fields.active {
        request = request.user_active(active);
    }
    if let Some(data) = &fields.custom_data {
        request = request.user_custom_data(data.as_str());
    }
    let action = format!("AddUser {}", args.name);
    // Every value is checked before a generated password is shown: one refused afterwards
    // would leave a password on the screen that no user has.
    request.validate().map_err(|e| failed(&action)(e.into()))?;
    fields.password.hand_out(&password)?;
    let created = vox
        .users()
        .add_user(request)
        .await
        .map_err(failed(&action))?;
    let id = created.user_id.unwrap_or_default();
    done(format_args!("added user {} (id {id})", args.name));
    print_one(
        &UserDetail(find(vox, app_id, &Ref::Id(id)).await?),
        fields.output.output,
    )
}

async fn update(vox: &Voximplant, args: UpdateUserArgs) -> Result<(), CliError> {
    let fields = &args.fields;
    let app_id = application_id(vox, &fields.app).await?;
    let mut request = match &args.user {
        Ref::Id(id) => SetUserInfo::new().user_id(*id),
        Ref::Name(name) => SetUserInfo::new()
            .user_name(name.as_str())
            .application_id(app_id),
    };
    let mut changed = false;
    if let Some(name) = &args.new_name {
        request = request.new_user_name(name.as_str());
        changed = true;
    }
    if let Some(display) = &fields.display_name {
        request = request.user_display_name(display.as_str());
        changed = true;
    }
    if let Some(active) = fields.active {
        request = request.user_active(active);
        changed = true;
    }
    if let Some(data) = &fields.custom_data {
        request = request.user_custom_data(data.as_str());
        changed = true;
    }
    let password = fields.password.read()?;
    if let Some(password) = &password {
        request = request.user_password(password.clone());
        changed = true;
    }
    if !changed {
        return Err(CliError::Usage(
            "nothing to change — pass --new-name, --display-name, --active, --custom-data or a password option".to_owned(),
        ));
    }
    let action = format!("SetUserInfo {}", args.user);
    request.validate().map_err(|e| failed(&action)(e.into()))?;
    if let Some(password) = &password {
        fields.password.hand_out(password)?;
    }
    vox.users()
        .set_user_info(request)
        .await
        .map_err(failed(&action))?;
    done(format_args!("updated user {}", args.user));
    let now = match (&args.user, args.new_name) {
        (Ref::Name(_), Some(new_name)) => Ref::Name(new_name),
        (user, _) => user.clone(),
    };
    print_one(
        &UserDetail(find(vox, app_id, &now).await?),
        fields.output.output,
    )
}

/// Deletes by id and by name (two calls when both are given): the API takes one kind at a time.
async fn delete(vox: &Voximplant, users: &[Ref], app: &AppArg) -> Result<(), CliError> {
    let ids: Vec<i64> = users
        .iter()
        .filter_map(|u| match u {
            Ref::Id(id) => Some(*id),
            Ref::Name(_) => None,
        })
        .collect();
    let names: Vec<String> = users
        .iter()
        .filter_map(|u| match u {
            Ref::Name(name) => Some(name.clone()),
            Ref::Id(_) => None,
        })
        .collect();
    if !ids.is_empty() {
        send_delete(vox, DelUser::new().user_id(ids)).await?;
    }
    if !names.is_empty() {
        let app_id = application_id(vox, app).await?;
        send_delete(vox, DelUser::new().user_name(names).application_id(app_id)).await?;
    }
    let shown: Vec<String> = users.iter().map(ToString::to_string).collect();
    done(format_args!("deleted user(s) {}", shown.join(", ")));
    Ok(())
}

async fn send_delete(vox: &Voximplant, request: DelUser) -> Result<(), CliError> {
    vox.users()
        .del_user(request)
        .await
        .map(drop)
        .map_err(failed("DelUser"))
}
