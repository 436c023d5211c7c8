//! `roster queues`: ACD queues, each in one application.

use roster::voximplant::queues::{AddQueue, DelQueue, GetQueues, SetQueueInfo};
use roster::voximplant::types::Queue;
use roster::Voximplant;

use super::{application_id, collect, done, failed, AppArg, ListArgs, OutputArg, Ref};
use crate::context::Context;
use crate::fail::CliError;
use crate::output::{print_list, print_one};
use crate::queue_settings::{apply_settings, QueueSettings};

#[derive(clap::Subcommand, Debug)]
pub enum QueuesCommand {
    /// List queues with their skills and operator counts (every page); all applications'
    /// unless one is named.
    List {
        #[command(flatten)]
        app: AppArg,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one queue.
    Get {
        /// The queue's name, or id.
        queue: Ref,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Add a queue to an application.
    Add {
        name: String,
        #[command(flatten)]
        settings: QueueSettings,
        #[command(flatten)]
        app: AppArg,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Change a queue's name or settings.
    Update {
        /// The queue's name, or id.
        queue: Ref,
        #[arg(long, value_name = "NAME")]
        new_name: Option<String>,
        #[command(flatten)]
        settings: QueueSettings,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Delete queues (and their bindings).
    Delete {
        /// Names or ids of the queues.
        #[arg(required = true)]
        queues: Vec<Ref>,
    },
}

pub async fn queues(ctx: &Context, command: QueuesCommand) -> Result<(), CliError> {
    let vox = ctx.voximplant()?;
    match command {
        QueuesCommand::List { app, list } => {
            let mut request = query();
            if app.application.is_some() || app.application_id.is_some() {
                request = request.application_id(application_id(&vox, &app).await?);
            }
            let queues = collect(vox.queues().iter_queues(request), list.limit)
                .await
                .map_err(failed("GetQueues"))?;
            print_list(&queues, list.output.output)
        }
        QueuesCommand::Get { queue, output } => {
            print_one(&find(&vox, &queue).await?, output.output)
        }
        QueuesCommand::Add {
            name,
            settings,
            app,
            output,
        } => {
            let app_id = application_id(&vox, &app).await?;
            let request = apply_settings!(
                AddQueue::new(name.as_str()).application_id(app_id),
                settings
            );
            let created = vox
                .queues()
                .add_queue(request)
                .await
                .map_err(failed(format!("AddQueue {name}")))?;
            let id = created.acd_queue_id.unwrap_or_default();
            done(format_args!("added queue {name} (id {id})"));
            print_one(&find(&vox, &Ref::Id(id)).await?, output.output)
        }
        QueuesCommand::Update {
            queue,
            new_name,
            settings,
            output,
        } => update(&vox, queue, new_name, &settings, output).await,
        QueuesCommand::Delete { queues } => delete(&vox, &queues).await,
    }
}

/// Queues with their skills and how many operators serve each.
fn query() -> GetQueues {
    GetQueues::new().with_skills(true).with_operatorcount(true)
}

/// The one queue `queue` names; the API's name filter may match more than that one.
async fn find(vox: &Voximplant, queue: &Ref) -> Result<Queue, CliError> {
    let request = match queue {
        Ref::Id(id) => query().acd_queue_id(*id),
        Ref::Name(name) => query().acd_queue_name(name.as_str()),
    };
    collect(vox.queues().iter_queues(request), None)
        .await
        .map_err(failed("GetQueues"))?
        .into_iter()
        .find(|q| queue.matches(q.acd_queue_id, q.acd_queue_name.as_deref()))
        .ok_or_else(|| {
            CliError::NotFound(format!(
                "no queue {queue} — `roster queues list` shows them"
            ))
        })
}

async fn update(
    vox: &Voximplant,
    queue: Ref,
    new_name: Option<String>,
    settings: &QueueSettings,
    output: OutputArg,
) -> Result<(), CliError> {
    let mut request = match &queue {
        Ref::Id(id) => SetQueueInfo::new().acd_queue_id(*id),
        Ref::Name(name) => SetQueueInfo::new().acd_queue_name(name.as_str()),
    };
    if let Some(name) = &new_name {
        request = request.new_acd_queue_name(name.as_str());
    }
    let request = apply_settings!(request, settings);
    vox.queues()
        .set_queue_info(request)
        .await
        .map_err(failed(format!("SetQueueInfo {queue}")))?;
    done(format_args!("updated queue {queue}"));
    let now = match (queue, new_name) {
        (Ref::Name(_), Some(name)) => Ref::Name(name),
        (queue, _) => queue,
    };
    print_one(&find(vox, &now).await?, output.output)
}

async fn delete(vox: &Voximplant, queues: &[Ref]) -> Result<(), CliError> {
    for queue in queues {
        let request = match queue {
            Ref::Id(id) => DelQueue::new().acd_queue_id(*id),
            Ref::Name(name) => DelQueue::new().acd_queue_name(vec![name.clone()]),
        };
        vox.queues()
            .del_queue(request)
            .await
            .map_err(failed(format!("DelQueue {queue}")))?;
        done(format_args!("deleted queue {queue}"));
    }
    Ok(())
}
