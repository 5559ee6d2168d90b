//! Express state machines on the local engine, on the virtual clock:
//! `StartSyncExecution` (success, failure, the five-minute timeout, a
//! Standard machine refused), and what AWS does not offer for Express
//! executions (DescribeExecution, GetExecutionHistory, StopExecution,
//! ListExecutions), while Standard executions stay as they were.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::LocalEngine;
use time::OffsetDateTime;
use time::macros::datetime;

const START: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);
const ROLE: &str = "arn:aws:iam::123456789012:role/test";

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .build()
}

async fn create(
    engine: &LocalEngine,
    name: &str,
    kind: StateMachineType,
    definition: Value,
) -> Result<String, SfnError> {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            state_machine_type: Some(kind),
            ..Default::default()
        })
        .await
        .map(|created| created.state_machine_arn)
}

async fn sync(engine: &LocalEngine, machine: &str, input: Value) -> StartSyncExecutionOutput {
    StepFunctions::start_sync_execution(
        engine,
        StartSyncExecutionInput {
            state_machine_arn: machine.into(),
            name: Some("run".into()),
            input: Some(input.to_string()),
            trace_header: Some("Root=1-abc".into()),
        },
    )
    .await
    .expect("a synchronous execution")
}

fn waiting(seconds: u64) -> Value {
    json!({"StartAt": "w", "States": {
        "w": {"Type": "Wait", "Seconds": seconds, "Next": "done"},
        "done": {"Type": "Pass", "Result": "waited", "End": true}
    }})
}

#[tokio::test(start_paused = true)]
async fn a_sync_execution_answers_when_it_succeeds() {
    let engine = engine();
    let machine = create(
        &engine,
        "quick",
        StateMachineType::Express,
        json!({"StartAt": "p", "States": {
            "p": {"Type": "Pass", "Parameters": {"got.$": "$.n"}, "Next": "w"},
            "w": {"Type": "Wait", "Seconds": 2, "End": true}
        }}),
    )
    .await
    .unwrap();
    let done = sync(&engine, &machine, json!({"n": 7})).await;
    assert_eq!(done.status, SyncExecutionStatus::Succeeded);
    assert_eq!(
        done.execution_arn.rsplit_once(':').map(|(start, _)| start),
        Some("arn:aws:states:us-east-1:123456789012:express:quick:run")
    );
    assert_eq!(done.state_machine_arn.as_deref(), Some(machine.as_str()));
    assert_eq!(done.name.as_deref(), Some("run"));
    assert_eq!(done.start_date, START);
    assert_eq!(done.stop_date - done.start_date, time::Duration::seconds(2));
    assert_eq!(done.input.as_deref(), Some(r#"{"n":7}"#));
    assert_eq!(done.output.as_deref(), Some(r#"{"got":7}"#));
    assert_eq!(
        (done.input_included, done.output_included),
        (Some(true), Some(true))
    );
    assert_eq!((done.error, done.cause), (None, None));
    assert_eq!(done.trace_header.as_deref(), Some("Root=1-abc"));
    assert_eq!(
        done.billing_details,
        Some(BillingDetails {
            billed_memory_used_in_mb: 64,
            billed_duration_in_milliseconds: 2000,
        })
    );

    // A name may be used again: each Express execution has its own ARN.
    let again = sync(&engine, &machine, json!({"n": 8})).await;
    assert_eq!(again.status, SyncExecutionStatus::Succeeded);
    assert_ne!(again.execution_arn, done.execution_arn);
}

#[tokio::test(start_paused = true)]
async fn a_failed_sync_execution_answers_its_error_and_cause() {
    let engine = engine();
    let machine = create(
        &engine,
        "failing",
        StateMachineType::Express,
        json!({"StartAt": "f", "States": {
            "f": {"Type": "Fail", "Error": "SomeFailure",
                  "Cause": "This state machines raises a 'SomeFailure' failure."}
        }}),
    )
    .await
    .unwrap();
    let done = sync(&engine, &machine, json!({})).await;
    assert_eq!(done.status, SyncExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("SomeFailure"));
    assert_eq!(
        done.cause.as_deref(),
        Some("This state machines raises a 'SomeFailure' failure.")
    );
    assert_eq!(done.output, None);
    // As AWS's recordings show for a failed execution.
    assert_eq!(done.output_included, Some(true));
}

#[tokio::test(start_paused = true)]
async fn an_express_execution_times_out_at_five_minutes() {
    let engine = engine();
    let machine = create(&engine, "slow", StateMachineType::Express, waiting(301))
        .await
        .unwrap();
    let done = sync(&engine, &machine, json!({})).await;
    assert_eq!(done.status, SyncExecutionStatus::TimedOut);
    assert_eq!(done.stop_date - done.start_date, time::Duration::minutes(5));
    assert_eq!(done.output, None);

    // Just within the five minutes, it succeeds.
    let machine = create(&engine, "in-time", StateMachineType::Express, waiting(299))
        .await
        .unwrap();
    let done = sync(&engine, &machine, json!({})).await;
    assert_eq!(done.status, SyncExecutionStatus::Succeeded);

    // A machine's TimeoutSeconds may make it shorter, never longer.
    let mut shorter = waiting(60);
    shorter["TimeoutSeconds"] = json!(10);
    let machine = create(&engine, "shorter", StateMachineType::Express, shorter)
        .await
        .unwrap();
    let done = sync(&engine, &machine, json!({})).await;
    assert_eq!(done.status, SyncExecutionStatus::TimedOut);
    assert_eq!(
        done.stop_date - done.start_date,
        time::Duration::seconds(10)
    );
    let mut longer = waiting(600);
    longer["TimeoutSeconds"] = json!(3600);
    let machine = create(&engine, "longer", StateMachineType::Express, longer)
        .await
        .unwrap();
    let done = sync(&engine, &machine, json!({})).await;
    assert_eq!(done.status, SyncExecutionStatus::TimedOut);
    assert_eq!(done.stop_date - done.start_date, time::Duration::minutes(5));
}

#[tokio::test(start_paused = true)]
async fn a_standard_machine_is_refused_and_runs_as_before() {
    let engine = engine();
    let machine = create(
        &engine,
        "standard",
        StateMachineType::Standard,
        waiting(600),
    )
    .await
    .unwrap();
    let refused = StepFunctions::start_sync_execution(
        &engine,
        StartSyncExecutionInput {
            state_machine_arn: machine.clone(),
            ..Default::default()
        },
    )
    .await
    .expect_err("Standard machines have no synchronous executions");
    assert_eq!(refused.code(), "StateMachineTypeNotSupported");

    // A Standard execution still runs past five minutes and is described.
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(started.execution_arn.contains(":execution:standard:"));
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started.execution_arn,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!history.events.is_empty());

    let missing = StepFunctions::start_sync_execution(
        &engine,
        StartSyncExecutionInput {
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:none".into(),
            ..Default::default()
        },
    )
    .await
    .expect_err("no such machine");
    assert_eq!(missing.code(), "StateMachineDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn express_executions_are_neither_described_nor_their_history_given() {
    let engine = engine();
    let machine = create(
        &engine,
        "asynchronous",
        StateMachineType::Express,
        waiting(1),
    )
    .await
    .unwrap();
    // StartExecution of an Express machine starts it, as on AWS.
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(started.execution_arn.contains(":express:asynchronous:"));
    tokio::time::sleep(Duration::from_secs(5)).await;
    let described = engine
        .describe_execution(DescribeExecutionInput {
            execution_arn: started.execution_arn.clone(),
        })
        .await
        .expect_err("not described");
    assert_eq!(described.code(), "InvalidArn");
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started.execution_arn.clone(),
            ..Default::default()
        })
        .await
        .expect_err("no history");
    assert_eq!(history.code(), "InvalidArn");
    let stopped = engine
        .stop_execution(StopExecutionInput {
            execution_arn: started.execution_arn.clone(),
            ..Default::default()
        })
        .await
        .expect_err("not stopped");
    assert_eq!(stopped.code(), "InvalidArn");
    let listed = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: machine.clone(),
            ..Default::default()
        })
        .await
        .expect_err("not listed");
    assert_eq!(listed.code(), "StateMachineTypeNotSupported");
    let done = sync(&engine, &machine, json!({})).await;
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: done.execution_arn,
            ..Default::default()
        })
        .await
        .expect_err("no history");
    assert_eq!(history.code(), "InvalidArn");
}

#[tokio::test(start_paused = true)]
async fn express_machines_refuse_sync_and_callback_resources_but_run_activities() {
    let engine = engine();
    for resource in [
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
    ] {
        let definition = json!({"StartAt": "t", "States": {
            "t": {"Type": "Task", "Resource": resource, "End": true}
        }});
        let refused = create(
            &engine,
            "callback",
            StateMachineType::Express,
            definition.clone(),
        )
        .await
        .expect_err("refused for Express");
        assert_eq!(refused.code(), "InvalidDefinition", "{resource}");
        assert!(
            refused.to_string().contains("/States/t/Resource"),
            "{refused}"
        );
        // Standard machines take it.
        create(&engine, "callback", StateMachineType::Standard, definition)
            .await
            .expect("a Standard machine");
        engine
            .delete_state_machine(DeleteStateMachineInput {
                state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:callback"
                    .into(),
            })
            .await
            .unwrap();
    }
    // Nor may an update bring one in.
    let machine = create(&engine, "updated", StateMachineType::Express, waiting(1))
        .await
        .unwrap();
    let refused = engine
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: machine,
            definition: Some(
                json!({"StartAt": "t", "States": {"t": {"Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}})
                .to_string(),
            ),
            ..Default::default()
        })
        .await
        .expect_err("refused for Express");
    assert_eq!(refused.code(), "InvalidDefinition");

    // An activity runs in an Express execution.
    let activity = engine
        .create_activity(CreateActivityInput {
            name: "work".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn;
    let machine = create(
        &engine,
        "with-activity",
        StateMachineType::Express,
        json!({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": activity, "End": true}}}),
    )
    .await
    .unwrap();
    let worker = {
        let engine = engine.clone();
        let activity = activity.clone();
        tokio::spawn(async move {
            let task = engine
                .get_activity_task(GetActivityTaskInput {
                    activity_arn: activity,
                    worker_name: None,
                })
                .await
                .unwrap();
            engine
                .send_task_success(SendTaskSuccessInput {
                    task_token: task.task_token.expect("a task"),
                    output: r#"{"worked":true}"#.into(),
                })
                .await
                .unwrap();
        })
    };
    let done = sync(&engine, &machine, json!({})).await;
    worker.await.unwrap();
    assert_eq!(done.status, SyncExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"worked":true}"#));
}

/// The calls of a function: each call's `step`, with the virtual time in
/// seconds.
type Calls = Arc<Mutex<Vec<(String, u64)>>>;

/// An engine that reruns asynchronous Express executions, or not, with a
/// Lambda function that records its calls.
fn recording_engine(rerun: bool) -> (LocalEngine, Calls) {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .rerun_async_express(rerun)
        .build();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let recorded = calls.clone();
    let clock = engine.clock().clone();
    engine.register_handler(
        "arn:aws:lambda:us-east-1:123456789012:function:charge",
        move |input: Value, _context| {
            let at = (clock.now() - START).whole_seconds().unsigned_abs();
            let step = input["step"].as_str().unwrap_or_default().to_owned();
            recorded.lock().unwrap().push((step, at));
            async move { Ok(json!({})) }
        },
    );
    (engine, calls)
}

/// Charges, waits a minute, sends a receipt.
fn charging() -> Value {
    charging_after(60)
}

/// Charges, waits `seconds`, sends a receipt.
fn charging_after(seconds: u64) -> Value {
    let task = |step: &str| {
        json!({"Type": "Task",
               "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
               "Parameters": {"step": step}})
    };
    let mut charge = task("charge");
    charge["Next"] = json!("w");
    let mut receipt = task("receipt");
    receipt["End"] = json!(true);
    json!({"StartAt": "charge", "States": {
        "charge": charge,
        "w": {"Type": "Wait", "Seconds": seconds, "Next": "receipt"},
        "receipt": receipt
    }})
}

fn steps(calls: &Mutex<Vec<(String, u64)>>) -> Vec<(String, u64)> {
    calls.lock().unwrap().clone()
}

fn step(name: &str, at: u64) -> (String, u64) {
    (name.to_owned(), at)
}

async fn start_async(engine: &LocalEngine, machine: &str) {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            ..Default::default()
        })
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn asynchronous_express_executions_may_run_twice_as_aws_runs_them_at_least_once() {
    let (engine, calls) = recording_engine(true);
    let express = create(&engine, "pay", StateMachineType::Express, charging())
        .await
        .unwrap();
    start_async(&engine, &express).await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    // The whole workflow ran twice, one run after the other.
    assert_eq!(
        steps(&calls),
        [
            step("charge", 0),
            step("receipt", 60),
            step("charge", 60),
            step("receipt", 120)
        ]
    );

    // A synchronous Express execution runs at most once.
    calls.lock().unwrap().clear();
    let answered = sync(&engine, &express, json!({})).await;
    assert_eq!(answered.status, SyncExecutionStatus::Succeeded);
    assert_eq!(steps(&calls).len(), 2);

    // A Standard execution runs exactly once.
    calls.lock().unwrap().clear();
    let standard = create(&engine, "standard", StateMachineType::Standard, charging())
        .await
        .unwrap();
    start_async(&engine, &standard).await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(steps(&calls).len(), 2);
}

#[tokio::test(start_paused = true)]
async fn by_default_an_asynchronous_express_execution_runs_once() {
    let (engine, calls) = recording_engine(false);
    let express = create(&engine, "pay", StateMachineType::Express, charging())
        .await
        .unwrap();
    start_async(&engine, &express).await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(steps(&calls), [step("charge", 0), step("receipt", 60)]);
}

#[tokio::test(start_paused = true)]
async fn the_five_minutes_of_an_express_execution_count_across_both_runs() {
    let (engine, calls) = recording_engine(true);
    let express = create(
        &engine,
        "slow",
        StateMachineType::Express,
        charging_after(200),
    )
    .await
    .unwrap();
    start_async(&engine, &express).await;
    tokio::time::sleep(Duration::from_secs(900)).await;
    // The second run charged at 200 s and timed out at 300 s, before its
    // receipt.
    assert_eq!(
        steps(&calls),
        [step("charge", 0), step("receipt", 200), step("charge", 200)]
    );
}
