//! Express executions: `StartSyncExecution`, and what sets an execution of
//! an Express machine apart from a Standard one, as AWS documents it.
//!
//! - Its ARN is `arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID`,
//!   as AWS's recorded answers show (a random ID, so that a name may be
//!   used again).
//! - It runs five minutes at most, then times out with `States.Timeout`
//!   (a machine's `TimeoutSeconds` may make that shorter).
//! - `DescribeExecution`, `GetExecutionHistory`, `StopExecution` and
//!   `DescribeStateMachineForExecution` refuse its ARN with `InvalidArn`
//!   (AWS: these calls do not support Express executions; the error is
//!   the ARN's, as for any ARN of a resource type the call does not take),
//!   and `ListExecutions` refuses an Express machine with
//!   `StateMachineTypeNotSupported`, as AWS's model says.
//! - `StartSyncExecution` answers when it closes; a Standard machine is
//!   refused with `StateMachineTypeNotSupported`.
//! - `.sync` and `.waitForTaskToken` resources are refused when an Express
//!   machine is created or updated (`InvalidDefinition`); activities run.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::execution::Execution;
use super::names::{ResourceKind, check_arn};
use super::{LocalEngine, uuid};
use crate::api::*;

/// The longest run of an Express execution, as AWS bounds it: five
/// minutes.
pub(crate) const LONGEST_EXPRESS_EXECUTION: Duration = Duration::from_secs(5 * 60);

/// AWS bills an Express execution's memory in steps of 64 MB.
const BILLED_MEMORY_STEP_MB: i64 = 64;

/// AWS bills an Express execution's duration in steps of 100 ms.
const BILLED_DURATION_STEP_MS: i64 = 100;

/// The ARN of an execution named `name` of the Express machine
/// `machine_arn` (`arn:...:stateMachine:M`): `arn:...:express:M:NAME:ID`.
pub(crate) fn execution_arn(machine_arn: &str, name: &str) -> String {
    let machine = machine_arn.replacen(":stateMachine:", ":express:", 1);
    format!("{machine}:{name}:{}", uuid())
}

/// Refuses an Express execution's ARN in a call that does not support
/// Express executions, as AWS refuses it.
pub(crate) fn refuse_express_arn(arn: &str) -> Result<(), SfnError> {
    let mut parts = arn.splitn(7, ':');
    if parts.next() == Some("arn")
        && parts.nth(1) == Some("states")
        && parts.nth(2) == Some("express")
    {
        return Err(SfnError::InvalidArn(format!(
            "Invalid Arn: 'Resource type not valid in this context: express': {} is an \
             Express execution, which this call does not support",
            quoted(arn, '`')
        )));
    }
    Ok(())
}

/// Refuses `ListExecutions` of an Express machine, as AWS's model says
/// (`StateMachineTypeNotSupported`).
pub(crate) fn refuse_listing(kind: StateMachineType, machine_arn: &str) -> Result<(), SfnError> {
    if kind != StateMachineType::Express {
        return Ok(());
    }
    Err(SfnError::Service {
        code: STATE_MACHINE_TYPE_NOT_SUPPORTED.to_string(),
        message: format!(
            "ListExecutions is not supported for EXPRESS state machines: {} is one",
            quoted(machine_arn, '`')
        ),
    })
}

/// Refuses a definition an Express machine cannot run: a `.sync` or
/// `.waitForTaskToken` resource, which AWS refuses for Express machines
/// when they are created or updated (`InvalidDefinition`, with
/// `SCHEMA_VALIDATION_FAILED` at the `Resource`, the problem
/// `ValidateStateMachineDefinition` reports). Activities are allowed.
pub(crate) fn check_definition(kind: StateMachineType, definition: &str) -> Result<(), SfnError> {
    if kind != StateMachineType::Express {
        return Ok(());
    }
    let problems = crate::api::tags_and_validation::express_patterns(definition);
    if problems.is_empty() {
        return Ok(());
    }
    let message = problems
        .iter()
        .map(|problem| {
            format!(
                "{}: {} at {}",
                problem.code,
                problem.message,
                problem.location.as_deref().unwrap_or("/")
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Err(SfnError::InvalidDefinition {
        message,
        diagnostics: sfini_core::Diagnostics::new(),
    })
}

/// What AWS would bill for an execution that ran `millis` milliseconds
/// with `bytes` of data: at least one step of each.
fn billing(millis: i64, bytes: usize) -> BillingDetails {
    let megabytes = i64::try_from(bytes.div_ceil(1024 * 1024)).unwrap_or(i64::MAX);
    let round_up = |value: i64, step: i64| (value.max(1).saturating_add(step - 1) / step) * step;
    BillingDetails {
        billed_memory_used_in_mb: round_up(megabytes, BILLED_MEMORY_STEP_MB),
        billed_duration_in_milliseconds: round_up(millis, BILLED_DURATION_STEP_MS),
    }
}

impl LocalEngine {
    /// `StartSyncExecution`: starts an execution of an Express machine and
    /// answers when it closes, its failure or timeout in the answer's
    /// `status`, `error` and `cause`. A Standard machine is refused with
    /// `StateMachineTypeNotSupported`, as AWS refuses it.
    ///
    /// ```
    /// use serde_json::json;
    /// use sfini_runtime::api::*;
    /// use sfini_runtime::local::LocalEngine;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), SfnError> {
    /// let engine = LocalEngine::new();
    /// let machine = engine
    ///     .create_state_machine(CreateStateMachineInput {
    ///         name: "quick".into(),
    ///         definition: json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}})
    ///             .to_string(),
    ///         role_arn: "arn:aws:iam::123456789012:role/r".into(),
    ///         state_machine_type: Some(StateMachineType::Express),
    ///         ..Default::default()
    ///     })
    ///     .await?
    ///     .state_machine_arn;
    /// let done = engine
    ///     .start_sync_execution(StartSyncExecutionInput {
    ///         state_machine_arn: machine,
    ///         input: Some(r#"{"a":1}"#.into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// assert_eq!(done.status, SyncExecutionStatus::Succeeded);
    /// assert_eq!(done.output.as_deref(), Some(r#"{"a":1}"#));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_sync_execution(
        &self,
        input: StartSyncExecutionInput,
    ) -> Result<StartSyncExecutionOutput, SfnError> {
        check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
        let machine_type = self
            .shared
            .lock()
            .machines
            .get(input.state_machine_arn.as_str())
            .map(|machine| machine.machine_type);
        match machine_type {
            Some(StateMachineType::Express) => {}
            Some(StateMachineType::Standard) => {
                return Err(SfnError::Service {
                    code: STATE_MACHINE_TYPE_NOT_SUPPORTED.to_string(),
                    message: format!(
                        "StartSyncExecution is not supported for STANDARD workflows: {} is a \
                         Standard state machine; start it with StartExecution",
                        quoted(&input.state_machine_arn, '`')
                    ),
                });
            }
            // `start` answers StateMachineDoesNotExist.
            None => {}
        }
        let started = self.start(
            StartExecutionInput {
                state_machine_arn: input.state_machine_arn,
                name: input.name,
                input: input.input,
                trace_header: input.trace_header,
            },
            None,
            true,
        )?;
        let execution = self
            .shared
            .lock()
            .executions
            .get(started.execution_arn.as_str())
            .cloned()
            .ok_or_else(|| {
                SfnError::ExecutionDoesNotExist(format!(
                    "the execution `{}` was dropped before it closed",
                    started.execution_arn
                ))
            })?;
        Ok(closed(&execution).await)
    }
}

/// Waits until `execution` has closed; gives it as `StartSyncExecution`
/// answers.
async fn closed(execution: &Arc<Execution>) -> StartSyncExecutionOutput {
    loop {
        let notified = execution.closed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if execution.lock().status != ExecutionStatus::Running {
            break;
        }
        notified.await;
    }
    let described = execution.describe();
    let stop_date = described.stop_date.unwrap_or(described.start_date);
    let millis = i64::try_from(
        (stop_date - described.start_date)
            .whole_milliseconds()
            .max(0),
    )
    .unwrap_or(i64::MAX);
    let status = match described.status {
        ExecutionStatus::Succeeded => SyncExecutionStatus::Succeeded,
        ExecutionStatus::TimedOut => SyncExecutionStatus::TimedOut,
        // Failed, or aborted (an Express execution is never stopped).
        _ => SyncExecutionStatus::Failed,
    };
    StartSyncExecutionOutput {
        execution_arn: described.execution_arn,
        state_machine_arn: Some(described.state_machine_arn),
        name: Some(described.name),
        start_date: described.start_date,
        stop_date,
        status,
        error: described.error,
        cause: described.cause,
        input: described.input,
        input_included: Some(true),
        output: described.output,
        // AWS's recordings say `included: true` for a failed execution too.
        output_included: Some(true),
        trace_header: described.trace_header,
        billing_details: Some(billing(millis, execution.memory.load(Ordering::Relaxed))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn express_arns_name_the_machine_and_are_refused_where_unsupported() {
        let arn = execution_arn(
            "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "run",
        );
        assert!(
            arn.starts_with("arn:aws:states:us-east-1:123456789012:express:m:run:"),
            "{arn}"
        );
        let refused = refuse_express_arn(&arn).unwrap_err();
        assert_eq!(refused.code(), "InvalidArn");
        assert!(refuse_express_arn("arn:aws:states:us-east-1:1:execution:m:run").is_ok());
        assert!(refuse_express_arn("express").is_ok());
    }

    #[test]
    fn billing_rounds_up_to_aws_steps() {
        assert_eq!(
            billing(0, 0),
            BillingDetails {
                billed_memory_used_in_mb: 64,
                billed_duration_in_milliseconds: 100
            }
        );
        assert_eq!(
            billing(101, 65 * 1024 * 1024).billed_duration_in_milliseconds,
            200
        );
        assert_eq!(billing(101, 65 * 1024 * 1024).billed_memory_used_in_mb, 128);
    }
}
