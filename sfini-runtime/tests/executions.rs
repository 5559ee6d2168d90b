//! Executions through the client handle: names, typed output, each way an
//! execution ends and its error message, listing with filters over several
//! pages, whole histories, their readable form, and following a history as
//! it grows. On the virtual clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::client::Sfn;
use sfini_runtime::clock::Clock;
use sfini_runtime::execution::ExecutionError;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::registration::Machine;
use time::OffsetDateTime;
use time::macros::datetime;

const START: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .build()
}

/// An engine that counts some of the calls made to it.
struct Counting {
    inner: LocalEngine,
    describe_calls: AtomicUsize,
    list_calls: AtomicUsize,
    history_calls: AtomicUsize,
    history_events: AtomicUsize,
}

impl Counting {
    fn new(inner: LocalEngine) -> Arc<Counting> {
        Arc::new(Counting {
            inner,
            describe_calls: AtomicUsize::new(0),
            list_calls: AtomicUsize::new(0),
            history_calls: AtomicUsize::new(0),
            history_events: AtomicUsize::new(0),
        })
    }

    fn take(counter: &AtomicUsize) -> usize {
        counter.swap(0, Ordering::SeqCst)
    }
}

macro_rules! delegate {
    ($($method:ident($input:ty) -> $output:ty;)*) => {
        $(fn $method(&self, input: $input) -> ApiFuture<'_, $output> {
            self.inner.$method(input)
        })*
    };
}

impl StepFunctions for Counting {
    delegate! {
        create_activity(CreateActivityInput) -> CreateActivityOutput;
        describe_activity(DescribeActivityInput) -> DescribeActivityOutput;
        list_activities(ListActivitiesInput) -> ListActivitiesOutput;
        delete_activity(DeleteActivityInput) -> DeleteActivityOutput;
        create_state_machine(CreateStateMachineInput) -> CreateStateMachineOutput;
        update_state_machine(UpdateStateMachineInput) -> UpdateStateMachineOutput;
        describe_state_machine(DescribeStateMachineInput) -> DescribeStateMachineOutput;
        list_state_machines(ListStateMachinesInput) -> ListStateMachinesOutput;
        delete_state_machine(DeleteStateMachineInput) -> DeleteStateMachineOutput;
        start_execution(StartExecutionInput) -> StartExecutionOutput;
        stop_execution(StopExecutionInput) -> StopExecutionOutput;
        get_activity_task(GetActivityTaskInput) -> GetActivityTaskOutput;
        send_task_success(SendTaskSuccessInput) -> SendTaskSuccessOutput;
        send_task_failure(SendTaskFailureInput) -> SendTaskFailureOutput;
        send_task_heartbeat(SendTaskHeartbeatInput) -> SendTaskHeartbeatOutput;
    }

    fn describe_execution(
        &self,
        input: DescribeExecutionInput,
    ) -> ApiFuture<'_, DescribeExecutionOutput> {
        self.describe_calls.fetch_add(1, Ordering::SeqCst);
        self.inner.describe_execution(input)
    }

    fn list_executions(&self, input: ListExecutionsInput) -> ApiFuture<'_, ListExecutionsOutput> {
        self.list_calls.fetch_add(1, Ordering::SeqCst);
        self.inner.list_executions(input)
    }

    fn get_execution_history(
        &self,
        input: GetExecutionHistoryInput,
    ) -> ApiFuture<'_, GetExecutionHistoryOutput> {
        Box::pin(async move {
            self.history_calls.fetch_add(1, Ordering::SeqCst);
            let page = self.inner.get_execution_history(input).await?;
            self.history_events
                .fetch_add(page.events.len(), Ordering::SeqCst);
            Ok(page)
        })
    }
}

/// Serves an activity: takes each task as `worker`, waits `delay`, then
/// answers with `answer(input)`.
fn serve<F>(
    sfn: &Sfn,
    activity_arn: &str,
    worker: &'static str,
    delay: Duration,
    answer: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn(Value) -> Result<Value, (&'static str, &'static str)> + Send + Sync + 'static,
{
    let api = sfn.api().clone();
    let activity_arn = activity_arn.to_string();
    tokio::spawn(async move {
        loop {
            let task = api
                .get_activity_task(GetActivityTaskInput {
                    activity_arn: activity_arn.clone(),
                    worker_name: Some(worker.into()),
                })
                .await
                .unwrap();
            let (Some(token), Some(input)) = (task.task_token, task.input) else {
                continue;
            };
            tokio::time::sleep(delay).await;
            let answered = match answer(serde_json::from_str(&input).unwrap()) {
                Ok(output) => api
                    .send_task_success(SendTaskSuccessInput {
                        task_token: token,
                        output: output.to_string(),
                    })
                    .await
                    .map(drop),
                Err((error, cause)) => api
                    .send_task_failure(SendTaskFailureInput {
                        task_token: token,
                        error: Some(error.into()),
                        cause: Some(cause.into()),
                    })
                    .await
                    .map(drop),
            };
            answered.unwrap();
        }
    })
}

fn task(activity: &str, rest: Value) -> Value {
    let mut state = json!({
        "Type": "Task",
        "Resource": format!("arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:activity:{activity}"),
    });
    if let (Some(state), Value::Object(rest)) = (state.as_object_mut(), rest) {
        state.extend(rest);
    }
    state
}

async fn registered(sfn: &Sfn, name: &str, definition: Value) -> (Machine, Vec<String>) {
    let machine = sfn.machine(name.to_string(), definition.to_string());
    let registration = machine.register().await.unwrap();
    let activities = registration
        .activities
        .into_iter()
        .map(|activity| activity.arn)
        .collect();
    (machine, activities)
}

fn pass_machine() -> Value {
    json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}})
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn generated_names_hold_the_machine_the_time_and_eight_hex_digits() {
    let sfn = Sfn::from_local(engine());
    let (machine, _) = registered(&sfn, "pass", pass_machine()).await;
    tokio::time::sleep(Duration::from_secs(3723)).await;
    let execution = machine.start(&json!({})).await.unwrap();
    let name = execution.name();
    let digits = name
        .strip_prefix("pass_2024-01-01T01-02-03_")
        .unwrap_or_else(|| panic!("{name}"));
    assert_eq!(digits.len(), 8, "{name}");
    assert!(
        digits
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{name}"
    );
    assert_eq!(
        execution.arn(),
        format!("arn:aws:states:us-east-1:123456789012:execution:pass:{name}")
    );
    let other = machine.start(&json!({})).await.unwrap();
    assert_ne!(other.name(), name);

    let long = "m".repeat(80);
    let (machine, _) = registered(&sfn, &long, pass_machine()).await;
    let execution = machine.start(&json!({})).await.unwrap();
    assert_eq!(execution.name().chars().count(), 80);
    assert!(
        execution
            .name()
            .starts_with(&format!("{}_2024-01-01T01-02-03_", "m".repeat(51)))
    );
    execution.wait().await.unwrap();
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn outputs_are_read_as_the_type_asked_for() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Sum {
        a: i64,
        b: i64,
        sum: i64,
    }
    let sfn = Sfn::from_local(engine());
    let (machine, activities) = registered(
        &sfn,
        "adding",
        json!({"StartAt": "add", "States": {"add": task("add", json!({"ResultPath": "$.sum", "End": true}))}}),
    )
    .await;
    let _worker = serve(&sfn, &activities[0], "w", Duration::ZERO, |input| {
        Ok(json!(
            input["a"].as_i64().unwrap() + input["b"].as_i64().unwrap()
        ))
    });
    let execution = machine.start(&json!({"a": 3, "b": 42})).await.unwrap();
    let done = execution.wait().await.unwrap();
    assert_eq!(
        done.output::<Sum>().unwrap(),
        Sum {
            a: 3,
            b: 42,
            sum: 45
        }
    );
    assert_eq!(done.output_json(), r#"{"a":3,"b":42,"sum":45}"#);
    assert_eq!(execution.output::<Value>().await.unwrap()["sum"], json!(45));
    assert_eq!(
        execution.status().await.unwrap(),
        ExecutionStatus::Succeeded
    );
    let error = execution.output::<String>().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the output of the execution `{}` cannot be read as the type asked for: \
             invalid type: map, expected a string at line 1 column 0",
            execution.arn()
        )
    );
    // The same execution, opened by its ARN.
    let reopened = sfn.execution(execution.arn());
    assert_eq!(reopened.output::<Sum>().await.unwrap().sum, 45);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_failed_execution_names_its_error_and_cause() {
    let sfn = Sfn::from_local(engine());
    let (machine, activities) = registered(
        &sfn,
        "raising",
        json!({"StartAt": "raise", "States": {"raise": task("raise", json!({"End": true}))}}),
    )
    .await;
    let _worker = serve(&sfn, &activities[0], "w", Duration::ZERO, |_| {
        Err(("MyError", "the input was odd"))
    });
    let execution = machine.start_named("odd", &json!({})).await.unwrap();
    let error = execution.wait().await.unwrap_err();
    assert!(matches!(error, ExecutionError::Failed { .. }));
    assert_eq!(error.error_name(), Some("MyError"));
    assert_eq!(error.cause(), Some("the input was odd"));
    assert_eq!(
        error.to_string(),
        "the execution `arn:aws:states:us-east-1:123456789012:execution:raising:odd` failed \
         with error `MyError` and cause: the input was odd"
    );
    // The output of a failed execution is that error too.
    assert_eq!(
        execution.output::<Value>().await.unwrap_err().to_string(),
        error.to_string()
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn waiting_gives_up_after_its_timeout_and_a_stopped_execution_is_aborted() {
    let sfn = Sfn::from_local(engine());
    let (machine, _) = registered(
        &sfn,
        "unserved",
        json!({"StartAt": "t", "States": {"t": task("nobody", json!({"End": true}))}}),
    )
    .await;
    let execution = machine.start_named("waiting", &json!({})).await.unwrap();
    let error = execution
        .wait_timeout(Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the execution `arn:aws:states:us-east-1:123456789012:execution:unserved:waiting` is \
         still running after 5 s"
    );
    let error = execution.output::<Value>().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the execution `arn:aws:states:us-east-1:123456789012:execution:unserved:waiting` is \
         still running: it has no output yet; wait for it first"
    );
    let stopped_at = execution.stop("Cancelled", "no worker came").await.unwrap();
    assert_eq!(stopped_at, START + Duration::from_secs(5));
    let error = execution.wait().await.unwrap_err();
    assert!(matches!(error, ExecutionError::Aborted { .. }));
    assert_eq!(
        error.to_string(),
        "the execution `arn:aws:states:us-east-1:123456789012:execution:unserved:waiting` was \
         aborted with error `Cancelled` and cause: no worker came"
    );
    assert_eq!(execution.status().await.unwrap(), ExecutionStatus::Aborted);

    // Stopped without an error or cause.
    let execution = machine.start_named("bare", &json!({})).await.unwrap();
    execution.stop("", "").await.unwrap();
    assert_eq!(
        execution.wait().await.unwrap_err().to_string(),
        "the execution `arn:aws:states:us-east-1:123456789012:execution:unserved:bare` was \
         aborted (no error or cause given)"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_execution_that_ran_past_the_machines_timeout_timed_out() {
    // Through an engine that is not known to be local: waiting polls
    // DescribeExecution at growing intervals.
    let counting = Counting::new(engine());
    let sfn = Sfn::new(counting.clone()).with_role_arn("arn:aws:iam::123456789012:role/r");
    let (machine, _) = registered(
        &sfn,
        "slow",
        json!({"TimeoutSeconds": 10, "StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 60, "End": true}}}),
    )
    .await;
    let execution = machine.start_named("slow-1", &json!({})).await.unwrap();
    let error = execution.wait().await.unwrap_err();
    assert!(matches!(error, ExecutionError::TimedOut { .. }));
    assert_eq!(
        error.to_string(),
        // As AWS describes a timed-out execution: no error, no cause.
        "the execution `arn:aws:states:us-east-1:123456789012:execution:slow:slow-1` timed out \
         (no error or cause given)"
    );
    let described = execution.describe().await.unwrap();
    assert_eq!(
        described.stop_date,
        Some(described.start_date + Duration::from_secs(10))
    );
    // 50 ms doubling to 2 s: 0, 0.05, 0.15, 0.35, 0.75, 1.55, 3.15, 5.15,
    // 7.15, 9.15 and 11.15 s, then the last describe above.
    assert_eq!(Counting::take(&counting.describe_calls), 12);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn executions_are_listed_and_counted_with_filters_over_many_pages() {
    let counting = Counting::new(engine());
    let sfn = Sfn::new(counting.clone()).with_role_arn("arn:aws:iam::123456789012:role/r");
    let (machine, _) = registered(
        &sfn,
        "job",
        json!({"StartAt": "check", "States": {
            "check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "fail"}], "Default": "done"},
            "fail": {"Type": "Fail", "Error": "Odd"},
            "done": {"Type": "Succeed"}
        }}),
    )
    .await;
    // run-000 starts at START, run-001 a second later, and so on.
    let origin = tokio::time::Instant::now();
    let mut executions = Vec::new();
    for i in 0..120 {
        tokio::time::sleep_until(origin + Duration::from_secs(i)).await;
        let execution = machine
            .start_named(format!("run-{i:03}"), &json!({"fail": i % 3 == 0}))
            .await
            .unwrap();
        executions.push(execution);
    }
    for execution in executions {
        let _ = execution.wait().await;
    }
    Counting::take(&counting.list_calls);
    let names = |items: Vec<ExecutionListItem>| -> Vec<String> {
        items.into_iter().map(|item| item.name).collect()
    };
    let second = |n: u64| START + Duration::from_secs(n);

    assert_eq!(machine.executions().count().await.unwrap(), 120);
    assert_eq!(Counting::take(&counting.list_calls), 2, "two pages of 100");
    assert_eq!(
        machine.executions().page_size(7).count().await.unwrap(),
        120
    );
    assert_eq!(Counting::take(&counting.list_calls), 18);
    assert_eq!(
        machine
            .executions()
            .status(ExecutionStatus::Failed)
            .count()
            .await
            .unwrap(),
        40
    );
    Counting::take(&counting.list_calls);

    // The window [10 s, 20 s): reading stops at the page holding run-009.
    let window = machine
        .executions()
        .started_after(second(10))
        .started_before(second(20))
        .page_size(7)
        .list()
        .await
        .unwrap();
    let expected: Vec<String> = (10..20).rev().map(|i| format!("run-{i:03}")).collect();
    assert_eq!(names(window), expected);
    assert_eq!(Counting::take(&counting.list_calls), 16, "of 18 pages");

    let prefixed = machine
        .executions()
        .name_prefix("run-11")
        .list()
        .await
        .unwrap();
    let expected: Vec<String> = (110..120).rev().map(|i| format!("run-{i:03}")).collect();
    assert_eq!(names(prefixed), expected);

    Counting::take(&counting.list_calls);
    let newest = machine
        .executions()
        .limit(5)
        .page_size(2)
        .list()
        .await
        .unwrap();
    assert_eq!(
        names(newest),
        ["run-119", "run-118", "run-117", "run-116", "run-115"]
    );
    assert_eq!(Counting::take(&counting.list_calls), 3);

    let succeeded = machine
        .executions()
        .status(ExecutionStatus::Succeeded)
        .limit(3)
        .list()
        .await
        .unwrap();
    assert_eq!(names(succeeded), ["run-119", "run-118", "run-116"]);
    assert!(
        machine
            .executions()
            .limit(0)
            .list()
            .await
            .unwrap()
            .is_empty()
    );
    let failed_in_window = machine
        .executions()
        .status(ExecutionStatus::Failed)
        .started_after(second(100))
        .count()
        .await
        .unwrap();
    assert_eq!(failed_in_window, 6, "run-102, 105, 108, 111, 114 and 117");
}

/// A machine that loops `n` times through a Pass and a Choice state.
fn counting_loop(n: u32) -> Value {
    json!({"StartAt": "init", "States": {
        "init": {"Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "increment"},
        "increment": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "check"},
        "check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": n, "Next": "increment"}], "Default": "done"},
        "done": {"Type": "Succeed"}
    }})
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_history_is_read_over_all_its_pages() {
    let counting = Counting::new(engine());
    let sfn = Sfn::new(counting.clone()).with_role_arn("arn:aws:iam::123456789012:role/r");
    let (machine, _) = registered(&sfn, "loop", counting_loop(300)).await;
    let execution = machine.start_named("long", &json!({})).await.unwrap();
    assert_eq!(
        execution.wait().await.unwrap().output::<Value>().unwrap(),
        json!({"n": 300})
    );
    Counting::take(&counting.history_calls);
    let history = execution.history().await.unwrap();
    // Started, init's two events, four per iteration, done's two, succeeded.
    assert_eq!(history.len(), 1 + 2 + 4 * 300 + 2 + 1);
    assert_eq!(Counting::take(&counting.history_calls), 2, "pages of 1000");
    assert!(
        history
            .events()
            .iter()
            .zip(1..)
            .all(|(event, id)| event.id == id)
    );
    assert_eq!(
        history.events().last().unwrap().event_type(),
        HistoryEventType::ExecutionSucceeded
    );
    assert_eq!(execution.format_history().await.unwrap(), history.format());
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_history_formats_as_the_python_sfini_prints_it() {
    let sfn = Sfn::from_local(engine());
    let (machine, activities) = registered(
        &sfn,
        "error_handling",
        json!({"StartAt": "raise", "States": {
            "raise": task("raiseActivity", json!({
                "Catch": [{"ErrorEquals": ["MyError"], "ResultPath": "$.error-info", "Next": "fail"}],
                "End": true
            })),
            "fail": {"Type": "Fail", "Error": "WorkerError", "Cause": "MyError was raised"}
        }}),
    )
    .await;
    let _worker = serve(
        &sfn,
        &activities[0],
        "test-worker",
        Duration::from_millis(2500),
        |_| Err(("MyError", "the activity raised it")),
    );
    let execution = machine.start_named("once", &json!({})).await.unwrap();
    let mut follower = execution.follow_history();
    let mut followed = Vec::new();
    while let Some(event) = follower.next().await {
        followed.push(event.unwrap());
    }
    assert!(follower.next().await.is_none());
    let history = execution.history().await.unwrap();
    assert_eq!(followed, history.events());
    assert_eq!(
        history.format(),
        "ExecutionStarted [1] @ 2024-01-01T00:00:00.000Z\n\
         TaskStateEntered [2] @ 2024-01-01T00:00:00.000Z:\n  name: raise\n\
         ActivityScheduled [3] @ 2024-01-01T00:00:00.000Z:\n  resource: arn:aws:states:us-east-1:123456789012:activity:raiseActivity\n\
         ActivityStarted [4] @ 2024-01-01T00:00:00.000Z:\n  worker: test-worker\n\
         ActivityFailed [5] @ 2024-01-01T00:00:02.500Z:\n  error: MyError\n  cause: the activity raised it\n\
         TaskStateExited [6] @ 2024-01-01T00:00:02.500Z:\n  name: raise\n\
         FailStateEntered [7] @ 2024-01-01T00:00:02.500Z:\n  name: fail\n\
         ExecutionFailed [8] @ 2024-01-01T00:00:02.500Z:\n  error: WorkerError\n  cause: MyError was raised\n"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_formatted_history_shows_each_map_iteration_with_its_index() {
    let sfn = Sfn::from_local(engine());
    let (machine, _) = registered(
        &sfn,
        "each",
        json!({"StartAt": "each", "States": {"each": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "wait", "States": {"wait": {"Type": "Wait", "SecondsPath": "$", "End": true}}},
            "End": true
        }}}),
    )
    .await;
    let execution = machine.start_named("twice", &json!([2, 1])).await.unwrap();
    execution.wait().await.unwrap();
    let formatted = execution.format_history().await.unwrap();
    let lines: Vec<&str> = formatted.split_inclusive('\n').collect();
    let iterations: Vec<String> = lines
        .windows(3)
        .filter(|lines| lines[0].starts_with("MapIteration"))
        .map(|lines| lines.concat())
        .collect();
    // The second item waits one second, the first two; each iteration's
    // events carry the Map's name and the item's index, and the times keep
    // their milliseconds.
    assert_eq!(
        iterations,
        [
            "MapIterationStarted [4] @ 2024-01-01T00:00:00.000Z:\n  name: each\n  index: 0\n",
            "MapIterationStarted [5] @ 2024-01-01T00:00:00.000Z:\n  name: each\n  index: 1\n",
            "MapIterationSucceeded [9] @ 2024-01-01T00:00:01.000Z:\n  name: each\n  index: 1\n",
            "MapIterationSucceeded [11] @ 2024-01-01T00:00:02.000Z:\n  name: each\n  index: 0\n",
        ],
        "{formatted}"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn the_follower_yields_each_event_once_while_the_execution_runs() {
    let counting = Counting::new(engine());
    let sfn = Sfn::new(counting.clone()).with_role_arn("arn:aws:iam::123456789012:role/r");
    let (machine, activities) = registered(
        &sfn,
        "steps",
        json!({"StartAt": "init", "States": {
            "init": {"Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "step"},
            "step": task("step", json!({"ResultPath": "$.n", "Next": "rest"})),
            "rest": {"Type": "Wait", "Seconds": 1, "Next": "check"},
            "check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 40, "Next": "step"}], "Default": "done"},
            "done": {"Type": "Succeed"}
        }}),
    )
    .await;
    let _worker = serve(
        &sfn,
        &activities[0],
        "w",
        Duration::from_millis(700),
        |input| Ok(json!(input["n"].as_i64().unwrap() + 1)),
    );
    let execution = machine.start_named("forty", &json!({})).await.unwrap();
    let mut follower = execution.follow_history();
    let mut followed = Vec::new();
    let mut seen_while_running = 0;
    while let Some(event) = follower.next().await {
        let event = event.unwrap();
        if execution.status().await.unwrap() == ExecutionStatus::Running {
            seen_while_running += 1;
        }
        followed.push(event);
    }
    assert!(follower.next().await.is_none());
    let calls = Counting::take(&counting.history_calls);
    let fetched = Counting::take(&counting.history_events);
    let history = execution.history().await.unwrap();
    assert_eq!(followed, history.events());
    let n = followed.len();
    // Started, init's two, per step seven (entered, scheduled, started,
    // succeeded, exited, wait entered and exited), per check two, done's
    // two, succeeded.
    assert_eq!(n, 1 + 2 + 40 * 9 + 2 + 1);
    assert!(seen_while_running > n / 2, "{seen_while_running} of {n}");
    assert_eq!(
        followed.last().unwrap().event_type(),
        HistoryEventType::ExecutionSucceeded
    );
    // Each read stops at the last event seen, and the pages of later reads
    // are about as large as what the previous read found (here at most six
    // events at once): the history is not read again on every poll.
    println!("follower: {n} events yielded, {calls} reads, {fetched} events read");
    assert!(
        fetched <= n + 12 * calls,
        "{fetched} events read in {calls} reads"
    );
}
