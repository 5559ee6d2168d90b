//! The operations the server answers: for each, how its request is read
//! into the engine's input, which engine call serves it, and how its output
//! is written, member for member as the Step Functions API reference
//! defines them.
//!
//! Members the API defines for behaviour the engine does not have
//! (logging, tracing, customer-managed encryption, Map Runs) are read
//! too: a value that asks for nothing (logging `OFF`, tracing disabled,
//! AWS-owned keys) is accepted, any other is
//! refused with a `ValidationException` naming the member, so that a client
//! never believes it got behaviour it did not get.

use serde_json::Value;

use super::error::ApiError;
use super::read::{self, Reader};
use super::redrive::{read_redrive_execution, write_redrive_execution};
use super::sync_execution::{read_start_sync_execution, write_start_sync_execution};
use super::tags_and_validation::{
    read_describe_state_machine_for_execution, read_list_tags_for_resource, read_tag_resource,
    read_untag_resource, read_validate_state_machine_definition,
    write_describe_state_machine_for_execution, write_list_tags_for_resource,
    write_validate_state_machine_definition,
};
use super::test_state::{read_test_state, write_test_state};
use super::versions::*;
use super::waiting::{read_list_waiting_tasks, write_list_waiting_tasks};
use super::write::{Object, history_event};
use crate::api::*;
use crate::local::MAX_PAGE_SIZE;

macro_rules! operations {
    ($( $(#[$doc:meta])* $variant:ident => $method:ident, $read:ident, $write:ident; )+) => {
        /// An operation of the Step Functions API that the server answers.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Operation {
            $( $(#[$doc])* $variant, )+
        }

        impl Operation {
            /// Every operation answered.
            pub(crate) const ALL: &'static [Operation] = &[$(Operation::$variant),+];

            /// The operation's name, as `X-Amz-Target` gives it.
            pub(crate) fn name(self) -> &'static str {
                match self { $(Operation::$variant => stringify!($variant),)+ }
            }

            /// The operation named `name`.
            pub(crate) fn from_name(name: &str) -> Option<Operation> {
                match name { $(stringify!($variant) => Some(Operation::$variant),)+ _ => None }
            }

            /// Reads the request, calls the engine and writes its answer.
            pub(crate) async fn call(
                self,
                engine: &dyn StepFunctions,
                mut request: Reader,
            ) -> Result<Value, ApiError> {
                match self {
                    $(Operation::$variant => {
                        let (input, options) = $read(&mut request);
                        request.finish(self.name())?;
                        let output = engine
                            .$method(input)
                            .await
                            .map_err(|error| ApiError::from_engine(&error))?;
                        Ok($write(output, options))
                    })+
                }
            }
        }
    };
}

operations! {
    CreateActivity => create_activity, read_create_activity, write_create_activity;
    DescribeActivity => describe_activity, read_describe_activity, write_describe_activity;
    ListActivities => list_activities, read_list_activities, write_list_activities;
    DeleteActivity => delete_activity, read_delete_activity, write_nothing;
    CreateStateMachine => create_state_machine, read_create_state_machine, write_create_state_machine;
    UpdateStateMachine => update_state_machine, read_update_state_machine, write_update_state_machine;
    DescribeStateMachine => describe_state_machine, read_describe_state_machine, write_describe_state_machine;
    ListStateMachines => list_state_machines, read_list_state_machines, write_list_state_machines;
    DeleteStateMachine => delete_state_machine, read_delete_state_machine, write_nothing;
    StartExecution => start_execution, read_start_execution, write_start_execution;
    DescribeExecution => describe_execution, read_describe_execution, write_describe_execution;
    ListExecutions => list_executions, read_list_executions, write_list_executions;
    StopExecution => stop_execution, read_stop_execution, write_stop_execution;
    RedriveExecution => redrive_execution, read_redrive_execution, write_redrive_execution;
    GetExecutionHistory => get_execution_history, read_get_execution_history, write_get_execution_history;
    GetActivityTask => get_activity_task, read_get_activity_task, write_get_activity_task;
    SendTaskSuccess => send_task_success, read_send_task_success, write_nothing;
    SendTaskFailure => send_task_failure, read_send_task_failure, write_nothing;
    SendTaskHeartbeat => send_task_heartbeat, read_send_task_heartbeat, write_nothing;
    TestState => test_state, read_test_state, write_test_state;
    StartSyncExecution => start_sync_execution, read_start_sync_execution, write_start_sync_execution;
    ListTagsForResource => list_tags_for_resource, read_list_tags_for_resource, write_list_tags_for_resource;
    TagResource => tag_resource, read_tag_resource, write_nothing;
    UntagResource => untag_resource, read_untag_resource, write_nothing;
    DescribeStateMachineForExecution => describe_state_machine_for_execution, read_describe_state_machine_for_execution, write_describe_state_machine_for_execution;
    ValidateStateMachineDefinition => validate_state_machine_definition, read_validate_state_machine_definition, write_validate_state_machine_definition;
    PublishStateMachineVersion => publish_state_machine_version, read_publish_state_machine_version, write_publish_state_machine_version;
    ListStateMachineVersions => list_state_machine_versions, read_list_state_machine_versions, write_list_state_machine_versions;
    DeleteStateMachineVersion => delete_state_machine_version, read_delete_state_machine_version, write_nothing;
    CreateStateMachineAlias => create_state_machine_alias, read_create_state_machine_alias, write_create_state_machine_alias;
    DescribeStateMachineAlias => describe_state_machine_alias, read_describe_state_machine_alias, write_describe_state_machine_alias;
    UpdateStateMachineAlias => update_state_machine_alias, read_update_state_machine_alias, write_update_state_machine_alias;
    DeleteStateMachineAlias => delete_state_machine_alias, read_delete_state_machine_alias, write_nothing;
    ListStateMachineAliases => list_state_machine_aliases, read_list_state_machine_aliases, write_list_state_machine_aliases;
    /// sfini's own: the tasks waiting for an answer (`serve/waiting.rs`).
    SfiniListWaitingTasks => list_waiting_tasks, read_list_waiting_tasks, write_list_waiting_tasks;
}

/// The operations of the Step Functions API (2016-11-23) that the server
/// does not answer, so that a request for one is told so rather than that
/// the operation does not exist.
pub(crate) const UNANSWERED: &[&str] = &["DescribeMapRun", "ListMapRuns", "UpdateMapRun"];

/// What `includedData` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IncludedData {
    /// Everything (the default).
    All,
    /// Leave the definition, or the input and output, out.
    MetadataOnly,
}

pub(crate) fn included_data(request: &mut Reader) -> IncludedData {
    request
        .keyword(
            "includedData",
            &["ALL_DATA", "METADATA_ONLY"],
            |text| match text {
                "ALL_DATA" => Some(IncludedData::All),
                "METADATA_ONLY" => Some(IncludedData::MetadataOnly),
                _ => None,
            },
        )
        .unwrap_or(IncludedData::All)
}

/// `maxResults`: 0 (the default page) to 1000.
pub(crate) fn max_results(request: &mut Reader) -> i32 {
    request
        .integer("maxResults", 0, i64::from(MAX_PAGE_SIZE))
        .and_then(|count| i32::try_from(count).ok())
        .unwrap_or(0)
}

/// `encryptionConfiguration`: only AWS-owned keys, the default.
fn encryption_configuration(request: &mut Reader) {
    request.unsupported(
        "encryptionConfiguration",
        |value| {
            value.as_object().is_some_and(|members| {
                members.iter().all(|(name, member)| {
                    member.is_null() || (name == "type" && member == "AWS_OWNED_KEY")
                })
            })
        },
        "the local engine keeps data unencrypted in memory and uses no KMS key; leave \
         'encryptionConfiguration' out or give {\"type\": \"AWS_OWNED_KEY\"}",
    );
}

/// The members of `CreateStateMachine` and `UpdateStateMachine` about
/// logging, tracing and encryption.
fn machine_options(request: &mut Reader) {
    request.unsupported(
        "loggingConfiguration",
        |value| {
            value.as_object().is_some_and(|members| {
                members.iter().all(|(name, member)| match name.as_str() {
                    "level" => member.is_null() || member == "OFF",
                    "destinations" => {
                        member.is_null() || member.as_array().is_some_and(Vec::is_empty)
                    }
                    "includeExecutionData" => member.is_null() || member.is_boolean(),
                    _ => false,
                })
            })
        },
        "the local engine sends no logs to CloudWatch Logs; leave 'loggingConfiguration' out \
         or give {\"level\": \"OFF\"} without destinations",
    );
    request.unsupported(
        "tracingConfiguration",
        |value| {
            value.as_object().is_some_and(|members| {
                members.iter().all(|(name, member)| {
                    name == "enabled" && (member.is_null() || member == false)
                })
            })
        },
        "the local engine does not trace with X-Ray; leave 'tracingConfiguration' out or give \
         {\"enabled\": false}",
    );
    encryption_configuration(request);
}

fn read_create_activity(request: &mut Reader) -> (CreateActivityInput, ()) {
    let input = CreateActivityInput {
        name: request.required_string("name", read::NAME),
        tags: request.tags(),
    };
    encryption_configuration(request);
    (input, ())
}

fn write_create_activity(output: CreateActivityOutput, (): ()) -> Value {
    Object::new()
        .string("activityArn", output.activity_arn)
        .date("creationDate", output.creation_date)
        .build()
}

fn read_describe_activity(request: &mut Reader) -> (DescribeActivityInput, ()) {
    let activity_arn = request.required_string("activityArn", read::ARN);
    (DescribeActivityInput { activity_arn }, ())
}

fn write_describe_activity(output: DescribeActivityOutput, (): ()) -> Value {
    Object::new()
        .string("activityArn", output.activity_arn)
        .string("name", output.name)
        .date("creationDate", output.creation_date)
        .build()
}

fn read_list_activities(request: &mut Reader) -> (ListActivitiesInput, ()) {
    let input = ListActivitiesInput {
        max_results: max_results(request),
        next_token: request.string("nextToken", read::PAGE_TOKEN),
    };
    (input, ())
}

fn write_list_activities(output: ListActivitiesOutput, (): ()) -> Value {
    let items = output.activities.into_iter().map(|item| {
        Object::new()
            .string("activityArn", item.activity_arn)
            .string("name", item.name)
            .date("creationDate", item.creation_date)
            .build()
    });
    Object::new()
        .list("activities", items)
        .optional("nextToken", output.next_token)
        .build()
}

fn read_delete_activity(request: &mut Reader) -> (DeleteActivityInput, ()) {
    let activity_arn = request.required_string("activityArn", read::ARN);
    (DeleteActivityInput { activity_arn }, ())
}

/// The answer of the operations whose output has no members.
pub(crate) fn write_nothing<T>(_output: T, (): ()) -> Value {
    Object::new().build()
}

fn read_create_state_machine(request: &mut Reader) -> (CreateStateMachineInput, ()) {
    let input = CreateStateMachineInput {
        name: request.required_string("name", read::NAME),
        definition: request.required_string("definition", read::DEFINITION),
        role_arn: request.required_string("roleArn", read::ARN),
        state_machine_type: request.keyword(
            "type",
            &["STANDARD", "EXPRESS"],
            StateMachineType::from_name,
        ),
        tags: request.tags(),
        publish: request.boolean("publish").unwrap_or(false),
        version_description: request.string("versionDescription", VERSION_DESCRIPTION),
    };
    machine_options(request);
    (input, ())
}

fn write_create_state_machine(output: CreateStateMachineOutput, (): ()) -> Value {
    Object::new()
        .string("stateMachineArn", output.state_machine_arn)
        .date("creationDate", output.creation_date)
        .optional("stateMachineVersionArn", output.state_machine_version_arn)
        .build()
}

fn read_update_state_machine(request: &mut Reader) -> (UpdateStateMachineInput, ()) {
    let input = UpdateStateMachineInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        definition: request.string("definition", read::DEFINITION),
        role_arn: request.string("roleArn", read::ARN),
        publish: request.boolean("publish").unwrap_or(false),
        version_description: request.string("versionDescription", VERSION_DESCRIPTION),
    };
    machine_options(request);
    (input, ())
}

fn write_update_state_machine(output: UpdateStateMachineOutput, (): ()) -> Value {
    Object::new()
        .date("updateDate", output.update_date)
        .optional("revisionId", output.revision_id)
        .optional("stateMachineVersionArn", output.state_machine_version_arn)
        .build()
}

fn read_describe_state_machine(request: &mut Reader) -> (DescribeStateMachineInput, IncludedData) {
    let state_machine_arn = request.required_string("stateMachineArn", read::ARN);
    let included = included_data(request);
    (DescribeStateMachineInput { state_machine_arn }, included)
}

fn write_describe_state_machine(
    output: DescribeStateMachineOutput,
    included: IncludedData,
) -> Value {
    // `definition` is a required member: left out by METADATA_ONLY, it is
    // `{}`, as the API reference says.
    let definition = match included {
        IncludedData::All => output.definition,
        IncludedData::MetadataOnly => "{}".to_string(),
    };
    let mut object = Object::new()
        .string("stateMachineArn", output.state_machine_arn)
        .string("name", output.name)
        .optional("status", output.status.map(StateMachineStatus::as_str))
        .string("definition", definition)
        .string("roleArn", output.role_arn)
        .string("type", output.state_machine_type.as_str())
        .date("creationDate", output.creation_date);
    if let Some(logging) = output.logging_configuration {
        object = object.value("loggingConfiguration", logging_configuration(logging));
    }
    if let Some(tracing) = output.tracing_configuration {
        object = object.value(
            "tracingConfiguration",
            Object::new()
                .value("enabled", Value::Bool(tracing.enabled))
                .build(),
        );
    }
    if let Some(encryption) = output.encryption_configuration {
        object = object.value(
            "encryptionConfiguration",
            encryption_configuration_value(encryption),
        );
    }
    object = object
        .optional("description", output.description)
        .optional("revisionId", output.revision_id)
        .optional("label", output.label);
    if let Some(references) = output.variable_references {
        let references = references
            .into_iter()
            .map(|(state, names)| {
                (
                    state,
                    Value::Array(names.into_iter().map(Value::String).collect()),
                )
            })
            .collect();
        object = object.value("variableReferences", Value::Object(references));
    }
    object.build()
}

/// `loggingConfiguration`: `level` and `includeExecutionData` always,
/// `destinations` when there are some.
fn logging_configuration(logging: LoggingConfiguration) -> Value {
    let object = Object::new().string("level", logging.level.as_str()).value(
        "includeExecutionData",
        Value::Bool(logging.include_execution_data),
    );
    let object = if logging.destinations.is_empty() {
        object
    } else {
        object.list(
            "destinations",
            logging.destinations.into_iter().map(|arn| {
                Object::new()
                    .value(
                        "cloudWatchLogsLogGroup",
                        Object::new().string("logGroupArn", arn).build(),
                    )
                    .build()
            }),
        )
    };
    object.build()
}

/// `encryptionConfiguration`.
fn encryption_configuration_value(encryption: EncryptionConfiguration) -> Value {
    let object = Object::new()
        .string("type", encryption.encryption_type.as_str())
        .optional("kmsKeyId", encryption.kms_key_id);
    match encryption.kms_data_key_reuse_period_seconds {
        Some(seconds) => object.value("kmsDataKeyReusePeriodSeconds", Value::from(seconds)),
        None => object,
    }
    .build()
}

fn read_list_state_machines(request: &mut Reader) -> (ListStateMachinesInput, ()) {
    let input = ListStateMachinesInput {
        max_results: max_results(request),
        next_token: request.string("nextToken", read::PAGE_TOKEN),
    };
    (input, ())
}

fn write_list_state_machines(output: ListStateMachinesOutput, (): ()) -> Value {
    let items = output.state_machines.into_iter().map(|item| {
        Object::new()
            .string("stateMachineArn", item.state_machine_arn)
            .string("name", item.name)
            .string("type", item.state_machine_type.as_str())
            .date("creationDate", item.creation_date)
            .build()
    });
    Object::new()
        .list("stateMachines", items)
        .optional("nextToken", output.next_token)
        .build()
}

fn read_delete_state_machine(request: &mut Reader) -> (DeleteStateMachineInput, ()) {
    let state_machine_arn = request.required_string("stateMachineArn", read::ARN);
    (DeleteStateMachineInput { state_machine_arn }, ())
}

fn read_start_execution(request: &mut Reader) -> (StartExecutionInput, ()) {
    let input = StartExecutionInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        name: request.string("name", read::NAME),
        input: request.string("input", read::DATA),
        trace_header: request.string("traceHeader", read::TRACE_HEADER),
    };
    (input, ())
}

fn write_start_execution(output: StartExecutionOutput, (): ()) -> Value {
    Object::new()
        .string("executionArn", output.execution_arn)
        .date("startDate", output.start_date)
        .build()
}

fn read_describe_execution(request: &mut Reader) -> (DescribeExecutionInput, IncludedData) {
    let execution_arn = request.required_string("executionArn", read::ARN);
    let included = included_data(request);
    (DescribeExecutionInput { execution_arn }, included)
}

fn write_describe_execution(output: DescribeExecutionOutput, included: IncludedData) -> Value {
    let (input, result) = match included {
        IncludedData::All => (output.input, output.output),
        IncludedData::MetadataOnly => (None, None),
    };
    // `inputDetails` and `outputDetails` say whether the data is in the
    // answer: always for the input, which METADATA_ONLY leaves out; for
    // the output once there is one (an execution that succeeded).
    let input_details = match included {
        IncludedData::All => input.is_some(),
        IncludedData::MetadataOnly => false,
    };
    let output_details = match (&result, included, output.status) {
        (Some(_), _, _) => Some(true),
        (None, IncludedData::MetadataOnly, ExecutionStatus::Succeeded) => Some(false),
        (None, _, _) => None,
    };
    let details = |included: bool| {
        Object::new()
            .value("included", Value::Bool(included))
            .build()
    };
    let mut object = Object::new()
        .string("executionArn", output.execution_arn)
        .string("stateMachineArn", output.state_machine_arn)
        .string("name", output.name)
        .string("status", output.status.as_str())
        .date("startDate", output.start_date)
        .optional_date("stopDate", output.stop_date)
        .optional("input", input)
        .value("inputDetails", details(input_details))
        .optional("output", result);
    if let Some(included) = output_details {
        object = object.value("outputDetails", details(included));
    }
    object
        .optional("traceHeader", output.trace_header)
        .optional("mapRunArn", output.map_run_arn)
        .optional("error", output.error)
        .optional("cause", output.cause)
        .optional("stateMachineVersionArn", output.state_machine_version_arn)
        .optional("stateMachineAliasArn", output.state_machine_alias_arn)
        .value("redriveCount", Value::from(output.redrive_count))
        .optional_date("redriveDate", output.redrive_date)
        .optional(
            "redriveStatus",
            output.redrive_status.map(ExecutionRedriveStatus::as_str),
        )
        .optional("redriveStatusReason", output.redrive_status_reason)
        .build()
}

fn read_list_executions(request: &mut Reader) -> (ListExecutionsInput, ()) {
    let mut input = ListExecutionsInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        status_filter: request.keyword(
            "statusFilter",
            &[
                "RUNNING",
                "SUCCEEDED",
                "FAILED",
                "TIMED_OUT",
                "ABORTED",
                "PENDING_REDRIVE",
            ],
            ExecutionStatus::from_name,
        ),
        max_results: max_results(request),
        next_token: request.string("nextToken", read::EXECUTIONS_PAGE_TOKEN),
        redrive_filter: None,
    };
    request.unsupported(
        "mapRunArn",
        |_| false,
        "the local engine runs a Distributed Map's items within its execution and lists no \
         Map Run's child executions; list by 'stateMachineArn'",
    );
    input.redrive_filter = request.keyword(
        "redriveFilter",
        &["REDRIVEN", "NOT_REDRIVEN"],
        ExecutionRedriveFilter::from_name,
    );
    (input, ())
}

fn write_list_executions(output: ListExecutionsOutput, (): ()) -> Value {
    let next_token = output.next_token;
    let items = output.executions.into_iter().map(|item| {
        let redriven = item.redrive_count > 0;
        let object = Object::new()
            .string("executionArn", item.execution_arn)
            .string("stateMachineArn", item.state_machine_arn)
            .string("name", item.name)
            .string("status", item.status.as_str())
            .date("startDate", item.start_date)
            .optional_date("stopDate", item.stop_date)
            .optional("stateMachineVersionArn", item.state_machine_version_arn)
            .optional("stateMachineAliasArn", item.state_machine_alias_arn)
            .optional_date("redriveDate", item.redrive_date);
        if redriven {
            object
                .value("redriveCount", Value::from(item.redrive_count))
                .build()
        } else {
            object.build()
        }
    });
    Object::new()
        .list("executions", items)
        .optional("nextToken", next_token)
        .build()
}

fn read_stop_execution(request: &mut Reader) -> (StopExecutionInput, ()) {
    let input = StopExecutionInput {
        execution_arn: request.required_string("executionArn", read::ARN),
        error: request.string("error", read::ERROR),
        cause: request.string("cause", read::CAUSE),
    };
    (input, ())
}

fn write_stop_execution(output: StopExecutionOutput, (): ()) -> Value {
    Object::new().date("stopDate", output.stop_date).build()
}

fn read_get_execution_history(request: &mut Reader) -> (GetExecutionHistoryInput, ()) {
    let input = GetExecutionHistoryInput {
        execution_arn: request.required_string("executionArn", read::ARN),
        max_results: max_results(request),
        reverse_order: request.boolean("reverseOrder").unwrap_or(false),
        next_token: request.string("nextToken", read::PAGE_TOKEN),
        include_execution_data: request.boolean("includeExecutionData"),
    };
    (input, ())
}

fn write_get_execution_history(output: GetExecutionHistoryOutput, (): ()) -> Value {
    Object::new()
        .list("events", output.events.iter().map(history_event))
        .optional("nextToken", output.next_token)
        .build()
}

fn read_get_activity_task(request: &mut Reader) -> (GetActivityTaskInput, ()) {
    let input = GetActivityTaskInput {
        activity_arn: request.required_string("activityArn", read::ARN),
        worker_name: request.string("workerName", read::NAME),
    };
    (input, ())
}

fn write_get_activity_task(output: GetActivityTaskOutput, (): ()) -> Value {
    Object::new()
        .optional("taskToken", output.task_token)
        .optional("input", output.input)
        .build()
}

fn read_send_task_success(request: &mut Reader) -> (SendTaskSuccessInput, ()) {
    let input = SendTaskSuccessInput {
        task_token: request.required_string("taskToken", read::TASK_TOKEN),
        output: request.required_string("output", read::DATA),
    };
    (input, ())
}

fn read_send_task_failure(request: &mut Reader) -> (SendTaskFailureInput, ()) {
    let input = SendTaskFailureInput {
        task_token: request.required_string("taskToken", read::TASK_TOKEN),
        error: request.string("error", read::ERROR),
        cause: request.string("cause", read::CAUSE),
    };
    (input, ())
}

fn read_send_task_heartbeat(request: &mut Reader) -> (SendTaskHeartbeatInput, ()) {
    let task_token = request.required_string("taskToken", read::TASK_TOKEN);
    (SendTaskHeartbeatInput { task_token }, ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_every_operation_of_the_trait_once() {
        assert_eq!(Operation::ALL.len(), 35);
        for operation in Operation::ALL {
            assert_eq!(Operation::from_name(operation.name()), Some(*operation));
            assert!(!UNANSWERED.contains(&operation.name()));
        }
        // The API (2016-11-23) has 37 operations; sfini answers its own too.
        let sfini = super::super::waiting::SFINI_OPERATIONS;
        assert_eq!(Operation::ALL.len() - sfini.len() + UNANSWERED.len(), 37);
    }

    fn refused(body: &str, read: fn(&mut Reader)) -> String {
        let mut request = Reader::from_body(body.as_bytes()).expect("a JSON object");
        read(&mut request);
        match request.finish("CreateStateMachine") {
            Ok(()) => panic!("`{body}` was accepted"),
            Err(error) => error.message,
        }
    }

    fn accepted(body: &str, read: fn(&mut Reader)) {
        let mut request = Reader::from_body(body.as_bytes()).expect("a JSON object");
        read(&mut request);
        if let Err(error) = request.finish("CreateStateMachine") {
            panic!("`{body}` was refused: {}", error.message);
        }
    }

    #[test]
    fn options_asking_for_nothing_are_accepted_and_others_refused() {
        for body in [
            r#"{"loggingConfiguration": {"level": "OFF", "includeExecutionData": false, "destinations": []}}"#,
            r#"{"tracingConfiguration": {"enabled": false}}"#,
            r#"{"encryptionConfiguration": {"type": "AWS_OWNED_KEY"}}"#,
        ] {
            accepted(body, machine_options);
        }
        for (body, member) in [
            (
                r#"{"loggingConfiguration": {"level": "ALL"}}"#,
                "at 'loggingConfiguration' failed to satisfy constraint: the local engine sends no logs",
            ),
            (
                r#"{"tracingConfiguration": {"enabled": true}}"#,
                "at 'tracingConfiguration'",
            ),
            (
                r#"{"encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "k"}}"#,
                "at 'encryptionConfiguration'",
            ),
        ] {
            let message = refused(body, machine_options);
            assert!(message.contains(member), "{body}: {message}");
        }
    }
}
