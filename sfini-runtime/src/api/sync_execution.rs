//! `StartSyncExecution`: the request and the answer of the call that runs
//! an execution of an Express state machine and answers when it closes,
//! shaped as the AWS API reference (2016-11-23) defines them.
//!
//! AWS refuses the call for a Standard machine with
//! `StateMachineTypeNotSupported`. The call answers 200 whatever the
//! execution's end: a failure or timeout is in [`StartSyncExecutionOutput`]'s
//! `status`, `error` and `cause`.

use time::OffsetDateTime;

/// The error code AWS answers `StartSyncExecution` of a Standard machine
/// with (and the local engine answers the calls Express executions do not
/// support with).
pub const STATE_MACHINE_TYPE_NOT_SUPPORTED: &str = "StateMachineTypeNotSupported";

/// `StartSyncExecution`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartSyncExecutionInput {
    /// The Express machine to run.
    pub state_machine_arn: String,
    /// The execution's name; a unique one is made up when absent.
    pub name: Option<String>,
    /// The input as JSON text; `{}` when absent.
    pub input: Option<String>,
    /// An X-Ray trace header (kept, not used).
    pub trace_header: Option<String>,
}

/// How a synchronous Express execution ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyncExecutionStatus {
    /// It succeeded: `output` holds its output.
    Succeeded,
    /// It failed: `error` and `cause` say why.
    Failed,
    /// It ran past its machine's `TimeoutSeconds` or an Express
    /// execution's five minutes.
    TimedOut,
}

impl SyncExecutionStatus {
    /// Every value, in the order the API lists them.
    pub const ALL: &'static [SyncExecutionStatus] = &[
        SyncExecutionStatus::Succeeded,
        SyncExecutionStatus::Failed,
        SyncExecutionStatus::TimedOut,
    ];

    /// The name as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncExecutionStatus::Succeeded => "SUCCEEDED",
            SyncExecutionStatus::Failed => "FAILED",
            SyncExecutionStatus::TimedOut => "TIMED_OUT",
        }
    }

    /// The value the API writes as `text`.
    pub fn from_name(text: &str) -> Option<SyncExecutionStatus> {
        Self::ALL
            .iter()
            .copied()
            .find(|status| status.as_str() == text)
    }
}

impl std::fmt::Display for SyncExecutionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a synchronous Express execution is billed: memory in MB and
/// duration in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BillingDetails {
    /// Billed memory, in MB (64-MB steps on AWS).
    pub billed_memory_used_in_mb: i64,
    /// Billed duration, in milliseconds (100-ms steps on AWS).
    pub billed_duration_in_milliseconds: i64,
}

/// The answer to `StartSyncExecution`: the closed execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartSyncExecutionOutput {
    /// The execution's ARN (`arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID`).
    pub execution_arn: String,
    /// Its machine's ARN.
    pub state_machine_arn: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// When it started.
    pub start_date: OffsetDateTime,
    /// When it closed.
    pub stop_date: OffsetDateTime,
    /// How it ended.
    pub status: SyncExecutionStatus,
    /// The error it failed with.
    pub error: Option<String>,
    /// The failure's cause.
    pub cause: Option<String>,
    /// Its input, as JSON text.
    pub input: Option<String>,
    /// Whether the input is in the answer (`inputDetails.included`).
    pub input_included: Option<bool>,
    /// Its output, as JSON text, when it succeeded.
    pub output: Option<String>,
    /// Whether the output is in the answer (`outputDetails.included`).
    pub output_included: Option<bool>,
    /// The X-Ray trace header it was started with.
    pub trace_header: Option<String>,
    /// What it is billed.
    pub billing_details: Option<BillingDetails>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_from_their_names() {
        for status in SyncExecutionStatus::ALL {
            assert_eq!(
                SyncExecutionStatus::from_name(status.as_str()),
                Some(*status)
            );
        }
        assert_eq!(SyncExecutionStatus::from_name("RUNNING"), None);
    }
}
