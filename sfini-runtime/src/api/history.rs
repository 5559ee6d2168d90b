//! The history of an execution: its events, typed as AWS records them.
//!
//! An event has an id (from 1), the id of the event it follows
//! (`previous_event_id`, 0 for none: in a Parallel branch or Map iteration
//! the previous event of the same branch), a timestamp, and details: one
//! [`EventDetails`] variant per event type of the AWS API, each carrying the
//! details AWS gives for it. Inputs and outputs are JSON text, as AWS gives
//! them.

use serde::Serialize;
use time::OffsetDateTime;

/// One event of an execution's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEvent {
    /// The event's id, from 1.
    pub id: i64,
    /// The id of the event this one follows (0 for none).
    pub previous_event_id: i64,
    /// When it happened.
    pub timestamp: OffsetDateTime,
    /// Its type and details.
    pub details: EventDetails,
}

impl HistoryEvent {
    /// The event's type.
    pub fn event_type(&self) -> HistoryEventType {
        self.details.event_type()
    }
}

/// An error and its cause, the details of the events that report a failure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureDetails {
    /// The error name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Its cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// `ExecutionStarted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionStartedDetails {
    /// The execution's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The role it runs as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// An output: `ExecutionSucceeded`, `ActivitySucceeded`,
/// `LambdaFunctionSucceeded`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputDetails {
    /// The output as JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// `ExecutionRedriven`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRedrivenDetails {
    /// How many times the execution has been redriven.
    pub redrive_count: i32,
}

/// A state was entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateEnteredDetails {
    /// The state's name.
    pub name: String,
    /// Its raw input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// A state was left.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateExitedDetails {
    /// The state's name.
    pub name: String,
    /// Its output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The workflow variables the state assigned, each as JSON text; absent
    /// when it assigned none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_variables: Option<std::collections::BTreeMap<String, String>>,
    /// Whether the assigned variables were cut short in the history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_variables_details: Option<AssignedVariablesDetails>,
}

/// Whether a state's assigned variables were cut short in its event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedVariablesDetails {
    /// True when they were.
    pub truncated: bool,
}

/// `ActivityScheduled`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityScheduledDetails {
    /// The activity's ARN.
    pub resource: String,
    /// The task's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The task's timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<i64>,
    /// The longest time between heartbeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<i64>,
}

/// `ActivityStarted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityStartedDetails {
    /// The name the worker gave when it took the task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_name: Option<String>,
}

/// `LambdaFunctionScheduled`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionScheduledDetails {
    /// The function's ARN.
    pub resource: String,
    /// The function's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The task's timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<i64>,
}

/// `TaskScheduled`: a service integration was called.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskScheduledDetails {
    /// The service, such as `lambda` or `sqs`.
    pub resource_type: String,
    /// The action, such as `invoke` or `sendMessage.waitForTaskToken`.
    pub resource: String,
    /// The region of the call.
    pub region: String,
    /// The request, as JSON text.
    pub parameters: String,
    /// The task's timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<i64>,
    /// The longest time between heartbeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<i64>,
}

/// `TaskStarted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStartedDetails {
    /// The service.
    pub resource_type: String,
    /// The action.
    pub resource: String,
}

/// `TaskSucceeded` and `TaskSubmitted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOutputDetails {
    /// The service.
    pub resource_type: String,
    /// The action.
    pub resource: String,
    /// The response, as JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// `TaskFailed`, `TaskTimedOut`, `TaskSubmitFailed`, `TaskStartFailed`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFailureDetails {
    /// The service.
    pub resource_type: String,
    /// The action.
    pub resource: String,
    /// The error name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Its cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// `MapStateStarted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapStateStartedDetails {
    /// How many items the Map iterates over.
    pub length: i32,
}

/// A Map iteration started, succeeded, failed or was aborted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapIterationDetails {
    /// The Map state's name.
    pub name: String,
    /// The item's index.
    pub index: i32,
}

/// `MapRunStarted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRunStartedDetails {
    /// The Map Run's ARN.
    pub map_run_arn: String,
}

/// `MapRunRedriven`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRunRedrivenDetails {
    /// The Map Run's ARN.
    pub map_run_arn: String,
    /// How many times the Map Run has been redriven, this time included.
    pub redrive_count: i32,
}

/// `EvaluationFailed`: a JSONata expression or a variable assignment of a
/// state could not be evaluated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationFailedDetails {
    /// The error name.
    pub error: String,
    /// Its cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Where in the state the evaluation failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The state's name.
    pub state: String,
}

macro_rules! event_types {
    ($( $(#[$doc:meta])* $variant:ident $(($details:ty, $member:literal))? = $name:literal, )+) => {
        /// The type of a history event, as AWS names it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum HistoryEventType {
            $( $(#[$doc])* $variant, )+
        }

        impl HistoryEventType {
            /// Every event type.
            pub const ALL: &'static [HistoryEventType] = &[$(HistoryEventType::$variant),+];

            /// The type's name, such as `TaskStateEntered`.
            pub fn as_str(self) -> &'static str {
                match self { $(HistoryEventType::$variant => $name,)+ }
            }

            /// The type named `name`.
            pub fn from_name(name: &str) -> Option<HistoryEventType> {
                match name { $($name => Some(HistoryEventType::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for HistoryEventType {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// What happened, with the details AWS records for it.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum EventDetails {
            $( $(#[$doc])* $variant $(($details))?, )+
        }

        impl EventDetails {
            /// The event's type.
            pub fn event_type(&self) -> HistoryEventType {
                match self { $(EventDetails::$variant { .. } => HistoryEventType::$variant,)+ }
            }

            /// The details as AWS's JSON writes them, with the name of
            /// their member of the event (`stateEnteredEventDetails`...);
            /// `None` for the events without details.
            pub fn to_json(&self) -> Option<(&'static str, serde_json::Value)> {
                match self {
                    $( event_types!(@pattern $variant details $($details)?) =>
                        event_types!(@json details $($member)?), )+
                }
            }
        }
    };
    (@pattern $variant:ident $binding:ident $details:ty) => { EventDetails::$variant($binding) };
    (@pattern $variant:ident $binding:ident) => { EventDetails::$variant };
    (@json $binding:ident $member:literal) => {
        // Serializing these plain structs to a `Value` cannot fail.
        Some(($member, serde_json::to_value($binding).unwrap_or(serde_json::Value::Null)))
    };
    (@json $binding:ident) => { None };
}

event_types! {
    /// An activity task failed.
    ActivityFailed(FailureDetails, "activityFailedEventDetails") = "ActivityFailed",
    /// An activity task could not be scheduled.
    ActivityScheduleFailed(FailureDetails, "activityScheduleFailedEventDetails") = "ActivityScheduleFailed",
    /// An activity task was queued on its activity.
    ActivityScheduled(ActivityScheduledDetails, "activityScheduledEventDetails") = "ActivityScheduled",
    /// A worker took an activity task.
    ActivityStarted(ActivityStartedDetails, "activityStartedEventDetails") = "ActivityStarted",
    /// An activity task succeeded.
    ActivitySucceeded(OutputDetails, "activitySucceededEventDetails") = "ActivitySucceeded",
    /// An activity task timed out.
    ActivityTimedOut(FailureDetails, "activityTimedOutEventDetails") = "ActivityTimedOut",
    /// A JSONata expression of a state could not be evaluated.
    EvaluationFailed(EvaluationFailedDetails, "evaluationFailedEventDetails") = "EvaluationFailed",
    /// A Choice state was entered.
    ChoiceStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "ChoiceStateEntered",
    /// A Choice state was left.
    ChoiceStateExited(StateExitedDetails, "stateExitedEventDetails") = "ChoiceStateExited",
    /// The execution was stopped.
    ExecutionAborted(FailureDetails, "executionAbortedEventDetails") = "ExecutionAborted",
    /// The execution failed.
    ExecutionFailed(FailureDetails, "executionFailedEventDetails") = "ExecutionFailed",
    /// The execution was redriven.
    ExecutionRedriven(ExecutionRedrivenDetails, "executionRedrivenEventDetails") = "ExecutionRedriven",
    /// The execution started.
    ExecutionStarted(ExecutionStartedDetails, "executionStartedEventDetails") = "ExecutionStarted",
    /// The execution succeeded.
    ExecutionSucceeded(OutputDetails, "executionSucceededEventDetails") = "ExecutionSucceeded",
    /// The execution ran longer than the machine's timeout.
    ExecutionTimedOut(FailureDetails, "executionTimedOutEventDetails") = "ExecutionTimedOut",
    /// A Fail state was entered.
    FailStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "FailStateEntered",
    /// A Lambda function failed.
    LambdaFunctionFailed(FailureDetails, "lambdaFunctionFailedEventDetails") = "LambdaFunctionFailed",
    /// A Lambda function could not be scheduled.
    LambdaFunctionScheduleFailed(FailureDetails, "lambdaFunctionScheduleFailedEventDetails") = "LambdaFunctionScheduleFailed",
    /// A Lambda function was scheduled.
    LambdaFunctionScheduled(LambdaFunctionScheduledDetails, "lambdaFunctionScheduledEventDetails") = "LambdaFunctionScheduled",
    /// A Lambda function could not start.
    LambdaFunctionStartFailed(FailureDetails, "lambdaFunctionStartFailedEventDetails") = "LambdaFunctionStartFailed",
    /// A Lambda function started.
    LambdaFunctionStarted = "LambdaFunctionStarted",
    /// A Lambda function succeeded.
    LambdaFunctionSucceeded(OutputDetails, "lambdaFunctionSucceededEventDetails") = "LambdaFunctionSucceeded",
    /// A Lambda function timed out.
    LambdaFunctionTimedOut(FailureDetails, "lambdaFunctionTimedOutEventDetails") = "LambdaFunctionTimedOut",
    /// A Map iteration was stopped because the Map failed.
    MapIterationAborted(MapIterationDetails, "mapIterationAbortedEventDetails") = "MapIterationAborted",
    /// A Map iteration failed.
    MapIterationFailed(MapIterationDetails, "mapIterationFailedEventDetails") = "MapIterationFailed",
    /// A Map iteration started.
    MapIterationStarted(MapIterationDetails, "mapIterationStartedEventDetails") = "MapIterationStarted",
    /// A Map iteration succeeded.
    MapIterationSucceeded(MapIterationDetails, "mapIterationSucceededEventDetails") = "MapIterationSucceeded",
    /// A Map Run (Distributed Map) was aborted.
    MapRunAborted = "MapRunAborted",
    /// A Map Run failed.
    MapRunFailed(FailureDetails, "mapRunFailedEventDetails") = "MapRunFailed",
    /// A Map Run started.
    MapRunStarted(MapRunStartedDetails, "mapRunStartedEventDetails") = "MapRunStarted",
    /// A Map Run was redriven.
    MapRunRedriven(MapRunRedrivenDetails, "mapRunRedrivenEventDetails") = "MapRunRedriven",
    /// A Map Run succeeded.
    MapRunSucceeded = "MapRunSucceeded",
    /// A Map state was stopped.
    MapStateAborted = "MapStateAborted",
    /// A Map state was entered.
    MapStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "MapStateEntered",
    /// A Map state was left.
    MapStateExited(StateExitedDetails, "stateExitedEventDetails") = "MapStateExited",
    /// A Map state failed.
    MapStateFailed = "MapStateFailed",
    /// A Map state started its iterations.
    MapStateStarted(MapStateStartedDetails, "mapStateStartedEventDetails") = "MapStateStarted",
    /// Every iteration of a Map state succeeded.
    MapStateSucceeded = "MapStateSucceeded",
    /// A Parallel state was stopped.
    ParallelStateAborted = "ParallelStateAborted",
    /// A Parallel state was entered.
    ParallelStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "ParallelStateEntered",
    /// A Parallel state was left.
    ParallelStateExited(StateExitedDetails, "stateExitedEventDetails") = "ParallelStateExited",
    /// A branch of a Parallel state failed.
    ParallelStateFailed = "ParallelStateFailed",
    /// A Parallel state started its branches.
    ParallelStateStarted = "ParallelStateStarted",
    /// Every branch of a Parallel state succeeded.
    ParallelStateSucceeded = "ParallelStateSucceeded",
    /// A Pass state was entered.
    PassStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "PassStateEntered",
    /// A Pass state was left.
    PassStateExited(StateExitedDetails, "stateExitedEventDetails") = "PassStateExited",
    /// A Succeed state was entered.
    SucceedStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "SucceedStateEntered",
    /// A Succeed state was left.
    SucceedStateExited(StateExitedDetails, "stateExitedEventDetails") = "SucceedStateExited",
    /// A service integration failed.
    TaskFailed(TaskFailureDetails, "taskFailedEventDetails") = "TaskFailed",
    /// A service integration was called.
    TaskScheduled(TaskScheduledDetails, "taskScheduledEventDetails") = "TaskScheduled",
    /// A service integration could not start.
    TaskStartFailed(TaskFailureDetails, "taskStartFailedEventDetails") = "TaskStartFailed",
    /// A service integration started.
    TaskStarted(TaskStartedDetails, "taskStartedEventDetails") = "TaskStarted",
    /// A Task state was stopped.
    TaskStateAborted = "TaskStateAborted",
    /// A Task state was entered.
    TaskStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "TaskStateEntered",
    /// A Task state was left.
    TaskStateExited(StateExitedDetails, "stateExitedEventDetails") = "TaskStateExited",
    /// A service integration could not be submitted.
    TaskSubmitFailed(TaskFailureDetails, "taskSubmitFailedEventDetails") = "TaskSubmitFailed",
    /// A service integration accepted the request and the task waits for
    /// its callback.
    TaskSubmitted(TaskOutputDetails, "taskSubmittedEventDetails") = "TaskSubmitted",
    /// A service integration succeeded.
    TaskSucceeded(TaskOutputDetails, "taskSucceededEventDetails") = "TaskSucceeded",
    /// A service integration timed out.
    TaskTimedOut(TaskFailureDetails, "taskTimedOutEventDetails") = "TaskTimedOut",
    /// A Wait state was stopped.
    WaitStateAborted = "WaitStateAborted",
    /// A Wait state was entered.
    WaitStateEntered(StateEnteredDetails, "stateEnteredEventDetails") = "WaitStateEntered",
    /// A Wait state was left.
    WaitStateExited(StateExitedDetails, "stateExitedEventDetails") = "WaitStateExited",
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The event types of the AWS API reference (`HistoryEvent.type`).
    const AWS_EVENT_TYPES: &str = "ActivityFailed ActivityScheduled ActivityScheduleFailed \
        ActivityStarted ActivitySucceeded ActivityTimedOut ChoiceStateEntered ChoiceStateExited \
        ExecutionAborted ExecutionFailed ExecutionStarted ExecutionSucceeded ExecutionTimedOut \
        FailStateEntered LambdaFunctionFailed LambdaFunctionScheduled LambdaFunctionScheduleFailed \
        LambdaFunctionStarted LambdaFunctionStartFailed LambdaFunctionSucceeded \
        LambdaFunctionTimedOut MapIterationAborted MapIterationFailed MapIterationStarted \
        MapIterationSucceeded MapStateAborted MapStateEntered MapStateExited MapStateFailed \
        MapStateStarted MapStateSucceeded ParallelStateAborted ParallelStateEntered \
        ParallelStateExited ParallelStateFailed ParallelStateStarted ParallelStateSucceeded \
        PassStateEntered PassStateExited SucceedStateEntered SucceedStateExited TaskFailed \
        TaskScheduled TaskStarted TaskStartFailed TaskStateAborted TaskStateEntered \
        TaskStateExited TaskSubmitFailed TaskSubmitted TaskSucceeded TaskTimedOut \
        WaitStateAborted WaitStateEntered WaitStateExited MapRunAborted MapRunFailed \
        MapRunStarted MapRunSucceeded ExecutionRedriven MapRunRedriven EvaluationFailed";

    #[test]
    fn every_event_type_of_the_api_is_typed() {
        let names: Vec<&str> = AWS_EVENT_TYPES.split_whitespace().collect();
        for name in &names {
            let event_type = HistoryEventType::from_name(name)
                .unwrap_or_else(|| panic!("`{name}` has no HistoryEventType"));
            assert_eq!(event_type.as_str(), *name);
        }
        assert_eq!(HistoryEventType::ALL.len(), names.len());
    }

    #[test]
    fn details_are_written_under_their_member() {
        let details = EventDetails::EvaluationFailed(EvaluationFailedDetails {
            error: "States.QueryEvaluationError".into(),
            cause: Some("no such field".into()),
            location: None,
            state: "Check".into(),
        });
        let (member, json) = details.to_json().expect("EvaluationFailed has details");
        assert_eq!(member, "evaluationFailedEventDetails");
        assert_eq!(
            json,
            serde_json::json!({
                "error": "States.QueryEvaluationError",
                "cause": "no such field",
                "state": "Check"
            })
        );
        assert_eq!(EventDetails::MapRunSucceeded.to_json(), None);
    }
}
