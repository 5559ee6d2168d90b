//! What an activity is to the runtime.

use std::future::Future;
use std::pin::Pin;

/// The future an activity's run function returns.
pub type ActivityFuture =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, TaskFailure>> + Send>>;

/// What the runtime needs to register and run an activity.
pub struct ActivityDefinition {
    /// The activity's name.
    pub name: &'static str,
    /// The doc comment.
    pub description: &'static str,
    /// The arguments read from the input.
    pub arguments: &'static [Argument],
    /// True when one parameter takes the whole input.
    pub takes_whole_input: bool,
    /// Error names the function declares.
    pub errors: &'static [&'static str],
    /// Heartbeat interval.
    pub heartbeat_seconds: Option<u64>,
    /// Time limit.
    pub timeout_seconds: Option<u64>,
    /// Runs the activity on an input.
    pub run: fn(serde_json::Value, ActivityContext) -> ActivityFuture,
}

/// An argument read from the input.
pub struct Argument {
    /// Its name.
    pub name: &'static str,
    /// True unless it is optional.
    pub required: bool,
}

/// Implemented by the type `#[activity]` generates.
pub trait Activity {
    /// The activity.
    const DEFINITION: ActivityDefinition;
}

/// An activity's failure.
#[derive(Debug)]
pub struct TaskFailure {
    /// The error name.
    pub error: String,
    /// The cause.
    pub cause: String,
}

/// What a running activity can use.
pub struct ActivityContext {}
