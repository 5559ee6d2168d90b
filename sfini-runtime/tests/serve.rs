//! The local engine served over HTTP (`sfini_runtime::serve`), spoken to
//! with raw HTTP/1.1: every operation's request and response, the error
//! shapes, long polls that clients abandon, many polls at once, graceful
//! shutdown, and clients that abuse it (slow bodies, too many connections,
//! huge values, page and task tokens that are not the engine's).

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sfini_runtime::api::{StartExecutionInput, StepFunctions};
use sfini_runtime::local::LocalEngine;
use sfini_runtime::serve::{MAX_REQUEST_BYTES, Server};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

const ROLE: &str = "arn:aws:iam::123456789012:role/serve-test";
const SERVICE: &str = "com.amazonaws.swf.service.v2.model#";
const VALIDATION: &str = "com.amazon.coral.validate#ValidationException";
const UNKNOWN_OPERATION: &str = "com.amazon.coral.service#UnknownOperationException";
const REQUEST_TIMEOUT: &str = "com.amazon.coral.service#RequestTimeoutException";
const INVALID_TOKEN: &str = "com.amazonaws.swf.service.v2.model#InvalidToken";

/// An HTTP answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body of a 200 answer, with the protocol's headers checked.
    fn ok(self) -> Value {
        assert_eq!(self.status, 200, "not a success: {self:?}");
        self.check_headers();
        self.body
    }

    /// `(status, __type, message)` of an error answer.
    fn error(self) -> (u16, String, String) {
        assert_ne!(self.status, 200, "not an error: {self:?}");
        self.check_headers();
        let members: Vec<&String> = self.body.as_object().expect("an object").keys().collect();
        assert_eq!(members, ["__type", "message"], "{self:?}");
        (
            self.status,
            self.body["__type"].as_str().expect("a string").to_string(),
            self.body["message"].as_str().expect("a string").to_string(),
        )
    }

    fn check_headers(&self) {
        assert_eq!(
            self.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        let id = self.header("x-amzn-requestid").expect("a request id");
        assert_eq!(id.len(), 36, "{id}");
    }
}

/// A minimal HTTP/1.1 client on one kept-alive connection.
struct Client {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.expect("the server accepts");
        // A request's head and body are written apart: without this, the
        // body would wait for the head's acknowledgement.
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let (reader, writer) = stream.into_split();
        Client {
            reader: BufReader::new(reader),
            writer,
        }
    }

    async fn send(&mut self, head: &str, body: &[u8]) {
        self.writer
            .write_all(head.as_bytes())
            .await
            .expect("head sent");
        self.writer.write_all(body).await.expect("body sent");
    }

    /// Sends `head`, then `body` a byte at a time with `gap` between bytes,
    /// until the server answers (or closes the connection) or the body is
    /// sent; gives the answer.
    async fn trickle(&mut self, head: &str, body: &[u8], gap: Duration) -> Answer {
        self.writer
            .write_all(head.as_bytes())
            .await
            .expect("head sent");
        let writer = &mut self.writer;
        let writing = async move {
            for byte in body {
                if writer.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(gap).await;
            }
        };
        let answer = read_answer(&mut self.reader);
        tokio::pin!(writing, answer);
        tokio::select! {
            answer = &mut answer => answer,
            () = &mut writing => answer.await,
        }
    }

    async fn raw(&mut self, target: Option<&str>, body: &[u8]) -> Answer {
        let target = target
            .map(|target| format!("X-Amz-Target: {target}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\n{target}Content-Type: application/x-amz-json-1.0\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/states/aws4_request, \
             SignedHeaders=host, Signature=0000\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.send(&head, body).await;
        self.answer().await
    }

    /// Calls `operation` with `body`.
    async fn call(&mut self, operation: &str, body: Value) -> Answer {
        self.raw(
            Some(&format!("AWSStepFunctions.{operation}")),
            body.to_string().as_bytes(),
        )
        .await
    }

    async fn answer(&mut self) -> Answer {
        read_answer(&mut self.reader).await
    }

    /// True when the server closed the connection (nothing more to read,
    /// or a reset: a server closing with bytes of the client it did not
    /// read resets the connection).
    async fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        match self.reader.read_to_end(&mut rest).await {
            Ok(read) => read == 0,
            Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }
}

/// Reads one answer off a connection.
async fn read_answer(reader: &mut BufReader<OwnedReadHalf>) -> Answer {
    let mut line = String::new();
    reader.read_line(&mut line).await.expect("a status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.expect("a header");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').expect("name: value");
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.parse().expect("a length"))
        .expect("a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.expect("the body");
    let body = serde_json::from_slice(&body).expect("a JSON body");
    Answer {
        status,
        headers,
        body,
    }
}

/// Serves `engine` on a free loopback port.
async fn serve(engine: LocalEngine) -> SocketAddr {
    let server = Server::bind("127.0.0.1:0", Arc::new(engine))
        .await
        .expect("a free port");
    let addr = server.local_addr();
    tokio::spawn(server.serve());
    addr
}

/// Serves `engine` on a free loopback port, the server set up by
/// `configure`.
async fn serve_configured(
    engine: LocalEngine,
    configure: impl FnOnce(Server) -> Server,
) -> SocketAddr {
    let server = Server::bind("127.0.0.1:0", Arc::new(engine))
        .await
        .expect("a free port");
    let server = configure(server);
    let addr = server.local_addr();
    tokio::spawn(server.serve());
    addr
}

/// The head of a request for `operation` with a body of `length` bytes.
fn head(operation: &str, length: usize) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {length}\r\n\r\n"
    )
}

fn engine(poll_wait: Duration) -> LocalEngine {
    LocalEngine::builder().activity_poll_wait(poll_wait).build()
}

/// The members of an object, in order.
fn members(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// A timestamp member: epoch seconds, within the last minute.
fn recent(value: &Value) -> f64 {
    let seconds = value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64();
    assert!(
        (now - 60.0..=now + 1.0).contains(&seconds),
        "{seconds} is not now ({now})"
    );
    seconds
}

/// The event with its timestamp checked and taken out.
fn untimed(event: &Value) -> Value {
    let mut event = event.clone();
    let timestamp = event
        .as_object_mut()
        .expect("an event")
        .shift_remove("timestamp")
        .expect("a timestamp");
    recent(&timestamp);
    event
}

fn worker_definition(activity: &str) -> Value {
    json!({
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": activity,
                "TimeoutSeconds": 60,
                "HeartbeatSeconds": 30,
                "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Caught"}],
                "End": true
            },
            "Caught": {"Type": "Pass", "End": true}
        }
    })
}

async fn describe_until_closed(client: &mut Client, execution: &str) -> Value {
    for _ in 0..200 {
        let described = client
            .call("DescribeExecution", json!({"executionArn": execution}))
            .await
            .ok();
        if described["status"] != "RUNNING" {
            return described;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{execution} did not close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workflow_runs_over_http_with_every_operation() {
    let addr = serve(engine(Duration::from_secs(5))).await;
    let mut client = Client::connect(addr).await;

    // Activities: create, describe, list page by page.
    let created = client
        .call(
            "CreateActivity",
            json!({"name": "resize", "tags": [{"key": "team", "value": "media"}]}),
        )
        .await
        .ok();
    assert_eq!(members(&created), ["activityArn", "creationDate"]);
    let activity = created["activityArn"].as_str().expect("an ARN").to_string();
    assert_eq!(
        activity,
        "arn:aws:states:us-east-1:123456789012:activity:resize"
    );
    let created_at = recent(&created["creationDate"]);
    let described = client
        .call("DescribeActivity", json!({"activityArn": activity}))
        .await
        .ok();
    assert_eq!(
        described,
        json!({"activityArn": activity, "name": "resize", "creationDate": created_at})
    );
    let other = client
        .call("CreateActivity", json!({"name": "crop"}))
        .await
        .ok();
    let first = client
        .call("ListActivities", json!({"maxResults": 1}))
        .await
        .ok();
    assert_eq!(members(&first), ["activities", "nextToken"]);
    assert_eq!(
        first["activities"],
        json!([{"activityArn": activity, "name": "resize", "creationDate": created_at}])
    );
    let second = client
        .call(
            "ListActivities",
            json!({"maxResults": 1, "nextToken": first["nextToken"]}),
        )
        .await
        .ok();
    assert_eq!(members(&second), ["activities"]);
    assert_eq!(second["activities"][0]["activityArn"], other["activityArn"]);

    // State machines: create, describe, update, list.
    let definition = worker_definition(&activity).to_string();
    let machine = client
        .call(
            "CreateStateMachine",
            json!({
                "name": "thumbnails",
                "definition": definition,
                "roleArn": ROLE,
                "type": "STANDARD",
                "publish": false,
                "loggingConfiguration": {"level": "OFF"},
                "tracingConfiguration": {"enabled": false}
            }),
        )
        .await
        .ok();
    assert_eq!(members(&machine), ["stateMachineArn", "creationDate"]);
    let machine_arn = machine["stateMachineArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    let described = client
        .call(
            "DescribeStateMachine",
            json!({"stateMachineArn": machine_arn}),
        )
        .await
        .ok();
    assert_eq!(
        members(&described),
        [
            "stateMachineArn",
            "name",
            "status",
            "definition",
            "roleArn",
            "type",
            "creationDate",
            "loggingConfiguration",
            "tracingConfiguration",
            "encryptionConfiguration"
        ]
    );
    assert_eq!(
        described["loggingConfiguration"],
        json!({"level": "OFF", "includeExecutionData": false})
    );
    assert_eq!(described["tracingConfiguration"], json!({"enabled": false}));
    assert_eq!(described["status"], "ACTIVE");
    assert_eq!(described["type"], "STANDARD");
    assert_eq!(described["definition"], definition);
    let metadata = client
        .call(
            "DescribeStateMachine",
            json!({"stateMachineArn": machine_arn, "includedData": "METADATA_ONLY"}),
        )
        .await
        .ok();
    assert_eq!(metadata["definition"], "{}", "{metadata}");
    let updated = client
        .call(
            "UpdateStateMachine",
            json!({"stateMachineArn": machine_arn, "roleArn": format!("{ROLE}-2")}),
        )
        .await
        .ok();
    assert_eq!(members(&updated), ["updateDate", "revisionId"]);
    recent(&updated["updateDate"]);
    let described = client
        .call(
            "DescribeStateMachine",
            json!({"stateMachineArn": machine_arn}),
        )
        .await
        .ok();
    assert_eq!(updated["revisionId"], described["revisionId"]);
    let listed = client.call("ListStateMachines", json!({})).await.ok();
    assert_eq!(
        listed,
        json!({"stateMachines": [{
            "stateMachineArn": machine_arn,
            "name": "thumbnails",
            "type": "STANDARD",
            "creationDate": machine["creationDate"]
        }]})
    );

    // An execution whose first attempt fails and is retried.
    let started = client
        .call(
            "StartExecution",
            json!({"stateMachineArn": machine_arn, "name": "first", "input": "{\"size\": 64}"}),
        )
        .await
        .ok();
    assert_eq!(members(&started), ["executionArn", "startDate"]);
    let execution = started["executionArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    assert_eq!(
        execution,
        "arn:aws:states:us-east-1:123456789012:execution:thumbnails:first"
    );
    let task = client
        .call(
            "GetActivityTask",
            json!({"activityArn": activity, "workerName": "worker-1"}),
        )
        .await
        .ok();
    assert_eq!(members(&task), ["taskToken", "input"]);
    assert_eq!(task["input"], "{\"size\":64}");
    let heartbeat = client
        .call("SendTaskHeartbeat", json!({"taskToken": task["taskToken"]}))
        .await
        .ok();
    assert_eq!(heartbeat, json!({}));
    let failed = client
        .call(
            "SendTaskFailure",
            json!({"taskToken": task["taskToken"], "error": "Flaky", "cause": "try again"}),
        )
        .await
        .ok();
    assert_eq!(failed, json!({}));
    let retried = client
        .call(
            "GetActivityTask",
            json!({"activityArn": activity, "workerName": "worker-2"}),
        )
        .await
        .ok();
    assert_ne!(retried["taskToken"], task["taskToken"]);
    let succeeded = client
        .call(
            "SendTaskSuccess",
            json!({"taskToken": retried["taskToken"], "output": "{\"url\": \"s3://thumbs/64\"}"}),
        )
        .await
        .ok();
    assert_eq!(succeeded, json!({}));
    let done = describe_until_closed(&mut client, &execution).await;
    assert_eq!(
        members(&done),
        [
            "executionArn",
            "stateMachineArn",
            "name",
            "status",
            "startDate",
            "stopDate",
            "input",
            "inputDetails",
            "output",
            "outputDetails",
            "redriveCount",
            "redriveStatus",
            "redriveStatusReason"
        ]
    );
    assert_eq!(done["inputDetails"], json!({"included": true}));
    assert_eq!(done["outputDetails"], json!({"included": true}));
    assert_eq!(done["redriveCount"], 0);
    assert_eq!(done["redriveStatus"], "NOT_REDRIVABLE");
    assert_eq!(done["status"], "SUCCEEDED");
    assert_eq!(done["name"], "first");
    assert_eq!(done["input"], "{\"size\":64}");
    assert_eq!(done["output"], "{\"url\":\"s3://thumbs/64\"}");
    assert!(recent(&done["stopDate"]) >= recent(&done["startDate"]));
    let metadata = client
        .call(
            "DescribeExecution",
            json!({"executionArn": execution, "includedData": "METADATA_ONLY"}),
        )
        .await
        .ok();
    assert!(metadata.get("input").is_none() && metadata.get("output").is_none());

    // Its history, whole and page by page.
    let history = client
        .call("GetExecutionHistory", json!({"executionArn": execution}))
        .await
        .ok();
    assert_eq!(members(&history), ["events"]);
    let events = history["events"].as_array().expect("events");
    let types: Vec<&str> = events
        .iter()
        .map(|event| event["type"].as_str().expect("a type"))
        .collect();
    assert_eq!(
        types,
        [
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
        ]
    );
    assert_eq!(
        untimed(&events[0]),
        json!({
            "type": "ExecutionStarted",
            "id": 1,
            "previousEventId": 0,
            "executionStartedEventDetails": {"input": "{\"size\":64}", "roleArn": format!("{ROLE}-2")}
        })
    );
    assert_eq!(
        untimed(&events[2]),
        json!({
            "type": "ActivityScheduled",
            "id": 3,
            "previousEventId": 2,
            "activityScheduledEventDetails": {
                "resource": activity,
                "input": "{\"size\":64}",
                "timeoutInSeconds": 60,
                "heartbeatInSeconds": 30
            }
        })
    );
    assert_eq!(
        untimed(&events[3]),
        json!({
            "type": "ActivityStarted",
            "id": 4,
            "previousEventId": 3,
            "activityStartedEventDetails": {"workerName": "worker-1"}
        })
    );
    assert_eq!(
        untimed(&events[4]),
        json!({
            "type": "ActivityFailed",
            "id": 5,
            "previousEventId": 4,
            "activityFailedEventDetails": {"error": "Flaky", "cause": "try again"}
        })
    );
    assert_eq!(
        untimed(&events[9]),
        json!({
            "type": "ExecutionSucceeded",
            "id": 10,
            "previousEventId": 9,
            "executionSucceededEventDetails": {"output": "{\"url\":\"s3://thumbs/64\"}"}
        })
    );
    let mut paged = Vec::new();
    let mut next_token = Value::Null;
    loop {
        let page = client
            .call(
                "GetExecutionHistory",
                json!({
                    "executionArn": execution,
                    "maxResults": 3,
                    "reverseOrder": true,
                    "includeExecutionData": false,
                    "nextToken": next_token
                }),
            )
            .await
            .ok();
        let page_events = page["events"].as_array().expect("events");
        assert!(page_events.len() <= 3);
        paged.extend(page_events.iter().cloned());
        next_token = page.get("nextToken").cloned().unwrap_or(Value::Null);
        if next_token.is_null() {
            break;
        }
    }
    let ids: Vec<i64> = paged
        .iter()
        .map(|event| event["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(ids, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(
        untimed(&paged[9]),
        json!({
            "type": "ExecutionStarted",
            "id": 1,
            "previousEventId": 0,
            "executionStartedEventDetails": {"roleArn": format!("{ROLE}-2")}
        })
    );

    // A second execution, stopped; the list filtered and paged.
    let second = client
        .call(
            "StartExecution",
            json!({"stateMachineArn": machine_arn, "name": "second"}),
        )
        .await
        .ok()["executionArn"]
        .clone();
    let stopped = client
        .call(
            "StopExecution",
            json!({"executionArn": second, "error": "Cancelled", "cause": "by the test"}),
        )
        .await
        .ok();
    assert_eq!(members(&stopped), ["stopDate"]);
    let aborted = describe_until_closed(&mut client, second.as_str().expect("an ARN")).await;
    assert_eq!(aborted["status"], "ABORTED");
    assert_eq!(aborted["error"], "Cancelled");
    assert_eq!(aborted["cause"], "by the test");
    assert_eq!(aborted["input"], "{}");
    let newest = client
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_arn, "maxResults": 1}),
        )
        .await
        .ok();
    assert_eq!(members(&newest), ["executions", "nextToken"]);
    assert_eq!(
        newest["executions"],
        json!([{
            "executionArn": second,
            "stateMachineArn": machine_arn,
            "name": "second",
            "status": "ABORTED",
            "startDate": aborted["startDate"],
            "stopDate": aborted["stopDate"]
        }])
    );
    let older = client
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_arn, "maxResults": 1, "nextToken": newest["nextToken"]}),
        )
        .await
        .ok();
    assert_eq!(older["executions"][0]["executionArn"], execution.as_str());
    assert!(older.get("nextToken").is_none(), "{older}");
    let succeeded = client
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_arn, "statusFilter": "SUCCEEDED"}),
        )
        .await
        .ok();
    assert_eq!(succeeded["executions"].as_array().map(Vec::len), Some(1));
    let redriven = client
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_arn, "redriveFilter": "REDRIVEN"}),
        )
        .await
        .ok();
    assert_eq!(redriven, json!({"executions": []}));

    // Deleting.
    let deleted = client
        .call(
            "DeleteStateMachine",
            json!({"stateMachineArn": machine_arn}),
        )
        .await
        .ok();
    assert_eq!(deleted, json!({}));
    let deleted = client
        .call("DeleteActivity", json!({"activityArn": activity}))
        .await
        .ok();
    assert_eq!(deleted, json!({}));
    let (status, kind, _) = client
        .call("DescribeActivity", json!({"activityArn": activity}))
        .await
        .error();
    assert_eq!(
        (status, kind.as_str()),
        (
            400,
            "com.amazonaws.swf.service.v2.model#ActivityDoesNotExist"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_shaped_as_aws_shapes_them() {
    let addr = serve(engine(Duration::from_secs(1))).await;
    let mut client = Client::connect(addr).await;
    let missing = "arn:aws:states:us-east-1:123456789012:execution:none:nothing";

    // An error of the engine keeps its code and message.
    let (status, kind, message) = client
        .call("DescribeExecution", json!({"executionArn": missing}))
        .await
        .error();
    assert_eq!(status, 400);
    assert_eq!(kind, format!("{SERVICE}ExecutionDoesNotExist"));
    let engine_message = LocalEngine::new()
        .describe_execution(sfini_runtime::api::DescribeExecutionInput {
            execution_arn: missing.into(),
        })
        .await
        .expect_err("no such execution")
        .message()
        .to_string();
    assert_eq!(message, engine_message);
    let (_, kind, _) = client
        .call(
            "DescribeStateMachine",
            json!({"stateMachineArn": "not-an-arn"}),
        )
        .await
        .error();
    assert_eq!(kind, format!("{SERVICE}InvalidArn"));
    let (_, kind, message) = client
        .call(
            "CreateStateMachine",
            json!({
                "name": "broken",
                "definition": json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}).to_string(),
                "roleArn": ROLE
            }),
        )
        .await
        .error();
    assert_eq!(kind, format!("{SERVICE}InvalidDefinition"));
    assert!(message.contains("Nowhere"), "{message}");

    // Requests that name no operation this server answers.
    let (status, kind, message) = client.call("StartExecutoin", json!({})).await.error();
    assert_eq!((status, kind.as_str()), (400, UNKNOWN_OPERATION));
    assert!(
        message.starts_with(
            "`StartExecutoin` is not an operation of Step Functions; did you mean `StartExecution`?"
        ),
        "{message}"
    );
    let (_, kind, message) = client.call("ListMapRuns", json!({})).await.error();
    assert_eq!(kind, UNKNOWN_OPERATION);
    assert!(
        message.starts_with(
            "`ListMapRuns` is an operation of Step Functions that the local engine does not answer"
        ),
        "{message}"
    );
    let (status, kind, message) = client.raw(None, b"{}").await.error();
    assert_eq!((status, kind.as_str()), (400, UNKNOWN_OPERATION));
    assert!(
        message.starts_with("the request has no X-Amz-Target header"),
        "{message}"
    );
    let (_, kind, message) = client
        .raw(Some("DynamoDB_20120810.ListTables"), b"{}")
        .await
        .error();
    assert_eq!(kind, UNKNOWN_OPERATION);
    assert!(
        message.contains("`DynamoDB_20120810.ListTables` is not a Step Functions operation"),
        "{message}"
    );

    // Bodies and members that are not what the operation takes.
    let (status, kind, message) = client
        .raw(
            Some("AWSStepFunctions.ListActivities"),
            b"{\"maxResults\": ",
        )
        .await
        .error();
    assert_eq!((status, kind.as_str()), (400, VALIDATION));
    assert!(
        message.starts_with("1 validation error detected: the request body is not JSON"),
        "{message}"
    );
    let (_, kind, message) = client
        .raw(Some("AWSStepFunctions.ListActivities"), b"[]")
        .await
        .error();
    assert_eq!(kind, VALIDATION);
    assert!(
        message.contains("the request body is an array, not a JSON object"),
        "{message}"
    );
    let (_, kind, message) = client
        .call(
            "StartExecution",
            json!({"stateMachineArn": 42, "input": {"size": 1}}),
        )
        .await
        .error();
    assert_eq!(kind, VALIDATION);
    assert_eq!(
        message,
        "2 validation errors detected: \
         Value 42 at 'stateMachineArn' failed to satisfy constraint: Member must be a string; \
         Value {\"size\":1} at 'input' failed to satisfy constraint: Member must be a string"
    );
    let (_, kind, message) = client.call("DescribeExecution", json!({})).await.error();
    assert_eq!(kind, VALIDATION);
    assert_eq!(
        message,
        "1 validation error detected: Value null at 'executionArn' failed to satisfy \
         constraint: Member must not be null"
    );
    let (_, kind, message) = client
        .call("ListActivities", json!({"maxResults": 5000, "pageSize": 3}))
        .await
        .error();
    assert_eq!(kind, VALIDATION);
    assert_eq!(
        message,
        "2 validation errors detected: \
         Value '5000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000; \
         'pageSize' is not a member of ListActivities's request (its members are maxResults, nextToken)"
    );
    let (_, kind, message) = client
        .call(
            "CreateStateMachine",
            json!({"name": "m", "definition": "{}", "roleArn": ROLE, "publish": true,
                   "versionDescription": "d".repeat(257)}),
        )
        .await
        .error();
    assert_eq!(kind, VALIDATION);
    assert_eq!(
        message,
        "1 validation error detected: Value at 'versionDescription' failed to satisfy \
         constraint: Member must have length less than or equal to 256 (it has 257 characters)"
    );

    // The connection stays usable after every refusal.
    let listed = client.call("ListActivities", json!({})).await.ok();
    assert_eq!(listed, json!({"activities": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused_unread() {
    let addr = serve(engine(Duration::from_secs(1))).await;

    // Declared too large: refused before a byte of the body is sent.
    let mut client = Client::connect(addr).await;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n\
         Content-Length: {}\r\n\r\n",
        MAX_REQUEST_BYTES + 1
    );
    client.send(&head, b"").await;
    let (status, kind, message) = client.answer().await.error();
    assert_eq!((status, kind.as_str()), (413, VALIDATION));
    assert!(
        message.starts_with(&format!(
            "the request body is larger than {MAX_REQUEST_BYTES} bytes"
        )),
        "{message}"
    );
    assert!(
        client.closed().await,
        "the connection is closed after the refusal"
    );

    // Sent in chunks: refused once the chunks pass the limit.
    let mut client = Client::connect(addr).await;
    let head = "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    let chunk = vec![b' '; 64 * 1024];
    let mut body = Vec::new();
    for _ in 0..=(MAX_REQUEST_BYTES / chunk.len()) {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(&chunk);
        body.extend_from_slice(b"\r\n");
    }
    client.send(head, &body).await;
    let (status, kind, _) = client.answer().await.error();
    assert_eq!((status, kind.as_str()), (413, VALIDATION));

    // A body within the limit is read.
    let mut client = Client::connect(addr).await;
    let padded = format!(
        "{{\"maxResults\": 1{}}}",
        " ".repeat(MAX_REQUEST_BYTES - 20)
    );
    let listed = client
        .raw(Some("AWSStepFunctions.ListActivities"), padded.as_bytes())
        .await
        .ok();
    assert_eq!(listed, json!({"activities": []}));
}

/// Creates an activity and a machine running it; gives their ARNs.
async fn activity_machine(client: &mut Client, name: &str) -> (String, String) {
    let activity = client
        .call("CreateActivity", json!({"name": name}))
        .await
        .ok()["activityArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    let machine = client
        .call(
            "CreateStateMachine",
            json!({
                "name": name,
                "definition": worker_definition(&activity).to_string(),
                "roleArn": ROLE
            }),
        )
        .await
        .ok()["stateMachineArn"]
        .as_str()
        .expect("an ARN")
        .to_string();
    (activity, machine)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_abandoned_by_its_client_hands_the_task_to_the_next_poll() {
    let engine = engine(Duration::from_secs(20));
    let addr = serve(engine.clone()).await;
    let mut client = Client::connect(addr).await;
    let (activity, machine) = activity_machine(&mut client, "abandoned").await;

    // A poll that waits, then its client goes away.
    let mut leaving = Client::connect(addr).await;
    let poll = json!({"activityArn": activity, "workerName": "leaving"}).to_string();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.GetActivityTask\r\n\
         Content-Length: {}\r\n\r\n",
        poll.len()
    );
    leaving.send(&head, poll.as_bytes()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(leaving);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The task goes to the next poll, not to the one whose client left,
    // which would have kept it for up to 20 seconds.
    let execution = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine,
            ..Default::default()
        })
        .await
        .expect("started")
        .execution_arn;
    let received = tokio::time::timeout(
        Duration::from_secs(5),
        client.call(
            "GetActivityTask",
            json!({"activityArn": activity, "workerName": "staying"}),
        ),
    )
    .await
    .expect("the task is handed out at once")
    .ok();
    assert!(received["taskToken"].is_string(), "{received}");
    let history = client
        .call("GetExecutionHistory", json!({"executionArn": execution}))
        .await
        .ok();
    let workers: Vec<&Value> = history["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["type"] == "ActivityStarted")
        .map(|event| &event["activityStartedEventDetails"]["workerName"])
        .collect();
    assert_eq!(workers, [&json!("staying")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_polls_wait_at_once_and_each_gets_one_task() {
    const POLLS: usize = 40;
    let addr = serve(engine(Duration::from_secs(20))).await;
    let mut client = Client::connect(addr).await;
    let (activity, machine) = activity_machine(&mut client, "crowd").await;
    let polls: Vec<_> = (0..POLLS)
        .map(|index| {
            let activity = activity.clone();
            tokio::spawn(async move {
                let mut poller = Client::connect(addr).await;
                poller
                    .call(
                        "GetActivityTask",
                        json!({"activityArn": activity, "workerName": format!("poller-{index}")}),
                    )
                    .await
                    .ok()
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for index in 0..POLLS {
        client
            .call(
                "StartExecution",
                json!({"stateMachineArn": machine, "input": format!("{{\"index\": {index}}}")}),
            )
            .await
            .ok();
    }
    let mut inputs = Vec::new();
    let mut tokens = Vec::new();
    for poll in polls {
        let task = tokio::time::timeout(Duration::from_secs(10), poll)
            .await
            .expect("every poll is answered")
            .expect("the poll did not panic");
        tokens.push(task["taskToken"].as_str().expect("a task").to_string());
        let input: Value =
            serde_json::from_str(task["input"].as_str().expect("an input")).expect("JSON");
        inputs.push(input["index"].as_u64().expect("an index"));
    }
    inputs.sort_unstable();
    assert_eq!(inputs, (0..POLLS as u64).collect::<Vec<_>>());
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), POLLS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_without_a_task_answers_empty_after_the_poll_wait() {
    let addr = serve(engine(Duration::from_millis(300))).await;
    let mut client = Client::connect(addr).await;
    let (activity, _) = activity_machine(&mut client, "idle").await;
    let started = std::time::Instant::now();
    let answer = client
        .call("GetActivityTask", json!({"activityArn": activity}))
        .await
        .ok();
    assert_eq!(answer, json!({}));
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(300)..Duration::from_secs(5)).contains(&waited),
        "the poll waited {waited:?}, not the engine's 300 ms"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_requests_in_flight_finish_within_the_grace() {
    let engine = engine(Duration::from_secs(20));
    let server = Server::bind("127.0.0.1:0", Arc::new(engine.clone()))
        .await
        .expect("a free port")
        .shutdown_grace(Duration::from_secs(5));
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_with_shutdown(async {
        let _ = stopped.await;
    }));
    let mut client = Client::connect(addr).await;
    let (activity, machine) = activity_machine(&mut client, "draining").await;
    let poll = tokio::spawn(async move {
        let mut poller = Client::connect(addr).await;
        poller
            .call("GetActivityTask", json!({"activityArn": activity}))
            .await
            .ok()
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).expect("the server listens");
    tokio::time::sleep(Duration::from_millis(300)).await;

    // No new connection is accepted; the idle one is closed; the poll in
    // flight is still answered.
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
    assert!(client.closed().await, "the idle connection is closed");
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine,
            ..Default::default()
        })
        .await
        .expect("started");
    let task = poll.await.expect("the poll did not panic");
    assert!(task["taskToken"].is_string(), "{task}");
    tokio::time::timeout(Duration::from_secs(5), serving)
        .await
        .expect("the server stops once its requests are answered")
        .expect("the server did not panic");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_cuts_off_requests_after_the_grace() {
    let engine = engine(Duration::from_secs(20));
    let server = Server::bind("127.0.0.1:0", Arc::new(engine.clone()))
        .await
        .expect("a free port")
        .shutdown_grace(Duration::from_millis(200));
    let addr = server.local_addr();
    let mut client = Client::connect(addr).await;
    let serving =
        tokio::spawn(server.serve_with_shutdown(tokio::time::sleep(Duration::from_millis(500))));
    let (activity, machine) = activity_machine(&mut client, "cut").await;
    let poll = json!({"activityArn": activity}).to_string();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.GetActivityTask\r\n\
         Content-Length: {}\r\n\r\n",
        poll.len()
    );
    client.send(&head, poll.as_bytes()).await;
    tokio::time::timeout(Duration::from_secs(3), serving)
        .await
        .expect("the server stops after its grace")
        .expect("the server did not panic");
    assert!(
        client.closed().await,
        "the cut-off poll's connection is closed"
    );

    // The poll was dropped: the task is queued for the next worker.
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine,
            ..Default::default()
        })
        .await
        .expect("started");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(engine.queued_activity_tasks(&activity), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_arrive_in_time_is_answered_408_and_its_connection_closed() {
    let addr = serve_configured(engine(Duration::from_secs(1)), |server| {
        server.body_read_timeout(Duration::from_millis(200))
    })
    .await;
    let body = br#"{"name": "an-activity-whose-request-comes-a-byte-at-a-time"}"#;
    let head = head("CreateActivity", body.len());
    let expected = "the request body did not arrive within 200ms of the request's headers; \
                    send the whole body at once";

    // Headers, part of the body, then nothing.
    let mut client = Client::connect(addr).await;
    client.send(&head, &body[..10]).await;
    let answer = client.answer().await;
    assert_eq!(answer.header("connection"), Some("close"));
    let (status, kind, message) = answer.error();
    assert_eq!((status, kind.as_str()), (408, REQUEST_TIMEOUT));
    assert_eq!(message, expected);
    assert!(
        client.closed().await,
        "the connection is closed after a 408"
    );

    // Every byte well within the timeout of the one before (the body would
    // take seconds): the limit is on the whole body, not between bytes.
    let mut client = Client::connect(addr).await;
    let answer = client.trickle(&head, body, Duration::from_millis(50)).await;
    assert_eq!(answer.header("connection"), Some("close"));
    let (status, kind, message) = answer.error();
    assert_eq!((status, kind.as_str()), (408, REQUEST_TIMEOUT));
    assert_eq!(message, expected);
    assert!(
        client.closed().await,
        "the connection is closed after a 408"
    );

    // Chunked, stalled after its first chunk.
    let mut client = Client::connect(addr).await;
    client
        .send(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.CreateActivity\r\n\
             Transfer-Encoding: chunked\r\n\r\n",
            b"5\r\n{\"nam\r\n",
        )
        .await;
    let (status, kind, _) = client.answer().await.error();
    assert_eq!((status, kind.as_str()), (408, REQUEST_TIMEOUT));
    assert!(
        client.closed().await,
        "the connection is closed after a 408"
    );

    // None of them was served; a body sent at once is.
    let mut client = Client::connect(addr).await;
    let listed = client.call("ListActivities", json!({})).await.ok();
    assert_eq!(listed, json!({"activities": []}));
    client
        .raw(Some("AWSStepFunctions.CreateActivity"), body)
        .await
        .ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_connection_bound_a_client_waits_until_a_connection_closes() {
    let bound = NonZeroUsize::new(2).expect("not zero");
    let addr = serve_configured(engine(Duration::from_secs(1)), |server| {
        server.max_connections(bound)
    })
    .await;
    // Two connections, served once each, then open and idle.
    let mut first = Client::connect(addr).await;
    let mut second = Client::connect(addr).await;
    for client in [&mut first, &mut second] {
        let listed = client.call("ListActivities", json!({})).await.ok();
        assert_eq!(listed, json!({"activities": []}));
    }

    // A third: the system takes the connection, the server does not.
    let mut third = Client::connect(addr).await;
    let body = json!({"name": "third"}).to_string();
    third
        .send(&head("CreateActivity", body.len()), body.as_bytes())
        .await;
    assert!(
        tokio::time::timeout(Duration::from_millis(300), third.answer())
            .await
            .is_err(),
        "a connection beyond the bound was served"
    );
    // The open ones are still served, and the third's request was not.
    let listed = second.call("ListActivities", json!({})).await.ok();
    assert_eq!(listed, json!({"activities": []}));

    // One closes: the third is accepted and served.
    drop(first);
    let created = tokio::time::timeout(Duration::from_secs(5), third.answer())
        .await
        .expect("served once a connection closed")
        .ok();
    assert_eq!(
        created["activityArn"],
        "arn:aws:states:us-east-1:123456789012:activity:third"
    );
    let listed = second.call("ListActivities", json!({})).await.ok();
    assert_eq!(listed["activities"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_to_hostile_values_stay_small() {
    let addr = serve(engine(Duration::from_secs(1))).await;
    let mut client = Client::connect(addr).await;
    let (_, machine) = activity_machine(&mut client, "hostile").await;
    let huge = "v".repeat(2_000_000);
    let cases = [
        (
            "ListExecutions",
            json!({"stateMachineArn": machine, "statusFilter": huge}),
            VALIDATION.to_string(),
            "…' (2000000 characters) at 'statusFilter' failed to satisfy constraint: Member must \
             satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]",
        ),
        (
            "ListActivities",
            json!({huge.clone(): 1}),
            VALIDATION.to_string(),
            "…' (2000000 characters) is not a member of ListActivities's request (its members \
             are maxResults, nextToken)",
        ),
        (
            "CreateActivity",
            json!({"name": "v".repeat(1_000_000), "tags": [{"key": "k", "value": "v".repeat(900_000)}]}),
            VALIDATION.to_string(),
            "Value at 'name' failed to satisfy constraint: Member must have length less than or \
             equal to 80 (it has 1000000 characters); Value at 'tags.1.member.value' failed to \
             satisfy constraint: Member must have length less than or equal to 256 (it has \
             900000 characters)",
        ),
        (
            "DescribeExecution",
            json!({"executionArn": huge}),
            VALIDATION.to_string(),
            "(it has 2000000 characters)",
        ),
        (
            "CreateStateMachine",
            json!({"name": "m", "definition": "{}", "roleArn": "r".repeat(256)}),
            format!("{SERVICE}InvalidArn"),
            "…` (256 characters) is not an ARN",
        ),
        (
            "ListExecutions",
            json!({"stateMachineArn": machine, "nextToken": "t".repeat(3096)}),
            INVALID_TOKEN.to_string(),
            "…` (3096 characters) is not a page token of this engine",
        ),
        (
            "SendTaskSuccess",
            json!({"taskToken": "t".repeat(2048), "output": "{}"}),
            INVALID_TOKEN.to_string(),
            "is not a task token of this engine",
        ),
    ];
    for (operation, body, expected_kind, expected) in cases {
        let answer = client.call(operation, body).await;
        let size = answer.body.to_string().len();
        let (status, kind, message) = answer.error();
        assert!(size < 1024, "{operation}: {size} bytes: {message}");
        assert_eq!(
            (status, kind.as_str()),
            (400, expected_kind.as_str()),
            "{operation}"
        );
        assert!(message.contains(expected), "{operation}: {message}");
    }

    // An operation name as long as a header may be.
    let target = format!("AWSStepFunctions.{}", "x".repeat(50_000));
    let answer = client.raw(Some(&target), b"{}").await;
    let size = answer.body.to_string().len();
    let (_, kind, message) = answer.error();
    assert_eq!(kind, UNKNOWN_OPERATION);
    assert!(size < 1024, "{size} bytes: {message}");
    assert!(
        message.contains("…` (50000 characters) is not an operation of Step Functions"),
        "{message}"
    );

    // Problems enough to make a long message: it is cut.
    let many: serde_json::Map<String, Value> = (0..30_000)
        .map(|index| (format!("member{index}"), json!(1)))
        .collect();
    let answer = client.call("ListActivities", Value::Object(many)).await;
    let size = answer.body.to_string().len();
    let (_, kind, message) = answer.error();
    assert_eq!(kind, VALIDATION);
    assert!(size < 4096 + 100, "{size} bytes");
    assert!(message.len() <= 4096, "{}", message.len());
    assert!(
        message.starts_with("30000 validation errors detected: 'member0' is not a member"),
        "{}",
        &message[..100]
    );
    assert!(
        message.ends_with(" … (message cut)"),
        "{}",
        &message[4000..]
    );
}

/// Creates a machine of one Pass state; gives its ARN.
async fn pass_machine(client: &mut Client, name: &str) -> String {
    client
        .call(
            "CreateStateMachine",
            json!({
                "name": name,
                "definition": json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string(),
                "roleArn": ROLE
            }),
        )
        .await
        .ok()["stateMachineArn"]
        .as_str()
        .expect("an ARN")
        .to_string()
}

/// Starts an execution of `machine` named `name`; gives its ARN.
async fn start(client: &mut Client, machine: &str, name: &str) -> String {
    client
        .call(
            "StartExecution",
            json!({"stateMachineArn": machine, "name": name}),
        )
        .await
        .ok()["executionArn"]
        .as_str()
        .expect("an ARN")
        .to_string()
}

/// The `name` of each item of a page's list `member`.
fn names(page: &Value, member: &str) -> Vec<String> {
    page[member]
        .as_array()
        .unwrap_or_else(|| panic!("no {member}: {page}"))
        .iter()
        .map(|item| item["name"].as_str().expect("a name").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_hold_their_place_while_items_are_added() {
    let addr = serve(engine(Duration::from_secs(1))).await;
    let mut client = Client::connect(addr).await;
    let machine = pass_machine(&mut client, "paged").await;
    for index in 0..250 {
        start(&mut client, &machine, &format!("old-{index:03}")).await;
    }
    // Executions, newest first, while more start between pages: each of
    // the 250 comes once, in order, and none started since.
    let mut seen = Vec::new();
    let mut token = Value::Null;
    let mut started = 0;
    loop {
        let page = client
            .call(
                "ListExecutions",
                json!({"stateMachineArn": machine, "maxResults": 40, "nextToken": token}),
            )
            .await
            .ok();
        seen.extend(names(&page, "executions"));
        for _ in 0..3 {
            start(&mut client, &machine, &format!("new-{started:03}")).await;
            started += 1;
        }
        token = page.get("nextToken").cloned().unwrap_or(Value::Null);
        if token.is_null() {
            break;
        }
    }
    let expected: Vec<String> = (0..250)
        .rev()
        .map(|index| format!("old-{index:03}"))
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(started, 21, "7 pages of 40");

    // Activities, oldest first, while more are created: each once, the new
    // ones at the end.
    for index in 0..5 {
        client
            .call("CreateActivity", json!({"name": format!("a-{index}")}))
            .await
            .ok();
    }
    let mut seen = Vec::new();
    let mut token = Value::Null;
    let mut created = 5;
    loop {
        let page = client
            .call(
                "ListActivities",
                json!({"maxResults": 2, "nextToken": token}),
            )
            .await
            .ok();
        seen.extend(names(&page, "activities"));
        if created < 8 {
            client
                .call("CreateActivity", json!({"name": format!("a-{created}")}))
                .await
                .ok();
            created += 1;
        }
        token = page.get("nextToken").cloned().unwrap_or(Value::Null);
        if token.is_null() {
            break;
        }
    }
    let expected: Vec<String> = (0..8).map(|index| format!("a-{index}")).collect();
    assert_eq!(seen, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_tokens_are_refused_by_other_calls_lists_and_engines() {
    let addr = serve(engine(Duration::from_secs(1))).await;
    let mut client = Client::connect(addr).await;
    let machine_a = pass_machine(&mut client, "a").await;
    let machine_b = pass_machine(&mut client, "b").await;
    let mut execution = String::new();
    for index in 0..3 {
        execution = start(&mut client, &machine_a, &format!("e{index}")).await;
        start(&mut client, &machine_b, &format!("e{index}")).await;
    }
    let first = client
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_a, "maxResults": 1}),
        )
        .await
        .ok();
    let token = first["nextToken"].as_str().expect("a token").to_string();
    assert!(!token.contains("page-"), "{token}");
    let second = client
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_a, "maxResults": 1, "nextToken": token}),
        )
        .await
        .ok();
    assert_eq!(names(&second, "executions"), ["e1"]);

    // The same engine served twice: its other server's tokens are its own.
    let other = serve(engine(Duration::from_secs(1))).await;
    let mut elsewhere = Client::connect(other).await;
    pass_machine(&mut elsewhere, "a").await;
    for index in 0..3 {
        start(&mut elsewhere, &machine_a, &format!("e{index}")).await;
    }

    let mut forged: Vec<char> = token.chars().collect();
    forged[5] = if forged[5] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    let refusals = [
        (
            "ListExecutions",
            json!({"stateMachineArn": machine_b, "nextToken": token}),
            "was given by ListExecutions for another list; give it with the state machine, \
             status filter and redrive filter of the call that gave it",
        ),
        (
            "ListExecutions",
            json!({"stateMachineArn": machine_a, "statusFilter": "SUCCEEDED", "nextToken": token}),
            "for another list",
        ),
        (
            "ListStateMachines",
            json!({"nextToken": token}),
            "was given by ListExecutions; ListStateMachines takes only the page tokens it gives",
        ),
        (
            "ListActivities",
            json!({"nextToken": token}),
            "was given by ListExecutions; ListActivities takes only the page tokens it gives",
        ),
        (
            "GetExecutionHistory",
            json!({"executionArn": execution, "nextToken": token}),
            "was given by ListExecutions; GetExecutionHistory takes only the page tokens it gives",
        ),
        (
            "ListExecutions",
            json!({"stateMachineArn": machine_a, "nextToken": forged}),
            "was not given by this engine",
        ),
        (
            "ListExecutions",
            json!({"stateMachineArn": machine_a, "nextToken": "page-1"}),
            "`page-1` is not a page token of this engine",
        ),
    ];
    for (operation, body, expected) in refusals {
        let (status, kind, message) = client.call(operation, body.clone()).await.error();
        assert_eq!((status, kind.as_str()), (400, INVALID_TOKEN), "{body}");
        assert!(message.contains(expected), "{body}: {message}");
    }
    let (status, kind, message) = elsewhere
        .call(
            "ListExecutions",
            json!({"stateMachineArn": machine_a, "maxResults": 1, "nextToken": token}),
        )
        .await
        .error();
    assert_eq!((status, kind.as_str()), (400, INVALID_TOKEN));
    assert!(
        message.contains("was not given by this engine"),
        "{message}"
    );

    // A history token is bound to its execution and order.
    let history = client
        .call(
            "GetExecutionHistory",
            json!({"executionArn": execution, "maxResults": 1}),
        )
        .await
        .ok();
    let (_, kind, message) = client
        .call(
            "GetExecutionHistory",
            json!({"executionArn": execution, "reverseOrder": true, "nextToken": history["nextToken"]}),
        )
        .await
        .error();
    assert_eq!(kind, INVALID_TOKEN);
    assert!(message.contains("the execution and order"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_tokens_the_engine_did_not_issue_are_refused() {
    let addr = serve(engine(Duration::from_secs(5))).await;
    let mut client = Client::connect(addr).await;
    let (activity, machine) = activity_machine(&mut client, "tokens").await;
    start(&mut client, &machine, "one").await;
    let task = client
        .call("GetActivityTask", json!({"activityArn": activity}))
        .await
        .ok();
    let token = task["taskToken"].as_str().expect("a token").to_string();
    assert_eq!(token.len(), 32);

    // Another engine's token, for a task of the same number.
    let other = serve(engine(Duration::from_secs(5))).await;
    let mut elsewhere = Client::connect(other).await;
    let (other_activity, other_machine) = activity_machine(&mut elsewhere, "tokens").await;
    start(&mut elsewhere, &other_machine, "one").await;
    let foreign = elsewhere
        .call("GetActivityTask", json!({"activityArn": other_activity}))
        .await
        .ok()["taskToken"]
        .as_str()
        .expect("a token")
        .to_string();
    assert_eq!(foreign[..16], token[..16], "the same task number");

    // Well-formed, with the number of a task issued and open, but not its
    // tag.
    let tag = if &token[16..] == "0123456789abcdef" {
        "fedcba9876543210"
    } else {
        "0123456789abcdef"
    };
    let forged = format!("{}{tag}", &token[..16]);
    for candidate in [&forged, &foreign] {
        for (operation, body) in [
            (
                "SendTaskSuccess",
                json!({"taskToken": candidate, "output": "{}"}),
            ),
            (
                "SendTaskFailure",
                json!({"taskToken": candidate, "error": "Forged"}),
            ),
            ("SendTaskHeartbeat", json!({"taskToken": candidate})),
        ] {
            let (status, kind, message) = client.call(operation, body).await.error();
            assert_eq!((status, kind.as_str()), (400, INVALID_TOKEN), "{operation}");
            assert!(
                message.contains("was not issued by this engine"),
                "{operation}: {message}"
            );
            assert!(!message.contains(candidate.as_str()), "{message}");
        }
    }
    let (_, kind, message) = client
        .call("SendTaskHeartbeat", json!({"taskToken": "not-a-token"}))
        .await
        .error();
    assert_eq!(kind, INVALID_TOKEN);
    assert!(
        message.contains("is not a task token of this engine"),
        "{message}"
    );

    // The genuine token still answers the task, once; then the task is
    // closed and its token times out.
    client
        .call("SendTaskHeartbeat", json!({"taskToken": token}))
        .await
        .ok();
    client
        .call(
            "SendTaskSuccess",
            json!({"taskToken": token, "output": "{}"}),
        )
        .await
        .ok();
    for (operation, body) in [
        (
            "SendTaskSuccess",
            json!({"taskToken": token, "output": "{}"}),
        ),
        ("SendTaskFailure", json!({"taskToken": token})),
        ("SendTaskHeartbeat", json!({"taskToken": token})),
    ] {
        let (status, kind, _) = client.call(operation, body).await.error();
        assert_eq!(
            (status, kind.as_str()),
            (400, format!("{SERVICE}TaskTimedOut").as_str()),
            "{operation}"
        );
    }
}
