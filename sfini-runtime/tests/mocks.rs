//! Test cases of a mock configuration on the local engine: a workflow that
//! calls Lambda, waits for an SQS callback, writes to DynamoDB and runs a
//! nested state machine, run end to end with no handler registered, its
//! retries fed by `Throw`s; and what is refused, with where.

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::mock::{MockConfig, MockedResponse, TestCase};
use time::macros::datetime;

const ROLE: &str = "arn:aws:iam::123456789012:role/mocks";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:price";

/// An order workflow: price it (Lambda, retried on throttling), ask a
/// person to approve it (SQS with a task token), store it (DynamoDB), ship
/// it (a nested state machine, `.sync:2`), and record a failure to store
/// it in a catcher.
fn order_workflow() -> Value {
    json!({
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": LAMBDA, "Payload.$": "$"},
                "ResultSelector": {"total.$": "$.Payload.total"},
                "ResultPath": "$.price",
                "Retry": [{
                    "ErrorEquals": ["Lambda.TooManyRequestsException"],
                    "IntervalSeconds": 2,
                    "MaxAttempts": 3,
                    "BackoffRate": 2
                }],
                "Next": "Approve"
            },
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                    "MessageBody": {"token.$": "$$.Task.Token", "total.$": "$.price.total"}
                },
                "ResultPath": "$.approval",
                "Next": "Store"
            },
            "Store": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {
                    "TableName": "orders",
                    "Item": {"id": {"S.$": "$.id"}}
                },
                "ResultPath": null,
                "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "ResultPath": "$.stored", "Next": "Duplicate"}],
                "Next": "Ship"
            },
            "Ship": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {
                    "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:shipping",
                    "Input": {"id.$": "$.id"}
                },
                "ResultSelector": {"tracking.$": "$.Output.tracking"},
                "ResultPath": "$.shipping",
                "End": true
            },
            "Duplicate": {"Type": "Pass", "End": true}
        }
    })
}

fn mock_config() -> MockConfig {
    MockConfig::from_json(
        &json!({
            "StateMachines": {
                "orders": {
                    "TestCases": {
                        "HappyPath": {
                            "Price": "PriceAfterThrottling",
                            "Approve": "Approved",
                            "Store": "Stored",
                            "Ship": "Shipped"
                        },
                        "Duplicate": {
                            "Price": "PriceAfterThrottling",
                            "Approve": "Approved",
                            "Store": "AlreadyStored"
                        },
                        "AlwaysThrottled": {"Price": "AlwaysThrottled"},
                        "NotApproved": {"Price": "PriceAfterThrottling", "Approve": "Rejected"}
                    }
                }
            },
            "MockedResponses": {
                "PriceAfterThrottling": {
                    "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}},
                    "2": {"Return": {"StatusCode": 200, "Payload": {"total": 42}}}
                },
                "AlwaysThrottled": {
                    "0-9": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}}
                },
                "Approved": {"0": {"Return": {"approved": true, "by": "ada"}}},
                "Rejected": {"0": {"Throw": {"Error": "Rejected", "Cause": "too expensive"}}},
                "Stored": {"0": {"Return": {}}},
                "AlreadyStored": {"0": {"Throw": {"Error": "DynamoDB.ConditionalCheckFailedException", "Cause": "The conditional request failed"}}},
                "Shipped": {"0": {"Return": {"Status": "SUCCEEDED", "Output": {"tracking": "T-1"}}}}
            }
        })
        .to_string(),
    )
    .expect("the mock configuration is valid")
}

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
        .mock_config(mock_config())
        .build()
}

async fn create(engine: &LocalEngine, name: &str, definition: &Value) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .expect("the machine is created")
        .state_machine_arn
}

async fn run(
    engine: &LocalEngine,
    arn: &str,
    input: Value,
) -> (DescribeExecutionOutput, Vec<HistoryEvent>) {
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: arn.to_string(),
            input: Some(input.to_string()),
            ..Default::default()
        })
        .await
        .expect("the execution starts");
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .expect("the execution exists");
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started.execution_arn,
            max_results: 1000,
            ..Default::default()
        })
        .await
        .expect("the history is read")
        .events;
    (done, history)
}

fn types(history: &[HistoryEvent]) -> Vec<String> {
    history
        .iter()
        .map(|event| event.event_type().to_string())
        .collect()
}

fn output(done: &DescribeExecutionOutput) -> Value {
    serde_json::from_str(done.output.as_deref().expect("an output")).expect("JSON output")
}

#[tokio::test(start_paused = true)]
async fn the_happy_path_runs_end_to_end_with_retries_fed_by_throws() {
    let engine = engine();
    let arn = create(&engine, "orders", &order_workflow()).await;
    let started_at = tokio::time::Instant::now();
    let (done, history) = run(&engine, &format!("{arn}#HappyPath"), json!({"id": "o-7"})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        output(&done),
        json!({
            "id": "o-7",
            "price": {"total": 42},
            "approval": {"approved": true, "by": "ada"},
            "shipping": {"tracking": "T-1"}
        })
    );
    // The machine's ARN is described without the test case.
    assert_eq!(done.state_machine_arn, arn);
    // Two throttled attempts were retried after 2 and 4 seconds.
    assert_eq!(started_at.elapsed().as_secs(), 6);
    let expected: Vec<&str> = vec![
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskFailed",
        "TaskScheduled",
        "TaskStarted",
        "TaskFailed",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(types(&history), expected);
    let failed = history
        .iter()
        .find_map(|event| match &event.details {
            EventDetails::TaskFailed(details) => Some(details),
            _ => None,
        })
        .expect("a TaskFailed event");
    assert_eq!(
        failed.error.as_deref(),
        Some("Lambda.TooManyRequestsException")
    );
    assert_eq!(failed.cause.as_deref(), Some("Rate exceeded"));
    // The callback task was scheduled with its token, as the real one is.
    let scheduled = history
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::TaskScheduled(details) => Some(details),
            _ => None,
        })
        .nth(3)
        .expect("the Approve task's TaskScheduled");
    let parameters: Value = serde_json::from_str(&scheduled.parameters).unwrap();
    assert!(
        parameters["MessageBody"]["token"]
            .as_str()
            .is_some_and(|token| !token.is_empty())
    );
    // The nested execution's submission holds the finished job.
    let submitted: Vec<&sfini_runtime::api::history::TaskOutputDetails> = history
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::TaskSubmitted(details) => Some(details),
            _ => None,
        })
        .collect();
    assert_eq!(submitted[0].output.as_deref(), Some("{}"));
    assert_eq!(
        serde_json::from_str::<Value>(submitted[1].output.as_deref().unwrap()).unwrap(),
        json!({"Status": "SUCCEEDED", "Output": {"tracking": "T-1"}})
    );
}

#[tokio::test(start_paused = true)]
async fn a_thrown_error_is_caught_and_unmocked_states_are_not_reached() {
    let engine = engine();
    let arn = create(&engine, "orders", &order_workflow()).await;
    let (done, history) = run(&engine, &format!("{arn}#Duplicate"), json!({"id": "o-8"})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        output(&done)["stored"],
        json!({"Error": "DynamoDB.ConditionalCheckFailedException", "Cause": "The conditional request failed"})
    );
    assert_eq!(
        types(&history).last().map(String::as_str),
        Some("ExecutionSucceeded")
    );
}

#[tokio::test(start_paused = true)]
async fn retries_run_out_and_a_thrown_callback_failure_fails_the_execution() {
    let engine = engine();
    let arn = create(&engine, "orders", &order_workflow()).await;
    let (done, history) = run(
        &engine,
        &format!("{arn}#AlwaysThrottled"),
        json!({"id": "o"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        done.error.as_deref(),
        Some("Lambda.TooManyRequestsException")
    );
    assert_eq!(done.cause.as_deref(), Some("Rate exceeded"));
    assert_eq!(
        types(&history)
            .iter()
            .filter(|t| *t == "TaskFailed")
            .count(),
        4
    );

    let (done, history) = run(&engine, &format!("{arn}#NotApproved"), json!({"id": "o"})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Rejected"));
    assert_eq!(done.cause.as_deref(), Some("too expensive"));
    // A thrown callback fails without being submitted.
    assert_eq!(
        types(&history)[12..],
        [
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "ExecutionFailed"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn an_attempt_past_the_listed_answers_fails_the_execution() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
        .build();
    let arn = create(&engine, "orders", &order_workflow()).await;
    let started = engine
        .start_test_case(
            StartExecutionInput {
                state_machine_arn: arn,
                ..Default::default()
            },
            TestCase::new("OneThrottle").mock(
                "Price",
                MockedResponse::new("Once").then_throw("Lambda.TooManyRequestsException", "slow"),
            ),
        )
        .await
        .expect("the test case starts");
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "the test case `OneThrottle` has no answer for attempt 1 of the state `Price`: its \
             mocked response `Once` answers 1 attempt"
        )
    );
}

#[tokio::test(start_paused = true)]
async fn each_map_iteration_starts_at_the_first_answer() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
        .build();
    let definition = json!({
        "StartAt": "Each",
        "States": {"Each": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Call",
                "States": {"Call": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
                    "End": true
                }}
            },
            "End": true
        }}
    });
    let arn = create(&engine, "each", &definition).await;
    let started = engine
        .start_test_case(
            StartExecutionInput {
                state_machine_arn: arn,
                input: Some("[1, 2, 3]".into()),
                ..Default::default()
            },
            TestCase::new("t").mock(
                "Call",
                MockedResponse::new("flaky")
                    .then_throw("Flaky", "first try")
                    .then_return(json!("done")),
            ),
        )
        .await
        .unwrap();
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(output(&done), json!(["done", "done", "done"]));
}

#[tokio::test]
async fn test_cases_that_do_not_fit_are_refused_with_what_is_wrong() {
    let engine = engine();
    let arn = create(&engine, "orders", &order_workflow()).await;
    let start = |machine: String| {
        let engine = engine.clone();
        async move {
            engine
                .start_execution(StartExecutionInput {
                    state_machine_arn: machine,
                    ..Default::default()
                })
                .await
                .expect_err("refused")
        }
    };
    let error = start(format!("{arn}#SadPath")).await;
    assert_eq!(error.code(), "ValidationException");
    assert_eq!(
        error.message(),
        "test case `SadPath` of state machine `orders`: the mock configuration has no test case \
         `SadPath` for `orders` (there are `HappyPath`, `Duplicate`, `AlwaysThrottled`, \
         `NotApproved`)"
    );
    let other = create(&engine, "other", &order_workflow()).await;
    let error = start(format!("{other}#HappyPath")).await;
    assert_eq!(error.code(), "ValidationException");
    assert!(
        error
            .message()
            .contains("no state machine named `other` (there are `orders`)")
    );
    let error = start(format!("{arn}x#HappyPath")).await;
    assert_eq!(error.code(), "StateMachineDoesNotExist");

    let plain = LocalEngine::new();
    let arn = create(&plain, "orders", &order_workflow()).await;
    let error = plain
        .start_execution(StartExecutionInput {
            state_machine_arn: format!("{arn}#HappyPath"),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), "InvalidArn");
    assert!(
        error
            .message()
            .contains("the engine has no mock configuration")
    );

    for (state, says) in [
        ("Nowhere", "which the state machine `orders` does not have"),
        (
            "Duplicate",
            "which the state machine `orders` has, but not as a Task state: only Task states are mocked",
        ),
    ] {
        let error = plain
            .start_test_case(
                StartExecutionInput {
                    state_machine_arn: arn.clone(),
                    ..Default::default()
                },
                TestCase::new("t").mock(state, MockedResponse::new("r").then_return(json!(1))),
            )
            .await
            .unwrap_err();
        assert_eq!(error.code(), "ValidationException");
        assert_eq!(
            error.message(),
            format!("the test case `t` mocks the state `{state}`, {says}")
        );
    }
}
