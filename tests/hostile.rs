//! Hostile definitions and data through the `sfini` binary: `sfini local
//! serve` (a multi-threaded runtime with its default 2 MiB stacks, reached
//! over HTTP through aws-sdk-sfn) and `sfini run`. Each must fail the
//! execution as AWS would, or refuse the call, and go on serving.

mod support;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};
use sfini::runtime::api::*;
use sfini::runtime::aws::AwsEngine;
use support::served::{Served, tail};

const ROLE: &str = "arn:aws:iam::123456789012:role/hostile";

/// A loop whose Pass state nests its data `levels` deeper on each turn:
/// about 1 KB of definition that, without a bound, builds data deeper than
/// any stack can walk.
fn wrapping(levels: usize) -> Value {
    let mut parameters = json!({"d.$": "$"});
    for _ in 1..levels {
        parameters = json!({ "d": parameters });
    }
    json!({
        "StartAt": "wrap",
        "States": {
            "wrap": {"Type": "Pass", "Parameters": parameters, "Next": "loop"},
            "loop": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.d", "IsPresent": true, "Next": "wrap"}],
                "Default": "done"
            },
            "done": {"Type": "Succeed"}
        }
    })
}

/// A cycle of states that never wait.
fn spinning() -> Value {
    json!({
        "StartAt": "spin",
        "States": {
            "spin": {"Type": "Pass", "Next": "again"},
            "again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": false, "Next": "spin"}],
                "Default": "done"
            },
            "done": {"Type": "Succeed"}
        }
    })
}

/// Ten Pass states, each an array of ten copies of the last.
fn growing() -> Value {
    let mut states = serde_json::Map::new();
    for index in 0..10 {
        let mut state = json!({
            "Type": "Pass",
            "Parameters": {"x.$": "States.Array($.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x)"},
        });
        if index < 9 {
            state["Next"] = json!(format!("grow{}", index + 1));
        } else {
            state["End"] = json!(true);
        }
        states.insert(format!("grow{index}"), state);
    }
    json!({"StartAt": "grow0", "States": states})
}

async fn create(engine: &AwsEngine, name: &str, definition: &Value) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .state_machine_arn
}

async fn start(engine: &AwsEngine, machine: &str, input: &str) -> Result<String, SfnError> {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            input: Some(input.into()),
            ..Default::default()
        })
        .await
        .map(|started| started.execution_arn)
}

/// Waits for an execution to close, asking the server every 20 ms.
async fn closed(engine: &AwsEngine, execution: &str) -> DescribeExecutionOutput {
    for _ in 0..1_500 {
        let described = engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: execution.into(),
            })
            .await
            .unwrap();
        if described.status != ExecutionStatus::Running {
            return described;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{execution} did not close within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_engine_fails_hostile_executions_and_goes_on_serving() {
    let served = Served::start("hostile", "served");
    let engine = AwsEngine::for_endpoint(served.endpoint.clone());

    // Executions that, unbounded, overflow the stack, spin forever and
    // build gigabytes, all at once.
    let mut hostile = Vec::new();
    for (name, definition, input, error) in [
        (
            "wrap1",
            wrapping(1),
            "{}".to_string(),
            "States.DataLimitExceeded",
        ),
        (
            "wrap100",
            wrapping(100),
            "{}".to_string(),
            "States.DataLimitExceeded",
        ),
        ("spin", spinning(), "{}".to_string(), "States.Runtime"),
        (
            "grow",
            growing(),
            json!({"x": "x".repeat(1_000)}).to_string(),
            "States.DataLimitExceeded",
        ),
    ] {
        let machine = create(&engine, name, &definition).await;
        for _ in 0..2 {
            let execution = start(&engine, &machine, &input).await.unwrap();
            hostile.push((name, execution, error));
        }
    }
    // Meanwhile an ordinary execution runs to its end.
    let pass = create(
        &engine,
        "pass",
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "Result": "fine", "End": true}}}),
    )
    .await;
    let execution = start(&engine, &pass, "{}").await.unwrap();
    let done = closed(&engine, &execution).await;
    assert_eq!(done.output.as_deref(), Some("\"fine\""));

    for (name, execution, error) in &hostile {
        let done = closed(&engine, execution).await;
        assert_eq!(done.status, ExecutionStatus::Failed, "{name}: {done:?}");
        assert_eq!(done.error.as_deref(), Some(*error), "{name}: {done:?}");
    }
    let spin = hostile
        .iter()
        .find(|(name, _, _)| *name == "spin")
        .map(|(_, execution, _)| execution)
        .unwrap();
    let last = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: spin.clone(),
            max_results: 1,
            reverse_order: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(last.events[0].id, 25_000);
    assert_eq!(
        last.events[0].event_type(),
        HistoryEventType::ExecutionFailed
    );

    // Data deeper than any stack allows is refused at the door.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let refused = start(&engine, &pass, &deep).await.unwrap_err();
    assert_eq!(refused.code(), "InvalidExecutionInput", "{refused}");
    assert!(
        refused.message().contains("nests more than 256 levels"),
        "{refused}"
    );

    // A task's output too.
    let activity = engine
        .create_activity(CreateActivityInput {
            name: "deep".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn;
    let task = create(
        &engine,
        "task",
        &json!({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": activity, "End": true}}}),
    )
    .await;
    let execution = start(&engine, &task, "{}").await.unwrap();
    let token = engine
        .get_activity_task(GetActivityTaskInput {
            activity_arn: activity.clone(),
            worker_name: None,
        })
        .await
        .unwrap()
        .task_token
        .unwrap();
    let refused = engine
        .send_task_success(SendTaskSuccessInput {
            task_token: token.clone(),
            output: deep,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "InvalidOutput", "{refused}");
    engine
        .send_task_success(SendTaskSuccessInput {
            task_token: token,
            output: "[[1]]".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        closed(&engine, &execution).await.output.as_deref(),
        Some("[[1]]")
    );

    // Still serving.
    let machines = engine
        .list_state_machines(ListStateMachinesInput::default())
        .await
        .unwrap();
    assert_eq!(machines.state_machines.len(), 6, "{}", tail(&served.log));
}

fn sfini(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(args)
        .output()
        .expect("the sfini binary runs")
}

fn scratch(name: &str, definition: &Value) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, definition.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

fn report(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|_| {
        panic!(
            "not a report: {text}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn sfini_run_fails_hostile_executions_as_the_served_engine_does() {
    for (name, definition, input, error) in [
        (
            "wrap.asl.json",
            wrapping(100),
            "{}".to_string(),
            "States.DataLimitExceeded",
        ),
        (
            "spin.asl.json",
            spinning(),
            "{}".to_string(),
            "States.Runtime",
        ),
        (
            "grow.asl.json",
            growing(),
            json!({"x": "x".repeat(1_000)}).to_string(),
            "States.DataLimitExceeded",
        ),
    ] {
        let file = scratch(name, &definition);
        let output = sfini(&["run", &file, "--input", &input, "--json"]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let report = report(&output);
        assert_eq!(report["status"], json!("FAILED"), "{name}: {report}");
        assert_eq!(report["error"], json!(error), "{name}: {report}");
    }
    // The same nesting rule as over HTTP for an input given on the command
    // line.
    let file = scratch(
        "pass.asl.json",
        &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}),
    );
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    let input = dir.join("deep.json");
    fs::write(&input, &deep).unwrap();
    let output = sfini(&["run", &file, "--input-file", &input.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("InvalidExecutionInput"), "{text}");
    assert!(text.contains("nests more than 256 levels"), "{text}");
}

#[test]
fn the_limits_are_options_of_sfini_run() {
    let file = scratch("spin-short.asl.json", &spinning());
    let output = sfini(&["run", &file, "--max-history-events", "100", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let short = report(&output);
    assert_eq!(
        short["cause"],
        json!("The execution reached the maximum number of history events (100).")
    );
    let file = scratch("wrap-shallow.asl.json", &wrapping(1));
    let output = sfini(&["run", &file, "--max-depth", "5", "--json"]);
    let shallow = report(&output);
    assert_eq!(
        shallow["cause"],
        json!(
            "The output of the state 'wrap' is nested more than 5 levels of arrays and objects deep."
        )
    );
    let output = sfini(&["run", &file, "--max-depth", "513"]);
    assert_eq!(output.status.code(), Some(2));
}

/// Data at the nesting limit, through every kind of walk the engine makes:
/// paths and filters, templates, intrinsic functions that copy, compare,
/// write and read it, ResultPath, the history, and the HTTP answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_at_the_nesting_limit_goes_through_the_served_engine() {
    let served = Served::start("hostile", "at-limit");
    let engine = AwsEngine::for_endpoint(served.endpoint.clone());
    // 254 levels under the input's own object and field.
    let mut deep = json!("bottom");
    for _ in 0..254 {
        deep = json!([deep]);
    }
    let definition = json!({
        "StartAt": "walk",
        "States": {
            "walk": {
                "Type": "Pass",
                "Parameters": {
                    "same.$": "$.deep",
                    "text.$": "States.JsonToString($.deep)",
                    "found.$": "States.ArrayContains($.all, $.deep)",
                    "hash.$": "States.Hash(States.JsonToString($.deep), 'SHA-256')",
                    "leaves.$": "$..[?(@ == 'bottom')]"
                },
                "ResultPath": "$.walked",
                "Next": "back"
            },
            "back": {
                "Type": "Pass",
                "Parameters": {"parsed.$": "States.StringToJson($.walked.text)", "found.$": "$.walked.found", "leaves.$": "$.walked.leaves"},
                "End": true
            }
        }
    });
    let machine = create(&engine, "at-limit", &definition).await;
    let input = json!({"deep": deep, "all": [1, deep.clone()]});
    let execution = start(&engine, &machine, &input.to_string()).await.unwrap();
    let done = closed(&engine, &execution).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let output: Value =
        sfini::core::limits::parse_json(done.output.as_deref().unwrap(), 256).unwrap();
    assert_eq!(output["parsed"], deep);
    assert_eq!(output["found"], json!(true));
    // Once under `deep`, once under `all`.
    assert_eq!(output["leaves"], json!(["bottom", "bottom"]));
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: execution.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    // Started, two states entered and left, succeeded; the data in full.
    assert_eq!(history.events.len(), 6);
    let EventDetails::PassStateExited(walked) = &history.events[2].details else {
        panic!("{:?}", history.events[2]);
    };
    let walked = sfini::core::limits::parse_json(walked.output.as_deref().unwrap(), 256).unwrap();
    assert_eq!(walked["walked"]["same"], deep);
}

/// Executions that spin without a history limit in sight: the served
/// engine answers meanwhile, stops them, and shuts down on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_engine_stops_spinning_executions_and_shuts_down() {
    let mut served = Served::start_with(
        "hostile",
        "spinning",
        &[
            "--max-history-events",
            "4000000000",
            "--max-execution-memory",
            "4096",
        ],
    );
    let engine = AwsEngine::for_endpoint(served.endpoint.clone());
    let spin = create(&engine, "spin", &spinning()).await;
    let mut executions = Vec::new();
    for _ in 0..4 {
        executions.push(start(&engine, &spin, "{}").await.unwrap());
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let asked = std::time::Instant::now();
    for execution in &executions {
        let described = engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: execution.clone(),
            })
            .await
            .unwrap();
        assert_eq!(described.status, ExecutionStatus::Running);
    }
    assert!(asked.elapsed() < std::time::Duration::from_secs(5));
    engine
        .stop_execution(StopExecutionInput {
            execution_arn: executions[0].clone(),
            error: Some("Enough".into()),
            cause: None,
        })
        .await
        .unwrap();
    assert_eq!(
        closed(&engine, &executions[0]).await.status,
        ExecutionStatus::Aborted
    );
    // Three still spin; SIGTERM ends the server all the same.
    let status = served
        .terminate(std::time::Duration::from_secs(20))
        .unwrap_or_else(|| panic!("the server did not stop: {}", tail(&served.log)));
    assert!(status.success(), "{status:?}: {}", tail(&served.log));
}
