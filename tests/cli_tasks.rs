//! Stepping through workflows by hand against `sfini local serve`: `sfini
//! local tasks` lists what waits, `send-success`, `send-failure` and
//! `send-heartbeat` answer it, and the execution's result is read back
//! through the API. Also `SfiniListWaitingTasks` itself, and what the
//! commands say when the server refuses, cannot be reached, or is given
//! output that is not JSON.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::served::{Served, tail};

const ROLE: &str = "arn:aws:iam::123456789012:role/run";
const QUEUE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

/// Calls `operation` on the server, signed for `region` when one is given;
/// the status and the JSON body.
fn call(served: &Served, region: Option<&str>, operation: &str, body: &Value) -> (u16, Value) {
    let address = served
        .endpoint
        .strip_prefix("http://")
        .expect("an http endpoint");
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    let authorization = region
        .map(|region| {
            format!(
                "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260301/{region}/states/\
                 aws4_request, SignedHeaders=host, Signature=0\r\n"
            )
        })
        .unwrap_or_default();
    let body = body.to_string();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
         {authorization}Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("an answer");
    let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status");
    (status, serde_json::from_str(body).expect("a JSON body"))
}

/// Calls `operation` and expects it to succeed.
fn ok(served: &Served, region: Option<&str>, operation: &str, body: Value) -> Value {
    let (status, answer) = call(served, region, operation, &body);
    assert_eq!(status, 200, "{operation}: {answer}\n{}", tail(&served.log));
    answer
}

/// `sfini local ARGS...` against `served` (by `--endpoint`), with no
/// region or endpoint from the environment.
fn sfini(served: Option<&Served>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sfini"));
    command
        .arg("local")
        .args(args)
        .env_remove("SFINI_ENDPOINT")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION");
    if let Some(served) = served {
        command.args(["--endpoint", &served.endpoint]);
    }
    command.output().expect("the sfini binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `sfini local tasks --json ARGS...` once `count` tasks are listed.
fn waiting(served: &Served, args: &[&str], count: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let output = sfini(Some(served), &[&["tasks", "--json"], args].concat());
        assert!(output.status.success(), "{}", stderr(&output));
        let listed: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
        let tasks = listed["tasks"].as_array().expect("tasks").clone();
        if tasks.len() >= count {
            return tasks;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{count} tasks never waited: {listed}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The execution once it has closed.
fn closed(served: &Served, region: Option<&str>, execution: &str) -> Value {
    let started = Instant::now();
    loop {
        let described = ok(
            served,
            region,
            "DescribeExecution",
            json!({"executionArn": execution}),
        );
        if described["status"] != "RUNNING" {
            return described;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running: {described}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A machine whose one Task state calls `resource`; its ARN.
fn machine(served: &Served, region: Option<&str>, name: &str, task: Value) -> String {
    let definition = json!({"StartAt": "Approve", "States": {"Approve": task}});
    ok(
        served,
        region,
        "CreateStateMachine",
        json!({"name": name, "definition": definition.to_string(), "roleArn": ROLE}),
    )["stateMachineArn"]
        .as_str()
        .expect("an ARN")
        .to_string()
}

fn start(served: &Served, region: Option<&str>, machine: &str, input: Value) -> String {
    ok(
        served,
        region,
        "StartExecution",
        json!({"stateMachineArn": machine, "input": input.to_string()}),
    )["executionArn"]
        .as_str()
        .expect("an ARN")
        .to_string()
}

#[test]
fn an_activity_task_is_listed_then_answered_by_hand_while_no_worker_took_it() {
    let served = Served::start("cli_tasks", "activity");
    let activity = ok(&served, None, "CreateActivity", json!({"name": "approve"}))["activityArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    let machine = machine(
        &served,
        None,
        "approval",
        json!({"Type": "Task", "Resource": activity, "TimeoutSeconds": 600,
               "HeartbeatSeconds": 300, "End": true}),
    );
    let execution = start(&served, None, &machine, json!({"order": 7}));

    let tasks = waiting(&served, &[], 1);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let task = &tasks[0];
    let token = task["taskToken"].as_str().expect("a token").to_string();
    assert_eq!(task["executionArn"], execution.as_str());
    assert_eq!(task["stateName"], "Approve");
    assert_eq!(task["kind"], "ACTIVITY_QUEUED");
    assert_eq!(task["resource"], activity.as_str());
    assert_eq!(task["input"], r#"{"order":7}"#);
    let scheduled = task["scheduledDate"].as_f64().expect("a date");
    assert_eq!(
        task["timeoutDeadline"].as_f64().expect("a deadline"),
        scheduled + 600.0
    );
    assert!(task["heartbeatDeadline"].as_f64().expect("a deadline") >= scheduled + 300.0);

    // As a person reads it.
    let listed = sfini(Some(&served), &["tasks"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let text = stdout(&listed);
    for line in [
        format!("token      {token}"),
        format!("execution  {execution}"),
        "state      Approve".to_string(),
        "kind       activity task, not taken by a worker yet".to_string(),
        format!("resource   {activity}"),
        r#"input      {"order":7}"#.to_string(),
    ] {
        assert!(text.contains(&line), "`{line}` missing from:\n{text}");
    }
    assert!(text.contains("\nwaiting    "), "{text}");
    assert!(text.contains("\ntimeout    in 9m"), "{text}");
    assert!(text.contains("\nheartbeat  in 4m"), "{text}");

    let heartbeat = sfini(Some(&served), &["send-heartbeat", &token]);
    assert!(heartbeat.status.success(), "{}", stderr(&heartbeat));
    assert_eq!(stdout(&heartbeat), "sent a heartbeat: SendTaskHeartbeat\n");
    let answered = sfini(
        Some(&served),
        &["send-success", &token, "--output", r#"{"approved": true}"#],
    );
    assert!(answered.status.success(), "{}", stderr(&answered));
    assert_eq!(stdout(&answered), "answered the task: SendTaskSuccess\n");

    let done = closed(&served, None, &execution);
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"], r#"{"approved":true}"#);
    // Answered while queued: the history shows no worker taking it.
    let history = ok(
        &served,
        None,
        "GetExecutionHistory",
        json!({"executionArn": execution}),
    );
    let types: Vec<&str> = history["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["type"].as_str())
        .collect();
    assert!(types.contains(&"ActivityScheduled"), "{types:?}");
    assert!(types.contains(&"ActivitySucceeded"), "{types:?}");
    assert!(!types.contains(&"ActivityStarted"), "{types:?}");

    // Gone from the list; answering again is refused as AWS refuses it.
    let empty = sfini(Some(&served), &["tasks"]);
    assert_eq!(stdout(&empty), "no task waits for an answer\n");
    let again = sfini(Some(&served), &["send-success", &token]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).starts_with("sfini local send-success: TaskTimedOut: "),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_task_a_worker_took_is_listed_as_started_and_failed_by_hand() {
    let served = Served::start("cli_tasks", "taken");
    let activity = ok(&served, None, "CreateActivity", json!({"name": "work"}))["activityArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    let machine = machine(
        &served,
        None,
        "worked",
        json!({"Type": "Task", "Resource": activity, "End": true}),
    );
    let execution = start(&served, None, &machine, json!({"n": 1}));
    waiting(&served, &[], 1);
    let taken = ok(
        &served,
        None,
        "GetActivityTask",
        json!({"activityArn": activity, "workerName": "clerk-1"}),
    );
    let token = taken["taskToken"].as_str().expect("a task").to_string();
    let tasks = waiting(&served, &["--execution", &execution], 1);
    assert_eq!(tasks[0]["kind"], "ACTIVITY_STARTED");
    assert_eq!(tasks[0]["workerName"], "clerk-1");
    assert_eq!(tasks[0]["taskToken"], token.as_str());
    let text = stdout(&sfini(Some(&served), &["tasks"]));
    assert!(
        text.contains("kind       activity task, taken by the worker `clerk-1`"),
        "{text}"
    );

    let failed = sfini(
        Some(&served),
        &[
            "send-failure",
            &token,
            "--error",
            "Rejected",
            "--cause",
            "by hand",
        ],
    );
    assert!(failed.status.success(), "{}", stderr(&failed));
    let done = closed(&served, None, &execution);
    assert_eq!(done["status"], "FAILED", "{done}");
    assert_eq!(done["error"], "Rejected");
    assert_eq!(done["cause"], "by hand");
}

#[test]
fn a_callback_waits_for_its_token_and_is_answered_by_hand() {
    // `sfini local serve` takes a `.waitForTaskToken` call with no handler
    // as made (`--unhandled-callbacks wait`, its default): the task waits.
    let served = Served::start("cli_tasks", "callback");
    let machine = machine(
        &served,
        None,
        "callback",
        json!({"Type": "Task", "Resource": QUEUE,
               "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
               "End": true}),
    );
    let execution = start(&served, None, &machine, json!({}));
    let tasks = waiting(&served, &["--execution", &execution], 1);
    let task = &tasks[0];
    assert_eq!(task["kind"], "CALLBACK");
    assert_eq!(task["resource"], QUEUE);
    let token = task["taskToken"].as_str().expect("a token");
    let input: Value = serde_json::from_str(task["input"].as_str().expect("text")).expect("JSON");
    assert_eq!(
        input,
        json!({"QueueUrl": "q", "MessageBody": {"token": token}})
    );
    let text = stdout(&sfini(Some(&served), &["tasks"]));
    assert!(
        text.contains("kind       callback (.waitForTaskToken)"),
        "{text}"
    );

    let answered = sfini(
        Some(&served),
        &["send-success", token, "--output", r#"{"delivered": 1}"#],
    );
    assert!(answered.status.success(), "{}", stderr(&answered));
    let done = closed(&served, None, &execution);
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"], r#"{"delivered":1}"#);
}

#[test]
fn the_region_picks_the_engine_from_the_flag_or_the_environment() {
    let served = Served::start("cli_tasks", "regions");
    let region = Some("eu-west-1");
    let activity = ok(&served, region, "CreateActivity", json!({"name": "a"}))["activityArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    assert!(activity.contains(":eu-west-1:"), "{activity}");
    let machine = machine(
        &served,
        region,
        "regional",
        json!({"Type": "Task", "Resource": activity, "End": true}),
    );
    let execution = start(&served, region, &machine, json!({}));
    let tasks = waiting(&served, &["--region", "eu-west-1"], 1);
    let token = tasks[0]["taskToken"].as_str().expect("a token");

    // Not signed: us-east-1, which has none, and whose engine did not issue
    // the token.
    let unsigned = stdout(&sfini(Some(&served), &["tasks", "--json"]));
    assert_eq!(unsigned, "{\"tasks\":[],\"truncated\":false}\n");
    let elsewhere = sfini(Some(&served), &["send-success", token]);
    assert_eq!(elsewhere.status.code(), Some(1));
    assert!(
        stderr(&elsewhere).starts_with("sfini local send-success: InvalidToken: "),
        "{}",
        stderr(&elsewhere)
    );
    // $AWS_REGION, as the AWS CLI reads it.
    let from_environment = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "tasks", "--json"])
        .env("SFINI_ENDPOINT", &served.endpoint)
        .env("AWS_REGION", "eu-west-1")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("the sfini binary runs");
    let listed: Value = serde_json::from_slice(&from_environment.stdout).expect("JSON");
    assert_eq!(listed["tasks"][0]["taskToken"], token);

    let answered = sfini(
        Some(&served),
        &["send-success", token, "--region", "eu-west-1"],
    );
    assert!(answered.status.success(), "{}", stderr(&answered));
    assert_eq!(closed(&served, region, &execution)["output"], "{}");
}

#[test]
fn the_served_list_pages_and_refuses_what_it_does_not_know() {
    let served = Served::start("cli_tasks", "pages");
    let activity = ok(&served, None, "CreateActivity", json!({"name": "p"}))["activityArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    let machine = machine(
        &served,
        None,
        "paged",
        json!({"Type": "Task", "Resource": activity, "End": true}),
    );
    // Each task waits before the next execution starts: executions run
    // concurrently, so only then is the order of their tasks known.
    let executions: Vec<String> = (0..3)
        .map(|n| {
            let execution = start(&served, None, &machine, json!({ "n": n }));
            waiting(&served, &[], n + 1);
            execution
        })
        .collect();
    let all = waiting(&served, &[], 3);
    let order: Vec<&str> = all
        .iter()
        .filter_map(|task| task["executionArn"].as_str())
        .collect();
    assert_eq!(
        order,
        executions.iter().map(String::as_str).collect::<Vec<_>>()
    );

    let first = ok(
        &served,
        None,
        "SfiniListWaitingTasks",
        json!({"maxResults": 2}),
    );
    assert_eq!(first["tasks"].as_array().expect("tasks")[..], all[..2]);
    let second = ok(
        &served,
        None,
        "SfiniListWaitingTasks",
        json!({"maxResults": 2, "nextToken": first["nextToken"]}),
    );
    assert_eq!(second["tasks"].as_array().expect("tasks")[..], all[2..]);
    assert_eq!(second.get("nextToken"), None);

    // The command pages the same way, and says when --max-tasks cut it.
    let cut = sfini(Some(&served), &["tasks", "--json", "--max-tasks", "2"]);
    let listed: Value = serde_json::from_slice(&cut.stdout).expect("JSON");
    assert_eq!(listed["tasks"].as_array().expect("tasks")[..], all[..2]);
    assert_eq!(listed["truncated"], true);
    let cut = sfini(Some(&served), &["tasks", "--max-tasks", "2"]);
    assert!(
        stderr(&cut).contains("more tasks wait than the 2 listed"),
        "{}",
        stderr(&cut)
    );

    for (body, code) in [
        (json!({"nextToken": "made-up"}), "InvalidToken"),
        (json!({"maxResults": 1001}), "ValidationException"),
        (json!({"bogus": 1}), "ValidationException"),
        (
            json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:paged:nope"}),
            "ExecutionDoesNotExist",
        ),
    ] {
        let (status, answer) = call(&served, None, "SfiniListWaitingTasks", &body);
        assert_eq!(status, 400, "{body}: {answer}");
        let kind = answer["__type"].as_str().expect("a type");
        assert!(kind.ends_with(&format!("#{code}")), "{body}: {answer}");
    }
    // Unknown operations are still unknown.
    let (status, answer) = call(&served, None, "SfiniListWaitingTask", &json!({}));
    assert_eq!(status, 400);
    assert_eq!(
        answer["__type"],
        "com.amazon.coral.service#UnknownOperationException"
    );
    assert!(
        answer["message"]
            .as_str()
            .expect("a message")
            .contains("did you mean `SfiniListWaitingTasks`?"),
        "{answer}"
    );
    let unknown = sfini(
        Some(&served),
        &[
            "tasks",
            "--execution",
            "arn:aws:states:us-east-1:123456789012:execution:paged:nope",
        ],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).starts_with("sfini local tasks: ExecutionDoesNotExist: "),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn bad_tokens_unreachable_endpoints_and_malformed_output_are_reported() {
    let served = Served::start("cli_tasks", "errors");
    for (args, expected) in [
        (
            &["send-success", "nope"][..],
            "sfini local send-success: InvalidToken: `nope` is not a task token of this engine",
        ),
        (
            &["send-failure", "nope", "--error", "E"][..],
            "sfini local send-failure: InvalidToken: ",
        ),
        (
            &["send-heartbeat", "nope"][..],
            "sfini local send-heartbeat: InvalidToken: ",
        ),
    ] {
        let output = sfini(Some(&served), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&output).starts_with(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), "", "{args:?}");
    }

    // Output that is not JSON is refused before any call.
    for args in [
        &["send-success", "nope", "--output", "{nope"][..],
        &["send-success", "nope", "--output", "{\"a\": 1} trailing"][..],
    ] {
        let output = sfini(Some(&served), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).starts_with("sfini local send-success: the output is not JSON: "),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // Deeper than the engine takes: refused before it is parsed.
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let output = sfini(Some(&served), &["send-success", "nope", "--output", &deep]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the output is not JSON"),
        "{}",
        stderr(&output)
    );
    let missing = std::env::temp_dir().join("sfini-cli-tasks-no-such-file.json");
    let output = sfini(
        Some(&served),
        &[
            "send-success",
            "nope",
            "--output-file",
            missing.to_str().expect("a path"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read the file"),
        "{}",
        stderr(&output)
    );
    let both = sfini(
        Some(&served),
        &["send-success", "t", "--output", "{}", "--output-file", "x"],
    );
    assert_eq!(both.status.code(), Some(2));

    // A port nothing listens on: said with the endpoint, from the flag or
    // from $SFINI_ENDPOINT.
    let closed_port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("an address").port()
    };
    let nowhere = format!("http://127.0.0.1:{closed_port}");
    let output = sfini(None, &["tasks", "--endpoint", &nowhere]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with(&format!("sfini local tasks: cannot reach {nowhere}: ")),
        "{}",
        stderr(&output)
    );
    let output = Command::new(env!("CARGO_BIN_EXE_sfini"))
        .args(["local", "send-heartbeat", "t"])
        .env("SFINI_ENDPOINT", &nowhere)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("the sfini binary runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!("cannot reach {nowhere}")),
        "{}",
        stderr(&output)
    );
    for (endpoint, expected) in [
        ("https://127.0.0.1:8083", "speaks plain HTTP"),
        ("127.0.0.1:8083", "is not an http URL"),
    ] {
        let output = sfini(None, &["tasks", "--endpoint", endpoint]);
        assert_eq!(output.status.code(), Some(2), "{endpoint}");
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    }
    let output = sfini(Some(&served), &["tasks", "--region", "EU_WEST"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`EU_WEST` is not a region name"),
        "{}",
        stderr(&output)
    );

    // Something that is no served engine: its answer is not believed.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    let impostor = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0_u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad");
        }
    });
    let output = sfini(
        None,
        &["tasks", "--endpoint", &format!("http://127.0.0.1:{port}")],
    );
    impostor.join().expect("the impostor answered");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the server answered HTTP 502: `bad`"),
        "{}",
        stderr(&output)
    );
}
