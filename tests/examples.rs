//! The ported examples: each workflow's definition equals its reviewed file
//! under examples/asl/ and passes validation, and each example gives the
//! output (or history) the Python sfini documents for it.

#![allow(dead_code)]
// Each example brings its own copy of the support module, as it does when
// built alone; the tests use one more.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/adding.rs"]
mod adding;
#[path = "../examples/error_handling.rs"]
mod error_handling;
#[path = "../examples/file_processing.rs"]
mod file_processing;
#[path = "../examples/looping.rs"]
mod looping;
#[path = "../examples/parallel.rs"]
mod parallel;
#[path = "../examples/support/mod.rs"]
mod support;

use serde_json::json;
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
}

#[tokio::test]
async fn adding_gives_45() {
    let outcome = support::run::<adding::Adding>(&LocalEngine::new(), json!({"a": 3, "b": 42}))
        .await
        .unwrap();
    assert_eq!(outcome.status, "SUCCEEDED");
    assert_eq!(outcome.output, Some(json!(45)));
}

#[tokio::test]
async fn looping_gives_12() {
    let outcome = support::run::<looping::Looping>(&LocalEngine::new(), json!({"increment": 3}))
        .await
        .unwrap();
    assert_eq!(outcome.output, Some(json!(12)));
    let tasks = outcome
        .history
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
    let outcome =
        support::run::<parallel::PrintAndLog>(&engine, json!({"level": 20, "message": "foo"}))
            .await
            .unwrap();
    let output = outcome.output.unwrap();
    assert_eq!(output[0], json!({"level": 20, "message": "foo"}));
    assert_eq!(output[1]["level"], 20);
    assert_eq!(output[1]["message"], "foo");
    assert!(output[1]["until"].is_string());
    let types: Vec<&str> = outcome
        .history
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
    let outcome =
        support::run::<file_processing::FileProcessing>(&LocalEngine::new(), input.clone())
            .await
            .unwrap();
    let mut expected = input;
    expected["res"] = json!([[10, 20, 30], [200, 0, 100]]);
    assert_eq!(outcome.output, Some(expected));
    std::fs::remove_dir_all(&base).unwrap();
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn error_handling_times_out_retries_and_fails() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(time::OffsetDateTime::UNIX_EPOCH))
        .build();
    let outcome = support::run::<error_handling::ErrorHandling>(&engine, json!({}))
        .await
        .unwrap();
    assert_eq!(outcome.status, "FAILED");
    assert_eq!(outcome.error.as_deref(), Some("WorkerError"));
    assert_eq!(outcome.cause.as_deref(), Some("MyError was raised"));
    let types: Vec<&str> = outcome
        .history
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
    let seconds: Vec<i64> = outcome
        .history
        .iter()
        .map(|event| (event.timestamp - time::OffsetDateTime::UNIX_EPOCH).whole_seconds())
        .collect();
    assert_eq!(seconds, [0, 0, 0, 0, 10, 13, 13, 18, 18, 18, 18]);
    let formatted = support::format_history(&outcome.history);
    assert!(formatted.starts_with("ExecutionStarted [1] @ 1970-01-01T00:00:00Z\nTaskStateEntered [2] @ 1970-01-01T00:00:00Z:\n  name: raise\n"), "{formatted}");
}
