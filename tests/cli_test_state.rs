//! `sfini test-state`, run as a user runs it; and `TestState` of `sfini
//! local serve` reached through the AWS engine (the SDK's `sync-` host
//! prefix taken off for a local endpoint).

mod support;

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn sfini(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .output()
        .expect("the sfini binary runs")
}

fn scratch(name: &str, contents: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_test_state");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn state_file(name: &str, definition: &Value) -> String {
    scratch(name, &serde_json::to_string_pretty(definition).unwrap())
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The one line of JSON `--json` prints.
fn answer(output: &Output) -> Value {
    serde_json::from_str(stdout(output).trim())
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", stdout(output)))
}

fn charge() -> Value {
    json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge", "Payload.$": "$.order"},
        "ResultSelector": {"charged.$": "$.Payload.amount"},
        "ResultPath": "$.charge",
        "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Refund"}],
        "Next": "Ship"
    })
}

#[test]
fn a_state_that_succeeds_prints_its_next_state_and_output_and_exits_zero() {
    let file = state_file("charge.json", &charge());
    let output = sfini(&[
        "test-state",
        &file,
        "--input",
        r#"{"order": {"id": 1}}"#,
        "--mock-result",
        r#"{"Payload": {"amount": 3}}"#,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "status: SUCCEEDED\nnext state: Ship\noutput: {\"order\":{\"id\":1},\"charge\":{\"charged\":3}}\n"
    );
}

#[test]
fn debug_prints_each_stage_of_the_data_flow() {
    let file = state_file("charge_debug.json", &charge());
    let output = sfini(&[
        "test-state",
        &file,
        "--input",
        r#"{"order": {"id": 1}}"#,
        "--mock-result",
        r#"{"Payload": {"amount": 3}}"#,
        "--inspection-level",
        "debug",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for line in [
        "inspection:\n",
        "  input: {\"order\":{\"id\":1}}\n",
        "  after InputPath: {\"order\":{\"id\":1}}\n",
        "  after Parameters: {\"FunctionName\":\"charge\",\"Payload\":{\"id\":1}}\n",
        "  result: {\"Payload\":{\"amount\":3}}\n",
        "  after ResultSelector: {\"charged\":3}\n",
        "  after ResultPath: {\"order\":{\"id\":1},\"charge\":{\"charged\":3}}\n",
    ] {
        assert!(text.contains(line), "`{line}` missing from:\n{text}");
    }
}

#[test]
fn json_prints_test_states_answer() {
    let file = state_file("charge_json.json", &charge());
    let output = sfini(&[
        "test-state",
        &file,
        "--input",
        r#"{"order": {"id": 1}}"#,
        "--mock-error",
        "Busy",
        "--mock-cause",
        "slow down",
        "--inspection-level",
        "DEBUG",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        answer(&output),
        json!({
            "error": "Busy",
            "cause": "slow down",
            "inspectionData": {
                "input": "{\"order\":{\"id\":1}}",
                "afterInputPath": "{\"order\":{\"id\":1}}",
                "afterParameters": "{\"FunctionName\":\"charge\",\"Payload\":{\"id\":1}}",
                "errorDetails": {"retryIndex": 0, "retryBackoffIntervalSeconds": 2}
            },
            "status": "RETRIABLE"
        })
    );
}

#[test]
fn a_caught_error_exits_zero_and_an_unhandled_one_exits_one() {
    let file = state_file("charge_caught.json", &charge());
    let input = r#"{"order": {"id": 1}}"#;
    let caught = sfini(&[
        "test-state",
        &file,
        "--input",
        input,
        "--mock-error",
        "Busy",
        "--retry-count",
        "2",
        "--json",
    ]);
    assert_eq!(caught.status.code(), Some(0), "{}", stderr(&caught));
    let report = answer(&caught);
    assert_eq!(report["status"], "CAUGHT_ERROR");
    assert_eq!(report["nextState"], "Refund");
    assert_eq!(
        serde_json::from_str::<Value>(report["output"].as_str().unwrap()).unwrap(),
        json!({"order": {"id": 1}, "failure": {"Error": "Busy", "Cause": null}})
    );
    let fail = state_file(
        "fail.json",
        &json!({"Type": "Fail", "Error": "Rejected", "Cause": "too expensive"}),
    );
    let failed = sfini(&["test-state", &fail]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert_eq!(
        stdout(&failed),
        "status: FAILED\nerror: Rejected\ncause: too expensive\n"
    );
}

#[test]
fn a_task_without_a_mock_fails_as_the_tool_has_no_handler() {
    let file = state_file("charge_unmocked.json", &charge());
    let output = sfini(&["test-state", &file, "--input", r#"{"order": {}}"#]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("status: FAILED\nerror: States.Runtime\n"),
        "{text}"
    );
    assert!(text.contains("give a mock"), "{text}");
}

#[test]
fn a_state_of_a_machine_is_named_with_state_and_read_from_yaml() {
    let file = scratch(
        "machine.yaml",
        "StartAt: Check\n\
         States:\n\
        \x20 Check:\n\
        \x20   Type: Choice\n\
        \x20   Choices:\n\
        \x20     - Variable: $.cost\n\
        \x20       NumericLessThan: 10\n\
        \x20       Next: Approved\n\
        \x20   Default: Ask\n\
        \x20 Ask:\n\
        \x20   Type: Pass\n\
        \x20   Next: Approved\n\
        \x20 Approved:\n\
        \x20   Type: Succeed\n",
    );
    let small = sfini(&[
        "test-state",
        &file,
        "--state",
        "Check",
        "--input",
        r#"{"cost": 9}"#,
    ]);
    assert_eq!(small.status.code(), Some(0), "{}", stderr(&small));
    assert_eq!(
        stdout(&small),
        "status: SUCCEEDED\nnext state: Approved\noutput: {\"cost\":9}\n"
    );
    let large = sfini(&[
        "test-state",
        &file,
        "--state",
        "Check",
        "--input",
        r#"{"cost": 10}"#,
    ]);
    assert!(
        stdout(&large).contains("next state: Ask\n"),
        "{}",
        stdout(&large)
    );
    let missing = sfini(&["test-state", &file, "--state", "Nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("ValidationException"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn variables_are_seen_and_shown_after_the_state() {
    let file = state_file(
        "jsonata.json",
        &json!({
            "Type": "Pass",
            "QueryLanguage": "JSONata",
            "Output": "{% $states.input.n * $factor %}",
            "Assign": {"last": "{% $states.input.n %}"},
            "End": true
        }),
    );
    let output = sfini(&[
        "test-state",
        &file,
        "--input",
        r#"{"n": 4}"#,
        "--variables",
        r#"{"factor": 3}"#,
        "--inspection-level",
        "TRACE",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("output: 12\n"), "{text}");
    assert!(
        text.contains("  variables: {\"factor\":3,\"last\":4}\n"),
        "{text}"
    );
}

#[test]
fn an_invalid_definition_prints_its_diagnostics_at_their_lines_and_exits_two() {
    let file = scratch(
        "invalid.json",
        "{\n  \"Type\": \"Pass\",\n  \"Parameters\": {\"a.$\": \"$..[\"},\n  \"Nxt\": \"Done\"\n}\n",
    );
    let output = sfini(&["test-state", &file]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains(&format!("{file}:4:3: error[unknown-field] Nxt:")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{file}:3:")) && text.contains("Parameters['a.$']"),
        "{text}"
    );
    assert!(!text.contains("unknown-state"), "{text}");
}

#[test]
fn requests_test_state_refuses_exit_two_with_the_reason() {
    let pass = state_file("pass.json", &json!({"Type": "Pass", "End": true}));
    let mocked = sfini(&["test-state", &pass, "--mock-result", "{}"]);
    assert_eq!(mocked.status.code(), Some(2));
    assert!(
        stderr(&mocked).contains("State type 'Pass' is not supported when a mock is specified"),
        "{}",
        stderr(&mocked)
    );
    let bad_input = sfini(&["test-state", &pass, "--input", "{"]);
    assert_eq!(bad_input.status.code(), Some(2));
    assert!(
        stderr(&bad_input).contains("InvalidExecutionInput"),
        "{}",
        stderr(&bad_input)
    );
    let map = state_file(
        "map.json",
        &json!({"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}),
    );
    let unmocked = sfini(&["test-state", &map]);
    assert_eq!(unmocked.status.code(), Some(2));
    assert!(
        stdout(&unmocked).contains("does not support Map or Parallel states"),
        "{}",
        stdout(&unmocked)
    );
    let mapped = sfini(&[
        "test-state",
        &map,
        "--input",
        "[1, 2]",
        "--mock-result",
        "[3, 4]",
    ]);
    assert_eq!(mapped.status.code(), Some(0), "{}", stderr(&mapped));
    let both = sfini(&[
        "test-state",
        &pass,
        "--mock-result",
        "1",
        "--mock-error",
        "E",
    ]);
    assert_eq!(both.status.code(), Some(2));
    let level = sfini(&["test-state", &pass, "--inspection-level", "LOUD"]);
    assert_eq!(level.status.code(), Some(2));
    assert!(
        stderr(&level).contains("INFO, DEBUG or TRACE"),
        "{}",
        stderr(&level)
    );
    let missing = sfini(&["test-state", "/nonexistent/state.json"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn input_is_read_from_standard_input_within_its_limit() {
    let pass = state_file("pass_stdin.json", &json!({"Type": "Pass", "End": true}));
    let run = |input: Vec<u8>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sfini"))
            .args(["test-state", &pass, "--input-file", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            // The reader may stop before the end: the pipe then closes.
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        output
    };
    let small = run(br#"{"from": "stdin"}"#.to_vec());
    assert_eq!(small.status.code(), Some(0), "{}", stderr(&small));
    assert!(stdout(&small).contains("output: {\"from\":\"stdin\"}"));
    let large = run(vec![b' '; 300 * 1024]);
    assert_eq!(large.status.code(), Some(2));
    assert!(
        stderr(&large).contains("--input-file -"),
        "{}",
        stderr(&large)
    );
}

#[test]
fn the_help_gives_the_exit_codes() {
    let output = sfini(&["help", "test-state"]);
    let text = stdout(&output);
    assert!(text.contains("--mock-result"), "{text}");
    let summary = sfini(&["--help"]);
    assert!(
        stdout(&summary).contains("test-state"),
        "{}",
        stdout(&summary)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_engine_tests_states_on_the_served_engine() {
    use sfini::runtime::api::{
        InspectionLevel, MockErrorOutput, MockInput, StepFunctions, TestExecutionStatus,
        TestStateInput,
    };
    use sfini::runtime::aws::AwsEngine;

    let served = support::served::Served::start("cli_test_state", "aws_engine");
    let engine = AwsEngine::for_endpoint(served.endpoint.clone());
    let answer = engine
        .test_state(TestStateInput {
            definition: charge().to_string(),
            input: Some(r#"{"order": {"id": 1}}"#.into()),
            inspection_level: Some(InspectionLevel::Debug),
            mock: Some(MockInput {
                error_output: Some(MockErrorOutput {
                    error: Some("Busy".into()),
                    cause: None,
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|error| {
            panic!(
                "TestState failed: {error}\n{}",
                support::served::tail(&served.log)
            )
        });
    assert_eq!(answer.status, Some(TestExecutionStatus::Retriable));
    let details = answer
        .inspection_data
        .and_then(|data| data.error_details)
        .expect("error details");
    assert_eq!(details.retry_index, Some(0));
    assert_eq!(details.retry_backoff_interval_seconds, Some(2));
    let refused = engine
        .test_state(TestStateInput {
            definition: r#"{"Type": "Pass", "Nxt": "A"}"#.into(),
            ..Default::default()
        })
        .await
        .expect_err("an invalid definition");
    assert_eq!(refused.code(), "InvalidDefinition");
}
