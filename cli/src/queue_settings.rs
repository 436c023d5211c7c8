//! The settings of an ACD queue, shared by the queue commands, roster files and plans.

use roster::Decimal;

/// A queue's tunable settings, each optional: what `queues add` / `queues update` take, what a
/// roster file declares (left out, a setting is not managed) and what the server reports.
#[derive(clap::Args, Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueSettings {
    /// The priority among queues, 0 or more; 0 is the highest.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub priority: Option<i64>,
    /// Bind the users with the queue's skills automatically.
    #[arg(long, value_name = "BOOL")]
    pub auto_binding: Option<bool>,
    /// The share of calls to be served within the SL threshold, 0.5 to 1 (e.g. 0.95; exact).
    #[arg(long, value_name = "DECIMAL", allow_negative_numbers = true)]
    pub service_probability: Option<Decimal>,
    /// The most calls that may wait, 0 or more.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_queue_size: Option<i64>,
    /// The longest a call may wait, in minutes (0 or more).
    #[arg(long, value_name = "MINUTES", allow_negative_numbers = true)]
    pub max_waiting_time: Option<i64>,
    /// The expected length of a call, in seconds (0 or more).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub average_service_time: Option<i64>,
}

/// Sets the given settings on an `AddQueue` or a `SetQueueInfo`: the two requests share the
/// setters but no trait.
macro_rules! apply_settings {
    ($request:expr, $s:expr) => {{
        let mut request = $request;
        if let Some(v) = $s.priority {
            request = request.acd_queue_priority(v);
        }
        if let Some(v) = $s.auto_binding {
            request = request.auto_binding(v);
        }
        if let Some(v) = $s.service_probability {
            request = request.service_probability(v);
        }
        if let Some(v) = $s.max_queue_size {
            request = request.max_queue_size(v);
        }
        if let Some(v) = $s.max_waiting_time {
            request = request.max_waiting_time(v);
        }
        if let Some(v) = $s.average_service_time {
            request = request.average_service_time(v);
        }
        request
    }};
}

pub(crate) use apply_settings;
