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
            "version_description",
            "ValidationException",
            "Version description can only be set when publish is true",
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

#[test]
fn boto3_clients_of_two_regions_each_see_their_own() {
    let served = Served::start("boto3", "regions");
    let result = run(&served, "regions.py");
    let arn = |region: &str, rest: &str| format!("arn:aws:states:{region}:123456789012:{rest}");
    // ARNs name the region the client is signed for; an unsigned client is
    // served in us-east-1.
    for (key, region) in [
        ("eu-west-1", "eu-west-1"),
        ("ap-southeast-2", "ap-southeast-2"),
        ("unsigned", "us-east-1"),
    ] {
        let expected = json!({
            "activity": arn(region, "activity:render"),
            "machine": arn(region, "stateMachine:hello"),
            "execution": arn(region, "execution:hello:first"),
        });
        assert_eq!(result["arns"][key], expected, "{key}");
        assert_eq!(
            result["listed"][key],
            json!({
                "machines": [expected["machine"]],
                "activities": [expected["activity"]],
                "executions": [expected["execution"]],
            }),
            "{key}"
        );
    }
    // Another region's ARN names nothing here.
    for (case, code) in [
        ("machine", "StateMachineDoesNotExist"),
        ("start", "StateMachineDoesNotExist"),
        ("execution", "ExecutionDoesNotExist"),
        ("history", "ExecutionDoesNotExist"),
        ("activity", "ActivityDoesNotExist"),
        ("task", "ActivityDoesNotExist"),
    ] {
        let error = &result["isolated"][case];
        assert_eq!(error["class"], code, "{case}: {error}");
        assert_eq!(error["status"], 400, "{case}: {error}");
    }

    // DescribeStateMachine: AWS's members, with its defaults for logging,
    // tracing and encryption; a revision from the first update on, kept by
    // an update that changes nothing; `{}` for METADATA_ONLY's definition.
    let machines = &result["describe_machine"];
    let created = machines["created"].clone();
    assert_eq!(
        created,
        json!({
            "stateMachineArn": arn("eu-west-1", "stateMachine:hello"),
            "name": "hello",
            "status": "ACTIVE",
            "definition": created["definition"],
            "roleArn": "arn:aws:iam::123456789012:role/boto3-test",
            "type": "STANDARD",
            "creationDate": "date",
            "loggingConfiguration": {"level": "OFF", "includeExecutionData": false},
            "tracingConfiguration": {"enabled": false},
            "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
        })
    );
    let revision = machines["updated_revision"].as_str().expect("a revision");
    assert_eq!(revision.len(), 36, "{revision}");
    assert_eq!(machines["after_update"]["revisionId"], revision);
    assert_eq!(
        machines["after_update"]["roleArn"],
        "arn:aws:iam::123456789012:role/boto3-test-2"
    );
    assert_eq!(machines["same_update_revision"], revision);
    assert_eq!(machines["metadata_only"]["definition"], "{}");

    // DescribeExecution in each status.
    let executions = &result["describe_execution"];
    let members = |status: &str| -> Vec<String> {
        let mut names: Vec<String> = executions[status]
            .as_object()
            .unwrap_or_else(|| panic!("{status}: {executions}"))
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    let common = [
        "executionArn",
        "inputDetails",
        "name",
        "redriveCount",
        "redriveStatus",
        "redriveStatusReason",
        "startDate",
        "stateMachineArn",
        "status",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut names: Vec<String> = common.iter().chain(extra).map(|s| s.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(
        members("SUCCEEDED"),
        with(&["input", "output", "outputDetails", "stopDate"])
    );
    // A failed, timed-out or aborted execution is redrivable: no reason.
    let redrivable = |extra: &[&str]| -> Vec<String> {
        let mut names = with(extra);
        names.retain(|name| name != "redriveStatusReason");
        names
    };
    assert_eq!(
        members("FAILED"),
        redrivable(&["input", "stopDate", "error", "cause"])
    );
    assert_eq!(members("RUNNING"), with(&["input", "traceHeader"]));
    assert_eq!(
        members("ABORTED"),
        redrivable(&["input", "stopDate", "error", "cause", "traceHeader"])
    );
    assert_eq!(
        members("METADATA_ONLY"),
        with(&["outputDetails", "stopDate"])
    );
    let succeeded = &executions["SUCCEEDED"];
    assert_eq!(succeeded["output"], r#"{"region":"eu-west-1"}"#);
    assert_eq!(succeeded["inputDetails"], json!({"included": true}));
    assert_eq!(succeeded["outputDetails"], json!({"included": true}));
    assert_eq!(succeeded["redriveCount"], 0);
    assert_eq!(succeeded["redriveStatus"], "NOT_REDRIVABLE");
    assert_eq!(
        succeeded["redriveStatusReason"],
        "Execution is SUCCEEDED and cannot be redriven"
    );
    assert_eq!(
        executions["RUNNING"]["redriveStatusReason"],
        "Execution is RUNNING and cannot be redriven"
    );
    assert_eq!(
        executions["RUNNING"]["traceHeader"],
        "Root=1-5759e988-bd862e3fe1be46a994272793"
    );
    assert_eq!(
        (
            &executions["FAILED"]["error"],
            &executions["FAILED"]["cause"]
        ),
        (&json!("Broken"), &json!("on purpose"))
    );
    assert_eq!(
        (
            &executions["ABORTED"]["error"],
            &executions["ABORTED"]["cause"]
        ),
        (&json!("Cancelled"), &json!("by the test"))
    );
    for status in ["FAILED", "TIMED_OUT", "ABORTED"] {
        let execution = &executions[status];
        assert_eq!(execution["status"], status);
        assert_eq!(execution["redriveStatus"], "REDRIVABLE", "{status}");
        assert!(execution.get("redriveStatusReason").is_none(), "{status}");
        assert!(execution.get("output").is_none(), "{status}: {execution}");
    }
    assert_eq!(
        executions["METADATA_ONLY"]["inputDetails"],
        json!({"included": false})
    );

    // Resource ARNs refused as AWS refuses them.
    for (case, fragment) in [
        (
            "empty_qualifier",
            "`arn:aws:lambda:eu-west-1:123456789012:function:f:` is not a valid resource ARN: \
             the version or alias after the function's name is empty",
        ),
        (
            "bad_qualifier",
            "`arn:aws:lambda:eu-west-1:123456789012:function:f:v1.0` is not a valid resource ARN",
        ),
        (
            "placeholder",
            "`${CheckStock}` is not a valid resource ARN: the placeholder `${...}` in it was not \
             filled",
        ),
        (
            "placeholder_in_arn",
            "function:${Name}` is not a valid resource ARN",
        ),
        (
            "update",
            "the version or alias after the function's name is empty",
        ),
    ] {
        let error = &result["refused"][case];
        assert_eq!(error["class"], "InvalidDefinition", "{case}: {error}");
        let message = error["message"].as_str().expect("a message");
        assert!(message.contains(fragment), "{case}: {message}");
        assert!(message.contains("States.t.Resource"), "{case}: {message}");
    }
    assert_eq!(
        result["accepted"],
        json!([
            arn("eu-west-1", "stateMachine:qualified"),
            arn("eu-west-1", "stateMachine:aliased"),
            arn("eu-west-1", "stateMachine:text"),
        ])
    );
}

#[test]
fn boto3_runs_test_cases_of_a_mock_configuration() {
    let config = root().join("examples/mocks/MockConfigFile.json");
    let served = Served::start_with(
        "boto3",
        "mocks",
        &["--mock-config", config.to_str().expect("a UTF-8 path")],
    );
    let result = run(&served, "mocks.py");
    assert_eq!(
        result["closed"]["HappyPath"],
        json!({
            "status": "SUCCEEDED",
            "machine": true,
            "output": {
                "id": "o-1",
                "price": {"total": 42},
                "approval": {"approved": true, "by": "ada"},
                "shipping": {"tracking": "T-1"}
            },
            "error": null,
            "cause": null
        })
    );
    assert_eq!(
        result["closed"]["Duplicate"]["output"]["duplicate"],
        json!({
            "Error": "DynamoDB.ConditionalCheckFailedException",
            "Cause": "The conditional request failed"
        })
    );
    assert_eq!(
        result["closed"]["Rejected"],
        json!({
            "status": "FAILED",
            "machine": true,
            "output": null,
            "error": "Rejected",
            "cause": "too expensive"
        })
    );
    // Two throttled attempts, retried, then the price.
    let happy: Vec<&str> = result["histories"]["HappyPath"]
        .as_array()
        .expect("a history")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(happy.iter().filter(|t| **t == "TaskFailed").count(), 2);
    assert_eq!(happy.iter().filter(|t| **t == "TaskSubmitted").count(), 2);
    assert_eq!(happy.last(), Some(&"ExecutionSucceeded"));
    assert_eq!(result["unknown_case"]["code"], json!("ValidationException"));
    assert!(
        result["unknown_case"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no test case `Nope` for `orders`")),
        "{}",
        result["unknown_case"]
    );
    assert_eq!(result["by_hand"]["waiting"], json!("RUNNING"));
    assert_eq!(result["by_hand"]["status"], json!("SUCCEEDED"));
    assert_eq!(
        result["by_hand"]["output"]["approval"],
        json!({"approved": true, "by": "boto3"})
    );
    let by_hand: Vec<&str> = result["by_hand"]["history"]
        .as_array()
        .expect("a history")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        by_hand[6..12],
        [
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited"
        ]
    );
}

#[test]
fn boto3_tests_states_and_parses_the_answers_with_the_model() {
    let served = Served::start("boto3", "test_state");
    let result = run(&served, "test_state.py");
    let nested = json!({
        "initialData": {"fieldFromInput": "value from input", "otherField": "other"},
        "unrelatedData": {"someOtherField": 1234}
    });
    let mut output = nested.clone();
    output["modifiedData"] = json!({"staticValue": "some value", "inputValue": "value from input"});
    let data = |text: &Value| -> Value {
        serde_json::from_str(text.as_str().expect("JSON text")).expect("JSON")
    };
    // INFO: no inspection data, as AWS answers it.
    assert_eq!(result["pass_info"]["status"], "SUCCEEDED");
    assert_eq!(result["pass_info"].get("inspectionData"), None);
    assert_eq!(data(&result["pass_info"]["output"]), output);
    let debug = &result["pass_debug"]["inspectionData"];
    assert_eq!(data(&debug["input"]), nested);
    assert_eq!(data(&debug["afterInputPath"]), nested["initialData"]);
    assert_eq!(data(&debug["afterParameters"]), output["modifiedData"]);
    assert_eq!(data(&debug["afterResultPath"]), output);
    assert_eq!(result["choice"]["nextState"], "Big");
    let caught = &result["caught"];
    assert_eq!(caught["status"], "CAUGHT_ERROR");
    assert_eq!(caught["nextState"], "HandleMockError");
    assert_eq!(caught["error"], "MockException");
    assert_eq!(
        caught["inspectionData"]["errorDetails"],
        json!({"catchIndex": 0})
    );
    let retriable = &result["retriable"];
    assert_eq!(retriable["status"], "RETRIABLE");
    assert_eq!(
        retriable["inspectionData"]["errorDetails"],
        json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 16})
    );
    let map = &result["map"]["inspectionData"];
    assert_eq!(map["maxConcurrency"], 0);
    assert_eq!(map["toleratedFailurePercentage"], 50.0);
    assert_eq!(data(&map["afterItemsPath"]), json!([1, 2]));
    assert_eq!(result["by_name"]["nextState"], "Second");
    assert_eq!(
        data(&result["by_name"]["inspectionData"]["variables"]),
        json!({"x": 1})
    );
    for (case, code, fragment) in [
        (
            "invalid_definition",
            "InvalidDefinition",
            "unknown field `Nxt`",
        ),
        (
            "mocked_pass",
            "ValidationException",
            "State type 'Pass' is not supported",
        ),
        (
            "map_without_mock",
            "InvalidDefinition",
            "does not support Map or Parallel",
        ),
        ("bad_input", "InvalidExecutionInput", "not JSON"),
        (
            "no_role",
            "ValidationException",
            "RoleArn must be specified",
        ),
        (
            "bad_member",
            "ValidationException",
            "'stateConfiguration.retrierRetryCount'",
        ),
    ] {
        let error = &result[case];
        assert_eq!(error["class"], code, "{case}: {error}");
        assert_eq!(error["status"], 400, "{case}: {error}");
        let message = error["message"].as_str().expect("a message");
        assert!(
            message.contains(fragment),
            "{case}: `{message}` lacks `{fragment}`"
        );
    }
    assert!(
        !result["invalid_definition"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("unknown-state")),
        "{}",
        result["invalid_definition"]
    );
}

#[test]
fn boto3_tags_describes_for_execution_and_validates() {
    let served = Served::start("boto3", "tags_validation");
    let result = run(&served, "tags_validation.py");
    let tag = |key: &str, value: &str| json!({"key": key, "value": value});
    assert_eq!(
        result["created"],
        json!([tag("team", "data"), tag("env", "")])
    );
    assert_eq!(
        result["tagged"],
        json!([
            tag("team", "data"),
            tag("env", "prod"),
            tag("owner", "a@b.c")
        ])
    );
    assert_eq!(
        result["untagged"],
        json!([tag("env", "prod"), tag("owner", "a@b.c")])
    );
    assert_eq!(result["activity"], json!([tag("k", "v")]));
    assert_eq!(result["after_refusals"], 2);
    assert_eq!(result["empty_key_checked_by_boto3"], true);
    let machine = "arn:aws:states:us-east-1:123456789012:stateMachine:tagged";
    let errors = &result["errors"];
    for (case, code, resource_name) in [
        ("too_many", "TooManyTags", Some(machine)),
        (
            "not_found",
            "ResourceNotFound",
            Some("arn:aws:states:us-east-1:123456789012:stateMachine:absent"),
        ),
        ("deleted", "ResourceNotFound", Some(machine)),
        ("invalid_arn", "InvalidArn", None),
        ("aws_prefix", "ValidationException", None),
        ("bad_character", "ValidationException", None),
        ("no_execution", "ExecutionDoesNotExist", None),
        ("execution_arn", "InvalidArn", None),
        ("max_results", "ValidationException", None),
    ] {
        let error = &errors[case];
        assert_eq!(error["class"], code, "{case}: {error}");
        assert_eq!(error["code"], code, "{case}: {error}");
        assert_eq!(error["status"], 400, "{case}: {error}");
        assert_eq!(
            error["resource_name"].as_str(),
            resource_name,
            "{case}: {error}"
        );
    }
    assert!(
        errors["aws_prefix"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("aws:")),
        "{}",
        errors["aws_prefix"]
    );
    let described = &result["for_execution"];
    assert_eq!(described["definition"], "first", "{described}");
    assert_eq!(described["name"], "tagged");
    assert_eq!(described["arn"], true);
    assert_eq!(
        described["role"],
        "arn:aws:iam::123456789012:role/boto3-test"
    );
    assert_eq!(described["has_update_date"], true);
    assert_eq!(described["revision"], Value::Null);
    assert_eq!(
        described["logging"],
        json!({"level": "OFF", "includeExecutionData": false})
    );
    assert_eq!(described["tracing"], json!({"enabled": false}));
    assert_eq!(
        result["second"],
        json!({"definition": "second", "revision_matches": true})
    );
    assert_eq!(
        result["valid"],
        json!({"result": "OK", "diagnostics": [], "truncated": false})
    );
    assert_eq!(result["broken"]["result"], "FAIL");
    assert!(
        result["broken"]["locations"]
            .as_array()
            .is_some_and(|locations| locations.contains(&json!("/States/P/Next"))),
        "{}",
        result["broken"]
    );
    assert_eq!(result["broken"]["severities"], json!(["ERROR"]));
    assert_eq!(result["not_json"], json!(["INVALID_JSON_DESCRIPTION"]));
    assert!(
        result["empty_object"]
            .as_array()
            .is_some_and(|found| !found.is_empty()
                && found
                    .iter()
                    .all(|entry| *entry == json!(["SCHEMA_VALIDATION_FAILED", "/"]))),
        "{}",
        result["empty_object"]
    );
    assert_eq!(result["warnings_hidden"], json!([]));
    assert_eq!(
        result["warnings_shown"],
        json!({"result": "OK", "severities": ["WARNING"]})
    );
    // AWS's three warnings, with its codes and its locations.
    assert_eq!(
        result["aws_warnings"],
        json!({"result": "OK", "codes": [
            ["WARNING", "NO_DOLLAR", "/States/P/Parameters/id"],
            ["WARNING", "PASS_RESULT_IS_STATIC", "/States/P/Result/x.$"],
            ["WARNING", "NO_PATH", "/States/C/Choices/0/StringEquals"],
        ]})
    );
    assert_eq!(result["capped"], json!({"count": 5, "truncated": true}));
    assert_eq!(
        result["express"],
        json!({"result": "FAIL", "first": ["SCHEMA_VALIDATION_FAILED", "/States/T/Resource"]})
    );
}

#[test]
fn boto3_runs_express_machines_synchronously() {
    let served = Served::start("boto3", "express");
    let result = run(&served, "express.py");
    let succeeded = &result["succeeded"];
    assert_eq!(succeeded["status"], "SUCCEEDED", "{succeeded}");
    assert_eq!(succeeded["output"], r#"{"got":7}"#);
    assert_eq!(succeeded["input"], r#"{"n":7}"#);
    assert_eq!(succeeded["name"], "first");
    assert!(
        succeeded["executionArn"].as_str().is_some_and(
            |arn| arn.starts_with("arn:aws:states:us-east-1:123456789012:express:quick:first:")
        ),
        "{succeeded}"
    );
    assert_eq!(
        succeeded["stateMachineArn"],
        "arn:aws:states:us-east-1:123456789012:stateMachine:quick"
    );
    // boto3 parsed the dates with the model.
    assert_eq!(succeeded["startDate"], "datetime");
    assert_eq!(succeeded["stopDate"], "datetime");
    assert_eq!(succeeded["inputDetails"], json!({"included": true}));
    assert_eq!(succeeded["outputDetails"], json!({"included": true}));
    assert_eq!(
        succeeded["billingDetails"],
        json!({"billedDurationInMilliseconds": 100, "billedMemoryUsedInMB": 64})
    );
    let failed = &result["failed"];
    assert_eq!(failed["status"], "FAILED", "{failed}");
    assert_eq!(failed["error"], "SomeFailure");
    assert_eq!(failed["cause"], "because");
    assert!(failed.get("output").is_none(), "{failed}");
    for (case, code) in [
        ("standard", "StateMachineTypeNotSupported"),
        ("describe", "InvalidArn"),
        ("history", "InvalidArn"),
        ("callback", "InvalidDefinition"),
    ] {
        let error = &result[case];
        assert_eq!(error["class"], code, "{case}: {error}");
        assert_eq!(error["code"], code, "{case}: {error}");
        assert_eq!(error["status"], 400, "{case}: {error}");
    }
    assert_eq!(result["environment"], "SUCCEEDED");
    // Left on, the prefix sends the call to `sync-localhost`, which reaches
    // the server only where that name resolves.
    let prefixed = &result["default_prefix"];
    assert_eq!(prefixed["host"], "sync-localhost", "{prefixed}");
    if prefixed["resolves"] == true {
        assert_eq!(prefixed["status"], "SUCCEEDED", "{prefixed}");
    } else {
        assert_eq!(prefixed["status"], Value::Null, "{prefixed}");
    }
}

#[test]
fn boto3_publishes_versions_and_routes_aliases() {
    let served = Served::start("boto3", "versions");
    let result = run(&served, "versions.py");
    let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:versioned";
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    assert_eq!(result["created_version"], v1.as_str(), "{result}");
    assert_eq!(result["updated_version"], v2.as_str());
    // The revision is already published: its version answers.
    assert_eq!(result["republished"], v2.as_str());
    assert_eq!(
        result["v1"],
        json!({
            "arn": v1,
            "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "one", "End": true}}},
            "description": "first"
        })
    );
    assert_eq!(result["versions"], json!([v2, v1]));
    assert_eq!(result["versions_page"], json!({"count": 1, "more": true}));
    let alias = format!("{arn}:PROD");
    assert_eq!(result["alias_arn"], alias.as_str());
    assert_eq!(result["alias_created"], "datetime");
    assert_eq!(
        result["alias"],
        json!({
            "name": "PROD",
            "description": "half and half",
            "routing": [
                {"stateMachineVersionArn": v1, "weight": 50},
                {"stateMachineVersionArn": v2, "weight": 50}
            ]
        })
    );
    assert_eq!(
        result["by_alias"],
        json!({
            "output": "\"one\"",
            "stateMachineArn": arn,
            "stateMachineVersionArn": v1,
            "stateMachineAliasArn": alias
        })
    );
    assert_eq!(
        result["by_version"],
        json!({"output": "\"two\"", "stateMachineVersionArn": v2, "stateMachineAliasArn": null})
    );
    assert_eq!(
        result["listed_by_alias"],
        json!([{"stateMachineVersionArn": v1, "stateMachineAliasArn": alias}])
    );
    assert_eq!(result["aliases"], json!([alias]));
    for (case, code) in [
        ("referenced", "ConflictException"),
        ("stale", "ConflictException"),
        ("weights", "ValidationException"),
        ("three", "ValidationException"),
        ("no_version", "ResourceNotFound"),
        ("conflict", "ConflictException"),
        ("no_alias", "ResourceNotFound"),
        ("long_description", "ValidationException"),
        ("description_alone", "ValidationException"),
    ] {
        let error = &result["errors"][case];
        // boto3 raised the exception its model names for the code.
        assert_eq!(error["class"], code, "{case}: {error}");
        assert_eq!(error["code"], code, "{case}: {error}");
        assert_eq!(error["status"], 400, "{case}: {error}");
    }
    assert_eq!(result["after_delete"], json!([v2]));
}

#[test]
fn boto3_redrives_failed_and_aborted_executions() {
    let served = Served::start("boto3", "redrive");
    let result = run(&served, "redrive.py");
    assert_eq!(
        result["before"],
        json!({"status": "FAILED", "redriveStatus": "REDRIVABLE", "redriveCount": 0})
    );
    assert_eq!(result["redrive_date"], "datetime");
    assert_eq!(
        result["after"],
        json!({
            "status": "FAILED",
            "redriveCount": 1,
            "redriveDate": "datetime",
            "redriveStatus": "REDRIVABLE"
        })
    );
    assert_eq!(
        result["history"],
        json!([
            [1, 0, "ExecutionStarted"],
            [2, 0, "PassStateEntered"],
            [3, 2, "PassStateExited"],
            [4, 3, "FailStateEntered"],
            [5, 4, "ExecutionFailed"],
            [6, 5, "ExecutionRedriven"],
            [7, 6, "FailStateEntered"],
            [8, 7, "ExecutionFailed"]
        ])
    );
    assert_eq!(result["redriven_details"], json!([{"redriveCount": 1}]));
    assert_eq!(
        result["running"],
        json!({"class": "ExecutionNotRedrivable", "code": "ExecutionNotRedrivable"})
    );
    assert_eq!(result["redriven_status"], "RUNNING");
    assert_eq!(
        result["listed"],
        json!({"REDRIVEN": ["running"], "NOT_REDRIVEN": ["untouched"]})
    );
    assert_eq!(result["listed_count"], json!([1]));
    assert_eq!(
        result["succeeded"],
        json!({"class": "ExecutionNotRedrivable", "code": "ExecutionNotRedrivable"})
    );
}
