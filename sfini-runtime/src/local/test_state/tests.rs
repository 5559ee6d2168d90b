//! `TestState` on the local engine: every state type, each status and
//! inspection level, JSONPath and JSONata, variables, mocks, and hostile
//! requests. Where AWS's answer was recorded (LocalStack's snapshots of
//! TestState on AWS, `tests/aws/services/stepfunctions/v2/test_state/`),
//! the case says so and expects the same.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::api::*;
use crate::local::{EngineLimits, LocalEngine, TaskFailure};

const ROLE: &str = "arn:aws:iam::123456789012:role/test";

fn request(definition: Value, input: Value) -> TestStateInput {
    TestStateInput {
        definition: definition.to_string(),
        input: Some(input.to_string()),
        inspection_level: Some(InspectionLevel::Debug),
        ..Default::default()
    }
}

fn mocked(mut request: TestStateInput, result: Value) -> TestStateInput {
    request.mock = Some(MockInput {
        result: Some(result.to_string()),
        ..Default::default()
    });
    request
}

fn failing(mut request: TestStateInput, error: &str, cause: &str) -> TestStateInput {
    request.mock = Some(MockInput {
        error_output: Some(MockErrorOutput {
            error: Some(error.into()),
            cause: Some(cause.into()),
        }),
        ..Default::default()
    });
    request
}

fn retried(mut request: TestStateInput, count: u32) -> TestStateInput {
    let mut configuration = request.state_configuration.unwrap_or_default();
    configuration.retrier_retry_count = Some(count);
    request.state_configuration = Some(configuration);
    request
}

async fn tested(engine: &LocalEngine, request: TestStateInput) -> TestStateOutput {
    match engine.test_state(request).await {
        Ok(answer) => answer,
        Err(error) => panic!("TestState was refused: {error}"),
    }
}

async fn refused(engine: &LocalEngine, request: TestStateInput) -> SfnError {
    match engine.test_state(request).await {
        Ok(answer) => panic!("TestState answered {answer:?}"),
        Err(error) => error,
    }
}

/// A JSON text member, read back.
fn json(text: &Option<String>) -> Value {
    let text = text.as_deref().expect("the member is present");
    serde_json::from_str(text).expect("the member is JSON")
}

/// The inspection data as JSON: each stage read back, absent ones left out.
fn stages(answer: &TestStateOutput) -> Value {
    let data = answer
        .inspection_data
        .as_ref()
        .expect("the answer inspects");
    let mut object = serde_json::Map::new();
    for (name, value) in [
        ("input", &data.input),
        ("afterArguments", &data.after_arguments),
        ("afterInputPath", &data.after_input_path),
        ("afterParameters", &data.after_parameters),
        ("result", &data.result),
        ("afterResultSelector", &data.after_result_selector),
        ("afterResultPath", &data.after_result_path),
        ("variables", &data.variables),
        ("afterItemsPath", &data.after_items_path),
        ("afterItemSelector", &data.after_item_selector),
    ] {
        if value.is_some() {
            object.insert(name.into(), json(value));
        }
    }
    if let Some(count) = data.max_concurrency {
        object.insert("maxConcurrency".into(), json!(count));
    }
    if let Some(count) = data.tolerated_failure_count {
        object.insert("toleratedFailureCount".into(), json!(count));
    }
    if let Some(percentage) = data.tolerated_failure_percentage {
        object.insert("toleratedFailurePercentage".into(), json!(percentage));
    }
    if let Some(details) = &data.error_details {
        let mut error = serde_json::Map::new();
        if let Some(index) = details.catch_index {
            error.insert("catchIndex".into(), json!(index));
        }
        if let Some(index) = details.retry_index {
            error.insert("retryIndex".into(), json!(index));
        }
        if let Some(seconds) = details.retry_backoff_interval_seconds {
            error.insert("retryBackoffIntervalSeconds".into(), json!(seconds));
        }
        object.insert("errorDetails".into(), Value::Object(error));
    }
    Value::Object(object)
}

fn nested_input() -> Value {
    json!({
        "initialData": {"fieldFromInput": "value from input", "otherField": "other"},
        "unrelatedData": {"someOtherField": 1234}
    })
}

fn io_pass() -> Value {
    json!({
        "Type": "Pass",
        "InputPath": "$.initialData",
        "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
        "ResultPath": "$.modifiedData",
        "End": true
    })
}

// ----- Pass -----

#[tokio::test]
async fn a_pass_state_shows_its_input_stages_as_aws_does() {
    // Recorded: IO_PASS_STATE at DEBUG.
    let engine = LocalEngine::new();
    let answer = tested(&engine, request(io_pass(), nested_input())).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state, None);
    let modified = json!({"staticValue": "some value", "inputValue": "value from input"});
    let mut output = nested_input();
    output["modifiedData"] = modified.clone();
    assert_eq!(json(&answer.output), output);
    assert_eq!(
        stages(&answer),
        json!({
            "input": nested_input(),
            "afterInputPath": {"fieldFromInput": "value from input", "otherField": "other"},
            "afterParameters": modified,
            "afterResultSelector": modified,
            "afterResultPath": output,
        })
    );
}

#[tokio::test]
async fn a_pass_state_with_a_result_shows_the_result_and_not_the_input_stages() {
    // Recorded: BASE_RESULT_PASS_STATE at DEBUG.
    let engine = LocalEngine::new();
    let definition = json!({"Type": "Pass", "Result": {"resultKey": "result value"}, "End": true});
    let answer = tested(&engine, request(definition, json!({"Value": "HelloWorld"}))).await;
    let result = json!({"resultKey": "result value"});
    assert_eq!(json(&answer.output), result);
    assert_eq!(
        stages(&answer),
        json!({
            "input": {"Value": "HelloWorld"},
            "result": result,
            "afterResultSelector": result,
            "afterResultPath": result,
        })
    );
}

#[tokio::test]
async fn info_gives_no_inspection_data_and_trace_gives_debugs() {
    let engine = LocalEngine::new();
    let mut info = request(io_pass(), nested_input());
    info.inspection_level = None;
    let answer = tested(&engine, info).await;
    assert_eq!(answer.inspection_data, None);
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    let mut trace = request(io_pass(), nested_input());
    trace.inspection_level = Some(InspectionLevel::Trace);
    let traced = tested(&engine, trace).await;
    let debugged = tested(&engine, request(io_pass(), nested_input())).await;
    assert_eq!(traced.inspection_data, debugged.inspection_data);
    let data = traced.inspection_data.expect("TRACE inspects");
    assert_eq!((data.request, data.response), (None, None));
}

#[tokio::test]
async fn a_jsonata_pass_state_sees_the_variables_given_and_shows_those_after_it() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": {
            "sum": "{% $sum($states.input.values) + $base %}",
            "name": "{% $states.context.State.Name %}"
        },
        "Assign": {"total": "{% $sum($states.input.values) %}"},
        "Next": "Report"
    });
    let mut asked = request(definition, json!({"values": [1, 2, 3]}));
    asked.variables = Some(json!({"base": 10, "kept": "yes"}).to_string());
    let answer = tested(&engine, asked).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state.as_deref(), Some("Report"));
    assert_eq!(
        json(&answer.output),
        json!({"sum": 16, "name": "StateName"})
    );
    assert_eq!(
        stages(&answer),
        json!({
            "input": {"values": [1, 2, 3]},
            "variables": {"base": 10, "kept": "yes", "total": 6},
        })
    );
}

#[tokio::test]
async fn jsonpath_assign_reads_the_result_and_variables_read_with_a_dollar() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Pass",
        "Parameters": {"greeting.$": "States.Format('hello {}', $who)"},
        "Assign": {"said.$": "$.greeting"},
        "End": true
    });
    let mut asked = request(definition, json!({}));
    asked.variables = Some(json!({"who": "ada"}).to_string());
    let answer = tested(&engine, asked).await;
    assert_eq!(json(&answer.output), json!({"greeting": "hello ada"}));
    assert_eq!(
        stages(&answer)["variables"],
        json!({"who": "ada", "said": "hello ada"})
    );
}

#[tokio::test]
async fn no_variables_are_shown_when_there_are_none() {
    let engine = LocalEngine::new();
    let answer = tested(
        &engine,
        request(json!({"Type": "Pass", "End": true}), json!({})),
    )
    .await;
    assert!(answer.inspection_data.expect("DEBUG").variables.is_none());
}

// ----- Choice, Wait, Succeed, Fail -----

fn base_choice() -> Value {
    json!({
        "Type": "Choice",
        "Choices": [
            {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
            {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
            {"And": [
                {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                {"Variable": "$.value", "NumericLessThan": 30}
            ], "Next": "ValueInTwenties"}
        ],
        "Default": "DefaultState"
    })
}

#[tokio::test]
async fn a_choice_state_goes_to_the_matching_rules_next() {
    // Recorded: BASE_CHOICE_STATE at DEBUG.
    let engine = LocalEngine::new();
    let input = json!({"type": "Private", "value": 22});
    let answer = tested(&engine, request(base_choice(), input.clone())).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state.as_deref(), Some("ValueInTwenties"));
    assert_eq!(json(&answer.output), input);
    assert_eq!(
        stages(&answer),
        json!({"input": input, "afterInputPath": input})
    );
    let default = tested(
        &engine,
        request(base_choice(), json!({"type": "Private", "value": 5})),
    )
    .await;
    assert_eq!(default.next_state.as_deref(), Some("DefaultState"));
}

#[tokio::test]
async fn a_choice_without_a_match_or_default_fails() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]
    });
    let answer = tested(&engine, request(definition, json!({"n": 2}))).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.NoChoiceMatched"));
    assert_eq!(answer.output, None);
    assert_eq!(answer.next_state, None);
}

#[tokio::test]
async fn a_jsonata_choice_assigns_with_its_rule_and_goes_to_its_next() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Choice",
        "QueryLanguage": "JSONata",
        "Choices": [{
            "Condition": "{% $states.input.n > $limit %}",
            "Assign": {"over": "{% $states.input.n - $limit %}"},
            "Output": {"big": true},
            "Next": "Big"
        }],
        "Default": "Small"
    });
    let mut asked = request(definition, json!({"n": 12}));
    asked.variables = Some(json!({"limit": 10}).to_string());
    let answer = tested(&engine, asked).await;
    assert_eq!(answer.next_state.as_deref(), Some("Big"));
    assert_eq!(json(&answer.output), json!({"big": true}));
    assert_eq!(
        stages(&answer),
        json!({"input": {"n": 12}, "variables": {"limit": 10, "over": 2}})
    );
}

#[tokio::test]
async fn a_wait_state_answers_at_once() {
    let engine = LocalEngine::new();
    let started = Instant::now();
    let definition =
        json!({"Type": "Wait", "Seconds": 86_400, "OutputPath": "$.a", "Next": "After"});
    let answer = tested(&engine, request(definition, json!({"a": [1]}))).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state.as_deref(), Some("After"));
    assert_eq!(json(&answer.output), json!([1]));
    let bad = json!({"Type": "Wait", "TimestampPath": "$.when", "End": true});
    let answer = tested(&engine, request(bad, json!({"when": "tomorrow"}))).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.Runtime"));
    assert!(
        answer
            .cause
            .as_deref()
            .is_some_and(|cause| cause.contains("TimestampPath")),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_succeed_state_gives_its_output_and_no_next_state() {
    // Recorded: BASE_SUCCEED_STATE at DEBUG.
    let engine = LocalEngine::new();
    let input = json!({"Value": "HelloWorld"});
    let answer = tested(&engine, request(json!({"Type": "Succeed"}), input.clone())).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state, None);
    assert_eq!(
        stages(&answer),
        json!({"input": input, "afterInputPath": input})
    );
}

#[tokio::test]
async fn a_fail_state_fails_with_its_error_and_cause() {
    // Recorded: BASE_FAIL_STATE at DEBUG.
    let engine = LocalEngine::new();
    let input = json!({"Value": "HelloWorld"});
    let definition = json!({
        "Type": "Fail",
        "Error": "SomeFailure",
        "Cause": "This state machines raises a 'SomeFailure' failure."
    });
    let answer = tested(&engine, request(definition, input.clone())).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("SomeFailure"));
    assert_eq!(
        answer.cause.as_deref(),
        Some("This state machines raises a 'SomeFailure' failure.")
    );
    assert_eq!(answer.output, None);
    assert_eq!(
        stages(&answer),
        json!({"input": input, "afterInputPath": input})
    );
    let from_input =
        json!({"Type": "Fail", "ErrorPath": "$.code", "CausePath": "States.Format('bad {}', $.n)"});
    let answer = tested(&engine, request(from_input, json!({"code": "E1", "n": 3}))).await;
    assert_eq!(answer.error.as_deref(), Some("E1"));
    assert_eq!(answer.cause.as_deref(), Some("bad 3"));
    let bare = tested(&engine, request(json!({"Type": "Fail"}), json!({}))).await;
    assert_eq!(bare.status, Some(TestExecutionStatus::Failed));
    assert_eq!((bare.error, bare.cause), (None, None));
}

// ----- Task -----

fn lambda_task() -> Value {
    json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.order",
        "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
        "ResultSelector": {"charged.$": "$.Payload.amount"},
        "ResultPath": "$.charge",
        "OutputPath": "$.charge",
        "Next": "Ship"
    })
}

#[tokio::test]
async fn a_mocked_task_shows_every_jsonpath_stage() {
    let engine = LocalEngine::new();
    let input = json!({"order": {"id": 7}});
    let answer = tested(
        &engine,
        mocked(
            request(lambda_task(), input.clone()),
            json!({"Payload": {"amount": 12}}),
        ),
    )
    .await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state.as_deref(), Some("Ship"));
    assert_eq!(json(&answer.output), json!({"charged": 12}));
    assert_eq!(
        stages(&answer),
        json!({
            "input": input,
            "afterInputPath": {"id": 7},
            "afterParameters": {"FunctionName": "charge", "Payload": {"id": 7}},
            "result": {"Payload": {"amount": 12}},
            "afterResultSelector": {"charged": 12},
            "afterResultPath": {"order": {"id": 7}, "charge": {"charged": 12}},
        })
    );
}

#[tokio::test]
async fn a_task_without_a_mock_runs_its_handler_and_needs_a_role() {
    let engine = LocalEngine::new();
    engine.register_handler("arn:aws:states:::lambda:invoke", |input, context| async move {
        Ok(json!({"Payload": {"amount": input["Payload"]["id"].as_i64().unwrap_or(0) * 2, "state": context["State"]["Name"]}}))
    });
    let input = json!({"order": {"id": 7}});
    // Recorded: a Task without a mock or a role.
    let error = refused(&engine, request(lambda_task(), input.clone())).await;
    assert_eq!(error.code(), "ValidationException");
    assert_eq!(
        error.message(),
        "RoleArn must be specified when testing a Task state"
    );
    let mut asked = request(lambda_task(), input);
    asked.role_arn = Some(ROLE.into());
    let answer = tested(&engine, asked).await;
    assert_eq!(
        answer.status,
        Some(TestExecutionStatus::Succeeded),
        "{answer:?}"
    );
    assert_eq!(json(&answer.output), json!({"charged": 14}));
    assert_eq!(
        stages(&answer)["result"],
        json!({"Payload": {"amount": 14, "state": "StateName"}})
    );
}

#[tokio::test]
async fn a_task_without_a_handler_fails_with_runtime() {
    let engine = LocalEngine::new();
    let mut asked = request(
        json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "End": true}),
        json!({}),
    );
    asked.role_arn = Some(ROLE.into());
    let answer = tested(&engine, asked).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.Runtime"));
    assert!(
        answer
            .cause
            .as_deref()
            .is_some_and(|cause| cause.contains("register_handler")),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_handlers_failure_and_timeout_are_the_tasks() {
    let engine = LocalEngine::new();
    engine.register_handler("arn:aws:states:::lambda:invoke", |_, _| async move {
        Err(TaskFailure::new("Lambda.Busy", "try later"))
    });
    engine.register_handler("arn:aws:states:::sqs:sendMessage", |_, _| async move {
        std::future::pending::<()>().await;
        Ok(Value::Null)
    });
    let mut busy = request(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Catch": [{"ErrorEquals": ["Lambda.Busy"], "ResultPath": "$.error", "Next": "Later"}],
               "End": true}),
        json!({"a": 1}),
    );
    busy.role_arn = Some(ROLE.into());
    let answer = tested(&engine, busy).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::CaughtError));
    assert_eq!(
        json(&answer.output),
        json!({"a": 1, "error": {"Error": "Lambda.Busy", "Cause": "try later"}})
    );
    let mut slow = request(
        json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
               "TimeoutSeconds": 1, "End": true}),
        json!({}),
    );
    slow.role_arn = Some(ROLE.into());
    let started = Instant::now();
    let answer = tested(&engine, slow).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.Timeout"));
    assert_eq!(answer.cause, None);
}

#[tokio::test]
async fn a_handlers_result_over_the_payload_limit_fails_the_task_catchably() {
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().payload_bytes(1000))
        .build();
    engine.register_handler("arn:aws:states:::lambda:invoke", |_, _| async move {
        Ok(json!("x".repeat(5000)))
    });
    let mut asked = request(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "TooBig"}],
               "End": true}),
        json!({}),
    );
    asked.role_arn = Some(ROLE.into());
    let answer = tested(&engine, asked).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::CaughtError));
    assert_eq!(answer.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(answer.next_state.as_deref(), Some("TooBig"));
}

#[tokio::test]
async fn activities_and_callbacks_run_only_with_a_mock() {
    let engine = LocalEngine::new();
    for resource in [
        "arn:aws:states:us-east-1:123456789012:activity:work",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
    ] {
        let mut asked = request(
            json!({"Type": "Task", "Resource": resource, "Parameters": {"token.$": "$$.Task.Token"}, "End": true}),
            json!({}),
        );
        asked.role_arn = Some(ROLE.into());
        let error = refused(&engine, asked.clone()).await;
        assert_eq!(error.code(), "ValidationException", "{resource}");
        assert!(error.message().contains("only with a mock"), "{error}");
        if resource.ends_with(".sync:2") {
            continue;
        }
        let answer = tested(&engine, mocked(asked, json!({"done": true}))).await;
        assert_eq!(
            answer.status,
            Some(TestExecutionStatus::Succeeded),
            "{resource}"
        );
        let token = &stages(&answer)["afterParameters"]["token"];
        assert!(
            token.as_str().is_some_and(|token| token.len() == 36),
            "{token}"
        );
    }
}

// ----- Retry and Catch -----

/// A catcher's output of everything `$states` offers it. AWS's recording
/// writes `{% $states %}`, which sfini's validator refuses (it takes
/// `$states` as a whole to read `$states.result` too).
const STATES: &str = "{% {'input': $states.input, 'context': $states.context, 'errorOutput': $states.errorOutput} %}";

fn jsonata_catching_task() -> Value {
    json!({
        "QueryLanguage": "JSONata",
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "foo", "Payload": "bar"},
        "Catch": [
            {"ErrorEquals": ["MockException"], "Output": STATES, "Next": "HandleMockError"},
            {"ErrorEquals": ["States.TaskFailed"], "Output": STATES, "Next": "HandleThreshold"}
        ],
        "End": true
    })
}

#[tokio::test]
async fn a_caught_error_gives_the_catchers_next_and_output() {
    // Recorded: BASE_TASK_STATE_CATCH at DEBUG, both mocked errors.
    let engine = LocalEngine::new();
    let input = json!({"Value": "HelloWorld"});
    for (error, cause, next, index) in [
        (
            "MockException",
            "Mock the cause of the error.",
            "HandleMockError",
            0,
        ),
        (
            "States.TaskFailed",
            "The task failed.",
            "HandleThreshold",
            1,
        ),
    ] {
        let mut asked = failing(
            request(jsonata_catching_task(), input.clone()),
            error,
            cause,
        );
        asked.role_arn = Some(ROLE.into());
        let answer = tested(&engine, asked).await;
        assert_eq!(answer.status, Some(TestExecutionStatus::CaughtError));
        assert_eq!(answer.error.as_deref(), Some(error));
        assert_eq!(answer.cause.as_deref(), Some(cause));
        assert_eq!(answer.next_state.as_deref(), Some(next));
        let output = json(&answer.output);
        assert_eq!(output["input"], input);
        assert_eq!(
            output["errorOutput"],
            json!({"Error": error, "Cause": cause})
        );
        let context = &output["context"];
        assert_eq!(
            context["State"],
            json!({"Name": "StateName", "EnteredTime": context["State"]["EnteredTime"], "RetryCount": 0})
        );
        assert_eq!(context["Execution"]["RoleArn"], json!(ROLE));
        assert!(
            context["Execution"]["Id"]
                .as_str()
                .is_some_and(|id| id.starts_with("arn:aws:states:us-east-1:123456789012:express:")),
            "{context}"
        );
        assert_eq!(
            stages(&answer),
            json!({
                "input": input,
                "afterArguments": {"FunctionName": "foo", "Payload": "bar"},
                "errorDetails": {"catchIndex": index},
            })
        );
    }
}

fn jsonata_retrying_task() -> Value {
    json!({
        "QueryLanguage": "JSONata",
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "foo", "Payload": "bar"},
        "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}],
        "End": true
    })
}

#[tokio::test]
async fn a_retried_error_is_retriable_until_the_retriers_attempts_are_used() {
    // Recorded: BASE_TASK_STATE_RETRY with retrierRetryCount 4 and 5.
    let engine = LocalEngine::new();
    let input = json!({"Values": ["first", "second", "third"]});
    let ask = |count| {
        retried(
            failing(
                request(jsonata_retrying_task(), input.clone()),
                "MockException",
                "Mock the cause of the error.",
            ),
            count,
        )
    };
    let answer = tested(&engine, ask(4)).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Retriable));
    assert_eq!(answer.error.as_deref(), Some("MockException"));
    assert_eq!(
        answer.cause.as_deref(),
        Some("Mock the cause of the error.")
    );
    assert_eq!(
        (answer.output.clone(), answer.next_state.clone()),
        (None, None)
    );
    assert_eq!(
        stages(&answer),
        json!({
            "input": input,
            "afterArguments": {"FunctionName": "foo", "Payload": "bar"},
            "errorDetails": {"retryIndex": 0, "retryBackoffIntervalSeconds": 16},
        })
    );
    let answer = tested(&engine, ask(5)).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(stages(&answer)["errorDetails"], json!({"retryIndex": 0}));
    let first = tested(&engine, ask(0)).await;
    assert_eq!(
        stages(&first)["errorDetails"],
        json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 1})
    );
}

#[tokio::test]
async fn a_retrier_used_up_leaves_the_error_to_the_catchers() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2, "MaxDelaySeconds": 3, "IntervalSeconds": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Recover"}],
        "End": true
    });
    let ask = |count| {
        retried(
            failing(request(definition.clone(), json!({"k": 1})), "Busy", "slow"),
            count,
        )
    };
    let second = tested(&engine, ask(1)).await;
    assert_eq!(second.status, Some(TestExecutionStatus::Retriable));
    assert_eq!(
        stages(&second)["errorDetails"],
        json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 3})
    );
    let caught = tested(&engine, ask(2)).await;
    assert_eq!(caught.status, Some(TestExecutionStatus::CaughtError));
    assert_eq!(caught.next_state.as_deref(), Some("Recover"));
    assert_eq!(
        json(&caught.output),
        json!({"k": 1, "failure": {"Error": "Busy", "Cause": "slow"}})
    );
    assert_eq!(
        stages(&caught)["errorDetails"],
        json!({"retryIndex": 0, "catchIndex": 0})
    );
}

#[tokio::test]
async fn runtime_errors_are_never_retried_or_caught() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
        "End": true
    });
    let answer = tested(
        &engine,
        failing(
            request(definition.clone(), json!({})),
            "States.Runtime",
            "broken",
        ),
    )
    .await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(stages(&answer).get("errorDetails"), None);
    // A path that matches nothing fails the data flow with States.Runtime.
    let mut missing = definition;
    missing["InputPath"] = json!("$.nowhere");
    let answer = tested(&engine, mocked(request(missing, json!({})), json!(1))).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        answer.cause.as_deref(),
        Some("Invalid path '$.nowhere' : No results for path: $['nowhere']")
    );
    assert!(
        answer
            .inspection_data
            .expect("DEBUG")
            .after_input_path
            .is_none()
    );
}

#[tokio::test]
async fn a_result_path_failure_is_caught_and_the_stages_before_it_are_shown() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "ResultPath": "$.a.b",
        "Catch": [{"ErrorEquals": ["States.ResultPathMatchFailure"], "Next": "Fix"}],
        "End": true
    });
    let answer = tested(
        &engine,
        mocked(request(definition, json!({"a": 1})), json!(2)),
    )
    .await;
    assert_eq!(answer.status, Some(TestExecutionStatus::CaughtError));
    assert_eq!(
        answer.error.as_deref(),
        Some("States.ResultPathMatchFailure")
    );
    let shown = stages(&answer);
    assert_eq!(shown["afterResultSelector"], json!(2));
    assert_eq!(shown.get("afterResultPath"), None);
}

#[tokio::test]
async fn a_jsonata_task_outputs_and_assigns_from_its_result() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": "arn:aws:states:::dynamodb:getItem",
        "Arguments": {"Key": {"id": "{% $states.input.id %}"}},
        "Output": "{% $states.result.Item.name %}",
        "Assign": {"seen": "{% $states.result.Item.name %}"},
        "Next": "Use"
    });
    let answer = tested(
        &engine,
        mocked(
            request(definition, json!({"id": 4})),
            json!({"Item": {"name": "four"}}),
        ),
    )
    .await;
    assert_eq!(answer.output.as_deref(), Some("\"four\""));
    assert_eq!(
        stages(&answer),
        json!({
            "input": {"id": 4},
            "afterArguments": {"Key": {"id": 4}},
            "result": {"Item": {"name": "four"}},
            "variables": {"seen": "four"},
        })
    );
    // A failing expression fails the state with States.QueryEvaluationError.
    let broken = json!({"Type": "Task", "QueryLanguage": "JSONata",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Output": "{% $states.result.n + 'x' %}", "End": true});
    let answer = tested(&engine, mocked(request(broken, json!({})), json!({"n": 1}))).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.QueryEvaluationError"));
}

// ----- Map and Parallel -----

fn map_state() -> Value {
    json!({
        "Type": "Map",
        "InputPath": "$.order",
        "ItemsPath": "$.lines",
        "ItemSelector": {"line.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
        "MaxConcurrency": 2,
        "ToleratedFailureCount": 1,
        "ItemProcessor": {
            "StartAt": "Line",
            "States": {"Line": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}
        },
        "Retry": [
            {"ErrorEquals": ["MockException"], "MaxAttempts": 3},
            {"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 2}
        ],
        "ResultPath": "$.done",
        "End": true
    })
}

#[tokio::test]
async fn a_mocked_map_shows_its_items_and_settings() {
    let engine = LocalEngine::new();
    let input = json!({"order": {"lines": ["a", "b"]}});
    let answer = tested(
        &engine,
        mocked(request(map_state(), input.clone()), json!([1, 2])),
    )
    .await;
    assert_eq!(
        answer.status,
        Some(TestExecutionStatus::Succeeded),
        "{answer:?}"
    );
    assert_eq!(
        json(&answer.output),
        json!({"order": {"lines": ["a", "b"]}, "done": [1, 2]})
    );
    assert_eq!(
        stages(&answer),
        json!({
            "input": input,
            "afterInputPath": {"lines": ["a", "b"]},
            "afterItemsPath": ["a", "b"],
            "afterItemSelector": [{"line": "a", "at": 0}, {"line": "b", "at": 1}],
            "maxConcurrency": 2,
            "toleratedFailureCount": 1,
            "afterResultSelector": [1, 2],
            "afterResultPath": {"order": {"lines": ["a", "b"]}, "done": [1, 2]},
        })
    );
}

#[tokio::test]
async fn failed_iterations_past_the_threshold_fail_the_map() {
    // Recorded: BASE_MAP_STATE_RETRY with mapIterationFailureCount 2.
    let engine = LocalEngine::new();
    let input = json!({"order": {"lines": ["a", "b", "c"]}});
    let ask = |failures| {
        let mut asked = mocked(request(map_state(), input.clone()), json!([1, 1, 1]));
        asked.state_configuration = Some(TestStateConfiguration {
            map_iteration_failure_count: Some(failures),
            ..Default::default()
        });
        asked
    };
    let within = tested(&engine, ask(1)).await;
    assert_eq!(within.status, Some(TestExecutionStatus::Succeeded));
    let over = tested(&engine, ask(2)).await;
    assert_eq!(over.status, Some(TestExecutionStatus::Retriable));
    assert_eq!(
        over.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(
        over.cause.as_deref(),
        Some("The specified tolerated failure threshold was exceeded")
    );
    assert_eq!(
        stages(&over)["errorDetails"],
        json!({"retryIndex": 1, "retryBackoffIntervalSeconds": 1})
    );
}

#[tokio::test]
async fn a_map_or_parallel_needs_a_mock_and_an_array() {
    let engine = LocalEngine::new();
    // Recorded: a Map without a mock.
    let error = refused(&engine, request(map_state(), json!({}))).await;
    assert_eq!(error.code(), "InvalidDefinition");
    assert_eq!(
        error.message(),
        "error[invalid-value] (top level): TestState API does not support Map or Parallel \
         states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"
    );
    let error = refused(&engine, mocked(request(map_state(), json!({})), json!({}))).await;
    assert_eq!(error.message(), "Mocked result must be an array.");
    let parallel = json!({
        "Type": "Parallel",
        "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
        ],
        "ResultSelector": {"first.$": "$[0]"},
        "Next": "Join"
    });
    let error = refused(
        &engine,
        mocked(request(parallel.clone(), json!({})), json!([1])),
    )
    .await;
    assert_eq!(
        error.message(),
        "Mocked result must contain the same number of items as number of Parallel branches."
    );
    let answer = tested(
        &engine,
        mocked(request(parallel.clone(), json!({})), json!([1, 2])),
    )
    .await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    assert_eq!(answer.next_state.as_deref(), Some("Join"));
    assert_eq!(json(&answer.output), json!({"first": 1}));
    let mut asked = failing(request(parallel, json!({})), "BranchFailed", "b");
    asked.state_configuration = Some(TestStateConfiguration {
        error_caused_by_state: Some("Nowhere".into()),
        ..Default::default()
    });
    let error = refused(&engine, asked.clone()).await;
    assert!(error.message().contains("`Nowhere`"), "{error}");
    asked.state_configuration = Some(TestStateConfiguration {
        error_caused_by_state: Some("B".into()),
        ..Default::default()
    });
    let answer = tested(&engine, asked).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("BranchFailed"));
}

// ----- Requests refused -----

#[tokio::test]
async fn mocks_are_refused_where_aws_refuses_them() {
    let engine = LocalEngine::new();
    // Recorded: a mock for Pass, Fail and Succeed states.
    for (definition, kind) in [
        (json!({"Type": "Pass", "End": true}), "Pass"),
        (json!({"Type": "Fail", "Error": "E"}), "Fail"),
        (json!({"Type": "Succeed"}), "Succeed"),
        (json!({"Type": "Wait", "Seconds": 1, "End": true}), "Wait"),
    ] {
        let error = refused(&engine, mocked(request(definition, json!({})), json!({}))).await;
        assert_eq!(
            error.message(),
            format!("State type '{kind}' is not supported when a mock is specified")
        );
    }
    // Recorded: both a result and an error.
    let mut both = mocked(request(lambda_task(), json!({})), json!({}));
    if let Some(mock) = &mut both.mock {
        mock.error_output = Some(MockErrorOutput {
            error: Some("E".into()),
            cause: None,
        });
    }
    let error = refused(&engine, both).await;
    assert_eq!(
        error.message(),
        "A test mock should have only one of the following fields: [result, errorOutput]."
    );
    // Recorded: revealSecrets with a mock.
    let mut secrets = mocked(request(lambda_task(), json!({})), json!({}));
    secrets.reveal_secrets = Some(true);
    let error = refused(&engine, secrets).await;
    assert_eq!(
        error.message(),
        "TestState does not support RevealSecrets when a mock is specified."
    );
    let mut not_json = request(lambda_task(), json!({}));
    not_json.mock = Some(MockInput {
        result: Some("not JSON string".into()),
        field_validation_mode: Some(MockResponseValidationMode::None),
        ..Default::default()
    });
    assert_eq!(
        refused(&engine, not_json).await.code(),
        "ValidationException"
    );
}

#[tokio::test]
async fn context_objects_are_taken_with_a_mock_and_checked() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"execution.$": "$$.Execution.Name", "state.$": "$$.State.Name"},
        "End": true
    });
    let with = |context: Value| {
        let mut asked = mocked(request(definition.clone(), json!({})), json!(1));
        asked.context = Some(context.to_string());
        asked
    };
    let answer = tested(
        &engine,
        with(json!({"Execution": {"Name": "run-1"}, "State": {"Name": "Charge", "RetryCount": 2}})),
    )
    .await;
    assert_eq!(
        stages(&answer)["afterParameters"],
        json!({"execution": "run-1", "state": "Charge"})
    );
    // Recorded: AWS's words for context objects it refuses.
    for (context, words) in [
        (
            json!({"Map": {}}),
            "'Map' field is not supported when mocking a Context object",
        ),
        (json!({"Pokedex": {}}), "Field 'Pokedex' is not allowed"),
        (
            json!({"Execution": {"pokemon": 1}}),
            "Field 'pokemon' is not allowed",
        ),
        (
            json!({"Execution": {"Id": 5}}),
            "Execution.Id must be a string",
        ),
        (
            json!({"Task": {"Token": "t"}}),
            "Context object contains 'Task' when state is not a Task state with a '.sync' or \
             '.waitForTaskToken' service integration pattern",
        ),
    ] {
        let error = refused(&engine, with(context)).await;
        assert_eq!(error.code(), "ValidationException");
        assert_eq!(
            error.message(),
            format!("Invalid Context object provided: {words}")
        );
    }
    let mut without_mock = request(json!({"Type": "Pass", "End": true}), json!({}));
    without_mock.context = Some("{}".into());
    assert_eq!(
        refused(&engine, without_mock).await.code(),
        "ValidationException"
    );
}

#[tokio::test]
async fn bad_inputs_variables_and_roles_are_refused_by_name() {
    let engine = LocalEngine::new();
    let pass = json!({"Type": "Pass", "End": true});
    let mut not_json = request(pass.clone(), json!({}));
    not_json.input = Some("{".into());
    assert_eq!(
        refused(&engine, not_json).await.code(),
        "InvalidExecutionInput"
    );
    for variables in ["[1]", "{\"states\": 1}", "{\"1a\": 1}", "nope"] {
        let mut asked = request(pass.clone(), json!({}));
        asked.variables = Some(variables.into());
        assert_eq!(
            refused(&engine, asked).await.code(),
            "ValidationException",
            "{variables}"
        );
    }
    let mut role = request(pass.clone(), json!({}));
    role.role_arn = Some("admin".into());
    assert_eq!(refused(&engine, role).await.code(), "InvalidArn");
}

// ----- Definitions -----

#[tokio::test]
async fn problems_of_a_single_state_are_located_from_the_state() {
    let engine = LocalEngine::new();
    let definition = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"a.$": "$..["},
        "Nxt": "Done"
    });
    let error = refused(&engine, request(definition, json!({}))).await;
    let SfnError::InvalidDefinition { diagnostics, .. } = &error else {
        panic!("{error}");
    };
    let locations: Vec<String> = diagnostics
        .errors()
        .map(|diagnostic| diagnostic.location.to_string())
        .collect();
    assert!(
        locations.iter().any(|at| at.starts_with("Parameters")),
        "{locations:?}"
    );
    assert!(
        locations.iter().all(|at| !at.contains("StateName")),
        "{locations:?}"
    );
    let error = refused(
        &engine,
        request(json!({"StartAt": "A", "States": {}}), json!({})),
    )
    .await;
    assert!(error.message().contains("stateName"), "{error}");
    let error = refused(&engine, request(json!([1]), json!({}))).await;
    assert_eq!(error.code(), "InvalidDefinition");
}

#[tokio::test]
async fn a_state_may_go_to_a_state_named_as_the_one_tested_is_checked() {
    let engine = LocalEngine::new();
    let answer = tested(
        &engine,
        request(json!({"Type": "Pass", "Next": "StateName"}), json!({})),
    )
    .await;
    assert_eq!(answer.next_state.as_deref(), Some("StateName"));
}

fn machine() -> Value {
    json!({
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.cost", "NumericLessThan": 10, "Next": "Approved"}], "Default": "Each"},
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Result": "inner", "End": true}}},
                "Next": "Approved"
            },
            "Approved": {"Type": "Succeed"}
        }
    })
}

#[tokio::test]
async fn a_state_of_a_whole_machine_is_tested_by_name() {
    let engine = LocalEngine::new();
    let with = |name: &str, input: Value| {
        let mut asked = request(machine(), input);
        asked.state_name = Some(name.into());
        asked
    };
    let answer = tested(&engine, with("Check", json!({"cost": 9}))).await;
    assert_eq!(answer.next_state.as_deref(), Some("Approved"));
    let answer = tested(&engine, with("Check", json!({"cost": 10}))).await;
    assert_eq!(answer.next_state.as_deref(), Some("Each"));
    let answer = tested(&engine, with("Inner", json!({}))).await;
    assert_eq!(answer.output.as_deref(), Some("\"inner\""));
    let error = refused(&engine, with("Missing", json!({}))).await;
    assert_eq!(error.code(), "ValidationException");
    let mut broken = machine();
    broken["States"]["Check"]["Default"] = json!("Nowhere");
    let mut asked = request(broken, json!({}));
    asked.state_name = Some("Check".into());
    assert_eq!(refused(&engine, asked).await.code(), "InvalidDefinition");
}

#[tokio::test]
async fn the_trait_object_answers_as_the_engine_does() {
    let engine: Arc<dyn StepFunctions> = Arc::new(LocalEngine::new());
    let answer = engine
        .test_state(request(io_pass(), nested_input()))
        .await
        .expect("answered");
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
}

// ----- Hostile requests -----

#[tokio::test]
async fn deep_and_huge_requests_are_refused_without_harm() {
    let engine = LocalEngine::new();
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut asked = request(json!({"Type": "Pass", "End": true}), json!({}));
    asked.input = Some(deep.clone());
    assert_eq!(
        refused(&engine, asked).await.code(),
        "InvalidExecutionInput"
    );
    let mut deep_definition = request(json!({}), json!({}));
    deep_definition.definition =
        format!("{{\"Type\": \"Pass\", \"Result\": {deep}, \"End\": true}}");
    assert_eq!(
        refused(&engine, deep_definition).await.code(),
        "InvalidDefinition"
    );
    let mut huge = request(json!({"Type": "Pass", "End": true}), json!({}));
    huge.input = Some(format!("\"{}\"", "x".repeat(300 * 1024)));
    assert_eq!(refused(&engine, huge).await.code(), "InvalidExecutionInput");
    let mut long = request(json!({}), json!({}));
    long.definition = format!("{{\"Comment\": \"{}\"}}", "x".repeat(1_100_000));
    assert_eq!(refused(&engine, long).await.code(), "ValidationException");
    let mut deep_variables = request(json!({"Type": "Pass", "End": true}), json!({}));
    deep_variables.variables = Some(format!("{{\"v\": {deep}}}"));
    assert_eq!(
        refused(&engine, deep_variables).await.code(),
        "ValidationException"
    );
    let mut deep_mock = mocked(request(lambda_task(), json!({})), json!(1));
    if let Some(mock) = &mut deep_mock.mock {
        mock.result = Some(deep);
    }
    assert_eq!(
        refused(&engine, deep_mock).await.code(),
        "ValidationException"
    );
}

#[tokio::test]
async fn data_built_past_the_limits_fails_the_state_within_bounds() {
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().payload_bytes(4096))
        .build();
    // Parameters that build more than the payload limit.
    let doubling = json!({
        "Type": "Pass",
        "Parameters": {"a.$": "States.ArrayRange(1, 1000, 1)", "b.$": "States.ArrayRange(1, 1000, 1)"},
        "End": true
    });
    let answer = tested(&engine, request(doubling, json!({}))).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.DataLimitExceeded"));
    // A JSONata expression that never ends on its own.
    let started = Instant::now();
    let endless = json!({
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": "{% ($f := function($n) { $f($n + 1) }; $f(0)) %}",
        "End": true
    });
    let answer = tested(&engine, request(endless, json!({}))).await;
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.QueryEvaluationError"));
    // Variables that assign more than the payload limit.
    let assigning = json!({
        "Type": "Pass",
        "Assign": {"big.$": "States.ArrayRange(1, 900, 1)", "more.$": "States.ArrayRange(1, 900, 1)"},
        "End": true
    });
    let answer = tested(&engine, request(assigning, json!({}))).await;
    assert_eq!(answer.status, Some(TestExecutionStatus::Failed));
    assert_eq!(answer.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[tokio::test]
async fn a_map_of_many_items_shows_their_inputs_only_within_the_payload_limit() {
    let engine = LocalEngine::new();
    let items: Vec<Value> = (0..20_000).map(Value::from).collect();
    let definition = json!({
        "Type": "Map",
        "ItemSelector": {"value.$": "$$.Map.Item.Value", "note": "an iteration's input"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true
    });
    let started = Instant::now();
    let answer = tested(
        &engine,
        mocked(request(definition, json!(items)), json!([])),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(answer.status, Some(TestExecutionStatus::Succeeded));
    let data = answer.inspection_data.expect("DEBUG");
    assert!(data.after_item_selector.is_none());
    assert!(data.after_items_path.is_some());
}
