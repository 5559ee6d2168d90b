//! The local engine run through the `StepFunctions` API, on the virtual
//! clock: outputs, errors and the exact histories AWS records.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::{LocalEngine, TaskFailure};
use time::OffsetDateTime;
use time::macros::datetime;

const START: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);
const ROLE: &str = "arn:aws:iam::123456789012:role/test";

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .build()
}

async fn machine(engine: &LocalEngine, name: &str, definition: Value) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .state_machine_arn
}

async fn start(engine: &LocalEngine, machine: &str, input: Value) -> String {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            input: Some(input.to_string()),
            ..Default::default()
        })
        .await
        .unwrap()
        .execution_arn
}

async fn run(
    engine: &LocalEngine,
    definition: Value,
    input: Value,
) -> (DescribeExecutionOutput, Vec<HistoryEvent>) {
    let machine = machine(engine, "machine", definition).await;
    let execution = start(engine, &machine, input).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    (done, history(engine, &execution).await)
}

async fn history(engine: &LocalEngine, execution: &str) -> Vec<HistoryEvent> {
    engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: execution.into(),
            max_results: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .events
}

fn types(events: &[HistoryEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|event| event.event_type().as_str())
        .collect()
}

fn output(done: &DescribeExecutionOutput) -> Value {
    serde_json::from_str(done.output.as_deref().expect("an output")).unwrap()
}

async fn activity(engine: &LocalEngine, name: &str) -> String {
    engine
        .create_activity(CreateActivityInput {
            name: name.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn
}

/// Serves an activity: answers each task with `answer(input, attempt)`.
fn serve<F>(engine: &LocalEngine, activity: &str, answer: F) -> tokio::task::JoinHandle<()>
where
    F: Fn(Value, usize) -> Result<Value, (String, String)> + Send + 'static,
{
    let engine = engine.clone();
    let activity = activity.to_string();
    tokio::spawn(async move {
        let mut attempt = 0;
        loop {
            let task = engine
                .get_activity_task(GetActivityTaskInput {
                    activity_arn: activity.clone(),
                    worker_name: Some("worker-1".into()),
                })
                .await
                .unwrap();
            let Some(token) = task.task_token else {
                continue;
            };
            let input: Value = serde_json::from_str(task.input.as_deref().unwrap()).unwrap();
            attempt += 1;
            match answer(input, attempt) {
                Ok(output) => {
                    engine
                        .send_task_success(SendTaskSuccessInput {
                            task_token: token,
                            output: output.to_string(),
                        })
                        .await
                        .unwrap();
                }
                Err((error, cause)) => {
                    engine
                        .send_task_failure(SendTaskFailureInput {
                            task_token: token,
                            error: Some(error),
                            cause: Some(cause),
                        })
                        .await
                        .unwrap();
                }
            }
        }
    })
}

fn activity_task(arn: &str, extra: Value) -> Value {
    let mut state = json!({"Type": "Task", "Resource": arn});
    for (key, value) in extra.as_object().unwrap() {
        state[key] = value.clone();
    }
    state
}

#[tokio::test(start_paused = true)]
async fn pass_and_choice_loop_until_done() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({
            "StartAt": "init",
            "States": {
                "init": {"Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "add"},
                "add": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "check"},
                "check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 2, "Next": "add"}], "Default": "done"},
                "done": {"Type": "Succeed", "OutputPath": "$.n"}
            }
        }),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&done), json!(2));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded",
        ]
    );
    // Ids from 1; the first state follows no event, as AWS records it.
    assert_eq!((events[0].id, events[0].previous_event_id), (1, 0));
    assert_eq!((events[1].id, events[1].previous_event_id), (2, 0));
    assert_eq!(events[2].previous_event_id, 2);
    let EventDetails::PassStateExited(exited) = &events[2].details else {
        panic!()
    };
    assert_eq!(exited.name, "init");
    assert_eq!(exited.output.as_deref(), Some(r#"{"n":0}"#));
    let EventDetails::ExecutionStarted(started) = &events[0].details else {
        panic!()
    };
    assert_eq!(started.role_arn.as_deref(), Some(ROLE));
    assert!(events.iter().all(|event| event.timestamp == START));
}

#[tokio::test(start_paused = true)]
async fn an_activity_is_served_by_a_worker() {
    let engine = engine();
    let add = activity(&engine, "add").await;
    serve(&engine, &add, |input, _| {
        Ok(json!(
            input["a"].as_i64().unwrap() + input["b"].as_i64().unwrap()
        ))
    });
    let (done, events) = run(
        &engine,
        json!({
            "StartAt": "add",
            "States": {"add": {"Type": "Task",
                "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:add",
                "ResultPath": "$.sum", "End": true}}
        }),
        json!({"a": 3, "b": 42}),
    )
    .await;
    assert_eq!(output(&done), json!({"a": 3, "b": 42, "sum": 45}));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let previous: Vec<i64> = events.iter().map(|event| event.previous_event_id).collect();
    assert_eq!(previous, [0, 0, 2, 3, 4, 5, 6]);
    let EventDetails::ActivityScheduled(scheduled) = &events[2].details else {
        panic!()
    };
    assert_eq!(scheduled.resource, add);
    assert_eq!(scheduled.input.as_deref(), Some(r#"{"a":3,"b":42}"#));
    let EventDetails::ActivityStarted(started) = &events[3].details else {
        panic!()
    };
    assert_eq!(started.worker_name.as_deref(), Some("worker-1"));
    let EventDetails::ActivitySucceeded(succeeded) = &events[4].details else {
        panic!()
    };
    assert_eq!(succeeded.output.as_deref(), Some("45"));
}

#[tokio::test(start_paused = true)]
async fn retries_wait_interval_times_backoff_rate() {
    let engine = engine();
    let flaky = activity(&engine, "flaky").await;
    serve(&engine, &flaky, |_, attempt| {
        if attempt < 4 {
            Err(("Flaky".into(), format!("attempt {attempt}")))
        } else {
            Ok(json!("ok"))
        }
    });
    let (done, events) = run(
        &engine,
        json!({"StartAt": "t", "States": {"t": activity_task(&flaky, json!({
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}],
            "End": true
        }))}}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let scheduled: Vec<OffsetDateTime> = events
        .iter()
        .filter(|event| event.event_type() == HistoryEventType::ActivityScheduled)
        .map(|event| event.timestamp)
        .collect();
    let gaps: Vec<i64> = scheduled
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).whole_seconds())
        .collect();
    assert_eq!(gaps, [2, 6, 18]);
    assert_eq!(
        types(&events)[1..],
        [
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
    );
    let EventDetails::ActivityFailed(failed) = &events[4].details else {
        panic!()
    };
    assert_eq!(
        (failed.error.as_deref(), failed.cause.as_deref()),
        (Some("Flaky"), Some("attempt 1"))
    );
}

#[tokio::test(start_paused = true)]
async fn max_delay_caps_the_backoff_and_exhausted_retries_fall_to_catch() {
    let engine = engine();
    let broken = activity(&engine, "broken").await;
    serve(&engine, &broken, |_, _| {
        Err(("Broken".into(), "always".into()))
    });
    let (done, events) = run(
        &engine,
        json!({"StartAt": "t", "States": {
            "t": activity_task(&broken, json!({
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 4, "MaxAttempts": 3, "MaxDelaySeconds": 5}],
                "Catch": [{"ErrorEquals": ["Broken"], "ResultPath": "$.error", "Next": "handled"}],
                "End": true
            })),
            "handled": {"Type": "Pass", "End": true}
        }}),
        json!({"keep": true}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!({"keep": true, "error": {"Error": "Broken", "Cause": "always"}})
    );
    let scheduled: Vec<OffsetDateTime> = events
        .iter()
        .filter(|event| event.event_type() == HistoryEventType::ActivityScheduled)
        .map(|event| event.timestamp)
        .collect();
    let gaps: Vec<i64> = scheduled
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).whole_seconds())
        .collect();
    assert_eq!(gaps, [4, 5, 5]);
    let tail = &types(&events)[events.len() - 5..];
    assert_eq!(
        tail,
        [
            "ActivityFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn an_uncaught_failure_fails_the_execution() {
    let engine = engine();
    let broken = activity(&engine, "broken").await;
    serve(&engine, &broken, |_, _| {
        Err(("MyError".into(), "it broke".into()))
    });
    let (done, events) = run(
        &engine,
        json!({"StartAt": "t", "States": {"t": activity_task(&broken, json!({"End": true}))}}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        (done.error.as_deref(), done.cause.as_deref()),
        (Some("MyError"), Some("it broke"))
    );
    assert_eq!(types(&events)[4..], ["ActivityFailed", "ExecutionFailed"]);
}

#[tokio::test(start_paused = true)]
async fn a_task_without_worker_times_out() {
    let engine = engine();
    let idle = activity(&engine, "idle").await;
    let (done, events) = run(
        &engine,
        json!({"StartAt": "t", "States": {"t": activity_task(&idle, json!({"TimeoutSeconds": 30, "End": true}))}}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        (events[3].timestamp - events[2].timestamp).whole_seconds(),
        30
    );
    let EventDetails::ActivityScheduled(scheduled) = &events[2].details else {
        panic!()
    };
    assert_eq!(scheduled.timeout_in_seconds, Some(30));
    assert_eq!(engine.queued_activity_tasks(&idle), 0);
}

#[tokio::test(start_paused = true)]
async fn queued_activity_tasks_are_announced_as_they_are_queued() {
    let engine = engine();
    let work = activity(&engine, "work").await;
    let machine = machine(
        &engine,
        "machine",
        json!({"StartAt": "t", "States": {"t": activity_task(&work, json!({"TimeoutSeconds": 60, "End": true}))}}),
    )
    .await;
    let mut queued = engine.watch_queued_activity_tasks();
    assert_eq!(*queued.borrow_and_update(), 0);

    // A task handed straight to a worker already polling is never queued.
    let poll = {
        let engine = engine.clone();
        let work = work.clone();
        tokio::spawn(async move {
            engine
                .get_activity_task(GetActivityTaskInput {
                    activity_arn: work,
                    worker_name: None,
                })
                .await
        })
    };
    tokio::task::yield_now().await;
    start(&engine, &machine, json!({"n": 1})).await;
    let taken = poll.await.unwrap().unwrap();
    assert_eq!(taken.input.as_deref(), Some(r#"{"n":1}"#));
    assert!(!queued.has_changed().unwrap());
    assert_eq!(engine.queued_activity_tasks(&work), 0);

    // With no worker polling, each task is queued and announced, and is
    // in the queue when the announcement is read.
    start(&engine, &machine, json!({"n": 2})).await;
    queued.changed().await.unwrap();
    assert_eq!(*queued.borrow_and_update(), 1);
    assert_eq!(engine.queued_activity_tasks(&work), 1);
    start(&engine, &machine, json!({"n": 3})).await;
    queued.changed().await.unwrap();
    assert_eq!(*queued.borrow_and_update(), 2);
    assert_eq!(engine.queued_activity_tasks(&work), 2);

    // A watcher subscribed later starts from the count so far.
    let late = engine.watch_queued_activity_tasks();
    assert_eq!(*late.borrow(), 2);
    assert!(!late.has_changed().unwrap());
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_task_alive_and_their_absence_times_it_out() {
    let engine = engine();
    let slow = activity(&engine, "slow").await;
    let definition = json!({"StartAt": "t", "States": {"t": activity_task(&slow, json!({
        "TimeoutSecondsPath": "$.timeout", "HeartbeatSeconds": 10, "End": true
    }))}});
    let machine = machine(&engine, "slow", definition).await;

    // A worker that heartbeats every 5 s for 30 s, then succeeds.
    let worker = {
        let engine = engine.clone();
        let slow = slow.clone();
        tokio::spawn(async move {
            let task = engine
                .get_activity_task(GetActivityTaskInput {
                    activity_arn: slow,
                    worker_name: None,
                })
                .await
                .unwrap();
            let token = task.task_token.unwrap();
            for _ in 0..6 {
                tokio::time::sleep(Duration::from_secs(5)).await;
                engine
                    .send_task_heartbeat(SendTaskHeartbeatInput {
                        task_token: token.clone(),
                    })
                    .await
                    .unwrap();
            }
            engine
                .send_task_success(SendTaskSuccessInput {
                    task_token: token,
                    output: "\"done\"".into(),
                })
                .await
                .unwrap();
        })
    };
    let alive = start(&engine, &machine, json!({"timeout": 100})).await;
    let done = engine.wait_for_execution(&alive).await.unwrap();
    worker.await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some("\"done\""));

    // A worker that takes the task and goes silent.
    let silent = {
        let engine = engine.clone();
        let slow = slow.clone();
        tokio::spawn(async move {
            let task = engine
                .get_activity_task(GetActivityTaskInput {
                    activity_arn: slow,
                    worker_name: None,
                })
                .await
                .unwrap();
            let token = task.task_token.unwrap();
            tokio::time::sleep(Duration::from_secs(20)).await;
            engine
                .send_task_success(SendTaskSuccessInput {
                    task_token: token,
                    output: "1".into(),
                })
                .await
                .unwrap_err()
        })
    };
    let stalled = start(&engine, &machine, json!({"timeout": 100})).await;
    let done = engine.wait_for_execution(&stalled).await.unwrap();
    // AWS reports a heartbeat's timeout as States.Timeout, with no cause.
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(done.cause, None);
    assert_eq!(silent.await.unwrap().code(), "TaskTimedOut");
    let events = history(&engine, &stalled).await;
    assert_eq!(
        types(&events)[2..],
        [
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        (events[4].timestamp - events[3].timestamp).whole_seconds(),
        10
    );
}

#[tokio::test(start_paused = true)]
async fn stopping_aborts_and_invalidates_pending_tasks() {
    let engine = engine();
    let idle = activity(&engine, "idle").await;
    let machine = machine(
        &engine,
        "m",
        json!({"StartAt": "t", "States": {"t": activity_task(&idle, json!({"End": true}))}}),
    )
    .await;
    let execution = start(&engine, &machine, json!({})).await;
    let task = engine
        .get_activity_task(GetActivityTaskInput {
            activity_arn: idle.clone(),
            worker_name: None,
        })
        .await
        .unwrap();
    let token = task.task_token.unwrap();
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: execution.clone(),
            error: Some("Halt".into()),
            cause: Some("by test".into()),
        })
        .await
        .unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Aborted);
    assert_eq!(done.error.as_deref(), Some("Halt"));
    let late = engine
        .send_task_success(SendTaskSuccessInput {
            task_token: token,
            output: "1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(late.code(), "TaskTimedOut");
    let events = history(&engine, &execution).await;
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "TaskStateAborted",
            "ExecutionAborted"
        ]
    );
    let EventDetails::ExecutionAborted(aborted) = &events[5].details else {
        panic!()
    };
    assert_eq!(aborted.cause.as_deref(), Some("by test"));
}

#[tokio::test(start_paused = true)]
async fn stopping_cuts_short_every_state_in_progress_innermost_first() {
    let engine = engine();
    let idle = activity(&engine, "idle").await;
    // A Parallel whose first branch waits in a Map whose two iterations wait
    // on the activity, and whose second branch is in a Wait state.
    let definition = json!({"StartAt": "p", "States": {"p": {"Type": "Parallel", "End": true,
    "Branches": [
        {"StartAt": "m", "States": {"m": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "t", "States": {"t": activity_task(&idle, json!({"End": true}))}}}}},
        {"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 3600, "End": true}}}
    ]}}});
    let machine = machine(&engine, "m", definition).await;
    let execution = start(&engine, &machine, json!([1, 2])).await;
    while engine.queued_activity_tasks(&idle) < 2 {
        tokio::task::yield_now().await;
    }
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: execution.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let events = history(&engine, &execution).await;
    let seen = types(&events);
    let cut: Vec<&str> = seen
        .iter()
        .copied()
        .skip_while(|event| !event.ends_with("Aborted"))
        .collect();
    // Innermost first: each iteration's task, then the iteration; then the
    // Map, the Wait beside it, and the Parallel around them.
    assert_eq!(
        cut,
        [
            "TaskStateAborted",
            "MapIterationAborted",
            "TaskStateAborted",
            "MapIterationAborted",
            "MapStateAborted",
            "WaitStateAborted",
            "ParallelStateAborted",
            "ExecutionAborted"
        ]
    );
    assert_eq!(engine.queued_activity_tasks(&idle), 0);
}

#[tokio::test(start_paused = true)]
async fn a_failing_branch_cuts_short_what_its_sibling_waits_on() {
    let engine = engine();
    let idle = activity(&engine, "idle").await;
    let definition = json!({"StartAt": "p", "States": {"p": {"Type": "Parallel", "End": true,
        "Branches": [
            {"StartAt": "t", "States": {"t": activity_task(&idle, json!({"End": true}))}},
            {"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 5, "Next": "f"},
                "f": {"Type": "Fail", "Error": "Broke", "Cause": "on purpose"}}}
        ],
        "Catch": [{"ErrorEquals": ["Broke"], "Next": "caught"}]},
        "caught": {"Type": "Succeed"}}});
    let (done, events) = run(&engine, definition, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let seen = types(&events);
    let failed = seen
        .iter()
        .position(|event| *event == "FailStateEntered")
        .unwrap();
    assert_eq!(
        seen[failed..],
        [
            "FailStateEntered",
            "TaskStateAborted",
            "ParallelStateFailed",
            "ParallelStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_iteration_cuts_short_the_iterations_beside_it() {
    let engine = engine();
    let idle = activity(&engine, "idle").await;
    let definition = json!({"StartAt": "m", "States": {"m": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "c", "States": {
            "c": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "late"}], "Default": "t"},
            "late": {"Type": "Wait", "Seconds": 1, "Next": "f"},
            "f": {"Type": "Fail", "Error": "Broke"},
            "t": activity_task(&idle, json!({"End": true}))}}}}});
    let (done, events) = run(&engine, definition, json!([0, 1])).await;
    assert_eq!(done.error.as_deref(), Some("Broke"));
    let seen = types(&events);
    let failed = seen
        .iter()
        .position(|event| *event == "MapIterationFailed")
        .unwrap();
    assert_eq!(
        seen[failed..],
        [
            "MapIterationFailed",
            "TaskStateAborted",
            "MapIterationAborted",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn waits_in_all_four_forms() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "a", "States": {
            "a": {"Type": "Wait", "Seconds": 5, "Next": "b"},
            "b": {"Type": "Wait", "SecondsPath": "$.s", "Next": "c"},
            "c": {"Type": "Wait", "Timestamp": "2024-01-01T00:01:00Z", "Next": "d"},
            "d": {"Type": "Wait", "TimestampPath": "$.until", "End": true}
        }}),
        json!({"s": 7, "until": "2024-01-01T00:02:30Z"}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let exits: Vec<OffsetDateTime> = events
        .iter()
        .filter(|event| event.event_type() == HistoryEventType::WaitStateExited)
        .map(|event| event.timestamp)
        .collect();
    assert_eq!(
        exits,
        [
            datetime!(2024-01-01 0:00:05 UTC),
            datetime!(2024-01-01 0:00:12 UTC),
            datetime!(2024-01-01 0:01 UTC),
            datetime!(2024-01-01 0:02:30 UTC)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn fail_states_and_runtime_errors_fail_the_execution() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "f", "States": {"f": {"Type": "Fail", "ErrorPath": "$.e", "Cause": "given"}}}),
        json!({"e": "Custom"}),
    )
    .await;
    assert_eq!(
        (done.status, done.error.as_deref(), done.cause.as_deref()),
        (ExecutionStatus::Failed, Some("Custom"), Some("given"))
    );
    assert_eq!(
        types(&events),
        ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    );

    let engine = self::engine();
    let (done, _) = run(
        &engine,
        json!({"StartAt": "c", "States": {
            "c": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "done"}]},
            "done": {"Type": "Succeed"}
        }}),
        json!({"x": 2}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.NoChoiceMatched"));

    let engine = self::engine();
    let (done, _) = run(
        &engine,
        json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert!(done.cause.unwrap().contains("$.missing"));
}

#[tokio::test(start_paused = true)]
async fn the_machine_timeout_times_the_execution_out() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"TimeoutSeconds": 10, "StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 60, "End": true}}}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    // AWS describes a timed-out execution without error or cause; the
    // history's ExecutionTimedOut names States.Timeout.
    assert_eq!((done.error.as_deref(), done.cause.as_deref()), (None, None));
    assert!(matches!(
        &events.last().unwrap().details,
        EventDetails::ExecutionTimedOut(details)
            if details.error.as_deref() == Some("States.Timeout") && details.cause.is_none()
    ));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateAborted",
            "ExecutionTimedOut"
        ]
    );
    assert_eq!(events[3].timestamp, datetime!(2024-01-01 0:00:10 UTC));
}

#[tokio::test(start_paused = true)]
async fn parallel_branches_run_and_their_outputs_are_gathered() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "p", "States": {"p": {"Type": "Parallel", "ResultPath": "$.both", "End": true, "Branches": [
            {"StartAt": "slow", "States": {"slow": {"Type": "Wait", "Seconds": 5, "Next": "one"}, "one": {"Type": "Pass", "Result": 1, "End": true}}},
            {"StartAt": "two", "States": {"two": {"Type": "Pass", "Result": 2, "End": true}}}
        ]}}}),
        json!({"in": true}),
    )
    .await;
    assert_eq!(output(&done), json!({"in": true, "both": [1, 2]}));
    let seen = types(&events);
    assert_eq!(
        seen[..3],
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted"
        ]
    );
    assert_eq!(
        seen[seen.len() - 3..],
        [
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "ExecutionSucceeded"
        ]
    );
    // Each branch's events follow the ParallelStateStarted event.
    let firsts: Vec<i64> = events
        .iter()
        .filter(|event| match &event.details {
            EventDetails::WaitStateEntered(_) => true,
            EventDetails::PassStateEntered(entered) => entered.name == "two",
            _ => false,
        })
        .map(|event| event.previous_event_id)
        .collect();
    assert_eq!(firsts, [3, 3]);
}

#[tokio::test(start_paused = true)]
async fn a_failing_branch_fails_the_parallel_with_its_error() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "p", "States": {
            "p": {"Type": "Parallel", "End": true,
                "Catch": [{"ErrorEquals": ["BranchError"], "Next": "caught"}],
                "Branches": [
                    {"StartAt": "wait", "States": {"wait": {"Type": "Wait", "Seconds": 100, "End": true}}},
                    {"StartAt": "fail", "States": {"fail": {"Type": "Fail", "Error": "BranchError", "Cause": "no"}}}
                ]},
            "caught": {"Type": "Pass", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!({"Error": "BranchError", "Cause": "no"})
    );
    let seen = types(&events);
    assert!(seen.contains(&"ParallelStateFailed"), "{seen:?}");
    assert!(!seen.contains(&"WaitStateExited"), "{seen:?}");
    assert_eq!(
        seen[seen.len() - 4..],
        [
            "ParallelStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn map_iterates_with_item_context_and_concurrency() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "m", "States": {"m": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
            "ItemProcessor": {"StartAt": "wait", "States": {
                "wait": {"Type": "Wait", "Seconds": 1, "Next": "echo"},
                "echo": {"Type": "Pass", "End": true}}},
            "End": true}}}),
        json!({"items": ["a", "b"], "tag": "t"}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!([{"index": 0, "value": "a", "tag": "t"}, {"index": 1, "value": "b", "tag": "t"}])
    );
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded",
        ]
    );
    let EventDetails::MapStateStarted(started) = &events[2].details else {
        panic!()
    };
    assert_eq!(started.length, 2);
    let EventDetails::MapIterationStarted(second) = &events[9].details else {
        panic!()
    };
    assert_eq!((second.name.as_str(), second.index), ("m", 1));
    // One at a time: the second iteration starts when the first is done.
    assert_eq!(events[9].timestamp, datetime!(2024-01-01 0:00:01 UTC));
}

#[tokio::test(start_paused = true)]
async fn map_failures_within_tolerance_are_results_beyond_it_fail_the_map() {
    let definition = |tolerated: u64| {
        json!({"StartAt": "m", "States": {"m": {"Type": "Map", "ToleratedFailureCount": tolerated,
            "ItemProcessor": {"StartAt": "check", "States": {
                "check": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "bad"}], "Default": "good"},
                "bad": {"Type": "Fail", "Error": "TooBig", "Cause": "over one"},
                "good": {"Type": "Succeed"}}},
            "End": true}}})
    };
    let engine = engine();
    let (done, _) = run(&engine, definition(1), json!([1, 2, 0])).await;
    assert_eq!(
        output(&done),
        json!([1, {"Error": "TooBig", "Cause": "over one"}, 0])
    );

    let engine = self::engine();
    let (done, events) = run(&engine, definition(1), json!([5, 2, 0])).await;
    assert_eq!(
        done.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    let seen = types(&events);
    assert_eq!(
        seen[seen.len() - 2..],
        ["MapStateFailed", "ExecutionFailed"]
    );
    assert_eq!(
        seen.iter().filter(|t| **t == "MapIterationFailed").count(),
        2
    );

    // Without a tolerance the iteration's own error fails the Map.
    let engine = self::engine();
    let (done, _) = run(&engine, definition(0), json!([0, 7])).await;
    assert_eq!(done.error.as_deref(), Some("TooBig"));
}

#[tokio::test(start_paused = true)]
async fn a_distributed_map_shows_its_map_run_and_tolerates_no_failure_by_default() {
    let definition = |thresholds: Value| {
        let mut map = json!({"Type": "Map", "MaxConcurrency": 1,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "check", "States": {
                "check": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "bad"}], "Default": "good"},
                "bad": {"Type": "Fail", "Error": "TooBig", "Cause": "over one"},
                "good": {"Type": "Pass", "End": true}}},
            "End": true});
        map.as_object_mut()
            .unwrap()
            .extend(thresholds.as_object().unwrap().clone());
        json!({"StartAt": "m", "States": {"m": map}})
    };
    let engine = engine();
    let (done, events) = run(&engine, definition(json!({})), json!([1, 0])).await;
    assert_eq!(output(&done), json!([1, 0]));
    // The items run as child executions: none of their events is here.
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    let EventDetails::MapRunStarted(started) = &events[3].details else {
        panic!("{:?}", events[3])
    };
    assert_eq!(
        started.map_run_arn,
        format!(
            "arn:aws:states:us-east-1:123456789012:mapRun:machine/m:{}-4",
            done.name
        )
    );

    // Without a threshold one failed item fails the Map Run.
    let engine = self::engine();
    let (done, events) = run(&engine, definition(json!({})), json!([1, 2])).await;
    assert_eq!(
        done.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(
        types(&events)[3..],
        [
            "MapRunStarted",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );

    // Within a percentage the failed item's error is its result.
    let engine = self::engine();
    let (done, _) = run(
        &engine,
        definition(json!({"ToleratedFailurePercentage": 50})),
        json!([1, 2]),
    )
    .await;
    assert_eq!(
        output(&done),
        json!([1, {"Error": "TooBig", "Cause": "over one"}])
    );
}

#[tokio::test(start_paused = true)]
async fn a_distributed_maps_items_keep_their_activity_events_to_themselves() {
    let engine = engine();
    let double = activity(&engine, "double").await;
    let worker = serve(&engine, &double, |input, _| {
        Ok(json!(input.as_i64().unwrap() * 2))
    });
    let definition = json!({"StartAt": "m", "States": {"m": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "t", "States": {"t": activity_task(&double, json!({"End": true}))}}}}});
    let (done, events) = run(&engine, definition, json!([1, 2, 3])).await;
    worker.abort();
    assert_eq!(output(&done), json!([2, 4, 6]));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // Event ids, and from the Map's start their predecessors, follow each
    // other: nothing of the items is in between.
    for (index, event) in events.iter().enumerate() {
        assert_eq!(event.id, index as i64 + 1);
        if index >= 2 {
            assert_eq!(event.previous_event_id, index as i64);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn handlers_run_lambda_functions_and_callbacks() {
    let engine = engine();
    let function = "arn:aws:lambda:us-east-1:123456789012:function:greet";
    engine.register_handler(function, |input, context| async move {
        if input["name"].is_null() {
            return Err(TaskFailure::new("NoName", "name is missing"));
        }
        Ok(json!({"greeting": format!("hello {}", input["name"].as_str().unwrap()), "state": context["State"]["Name"]}))
    });
    let (done, events) = run(
        &engine,
        json!({"StartAt": "greet", "States": {"greet": {"Type": "Task", "Resource": function, "End": true}}}),
        json!({"name": "ada"}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!({"greeting": "hello ada", "state": "greet"})
    );
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );

    // A callback: the handler gets the token and answers through the API.
    let engine = self::engine();
    let callback = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    let answering = engine.clone();
    engine.register_handler(
        "arn:aws:states:::sqs:sendMessage",
        move |input, _context| {
            let engine = answering.clone();
            async move {
                let token = input["token"].as_str().unwrap().to_string();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                    engine
                        .send_task_success(SendTaskSuccessInput {
                            task_token: token,
                            output: r#"{"approved":true}"#.into(),
                        })
                        .await
                        .unwrap();
                });
                Ok(json!({"MessageId": "m-1"}))
            }
        },
    );
    let (done, events) = run(
        &engine,
        json!({"StartAt": "ask", "States": {"ask": {"Type": "Task", "Resource": callback,
            "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}}),
        json!({}),
    )
    .await;
    assert_eq!(output(&done), json!({"approved": true}));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let EventDetails::TaskScheduled(scheduled) = &events[2].details else {
        panic!()
    };
    assert_eq!(
        (
            scheduled.resource_type.as_str(),
            scheduled.resource.as_str()
        ),
        ("sqs", "sendMessage.waitForTaskToken")
    );
    assert!(scheduled.parameters.contains("token"));

    // A resource without a handler.
    let engine = self::engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "End": true}}}),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert!(done.cause.unwrap().contains("register_handler"));
    assert_eq!(
        types(&events)[2..],
        ["TaskScheduled", "TaskStartFailed", "ExecutionFailed"]
    );
}

#[tokio::test(start_paused = true)]
async fn context_object_fields_are_set() {
    let engine = engine();
    let (done, _) = run(
        &engine,
        json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "Parameters": {
            "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input",
            "start.$": "$$.Execution.StartTime", "role.$": "$$.Execution.RoleArn",
            "state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime",
            "machine.$": "$$.StateMachine.Id", "machineName.$": "$$.StateMachine.Name",
            "keys.$": "$$.State"}, "End": true}}}),
        json!({"x": 1}),
    )
    .await;
    let out = output(&done);
    assert!(
        out["id"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:states:us-east-1:123456789012:execution:machine:")
    );
    assert_eq!(out["input"], json!({"x": 1}));
    // To the millisecond, as AWS writes it: "2019-03-26T20:14:13.192Z" in
    // the context object's documentation.
    assert_eq!(out["start"], json!("2024-01-01T00:00:00.000Z"));
    assert_eq!(out["role"], json!(ROLE));
    assert_eq!(out["state"], json!("p"));
    // A Pass state is never retried: AWS gives it no RetryCount, and writes
    // the context object's keys in this order.
    assert_eq!(
        out["keys"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["Name", "EnteredTime"]
    );
    assert_eq!(
        out["machine"],
        json!("arn:aws:states:us-east-1:123456789012:stateMachine:machine")
    );
    assert_eq!(out["machineName"], json!("machine"));
}

#[tokio::test(start_paused = true)]
async fn names_arns_definitions_and_inputs_are_checked() {
    let engine = engine();
    let bad_name = engine
        .create_activity(CreateActivityInput {
            name: "has space".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_name.code(), "InvalidName");
    let bad_arn = engine
        .describe_activity(DescribeActivityInput {
            activity_arn: "arn:aws:states:us-east-1:1:stateMachine:x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_arn.code(), "InvalidArn");
    let missing = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "StateMachineDoesNotExist");

    let invalid = engine
        .create_state_machine(CreateStateMachineInput {
            name: "broken".into(),
            definition: json!({"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "b"}}})
                .to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let SfnError::InvalidDefinition {
        message,
        diagnostics,
    } = &invalid
    else {
        panic!("{invalid}")
    };
    assert!(message.contains("States.a.Next"), "{message}");
    assert!(!diagnostics.is_valid());

    let distributed = engine
        .create_state_machine(CreateStateMachineInput {
            name: "distributed".into(),
            definition: json!({"StartAt": "m", "States": {"m": {"Type": "Map", "End": true,
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSON"},
                    "Parameters": {"Bucket": "orders", "Key": "items.json"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}}}})
            .to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(distributed.code(), "InvalidDefinition");
    assert!(
        distributed.message().contains("States.m.ItemReader")
            && distributed.message().contains("Amazon S3"),
        "{distributed}"
    );

    let machine = machine(
        &engine,
        "m",
        json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 10, "End": true}}}),
    )
    .await;
    let not_json = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            input: Some("{nope".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(not_json.code(), "InvalidExecutionInput");

    // The same name and input while running: the same execution.
    let first = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            name: Some("once".into()),
            input: Some("{\"a\":1}".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let again = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            name: Some("once".into()),
            input: Some("{ \"a\": 1 }".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(first, again);
    let other = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            name: Some("once".into()),
            input: Some("{\"a\":2}".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(other.code(), "ExecutionAlreadyExists");
    engine
        .wait_for_execution(&first.execution_arn)
        .await
        .unwrap();
    let closed = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            name: Some("once".into()),
            input: Some("{\"a\":1}".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(closed.code(), "ExecutionAlreadyExists");
}

#[tokio::test(start_paused = true)]
async fn lists_are_ordered_filtered_and_paged() {
    let engine = engine();
    let machine = machine(&engine, "m", json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})).await;
    let mut started = Vec::new();
    for (index, seconds) in [0, 100, 0].into_iter().enumerate() {
        started.push(
            engine
                .start_execution(StartExecutionInput {
                    state_machine_arn: machine.clone(),
                    name: Some(format!("e{index}")),
                    input: Some(json!({"s": seconds}).to_string()),
                    ..Default::default()
                })
                .await
                .unwrap()
                .execution_arn,
        );
    }
    engine.wait_for_execution(&started[2]).await.unwrap();
    engine.wait_for_execution(&started[0]).await.unwrap();
    let all = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: machine.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let names: Vec<&str> = all.executions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["e2", "e1", "e0"]);
    let running = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: machine.clone(),
            status_filter: Some(ExecutionStatus::Running),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(running.executions.len(), 1);
    assert_eq!(running.executions[0].name, "e1");
    let first = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: machine.clone(),
            max_results: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(first.executions.len(), 2);
    let rest = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: machine.clone(),
            max_results: 2,
            next_token: first.next_token.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rest.executions.len(), 1);
    assert_eq!(rest.next_token, None);
    let too_many = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: machine.clone(),
            max_results: 1001,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(too_many.code(), "ValidationException");

    let page = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started[0].clone(),
            max_results: 2,
            reverse_order: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let ids: Vec<i64> = page.events.iter().map(|e| e.id).collect();
    assert_eq!(ids, [4, 3]);
    let next = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started[0].clone(),
            max_results: 2,
            reverse_order: true,
            next_token: page.next_token,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(next.events.iter().map(|e| e.id).collect::<Vec<_>>(), [2, 1]);
    let bad = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started[0].clone(),
            next_token: Some("x".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "InvalidToken");

    // Deleting a machine with a running execution: DELETING until it closes.
    engine
        .delete_state_machine(DeleteStateMachineInput {
            state_machine_arn: machine.clone(),
        })
        .await
        .unwrap();
    let described = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: machine.clone(),
        })
        .await
        .unwrap();
    assert_eq!(described.status, Some(StateMachineStatus::Deleting));
    let refused = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "StateMachineDeleting");
    engine.wait_for_execution(&started[1]).await.unwrap();
    let gone = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: machine,
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code(), "StateMachineDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn the_engine_is_usable_behind_a_trait_object() {
    let engine = engine();
    let sfn: Arc<dyn StepFunctions> = Arc::new(engine.clone());
    let created = sfn
        .create_activity(CreateActivityInput {
            name: "a".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let again = sfn
        .create_activity(CreateActivityInput {
            name: "a".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created, again);
    let listed = sfn
        .list_activities(ListActivitiesInput::default())
        .await
        .unwrap();
    assert_eq!(listed.activities.len(), 1);
    // A poll without tasks answers with no token after 60 s.
    let before = tokio::time::Instant::now();
    let none = sfn
        .get_activity_task(GetActivityTaskInput {
            activity_arn: created.activity_arn.clone(),
            worker_name: None,
        })
        .await
        .unwrap();
    assert_eq!(none.task_token, None);
    assert_eq!(before.elapsed(), Duration::from_secs(60));
    sfn.delete_activity(DeleteActivityInput {
        activity_arn: created.activity_arn.clone(),
    })
    .await
    .unwrap();
    let gone = sfn
        .describe_activity(DescribeActivityInput {
            activity_arn: created.activity_arn,
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code(), "ActivityDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn states_timeout_also_matches_a_heartbeat_timeout() {
    // AWS: States.Timeout is raised when a task "ran longer than the
    // TimeoutSeconds value, or failed to send a heartbeat for a time longer
    // than the HeartbeatSeconds value": a retrier or catcher naming it
    // handles both.
    let engine = engine();
    let resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    engine.register_handler(resource, |_input, _context| async move { Ok(json!({})) });
    let (done, events) = run(
        &engine,
        json!({"StartAt": "ask", "States": {
            "ask": {
                "Type": "Task", "Resource": resource,
                "Parameters": {"token.$": "$$.Task.Token"},
                "HeartbeatSeconds": 5, "TimeoutSeconds": 100,
                "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "gave_up"}],
                "End": true
            },
            "gave_up": {"Type": "Pass", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{:?}", done.cause);
    assert_eq!(
        output(&done),
        json!({"Error": "States.Timeout", "Cause": null})
    );
    let timed_out = types(&events)
        .into_iter()
        .filter(|name| *name == "TaskTimedOut")
        .count();
    assert_eq!(timed_out, 2, "the first attempt and its retry");
}

#[tokio::test(start_paused = true)]
async fn a_fail_state_without_an_error_fails_with_none() {
    let engine = engine();
    let (done, events) = run(
        &engine,
        json!({"StartAt": "f", "States": {"f": {"Type": "Fail", "Cause": "no name"}}}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        (done.error.as_deref(), done.cause.as_deref()),
        (None, Some("no name"))
    );
    let (_, details) = events.last().unwrap().details.to_json().unwrap();
    assert_eq!(details, json!({"cause": "no name"}));
}

#[tokio::test(start_paused = true)]
async fn runtime_failures_of_a_states_data_are_worded_as_aws_words_them() {
    // Recorded on AWS (the cause in full, prefix included).
    let cases = [
        (
            json!({"Type": "Pass", "InputPath": "$.NoSuchInputPath", "End": true}),
            "An error occurred while executing the state 'S' (entered at the event id #2). \
             Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
        ),
        (
            json!({"Type": "Pass", "Parameters": {"y.$": "$.x"}, "End": true}),
            "An error occurred while executing the state 'S' (entered at the event id #2). \
             The JSONPath '$.x' specified for the field 'y.$' could not be found in the input '{\"a\":1}'",
        ),
    ];
    for (state, cause) in cases {
        let engine = engine();
        let (done, _) = run(
            &engine,
            json!({"StartAt": "S", "States": {"S": state}}),
            json!({"a": 1}),
        )
        .await;
        assert_eq!(done.error.as_deref(), Some("States.Runtime"));
        assert_eq!(done.cause.as_deref(), Some(cause));
    }
}

#[tokio::test(start_paused = true)]
async fn wait_and_map_settings_read_from_the_data_fail_in_aws_words() {
    let engine = engine();
    let (done, _) = run(
        &engine,
        json!({"StartAt": "S", "States": {"S": {"Type": "Wait", "TimestampPath": "$.at", "End": true}}}),
        json!({"at": "tomorrow"}),
    )
    .await;
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'S' (entered at the event id #2). \
             The TimestampPath parameter does not reference a valid ISO-8601 extended offset \
             date-time format string: $.at == \"tomorrow\""
        )
    );
    let engine = self::engine();
    let (done, _) = run(
        &engine,
        json!({"StartAt": "S", "States": {"S": {
            "Type": "Map", "ToleratedFailureCountPath": "$.tolerated",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "ItemsPath": "$.items",
            "End": true
        }}}),
        json!({"tolerated": -1, "items": [1]}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'S' (entered at the event id #2). \
             ToleratedFailureCount cannot be negative."
        )
    );
}

#[tokio::test]
async fn history_times_are_kept_to_the_millisecond() {
    // On the real clock, events fall between milliseconds; AWS records
    // them to the millisecond.
    let engine = LocalEngine::builder().build();
    let (_, events) = run(
        &engine,
        json!({"StartAt": "a", "States": {
            "a": {"Type": "Pass", "Next": "b"},
            "b": {"Type": "Wait", "Seconds": 0, "Next": "c"},
            "c": {"Type": "Pass", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert!(events.len() >= 8);
    for event in &events {
        assert_eq!(event.timestamp.nanosecond() % 1_000_000, 0, "{event:?}");
    }
}
