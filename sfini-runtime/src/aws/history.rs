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
