//! The worker against the local engine, on the virtual clock: heartbeats,
//! cancellation, reports, concurrency, pollers, retries, and the engine's
//! cancel-safe polls.

mod support;

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sfini_runtime::activity::{
    ActivityContext, ActivityDefinition, ActivityFuture, Argument, INVALID_INPUT_ERROR,
    OUTPUT_ERROR, PANIC_ERROR, TaskFailure,
};
use sfini_runtime::api::*;
use sfini_runtime::faults::{FaultInjector, Operation};
use sfini_runtime::macro_support::InputArguments;
use sfini_runtime::retry::RetryPolicy;
use sfini_runtime::worker::{MAX_WORKER_NAME_LENGTH, WorkerBuilder, WorkerError};
use support::{definition, engine, history, machine, start};

fn types(events: &[HistoryEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.event_type().as_str()).collect()
}

fn failure_of(events: &[HistoryEvent]) -> (String, String) {
    let failed = events
        .iter()
        .find_map(|event| match &event.details {
            EventDetails::ActivityFailed(details) => Some(details.clone()),
            _ => None,
        })
        .expect("an ActivityFailed event");
    (failed.error.unwrap(), failed.cause.unwrap())
}

/// Waits (on the virtual clock) until `condition` holds.
async fn until(mut condition: impl FnMut() -> bool) {
    for _ in 0..10_000 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the condition never held");
}

fn boxed<F>(future: F) -> ActivityFuture
where
    F: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    Box::pin(future)
}

// ---------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_dropped_poll_gives_its_task_back_to_the_queue() {
    let engine = engine();
    assert!(engine.cancel_safe_polls());
    let machine = machine(&engine, "queued", json!({})).await;
    let activity = engine
        .create_activity(CreateActivityInput {
            name: "queued".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn;
    let mut first = engine.get_activity_task(GetActivityTaskInput {
        activity_arn: activity.clone(),
        worker_name: Some("first".into()),
    });
    // Polled once: the call now waits for a task.
    tokio::select! {
        biased;
        _ = &mut first => panic!("no task was queued yet"),
        () = std::future::ready(()) => {}
    }
    let execution = start(&engine, &machine, json!({"n": 1})).await;
    until(|| {
        let events = futures_now(history(&engine, &execution));
        types(&events).contains(&"ActivityScheduled")
    })
    .await;
    // The task went to the waiting call, which was not polled since.
    assert_eq!(engine.queued_activity_tasks(&activity), 0);
    drop(first);
    assert_eq!(engine.queued_activity_tasks(&activity), 1);
    let second = engine
        .get_activity_task(GetActivityTaskInput {
            activity_arn: activity.clone(),
            worker_name: Some("second".into()),
        })
        .await
        .unwrap();
    assert_eq!(second.input.as_deref(), Some(r#"{"n":1}"#));
    let events = history(&engine, &execution).await;
    let started: Vec<_> = events
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::ActivityStarted(details) => details.worker_name.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(started, ["second"]);
}

/// Runs a future that is ready at once (the engine's history call).
fn futures_now<T>(future: impl Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::noop();
    match future
        .as_mut()
        .poll(&mut std::task::Context::from_waker(waker))
    {
        std::task::Poll::Ready(value) => value,
        std::task::Poll::Pending => panic!("the call did not answer at once"),
    }
}

// ---------------------------------------------------------------------------

fn slow_with_heartbeats(_input: Value, _context: ActivityContext) -> ActivityFuture {
    boxed(async {
        tokio::time::sleep(Duration::from_secs(10)).await;
        Ok(json!("done"))
    })
}
static SLOW: ActivityDefinition = definition("slow", Some(2), slow_with_heartbeats);

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_long_task_alive_beyond_its_heartbeat_timeout() {
    let engine = engine();
    let machine = machine(&engine, "slow", json!({"HeartbeatSeconds": 2})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&SLOW)
        .name("heartbeater")
        .start()
        .await
        .unwrap();
    let execution = start(&engine, &machine, json!({})).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    assert_eq!(done.output.as_deref(), Some(r#""done""#));
    let events = history(&engine, &execution).await;
    let started = events
        .iter()
        .position(|e| e.event_type().as_str() == "ActivityStarted")
        .unwrap();
    let succeeded = events
        .iter()
        .position(|e| e.event_type().as_str() == "ActivitySucceeded")
        .unwrap();
    assert_eq!(
        (events[succeeded].timestamp - events[started].timestamp).whole_seconds(),
        10
    );
    let stats = worker.shutdown().await.unwrap();
    // One heartbeat a second for ten seconds.
    assert!((9..=10).contains(&stats.heartbeats), "{stats:?}");
    assert_eq!((stats.received, stats.succeeded), (1, 1));
}

// ---------------------------------------------------------------------------

static STOPPED_CONTEXT: Mutex<Option<ActivityContext>> = Mutex::new(None);
static STOPPED_DROPPED: AtomicBool = AtomicBool::new(false);

struct SetOnDrop(&'static AtomicBool);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn never_ends(_input: Value, context: ActivityContext) -> ActivityFuture {
    *STOPPED_CONTEXT.lock().unwrap() = Some(context);
    boxed(async {
        let _guard = SetOnDrop(&STOPPED_DROPPED);
        std::future::pending::<()>().await;
        Ok(Value::Null)
    })
}
static NEVER_ENDS: ActivityDefinition = definition("never_ends", None, never_ends);

#[tokio::test(start_paused = true)]
async fn a_stopped_execution_cancels_the_running_activity() {
    let engine = engine();
    let machine = machine(&engine, "never_ends", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&NEVER_ENDS)
        .idle_heartbeat(Duration::from_secs(5))
        .start()
        .await
        .unwrap();
    let execution = start(&engine, &machine, json!({})).await;
    until(|| STOPPED_CONTEXT.lock().unwrap().is_some()).await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(!STOPPED_DROPPED.load(Ordering::SeqCst));
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: execution.clone(),
            error: Some("Enough".into()),
            cause: None,
        })
        .await
        .unwrap();
    // The next heartbeat (at 10 s) learns that the task is over.
    until(|| STOPPED_DROPPED.load(Ordering::SeqCst)).await;
    let context = STOPPED_CONTEXT.lock().unwrap().clone().unwrap();
    assert!(context.is_cancelled());
    assert_eq!(context.heartbeats_sent(), 1);
    let stats = worker.shutdown().await.unwrap();
    assert_eq!((stats.received, stats.cancelled), (1, 1), "{stats:?}");
    assert_eq!(stats.finished(), 1);
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
}

// ---------------------------------------------------------------------------

fn fails(_input: Value, _context: ActivityContext) -> ActivityFuture {
    boxed(async { Err(TaskFailure::new("MyError", "it broke")) })
}
static FAILS: ActivityDefinition = definition("fails", None, fails);

#[tokio::test(start_paused = true)]
async fn an_error_becomes_activity_failed_and_the_worker_name_shows() {
    let engine = engine();
    let machine = machine(&engine, "fails", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&FAILS)
        .name("failing-worker-7")
        .start()
        .await
        .unwrap();
    assert_eq!(worker.name(), "failing-worker-7");
    let execution = start(&engine, &machine, json!({})).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("MyError"));
    let events = history(&engine, &execution).await;
    assert_eq!(failure_of(&events), ("MyError".into(), "it broke".into()));
    let EventDetails::ActivityStarted(started) = &events[3].details else {
        panic!("{:?}", events[3]);
    };
    assert_eq!(started.worker_name.as_deref(), Some("failing-worker-7"));
    let stats = worker.shutdown().await.unwrap();
    assert_eq!((stats.received, stats.failed), (1, 1));
}

// ---------------------------------------------------------------------------

fn add(input: Value, _context: ActivityContext) -> ActivityFuture {
    boxed(async move {
        let mut arguments = InputArguments::new(input, &ADD)?;
        let a = arguments.required::<i64>("a", "i64");
        let b = arguments.required::<i64>("b", "i64");
        match (a, b) {
            (Some(a), Some(b)) => Ok(json!(a + b)),
            _ => Err(arguments.into_failure()),
        }
    })
}
static ADD: ActivityDefinition = ActivityDefinition {
    name: "add",
    id: "add",
    description: "Adds `a` and `b`.",
    arguments: &[
        Argument {
            name: "a",
            required: true,
        },
        Argument {
            name: "b",
            required: true,
        },
    ],
    takes_whole_input: false,
    errors: &[],
    heartbeat_seconds: None,
    timeout_seconds: None,
    run: add,
};

#[tokio::test(start_paused = true)]
async fn bad_input_fails_with_invalid_input() {
    let engine = engine();
    let machine = machine(&engine, "add", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&ADD)
        .start()
        .await
        .unwrap();
    let good = start(&engine, &machine, json!({"a": 3, "b": 42})).await;
    let bad = start(&engine, &machine, json!({"a": "three"})).await;
    let done = engine.wait_for_execution(&good).await.unwrap();
    assert_eq!(done.output.as_deref(), Some("45"));
    let done = engine.wait_for_execution(&bad).await.unwrap();
    assert_eq!(done.error.as_deref(), Some(INVALID_INPUT_ERROR));
    let (error, cause) = failure_of(&history(&engine, &bad).await);
    assert_eq!(error, INVALID_INPUT_ERROR);
    assert!(cause.contains("argument `a` (i64)"), "{cause}");
    assert!(cause.contains("argument `b` (i64) is missing"), "{cause}");
    let stats = worker.shutdown().await.unwrap();
    assert_eq!((stats.succeeded, stats.failed), (1, 1));
}

// ---------------------------------------------------------------------------

fn panics_in_run(_input: Value, _context: ActivityContext) -> ActivityFuture {
    panic!("no future for you")
}
static PANICS_IN_RUN: ActivityDefinition = definition("panics_in_run", None, panics_in_run);

fn too_large(_input: Value, _context: ActivityContext) -> ActivityFuture {
    boxed(async { Ok(json!("x".repeat(300_000))) })
}
static TOO_LARGE: ActivityDefinition = definition("too_large", None, too_large);

#[tokio::test(start_paused = true)]
async fn a_panicking_run_and_a_huge_output_fail_their_tasks_and_the_worker_goes_on() {
    let engine = engine();
    let panicking = machine(&engine, "panics_in_run", json!({})).await;
    let huge = machine(&engine, "too_large", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&PANICS_IN_RUN)
        .definition(&TOO_LARGE)
        .start()
        .await
        .unwrap();
    for _ in 0..2 {
        let execution = start(&engine, &panicking, json!({})).await;
        engine.wait_for_execution(&execution).await.unwrap();
        let (error, cause) = failure_of(&history(&engine, &execution).await);
        assert_eq!(error, PANIC_ERROR);
        assert_eq!(cause, "the activity panicked: no future for you");
    }
    let execution = start(&engine, &huge, json!({})).await;
    engine.wait_for_execution(&execution).await.unwrap();
    let (error, cause) = failure_of(&history(&engine, &execution).await);
    assert_eq!(error, OUTPUT_ERROR);
    assert!(cause.contains("300002 bytes"), "{cause}");
    let stats = worker.shutdown().await.unwrap();
    assert_eq!((stats.panicked, stats.failed, stats.received), (2, 1, 3));
}

// ---------------------------------------------------------------------------

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST_RUNNING: AtomicUsize = AtomicUsize::new(0);

fn counted(_input: Value, _context: ActivityContext) -> ActivityFuture {
    boxed(async {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_RUNNING.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(500)).await;
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        Ok(Value::Null)
    })
}
static COUNTED: ActivityDefinition = definition("counted", None, counted);

#[tokio::test(start_paused = true)]
async fn no_more_tasks_run_at_once_than_the_concurrency() {
    let engine = engine();
    let machine = machine(&engine, "counted", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&COUNTED)
        .pollers(5)
        .concurrency(3)
        .start()
        .await
        .unwrap();
    let mut executions = Vec::new();
    for _ in 0..12 {
        executions.push(start(&engine, &machine, json!({})).await);
    }
    let mut ends = Vec::new();
    for execution in &executions {
        let done = engine.wait_for_execution(execution).await.unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded);
        ends.push(done.stop_date.unwrap());
    }
    assert_eq!(MOST_RUNNING.load(Ordering::SeqCst), 3);
    // Three at a time, half a second each: four rounds.
    let first = ends.iter().min().unwrap();
    let last = ends.iter().max().unwrap();
    assert_eq!((*last - *first).whole_milliseconds(), 1500);
    let stats = worker.shutdown().await.unwrap();
    assert_eq!(stats.succeeded, 12);
}

// ---------------------------------------------------------------------------

fn quick(_input: Value, _context: ActivityContext) -> ActivityFuture {
    boxed(async { Ok(json!("ok")) })
}
static QUICK: ActivityDefinition = definition("quick", None, quick);

/// When each of three tasks queued at once was started, in seconds after
/// the first poll, with every poll taking a second to reach the engine.
async fn start_times_with_pollers(pollers: usize) -> Vec<i64> {
    let engine = engine();
    let machine = machine(&engine, "quick", json!({})).await;
    let mut executions = Vec::new();
    for _ in 0..3 {
        executions.push(start(&engine, &machine, json!({})).await);
    }
    let slow_polls = FaultInjector::builder(Arc::new(engine.clone()))
        .latency(1.0, Duration::from_secs(1), Duration::from_secs(1))
        .only(&[Operation::GetActivityTask])
        .build()
        .unwrap();
    let worker = WorkerBuilder::new(Arc::new(slow_polls))
        .definition(&QUICK)
        .pollers(pollers)
        .start()
        .await
        .unwrap();
    let mut started = Vec::new();
    for execution in &executions {
        engine.wait_for_execution(execution).await.unwrap();
        let events = history(&engine, execution).await;
        let at = events
            .iter()
            .find(|e| e.event_type().as_str() == "ActivityStarted")
            .unwrap()
            .timestamp;
        started.push((at - events[0].timestamp).whole_seconds());
    }
    worker.shutdown().await.unwrap();
    started.sort_unstable();
    started
}

#[tokio::test(start_paused = true)]
async fn each_activity_keeps_its_number_of_polls_waiting() {
    assert_eq!(start_times_with_pollers(1).await, [1, 2, 3]);
    assert_eq!(start_times_with_pollers(3).await, [1, 1, 1]);
}

// ---------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_throttled_report_is_retried_until_accepted() {
    let engine = engine();
    let machine = machine(&engine, "quick", json!({})).await;
    let throttling = Arc::new(
        FaultInjector::builder(Arc::new(engine.clone()))
            .seed(5)
            .throttle(0.7)
            .only(&[Operation::SendTaskSuccess])
            .build()
            .unwrap(),
    );
    let worker = WorkerBuilder::new(throttling.clone())
        .definition(&QUICK)
        .retry(RetryPolicy::default().attempts(2))
        .start()
        .await
        .unwrap();
    let execution = start(&engine, &machine, json!({})).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let stats = worker.shutdown().await.unwrap();
    let reports = throttling.counts(Operation::SendTaskSuccess);
    // More throttles than the policy's two attempts: a report keeps trying.
    assert!(reports.throttled >= 2, "{reports:?}");
    assert_eq!(reports.calls, reports.throttled + 1);
    assert_eq!(stats.report_retries, reports.throttled);
    assert_eq!((stats.succeeded, stats.report_failures), (1, 0));
    let events = history(&engine, &execution).await;
    assert_eq!(
        types(&events)
            .iter()
            .filter(|t| **t == "ActivitySucceeded")
            .count(),
        1
    );
}

// ---------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn settings_are_checked_when_the_worker_starts() {
    let api: Arc<dyn StepFunctions> = Arc::new(engine());
    let error = WorkerBuilder::new(api.clone()).start().await.unwrap_err();
    assert!(matches!(error, WorkerError::NoActivities), "{error}");
    let error = WorkerBuilder::new(api.clone())
        .definition(&QUICK)
        .pollers(0)
        .start()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("pollers(0)"), "{error}");
    let error = WorkerBuilder::new(api.clone())
        .definition(&QUICK)
        .concurrency(0)
        .start()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("concurrency(0)"), "{error}");
    let error = WorkerBuilder::new(api.clone())
        .definition(&QUICK)
        .name("n".repeat(81))
        .start()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("81 characters"), "{error}");
    // Another activity under the same name: another id.
    static OTHER_QUICK: ActivityDefinition = ActivityDefinition {
        id: "another quick",
        ..definition("quick", Some(5), quick)
    };
    let error = WorkerBuilder::new(api.clone())
        .definition(&QUICK)
        .definition(&OTHER_QUICK)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WorkerError::DuplicateActivity(name) if name == "quick"),
        "{error}"
    );
    let error = WorkerBuilder::new(api.clone())
        .definition(&QUICK)
        .activity_prefix("bad prefix ")
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WorkerError::CreateActivity { activity, source }
            if activity == "bad prefix quick" && source.code() == "InvalidName"),
        "{error}"
    );
    // The same activity twice is served once; the prefix is applied.
    let worker = WorkerBuilder::new(api.clone())
        .definition(&QUICK)
        .definition(&QUICK)
        .activity_prefix("test-")
        .start()
        .await
        .unwrap();
    let served: Vec<_> = worker.activity_arns().collect();
    assert_eq!(
        served,
        [(
            "test-quick",
            "arn:aws:states:us-east-1:123456789012:activity:test-quick"
        )]
    );
    assert!(worker.name().chars().count() <= MAX_WORKER_NAME_LENGTH);
    let host = gethostname_for_test();
    assert!(worker.name().starts_with(&host), "{}", worker.name());
    worker.shutdown().await.unwrap();
}

fn gethostname_for_test() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|host| host.trim().chars().take(10).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------

#[tokio::test]
async fn ctrl_c_shuts_the_worker_down_gracefully() {
    stop_signal_shuts_the_worker_down(libc::SIGINT).await;
}

#[tokio::test]
async fn sigterm_shuts_the_worker_down_gracefully() {
    stop_signal_shuts_the_worker_down(libc::SIGTERM).await;
}

async fn stop_signal_shuts_the_worker_down(signal: libc::c_int) {
    let engine = engine();
    let machine = machine(&engine, "quick", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&QUICK)
        .start()
        .await
        .unwrap();
    let execution = start(&engine, &machine, json!({})).await;
    engine.wait_for_execution(&execution).await.unwrap();
    let running = tokio::spawn(worker.run_until_ctrl_c());
    // Let the worker install its signal handlers before the signal comes.
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert!(!running.is_finished());
    // SAFETY: raising a signal has no memory effects; tokio's handlers for
    // SIGINT and SIGTERM are installed (the worker is waiting for them).
    assert_eq!(unsafe { libc::raise(signal) }, 0);
    let stats = tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the worker stops on the signal")
        .unwrap()
        .unwrap();
    assert_eq!((stats.received, stats.succeeded), (1, 1));
}

/// Records the spans opened on this thread, as `name field=value ...`.
#[derive(Default)]
struct SpanRecorder {
    spans: Mutex<Vec<String>>,
}

impl tracing::Subscriber for SpanRecorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!(" {}={value:?}", field.name()));
            }
        }
        let mut fields = Fields(span.metadata().name().to_string());
        span.record(&mut fields);
        let mut spans = self.spans.lock().unwrap();
        spans.push(fields.0);
        tracing::span::Id::from_u64(spans.len() as u64)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(start_paused = true)]
async fn each_task_runs_in_a_span_naming_its_activity_task_and_worker() {
    let recorder = Arc::new(SpanRecorder::default());
    // The test's runtime has one thread: every task the worker spawns runs
    // under this subscriber.
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let engine = engine();
    let machine = machine(&engine, "quick", json!({})).await;
    let worker = WorkerBuilder::new(Arc::new(engine.clone()))
        .definition(&QUICK)
        .name("spanned")
        .start()
        .await
        .unwrap();
    for n in 0..2 {
        let execution = start(&engine, &machine, json!({"n": n})).await;
        engine.wait_for_execution(&execution).await.unwrap();
    }
    worker.shutdown().await.unwrap();
    let spans: Vec<String> = recorder
        .spans
        .lock()
        .unwrap()
        .iter()
        .filter(|span| span.starts_with("activity_task "))
        .cloned()
        .collect();
    assert_eq!(spans.len(), 2, "{spans:?}");
    for span in &spans {
        let (start, rest) = span.split_once(" task=").unwrap();
        assert_eq!(start, "activity_task activity=quick");
        let (task, worker) = rest.split_once(' ').unwrap();
        // A label of the token, not the token: a whole token would let a
        // log's reader answer the task.
        assert_eq!(task.len(), 9, "{task}");
        assert!(task.starts_with('#'), "{task}");
        assert_eq!(worker, "worker=spanned");
    }
    assert_ne!(spans[0], spans[1], "each task has its own span");
}
