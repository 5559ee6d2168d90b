//! The ported examples: each workflow's definition equals its reviewed file
//! under examples/asl/ and passes validation, and each example gives the
//! output (or history) the Python sfini documents for it.

#![allow(dead_code)]

#[path = "../examples/adding.rs"]
mod adding;
#[path = "../examples/adding_jsonata.rs"]
mod adding_jsonata;
#[path = "../examples/cli.rs"]
mod cli;
#[path = "../examples/error_handling.rs"]
mod error_handling;
#[path = "../examples/error_handling_jsonata.rs"]
mod error_handling_jsonata;
#[path = "../examples/file_processing.rs"]
mod file_processing;
#[path = "../examples/file_processing_jsonata.rs"]
mod file_processing_jsonata;
#[path = "../examples/looping.rs"]
mod looping;
#[path = "../examples/looping_jsonata.rs"]
mod looping_jsonata;
#[path = "../examples/parallel.rs"]
mod parallel;
#[path = "../examples/parallel_jsonata.rs"]
mod parallel_jsonata;
mod support;

use std::collections::BTreeMap;

use serde_json::json;
use sfini::Sfn;
use sfini::runtime::api::ExecutionStatus;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;
use sfini::runtime::workflow::Workflow;

fn golden<W: Workflow>(file: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/asl")
        .join(file);
    let expected = std::fs::read_to_string(&path).unwrap();
    // The reviewed files end with a newline, as text files do.
    assert_eq!(
        W::DEFINITION,
        expected.strip_suffix('\n').unwrap_or(&expected),
        "the definition of `{}` differs from {}",
        W::NAME,
        path.display()
    );
    let diagnostics = W::state_machine().validate();
    assert!(diagnostics.is_empty(), "{}: {diagnostics:?}", W::NAME);
}

#[test]
fn definitions_equal_the_reviewed_files() {
    golden::<adding::Adding>("adding.asl.json");
    golden::<looping::Looping>("looping.asl.json");
    golden::<parallel::PrintAndLog>("parallel.asl.json");
    golden::<file_processing::FileProcessing>("file_processing.asl.json");
    golden::<error_handling::ErrorHandling>("error_handling.asl.json");
    golden::<adding_jsonata::AddingJsonata>("adding_jsonata.asl.json");
    golden::<looping_jsonata::LoopingJsonata>("looping_jsonata.asl.json");
    golden::<parallel_jsonata::PrintAndLogJsonata>("parallel_jsonata.asl.json");
    golden::<file_processing_jsonata::FileProcessingJsonata>("file_processing_jsonata.asl.json");
    golden::<error_handling_jsonata::ErrorHandlingJsonata>("error_handling_jsonata.asl.json");
}

#[tokio::test]
async fn adding_gives_45() {
    let execution = adding::run(&Sfn::local(), json!({"a": 3, "b": 42}))
        .await
        .unwrap();
    assert_eq!(
        execution.status().await.unwrap(),
        ExecutionStatus::Succeeded
    );
    assert_eq!(execution.output::<i64>().await.unwrap(), 45);
}

#[tokio::test]
async fn adding_in_jsonata_gives_45() {
    let execution = adding_jsonata::run(&Sfn::local(), json!({"a": 3, "b": 42}))
        .await
        .unwrap();
    assert_eq!(
        execution.status().await.unwrap(),
        ExecutionStatus::Succeeded
    );
    assert_eq!(execution.output::<i64>().await.unwrap(), 45);
    // The task's input is its Arguments, read from the execution input.
    assert_eq!(
        activity_inputs(&execution).await,
        [json!({"a": 3, "b": 42})]
    );
}

/// The input of each activity task `execution` scheduled, in order.
async fn activity_inputs(execution: &sfini::Execution) -> Vec<serde_json::Value> {
    let history = execution.history().await.unwrap();
    history
        .events()
        .iter()
        .filter_map(|event| match &event.details {
            sfini::runtime::api::history::EventDetails::ActivityScheduled(scheduled) => scheduled
                .input
                .as_deref()
                .map(|text| serde_json::from_str(text).unwrap()),
            _ => None,
        })
        .collect()
}

/// The variables each state of `execution` assigned, by state name, in
/// order (each value as JSON text, as the history holds it).
async fn assigned_variables(
    execution: &sfini::Execution,
) -> Vec<(String, BTreeMap<String, String>)> {
    use sfini::runtime::api::history::EventDetails;
    let history = execution.history().await.unwrap();
    history
        .events()
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::TaskStateExited(exited)
            | EventDetails::PassStateExited(exited)
            | EventDetails::ChoiceStateExited(exited) => {
                Some((exited.name.clone(), exited.assigned_variables.clone()?))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn looping_in_jsonata_keeps_its_counter_in_variables() {
    let execution = looping_jsonata::run(&Sfn::local(), json!({"increment": 3}))
        .await
        .unwrap();
    assert_eq!(
        execution.output::<serde_json::Value>().await.unwrap(),
        json!({"counter": 12, "steps": [3, 6, 9, 12]})
    );
    // Each task's input is its Arguments, read from the variables.
    let inputs = activity_inputs(&execution).await;
    assert_eq!(
        inputs,
        [
            json!({"counter": 0, "increment": 3}),
            json!({"counter": 3, "increment": 3}),
            json!({"counter": 6, "increment": 3}),
            json!({"counter": 9, "increment": 3}),
        ]
    );
    // The first state sets the variables up, each task moves them on.
    let variables = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    };
    let assigned = assigned_variables(&execution).await;
    assert_eq!(assigned.len(), 5, "{assigned:?}");
    assert_eq!(
        assigned[0],
        (
            "initialise".to_string(),
            variables(&[("counter", "0"), ("step", "3"), ("steps", "[]")])
        )
    );
    assert_eq!(
        assigned[4],
        (
            "increment".to_string(),
            variables(&[("counter", "12"), ("steps", "[3,6,9,12]")])
        )
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn parallel_in_jsonata_gives_both_branches_and_waits_until_its_variable() {
    let start = time::OffsetDateTime::now_utc();
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(start))
        .build();
    let execution = parallel_jsonata::run(
        &Sfn::from_local(engine),
        json!({"level": 20, "message": "foo"}),
    )
    .await
    .unwrap();
    let output: serde_json::Value = execution.output().await.unwrap();
    assert_eq!(output[0], json!({"level": 20, "message": "foo"}));
    assert_eq!(output[1]["message"], "foo");
    let until = output[1]["until"].as_str().unwrap();
    let history = execution.history().await.unwrap();
    // The wait ended at the time the variable held: ten seconds (two
    // fields) after the print activity ran.
    let waited = history
        .events()
        .iter()
        .find(|event| event.event_type().as_str() == "WaitStateExited")
        .unwrap();
    let until =
        time::OffsetDateTime::parse(until, &time::format_description::well_known::Rfc3339).unwrap();
    assert!(waited.timestamp >= until, "{} < {until}", waited.timestamp);
    let assigned = assigned_variables(&execution).await;
    let (state, assigned) = &assigned[0];
    assert_eq!(state, "print");
    assert!(assigned["until"].starts_with('"'), "{assigned:?}");
}

#[tokio::test]
async fn looping_gives_12() {
    let execution = looping::run(&Sfn::local(), json!({"increment": 3}))
        .await
        .unwrap();
    assert_eq!(execution.output::<i64>().await.unwrap(), 12);
    let history = execution.history().await.unwrap();
    let tasks = history
        .events()
        .iter()
        .filter(|event| event.event_type().as_str() == "ActivitySucceeded")
        .count();
    assert_eq!(tasks, 4, "0 → 3 → 6 → 9 → 12");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn parallel_gives_both_branches() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(time::OffsetDateTime::now_utc()))
        .build();
    let execution = parallel::run(
        &Sfn::from_local(engine),
        json!({"level": 20, "message": "foo"}),
    )
    .await
    .unwrap();
    let output: serde_json::Value = execution.output().await.unwrap();
    assert_eq!(output[0], json!({"level": 20, "message": "foo"}));
    assert_eq!(output[1]["level"], 20);
    assert_eq!(output[1]["message"], "foo");
    assert!(output[1]["until"].is_string());
    let history = execution.history().await.unwrap();
    let types: Vec<&str> = history
        .events()
        .iter()
        .map(|event| event.event_type().as_str())
        .collect();
    assert!(types.contains(&"ParallelStateStarted"));
    assert!(types.contains(&"WaitStateExited"));
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
}

#[tokio::test]
async fn file_processing_gives_the_centres() {
    let base = std::env::temp_dir().join(format!("sfini-example-test-{}", std::process::id()));
    let images = base.join("images");
    std::fs::create_dir_all(&images).unwrap();
    for (index, colour) in [[10, 20, 30], [200, 0, 100]].iter().enumerate() {
        file_processing::Image::filled(8, 6, *colour)
            .write(&images.join(format!("{index}.ppm")))
            .unwrap();
    }
    let input = json!({"image_dir": images, "resized_image_dir": base.join("small")});
    let execution = file_processing::run(&Sfn::local(), input.clone())
        .await
        .unwrap();
    let mut expected = input;
    expected["res"] = json!([[10, 20, 30], [200, 0, 100]]);
    assert_eq!(
        execution.output::<serde_json::Value>().await.unwrap(),
        expected
    );
    std::fs::remove_dir_all(&base).unwrap();
}

#[tokio::test]
async fn file_processing_in_jsonata_gives_the_centres() {
    let base =
        std::env::temp_dir().join(format!("sfini-example-jsonata-test-{}", std::process::id()));
    let images = base.join("images");
    std::fs::create_dir_all(&images).unwrap();
    for (index, colour) in [[10, 20, 30], [200, 0, 100]].iter().enumerate() {
        file_processing_jsonata::Image::filled(8, 6, *colour)
            .write(&images.join(format!("{index}.ppm")))
            .unwrap();
    }
    let input = json!({"image_dir": images, "resized_image_dir": base.join("small")});
    let execution = file_processing_jsonata::run(&Sfn::local(), input.clone())
        .await
        .unwrap();
    let mut expected = input.clone();
    expected["res"] = json!([[10, 20, 30], [200, 0, 100]]);
    assert_eq!(
        execution.output::<serde_json::Value>().await.unwrap(),
        expected
    );
    // The resizing task gets the two directories as its Arguments and keeps
    // the input in a variable; the second task gets the directory alone.
    assert_eq!(
        activity_inputs(&execution).await,
        [input.clone(), input["resized_image_dir"].clone()]
    );
    let assigned = assigned_variables(&execution).await;
    assert_eq!(assigned.len(), 1, "{assigned:?}");
    assert_eq!(assigned[0].0, "resizeImages");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&assigned[0].1["request"]).unwrap(),
        input
    );
    std::fs::remove_dir_all(&base).unwrap();
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn error_handling_times_out_retries_and_fails() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(time::OffsetDateTime::UNIX_EPOCH))
        .build();
    let execution = error_handling::run(&Sfn::from_local(engine), json!({}))
        .await
        .unwrap();
    let described = execution.describe().await.unwrap();
    assert_eq!(described.status, ExecutionStatus::Failed);
    assert_eq!(described.error.as_deref(), Some("WorkerError"));
    assert_eq!(described.cause.as_deref(), Some("MyError was raised"));
    let history = execution.history().await.unwrap();
    let types: Vec<&str> = history
        .events()
        .iter()
        .map(|event| event.event_type().as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "TaskStateExited",
            "FailStateEntered",
            "ExecutionFailed",
        ]
    );
    let seconds: Vec<i64> = history
        .events()
        .iter()
        .map(|event| (event.timestamp - time::OffsetDateTime::UNIX_EPOCH).whole_seconds())
        .collect();
    assert_eq!(seconds, [0, 0, 0, 0, 10, 13, 13, 18, 18, 18, 18]);
    // The worker's name holds the host's name and a random id.
    let formatted: String = history
        .format()
        .lines()
        .map(|line| match line.strip_prefix("  worker: ") {
            Some(_) => "  worker: (worker)\n".to_string(),
            None => format!("{line}\n"),
        })
        .collect();
    assert_eq!(
        formatted,
        "\
ExecutionStarted [1] @ 1970-01-01T00:00:00.000Z
TaskStateEntered [2] @ 1970-01-01T00:00:00.000Z:
  name: raise
ActivityScheduled [3] @ 1970-01-01T00:00:00.000Z:
  resource: arn:aws:states:us-east-1:123456789012:activity:raiseActivity
ActivityStarted [4] @ 1970-01-01T00:00:00.000Z:
  worker: (worker)
ActivityTimedOut [5] @ 1970-01-01T00:00:10.000Z:
  error: States.Timeout
ActivityScheduled [6] @ 1970-01-01T00:00:13.000Z:
  resource: arn:aws:states:us-east-1:123456789012:activity:raiseActivity
ActivityStarted [7] @ 1970-01-01T00:00:13.000Z:
  worker: (worker)
ActivityFailed [8] @ 1970-01-01T00:00:18.000Z:
  error: MyError
  cause: foobar
TaskStateExited [9] @ 1970-01-01T00:00:18.000Z:
  name: raise
FailStateEntered [10] @ 1970-01-01T00:00:18.000Z:
  name: fail
ExecutionFailed [11] @ 1970-01-01T00:00:18.000Z:
  error: WorkerError
  cause: MyError was raised
"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn error_handling_in_jsonata_times_out_retries_and_fails_with_its_variable() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(time::OffsetDateTime::UNIX_EPOCH))
        .build();
    let execution = error_handling_jsonata::run(&Sfn::from_local(engine), json!({}))
        .await
        .unwrap();
    let described = execution.describe().await.unwrap();
    assert_eq!(described.status, ExecutionStatus::Failed);
    assert_eq!(described.error.as_deref(), Some("WorkerError"));
    // The Fail state writes its cause from the variable the catcher set.
    assert_eq!(described.cause.as_deref(), Some("MyError was raised"));
    let history = execution.history().await.unwrap();
    let types: Vec<&str> = history
        .events()
        .iter()
        .map(|event| event.event_type().as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "TaskStateExited",
            "FailStateEntered",
            "ExecutionFailed",
        ]
    );
    let seconds: Vec<i64> = history
        .events()
        .iter()
        .map(|event| (event.timestamp - time::OffsetDateTime::UNIX_EPOCH).whole_seconds())
        .collect();
    assert_eq!(seconds, [0, 0, 0, 0, 10, 13, 13, 18, 18, 18, 18]);
    // The catcher kept the error output, `$states.errorOutput`, in a
    // variable.
    let assigned = assigned_variables(&execution).await;
    assert_eq!(assigned.len(), 1, "{assigned:?}");
    assert_eq!(assigned[0].0, "raise");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&assigned[0].1["failure"]).unwrap(),
        json!({"Error": "MyError", "Cause": "foobar"})
    );
    // The worker's name holds the host's name and a random id.
    let formatted: String = history
        .format()
        .lines()
        .map(|line| match line.strip_prefix("  worker: ") {
            Some(_) => "  worker: (worker)\n".to_string(),
            None => format!("{line}\n"),
        })
        .collect();
    assert_eq!(
        formatted,
        "\
ExecutionStarted [1] @ 1970-01-01T00:00:00.000Z
TaskStateEntered [2] @ 1970-01-01T00:00:00.000Z:
  name: raise
ActivityScheduled [3] @ 1970-01-01T00:00:00.000Z:
  resource: arn:aws:states:us-east-1:123456789012:activity:raiseJsonataActivity
ActivityStarted [4] @ 1970-01-01T00:00:00.000Z:
  worker: (worker)
ActivityTimedOut [5] @ 1970-01-01T00:00:10.000Z:
  error: States.Timeout
ActivityScheduled [6] @ 1970-01-01T00:00:13.000Z:
  resource: arn:aws:states:us-east-1:123456789012:activity:raiseJsonataActivity
ActivityStarted [7] @ 1970-01-01T00:00:13.000Z:
  worker: (worker)
ActivityFailed [8] @ 1970-01-01T00:00:18.000Z:
  error: MyError
  cause: foobar
TaskStateExited [9] @ 1970-01-01T00:00:18.000Z:
  name: raise
FailStateEntered [10] @ 1970-01-01T00:00:18.000Z:
  name: fail
ExecutionFailed [11] @ 1970-01-01T00:00:18.000Z:
  error: WorkerError
  cause: MyError was raised
"
    );
}

/// Runs the command line of examples/cli.rs with `args`; gives its exit
/// status and what it printed.
async fn command_line(sfn: &Sfn, args: &[&str]) -> (u8, String) {
    let mut out = Vec::new();
    let code = cli::command_line(sfn.clone())
        .run_with(std::iter::once("cli").chain(args.iter().copied()), &mut out)
        .await;
    (code, String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn the_command_line_registers_starts_and_inspects() {
    let sfn = Sfn::local().with_activity_prefix("sfiniActs");
    let (code, out) = command_line(&sfn, &["register"]).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "activity sfiniActsprintActivity: arn:aws:states:us-east-1:123456789012:activity:sfiniActsprintActivity\n\
         state machine sfiniSM: created (arn:aws:states:us-east-1:123456789012:stateMachine:sfiniSM)\n"
    );
    let (code, out) = command_line(&sfn, &["diff"]).await;
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "the state machine `sfiniSM` (arn:aws:states:us-east-1:123456789012:stateMachine:sfiniSM) is registered and in sync\n"
        )
    );

    // On the local engine, start serves the activity and follows the
    // execution to its end.
    let (code, out) = command_line(
        &sfn,
        &[
            "start",
            "--input",
            r#"{"greeting": "hi"}"#,
            "--name",
            "first",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "arn:aws:states:us-east-1:123456789012:execution:sfiniSM:first"
    );
    assert!(lines[1].starts_with("ExecutionStarted [1] @ "), "{out}");
    assert!(
        out.contains(
            "  resource: arn:aws:states:us-east-1:123456789012:activity:sfiniActsprintActivity\n"
        ),
        "{out}"
    );
    assert!(
        lines[lines.len() - 2].starts_with("ExecutionSucceeded [7] @ "),
        "{out}"
    );
    assert_eq!(lines[lines.len() - 1], "null");

    let (code, out) = command_line(&sfn, &["executions", "--count"]).await;
    assert_eq!((code, out.as_str()), (0, "1\n"));
    let (code, out) = command_line(&sfn, &["executions", "--status", "succeeded"]).await;
    assert_eq!(code, 0);
    assert!(out.starts_with("first  SUCCEEDED  "), "{out}");
    let (code, out) = command_line(&sfn, &["history", "first"]).await;
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 11, "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("ExecutionSucceeded [7] @ "),
        "{out}"
    );

    // A bad input is refused before anything starts.
    let (code, _) = command_line(&sfn, &["start", "--input", "{not json"]).await;
    assert_eq!(code, 1);
    let (code, out) = command_line(&sfn, &["executions", "--count"]).await;
    assert_eq!((code, out.as_str()), (0, "1\n"));

    let (code, out) = command_line(&sfn, &["--version"]).await;
    assert_eq!((code, out.as_str()), (0, "1.0\n"));
    let (code, _) = command_line(&sfn, &["start", "--bogus"]).await;
    assert_eq!(code, 2);

    // Stop an execution waiting for its activity (no worker serves it).
    let machine = sfn.workflow::<cli::Printing>();
    let waiting = machine.start_named("waiting", &json!({})).await.unwrap();
    let (code, out) = command_line(
        &sfn,
        &["stop", "waiting", "--error", "Halted", "--cause", "by hand"],
    )
    .await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, format!("{}: stopped\n", waiting.arn()));
    let described = waiting.describe().await.unwrap();
    assert_eq!(described.status, ExecutionStatus::Aborted);
    assert_eq!(
        (described.error.as_deref(), described.cause.as_deref()),
        (Some("Halted"), Some("by hand"))
    );
    let (code, out) = command_line(&sfn, &["executions", "--status", "aborted"]).await;
    assert_eq!(code, 0);
    assert!(out.starts_with("waiting  ABORTED  "), "{out}");

    let (code, out) = command_line(&sfn, &["deregister", "--activities"]).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "state machine sfiniSM: deregistered\nactivity sfiniActsprintActivity: deregistered\n"
    );
}

#[tokio::test]
async fn the_command_line_worker_serves_until_stopped() {
    let sfn = Sfn::local().with_activity_prefix("sfiniActs");
    let worker_sfn = sfn.clone();
    let worker = tokio::spawn(async move {
        command_line(
            &worker_sfn,
            &["worker", "--concurrency", "2", "--name", "cli-worker"],
        )
        .await
    });
    // The worker registers the workflow on the local engine first.
    let machine = sfn.workflow::<cli::Printing>();
    let mut registered = false;
    for _ in 0..1000 {
        if machine.diff().await.unwrap().exists() {
            registered = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(registered, "the worker command registers the workflow");
    let execution = machine.start(&json!({"n": 1})).await.unwrap();
    execution
        .wait_timeout(std::time::Duration::from_secs(10))
        .await
        .unwrap();
    let history = execution.history().await.unwrap();
    assert!(history.format().contains("  worker: cli-worker\n"));
    // Let the command reach its wait for the signal.
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    // SAFETY: raising a signal has no memory effects; the worker command
    // waits for SIGTERM through tokio's handler, installed by now.
    assert_eq!(unsafe { libc::raise(libc::SIGTERM) }, 0);
    let (code, out) = tokio::time::timeout(std::time::Duration::from_secs(10), worker)
        .await
        .expect("the worker command stops on SIGTERM")
        .unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("tasks: 1 received, 1 succeeded, 0 failed, 0 panicked, 0 interrupted, 0 cancelled, 0 unconfirmed, 0 not reported\n"),
        "{out}"
    );
}

#[tokio::test]
async fn the_command_line_filters_executions_follows_histories_and_reads_input_files() {
    let sfn = Sfn::local().with_activity_prefix("sfiniActs");
    let input = std::env::temp_dir().join(format!("sfini-cli-input-{}.json", std::process::id()));
    std::fs::write(&input, r#"{"from": "a file"}"#).unwrap();
    for name in ["nightly-1", "nightly-2", "adhoc"] {
        let (code, out) = command_line(
            &sfn,
            &[
                "start",
                "--input-file",
                input.to_str().unwrap(),
                "--name",
                name,
            ],
        )
        .await;
        assert_eq!(code, 0, "{out}");
    }
    std::fs::remove_file(&input).unwrap();
    let execution = sfn
        .workflow::<cli::Printing>()
        .executions()
        .list()
        .await
        .unwrap();
    assert_eq!(execution.len(), 3);
    let described = sfn
        .execution(execution[0].execution_arn.clone())
        .describe()
        .await
        .unwrap();
    assert_eq!(described.input.as_deref(), Some(r#"{"from":"a file"}"#));

    let count = |args: &'static [&'static str]| {
        let sfn = sfn.clone();
        async move {
            let mut full = vec!["executions", "--count"];
            full.extend_from_slice(args);
            command_line(&sfn, &full).await
        }
    };
    assert_eq!(count(&["--prefix", "nightly"]).await, (0, "2\n".into()));
    assert_eq!(count(&["--status", "running"]).await, (0, "0\n".into()));
    assert_eq!(
        count(&["--since", "2999-01-01T00:00:00Z"]).await,
        (0, "0\n".into())
    );
    assert_eq!(
        count(&["--until", "2999-01-01T00:00:00Z"]).await,
        (0, "3\n".into())
    );
    assert_eq!(count(&["--limit", "1"]).await, (0, "1\n".into()));
    // Bad values are usage errors, exit status 2.
    assert_eq!(count(&["--status", "sleeping"]).await.0, 2);
    assert_eq!(count(&["--since", "yesterday"]).await.0, 2);

    // Following a closed execution prints its whole history and ends.
    let (code, followed) = command_line(&sfn, &["history", "adhoc", "--follow"]).await;
    assert_eq!(code, 0);
    let (_, printed) = command_line(&sfn, &["history", "adhoc"]).await;
    assert_eq!(followed, printed);
    assert!(
        followed.starts_with("ExecutionStarted [1] @ "),
        "{followed}"
    );
    // An execution name the machine does not have.
    let (code, _) = command_line(&sfn, &["history", "never-ran"]).await;
    assert_eq!(code, 1);
}

/// The binary of the example `name`, as `cargo build --examples` leaves
/// it beside the tests (`scripts/test.sh` builds the examples first;
/// `cargo test --all-targets` builds them only as test harnesses).
fn example_binary(name: &str) -> std::path::PathBuf {
    let deps = std::env::current_exe().expect("the test binary's path");
    let binary = deps
        .parent()
        .and_then(std::path::Path::parent)
        .expect("the test binary lies in <target>/<profile>/deps")
        .join("examples")
        .join(name);
    assert!(
        binary.exists(),
        "{} is missing: build the examples first (`cargo build --workspace --examples`)",
        binary.display()
    );
    binary
}

/// Starts the example `name` switched to the AWS engine by the
/// environment, as README.md says, with the endpoint of `served` in
/// `AWS_ENDPOINT_URL`. `adding` gets it in `AWS_ENDPOINT_URL_SFN` instead,
/// with `AWS_ENDPOINT_URL` naming a port where nothing listens: the
/// service's own variable comes first.
fn start_example_on(
    served: &support::served::Served,
    name: &str,
    args: &[&str],
) -> std::process::Child {
    let mut command = std::process::Command::new(example_binary(name));
    if name == "adding" {
        let nowhere = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port");
        command
            .env("AWS_ENDPOINT_URL_SFN", &served.endpoint)
            .env("AWS_ENDPOINT_URL", format!("http://{nowhere}"));
    } else {
        command
            .env("AWS_ENDPOINT_URL", &served.endpoint)
            .env_remove("AWS_ENDPOINT_URL_SFN");
    }
    command
        .args(args)
        .env("SFINI_ENGINE", "aws")
        .env(
            "SFINI_ROLE_ARN",
            "arn:aws:iam::123456789012:role/sfini-examples",
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDSFINIEXAMPLES")
        .env("AWS_SECRET_ACCESS_KEY", "sfini-examples")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent/sfini/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/sfini/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the example runs")
}

/// What an example printed; it must have succeeded.
fn finished(name: &str, child: std::process::Child) -> String {
    let output = child.wait_with_output().expect("the example ends");
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn the_examples_run_on_the_aws_engine_against_a_served_engine() {
    let served = support::served::Served::start("examples", "served");
    // All at once: error_handling and parallel, and their JSONata twins,
    // wait in real time (about 18 and 10 seconds).
    let names = [
        "adding",
        "looping",
        "parallel",
        "file_processing",
        "error_handling",
        "adding_jsonata",
        "looping_jsonata",
        "parallel_jsonata",
        "file_processing_jsonata",
        "error_handling_jsonata",
    ];
    let children: Vec<_> = names
        .iter()
        .map(|name| (*name, start_example_on(&served, name, &[])))
        .collect();
    let mut outputs = std::collections::HashMap::new();
    for (name, child) in children {
        outputs.insert(name, finished(name, child));
    }
    assert_eq!(outputs["adding"], "45\n");
    assert_eq!(outputs["looping"], "12\n");
    assert_eq!(outputs["adding_jsonata"], "45\n");
    assert_eq!(
        outputs["looping_jsonata"],
        "{\"counter\":12,\"steps\":[3,6,9,12]}\n"
    );
    for name in ["parallel", "parallel_jsonata"] {
        // The activities print their input lines first, then the output.
        let printed = &outputs[name];
        let output = &printed[printed.find("\n[\n").expect("the output array") + 1..];
        let parallel: serde_json::Value = serde_json::from_str(output).unwrap();
        assert!(printed.contains("[INFO] foo\n"), "{name}: {printed}");
        assert_eq!(
            parallel[0],
            json!({"level": 20, "message": "foo"}),
            "{name}"
        );
        assert!(parallel[1]["until"].is_string(), "{name}: {parallel}");
    }
    for name in ["file_processing", "file_processing_jsonata"] {
        let printed = &outputs[name];
        assert!(printed.contains("Resizing image"), "{name}: {printed}");
        let output = &printed[printed.find("\n{\n").expect("the output object") + 1..];
        let output: serde_json::Value = serde_json::from_str(output).unwrap();
        assert_eq!(
            output["res"],
            json!([[128, 128, 128], [128, 255, 0], [0, 0, 0], [0, 0, 255]]),
            "{name}"
        );
    }
    for name in ["error_handling", "error_handling_jsonata"] {
        let history = &outputs[name];
        let events: Vec<&str> = history
            .lines()
            .filter(|line| !line.starts_with(' '))
            .map(|line| line.split(' ').next().unwrap_or_default())
            .collect();
        assert_eq!(
            events,
            [
                "ExecutionStarted",
                "TaskStateEntered",
                "ActivityScheduled",
                "ActivityStarted",
                "ActivityTimedOut",
                "ActivityScheduled",
                "ActivityStarted",
                "ActivityFailed",
                "TaskStateExited",
                "FailStateEntered",
                "ExecutionFailed",
            ],
            "{name}: {history}"
        );
        assert!(
            history.ends_with("  error: WorkerError\n  cause: MyError was raised\n"),
            "{name}: {history}"
        );
    }

    // The command line example registers on the served engine too.
    let (register, diff) = (
        finished(
            "cli register",
            start_example_on(&served, "cli", &["register"]),
        ),
        finished("cli diff", start_example_on(&served, "cli", &["diff"])),
    );
    assert!(register.contains("sfiniSM"), "{register}");
    assert!(diff.contains("in sync"), "{diff}");
}
