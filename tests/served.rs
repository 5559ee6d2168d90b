//! The whole runtime through the AWS engine against the local engine served
//! over HTTP: registration, workers, executions and histories go through
//! aws-sdk-sfn, its HTTP client and AWS's JSON protocol to
//! `sfini_runtime::serve`, exactly the code path that talks to AWS.
//!
//! Each test serves its own local engine on a free port of 127.0.0.1, with
//! polls held one second (AWS holds them up to 60), so that a worker's
//! shutdown, which waits for its polls in flight, is quick.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sfini::prelude::*;
use sfini::runtime::api::{
    ExecutionStatus, GetExecutionHistoryInput, HistoryEventType, SfnError, StepFunctions,
};
use sfini::runtime::aws::AwsEngine;
use sfini::runtime::local::LocalEngine;
use sfini::runtime::registration::{RegisterOptions, RegistrationOutcome};
use sfini::runtime::serve::Server;
use sfini::{ExecutionError, RegistrationError};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-served";

/// Adds `a` and `b`.
#[activity(name = "servedAdd")]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// The number is odd.
#[derive(Debug, ActivityError)]
struct NotEven;

impl std::fmt::Display for NotEven {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the number is odd")
    }
}

/// Gives `n` back when it is even.
#[activity(name = "servedCheck")]
async fn check(n: i64) -> Result<i64, NotEven> {
    if n % 2 == 0 { Ok(n) } else { Err(NotEven) }
}

/// Panics.
#[activity(name = "servedExplode")]
async fn explode(n: i64) -> i64 {
    panic!("exploded on {n}")
}

/// Sleeps `seconds`, beyond its heartbeat timeout.
#[activity(name = "servedSlow", heartbeat = 2, timeout = 30)]
async fn slow(seconds: u64) -> u64 {
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    seconds
}

workflow! {
    /// Adds, then keeps even sums and calls odd ones odd.
    #[workflow(name = "servedChecked")]
    pub Checked {
        add: task(add) { result_path: "$.n" },
        check: task(check) {
            catch [NotEven] => odd { result_path: "$.error" },
            end: true,
        },
        odd: pass { result: "odd" },
    }
}

workflow! {
    #[workflow(name = "servedAdding")]
    pub Adding {
        add: task(add),
    }
}

workflow! {
    #[workflow(name = "servedExploding")]
    pub Exploding {
        explode: task(explode),
    }
}

workflow! {
    #[workflow(name = "servedSlow")]
    pub Slow {
        slow: task(slow),
    }
}

workflow! {
    /// Hands its token to a queue and waits for the answer.
    #[workflow(name = "servedAsking")]
    pub Asking {
        ask: task("arn:aws:states:::sqs:sendMessage.waitForTaskToken") {
            parameters: {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/asks",
                "MessageBody": { "token.$": "$$.Task.Token", "question.$": "$.question" },
            },
            heartbeat: 30,
            catch ["Refused"] => refused { result_path: "$.error" },
            end: true,
        },
        refused: pass { result: "refused" },
    }
}

/// A local engine served on a free port of 127.0.0.1, and a handle on it
/// through the AWS engine.
struct Served {
    /// The handle every test drives: AWS engine, real HTTP.
    sfn: Sfn,
    /// The engine behind the server, to check what arrived.
    engine: LocalEngine,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Served {
    async fn start() -> Served {
        Served::start_with_poll_wait(Duration::from_secs(1)).await
    }

    async fn start_with_poll_wait(poll_wait: Duration) -> Served {
        let engine = LocalEngine::builder().activity_poll_wait(poll_wait).build();
        let server = Server::bind("127.0.0.1:0", Arc::new(engine.clone()))
            .await
            .expect("a free port on 127.0.0.1");
        let url = format!("http://{}", server.local_addr());
        let (stop, stopped) = oneshot::channel();
        let server = tokio::spawn(server.serve_with_shutdown(async {
            let _ = stopped.await;
        }));
        let sfn = Sfn::from_aws(AwsEngine::for_endpoint(url)).with_role_arn(ROLE);
        assert!(!sfn.is_local());
        Served {
            sfn,
            engine,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Stops the server, letting requests in flight finish.
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("the server stops cleanly");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_goes_through_http() {
    let served = Served::start().await;
    let sfn = served.sfn.with_activity_prefix("dev-");
    let machine = sfn.workflow::<Checked>();

    assert!(!machine.diff().await.unwrap().exists());
    let first = machine.register().await.unwrap();
    assert_eq!(first.outcome, RegistrationOutcome::Created);
    let names: Vec<&str> = first.activities.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["dev-servedAdd", "dev-servedCheck"]);
    assert_eq!(
        first.machine_arn,
        "arn:aws:states:us-east-1:123456789012:stateMachine:servedChecked"
    );
    // The engine behind the server holds the definition with the prefixed
    // activities' ARNs.
    let registered = served
        .engine
        .describe_state_machine(sfini::runtime::api::DescribeStateMachineInput {
            state_machine_arn: first.machine_arn.clone(),
        })
        .await
        .unwrap();
    assert!(
        registered
            .definition
            .contains("arn:aws:states:us-east-1:123456789012:activity:dev-servedCheck"),
        "{}",
        registered.definition
    );
    assert_eq!(registered.role_arn, ROLE);

    let again = machine.register().await.unwrap();
    assert_eq!(again.outcome, RegistrationOutcome::Unchanged);
    assert!(machine.diff().await.unwrap().in_sync());

    // Another definition under the same name: refused, then allowed.
    let changed = sfn.machine(
        "servedChecked",
        r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#,
    );
    let refused = changed.register().await.unwrap_err();
    assert!(
        refused.to_string().contains("servedChecked"),
        "the error names the machine: {refused}"
    );
    let diff = changed.diff().await.unwrap();
    assert!(diff.exists() && !diff.in_sync());
    let updated = changed
        .register_with(RegisterOptions::new().allow_update(true))
        .await
        .unwrap();
    assert_eq!(updated.outcome, RegistrationOutcome::Updated);
    assert!(changed.diff().await.unwrap().in_sync());

    assert!(machine.deregister().await.unwrap());
    assert!(!machine.deregister().await.unwrap());
    let removed = machine.deregister_activities().await.unwrap();
    assert_eq!(removed.len(), 2, "{removed:?}");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_serves_executions_over_http() {
    let served = Served::start().await;
    let sfn = &served.sfn;
    let worker = sfn
        .worker()
        .workflow::<Checked>()
        .concurrency(4)
        .name("served-worker")
        .start()
        .await
        .unwrap();
    let machine = sfn.workflow::<Checked>();
    machine.register().await.unwrap();

    let mut executions = Vec::new();
    for a in 0..12 {
        executions.push((a, machine.start(&json!({"a": a, "b": 1})).await.unwrap()));
    }
    for (a, execution) in &executions {
        let output: Value = execution.wait().await.unwrap().output().unwrap();
        let sum = a + 1;
        if sum % 2 == 0 {
            assert_eq!(output, json!(sum), "a = {a}");
        } else {
            assert_eq!(output, json!("odd"), "a = {a}");
        }
    }

    // An odd sum: the activity's own error, caught.
    let (_, odd) = &executions[0];
    let history = odd.history().await.unwrap();
    let types: Vec<HistoryEventType> = history.events().iter().map(|e| e.event_type()).collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == HistoryEventType::ActivityStarted)
            .count(),
        2
    );
    assert!(
        types.contains(&HistoryEventType::ActivityFailed),
        "{types:?}"
    );
    assert_eq!(types.last(), Some(&HistoryEventType::ExecutionSucceeded));
    let text = history.format();
    assert!(text.contains("error: NotEven"), "{text}");
    assert!(text.contains("cause: the number is odd"), "{text}");
    assert!(text.contains("worker: served-worker"), "{text}");

    // The history read through HTTP is the engine's own, event for event,
    // with times to the millisecond as the protocol writes them.
    let own = served
        .engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: odd.arn().to_string(),
            max_results: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(history.events().len(), own.events.len());
    for (read, own) in history.events().iter().zip(&own.events) {
        let millisecond = own
            .timestamp
            .replace_nanosecond(own.timestamp.millisecond() as u32 * 1_000_000)
            .unwrap();
        assert_eq!(read.timestamp, millisecond, "event {}", own.id);
        assert_eq!(
            (read.id, read.previous_event_id),
            (own.id, own.previous_event_id)
        );
        assert_eq!(read.details, own.details, "event {}", own.id);
    }

    // The follower reads the same events, once each, in order.
    let mut follower = odd.follow_history();
    let mut followed = Vec::new();
    while let Some(event) = follower.next().await {
        followed.push(event.unwrap().id);
    }
    let ids: Vec<i64> = history.events().iter().map(|e| e.id).collect();
    assert_eq!(followed, ids);

    // Listing pages through the API.
    let query = machine.executions().page_size(5);
    assert_eq!(query.count().await.unwrap(), 12);
    assert_eq!(
        machine
            .executions()
            .page_size(5)
            .status(ExecutionStatus::Succeeded)
            .list()
            .await
            .unwrap()
            .len(),
        12
    );

    let stats = worker.shutdown().await.unwrap();
    assert_eq!(stats.received, 24, "{stats:?}");
    assert_eq!(stats.succeeded, 18, "{stats:?}");
    assert_eq!(stats.failed, 6, "{stats:?}");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_and_panics_fail_their_tasks_and_the_worker_goes_on() {
    let served = Served::start().await;
    let sfn = &served.sfn;
    let worker = sfn
        .worker()
        .workflow::<Checked>()
        .workflow::<Exploding>()
        .start()
        .await
        .unwrap();
    let checked = sfn.workflow::<Checked>();
    checked.register().await.unwrap();
    let exploding = sfn.workflow::<Exploding>();
    exploding.register().await.unwrap();

    let bad = checked.start(&json!({"a": "three"})).await.unwrap();
    let error = bad.wait().await.unwrap_err();
    assert_eq!(error.error_name(), Some("sfini.InvalidInput"), "{error}");
    let cause = error.cause().unwrap_or_default();
    assert!(cause.contains("`a`") && cause.contains("`b`"), "{cause}");

    let panicked = exploding.start(&json!({"n": 7})).await.unwrap();
    let error = panicked.wait().await.unwrap_err();
    assert_eq!(
        error.error_name(),
        Some("sfini.ActivityPanicked"),
        "{error}"
    );
    assert!(
        error.cause().unwrap_or_default().contains("exploded on 7"),
        "{error}"
    );

    // The worker lives on.
    let fine = checked.start(&json!({"a": 1, "b": 3})).await.unwrap();
    assert_eq!(fine.wait().await.unwrap().output::<i64>().unwrap(), 4);

    let stats = worker.shutdown().await.unwrap();
    assert_eq!(stats.panicked, 1, "{stats:?}");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_over_http_keep_a_long_task_alive() {
    let served = Served::start().await;
    let sfn = &served.sfn;
    let worker = sfn.worker().workflow::<Slow>().start().await.unwrap();
    let machine = sfn.workflow::<Slow>();
    machine.register().await.unwrap();
    // Five seconds of work against a heartbeat timeout of two.
    let execution = machine.start(&json!({"seconds": 5})).await.unwrap();
    let done = execution.wait().await.unwrap();
    assert_eq!(done.output::<u64>().unwrap(), 5);
    let stats = worker.shutdown().await.unwrap();
    assert!(stats.heartbeats >= 3, "{stats:?}");
    assert_eq!(stats.heartbeat_errors, 0, "{stats:?}");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executions_stop_and_errors_keep_their_aws_codes() {
    let served = Served::start().await;
    let sfn = &served.sfn;
    // No worker: the executions wait on their task.
    let machine = sfn.workflow::<Slow>();
    machine.register().await.unwrap();
    let first = machine.start(&json!({"seconds": 1})).await.unwrap();
    let second = machine
        .start_named("second", &json!({"seconds": 1}))
        .await
        .unwrap();
    let running = machine
        .executions()
        .status(ExecutionStatus::Running)
        .page_size(1)
        .list()
        .await
        .unwrap();
    let names: Vec<&str> = running.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["second", first.name()], "newest first");

    second.stop("Cancelled", "no longer needed").await.unwrap();
    let error = second.wait().await.unwrap_err();
    assert!(matches!(error, ExecutionError::Aborted { .. }), "{error}");
    assert_eq!(error.error_name(), Some("Cancelled"));
    assert_eq!(error.cause(), Some("no longer needed"));
    assert_eq!(
        first
            .wait_timeout(Duration::from_millis(300))
            .await
            .unwrap_err()
            .to_string(),
        ExecutionError::StillRunning {
            execution: first.arn().to_string(),
            waited: Duration::from_millis(300)
        }
        .to_string()
    );

    // The server's errors arrive with their codes.
    let missing = sfn.execution("arn:aws:states:us-east-1:123456789012:execution:servedSlow:nope");
    match missing.describe().await.unwrap_err() {
        ExecutionError::Api { source, .. } => {
            assert_eq!(source.code(), "ExecutionDoesNotExist", "{source}");
            assert!(!source.is_retryable());
        }
        other => panic!("expected an API error, got {other}"),
    }
    let api = sfn.api();
    let invalid = api
        .create_state_machine(sfini::runtime::api::CreateStateMachineInput {
            name: "broken".into(),
            definition: r#"{"StartAt": "nowhere", "States": {"p": {"Type": "Pass", "End": true}}}"#
                .into(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(invalid, SfnError::InvalidDefinition { .. }),
        "{invalid}"
    );
    assert!(invalid.message().contains("nowhere"), "{invalid}");
    let not_an_arn = api
        .describe_activity(sfini::runtime::api::DescribeActivityInput {
            activity_arn: "not-an-arn".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(not_an_arn.code(), "InvalidArn", "{not_an_arn}");

    // Registration names what failed.
    let broken = sfn.machine(
        "broken",
        r#"{"StartAt": "nowhere", "States": {"p": {"Type": "Pass", "End": true}}}"#,
    );
    let refused = broken.register().await.unwrap_err();
    assert!(
        matches!(refused, RegistrationError::InvalidDefinition { .. }),
        "{refused}"
    );
    first.stop("", "").await.unwrap();
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_runs_the_task_a_poll_in_flight_brings() {
    // Polls held five seconds, so that the worker's first poll is still
    // waiting at the server when the worker is told to stop.
    let served = Served::start_with_poll_wait(Duration::from_secs(5)).await;
    let sfn = &served.sfn;
    assert!(
        !sfn.api().cancel_safe_polls(),
        "polls over HTTP are not cancel-safe"
    );
    let machine = sfn.workflow::<Adding>();
    machine.register().await.unwrap();
    let worker = sfn
        .worker()
        .workflow::<Adding>()
        .concurrency(1)
        .start()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopping = tokio::spawn(worker.shutdown());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !stopping.is_finished(),
        "the worker waits for its poll in flight"
    );
    // The poll in flight brings this task: the worker runs and reports it
    // before it stops, rather than leaving it to time out.
    let execution = machine.start(&json!({"a": 2, "b": 2})).await.unwrap();
    let stats = stopping.await.unwrap().unwrap();
    assert_eq!((stats.received, stats.succeeded), (1, 1), "{stats:?}");
    let done = execution
        .wait_timeout(Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.output::<i64>().unwrap(), 4);
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callbacks_answer_waiting_tasks_over_http() {
    let served = Served::start().await;
    // The service behind `.waitForTaskToken`, on the served engine: it
    // passes each message to the test.
    let (messages, mut received) = tokio::sync::mpsc::unbounded_channel::<Value>();
    served.engine.register_handler(
        "arn:aws:states:::sqs:sendMessage",
        move |input, _context| {
            let messages = messages.clone();
            async move {
                let _ = messages.send(input["MessageBody"].clone());
                Ok(json!({"MessageId": "m-1"}))
            }
        },
    );
    let sfn = &served.sfn;
    let machine = sfn.workflow::<Asking>();
    machine.register().await.unwrap();

    let execution = machine.start(&json!({"question": "ship?"})).await.unwrap();
    let message = received.recv().await.unwrap();
    assert_eq!(message["question"], "ship?");
    let callback = sfn.callback(message["token"].as_str().unwrap());
    callback.heartbeat().await.unwrap();
    callback.succeed(&json!({"answer": "yes"})).await.unwrap();
    let output: Value = execution.wait().await.unwrap().output().unwrap();
    assert_eq!(output, json!({"answer": "yes"}));
    let late = callback.fail("Refused", "too late").await.unwrap_err();
    assert!(late.is_closed(), "{late}");
    assert_eq!(late.sfn_error().unwrap().code(), "TaskTimedOut");

    let execution = machine.start(&json!({"question": "again?"})).await.unwrap();
    let message = received.recv().await.unwrap();
    let callback = sfn.callback(message["token"].as_str().unwrap());
    let too_long = callback.fail("R".repeat(300), "no").await.unwrap_err();
    assert!(
        matches!(too_long, sfini::CallbackError::TooLong { .. }),
        "{too_long}"
    );
    callback.fail("Refused", "not twice").await.unwrap();
    let output: Value = execution.wait().await.unwrap().output().unwrap();
    assert_eq!(
        output,
        json!("refused"),
        "the catcher's target answers for the failure"
    );

    let made_up = sfn
        .callback("0123456789abcdef0123456789abcdef")
        .succeed(&1)
        .await
        .unwrap_err();
    assert_eq!(
        made_up.sfn_error().unwrap().code(),
        "InvalidToken",
        "{made_up}"
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonata_and_variables_go_through_http() {
    let served = Served::start().await;
    let sfn = &served.sfn;
    let machine = sfn.machine(
        "servedJsonata",
        json!({"QueryLanguage": "JSONata", "StartAt": "Setup", "States": {
            "Setup": {"Type": "Pass", "Assign": {"total": "{% $sum($states.input.values) %}"}, "Next": "Add"},
            "Add": {
                "Type": "Task",
                "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:servedAdd",
                "Arguments": {"a": "{% $total %}", "b": 1},
                "Output": {"sum": "{% $states.result %}", "missing": "{% $states.input.nothing %}"},
                "End": true
            }
        }})
        .to_string(),
    );
    let machine =
        machine.with_activities(&[&<add as sfini::runtime::activity::Activity>::DEFINITION]);
    machine.register().await.unwrap();
    let worker = sfn.worker().activity::<add>().start().await.unwrap();
    let execution = machine.start(&json!({"values": [1, 2, 3]})).await.unwrap();
    let error = execution.wait().await.unwrap_err();
    worker.shutdown().await.unwrap();
    assert_eq!(error.error_name(), Some("States.QueryEvaluationError"));
    assert!(
        error
            .cause()
            .unwrap()
            .ends_with("specified for the field 'Output/missing' returned nothing (undefined)."),
        "{error}"
    );
    // The history, read through aws-sdk-sfn, carries the variables and the
    // evaluation's failure.
    let history = execution.history().await.unwrap();
    let assigned: Vec<_> = history
        .events()
        .iter()
        .filter_map(|event| match &event.details {
            sfini::runtime::api::history::EventDetails::PassStateExited(exited) => {
                exited.assigned_variables.clone()
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        assigned,
        [[("total".to_string(), "6".to_string())]
            .into_iter()
            .collect()]
    );
    let failed = history
        .events()
        .iter()
        .find_map(|event| match &event.details {
            sfini::runtime::api::history::EventDetails::EvaluationFailed(failed) => Some(failed),
            _ => None,
        })
        .expect("an EvaluationFailed event");
    assert_eq!(failed.location.as_deref(), Some("Output/missing"));
    assert_eq!(failed.state, "Add");
    // The activity's input was the evaluated Arguments.
    let scheduled = history
        .events()
        .iter()
        .find_map(|event| match &event.details {
            sfini::runtime::api::history::EventDetails::ActivityScheduled(scheduled) => {
                scheduled.input.clone()
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&scheduled).unwrap(),
        json!({"a": 6, "b": 1})
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_describe_for_execution_and_validation_go_through_http() {
    use sfini::runtime::api::{
        CreateStateMachineInput, DescribeStateMachineForExecutionInput, ListTagsForResourceInput,
        StartExecutionInput, Tag, TagResourceInput, UntagResourceInput,
        ValidateStateMachineDefinitionInput, ValidationResultCode, ValidationSeverity,
    };

    let served = Served::start().await;
    let aws = served.sfn.api().clone();
    let tag = |key: &str, value: &str| Tag {
        key: key.into(),
        value: value.into(),
    };
    let definition = r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#;
    let machine_arn = aws
        .create_state_machine(CreateStateMachineInput {
            name: "servedTagged".into(),
            definition: definition.into(),
            role_arn: ROLE.into(),
            tags: vec![tag("team", "data")],
            ..Default::default()
        })
        .await
        .unwrap()
        .state_machine_arn;
    aws.tag_resource(TagResourceInput {
        resource_arn: machine_arn.clone(),
        tags: vec![tag("env", "prod")],
    })
    .await
    .unwrap();
    aws.untag_resource(UntagResourceInput {
        resource_arn: machine_arn.clone(),
        tag_keys: vec!["team".into()],
    })
    .await
    .unwrap();
    let listed = aws
        .list_tags_for_resource(ListTagsForResourceInput {
            resource_arn: machine_arn.clone(),
        })
        .await
        .unwrap();
    assert_eq!(listed.tags, vec![tag("env", "prod")]);
    // The modeled errors keep their code and resource name.
    let too_many = aws
        .tag_resource(TagResourceInput {
            resource_arn: machine_arn.clone(),
            tags: (0..60).map(|n| tag(&format!("k{n}"), "v")).collect(),
        })
        .await
        .unwrap_err();
    assert_eq!(too_many.code(), "TooManyTags");
    assert_eq!(too_many.resource_name(), Some(machine_arn.as_str()));
    let absent = "arn:aws:states:us-east-1:123456789012:activity:absent";
    let not_found = aws
        .list_tags_for_resource(ListTagsForResourceInput {
            resource_arn: absent.into(),
        })
        .await
        .unwrap_err();
    assert_eq!(not_found.code(), "ResourceNotFound");
    assert_eq!(not_found.resource_name(), Some(absent));

    let started = aws
        .start_execution(StartExecutionInput {
            state_machine_arn: machine_arn.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let described = aws
        .describe_state_machine_for_execution(DescribeStateMachineForExecutionInput {
            execution_arn: started.execution_arn,
        })
        .await
        .unwrap();
    assert_eq!(described.state_machine_arn, machine_arn);
    assert_eq!(described.name, "servedTagged");
    assert_eq!(described.definition, definition);
    assert_eq!(described.role_arn, ROLE);
    assert_eq!(described.revision_id, None);
    assert!(described.logging_configuration.is_some());

    let validated = aws
        .validate_state_machine_definition(ValidateStateMachineDefinitionInput {
            definition: r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "Next": "x"}}}"#
                .into(),
            severity: Some(ValidationSeverity::Warning),
            max_results: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(validated.result, ValidationResultCode::Fail);
    assert_eq!(validated.truncated, Some(false));
    assert!(
        validated
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.location.as_deref() == Some("/States/p/Next")),
        "{validated:?}"
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn express_machines_run_synchronously_through_http() {
    use sfini::runtime::api::{
        CreateStateMachineInput, StartSyncExecutionInput, StateMachineType, SyncExecutionStatus,
    };

    let served = Served::start().await;
    let aws = served.sfn.api().clone();
    let create = |name: &str, kind: StateMachineType| CreateStateMachineInput {
        name: name.into(),
        definition: r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#.into(),
        role_arn: ROLE.into(),
        state_machine_type: Some(kind),
        ..Default::default()
    };
    let express = aws
        .create_state_machine(create("servedExpress", StateMachineType::Express))
        .await
        .unwrap()
        .state_machine_arn;
    // The SDK sends the call to `sync-127.0.0.1`: the interceptor of
    // TestState takes the prefix off again.
    let done = aws
        .start_sync_execution(StartSyncExecutionInput {
            state_machine_arn: express.clone(),
            name: Some("now".into()),
            input: Some(r#"{"a":1}"#.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(done.status, SyncExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"a":1}"#));
    assert_eq!(done.state_machine_arn.as_deref(), Some(express.as_str()));
    assert_eq!(done.name.as_deref(), Some("now"));
    assert!(done.execution_arn.contains(":express:servedExpress:now:"));
    assert_eq!(done.output_included, Some(true));
    assert!(done.billing_details.is_some());
    assert!(done.stop_date >= done.start_date);

    let standard = aws
        .create_state_machine(create("servedStandard", StateMachineType::Standard))
        .await
        .unwrap()
        .state_machine_arn;
    let refused = aws
        .start_sync_execution(StartSyncExecutionInput {
            state_machine_arn: standard,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "StateMachineTypeNotSupported");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_and_aliases_go_through_http() {
    use sfini::runtime::api::{
        CreateStateMachineAliasInput, CreateStateMachineInput, DeleteStateMachineAliasInput,
        DeleteStateMachineVersionInput, DescribeExecutionInput, DescribeStateMachineAliasInput,
        DescribeStateMachineInput, ListStateMachineAliasesInput, ListStateMachineVersionsInput,
        PublishStateMachineVersionInput, RoutingConfigurationListItem, StartExecutionInput,
        UpdateStateMachineAliasInput, UpdateStateMachineInput,
    };

    let served = Served::start().await;
    let aws = served.sfn.api().clone();
    let definition = |result: &str| {
        json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "Result": result, "End": true}}})
            .to_string()
    };
    let created = aws
        .create_state_machine(CreateStateMachineInput {
            name: "servedVersioned".into(),
            definition: definition("one"),
            role_arn: ROLE.into(),
            publish: true,
            version_description: Some("first".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let arn = created.state_machine_arn;
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    assert_eq!(
        created.state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    let updated = aws
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: arn.clone(),
            definition: Some(definition("two")),
            publish: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        updated.state_machine_version_arn.as_deref(),
        Some(v2.as_str())
    );
    let republished = aws
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            revision_id: updated.revision_id.clone(),
            description: None,
        })
        .await
        .unwrap();
    assert_eq!(republished.state_machine_version_arn, v2);
    let described = aws
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: v1.clone(),
        })
        .await
        .unwrap();
    assert_eq!(described.definition, definition("one"));
    assert_eq!(described.description.as_deref(), Some("first"));
    let versions = aws
        .list_state_machine_versions(ListStateMachineVersionsInput {
            state_machine_arn: arn.clone(),
            max_results: 1,
            next_token: None,
        })
        .await
        .unwrap();
    assert_eq!(
        versions.state_machine_versions[0].state_machine_version_arn,
        v2
    );
    assert!(versions.next_token.is_some());
    let alias = aws
        .create_state_machine_alias(CreateStateMachineAliasInput {
            name: "live".into(),
            description: None,
            routing_configuration: vec![RoutingConfigurationListItem {
                state_machine_version_arn: v1.clone(),
                weight: 100,
            }],
        })
        .await
        .unwrap()
        .state_machine_alias_arn;
    aws.update_state_machine_alias(UpdateStateMachineAliasInput {
        state_machine_alias_arn: alias.clone(),
        description: Some("ones".into()),
        routing_configuration: None,
    })
    .await
    .unwrap();
    let described = aws
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: alias.clone(),
        })
        .await
        .unwrap();
    assert_eq!(described.name, "live");
    assert_eq!(described.description.as_deref(), Some("ones"));
    assert_eq!(
        described.routing_configuration[0].state_machine_version_arn,
        v1
    );
    assert!(described.update_date.is_some());
    let started = aws
        .start_execution(StartExecutionInput {
            state_machine_arn: alias.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    served
        .engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    let execution = aws
        .describe_execution(DescribeExecutionInput {
            execution_arn: started.execution_arn,
        })
        .await
        .unwrap();
    assert_eq!(execution.output.as_deref(), Some("\"one\""));
    assert_eq!(
        execution.state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    assert_eq!(
        execution.state_machine_alias_arn.as_deref(),
        Some(alias.as_str())
    );
    let listed = aws
        .list_executions(sfini::runtime::api::ListExecutionsInput {
            state_machine_arn: alias.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.executions.len(), 1);
    assert_eq!(
        listed.executions[0].state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    assert_eq!(
        listed.executions[0].state_machine_alias_arn.as_deref(),
        Some(alias.as_str())
    );
    let aliases = aws
        .list_state_machine_aliases(ListStateMachineAliasesInput {
            state_machine_arn: v1.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        aliases.state_machine_aliases[0].state_machine_alias_arn,
        alias
    );
    let refused = aws
        .delete_state_machine_version(DeleteStateMachineVersionInput {
            state_machine_version_arn: v1.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "ConflictException", "{refused}");
    aws.delete_state_machine_alias(DeleteStateMachineAliasInput {
        state_machine_alias_arn: alias.clone(),
    })
    .await
    .unwrap();
    let missing = aws
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: alias,
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "ResourceNotFound", "{missing}");
    aws.delete_state_machine_version(DeleteStateMachineVersionInput {
        state_machine_version_arn: v1,
    })
    .await
    .unwrap();
    served.stop().await;
}
