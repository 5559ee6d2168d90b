//! `sfini run`, run as a user runs it.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn sfini(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .output()
        .expect("the sfini binary runs")
}

fn scratch(name: &str, definition: &Value) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, serde_json::to_string_pretty(definition).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

/// Writes `contents` as they are under the test's scratch directory.
fn scratch_bytes(name: &str, contents: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/asl")
        .join(format!("{name}.asl.json"))
        .to_string_lossy()
        .into_owned()
}

/// The single line `--json` prints.
fn report(output: &Output) -> Value {
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_succeeding_machine_prints_its_output_and_exits_zero() {
    let file = scratch(
        "pass.asl.json",
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "End": true}}}),
    );
    let output = sfini(&["run", &file, "--input", r#"{"a": 3, "b": 42}"#, "--json"]);
    assert!(output.status.success());
    assert_eq!(
        report(&output),
        json!({"status": "SUCCEEDED", "output": {"sum": 45}, "error": null, "cause": null})
    );
}

#[test]
fn a_failing_machine_exits_one_with_its_error() {
    let file = scratch(
        "fail.asl.json",
        &json!({"StartAt": "f", "States": {"f": {"Type": "Fail", "Error": "Bad", "Cause": "on purpose"}}}),
    );
    let output = sfini(&["run", &file, "--json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        report(&output),
        json!({"status": "FAILED", "output": null, "error": "Bad", "cause": "on purpose"})
    );
}

#[test]
fn history_is_printed_one_event_a_line() {
    let file = scratch(
        "wait.asl.json",
        &json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 3600, "Next": "done"}, "done": {"Type": "Succeed"}}}),
    );
    let output = sfini(&["run", &file, "--history", "--virtual-time"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let types: Vec<&str> = lines[..6]
        .iter()
        .map(|line| line.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert!(
        lines[1].starts_with("2\tWaitStateEntered\t0\t{\"name\":\"w\""),
        "{}",
        lines[1]
    );
    assert_eq!(lines[6], "status: SUCCEEDED");
    assert_eq!(lines[7], "output: {}");

    let output = sfini(&["run", &file, "--history", "--virtual-time", "--json"]);
    let report = report(&output);
    let history = report["history"].as_array().unwrap();
    assert_eq!(history.len(), 6);
    assert_eq!(history[2]["type"], json!("WaitStateExited"));
    assert_eq!(history[2]["timestamp"], json!("2000-01-01T01:00:00Z"));
    assert_eq!(history[2]["stateExitedEventDetails"]["name"], json!("w"));
}

#[test]
fn examples_with_activities_stop_for_want_of_a_worker() {
    for name in [
        "adding",
        "looping",
        "parallel",
        "file_processing",
        "error_handling",
    ] {
        let output = sfini(&["run", &example(name), "--json"]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let report = report(&output);
        assert_eq!(report["status"], json!("ABORTED"), "{name}");
        assert_eq!(report["error"], json!("sfini.NoActivityWorker"), "{name}");
        assert!(
            report["cause"].as_str().unwrap().contains("has no worker"),
            "{name}: {report}"
        );
    }
}

#[test]
fn activity_timeouts_run_retry_and_catch_on_the_virtual_clock() {
    let output = sfini(&[
        "run",
        &example("error_handling"),
        "--virtual-time",
        "--wait-for-activity-timeouts",
        "--history",
        "--json",
    ]);
    let report = report(&output);
    assert_eq!(report["status"], json!("FAILED"));
    assert_eq!(report["error"], json!("States.Timeout"));
    // One attempt and three retries, each timing out after 10 s.
    let timed_out = report["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["type"] == json!("ActivityTimedOut"))
        .count();
    assert_eq!(timed_out, 4);
}

#[test]
fn an_invalid_definition_prints_its_diagnostics_and_exits_two() {
    let file = scratch(
        "broken.asl.json",
        &json!({"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "missing"}}}),
    );
    let output = sfini(&["run", &file]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("broken.asl.json:"), "{text}");
    assert!(
        text.contains("error[unknown-state] States.a.Next"),
        "{text}"
    );
}

#[test]
fn input_that_is_not_json_is_a_usage_error() {
    let file = scratch(
        "ok.asl.json",
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}),
    );
    let output = sfini(&["run", &file, "--input", "{nope"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(text.contains("InvalidExecutionInput"), "{text}");
}

#[test]
fn the_help_gives_the_exit_codes() {
    let output = sfini(&["run", "--help"]);
    assert!(output.status.success());
    let help = stdout(&output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        "0 when the execution succeeded",
        "1 when it ran and did not succeed",
        "2 when it could not run at all",
    ] {
        assert!(help.contains(part), "{help}");
    }
}

#[test]
fn a_definition_that_cannot_run_exits_two_whatever_is_wrong_with_it() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    let missing = dir
        .join("no-such-machine.json")
        .to_string_lossy()
        .into_owned();
    let cases = [
        (
            scratch_bytes("syntax.asl.json", br#"{"StartAt": "#),
            "error[syntax] (top level): not valid JSON",
        ),
        (
            scratch_bytes("syntax.asl.yaml", b"StartAt: [\n"),
            "error[syntax] (top level): not valid YAML",
        ),
        (
            scratch_bytes(
                "invalid.asl.yaml",
                b"StartAt: a\nStates:\n  a:\n    Type: Wiat\n    End: true\n",
            ),
            "States.a.Type: `Wiat` is not a state type",
        ),
        (missing, "error[syntax] (top level): cannot read the file: "),
    ];
    for (file, expected) in cases {
        let output = sfini(&["run", &file, "--json"]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        // The problems, as `sfini validate` prints them, and no report.
        let text = stdout(&output);
        assert!(text.starts_with(&format!("{file}:")), "{text}");
        assert!(text.contains(expected), "{file}: {text}");
        assert!(!text.contains("status"), "{text}");
        let validated = sfini(&["validate", &file]);
        assert_eq!(validated.status.code(), Some(1), "{file}");
        assert_eq!(stdout(&validated), text);
    }
}
