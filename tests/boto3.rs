//! `sfini local serve` used through boto3 as a program uses AWS: the
//! scripts of `tests/boto3/` run in the venv that `scripts/test-env.sh`
//! makes, against the `sfini` binary serving on a free port, and print
//! what they saw as JSON for these tests to check.

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};
use support::served::{Served, tail};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tests/boto3/<script>` against the server; gives the JSON it
/// printed.
fn run(served: &Served, script: &str) -> Value {
    let python = root().join("target/test-venv/bin/python");
    assert!(
        python.exists(),
        "the boto3 tests need the venv at {}: run `bash scripts/test-env.sh`",
        python.display()
    );
    let scripts = root().join("tests/boto3");
    let output = Command::new(&python)
        .arg(scripts.join(script))
        .current_dir(&scripts)
        .env("SFINI_ENDPOINT", &served.endpoint)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{}\nserver log ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        served.log.display(),
        tail(&served.log)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|error| panic!("{script} printed no JSON ({error}):\n{stdout}"))
}

#[test]
fn boto3_runs_activity_workflows_end_to_end() {
    let served = Served::start("boto3", "workflow");
    let result = run(&served, "workflow.py");
    assert_eq!(
        result["closed"],
        json!({
            "plain": {"status": "SUCCEEDED", "output": {"rendered": "plain", "attempts": 1}},
            "flaky": {"status": "SUCCEEDED", "output": {"rendered": "flaky", "attempts": 2}},
            "broken": {"status": "SUCCEEDED", "output": {
                "name": "broken",
                "mode": "broken",
                "failure": {"Error": "Broken", "Cause": "cannot render"},
                "recovery": "recovered"
            }}
        })
    );
    let succeeded_once = [
        "ExecutionStarted",
        "TaskStateEntered",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(result["histories"]["plain"], json!(succeeded_once));
    assert_eq!(
        result["histories"]["flaky"],
        json!([
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ])
    );
    assert_eq!(
        result["histories"]["broken"],
        json!([
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ])
    );
    assert_eq!(
        result["served"],
        json!(["broken", "flaky", "flaky", "plain"])
    );
    assert_eq!(
        result["flaky_failure"],
        json!({"error": "Flaky", "cause": "first try"})
    );
    assert_eq!(
        result["flaky_worker"],
        json!({"workerName": "boto3-worker"})
    );
    assert_eq!(result["stopped_has_date"], json!(true));
    assert_eq!(
        result["aborted"],
        json!({"status": "ABORTED", "error": "Cancelled", "cause": "by the boto3 test"})
    );
    assert_eq!(result["listed"], json!(["broken", "flaky", "plain"]));
    assert_eq!(result["succeeded"], json!(["broken", "flaky", "plain"]));
    assert_eq!(result["machines"], json!(["renderer", "waiter"]));
    assert_eq!(result["activities"], json!(["render"]));
}

#[test]
fn boto3_raises_the_modeled_exceptions() {
    let served = Served::start("boto3", "errors");
    let errors = run(&served, "errors.py");
    let expected = [
        (
            "execution",
            "ExecutionDoesNotExist",
            "no execution has the ARN",
        ),
        (
            "machine",
            "StateMachineDoesNotExist",
            "no state machine has the ARN",
        ),
        ("arn", "InvalidArn", "not-an-arn"),
        ("definition", "InvalidDefinition", "Nowhere"),
        (
            "activity",
            "ActivityDoesNotExist",
            "no activity has the ARN",
        ),
        (
            "publish",
            "ValidationException",
            "1 validation error detected: Value true at 'publish' failed to satisfy constraint: \
             the local engine does not publish state machine versions",
        ),
        (
            "answered_twice",
            "TaskTimedOut",
            "has timed out or was closed",
        ),
        (
            "token",
            "InvalidToken",
            "is not a task token of this engine",
        ),
    ];
    for (case, code, fragment) in expected {
        let error = &errors[case];
        assert_eq!(error["class"], code, "{case}: {error}");
        assert_eq!(error["code"], code, "{case}: {error}");
        assert_eq!(error["status"], 400, "{case}: {error}");
        assert_eq!(error["request_id"], true, "{case}: {error}");
        let message = error["message"].as_str().expect("a message");
        assert!(
            message.contains(fragment),
            "{case}: `{message}` lacks `{fragment}`"
        );
    }
    assert_eq!(
        errors.as_object().map(|cases| cases.len()),
        Some(expected.len())
    );
}
