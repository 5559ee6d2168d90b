//! History events from the SDK's `HistoryEvent`.
//!
//! The SDK gives an event its type and one `*_event_details` member per kind
//! of details; the type says which member holds them (the `Enter` and `Exit`
//! events of every state type share `state_entered_event_details` and
//! `state_exited_event_details`). Each kind of SDK details is read into
//! sfini's details once ([`ReadDetails`]), and [`event`] picks the member
//! of each event type.

use aws_sdk_sfn::types as sdk;

use super::convert::{timestamp, unexpected};
use crate::api::SfnError;
use crate::api::history::*;

/// SDK details read into sfini's details of the same kind.
///
/// A member the service left out reads as empty: `None`, or the empty
/// string and zero for the fields sfini's details always have; an event
/// without its details member reads as details with every field empty.
trait ReadDetails {
    /// sfini's details.
    type Details: Default;

    /// The details, read.
    fn read(&self) -> Self::Details;
}

/// The details of `member`, or empty details when the event has none.
fn read<D: ReadDetails>(member: Option<&D>) -> D::Details {
    member.map(ReadDetails::read).unwrap_or_default()
}

/// The kinds of details that are an error and its cause.
macro_rules! failure_details {
    ($($sdk:ident),+ $(,)?) => {$(
        impl ReadDetails for sdk::$sdk {
            type Details = FailureDetails;

            fn read(&self) -> FailureDetails {
                FailureDetails {
                    error: self.error.clone(),
                    cause: self.cause.clone(),
                }
            }
        }
    )+};
}

failure_details!(
    ActivityFailedEventDetails,
    ActivityScheduleFailedEventDetails,
    ActivityTimedOutEventDetails,
    ExecutionAbortedEventDetails,
    ExecutionFailedEventDetails,
    ExecutionTimedOutEventDetails,
    LambdaFunctionFailedEventDetails,
    LambdaFunctionScheduleFailedEventDetails,
    LambdaFunctionStartFailedEventDetails,
    LambdaFunctionTimedOutEventDetails,
    MapRunFailedEventDetails,
);

/// The kinds of details that are an output.
macro_rules! output_details {
    ($($sdk:ident),+ $(,)?) => {$(
        impl ReadDetails for sdk::$sdk {
            type Details = OutputDetails;

            fn read(&self) -> OutputDetails {
                OutputDetails { output: self.output.clone() }
            }
        }
    )+};
}

output_details!(
    ActivitySucceededEventDetails,
    ExecutionSucceededEventDetails,
    LambdaFunctionSucceededEventDetails,
);

/// The kinds of details of a service integration that failed.
macro_rules! task_failure_details {
    ($($sdk:ident),+ $(,)?) => {$(
        impl ReadDetails for sdk::$sdk {
            type Details = TaskFailureDetails;

            fn read(&self) -> TaskFailureDetails {
                TaskFailureDetails {
                    resource_type: self.resource_type.clone(),
                    resource: self.resource.clone(),
                    error: self.error.clone(),
                    cause: self.cause.clone(),
                }
            }
        }
    )+};
}

task_failure_details!(
    TaskFailedEventDetails,
    TaskStartFailedEventDetails,
    TaskSubmitFailedEventDetails,
    TaskTimedOutEventDetails,
);

/// The kinds of details of a service integration's output.
macro_rules! task_output_details {
    ($($sdk:ident),+ $(,)?) => {$(
        impl ReadDetails for sdk::$sdk {
            type Details = TaskOutputDetails;

            fn read(&self) -> TaskOutputDetails {
                TaskOutputDetails {
                    resource_type: self.resource_type.clone(),
                    resource: self.resource.clone(),
                    output: self.output.clone(),
                }
            }
        }
    )+};
}

task_output_details!(TaskSucceededEventDetails, TaskSubmittedEventDetails);

impl ReadDetails for sdk::ExecutionStartedEventDetails {
    type Details = ExecutionStartedDetails;

    fn read(&self) -> ExecutionStartedDetails {
        ExecutionStartedDetails {
            input: self.input.clone(),
            role_arn: self.role_arn.clone(),
        }
    }
}

impl ReadDetails for sdk::ExecutionRedrivenEventDetails {
    type Details = ExecutionRedrivenDetails;

    fn read(&self) -> ExecutionRedrivenDetails {
        ExecutionRedrivenDetails {
            redrive_count: self.redrive_count.unwrap_or_default(),
        }
    }
}

impl ReadDetails for sdk::StateEnteredEventDetails {
    type Details = StateEnteredDetails;

    fn read(&self) -> StateEnteredDetails {
        StateEnteredDetails {
            name: self.name.clone(),
            input: self.input.clone(),
        }
    }
}

impl ReadDetails for sdk::StateExitedEventDetails {
    type Details = StateExitedDetails;

    fn read(&self) -> StateExitedDetails {
        StateExitedDetails {
            name: self.name.clone(),
            output: self.output.clone(),
            assigned_variables: self
                .assigned_variables
                .as_ref()
                .map(|assigned| assigned.clone().into_iter().collect()),
            assigned_variables_details: self.assigned_variables_details.as_ref().map(|details| {
                AssignedVariablesDetails {
                    truncated: details.truncated,
                }
            }),
        }
    }
}

impl ReadDetails for sdk::ActivityScheduledEventDetails {
    type Details = ActivityScheduledDetails;

    fn read(&self) -> ActivityScheduledDetails {
        ActivityScheduledDetails {
            resource: self.resource.clone(),
            input: self.input.clone(),
            timeout_in_seconds: self.timeout_in_seconds,
            heartbeat_in_seconds: self.heartbeat_in_seconds,
        }
    }
}

impl ReadDetails for sdk::ActivityStartedEventDetails {
    type Details = ActivityStartedDetails;

    fn read(&self) -> ActivityStartedDetails {
        ActivityStartedDetails {
            worker_name: self.worker_name.clone(),
        }
    }
}

impl ReadDetails for sdk::LambdaFunctionScheduledEventDetails {
    type Details = LambdaFunctionScheduledDetails;

    fn read(&self) -> LambdaFunctionScheduledDetails {
        LambdaFunctionScheduledDetails {
            resource: self.resource.clone(),
            input: self.input.clone(),
            timeout_in_seconds: self.timeout_in_seconds,
        }
    }
}

impl ReadDetails for sdk::TaskScheduledEventDetails {
    type Details = TaskScheduledDetails;

    fn read(&self) -> TaskScheduledDetails {
        TaskScheduledDetails {
            resource_type: self.resource_type.clone(),
            resource: self.resource.clone(),
            region: self.region.clone(),
            parameters: self.parameters.clone(),
            timeout_in_seconds: self.timeout_in_seconds,
            heartbeat_in_seconds: self.heartbeat_in_seconds,
        }
    }
}

impl ReadDetails for sdk::TaskStartedEventDetails {
    type Details = TaskStartedDetails;

    fn read(&self) -> TaskStartedDetails {
        TaskStartedDetails {
            resource_type: self.resource_type.clone(),
            resource: self.resource.clone(),
        }
    }
}

impl ReadDetails for sdk::MapStateStartedEventDetails {
    type Details = MapStateStartedDetails;

    fn read(&self) -> MapStateStartedDetails {
        MapStateStartedDetails {
            length: self.length,
        }
    }
}

impl ReadDetails for sdk::MapIterationEventDetails {
    type Details = MapIterationDetails;

    fn read(&self) -> MapIterationDetails {
        MapIterationDetails {
            name: self.name.clone().unwrap_or_default(),
            index: self.index,
        }
    }
}

impl ReadDetails for sdk::MapRunStartedEventDetails {
    type Details = MapRunStartedDetails;

    fn read(&self) -> MapRunStartedDetails {
        MapRunStartedDetails {
            map_run_arn: self.map_run_arn.clone().unwrap_or_default(),
        }
    }
}

impl ReadDetails for sdk::MapRunRedrivenEventDetails {
    type Details = MapRunRedrivenDetails;

    fn read(&self) -> MapRunRedrivenDetails {
        MapRunRedrivenDetails {
            map_run_arn: self.map_run_arn.clone().unwrap_or_default(),
            redrive_count: self.redrive_count.unwrap_or_default(),
        }
    }
}

impl ReadDetails for sdk::EvaluationFailedEventDetails {
    type Details = EvaluationFailedDetails;

    fn read(&self) -> EvaluationFailedDetails {
        EvaluationFailedDetails {
            error: self.error.clone().unwrap_or_default(),
            cause: self.cause.clone(),
            location: self.location.clone(),
            state: self.state.clone(),
        }
    }
}

/// An event of the SDK as sfini's [`HistoryEvent`].
///
/// An event type sfini does not know is an error (code
/// [`UNEXPECTED_RESPONSE`](super::UNEXPECTED_RESPONSE)) naming it: sfini's
/// events are typed, and leaving an event out would give a history that
/// is not the execution's.
pub(crate) fn event(event: &sdk::HistoryEvent) -> Result<HistoryEvent, SfnError> {
    use HistoryEventType as Type;

    let name = event.r#type().as_str();
    let event_type = HistoryEventType::from_name(name).ok_or_else(|| {
        unexpected(format!(
            "history event {} has type `{name}`, which sfini does not know; a newer sfini may",
            event.id()
        ))
    })?;
    let details = match event_type {
        Type::ActivityFailed => {
            EventDetails::ActivityFailed(read(event.activity_failed_event_details()))
        }
        Type::ActivityScheduleFailed => EventDetails::ActivityScheduleFailed(read(
            event.activity_schedule_failed_event_details(),
        )),
        Type::ActivityScheduled => {
            EventDetails::ActivityScheduled(read(event.activity_scheduled_event_details()))
        }
        Type::ActivityStarted => {
            EventDetails::ActivityStarted(read(event.activity_started_event_details()))
        }
        Type::ActivitySucceeded => {
            EventDetails::ActivitySucceeded(read(event.activity_succeeded_event_details()))
        }
        Type::ActivityTimedOut => {
            EventDetails::ActivityTimedOut(read(event.activity_timed_out_event_details()))
        }
        Type::EvaluationFailed => {
            EventDetails::EvaluationFailed(read(event.evaluation_failed_event_details()))
        }
        Type::ChoiceStateEntered => {
            EventDetails::ChoiceStateEntered(read(event.state_entered_event_details()))
        }
        Type::ChoiceStateExited => {
            EventDetails::ChoiceStateExited(read(event.state_exited_event_details()))
        }
        Type::ExecutionAborted => {
            EventDetails::ExecutionAborted(read(event.execution_aborted_event_details()))
        }
        Type::ExecutionFailed => {
            EventDetails::ExecutionFailed(read(event.execution_failed_event_details()))
        }
        Type::ExecutionRedriven => {
            EventDetails::ExecutionRedriven(read(event.execution_redriven_event_details()))
        }
        Type::ExecutionStarted => {
            EventDetails::ExecutionStarted(read(event.execution_started_event_details()))
        }
        Type::ExecutionSucceeded => {
            EventDetails::ExecutionSucceeded(read(event.execution_succeeded_event_details()))
        }
        Type::ExecutionTimedOut => {
            EventDetails::ExecutionTimedOut(read(event.execution_timed_out_event_details()))
        }
        Type::FailStateEntered => {
            EventDetails::FailStateEntered(read(event.state_entered_event_details()))
        }
        Type::LambdaFunctionFailed => {
            EventDetails::LambdaFunctionFailed(read(event.lambda_function_failed_event_details()))
        }
        Type::LambdaFunctionScheduleFailed => EventDetails::LambdaFunctionScheduleFailed(read(
            event.lambda_function_schedule_failed_event_details(),
        )),
        Type::LambdaFunctionScheduled => EventDetails::LambdaFunctionScheduled(read(
            event.lambda_function_scheduled_event_details(),
        )),
        Type::LambdaFunctionStartFailed => EventDetails::LambdaFunctionStartFailed(read(
            event.lambda_function_start_failed_event_details(),
        )),
        Type::LambdaFunctionStarted => EventDetails::LambdaFunctionStarted,
        Type::LambdaFunctionSucceeded => EventDetails::LambdaFunctionSucceeded(read(
            event.lambda_function_succeeded_event_details(),
        )),
        Type::LambdaFunctionTimedOut => EventDetails::LambdaFunctionTimedOut(read(
            event.lambda_function_timed_out_event_details(),
        )),
        Type::MapIterationAborted => {
            EventDetails::MapIterationAborted(read(event.map_iteration_aborted_event_details()))
        }
        Type::MapIterationFailed => {
            EventDetails::MapIterationFailed(read(event.map_iteration_failed_event_details()))
        }
        Type::MapIterationStarted => {
            EventDetails::MapIterationStarted(read(event.map_iteration_started_event_details()))
        }
        Type::MapIterationSucceeded => {
            EventDetails::MapIterationSucceeded(read(event.map_iteration_succeeded_event_details()))
        }
        Type::MapRunAborted => EventDetails::MapRunAborted,
        Type::MapRunFailed => {
            EventDetails::MapRunFailed(read(event.map_run_failed_event_details()))
        }
        Type::MapRunStarted => {
            EventDetails::MapRunStarted(read(event.map_run_started_event_details()))
        }
        Type::MapRunRedriven => {
            EventDetails::MapRunRedriven(read(event.map_run_redriven_event_details()))
        }
        Type::MapRunSucceeded => EventDetails::MapRunSucceeded,
        Type::MapStateAborted => EventDetails::MapStateAborted,
        Type::MapStateEntered => {
            EventDetails::MapStateEntered(read(event.state_entered_event_details()))
        }
        Type::MapStateExited => {
            EventDetails::MapStateExited(read(event.state_exited_event_details()))
        }
        Type::MapStateFailed => EventDetails::MapStateFailed,
        Type::MapStateStarted => {
            EventDetails::MapStateStarted(read(event.map_state_started_event_details()))
        }
        Type::MapStateSucceeded => EventDetails::MapStateSucceeded,
        Type::ParallelStateAborted => EventDetails::ParallelStateAborted,
        Type::ParallelStateEntered => {
            EventDetails::ParallelStateEntered(read(event.state_entered_event_details()))
        }
        Type::ParallelStateExited => {
            EventDetails::ParallelStateExited(read(event.state_exited_event_details()))
        }
        Type::ParallelStateFailed => EventDetails::ParallelStateFailed,
        Type::ParallelStateStarted => EventDetails::ParallelStateStarted,
        Type::ParallelStateSucceeded => EventDetails::ParallelStateSucceeded,
        Type::PassStateEntered => {
            EventDetails::PassStateEntered(read(event.state_entered_event_details()))
        }
        Type::PassStateExited => {
            EventDetails::PassStateExited(read(event.state_exited_event_details()))
        }
        Type::SucceedStateEntered => {
            EventDetails::SucceedStateEntered(read(event.state_entered_event_details()))
        }
        Type::SucceedStateExited => {
            EventDetails::SucceedStateExited(read(event.state_exited_event_details()))
        }
        Type::TaskFailed => EventDetails::TaskFailed(read(event.task_failed_event_details())),
        Type::TaskScheduled => {
            EventDetails::TaskScheduled(read(event.task_scheduled_event_details()))
        }
        Type::TaskStartFailed => {
            EventDetails::TaskStartFailed(read(event.task_start_failed_event_details()))
        }
        Type::TaskStarted => EventDetails::TaskStarted(read(event.task_started_event_details())),
        Type::TaskStateAborted => EventDetails::TaskStateAborted,
        Type::TaskStateEntered => {
            EventDetails::TaskStateEntered(read(event.state_entered_event_details()))
        }
        Type::TaskStateExited => {
            EventDetails::TaskStateExited(read(event.state_exited_event_details()))
        }
        Type::TaskSubmitFailed => {
            EventDetails::TaskSubmitFailed(read(event.task_submit_failed_event_details()))
        }
        Type::TaskSubmitted => {
            EventDetails::TaskSubmitted(read(event.task_submitted_event_details()))
        }
        Type::TaskSucceeded => {
            EventDetails::TaskSucceeded(read(event.task_succeeded_event_details()))
        }
        Type::TaskTimedOut => {
            EventDetails::TaskTimedOut(read(event.task_timed_out_event_details()))
        }
        Type::WaitStateAborted => EventDetails::WaitStateAborted,
        Type::WaitStateEntered => {
            EventDetails::WaitStateEntered(read(event.state_entered_event_details()))
        }
        Type::WaitStateExited => {
            EventDetails::WaitStateExited(read(event.state_exited_event_details()))
        }
    };
    Ok(HistoryEvent {
        id: event.id(),
        previous_event_id: event.previous_event_id(),
        timestamp: timestamp(event.timestamp(), "timestamp")?,
        details,
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_sfn::primitives::DateTime;
    use serde_json::{Value, json};

    use super::*;
    use crate::aws::UNEXPECTED_RESPONSE;

    fn failure_json() -> Value {
        json!({"error": "States.Timeout", "cause": "took too long"})
    }

    /// SDK details that are an error and a cause.
    macro_rules! failure {
        ($sdk:ident) => {
            sdk::$sdk::builder()
                .error("States.Timeout")
                .cause("took too long")
                .build()
        };
    }

    fn task_failure_json() -> Value {
        json!({
            "resourceType": "lambda",
            "resource": "invoke",
            "error": "Lambda.ServiceException",
            "cause": "unavailable"
        })
    }

    /// SDK details of a service integration that failed.
    macro_rules! task_failure {
        ($sdk:ident) => {
            sdk::$sdk::builder()
                .resource_type("lambda")
                .resource("invoke")
                .error("Lambda.ServiceException")
                .cause("unavailable")
                .build()
                .unwrap()
        };
    }

    fn task_output_json() -> Value {
        json!({"resourceType": "sqs", "resource": "sendMessage", "output": "{\"MessageId\":\"m\"}"})
    }

    /// SDK details of a service integration's output.
    macro_rules! task_output {
        ($sdk:ident) => {
            sdk::$sdk::builder()
                .resource_type("sqs")
                .resource("sendMessage")
                .output("{\"MessageId\":\"m\"}")
                .build()
                .unwrap()
        };
    }

    fn output_json() -> Value {
        json!({"output": "{\"sum\":45}"})
    }

    /// SDK details that are an output.
    macro_rules! output {
        ($sdk:ident) => {
            sdk::$sdk::builder().output("{\"sum\":45}").build()
        };
    }

    fn entered() -> sdk::StateEnteredEventDetails {
        sdk::StateEnteredEventDetails::builder()
            .name("add")
            .input("{\"a\":3}")
            .build()
            .unwrap()
    }

    fn entered_json() -> Value {
        json!({"name": "add", "input": "{\"a\":3}"})
    }

    fn exited() -> sdk::StateExitedEventDetails {
        sdk::StateExitedEventDetails::builder()
            .name("add")
            .output("45")
            .assigned_variables("total", "45")
            .assigned_variables_details(
                sdk::AssignedVariablesDetails::builder()
                    .truncated(false)
                    .build(),
            )
            .build()
            .unwrap()
    }

    fn exited_json() -> Value {
        json!({
            "name": "add",
            "output": "45",
            "assignedVariables": {"total": "45"},
            "assignedVariablesDetails": {"truncated": false}
        })
    }

    fn iteration() -> sdk::MapIterationEventDetails {
        sdk::MapIterationEventDetails::builder()
            .name("each")
            .index(2)
            .build()
    }

    fn iteration_json() -> Value {
        json!({"name": "each", "index": 2})
    }

    /// An SDK event of `event_type` with its details set, and the member
    /// and JSON of its details as AWS writes them (`None` for the types
    /// without details).
    fn sample(
        event_type: HistoryEventType,
    ) -> (
        sdk::builders::HistoryEventBuilder,
        Option<(&'static str, Value)>,
    ) {
        use HistoryEventType as Type;

        let event = sdk::HistoryEvent::builder();
        let (event, expected) = match event_type {
            Type::ActivityFailed => (
                event.activity_failed_event_details(failure!(ActivityFailedEventDetails)),
                Some(("activityFailedEventDetails", failure_json())),
            ),
            Type::ActivityScheduleFailed => (
                event.activity_schedule_failed_event_details(failure!(
                    ActivityScheduleFailedEventDetails
                )),
                Some(("activityScheduleFailedEventDetails", failure_json())),
            ),
            Type::ActivityScheduled => (
                event.activity_scheduled_event_details(
                    sdk::ActivityScheduledEventDetails::builder()
                        .resource("arn:aws:states:us-east-1:123456789012:activity:add")
                        .input("{\"a\":3}")
                        .timeout_in_seconds(10)
                        .heartbeat_in_seconds(5)
                        .build()
                        .unwrap(),
                ),
                Some((
                    "activityScheduledEventDetails",
                    json!({
                        "resource": "arn:aws:states:us-east-1:123456789012:activity:add",
                        "input": "{\"a\":3}",
                        "timeoutInSeconds": 10,
                        "heartbeatInSeconds": 5
                    }),
                )),
            ),
            Type::ActivityStarted => (
                event.activity_started_event_details(
                    sdk::ActivityStartedEventDetails::builder()
                        .worker_name("host-1")
                        .build(),
                ),
                Some((
                    "activityStartedEventDetails",
                    json!({"workerName": "host-1"}),
                )),
            ),
            Type::ActivitySucceeded => (
                event.activity_succeeded_event_details(output!(ActivitySucceededEventDetails)),
                Some(("activitySucceededEventDetails", output_json())),
            ),
            Type::ActivityTimedOut => (
                event.activity_timed_out_event_details(failure!(ActivityTimedOutEventDetails)),
                Some(("activityTimedOutEventDetails", failure_json())),
            ),
            Type::EvaluationFailed => (
                event.evaluation_failed_event_details(
                    sdk::EvaluationFailedEventDetails::builder()
                        .error("States.QueryEvaluationError")
                        .cause("no such field")
                        .location("Arguments")
                        .state("check")
                        .build()
                        .unwrap(),
                ),
                Some((
                    "evaluationFailedEventDetails",
                    json!({
                        "error": "States.QueryEvaluationError",
                        "cause": "no such field",
                        "location": "Arguments",
                        "state": "check"
                    }),
                )),
            ),
            Type::ExecutionAborted => (
                event.execution_aborted_event_details(failure!(ExecutionAbortedEventDetails)),
                Some(("executionAbortedEventDetails", failure_json())),
            ),
            Type::ExecutionFailed => (
                event.execution_failed_event_details(failure!(ExecutionFailedEventDetails)),
                Some(("executionFailedEventDetails", failure_json())),
            ),
            Type::ExecutionRedriven => (
                event.execution_redriven_event_details(
                    sdk::ExecutionRedrivenEventDetails::builder()
                        .redrive_count(2)
                        .build(),
                ),
                Some(("executionRedrivenEventDetails", json!({"redriveCount": 2}))),
            ),
            Type::ExecutionStarted => (
                event.execution_started_event_details(
                    sdk::ExecutionStartedEventDetails::builder()
                        .input("{\"a\":3}")
                        .role_arn("arn:aws:iam::123456789012:role/run")
                        .build(),
                ),
                Some((
                    "executionStartedEventDetails",
                    json!({"input": "{\"a\":3}", "roleArn": "arn:aws:iam::123456789012:role/run"}),
                )),
            ),
            Type::ExecutionSucceeded => (
                event.execution_succeeded_event_details(output!(ExecutionSucceededEventDetails)),
                Some(("executionSucceededEventDetails", output_json())),
            ),
            Type::ExecutionTimedOut => (
                event.execution_timed_out_event_details(failure!(ExecutionTimedOutEventDetails)),
                Some(("executionTimedOutEventDetails", failure_json())),
            ),
            Type::LambdaFunctionFailed => (
                event.lambda_function_failed_event_details(failure!(
                    LambdaFunctionFailedEventDetails
                )),
                Some(("lambdaFunctionFailedEventDetails", failure_json())),
            ),
            Type::LambdaFunctionScheduleFailed => (
                event.lambda_function_schedule_failed_event_details(failure!(
                    LambdaFunctionScheduleFailedEventDetails
                )),
                Some(("lambdaFunctionScheduleFailedEventDetails", failure_json())),
            ),
            Type::LambdaFunctionScheduled => (
                event.lambda_function_scheduled_event_details(
                    sdk::LambdaFunctionScheduledEventDetails::builder()
                        .resource("arn:aws:lambda:us-east-1:123456789012:function:double")
                        .input("{\"n\":21}")
                        .timeout_in_seconds(30)
                        .build()
                        .unwrap(),
                ),
                Some((
                    "lambdaFunctionScheduledEventDetails",
                    json!({
                        "resource": "arn:aws:lambda:us-east-1:123456789012:function:double",
                        "input": "{\"n\":21}",
                        "timeoutInSeconds": 30
                    }),
                )),
            ),
            Type::LambdaFunctionStartFailed => (
                event.lambda_function_start_failed_event_details(failure!(
                    LambdaFunctionStartFailedEventDetails
                )),
                Some(("lambdaFunctionStartFailedEventDetails", failure_json())),
            ),
            Type::LambdaFunctionSucceeded => (
                event.lambda_function_succeeded_event_details(output!(
                    LambdaFunctionSucceededEventDetails
                )),
                Some(("lambdaFunctionSucceededEventDetails", output_json())),
            ),
            Type::LambdaFunctionTimedOut => (
                event.lambda_function_timed_out_event_details(failure!(
                    LambdaFunctionTimedOutEventDetails
                )),
                Some(("lambdaFunctionTimedOutEventDetails", failure_json())),
            ),
            Type::MapIterationAborted => (
                event.map_iteration_aborted_event_details(iteration()),
                Some(("mapIterationAbortedEventDetails", iteration_json())),
            ),
            Type::MapIterationFailed => (
                event.map_iteration_failed_event_details(iteration()),
                Some(("mapIterationFailedEventDetails", iteration_json())),
            ),
            Type::MapIterationStarted => (
                event.map_iteration_started_event_details(iteration()),
                Some(("mapIterationStartedEventDetails", iteration_json())),
            ),
            Type::MapIterationSucceeded => (
                event.map_iteration_succeeded_event_details(iteration()),
                Some(("mapIterationSucceededEventDetails", iteration_json())),
            ),
            Type::MapRunFailed => (
                event.map_run_failed_event_details(failure!(MapRunFailedEventDetails)),
                Some(("mapRunFailedEventDetails", failure_json())),
            ),
            Type::MapRunStarted => (
                event.map_run_started_event_details(
                    sdk::MapRunStartedEventDetails::builder()
                        .map_run_arn("arn:aws:states:us-east-1:123456789012:mapRun:m/run:1")
                        .build(),
                ),
                Some((
                    "mapRunStartedEventDetails",
                    json!({"mapRunArn": "arn:aws:states:us-east-1:123456789012:mapRun:m/run:1"}),
                )),
            ),
            Type::MapRunRedriven => (
                event.map_run_redriven_event_details(
                    sdk::MapRunRedrivenEventDetails::builder()
                        .map_run_arn("arn:aws:states:us-east-1:123456789012:mapRun:m/run:1")
                        .redrive_count(1)
                        .build(),
                ),
                Some((
                    "mapRunRedrivenEventDetails",
                    json!({
                        "mapRunArn": "arn:aws:states:us-east-1:123456789012:mapRun:m/run:1",
                        "redriveCount": 1
                    }),
                )),
            ),
            Type::MapStateStarted => (
                event.map_state_started_event_details(
                    sdk::MapStateStartedEventDetails::builder()
                        .length(3)
                        .build(),
                ),
                Some(("mapStateStartedEventDetails", json!({"length": 3}))),
            ),
            Type::ChoiceStateEntered
            | Type::FailStateEntered
            | Type::MapStateEntered
            | Type::ParallelStateEntered
            | Type::PassStateEntered
            | Type::SucceedStateEntered
            | Type::TaskStateEntered
            | Type::WaitStateEntered => (
                event.state_entered_event_details(entered()),
                Some(("stateEnteredEventDetails", entered_json())),
            ),
            Type::ChoiceStateExited
            | Type::MapStateExited
            | Type::ParallelStateExited
            | Type::PassStateExited
            | Type::SucceedStateExited
            | Type::TaskStateExited
            | Type::WaitStateExited => (
                event.state_exited_event_details(exited()),
                Some(("stateExitedEventDetails", exited_json())),
            ),
            Type::TaskFailed => (
                event.task_failed_event_details(task_failure!(TaskFailedEventDetails)),
                Some(("taskFailedEventDetails", task_failure_json())),
            ),
            Type::TaskScheduled => (
                event.task_scheduled_event_details(
                    sdk::TaskScheduledEventDetails::builder()
                        .resource_type("lambda")
                        .resource("invoke")
                        .region("eu-west-1")
                        .parameters("{\"FunctionName\":\"f\"}")
                        .timeout_in_seconds(60)
                        .heartbeat_in_seconds(20)
                        .build()
                        .unwrap(),
                ),
                Some((
                    "taskScheduledEventDetails",
                    json!({
                        "resourceType": "lambda",
                        "resource": "invoke",
                        "region": "eu-west-1",
                        "parameters": "{\"FunctionName\":\"f\"}",
                        "timeoutInSeconds": 60,
                        "heartbeatInSeconds": 20
                    }),
                )),
            ),
            Type::TaskStartFailed => (
                event.task_start_failed_event_details(task_failure!(TaskStartFailedEventDetails)),
                Some(("taskStartFailedEventDetails", task_failure_json())),
            ),
            Type::TaskStarted => (
                event.task_started_event_details(
                    sdk::TaskStartedEventDetails::builder()
                        .resource_type("lambda")
                        .resource("invoke")
                        .build()
                        .unwrap(),
                ),
                Some((
                    "taskStartedEventDetails",
                    json!({"resourceType": "lambda", "resource": "invoke"}),
                )),
            ),
            Type::TaskSubmitFailed => (
                event.task_submit_failed_event_details(task_failure!(TaskSubmitFailedEventDetails)),
                Some(("taskSubmitFailedEventDetails", task_failure_json())),
            ),
            Type::TaskSubmitted => (
                event.task_submitted_event_details(task_output!(TaskSubmittedEventDetails)),
                Some(("taskSubmittedEventDetails", task_output_json())),
            ),
            Type::TaskSucceeded => (
                event.task_succeeded_event_details(task_output!(TaskSucceededEventDetails)),
                Some(("taskSucceededEventDetails", task_output_json())),
            ),
            Type::TaskTimedOut => (
                event.task_timed_out_event_details(task_failure!(TaskTimedOutEventDetails)),
                Some(("taskTimedOutEventDetails", task_failure_json())),
            ),
            Type::LambdaFunctionStarted
            | Type::MapRunAborted
            | Type::MapRunSucceeded
            | Type::MapStateAborted
            | Type::MapStateFailed
            | Type::MapStateSucceeded
            | Type::ParallelStateAborted
            | Type::ParallelStateFailed
            | Type::ParallelStateStarted
            | Type::ParallelStateSucceeded
            | Type::TaskStateAborted
            | Type::WaitStateAborted => (event, None),
        };
        (
            event.r#type(sdk::HistoryEventType::from(event_type.as_str())),
            expected,
        )
    }

    #[test]
    fn every_event_type_reads_with_its_details() {
        let timestamp = DateTime::from_secs_and_nanos(1_732_185_000, 123_456_789);
        for (index, event_type) in HistoryEventType::ALL.iter().enumerate() {
            let (builder, expected) = sample(*event_type);
            let id = index as i64 + 2;
            let sdk_event = builder
                .id(id)
                .previous_event_id(id - 1)
                .timestamp(timestamp)
                .build()
                .unwrap();
            let read = event(&sdk_event).unwrap();
            assert_eq!(read.event_type(), *event_type);
            assert_eq!(read.id, id);
            assert_eq!(read.previous_event_id, id - 1);
            assert_eq!(read.timestamp.unix_timestamp(), 1_732_185_000);
            assert_eq!(read.timestamp.nanosecond(), 123_457_000);
            assert_eq!(
                read.details.to_json(),
                expected,
                "the details of {event_type}"
            );
        }
    }

    #[test]
    fn the_kinds_of_details_read_into_their_types() {
        let (builder, _) = sample(HistoryEventType::TaskStateEntered);
        let sdk_event = builder
            .id(2)
            .previous_event_id(1)
            .timestamp(DateTime::from_secs(0))
            .build()
            .unwrap();
        assert_eq!(
            event(&sdk_event).unwrap().details,
            EventDetails::TaskStateEntered(StateEnteredDetails {
                name: "add".into(),
                input: Some("{\"a\":3}".into()),
            })
        );
        let (builder, _) = sample(HistoryEventType::ActivityScheduled);
        let sdk_event = builder
            .id(3)
            .previous_event_id(2)
            .timestamp(DateTime::from_secs(0))
            .build()
            .unwrap();
        assert_eq!(
            event(&sdk_event).unwrap().details,
            EventDetails::ActivityScheduled(ActivityScheduledDetails {
                resource: "arn:aws:states:us-east-1:123456789012:activity:add".into(),
                input: Some("{\"a\":3}".into()),
                timeout_in_seconds: Some(10),
                heartbeat_in_seconds: Some(5),
            })
        );
    }

    #[test]
    fn an_event_without_its_details_reads_with_empty_details() {
        let sdk_event = sdk::HistoryEvent::builder()
            .r#type(sdk::HistoryEventType::ExecutionAborted)
            .id(4)
            .previous_event_id(3)
            .timestamp(DateTime::from_secs(0))
            .build()
            .unwrap();
        assert_eq!(
            event(&sdk_event).unwrap().details,
            EventDetails::ExecutionAborted(FailureDetails::default())
        );
    }

    #[test]
    fn an_unknown_event_type_is_an_error_naming_it() {
        let sdk_event = sdk::HistoryEvent::builder()
            .r#type(sdk::HistoryEventType::from("StateTeleported"))
            .id(7)
            .previous_event_id(6)
            .timestamp(DateTime::from_secs(0))
            .build()
            .unwrap();
        let error = event(&sdk_event).unwrap_err();
        assert_eq!(error.code(), UNEXPECTED_RESPONSE);
        assert_eq!(
            error.message(),
            "history event 7 has type `StateTeleported`, which sfini does not know; a newer \
             sfini may"
        );
        assert!(!error.is_retryable());
    }
}
