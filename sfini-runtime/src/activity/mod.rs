//! What an activity is to the runtime, as `#[activity]` generates it.
//!
//! An activity is a piece of work a Task state hands to a worker: the worker
//! receives the task's input as JSON and a task token, runs the activity, and
//! reports its output or its failure. `#[activity]` turns a Rust function
//! into a type implementing [`Activity`], whose [`ActivityDefinition`] holds
//! everything the runtime needs: the activity's name, its arguments, the
//! error names it may fail with, its heartbeat and timeout, and the `run`
//! function that reads the input, calls the function and serialises the
//! result.
//!
//! - [`definition`]: [`Activity`], [`ActivityDefinition`], [`Argument`];
//! - [`failure`]: [`TaskFailure`], how a failed task is reported, and the
//!   error names sfini itself fails tasks with;
//! - [`error`]: [`ActivityError`], how an error type names its errors;
//! - [`context`]: [`ActivityContext`], the task token, heartbeats and
//!   cancellation for a running activity.

pub mod context;
pub mod definition;
pub mod error;
pub mod failure;

pub use context::{
    ActivityContext, Cancellation, HeartbeatError, HeartbeatFuture, HeartbeatSender,
};
pub use definition::{Activity, ActivityDefinition, ActivityFuture, Argument};
pub use error::ActivityError;
pub use failure::{
    FAILED_ERROR, INTERRUPTED_ERROR, INVALID_INPUT_ERROR, IO_ERROR, OUTPUT_ERROR, PANIC_ERROR,
    TaskFailure,
};
