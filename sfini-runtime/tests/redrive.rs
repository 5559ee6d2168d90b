//! `RedriveExecution` on the local engine, on the virtual clock: a failed,
//! aborted or timed-out execution resumes from its unsuccessful state, its
//! history going on, and what may not be redriven is refused.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::{LocalEngine, TaskFailure};
use support::{ROLE, history, start};
use time::OffsetDateTime;
use time::macros::datetime;

const START: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);
const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .build()
}

async fn machine(engine: &LocalEngine, definition: Value, express: bool) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: "redriven".into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            state_machine_type: express.then_some(StateMachineType::Express),
            ..Default::default()
        })
        .await
        .unwrap()
        .state_machine_arn
}

async fn redrive(
    engine: &LocalEngine,
    execution: &str,
) -> Result<RedriveExecutionOutput, SfnError> {
    engine
        .redrive_execution(RedriveExecutionInput {
            execution_arn: execution.into(),
            client_token: None,
        })
        .await
}

fn types(events: &[HistoryEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|event| event.event_type().as_str())
        .collect()
}

async fn describe(engine: &LocalEngine, execution: &str) -> DescribeExecutionOutput {
    engine
        .describe_execution(DescribeExecutionInput {
            execution_arn: execution.into(),
        })
        .await
        .unwrap()
}

/// A Pass state that assigns a variable, then a Task state whose function
/// fails its first `failures` calls; the Task's result reads the variable.
async fn failing_task(engine: &LocalEngine, failures: usize) -> String {
    let calls = Arc::new(AtomicUsize::new(0));
    engine.register_handler(FUNCTION, move |input: Value, _context| {
        let call = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            if call < failures {
                return Err(TaskFailure::new("Boom", format!("call {call}")));
            }
            Ok(json!({"done": input["order"], "call": call}))
        }
    });
    machine(
        engine,
        json!({
            "StartAt": "prepare",
            "States": {
                "prepare": {
                    "Type": "Pass",
                    "Assign": {"kept.$": "$.order"},
                    "Next": "work"
                },
                "work": {
                    "Type": "Task",
                    "Resource": FUNCTION,
                    "ResultSelector": {"done.$": "$.done", "call.$": "$.call", "kept.$": "$kept",
                        "count.$": "$$.Execution.RedriveCount"},
                    "End": true
                }
            }
        }),
        false,
    )
    .await
}

#[tokio::test(start_paused = true)]
async fn a_failed_task_is_redriven_and_succeeds() {
    let engine = engine();
    let machine = failing_task(&engine, 1).await;
    let execution = start(&engine, &machine, json!({"order": 7})).await;
    let failed = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(failed.status, ExecutionStatus::Failed);
    assert_eq!(
        failed.redrive_status,
        Some(ExecutionRedriveStatus::Redrivable)
    );
    assert_eq!(failed.redrive_status_reason, None);
    assert_eq!(failed.redrive_count, 0);
    let first = history(&engine, &execution).await;
    assert_eq!(first.len(), 8);

    tokio::time::sleep(Duration::from_secs(60)).await;
    let redriven = redrive(&engine, &execution).await.unwrap();
    assert_eq!(redriven.redrive_date, START + Duration::from_secs(60));
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.redrive_count, 1);
    assert_eq!(done.redrive_date, Some(START + Duration::from_secs(60)));
    assert_eq!(
        done.redrive_status,
        Some(ExecutionRedriveStatus::NotRedrivable)
    );
    assert_eq!(
        done.redrive_status_reason.as_deref(),
        Some("Execution is SUCCEEDED and cannot be redriven")
    );
    // The Task ran again with its input, and the variable assigned before
    // the failure is still in scope; the Pass state did not run again.
    assert_eq!(
        serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(),
        json!({"done": 7, "call": 1, "kept": 7, "count": 1})
    );
    let events = history(&engine, &execution).await;
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed",
            "ExecutionRedriven",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
    );
    let ids: Vec<(i64, i64)> = events
        .iter()
        .map(|event| (event.id, event.previous_event_id))
        .collect();
    assert_eq!(ids[8], (9, 8));
    assert_eq!(ids[9], (10, 9));
    assert_eq!(ids[14], (15, 14));
    assert_eq!(events[8].timestamp, START + Duration::from_secs(60));
    match &events[8].details {
        EventDetails::ExecutionRedriven(details) => assert_eq!(details.redrive_count, 1),
        other => panic!("not a redrive's event: {other:?}"),
    }
    match &events[9].details {
        EventDetails::TaskStateEntered(details) => {
            assert_eq!(details.name, "work");
            assert_eq!(details.input.as_deref(), Some(r#"{"order":7}"#));
        }
        other => panic!("not the Task's entry: {other:?}"),
    }
    // A succeeded execution is not redriven again.
    let refused = redrive(&engine, &execution).await.unwrap_err();
    assert_eq!(refused.code(), "ExecutionNotRedrivable");
}

#[tokio::test(start_paused = true)]
async fn the_redrive_count_grows_with_each_redrive() {
    let engine = engine();
    let machine = failing_task(&engine, 2).await;
    let execution = start(&engine, &machine, json!({"order": 1})).await;
    engine.wait_for_execution(&execution).await.unwrap();
    redrive(&engine, &execution).await.unwrap();
    let again = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(again.status, ExecutionStatus::Failed);
    assert_eq!(again.redrive_count, 1);
    redrive(&engine, &execution).await.unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.redrive_count, 2);
    let events = history(&engine, &execution).await;
    let counts: Vec<i32> = events
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::ExecutionRedriven(details) => Some(details.redrive_count),
            _ => None,
        })
        .collect();
    assert_eq!(counts, [1, 2]);
}

fn waiting() -> Value {
    json!({
        "StartAt": "first",
        "States": {
            "first": {"Type": "Pass", "Result": {"n": 1}, "Next": "pause"},
            "pause": {"Type": "Wait", "Seconds": 100, "Next": "last"},
            "last": {"Type": "Pass", "End": true}
        }
    })
}

#[tokio::test(start_paused = true)]
async fn an_aborted_execution_resumes_at_the_state_it_was_stopped_in() {
    let engine = engine();
    let machine = machine(&engine, waiting(), false).await;
    let execution = start(&engine, &machine, json!({})).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: execution.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let stopped = describe(&engine, &execution).await;
    assert_eq!(stopped.status, ExecutionStatus::Aborted);
    assert_eq!(
        stopped.redrive_status,
        Some(ExecutionRedriveStatus::Redrivable)
    );
    redrive(&engine, &execution).await.unwrap();
    assert_eq!(
        describe(&engine, &execution).await.status,
        ExecutionStatus::Running
    );
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"n":1}"#));
    assert_eq!(
        types(&history(&engine, &execution).await),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "WaitStateEntered",
            "WaitStateAborted",
            "ExecutionAborted",
            "ExecutionRedriven",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_execution_is_redriven() {
    let engine = engine();
    let mut definition = waiting();
    definition["TimeoutSeconds"] = json!(50);
    definition["States"]["pause"]["Seconds"] = json!(40);
    definition["States"]["first"]["Next"] = json!("pause");
    definition["States"]["pause"]["Next"] = json!("again");
    definition["States"]["again"] = json!({"Type": "Wait", "Seconds": 40, "Next": "last"});
    let machine = machine(&engine, definition, false).await;
    let execution = start(&engine, &machine, json!({})).await;
    let timed_out = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(timed_out.status, ExecutionStatus::TimedOut);
    assert_eq!(
        timed_out.redrive_status,
        Some(ExecutionRedriveStatus::Redrivable)
    );
    redrive(&engine, &execution).await.unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let events = types(&history(&engine, &execution).await);
    assert_eq!(
        events[6..],
        [
            "WaitStateAborted",
            "ExecutionTimedOut",
            "ExecutionRedriven",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn what_may_not_be_redriven_is_refused() {
    let engine = engine();
    // Running.
    let machine_arn = machine(&engine, waiting(), false).await;
    let running = start(&engine, &machine_arn, json!({})).await;
    let refused = redrive(&engine, &running).await.unwrap_err();
    assert_eq!(refused.code(), "ExecutionNotRedrivable");
    assert!(
        refused
            .to_string()
            .contains("Execution is RUNNING and cannot be redriven")
    );
    let described = describe(&engine, &running).await;
    assert_eq!(
        described.redrive_status,
        Some(ExecutionRedriveStatus::NotRedrivable)
    );

    // Past 14 days after its stop.
    let engine = self::engine();
    let machine_arn = failing_task(&engine, 1).await;
    let old = start(&engine, &machine_arn, json!({"order": 1})).await;
    engine.wait_for_execution(&old).await.unwrap();
    tokio::time::sleep(Duration::from_secs(15 * 24 * 3600)).await;
    let described = describe(&engine, &old).await;
    assert_eq!(
        described.redrive_status,
        Some(ExecutionRedriveStatus::NotRedrivable)
    );
    assert_eq!(
        described.redrive_status_reason.as_deref(),
        Some("Execution redrivable period exceeded")
    );
    let refused = redrive(&engine, &old).await.unwrap_err();
    assert_eq!(refused.code(), "ExecutionNotRedrivable");

    // Express executions: their ARNs are refused as AWS refuses them.
    let engine = self::engine();
    let express = machine(
        &engine,
        json!({"StartAt": "fail", "States": {"fail": {"Type": "Fail", "Error": "E"}}}),
        true,
    )
    .await;
    let execution = start(&engine, &express, json!({})).await;
    assert!(redrive(&engine, &execution).await.is_err());

    let engine = self::engine();
    let parallel = machine(
        &engine,
        json!({"StartAt": "fail", "States": {"fail": {"Type": "Fail", "Error": "E"}}}),
        false,
    )
    .await;
    let execution = start(&engine, &parallel, json!({})).await;
    engine.wait_for_execution(&execution).await.unwrap();

    // No such execution.
    let missing = execution.replace(":redriven:", ":other:");
    let refused = redrive(&engine, &missing).await.unwrap_err();
    assert_eq!(refused.code(), "ExecutionDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn an_execution_handle_redrives() {
    let engine = engine();
    let machine = failing_task(&engine, 1).await;
    let arn = start(&engine, &machine, json!({"order": 3})).await;
    let sfn = sfini_runtime::client::Sfn::from_local(engine.clone());
    let execution = sfn.execution(arn.clone());
    engine.wait_for_execution(&arn).await.unwrap();
    assert_eq!(execution.redrive().await.unwrap(), START);
    let done = engine.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    // A second redrive of the succeeded execution is refused.
    assert!(execution.redrive().await.is_err());
}

#[tokio::test(start_paused = true)]
async fn a_repeated_client_token_answers_as_before() {
    let engine = engine();
    let machine = failing_task(&engine, 5).await;
    let arn = start(&engine, &machine, json!({"order": 3})).await;
    engine.wait_for_execution(&arn).await.unwrap();
    let input = RedriveExecutionInput {
        execution_arn: arn.clone(),
        client_token: Some("once".into()),
    };
    let first = engine.redrive_execution(input.clone()).await.unwrap();
    engine.wait_for_execution(&arn).await.unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let again = engine.redrive_execution(input).await.unwrap();
    assert_eq!(again, first);
    assert_eq!(describe(&engine, &arn).await.redrive_count, 1);
    let refused = engine
        .redrive_execution(RedriveExecutionInput {
            execution_arn: arn,
            client_token: Some(String::new()),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "ValidationException");
}

#[tokio::test(start_paused = true)]
async fn a_redriven_execution_is_not_dropped_for_its_earlier_close() {
    // One closed execution kept: a redriven one, running again, stays,
    // though the queue of closed executions still names its first close.
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .limits(sfini_runtime::local::EngineLimits::default().retain_closed_executions(1))
        .build();
    let machine = machine(&engine, waiting(), false).await;
    let first = start(&engine, &machine, json!({})).await;
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: first.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    redrive(&engine, &first).await.unwrap();
    let second = start(&engine, &machine, json!({})).await;
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: second.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        describe(&engine, &first).await.status,
        ExecutionStatus::Running
    );
    // Once it closes again, it is the one kept.
    let done = engine.wait_for_execution(&first).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(describe(&engine, &first).await.redrive_count, 1);
}

#[tokio::test(start_paused = true)]
async fn an_execution_is_redriven_at_most_a_thousand_times() {
    let engine = engine();
    let machine = machine(
        &engine,
        json!({
            "StartAt": "fail",
            "States": {"fail": {"Type": "Fail", "Error": "Broken"}}
        }),
        false,
    )
    .await;
    let arn = start(&engine, &machine, json!({})).await;
    engine.wait_for_execution(&arn).await.unwrap();
    for _ in 0..1000 {
        redrive(&engine, &arn).await.unwrap();
        let done = engine.wait_for_execution(&arn).await.unwrap();
        assert_eq!(done.status, ExecutionStatus::Failed);
    }
    assert_eq!(describe(&engine, &arn).await.redrive_count, 1000);
    let refused = redrive(&engine, &arn).await.unwrap_err();
    assert_eq!(refused.code(), "ExecutionLimitExceeded");
    assert!(refused.to_string().contains("1000"), "{refused}");
    // The refused redrive left the execution as it was.
    let last = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: arn.clone(),
            max_results: 1,
            reverse_order: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .events;
    assert_eq!(last[0].id, 3 + 1000 * 3);
    assert_eq!(types(&last), ["ExecutionFailed"]);
}

/// Calls of the function `FUNCTION` by the key of their input: the first
/// call for a key listed in `flaky` fails.
fn flaky_function(engine: &LocalEngine, flaky: &[&str]) -> Arc<std::sync::Mutex<Vec<String>>> {
    let calls = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let flaky: Vec<String> = flaky.iter().map(|key| (*key).to_owned()).collect();
    let seen = calls.clone();
    engine.register_handler(FUNCTION, move |input: Value, _context| {
        let key = input["key"].as_str().unwrap_or_default().to_owned();
        let first = {
            let mut calls = seen.lock().unwrap();
            let first = !calls.contains(&key);
            calls.push(key.clone());
            first
        };
        let fails = first && flaky.contains(&key);
        async move {
            if fails {
                return Err(TaskFailure::new("Flaky", key));
            }
            Ok(json!({"did": key}))
        }
    });
    calls
}

fn task(key: &str, end: bool) -> Value {
    let mut state = json!({
        "Type": "Task",
        "Resource": FUNCTION,
        "Parameters": {"key": key},
        "ResultSelector": {"did.$": "$.did"}
    });
    if end {
        state["End"] = json!(true);
    }
    state
}

/// A Map processor whose one Task calls `FUNCTION` with its item as `key`.
fn item_processor() -> Value {
    json!({"StartAt": "work", "States": {"work": {
        "Type": "Task",
        "Resource": FUNCTION,
        "ResultSelector": {"did.$": "$.did"},
        "End": true
    }}})
}

#[tokio::test(start_paused = true)]
async fn a_parallel_state_redrives_only_its_failed_branch_from_its_failed_state() {
    let engine = engine();
    let calls = flaky_function(&engine, &["b2"]);
    let mut b1 = task("b1", false);
    b1["Next"] = json!("b2");
    let machine = machine(
        &engine,
        json!({
            "StartAt": "both",
            "States": {
                "both": {
                    "Type": "Parallel",
                    "Next": "after",
                    "Branches": [
                        {"StartAt": "a", "States": {"a": task("a", true)}},
                        {"StartAt": "b1", "States": {"b1": b1, "b2": task("b2", true)}}
                    ]
                },
                "after": {"Type": "Pass", "End": true}
            }
        }),
        false,
    )
    .await;
    let execution = start(&engine, &machine, json!({})).await;
    let failed = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(failed.status, ExecutionStatus::Failed);
    assert_eq!(
        failed.redrive_status,
        Some(ExecutionRedriveStatus::Redrivable)
    );
    let before = history(&engine, &execution).await.len();
    let mut first = calls.lock().unwrap().clone();
    first.sort();
    assert_eq!(first, ["a", "b1", "b2"]);

    redrive(&engine, &execution).await.unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    // Branch a and the state b1 that succeeded did not run again; b2 did.
    assert_eq!(calls.lock().unwrap().len(), 4);
    assert_eq!(calls.lock().unwrap()[3], "b2");
    assert_eq!(
        serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(),
        json!([{"did": "a"}, {"did": "b2"}])
    );
    let events = history(&engine, &execution).await;
    assert_eq!(
        types(&events[before..]),
        [
            "ExecutionRedriven",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
    );
    match &events[before + 3].details {
        EventDetails::TaskStateEntered(details) => assert_eq!(details.name, "b2"),
        other => panic!("not b2's entry: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_map_state_redrives_only_its_failed_iterations() {
    map_redrives_only_its_failed_iterations(item_processor()).await;
}

#[tokio::test(start_paused = true)]
async fn a_distributed_map_state_redrives_only_its_failed_child_executions() {
    let mut processor = item_processor();
    processor["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
    map_redrives_only_its_failed_iterations(processor).await;
}

/// A Map over five items with `processor`, whose item `"1"` fails once:
/// its redrive runs only the items that did not succeed.
async fn map_redrives_only_its_failed_iterations(processor: Value) {
    let engine = engine();
    let calls = flaky_function(&engine, &["1"]);
    let machine = machine(
        &engine,
        json!({
            "StartAt": "each",
            "States": {
                "each": {
                    "Type": "Map",
                    "End": true,
                    "MaxConcurrency": 2,
                    "ItemSelector": {"key.$": "$$.Map.Item.Value"},
                    "ItemProcessor": processor
                }
            }
        }),
        false,
    )
    .await;
    let execution = start(&engine, &machine, json!(["0", "1", "2", "3", "4"])).await;
    let failed = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(failed.status, ExecutionStatus::Failed);
    let ran_first = calls.lock().unwrap().len();

    redrive(&engine, &execution).await.unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(
        serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(),
        json!([{"did": "0"}, {"did": "1"}, {"did": "2"}, {"did": "3"}, {"did": "4"}])
    );
    // Only the items that did not succeed ran in the redrive: the failed
    // ones and the ones the failure cut short or never started.
    let all = calls.lock().unwrap().clone();
    let redriven = &all[ran_first..];
    let succeeded_first: Vec<&String> = all[..ran_first]
        .iter()
        .filter(|key| key.as_str() != "1")
        .collect();
    assert!(!succeeded_first.is_empty(), "{all:?}");
    for key in redriven {
        assert!(
            !succeeded_first.contains(&key),
            "{key} ran again though it succeeded: {all:?}"
        );
    }
    assert!(redriven.contains(&"1".to_owned()), "{all:?}");
    let mut every: Vec<&String> = all.iter().collect();
    every.sort();
    every.dedup();
    assert_eq!(every.len(), 5, "{all:?}");
}

#[tokio::test(start_paused = true)]
async fn an_aborted_parallel_state_resumes_only_the_branch_that_was_running() {
    let engine = engine();
    let calls = flaky_function(&engine, &[]);
    let machine = machine(
        &engine,
        json!({
            "StartAt": "both",
            "States": {
                "both": {
                    "Type": "Parallel",
                    "End": true,
                    "Branches": [
                        {"StartAt": "quick", "States": {"quick": task("quick", true)}},
                        {"StartAt": "slow", "States": {
                            "slow": {"Type": "Wait", "Seconds": 3600, "Next": "last"},
                            "last": task("last", true)
                        }}
                    ]
                }
            }
        }),
        false,
    )
    .await;
    let execution = start(&engine, &machine, json!({})).await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: execution.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(*calls.lock().unwrap(), ["quick"]);
    redrive(&engine, &execution).await.unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(*calls.lock().unwrap(), ["quick", "last"]);
    assert_eq!(
        serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(),
        json!([{"did": "quick"}, {"did": "last"}])
    );
    // The Wait ran again in full: an hour after the redrive.
    assert_eq!(done.stop_date, Some(START + Duration::from_secs(60 + 3600)));
}

#[tokio::test(start_paused = true)]
async fn a_map_within_a_parallel_branch_redrives_its_failed_iteration_only() {
    let engine = engine();
    let calls = flaky_function(&engine, &["y"]);
    let machine = machine(
        &engine,
        json!({
            "StartAt": "both",
            "States": {
                "both": {
                    "Type": "Parallel",
                    "End": true,
                    "Branches": [
                        {"StartAt": "one", "States": {"one": task("one", true)}},
                        {"StartAt": "each", "States": {"each": {
                            "Type": "Map",
                            "End": true,
                            "ItemsPath": "$.items",
                            "ItemSelector": {"key.$": "$$.Map.Item.Value"},
                            "ItemProcessor": item_processor()
                        }}}
                    ]
                }
            }
        }),
        false,
    )
    .await;
    let execution = start(&engine, &machine, json!({"items": ["x", "y", "z"]})).await;
    let failed = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(failed.status, ExecutionStatus::Failed);
    let first = calls.lock().unwrap().len();
    redrive(&engine, &execution).await.unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let all = calls.lock().unwrap().clone();
    assert!(!all[first..].contains(&"one".to_owned()), "{all:?}");
    assert!(all[first..].contains(&"y".to_owned()), "{all:?}");
    assert_eq!(
        serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(),
        json!([{"did": "one"}, [{"did": "x"}, {"did": "y"}, {"did": "z"}]])
    );
}

#[tokio::test(start_paused = true)]
async fn a_retried_parallel_state_runs_every_branch_again() {
    // Within a run, a retry of a Parallel state runs all its branches: what
    // a redrive would keep is not used.
    let engine = engine();
    let calls = flaky_function(&engine, &["b"]);
    let machine = machine(
        &engine,
        json!({
            "StartAt": "both",
            "States": {
                "both": {
                    "Type": "Parallel",
                    "End": true,
                    "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}],
                    "Branches": [
                        {"StartAt": "a", "States": {"a": task("a", true)}},
                        {"StartAt": "b", "States": {"b": task("b", true)}}
                    ]
                }
            }
        }),
        false,
    )
    .await;
    let execution = start(&engine, &machine, json!({})).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let mut all = calls.lock().unwrap().clone();
    all.sort();
    assert_eq!(all, ["a", "a", "b", "b"]);
}

#[tokio::test(start_paused = true)]
async fn listing_by_redrive_fills_each_page_with_executions_that_match() {
    let engine = engine();
    let machine = machine(
        &engine,
        json!({"StartAt": "fail", "States": {"fail": {"Type": "Fail", "Error": "E"}}}),
        false,
    )
    .await;
    let mut executions = Vec::new();
    for _ in 0..4 {
        let arn = start(&engine, &machine, json!({})).await;
        engine.wait_for_execution(&arn).await.unwrap();
        executions.push(arn);
    }
    // The first and the third are redriven: pages of one hold one each.
    for arn in [&executions[0], &executions[2]] {
        redrive(&engine, arn).await.unwrap();
        engine.wait_for_execution(arn).await.unwrap();
    }
    let pages = |filter| {
        let engine = engine.clone();
        let machine = machine.clone();
        async move {
            let mut pages = Vec::new();
            let mut next_token = None;
            loop {
                let page = engine
                    .list_executions(ListExecutionsInput {
                        state_machine_arn: machine.clone(),
                        max_results: 1,
                        next_token,
                        redrive_filter: Some(filter),
                        ..Default::default()
                    })
                    .await
                    .unwrap();
                let arns: Vec<String> = page
                    .executions
                    .iter()
                    .map(|item| item.execution_arn.clone())
                    .collect();
                pages.push(arns);
                next_token = page.next_token;
                if next_token.is_none() {
                    return pages;
                }
            }
        }
    };
    // Newest first.
    assert_eq!(
        pages(ExecutionRedriveFilter::Redriven).await,
        [vec![executions[2].clone()], vec![executions[0].clone()]]
    );
    assert_eq!(
        pages(ExecutionRedriveFilter::NotRedriven).await,
        [vec![executions[3].clone()], vec![executions[1].clone()]]
    );
}
