//! The error names the language predefines, and how Retry and Catch match
//! error names.

use crate::model::string_enum;

string_enum! {
    /// An error name the language predefines; user error names must not
    /// start with `States.`.
    pub enum PredefinedError {
        /// Matches any error name except `States.Runtime` and
        /// `States.DataLimitExceeded`; must stand alone in the last retrier
        /// or catcher.
        All = "States.ALL",
        /// A task missed its heartbeat.
        HeartbeatTimeout = "States.HeartbeatTimeout",
        /// A task ran longer than its timeout, or the execution longer than
        /// the machine's.
        Timeout = "States.Timeout",
        /// A task failed; in Retry and Catch, matches any error except
        /// `States.Timeout` (and the two that `States.ALL` does not match).
        TaskFailed = "States.TaskFailed",
        /// A task lacked the permissions to run.
        Permissions = "States.Permissions",
        /// A ResultPath could not place the result in the state's input.
        ResultPathMatchFailure = "States.ResultPathMatchFailure",
        /// A path in Parameters could not be applied.
        ParameterPathFailure = "States.ParameterPathFailure",
        /// A Parallel branch failed.
        BranchFailed = "States.BranchFailed",
        /// No Choice rule matched and there was no Default.
        NoChoiceMatched = "States.NoChoiceMatched",
        /// An intrinsic function failed.
        IntrinsicFailure = "States.IntrinsicFailure",
        /// More Map iterations failed than the tolerated count or percentage.
        ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold",
        /// A Distributed Map could not read its items.
        ItemReaderFailed = "States.ItemReaderFailed",
        /// A Distributed Map could not write its results.
        ResultWriterFailed = "States.ResultWriterFailed",
        /// A payload was larger than the service allows; cannot be caught.
        DataLimitExceeded = "States.DataLimitExceeded",
        /// The execution met data it could not process (a path that matches
        /// nothing, say); cannot be caught.
        Runtime = "States.Runtime",
        /// An HTTP task timed out.
        HttpSocket = "States.Http.Socket",
        /// A JSONata expression failed.
        QueryEvaluationError = "States.QueryEvaluationError",
    }
}

/// The error names sfini's runtime fails a task running an activity with,
/// whatever the activity: its input lacked the arguments
/// (`sfini.InvalidInput`), it panicked, its output could not be written, or
/// the worker shut down before it finished. Shared by `workflow!`, which
/// checks catchers against them, and the runtime, which raises them.
pub const SFINI_TASK_ERRORS: &[&str] = &[
    "sfini.InvalidInput",
    "sfini.ActivityPanicked",
    "sfini.InvalidOutput",
    "sfini.ActivityInterrupted",
];

/// The predefined errors a Task state running an activity can end with:
/// the wildcards, the task's own failures (timeouts, permissions), and the
/// failures of the state's data flow around the task.
pub const TASK_STATE_ERRORS: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.ParameterPathFailure",
    "States.IntrinsicFailure",
    "States.ResultPathMatchFailure",
    "States.DataLimitExceeded",
    "States.Runtime",
];

/// True when a retrier or catcher that lists `pattern` in `ErrorEquals`
/// handles the error named `error`.
///
/// ```
/// use sfini_core::error_name::error_matches;
///
/// assert!(error_matches("MyError", "MyError"));
/// assert!(error_matches("States.ALL", "MyError"));
/// assert!(error_matches("States.TaskFailed", "States.HeartbeatTimeout"));
/// assert!(!error_matches("States.TaskFailed", "States.Timeout"));
/// assert!(error_matches("States.Timeout", "States.HeartbeatTimeout"));
/// assert!(!error_matches("States.ALL", "States.Runtime"));
/// assert!(!error_matches("States.Runtime", "States.Runtime"));
/// ```
pub fn error_matches(pattern: &str, error: &str) -> bool {
    // AWS never retries or catches States.Runtime, even where ErrorEquals
    // names it (its recordings show a catcher of States.Runtime passed by).
    if error == PredefinedError::Runtime.as_str() {
        return false;
    }
    if pattern == error {
        return true;
    }
    let uncatchable = error == PredefinedError::Runtime.as_str()
        || error == PredefinedError::DataLimitExceeded.as_str();
    match PredefinedError::from_name(pattern) {
        Some(PredefinedError::All) => !uncatchable,
        Some(PredefinedError::TaskFailed) => {
            !uncatchable && error != PredefinedError::Timeout.as_str()
        }
        // A task that ran longer than its TimeoutSeconds, or sent no
        // heartbeat for longer than its HeartbeatSeconds.
        Some(PredefinedError::Timeout) => error == PredefinedError::HeartbeatTimeout.as_str(),
        _ => false,
    }
}
