//! [`Activity`] and its [`ActivityDefinition`]: what the runtime needs to
//! register an activity and run its tasks.

use std::future::Future;
use std::pin::Pin;

use super::context::ActivityContext;
use super::failure::TaskFailure;

/// The future a running activity is: the task's output as JSON, or how the
/// task failed.
pub type ActivityFuture =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, TaskFailure>> + Send>>;

/// A Step Functions activity, as `#[activity]` generates it.
///
/// `#[activity]` on `fn add` generates a type also named `add` that
/// implements this trait, so `<add as Activity>::DEFINITION` describes the
/// activity and a workflow can refer to it by the function's name.
pub trait Activity {
    /// The activity's name, arguments, errors, settings and entry point.
    const DEFINITION: ActivityDefinition;
}

/// What the runtime needs to register and run an activity.
///
/// `#[activity]` checks every field when it expands: the name follows AWS's
/// rules for activity names, the heartbeat is smaller than the timeout, and
/// both are positive and at most 99,999,999 seconds.
#[derive(Debug, Clone, Copy)]
pub struct ActivityDefinition {
    /// The activity's name in Step Functions: 1 to 80 characters, none of
    /// them white space, a control character or one of
    /// `< > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /`. The function's name
    /// unless `#[activity(name = "...")]` says otherwise.
    pub name: &'static str,
    /// What tells this activity apart from any other that shares its name:
    /// `#[activity]` makes it from the function's crate and where it is
    /// written. Two definitions with one name and different ids are two
    /// activities, which one worker cannot serve together.
    pub id: &'static str,
    /// The function's doc comment (`""` if it has none).
    pub description: &'static str,
    /// The arguments read by name from the task input, in signature order;
    /// empty when one parameter takes the whole input.
    pub arguments: &'static [Argument],
    /// True when one parameter (marked `#[input]`) receives the whole task
    /// input instead of named arguments.
    pub takes_whole_input: bool,
    /// The error names the function declares it may fail with: the names
    /// its error type `E` gives ([`ActivityError::NAMES`]) when it returns
    /// `Result<T, E>`, none when it cannot fail.
    ///
    /// Every task may also fail with sfini's own error names (see
    /// [`failure`](super::failure)) and with the `States.*` errors of a task;
    /// `workflow!` accepts all of these in the Retry and Catch of a task
    /// that runs the activity.
    ///
    /// [`ActivityError::NAMES`]: super::ActivityError::NAMES
    pub errors: &'static [&'static str],
    /// The longest time, in seconds, between two heartbeats before the task
    /// fails with `States.HeartbeatTimeout` (`#[activity(heartbeat = ..)]`).
    pub heartbeat_seconds: Option<u64>,
    /// The longest time, in seconds, the task may run before it fails with
    /// `States.Timeout` (`#[activity(timeout = ..)]`).
    pub timeout_seconds: Option<u64>,
    /// Runs one task: reads the arguments from the task input, calls the
    /// function and serialises its output. Never panics: a panic in the
    /// function becomes a failure named
    /// [`PANIC_ERROR`](super::PANIC_ERROR).
    pub run: fn(serde_json::Value, ActivityContext) -> ActivityFuture,
}

impl ActivityDefinition {
    /// The argument named `name`, if the activity reads one.
    pub fn argument(&self, name: &str) -> Option<&'static Argument> {
        self.arguments.iter().find(|argument| argument.name == name)
    }

    /// The arguments the task input must hold.
    pub fn required_arguments(&self) -> impl Iterator<Item = &'static Argument> {
        self.arguments.iter().filter(|argument| argument.required)
    }
}

/// An argument an activity reads from its task input: a field of the input
/// object, named like the function's parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Argument {
    /// The field's name.
    pub name: &'static str,
    /// False when the parameter is an `Option` or has a `#[default]`: the
    /// input may leave the field out.
    pub required: bool,
}
