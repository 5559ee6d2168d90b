//! Workers that never lose a task: the local engine behind a fault
//! injector, on the virtual clock, checked through the executions'
//! histories.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sfini_runtime::activity::{
    ActivityContext, ActivityDefinition, ActivityFuture, INTERRUPTED_ERROR, PANIC_ERROR,
};
use sfini_runtime::api::*;
use sfini_runtime::faults::{FaultInjector, Operation};
use sfini_runtime::local::LocalEngine;
use sfini_runtime::retry::RetryPolicy;
use sfini_runtime::worker::WorkerBuilder;
use support::{definition, engine, history, machine_with_activity, start};

/// How many events of each type the history holds.
fn count_types(events: &[HistoryEvent]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for event in events {
        *counts.entry(event.event_type().as_str()).or_default() += 1;
    }
    counts
}

fn count(counts: &BTreeMap<&'static str, usize>, event_type: &str) -> usize {
    counts.get(event_type).copied().unwrap_or(0)
}

fn quick_policy() -> RetryPolicy {
    RetryPolicy::default()
        .attempts(6)
        .base_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(200))
}

// ---------------------------------------------------------------------------

/// Doubles `n`; every tenth task works for three seconds, heartbeating
/// (through the worker) meanwhile.
fn double(input: Value, _context: ActivityContext) -> ActivityFuture {
    Box::pin(async move {
        let n = input["n"].as_i64().unwrap_or_default();
        if n % 10 == 0 {
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        Ok(json!({"n": n, "double": 2 * n}))
    })
}
static DOUBLE: ActivityDefinition = definition("double", Some(4), double);

#[tokio::test(start_paused = true)]
async fn two_thousand_tasks_through_faulty_calls_complete_exactly_once() {
    const TASKS: i64 = 2000;
    let engine = engine();
    // A task whose GetActivityTask answer is dropped is lost until its
    // heartbeat timeout: the state retries it.
    let (machine, _) = machine_with_activity(
        &engine,
        "double",
        json!({
            "HeartbeatSeconds": 4,
            "Retry": [{
                "ErrorEquals": ["States.HeartbeatTimeout", "States.Timeout"],
                "IntervalSeconds": 1,
                "MaxAttempts": 10,
                "BackoffRate": 1.0
            }]
        }),
    )
    .await;
    let faulty = Arc::new(
        FaultInjector::builder(Arc::new(engine.clone()))
            .seed(2024)
            .throttle(0.025)
            .transport_error(0.025)
            .latency(0.025, Duration::from_millis(1), Duration::from_millis(50))
            .drop_response(0.025)
            .build()
            .unwrap(),
    );
    assert!(!faulty.cancel_safe_polls());
    let worker = WorkerBuilder::new(faulty.clone())
        .definition(&DOUBLE)
        .name("reliable")
        .pollers(4)
        .concurrency(64)
        .retry(quick_policy())
        .start()
        .await
        .unwrap();
    let mut executions = Vec::new();
    for n in 0..TASKS {
        executions.push(start(&engine, &machine, json!({"n": n})).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for execution in &executions {
        engine.wait_for_execution(execution).await.unwrap();
    }
    // Every poll answered so far brought a task (the queue was never empty
    // for 60 s), so each dropped answer lost one task.
    let lost = faulty.counts(Operation::GetActivityTask).dropped_responses;

    let mut totals = BTreeMap::new();
    for (n, execution) in (0..TASKS).zip(&executions) {
        let done = engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: execution.clone(),
            })
            .await
            .unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
        let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
        assert_eq!(output, json!({"n": n, "double": 2 * n}));
        let counts = count_types(&history(&engine, execution).await);
        assert_eq!(
            count(&counts, "ActivitySucceeded"),
            1,
            "{execution}: {counts:?}"
        );
        assert_eq!(
            count(&counts, "ActivityFailed"),
            0,
            "{execution}: {counts:?}"
        );
        for (event_type, number) in counts {
            *totals.entry(event_type).or_insert(0) += number;
        }
    }
    let stats = worker.shutdown().await.unwrap();
    let injected = faulty.total();
    println!("{stats:#?}\n{injected:#?}\n{totals:#?}");

    // Every kind of fault happened, about 10% of the calls in all.
    assert!(injected.throttled > 0 && injected.transport_errors > 0);
    assert!(injected.delayed > 0 && injected.dropped_responses > 0);
    let faulted = injected.failed() + injected.delayed;
    assert!(
        (injected.calls / 20..=injected.calls / 5).contains(&faulted),
        "{injected:?}"
    );
    // The tasks lost with their poll answers timed out, were retried and
    // succeeded; no other task timed out.
    assert!(lost > 0);
    let timed_out =
        count(&totals, "ActivityHeartbeatTimedOut") + count(&totals, "ActivityTimedOut");
    assert_eq!(timed_out as u64, lost);
    // Every task the worker received was run and reported once.
    let started = count(&totals, "ActivityStarted") as u64;
    assert_eq!(stats.received + lost, started);
    assert_eq!(stats.received, stats.finished());
    assert_eq!(stats.succeeded + stats.unconfirmed, TASKS as u64);
    assert_eq!(count(&totals, "ActivitySucceeded") as u64, TASKS as u64);
    assert_eq!(
        (
            stats.failed,
            stats.panicked,
            stats.cancelled,
            stats.report_failures
        ),
        (0, 0, 0, 0),
        "{stats:?}"
    );
    assert!(stats.unconfirmed <= faulty.counts(Operation::SendTaskSuccess).dropped_responses);
    // The long tasks heartbeated through the faults.
    assert!(stats.heartbeats >= (TASKS / 10) as u64, "{stats:?}");
    assert!(stats.report_retries > 0 && stats.poll_errors > 0);
}

// ---------------------------------------------------------------------------

/// Panics for odd `n`, doubles even ones.
fn panicky(input: Value, _context: ActivityContext) -> ActivityFuture {
    Box::pin(async move {
        let n = input["n"].as_i64().unwrap_or_default();
        tokio::task::yield_now().await;
        if n % 2 == 1 {
            panic!("odd number {n}");
        }
        Ok(json!(2 * n))
    })
}
static PANICKY: ActivityDefinition = definition("panicky", None, panicky);

/// Never finishes.
fn stuck(_input: Value, _context: ActivityContext) -> ActivityFuture {
    Box::pin(std::future::pending())
}
static STUCK: ActivityDefinition = definition("stuck", None, stuck);

#[tokio::test(start_paused = true)]
async fn a_panicking_and_a_timing_out_activity_do_not_stop_the_worker() {
    let engine = engine();
    let (panicky_machine, _) = machine_with_activity(&engine, "panicky", json!({})).await;
    let (stuck_machine, _) =
        machine_with_activity(&engine, "stuck", json!({"TimeoutSeconds": 3})).await;
    // One task at a time: a later task runs only if the earlier ones gave
    // their place back.
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&PANICKY)
        .definition(&STUCK)
        .concurrency(1)
        .idle_heartbeat(Duration::from_secs(1))
        .start()
        .await
        .unwrap();

    let panicked = start(&engine, &panicky_machine, json!({"n": 1})).await;
    let done = engine.wait_for_execution(&panicked).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some(PANIC_ERROR));
    let events = history(&engine, &panicked).await;
    let failed = events
        .iter()
        .find_map(|event| match &event.details {
            EventDetails::ActivityFailed(details) => Some(details.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(failed.error.as_deref(), Some(PANIC_ERROR));
    assert_eq!(
        failed.cause.as_deref(),
        Some("the activity panicked: odd number 1")
    );

    let timed_out = start(&engine, &stuck_machine, json!({})).await;
    let done = engine.wait_for_execution(&timed_out).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));

    let mut later = Vec::new();
    for n in [2, 4, 6] {
        later.push((n, start(&engine, &panicky_machine, json!({"n": n})).await));
    }
    for (n, execution) in later {
        let done = engine.wait_for_execution(&execution).await.unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded);
        assert_eq!(done.output, Some((2 * n).to_string()));
    }
    let stats = worker.shutdown().await.unwrap();
    assert_eq!(
        (
            stats.received,
            stats.panicked,
            stats.cancelled,
            stats.succeeded
        ),
        (5, 1, 1, 3),
        "{stats:?}"
    );
}

// ---------------------------------------------------------------------------

/// Works for five seconds when `n` is a multiple of four, for 50 ms
/// otherwise.
fn uneven(input: Value, _context: ActivityContext) -> ActivityFuture {
    Box::pin(async move {
        let n = input["n"].as_i64().unwrap_or_default();
        let work = if n % 4 == 0 { 5_000 } else { 50 };
        tokio::time::sleep(Duration::from_millis(work)).await;
        Ok(json!(n))
    })
}
static UNEVEN: ActivityDefinition = definition("uneven", None, uneven);

/// Starts an execution every 100 ms, shuts the worker down after three
/// seconds (with a deadline of two), and checks every history: a task
/// received is reported, one not received waits in the queue. Gives how
/// many tasks the worker received once its shutdown had begun.
async fn shutdown_in_a_burst(api: impl FnOnce(LocalEngine) -> Arc<dyn StepFunctions>) -> u64 {
    let engine = engine();
    let (machine, activity) = machine_with_activity(&engine, "uneven", json!({})).await;
    let worker = WorkerBuilder::new(api(engine.clone()))
        .definition(&UNEVEN)
        .pollers(2)
        .concurrency(16)
        .shutdown_timeout(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    let feeder = tokio::spawn({
        let engine = engine.clone();
        async move {
            let mut executions = Vec::new();
            for n in 0..100 {
                executions.push(start(&engine, &machine, json!({"n": n})).await);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            executions
        }
    });
    tokio::time::sleep(Duration::from_millis(3_050)).await;
    let before = worker.stats().received;
    let stats = worker.shutdown().await.unwrap();
    let executions = feeder.await.unwrap();

    let mut started = 0;
    let mut unstarted = 0;
    let mut interrupted = 0;
    for execution in &executions {
        let events = history(&engine, execution).await;
        let counts = count_types(&events);
        if count(&counts, "ActivityStarted") == 0 {
            unstarted += 1;
            continue;
        }
        started += 1;
        assert_eq!(count(&counts, "ActivityStarted"), 1);
        match events.last().map(|event| &event.details) {
            Some(EventDetails::ExecutionSucceeded(_)) => {}
            Some(EventDetails::ExecutionFailed(failed)) => {
                assert_eq!(failed.error.as_deref(), Some(INTERRUPTED_ERROR));
                assert_eq!(count(&counts, "ActivityFailed"), 1);
                interrupted += 1;
            }
            other => panic!("{execution}: started but not reported: {other:?}"),
        }
    }
    assert_eq!(stats.received, started);
    assert_eq!(stats.received, stats.finished());
    assert_eq!(
        stats.received,
        stats.succeeded + stats.interrupted,
        "{stats:?}"
    );
    assert_eq!(stats.interrupted, interrupted);
    assert!(interrupted > 0, "{stats:?}");
    // The burst went on after the shutdown: those tasks wait for a worker.
    assert!(unstarted > 50, "{unstarted}");
    assert_eq!(engine.queued_activity_tasks(&activity), unstarted as usize);
    stats.received - before
}

#[tokio::test(start_paused = true)]
async fn shutdown_in_a_burst_loses_nothing_when_polls_can_be_dropped() {
    let received_during_shutdown = shutdown_in_a_burst(|engine| Arc::new(engine)).await;
    // The polls in flight were abandoned; the engine kept their tasks.
    assert_eq!(received_during_shutdown, 0);
}

#[tokio::test(start_paused = true)]
async fn shutdown_in_a_burst_loses_nothing_when_polls_must_finish() {
    let received_during_shutdown = shutdown_in_a_burst(|engine| {
        Arc::new(
            FaultInjector::builder(Arc::new(engine))
                .cancel_safe_polls(false)
                .build()
                .unwrap(),
        )
    })
    .await;
    // The two polls in flight were awaited, and the tasks they brought were
    // run and reported.
    assert_eq!(received_during_shutdown, 2);
}
