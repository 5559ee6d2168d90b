//! `RedriveExecution`: the request and the answer of the call that resumes
//! a failed, timed-out or aborted Standard execution from the state that
//! did not succeed, shaped as the AWS API reference defines them.

use time::OffsetDateTime;

/// The request of `RedriveExecution`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedriveExecutionInput {
    /// The execution to redrive.
    pub execution_arn: String,
    /// A token that makes the request idempotent (1 to 64 characters);
    /// the SDKs fill one in when it is not given.
    pub client_token: Option<String>,
}

/// The answer of `RedriveExecution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedriveExecutionOutput {
    /// When the execution was redriven.
    pub redrive_date: OffsetDateTime,
}
