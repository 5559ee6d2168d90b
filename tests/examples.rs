//! The ported examples: each workflow's definition equals its reviewed file
//! under examples/asl/ and passes validation, and each example gives the
//! output (or history) the Python sfini documents for it. The workflows run
//! under `sfini::testing`, their activities served by their real functions,
//! on a virtual clock; `adding` also runs through its own `run` function,
//! as `cargo run --example adding` does.

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

use std::time::Duration;

use serde_json::{Value, json};
use sfini::Sfn;
use sfini::runtime::api::ExecutionStatus;
use sfini::runtime::api::history::EventDetails;
use sfini::runtime::workflow::Workflow;
use sfini::testing::{TestRun, WorkflowTest};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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

/// The input each activity task of `run` was sent, in the order they were
/// scheduled: the task's effective input (after `InputPath` and
/// `Parameters`, or its `Arguments`), which a visit's raw input is not.
fn activity_inputs(run: &TestRun) -> Vec<Value> {
    run.history()
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::ActivityScheduled(scheduled) => scheduled
                .input
                .as_deref()
                .map(|text| serde_json::from_str(text).unwrap()),
            _ => None,
        })
        .collect()
}

/// The variables each state of `run` assigned, in the order the states
/// were left: the state's name, and an object of the variables' values.
fn assigned_variables(run: &TestRun) -> Vec<(String, Value)> {
    run.history()
        .iter()
        .filter_map(|event| match &event.details {
            EventDetails::TaskStateExited(exited)
            | EventDetails::PassStateExited(exited)
            | EventDetails::ChoiceStateExited(exited)
            | EventDetails::WaitStateExited(exited)
            | EventDetails::ParallelStateExited(exited)
            | EventDetails::MapStateExited(exited) => {
                let variables = exited
                    .assigned_variables
                    .as_ref()?
                    .iter()
                    .map(|(name, value)| (name.clone(), serde_json::from_str(value).unwrap()))
                    .collect::<serde_json::Map<_, _>>();
                Some((exited.name.clone(), Value::Object(variables)))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn adding_in_jsonata_gives_45() {
    let run = WorkflowTest::of::<adding_jsonata::AddingJsonata>()
        .input(json!({"a": 3, "b": 42}))
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    assert_eq!(run.output::<i64>().unwrap(), 45, "{run}");
    assert_eq!(run.states(), ["add"]);
    // The task's input is its Arguments, read from the execution input.
    assert_eq!(activity_inputs(&run), [json!({"a": 3, "b": 42})]);
    assert_eq!(run.visit("add").unwrap().output, Some(json!(45)));
}

/// The states both looping examples take from 0 to 12 in steps of 3.
const COUNTING_TO_12: [&str; 10] = [
    "initialise",
    "increment",
    "checkCounter",
    "increment",
    "checkCounter",
    "increment",
    "checkCounter",
    "increment",
    "checkCounter",
    "end",
];

#[tokio::test(start_paused = true)]
async fn looping_gives_12() {
    let run = WorkflowTest::of::<looping::Looping>()
        .input(json!({"increment": 3}))
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    assert_eq!(run.output::<i64>().unwrap(), 12, "{run}");
    assert_eq!(run.states(), COUNTING_TO_12);
    // 0 → 3 → 6 → 9 → 12, one activity task each, none retried.
    let succeeded = run
        .event_types()
        .into_iter()
        .filter(|event| *event == "ActivitySucceeded")
        .count();
    assert_eq!(succeeded, 4, "{run}");
    let increments = run.visits_of("increment");
    assert_eq!(
        increments
            .iter()
            .map(|visit| (visit.input["counter"].clone(), visit.output.clone()))
            .collect::<Vec<_>>(),
        [
            (json!(0), Some(json!({"increment": 3, "counter": 3}))),
            (json!(3), Some(json!({"increment": 3, "counter": 6}))),
            (json!(6), Some(json!({"increment": 3, "counter": 9}))),
            (json!(9), Some(json!({"increment": 3, "counter": 12}))),
        ]
    );
    assert_eq!(run.retries("increment"), 0);
}

#[tokio::test(start_paused = true)]
async fn looping_in_jsonata_keeps_its_counter_in_variables() {
    let run = WorkflowTest::of::<looping_jsonata::LoopingJsonata>()
        .input(json!({"increment": 3}))
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    assert_eq!(
        run.output_json(),
        Some(&json!({"counter": 12, "steps": [3, 6, 9, 12]})),
        "{run}"
    );
    assert_eq!(run.states(), COUNTING_TO_12);
    // Each task's input is its Arguments, read from the variables.
    assert_eq!(
        activity_inputs(&run),
        [
            json!({"counter": 0, "increment": 3}),
            json!({"counter": 3, "increment": 3}),
            json!({"counter": 6, "increment": 3}),
            json!({"counter": 9, "increment": 3}),
        ]
    );
    // The first state sets the variables up, each task moves them on.
    assert_eq!(
        assigned_variables(&run),
        [
            (
                "initialise".to_string(),
                json!({"counter": 0, "step": 3, "steps": []})
            ),
            ("increment".to_string(), json!({"counter": 3, "steps": [3]})),
            (
                "increment".to_string(),
                json!({"counter": 6, "steps": [3, 6]})
            ),
            (
                "increment".to_string(),
                json!({"counter": 9, "steps": [3, 6, 9]})
            ),
            (
                "increment".to_string(),
                json!({"counter": 12, "steps": [3, 6, 9, 12]})
            ),
        ]
    );
}

/// The state names of `run`, sorted: concurrent branches interleave.
fn sorted_states(run: &TestRun) -> Vec<&str> {
    let mut states = run.states();
    states.sort_unstable();
    states
}

/// When the Wait state of `run` was left, on the engine's clock.
fn wait_exited_at(run: &TestRun) -> OffsetDateTime {
    let wait = run.visit("wait").unwrap();
    run.history()[0].timestamp + wait.exited.expect("the wait was left")
}

#[tokio::test(start_paused = true)]
async fn parallel_gives_both_branches() {
    let input = json!({"level": 20, "message": "foo"});
    // The print activity reads the time from the host's clock: the
    // engine's starts there too.
    let run = WorkflowTest::of::<parallel::PrintAndLog>()
        .input(&input)
        .starting_at(OffsetDateTime::now_utc())
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    let output: Value = run.output().unwrap();
    let until = output[1]["until"].as_str().expect("a time to wait until");
    assert_eq!(
        output,
        json!([input, {"level": 20, "message": "foo", "until": until}]),
        "{run}"
    );
    assert_eq!(run.states()[0], "printAndLog");
    assert_eq!(sorted_states(&run), ["log", "print", "printAndLog", "wait"]);
    // Each branch gets the Parallel state's input.
    assert_eq!(run.visit("log").unwrap().input, input);
    assert_eq!(run.visit("print").unwrap().input, input);
    assert_eq!(run.visit("wait").unwrap().input, output[1]);
    let types = run.event_types();
    assert!(types.contains(&"ParallelStateStarted"));
    assert!(types.contains(&"WaitStateExited"));
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    // The wait ended at the time the activity gave: ten seconds (two
    // fields) after it ran, in virtual time.
    let until = OffsetDateTime::parse(until, &Rfc3339).unwrap();
    let exited = wait_exited_at(&run);
    assert!(exited >= until, "{exited} < {until}");
    assert!(
        exited - until < time::Duration::SECOND,
        "{exited} ≫ {until}"
    );
    assert!(run.duration() >= Duration::from_secs(10), "{run}");
}

#[tokio::test(start_paused = true)]
async fn parallel_in_jsonata_gives_both_branches_and_waits_until_its_variable() {
    let input = json!({"level": 20, "message": "foo"});
    let run = WorkflowTest::of::<parallel_jsonata::PrintAndLogJsonata>()
        .input(&input)
        .starting_at(OffsetDateTime::now_utc())
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    let output: Value = run.output().unwrap();
    let until = output[1]["until"].as_str().expect("a time to wait until");
    assert_eq!(
        output,
        json!([input, {"level": 20, "message": "foo", "until": until}]),
        "{run}"
    );
    assert_eq!(sorted_states(&run), ["log", "print", "printAndLog", "wait"]);
    assert_eq!(run.visit("log").unwrap().output, Some(input.clone()));
    // The print task keeps the time its activity gave in a variable, and
    // the wait lasts until it: ten seconds (two fields) after the activity
    // ran.
    assert_eq!(
        assigned_variables(&run),
        [("print".to_string(), json!({"until": until}))]
    );
    let until = OffsetDateTime::parse(until, &Rfc3339).unwrap();
    let exited = wait_exited_at(&run);
    assert!(exited >= until, "{exited} < {until}");
    assert!(
        exited - until < time::Duration::SECOND,
        "{exited} ≫ {until}"
    );
    assert!(run.duration() >= Duration::from_secs(10), "{run}");
}

/// Makes a directory of two 8×6 images of one colour each under `base`
/// (`write` writes one), for the file processing examples; gives the input
/// naming it and where the resized images go.
fn two_images(base: &std::path::Path, write: impl Fn([u8; 3], &std::path::Path)) -> Value {
    let images = base.join("images");
    std::fs::create_dir_all(&images).unwrap();
    for (index, colour) in [[10, 20, 30], [200, 0, 100]].into_iter().enumerate() {
        write(colour, &images.join(format!("{index}.ppm")));
    }
    json!({"image_dir": images, "resized_image_dir": base.join("small")})
}

/// The files of `dir`, by name.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(start_paused = true)]
async fn file_processing_gives_the_centres() {
    let base = std::env::temp_dir().join(format!("sfini-example-test-{}", std::process::id()));
    let input = two_images(&base, |colour, path| {
        file_processing::Image::filled(8, 6, colour)
            .write(path)
            .unwrap()
    });
    let run = WorkflowTest::of::<file_processing::FileProcessing>()
        .input(&input)
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    let mut expected = input.clone();
    expected["res"] = json!([[10, 20, 30], [200, 0, 100]]);
    assert_eq!(run.output_json(), Some(&expected), "{run}");
    assert_eq!(run.states(), ["resizeImages", "getCentre"]);
    // The resizing task gets the input and leaves it as it is; the second
    // task gets the directory alone (its InputPath).
    assert_eq!(
        run.visit("resizeImages").unwrap().output,
        Some(input.clone())
    );
    assert_eq!(
        activity_inputs(&run),
        [input.clone(), input["resized_image_dir"].clone()]
    );
    assert_eq!(file_names(&base.join("small")), ["0.ppm", "1.ppm"]);
    std::fs::remove_dir_all(&base).unwrap();
}

#[tokio::test(start_paused = true)]
async fn file_processing_in_jsonata_gives_the_centres() {
    let base =
        std::env::temp_dir().join(format!("sfini-example-jsonata-test-{}", std::process::id()));
    let input = two_images(&base, |colour, path| {
        file_processing_jsonata::Image::filled(8, 6, colour)
            .write(path)
            .unwrap()
    });
    let run = WorkflowTest::of::<file_processing_jsonata::FileProcessingJsonata>()
        .input(&input)
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    let mut expected = input.clone();
    expected["res"] = json!([[10, 20, 30], [200, 0, 100]]);
    assert_eq!(run.output_json(), Some(&expected), "{run}");
    assert_eq!(run.states(), ["resizeImages", "getCentre"]);
    // The resizing task gets the two directories as its Arguments and keeps
    // the input in a variable; the second task gets the directory alone.
    assert_eq!(
        activity_inputs(&run),
        [input.clone(), input["resized_image_dir"].clone()]
    );
    assert_eq!(
        assigned_variables(&run),
        [("resizeImages".to_string(), json!({"request": input}))]
    );
    assert_eq!(file_names(&base.join("small")), ["0.ppm", "1.ppm"]);
    std::fs::remove_dir_all(&base).unwrap();
}

/// What both error handling examples do, on a clock from the Unix epoch:
/// the task `raise` (of the activity `activity`) times out after 10 s, is
/// retried 3 s later, fails with `MyError` after 5 s, and the Fail state
/// ends the execution with `WorkerError`.
fn assert_timed_out_retried_and_failed(run: &TestRun, activity: &str) {
    assert_eq!(run.status(), ExecutionStatus::Failed, "{run}");
    assert_eq!(run.error(), Some("WorkerError"));
    assert_eq!(run.cause(), Some("MyError was raised"));
    assert_eq!(run.states(), ["raise", "fail"]);
    let raise = run.visit("raise").unwrap();
    assert_eq!((raise.attempts, raise.retries()), (2, 1));
    assert_eq!(run.retries("raise"), 1);
    assert_eq!(raise.exited, Some(Duration::from_secs(18)));
    assert_eq!(run.visit("fail").unwrap().entered, Duration::from_secs(18));
    assert_eq!(run.duration(), Duration::from_secs(18));
    assert_eq!(
        run.event_types(),
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
    let seconds: Vec<i64> = run
        .history()
        .iter()
        .map(|event| (event.timestamp - OffsetDateTime::UNIX_EPOCH).whole_seconds())
        .collect();
    assert_eq!(seconds, [0, 0, 0, 0, 10, 13, 13, 18, 18, 18, 18]);
    // The test's worker is named `sfini-test`.
    assert_eq!(
        sfini::History::new(run.history().to_vec()).format(),
        format!(
            "\
ExecutionStarted [1] @ 1970-01-01T00:00:00.000Z
TaskStateEntered [2] @ 1970-01-01T00:00:00.000Z:
  name: raise
ActivityScheduled [3] @ 1970-01-01T00:00:00.000Z:
  resource: arn:aws:states:us-east-1:123456789012:activity:{activity}
ActivityStarted [4] @ 1970-01-01T00:00:00.000Z:
  worker: sfini-test
ActivityTimedOut [5] @ 1970-01-01T00:00:10.000Z:
  error: States.Timeout
ActivityScheduled [6] @ 1970-01-01T00:00:13.000Z:
  resource: arn:aws:states:us-east-1:123456789012:activity:{activity}
ActivityStarted [7] @ 1970-01-01T00:00:13.000Z:
  worker: sfini-test
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
        )
    );
}

#[tokio::test(start_paused = true)]
async fn error_handling_times_out_retries_and_fails() {
    let run = WorkflowTest::of::<error_handling::ErrorHandling>()
        .starting_at(OffsetDateTime::UNIX_EPOCH)
        .run()
        .await
        .unwrap();
    assert_timed_out_retried_and_failed(&run, "raiseActivity");
    // The catcher puts the error output at its ResultPath.
    assert_eq!(
        run.visit("fail").unwrap().input,
        json!({"error-info": {"Error": "MyError", "Cause": "foobar"}})
    );
}

#[tokio::test(start_paused = true)]
async fn error_handling_in_jsonata_times_out_retries_and_fails_with_its_variable() {
    let run = WorkflowTest::of::<error_handling_jsonata::ErrorHandlingJsonata>()
        .starting_at(OffsetDateTime::UNIX_EPOCH)
        .run()
        .await
        .unwrap();
    // The Fail state writes its cause from the variable the catcher set.
    assert_timed_out_retried_and_failed(&run, "raiseJsonataActivity");
    // The catcher kept the error output, `$states.errorOutput`, in a
    // variable, and passed it on as the Fail state's input.
    assert_eq!(
        assigned_variables(&run),
        [(
            "raise".to_string(),
            json!({"failure": {"Error": "MyError", "Cause": "foobar"}})
        )]
    );
    assert_eq!(
        run.visit("fail").unwrap().input,
        json!({"Error": "MyError", "Cause": "foobar"})
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
