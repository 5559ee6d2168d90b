//! The engine against a small HTTP server of the test's own on 127.0.0.1,
//! which answers every request with one canned answer after a delay and
//! records what it received: long polls outlasting the configuration's
//! timeouts, error answers, and the fields sent and read.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sfn::config::retry::RetryConfig;
use aws_sdk_sfn::config::timeout::TimeoutConfig;
use aws_sdk_sfn::config::{Credentials, SharedCredentialsProvider};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::*;

/// What the server answers.
#[derive(Clone)]
struct Answer {
    delay: Duration,
    status: u16,
    body: &'static str,
}

/// A request the server received: the operation (from `X-Amz-Target`) and
/// the JSON body.
#[derive(Debug, Clone)]
struct Request {
    operation: String,
    body: Value,
}

/// A server on 127.0.0.1 answering every request with `answer`; its URL
/// and the requests it receives.
async fn serve(answer: Answer) -> (String, Arc<Mutex<Vec<Request>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let received = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(answer_one(stream, answer.clone(), received.clone()));
        }
    });
    (url, requests)
}

/// Reads one request from `stream` and writes `answer` after its delay.
async fn answer_one(mut stream: TcpStream, answer: Answer, requests: Arc<Mutex<Vec<Request>>>) {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    let (head_end, content_length) = loop {
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            return;
        }
        data.extend_from_slice(&buffer[..read]);
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |value| value.trim().parse::<usize>().unwrap());
            break (end + 4, length);
        }
    };
    while data.len() < head_end + content_length {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the request's body was cut short");
        data.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let operation = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("x-amz-target").then(|| {
                value
                    .trim()
                    .trim_start_matches("AWSStepFunctions.")
                    .to_string()
            })
        })
        .unwrap_or_default();
    let body = serde_json::from_slice(&data[head_end..]).unwrap_or(Value::Null);
    requests.lock().unwrap().push(Request { operation, body });
    tokio::time::sleep(answer.delay).await;
    let response = format!(
        "HTTP/1.1 {} Canned\r\nContent-Type: application/x-amz-json-1.0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        answer.status,
        answer.body.len(),
        answer.body
    );
    // The client may have given up already (a timeout).
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A configuration for the server at `url`: static test credentials, no
/// retries, and read, attempt and operation timeouts of one second.
fn config(url: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDSFINITEST",
            "sfini-test-secret",
            None,
            None,
            "sfini-tests",
        )))
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                // The read timeout is the longest, so that a call cut short
                // by the configuration always ends on the operation's
                // timeout, whatever the machine's load.
                .read_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_secs(1))
                .operation_timeout(Duration::from_secs(1))
                .build(),
        )
        .build()
}

async fn engine(answer: Answer) -> (AwsEngine, Arc<Mutex<Vec<Request>>>) {
    let (url, requests) = serve(answer).await;
    (AwsEngine::from_config(&config(&url)), requests)
}

const ACTIVITY: &str = "arn:aws:states:us-east-1:123456789012:activity:add";

#[tokio::test]
async fn a_long_poll_outlasts_the_configured_timeouts() {
    let (engine, requests) = engine(Answer {
        delay: Duration::from_secs(3),
        status: 200,
        body: r#"{"taskToken": "token-1", "input": "{}"}"#,
    })
    .await;
    let started = Instant::now();
    let task = engine
        .get_activity_task(GetActivityTaskInput {
            activity_arn: ACTIVITY.into(),
            worker_name: Some("host-1".into()),
        })
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert_eq!(task.task_token.as_deref(), Some("token-1"));
    assert_eq!(task.input.as_deref(), Some("{}"));
    {
        let requests = requests.lock().unwrap();
        assert_eq!(requests[0].operation, "GetActivityTask");
        assert_eq!(
            requests[0].body,
            json!({"activityArn": ACTIVITY, "workerName": "host-1"})
        );
    }

    // Any other call keeps the configuration's timeouts.
    let started = Instant::now();
    let error = engine
        .describe_activity(DescribeActivityInput {
            activity_arn: ACTIVITY.into(),
        })
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(matches!(error, SfnError::Transport(_)), "{error:?}");
    assert!(
        error.message().starts_with("DescribeActivity timed out: "),
        "{error}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_error_answer_becomes_the_variant_of_its_code() {
    let (engine, _) = engine(Answer {
        delay: Duration::ZERO,
        status: 400,
        body: r#"{"__type": "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", "message": "Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:m:e'"}"#,
    })
    .await;
    let error = engine
        .describe_execution(DescribeExecutionInput {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:m:e".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(error, SfnError::ExecutionDoesNotExist(_)),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "ExecutionDoesNotExist: Execution Does Not Exist: \
         'arn:aws:states:us-east-1:123456789012:execution:m:e'"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn throttling_keeps_its_code_and_stays_retryable() {
    let (engine, _) = engine(Answer {
        delay: Duration::ZERO,
        status: 400,
        body: r#"{"__type": "ThrottlingException", "message": "Rate exceeded"}"#,
    })
    .await;
    let error = engine
        .list_activities(ListActivitiesInput::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SfnError::Service { code, message } if code == "ThrottlingException" && message == "Rate exceeded"),
        "{error:?}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_invalid_definition_carries_the_message_of_aws() {
    let (engine, _) = engine(Answer {
        delay: Duration::ZERO,
        status: 400,
        body: r#"{"__type": "InvalidDefinition", "message": "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: b at /States/a/Next'"}"#,
    })
    .await;
    let error = engine
        .create_state_machine(CreateStateMachineInput {
            name: "m".into(),
            definition: "{}".into(),
            role_arn: "arn:aws:iam::123456789012:role/run".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let SfnError::InvalidDefinition {
        message,
        diagnostics,
    } = error
    else {
        panic!("not InvalidDefinition: {error:?}");
    };
    assert_eq!(
        message,
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: \
         b at /States/a/Next'"
    );
    assert!(diagnostics.is_empty());
}

#[tokio::test]
async fn an_unreadable_server_error_is_a_transport_error() {
    let (engine, _) = engine(Answer {
        delay: Duration::ZERO,
        status: 500,
        body: "<html>upstream gone</html>",
    })
    .await;
    let error = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(error, SfnError::Transport(_)), "{error:?}");
    assert!(
        error.message().starts_with(
            "DescribeStateMachine got an error answer (HTTP 500) without an error code: "
        ),
        "{error}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was free a moment ago: nothing listens on it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let engine = AwsEngine::from_config(&config(&url));
    let error = engine
        .send_task_heartbeat(SendTaskHeartbeatInput {
            task_token: "token-1".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(error, SfnError::Transport(_)), "{error:?}");
    assert!(
        error
            .message()
            .starts_with("SendTaskHeartbeat could not be sent: "),
        "{error}"
    );
}

#[tokio::test]
async fn page_tokens_and_sizes_pass_both_ways() {
    let (engine, requests) = engine(Answer {
        delay: Duration::ZERO,
        status: 200,
        body: r#"{"executions": [{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e1", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m", "name": "e1", "status": "ABORTED", "startDate": 1732185000.25, "stopDate": 1732185001.5}], "nextToken": "page-3"}"#,
    })
    .await;
    let page = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m".into(),
            status_filter: Some(ExecutionStatus::Aborted),
            max_results: 1,
            next_token: Some("page-2".into()),
            redrive_filter: Some(ExecutionRedriveFilter::Redriven),
        })
        .await
        .unwrap();
    assert_eq!(page.next_token.as_deref(), Some("page-3"));
    assert_eq!(page.executions.len(), 1);
    let execution = &page.executions[0];
    assert_eq!(execution.name, "e1");
    assert_eq!(execution.status, ExecutionStatus::Aborted);
    // Dates are seconds as JSON numbers, which the SDK reads as binary
    // fractions: these two are exact.
    assert_eq!(
        execution.start_date.unix_timestamp_nanos(),
        1_732_185_000_250_000_000
    );
    assert_eq!(
        execution.stop_date.map(|date| date.unix_timestamp_nanos()),
        Some(1_732_185_001_500_000_000)
    );
    engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let requests = requests.lock().unwrap();
    assert_eq!(requests[0].operation, "ListExecutions");
    assert_eq!(
        requests[0].body,
        json!({
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "statusFilter": "ABORTED",
            "maxResults": 1,
            "nextToken": "page-2",
            "redriveFilter": "REDRIVEN"
        })
    );
    // A page size of 0 is the service's default: nothing is sent.
    assert_eq!(
        requests[1].body,
        json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"})
    );
}

#[tokio::test]
async fn an_unknown_status_is_an_error_naming_it() {
    let (engine, _) = engine(Answer {
        delay: Duration::ZERO,
        status: 200,
        body: r#"{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e1", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m", "name": "e1", "status": "HIBERNATING", "startDate": 1732185000}"#,
    })
    .await;
    let error = engine
        .describe_execution(DescribeExecutionInput {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:m:e1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), UNEXPECTED_RESPONSE);
    assert!(error.message().contains("`HIBERNATING`"), "{error}");
}

#[tokio::test]
async fn a_history_page_reads_its_events_and_token() {
    let (engine, requests) = engine(Answer {
        delay: Duration::ZERO,
        status: 200,
        body: r#"{"events": [
            {"id": 1, "previousEventId": 0, "timestamp": 1732185000.25, "type": "ExecutionStarted",
             "executionStartedEventDetails": {"input": "{}", "inputDetails": {"truncated": false},
                                              "roleArn": "arn:aws:iam::123456789012:role/run"}},
            {"id": 2, "previousEventId": 1, "timestamp": 1732185000.5, "type": "PassStateEntered",
             "stateEnteredEventDetails": {"name": "p", "input": "{}"}}
        ], "nextToken": "more"}"#,
    })
    .await;
    let page = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:m:e1".into(),
            max_results: 2,
            reverse_order: false,
            next_token: None,
            include_execution_data: Some(true),
        })
        .await
        .unwrap();
    assert_eq!(page.next_token.as_deref(), Some("more"));
    assert_eq!(
        page.events
            .iter()
            .map(|event| event.event_type().as_str())
            .collect::<Vec<_>>(),
        ["ExecutionStarted", "PassStateEntered"]
    );
    assert_eq!(
        page.events[0].details,
        EventDetails::ExecutionStarted(crate::api::history::ExecutionStartedDetails {
            input: Some("{}".into()),
            role_arn: Some("arn:aws:iam::123456789012:role/run".into()),
        })
    );
    assert_eq!(page.events[1].timestamp.nanosecond(), 500_000_000);
    let requests = requests.lock().unwrap();
    assert_eq!(
        requests[0].body,
        json!({
            "executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e1",
            "maxResults": 2,
            "reverseOrder": false,
            "includeExecutionData": true
        })
    );
}

#[test]
fn an_execution_name_left_out_is_read_from_its_arn() {
    assert_eq!(
        name_from_arn("arn:aws:states:us-east-1:123456789012:execution:m:run-7"),
        "run-7"
    );
}
