//! What can go wrong starting, waiting for or reading an execution.

use std::time::Duration;

use crate::api::SfnError;
use crate::registration::RegistrationError;

/// An error of an execution; each message names the execution (its ARN)
/// or the machine it was to run, and says why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecutionError {
    /// The execution failed: a state failed with an error no catcher
    /// handled, or a Fail state was reached.
    #[error("the execution `{execution}` failed{}", reason(error, cause))]
    Failed {
        /// The execution's ARN.
        execution: String,
        /// The error it failed with.
        error: Option<String>,
        /// The error's cause.
        cause: Option<String>,
    },
    /// The execution ran longer than its machine's `TimeoutSeconds`.
    #[error("the execution `{execution}` timed out{}", reason(error, cause))]
    TimedOut {
        /// The execution's ARN.
        execution: String,
        /// The error recorded; AWS, like the local engine, describes a
        /// timed-out execution without one.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// The execution was stopped.
    #[error("the execution `{execution}` was aborted{}", reason(error, cause))]
    Aborted {
        /// The execution's ARN.
        execution: String,
        /// The error it was stopped with.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// The execution did not close within the time waited.
    #[error(
        "the execution `{execution}` is still running after {} s",
        waited.as_secs_f64()
    )]
    StillRunning {
        /// The execution's ARN.
        execution: String,
        /// How long it was waited for.
        waited: Duration,
    },
    /// The execution has not closed, so it has no output yet.
    #[error(
        "the execution `{execution}` is still running: it has no output yet; wait for it first"
    )]
    Running {
        /// The execution's ARN.
        execution: String,
    },
    /// A call about the execution failed.
    #[error("{call} of the execution `{execution}` failed: {source}")]
    Api {
        /// The execution's ARN.
        execution: String,
        /// The API call, such as `DescribeExecution`.
        call: &'static str,
        /// The engine's error.
        source: SfnError,
    },
    /// The execution's output is not of the type asked for.
    #[error(
        "the output of the execution `{execution}` cannot be read as the type asked for: {source}"
    )]
    Output {
        /// The execution's ARN.
        execution: String,
        /// Why it could not be read.
        source: serde_json::Error,
    },
    /// The input could not be written as JSON.
    #[error(
        "the input of an execution of the state machine `{machine}` cannot be written as JSON: {source}"
    )]
    Input {
        /// The machine to run.
        machine: String,
        /// Why.
        source: serde_json::Error,
    },
    /// `StartExecution` failed.
    #[error("starting the execution `{name}` of the state machine `{machine}` failed: {source}")]
    Start {
        /// The machine to run.
        machine: String,
        /// The execution's name.
        name: String,
        /// The engine's error.
        source: SfnError,
    },
    /// The machine to run is not registered, or could not be looked up.
    #[error(transparent)]
    Machine(#[from] Box<RegistrationError>),
}

impl ExecutionError {
    /// The ARN of the execution the error is about, when it is about one.
    pub fn execution(&self) -> Option<&str> {
        match self {
            ExecutionError::Failed { execution, .. }
            | ExecutionError::TimedOut { execution, .. }
            | ExecutionError::Aborted { execution, .. }
            | ExecutionError::StillRunning { execution, .. }
            | ExecutionError::Running { execution }
            | ExecutionError::Api { execution, .. }
            | ExecutionError::Output { execution, .. } => Some(execution),
            ExecutionError::Input { .. }
            | ExecutionError::Start { .. }
            | ExecutionError::Machine(_) => None,
        }
    }

    /// The error name the execution closed with (failed, timed out or
    /// aborted).
    pub fn error_name(&self) -> Option<&str> {
        match self {
            ExecutionError::Failed { error, .. }
            | ExecutionError::TimedOut { error, .. }
            | ExecutionError::Aborted { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The cause the execution closed with (failed, timed out or aborted).
    pub fn cause(&self) -> Option<&str> {
        match self {
            ExecutionError::Failed { cause, .. }
            | ExecutionError::TimedOut { cause, .. }
            | ExecutionError::Aborted { cause, .. } => cause.as_deref(),
            _ => None,
        }
    }
}

/// ` with error `E` and cause: C`, or what of it is known.
fn reason(error: &Option<String>, cause: &Option<String>) -> String {
    let error = error.as_deref().filter(|error| !error.is_empty());
    let cause = cause.as_deref().filter(|cause| !cause.is_empty());
    match (error, cause) {
        (Some(error), Some(cause)) => format!(" with error `{error}` and cause: {cause}"),
        (Some(error), None) => format!(" with error `{error}` (no cause given)"),
        (None, Some(cause)) => format!(" (no error name given) with cause: {cause}"),
        (None, None) => " (no error or cause given)".to_string(),
    }
}
