//! Answering `.waitForTaskToken` tasks (and activity tasks) through
//! `Sfn::callback` on the local engine, on the virtual clock: results,
//! failures that Retry and Catch see, heartbeats, answers that come too
//! late, what is refused before any call, and retries past lost answers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::callback::CallbackError;
use sfini_runtime::client::Sfn;
use sfini_runtime::clock::Clock;
use sfini_runtime::execution::ExecutionError;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::registration::Machine;
use sfini_runtime::retry::RetryPolicy;
use time::macros::datetime;
use tokio::sync::mpsc;

const QUEUE: &str = "arn:aws:states:::sqs:sendMessage";

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
        .build()
}

/// Registers a handler for SQS messages that passes each message body (with
/// its task token) to the receiver, as a queue would to its consumer.
fn queue(engine: &LocalEngine) -> mpsc::UnboundedReceiver<Value> {
    let (sender, receiver) = mpsc::unbounded_channel();
    engine.register_handler(QUEUE, move |input: Value, _context| {
        let sender = sender.clone();
        async move {
            let _ = sender.send(input["MessageBody"].clone());
            Ok(json!({"MessageId": "m-1"}))
        }
    });
    receiver
}

/// A machine whose state `wait` sends its token to the queue and waits;
/// `fields` are added to that state, and a catcher's target is the Pass
/// state `recover`.
async fn machine(sfn: &Sfn, fields: Value) -> Machine {
    let mut wait = json!({
        "Type": "Task",
        "Resource": format!("{QUEUE}.waitForTaskToken"),
        "Parameters": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/work",
            "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}
        },
        "End": true
    });
    let catches = fields.get("Catch").is_some();
    if let (Some(wait), Value::Object(fields)) = (wait.as_object_mut(), fields) {
        wait.extend(fields);
    }
    let mut states = json!({"wait": wait});
    if catches {
        states["recover"] = json!({"Type": "Pass", "End": true});
    }
    let machine = sfn.machine(
        "callbacks",
        json!({"StartAt": "wait", "States": states}).to_string(),
    );
    machine.register().await.unwrap();
    machine
}

/// The token of the next message on the queue.
async fn next_token(messages: &mut mpsc::UnboundedReceiver<Value>) -> String {
    let message = messages.recv().await.expect("the handler sends a message");
    message["token"].as_str().unwrap().to_string()
}

#[derive(Serialize)]
struct Shipment {
    carrier: &'static str,
    parcels: u32,
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_serializable_value_is_the_tasks_result() {
    let engine = engine();
    let mut messages = queue(&engine);
    let sfn = Sfn::from_local(engine);
    let machine = machine(&sfn, json!({"ResultPath": "$.shipment"})).await;
    let execution = machine.start(&json!({"order": 7})).await.unwrap();

    let message = messages.recv().await.unwrap();
    assert_eq!(message["order"], 7);
    let callback = sfn.callback(message["token"].as_str().unwrap());
    assert_eq!(callback.token(), message["token"]);
    callback
        .succeed(&Shipment {
            carrier: "post",
            parcels: 2,
        })
        .await
        .unwrap();
    let output: Value = execution.wait().await.unwrap().output().unwrap();
    assert_eq!(
        output,
        json!({"order": 7, "shipment": {"carrier": "post", "parcels": 2}})
    );
    let types: Vec<&str> = execution
        .history()
        .await
        .unwrap()
        .events()
        .iter()
        .map(|event| event.event_type().as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );

    // The task is over: whatever comes next is refused as closed.
    for late in [
        callback.succeed(&1).await.unwrap_err(),
        callback.fail("Late", "too late").await.unwrap_err(),
        callback.heartbeat().await.unwrap_err(),
    ] {
        assert!(late.is_closed(), "{late}");
        assert_eq!(late.sfn_error().unwrap().code(), "TaskTimedOut");
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_failure_is_matched_by_catch_and_ends_the_execution_otherwise() {
    let engine = engine();
    let mut messages = queue(&engine);
    let sfn = Sfn::from_local(engine);

    // Caught: the error and cause go where the catcher puts them.
    let machine = machine(
        &sfn,
        json!({"Catch": [{"ErrorEquals": ["Warehouse.Refused"], "ResultPath": "$.error", "Next": "recover"}]}),
    )
    .await;
    let execution = machine.start(&json!({"order": 1})).await.unwrap();
    let token = next_token(&mut messages).await;
    sfn.callback(token)
        .fail("Warehouse.Refused", "no stock for order 1")
        .await
        .unwrap();
    let output: Value = execution.wait().await.unwrap().output().unwrap();
    assert_eq!(
        output,
        json!({"order": 1, "error": {"Error": "Warehouse.Refused", "Cause": "no stock for order 1"}})
    );

    // Not caught: the execution fails with them.
    let execution = machine.start(&json!({"order": 2})).await.unwrap();
    let token = next_token(&mut messages).await;
    sfn.callback(token)
        .fail("Warehouse.Closed", "closed on Sundays")
        .await
        .unwrap();
    match execution.wait().await.unwrap_err() {
        ExecutionError::Failed { error, cause, .. } => {
            assert_eq!(error.as_deref(), Some("Warehouse.Closed"));
            assert_eq!(cause.as_deref(), Some("closed on Sundays"));
        }
        other => panic!("{other}"),
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn heartbeats_keep_a_task_alive_past_its_heartbeat_timeout() {
    let engine = engine();
    let mut messages = queue(&engine);
    let sfn = Sfn::from_local(engine);
    let machine = machine(&sfn, json!({"HeartbeatSeconds": 10})).await;

    let execution = machine.start(&json!({"order": 1})).await.unwrap();
    let callback = sfn.callback(next_token(&mut messages).await);
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_secs(8)).await;
        callback.heartbeat().await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(8)).await;
    callback.succeed("done").await.unwrap();
    let done = execution.wait().await.unwrap();
    assert_eq!(done.output::<String>().unwrap(), "done");
    assert_eq!(
        (done.stop_date().unwrap() - done.start_date()).whole_seconds(),
        32
    );

    // Without heartbeats the task times out, and a late answer is refused.
    let execution = machine.start(&json!({"order": 2})).await.unwrap();
    let callback = sfn.callback(next_token(&mut messages).await);
    tokio::time::sleep(Duration::from_secs(11)).await;
    match execution.wait().await.unwrap_err() {
        ExecutionError::Failed { error, .. } => {
            assert_eq!(error.as_deref(), Some("States.Timeout"));
        }
        other => panic!("{other}"),
    }
    let late = callback.heartbeat().await.unwrap_err();
    assert!(late.is_closed(), "{late}");
    let late = callback.succeed("done").await.unwrap_err();
    assert!(late.is_closed(), "{late}");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn what_step_functions_would_refuse_is_refused_before_any_call() {
    let engine = engine();
    let mut messages = queue(&engine);
    let sfn = Sfn::from_local(engine);
    let machine = machine(&sfn, json!({})).await;
    let execution = machine.start(&json!({"order": 1})).await.unwrap();
    let callback = sfn.callback(next_token(&mut messages).await);

    let error = callback.fail("E".repeat(257), "cause").await.unwrap_err();
    assert!(
        matches!(
            error,
            CallbackError::TooLong {
                what: "error name",
                characters: 257,
                limit: 256,
                ..
            }
        ),
        "{error}"
    );
    let error = callback.fail("E", "é".repeat(32_769)).await.unwrap_err();
    assert!(
        matches!(
            error,
            CallbackError::TooLong {
                what: "cause",
                characters: 32_769,
                limit: 32_768,
                ..
            }
        ),
        "{error}"
    );
    // Keys that are not strings cannot be written as JSON.
    let unwritable = BTreeMap::from([((1, 2), "a")]);
    let error = callback.succeed(&unwritable).await.unwrap_err();
    assert!(matches!(error, CallbackError::Output { .. }), "{error}");
    assert!(error.sfn_error().is_none());
    // Messages name the task by a hash of its token, never the token.
    assert!(!error.to_string().contains(callback.token()), "{error}");
    assert!(!format!("{callback:?}").contains(callback.token()));

    // None of these reached the engine: the task still waits, and the
    // limits themselves are accepted.
    callback
        .fail("E".repeat(256), "é".repeat(32_768))
        .await
        .unwrap();
    match execution.wait().await.unwrap_err() {
        ExecutionError::Failed { error, cause, .. } => {
            assert_eq!(error.unwrap().len(), 256);
            assert_eq!(cause.unwrap().chars().count(), 32_768);
        }
        other => panic!("{other}"),
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn tokens_the_engine_did_not_issue_and_outputs_over_its_limit_are_its_errors() {
    let engine = engine();
    let mut messages = queue(&engine);
    let sfn = Sfn::from_local(engine);
    let error = sfn
        .callback("not a token of this engine")
        .succeed(&json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            CallbackError::Api {
                call: "SendTaskSuccess",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(error.sfn_error().unwrap().code(), "InvalidToken");

    let machine = machine(&sfn, json!({})).await;
    let execution = machine.start(&json!({"order": 1})).await.unwrap();
    let callback = sfn.callback(next_token(&mut messages).await);
    let error = callback.succeed(&"x".repeat(256 * 1024)).await.unwrap_err();
    assert_eq!(
        error.sfn_error().unwrap().code(),
        "InvalidOutput",
        "{error}"
    );
    // The task still waits for an answer the engine accepts.
    callback.succeed(&"small").await.unwrap();
    assert_eq!(
        execution.wait().await.unwrap().output::<String>().unwrap(),
        "small"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn an_activity_task_is_answered_the_same_way() {
    let sfn = Sfn::from_local(engine());
    let activity = sfn
        .api()
        .create_activity(CreateActivityInput {
            name: "approve".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn;
    let machine = sfn.machine(
        "approving",
        json!({"StartAt": "approve", "States": {"approve": {"Type": "Task", "Resource": activity, "End": true}}})
            .to_string(),
    );
    machine.register().await.unwrap();
    let execution = machine.start(&json!({"amount": 12})).await.unwrap();
    let task = sfn
        .api()
        .get_activity_task(GetActivityTaskInput {
            activity_arn: activity,
            worker_name: None,
        })
        .await
        .unwrap();
    sfn.callback(task.task_token.unwrap())
        .succeed(&json!({"approved": true}))
        .await
        .unwrap();
    let output: Value = execution.wait().await.unwrap().output().unwrap();
    assert_eq!(output, json!({"approved": true}));
}

/// An engine whose first `SendTaskSuccess` reaches the local engine but
/// whose answer is lost, and whose first `SendTaskFailure` is throttled
/// before it reaches it.
struct Unreliable {
    inner: LocalEngine,
    successes: AtomicUsize,
    failures: AtomicUsize,
}

macro_rules! delegate {
    ($($method:ident($input:ty) -> $output:ty;)*) => {
        $(fn $method(&self, input: $input) -> ApiFuture<'_, $output> {
            self.inner.$method(input)
        })*
    };
}

impl StepFunctions for Unreliable {
    delegate! {
        create_activity(CreateActivityInput) -> CreateActivityOutput;
        describe_activity(DescribeActivityInput) -> DescribeActivityOutput;
        list_activities(ListActivitiesInput) -> ListActivitiesOutput;
        delete_activity(DeleteActivityInput) -> DeleteActivityOutput;
        create_state_machine(CreateStateMachineInput) -> CreateStateMachineOutput;
        update_state_machine(UpdateStateMachineInput) -> UpdateStateMachineOutput;
        describe_state_machine(DescribeStateMachineInput) -> DescribeStateMachineOutput;
        list_state_machines(ListStateMachinesInput) -> ListStateMachinesOutput;
        delete_state_machine(DeleteStateMachineInput) -> DeleteStateMachineOutput;
        start_execution(StartExecutionInput) -> StartExecutionOutput;
        describe_execution(DescribeExecutionInput) -> DescribeExecutionOutput;
        list_executions(ListExecutionsInput) -> ListExecutionsOutput;
        stop_execution(StopExecutionInput) -> StopExecutionOutput;
        get_execution_history(GetExecutionHistoryInput) -> GetExecutionHistoryOutput;
        get_activity_task(GetActivityTaskInput) -> GetActivityTaskOutput;
        send_task_heartbeat(SendTaskHeartbeatInput) -> SendTaskHeartbeatOutput;
    }

    fn send_task_success(
        &self,
        input: SendTaskSuccessInput,
    ) -> ApiFuture<'_, SendTaskSuccessOutput> {
        Box::pin(async move {
            let answer = self.inner.send_task_success(input).await;
            if self.successes.fetch_add(1, Ordering::SeqCst) == 0 {
                return Err(SfnError::Transport("connection reset".into()));
            }
            answer
        })
    }

    fn send_task_failure(
        &self,
        input: SendTaskFailureInput,
    ) -> ApiFuture<'_, SendTaskFailureOutput> {
        Box::pin(async move {
            if self.failures.fetch_add(1, Ordering::SeqCst) == 0 {
                return Err(SfnError::Service {
                    code: "ThrottlingException".into(),
                    message: "Rate exceeded".into(),
                });
            }
            self.inner.send_task_failure(input).await
        })
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn calls_are_retried_and_a_lost_answer_is_reported_unconfirmed() {
    let engine = engine();
    let mut messages = queue(&engine);
    let unreliable = Arc::new(Unreliable {
        inner: engine,
        successes: AtomicUsize::new(0),
        failures: AtomicUsize::new(0),
    });
    let sfn = Sfn::new(unreliable.clone()).with_role_arn("arn:aws:iam::123456789012:role/test");
    let machine = machine(&sfn, json!({})).await;

    // Throttled once, then delivered.
    let execution = machine.start(&json!({"order": 1})).await.unwrap();
    sfn.callback(next_token(&mut messages).await)
        .fail("Refused", "no")
        .await
        .unwrap();
    assert_eq!(unreliable.failures.load(Ordering::SeqCst), 2);
    assert!(execution.wait().await.is_err());

    // Delivered, its answer lost; tried again, the task is closed.
    let execution = machine.start(&json!({"order": 2})).await.unwrap();
    let callback = sfn.callback(next_token(&mut messages).await);
    let error = callback.succeed("shipped").await.unwrap_err();
    assert!(
        matches!(
            &error,
            CallbackError::Unconfirmed {
                call: "SendTaskSuccess",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(error.sfn_error().unwrap().code(), "TaskTimedOut");
    assert_eq!(unreliable.successes.load(Ordering::SeqCst), 2);
    assert_eq!(
        execution.wait().await.unwrap().output::<String>().unwrap(),
        "shipped"
    );

    // Without retries the lost answer is the error.
    let execution = machine.start(&json!({"order": 3})).await.unwrap();
    unreliable.successes.store(0, Ordering::SeqCst);
    let error = sfn
        .callback(next_token(&mut messages).await)
        .retry(RetryPolicy::never())
        .succeed("shipped")
        .await
        .unwrap_err();
    assert_eq!(error.sfn_error().unwrap().code(), "Transport", "{error}");
    assert!(execution.wait().await.is_ok());
}
