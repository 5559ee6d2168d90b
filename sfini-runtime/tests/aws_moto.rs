//! The AWS engine against moto's Step Functions server: registration,
//! activities, executions, histories and error codes, through the SDK's
//! real HTTP client and AWS's JSON protocol.
//!
//! One moto server serves every test of this file (each test uses names of
//! its own). It runs in the venv that `bash scripts/test-env.sh` makes
//! (`target/test-venv` in the workspace), listens on
//! 127.0.0.1, runs executions on moto's own interpreter, and ends when this
//! process ends (it reads its standard input until it closes).
//!
//! Where moto answers otherwise than AWS, the test says so and checks
//! moto's answer, so that a change of moto shows here:
//! - `CreateActivity` of an existing name fails with `ActivityAlreadyExists`
//!   (AWS gives back the existing activity), so registering a machine with
//!   activities works once;
//! - `StopExecution` keeps neither the error nor the cause;
//! - an invalid definition is refused with the code `UnknownError` (AWS:
//!   `InvalidDefinition`);
//! - inputs are written back as Python writes JSON (`{"a": 1}`);
//! - events after the first have `previousEventId` 0 where AWS gives the
//!   event before them;
//! - `GetExecutionHistory` answers with every event in one page, oldest
//!   first, whatever the page size and order asked;
//! - `GetActivityTask` fails with an internal error, so workers are not run
//!   here.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sfn::config::{Credentials, SharedCredentialsProvider};
use serde_json::{Value, json};
use sfini_runtime::activity::{ActivityContext, ActivityDefinition, ActivityFuture};
use sfini_runtime::api::history::{ExecutionStartedDetails, OutputDetails, StateExitedDetails};
use sfini_runtime::api::*;
use sfini_runtime::aws::AwsEngine;
use sfini_runtime::client::Sfn;
use sfini_runtime::execution::ExecutionError;
use sfini_runtime::registration::{
    Difference, RegisterOptions, RegistrationError, RegistrationOutcome,
};

const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-moto";
/// moto's account and the region of the configuration.
const SCOPE: &str = "us-east-1:123456789012";

/// Starts moto's server on a free port of 127.0.0.1, switches on the
/// execution of state machines (moto only records them otherwise), prints
/// the server's URL, and serves until its standard input closes.
const SERVER_SCRIPT: &str = r#"
import json, sys, urllib.request
from moto.server import ThreadedMotoServer

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
url = f"http://{host}:{port}"
request = urllib.request.Request(
    f"{url}/moto-api/config",
    data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
    method="POST",
    headers={"Content-Type": "application/json"},
)
urllib.request.urlopen(request, timeout=30).read()
print(url, flush=True)
sys.stdin.read()
server.stop()
"#;

/// moto's server, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The venv of `scripts/test-env.sh`, which makes it at
/// `<workspace>/target/test-venv` wherever cargo builds.
fn venv() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/test-venv"))
}

impl Moto {
    fn start() -> Moto {
        let python = venv().join("bin/python");
        assert!(
            python.exists(),
            "the AWS engine's tests need moto's server from the venv at {}: run \
             `bash scripts/test-env.sh` (scripts/test.sh runs it first)",
            python.display()
        );
        let mut child = Command::new(&python)
            .args(["-c", SERVER_SCRIPT])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
        let stdout = child.stdout.take().expect("the standard output is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("moto's server prints its URL");
        let url = line.trim().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "moto's server did not start (it printed `{url}`)"
        );
        Moto { child, url }
    }
}

/// The server every test shares.
fn moto() -> &'static str {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    &MOTO.get_or_init(Moto::start).url
}

/// An engine on moto, with static test credentials.
fn engine() -> AwsEngine {
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDSFINIMOTO",
            "sfini-moto-secret",
            None,
            None,
            "sfini-tests",
        )))
        .build();
    AwsEngine::from_config(&config)
}

fn sfn() -> Sfn {
    Sfn::from_aws(engine()).with_role_arn(ROLE)
}

fn pass_machine(result: Value) -> String {
    json!({
        "StartAt": "p",
        "States": {
            "p": {"Type": "Pass", "Result": result, "Next": "s"},
            "s": {"Type": "Succeed"}
        }
    })
    .to_string()
}

const WAIT_MACHINE: &str =
    r#"{"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 300, "End": true}}}"#;

#[tokio::test]
async fn registration_creates_leaves_updates_and_deregisters() {
    let sfn = sfn();
    let machine = sfn.machine("moto-registration", pass_machine(json!(1)));
    assert!(!machine.diff().await.unwrap().exists());

    let created = machine.register().await.unwrap();
    assert_eq!(created.outcome, RegistrationOutcome::Created);
    assert_eq!(
        created.machine_arn,
        format!("arn:aws:states:{SCOPE}:stateMachine:moto-registration")
    );
    let again = machine.register().await.unwrap();
    assert_eq!(again.outcome, RegistrationOutcome::Unchanged);
    assert!(machine.diff().await.unwrap().in_sync());

    let changed = sfn.machine("moto-registration", pass_machine(json!(2)));
    let diff = changed.diff().await.unwrap();
    assert!(!diff.in_sync());
    assert!(matches!(
        &diff.differences[..],
        [Difference::Definition { registered: Some(old), compiled: Some(new), .. }]
            if *old == json!(1) && *new == json!(2)
    ));
    let refused = changed.register().await.unwrap_err();
    assert!(
        matches!(refused, RegistrationError::OutOfSync { .. }),
        "{refused}"
    );
    let updated = changed
        .register_with(RegisterOptions::new().allow_update(true))
        .await
        .unwrap();
    assert_eq!(updated.outcome, RegistrationOutcome::Updated);
    assert_eq!(updated.changes.len(), 1);
    let described = sfn
        .api()
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: created.machine_arn.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&described.definition).unwrap(),
        serde_json::from_str::<Value>(&pass_machine(json!(2))).unwrap()
    );
    assert_eq!(described.role_arn, ROLE);
    assert_eq!(described.state_machine_type, StateMachineType::Standard);
    assert_eq!(described.status, Some(StateMachineStatus::Active));
    assert_eq!(
        changed.register().await.unwrap().outcome,
        RegistrationOutcome::Unchanged
    );

    let other_role = sfn
        .with_role_arn("arn:aws:iam::123456789012:role/other")
        .machine("moto-registration", pass_machine(json!(2)));
    let diff = other_role.diff().await.unwrap();
    assert!(matches!(
        &diff.differences[..],
        [Difference::Role { registered, .. }] if registered == ROLE
    ));

    assert!(changed.deregister().await.unwrap());
    assert!(matches!(
        changed.arn().await,
        Err(RegistrationError::NotRegistered { .. })
    ));
    assert!(!changed.deregister().await.unwrap());
}

#[tokio::test]
async fn registration_on_aws_needs_a_role() {
    let sfn = Sfn::from_aws(engine());
    assert_eq!(sfn.default_role_arn(), None);
    let error = sfn
        .machine("moto-no-role", pass_machine(json!(1)))
        .register()
        .await
        .unwrap_err();
    assert!(
        matches!(error, RegistrationError::NoRole { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("SFINI_ROLE_ARN"), "{error}");
}

fn echo(input: Value, _: ActivityContext) -> ActivityFuture {
    Box::pin(async move { Ok(input) })
}

/// An activity as `#[activity]` defines one.
static SUM: ActivityDefinition = ActivityDefinition {
    name: "sum",
    id: "sum",
    description: "",
    arguments: &[],
    takes_whole_input: true,
    errors: &[],
    heartbeat_seconds: None,
    timeout_seconds: None,
    run: echo,
};

#[tokio::test]
async fn activities_are_registered_with_the_prefix() {
    let sfn = sfn().with_activity_prefix("moto-");
    let definition = r#"{"StartAt": "sum", "States": {"sum": {"Type": "Task",
        "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:sum", "End": true}}}"#;
    let machine = sfn
        .machine("moto-with-activity", definition)
        .with_activities(&[&SUM]);
    let registration = machine.register().await.unwrap();
    assert_eq!(registration.outcome, RegistrationOutcome::Created);
    let activity_arn = format!("arn:aws:states:{SCOPE}:activity:moto-sum");
    assert_eq!(registration.activities.len(), 1);
    assert_eq!(registration.activities[0].name, "moto-sum");
    assert_eq!(registration.activities[0].arn, activity_arn);
    let described = sfn
        .api()
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: registration.machine_arn.clone(),
        })
        .await
        .unwrap();
    let registered: Value = serde_json::from_str(&described.definition).unwrap();
    assert_eq!(registered["States"]["sum"]["Resource"], json!(activity_arn));
    let activity = sfn
        .api()
        .describe_activity(DescribeActivityInput {
            activity_arn: activity_arn.clone(),
        })
        .await
        .unwrap();
    assert_eq!(activity.name, "moto-sum");

    // moto departs from AWS: CreateActivity is not idempotent there.
    let again = machine.register().await.unwrap_err();
    let RegistrationError::Activity {
        activity, source, ..
    } = &again
    else {
        panic!("not an activity error: {again:?}");
    };
    assert_eq!(activity, "moto-sum");
    assert_eq!(source.code(), "ActivityAlreadyExists");

    assert_eq!(machine.deregister_activities().await.unwrap(), ["moto-sum"]);
    let gone = sfn
        .api()
        .describe_activity(DescribeActivityInput { activity_arn })
        .await
        .unwrap_err();
    assert!(
        matches!(gone, SfnError::ActivityDoesNotExist(_)),
        "{gone:?}"
    );
    assert!(machine.deregister().await.unwrap());
}

#[tokio::test]
async fn activities_list_page_by_page() {
    let api = sfn().api().clone();
    let mut created = Vec::new();
    for index in 0..3 {
        let activity = api
            .create_activity(CreateActivityInput {
                name: format!("moto-page-{index}"),
                tags: vec![Tag {
                    key: "suite".into(),
                    value: "aws_moto".into(),
                }],
            })
            .await
            .unwrap();
        created.push(activity.activity_arn);
    }
    let mut listed = Vec::new();
    let mut next_token = None;
    let mut pages = 0;
    loop {
        let page = api
            .list_activities(ListActivitiesInput {
                max_results: 1,
                next_token,
            })
            .await
            .unwrap();
        assert!(page.activities.len() <= 1);
        pages += 1;
        listed.extend(page.activities.into_iter().map(|item| item.activity_arn));
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    assert!(pages >= 3, "{pages} pages");
    for arn in &created {
        assert!(listed.contains(arn), "{arn} is not listed");
        api.delete_activity(DeleteActivityInput {
            activity_arn: arn.clone(),
        })
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn executions_start_list_and_stop() {
    let sfn = sfn();
    let machine = sfn.machine("moto-executions", pass_machine(json!({"done": true})));
    machine.register().await.unwrap();
    for index in 0..5 {
        let execution = machine
            .start_named(format!("run-{index}"), &json!({"index": index}))
            .await
            .unwrap();
        let done = execution.wait().await.unwrap();
        assert_eq!(done.output::<Value>().unwrap(), json!({"done": true}));
    }
    let execution = sfn.execution(format!(
        "arn:aws:states:{SCOPE}:execution:moto-executions:run-2"
    ));
    let described = execution.describe().await.unwrap();
    assert_eq!(described.name, "run-2");
    assert_eq!(described.status, ExecutionStatus::Succeeded);
    assert_eq!(
        described.state_machine_arn,
        format!("arn:aws:states:{SCOPE}:stateMachine:moto-executions")
    );
    assert_eq!(
        serde_json::from_str::<Value>(described.input.as_deref().unwrap()).unwrap(),
        json!({"index": 2})
    );
    let stop_date = described
        .stop_date
        .expect("a closed execution has a stop date");
    assert!(stop_date >= described.start_date);

    // Pages of two, read through the API and through a query.
    let arn = machine.arn().await.unwrap();
    let mut names = Vec::new();
    let mut next_token = None;
    let mut pages = 0;
    loop {
        let page = sfn
            .api()
            .list_executions(ListExecutionsInput {
                state_machine_arn: arn.clone(),
                status_filter: Some(ExecutionStatus::Succeeded),
                max_results: 2,
                next_token,
                redrive_filter: None,
            })
            .await
            .unwrap();
        assert!(page.executions.len() <= 2);
        pages += 1;
        names.extend(page.executions.into_iter().map(|item| item.name));
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["run-4", "run-3", "run-2", "run-1", "run-0"]);
    let query = machine.executions().page_size(2);
    assert_eq!(
        query
            .clone()
            .status(ExecutionStatus::Succeeded)
            .count()
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        query
            .clone()
            .status(ExecutionStatus::Running)
            .count()
            .await
            .unwrap(),
        0
    );
    let listed = query.clone().name_prefix("run-1").list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "run-1");
    assert_eq!(query.limit(3).count().await.unwrap(), 3);

    let waiting = sfn.machine("moto-waiting", WAIT_MACHINE);
    waiting.register().await.unwrap();
    let execution = waiting.start_named("held", &json!({})).await.unwrap();
    assert_eq!(execution.status().await.unwrap(), ExecutionStatus::Running);
    execution
        .stop("Halted", "stopped by the test")
        .await
        .unwrap();
    let stopped = execution
        .wait_closed(Some(std::time::Duration::from_secs(20)))
        .await
        .unwrap();
    assert_eq!(stopped.status, ExecutionStatus::Aborted);
    assert!(stopped.stop_date.is_some());
    // moto departs from AWS, which keeps the error and the cause given.
    assert_eq!((stopped.error, stopped.cause), (None, None));
    let error = execution.wait().await.unwrap_err();
    assert!(matches!(error, ExecutionError::Aborted { .. }), "{error}");
    assert_eq!(
        waiting
            .executions()
            .status(ExecutionStatus::Aborted)
            .count()
            .await
            .unwrap(),
        1
    );
    assert!(machine.deregister().await.unwrap());
    assert!(waiting.deregister().await.unwrap());
}

#[tokio::test]
async fn the_history_of_a_pass_machine() {
    let sfn = sfn();
    let machine = sfn.machine("moto-history", pass_machine(json!({"x": 1})));
    machine.register().await.unwrap();
    let execution = machine.start_named("once", &json!({"a": 1})).await.unwrap();
    execution.wait().await.unwrap();
    let history = execution.history().await.unwrap();
    let types: Vec<&str> = history
        .events()
        .iter()
        .map(|event| event.event_type().as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    let ids: Vec<i64> = history.events().iter().map(|event| event.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    let events = history.events();
    // moto writes the execution's input as Python writes JSON.
    assert_eq!(
        events[0].details,
        EventDetails::ExecutionStarted(ExecutionStartedDetails {
            input: Some(r#"{"a": 1}"#.into()),
            role_arn: Some(ROLE.into()),
        })
    );
    assert_eq!(
        events[2].details,
        EventDetails::PassStateExited(StateExitedDetails {
            name: "p".into(),
            output: Some(r#"{"x":1}"#.into()),
            ..StateExitedDetails::default()
        })
    );
    assert_eq!(
        events[5].details,
        EventDetails::ExecutionSucceeded(OutputDetails {
            output: Some(r#"{"x":1}"#.into()),
        })
    );
    assert!(
        events
            .windows(2)
            .all(|pair| pair[0].timestamp <= pair[1].timestamp)
    );

    // Newest first, in pages of two: moto departs from AWS and answers
    // with every event in one page, oldest first (the request's fields are
    // checked against a server of the engine's own unit tests).
    let page = sfn
        .api()
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: execution.arn().to_string(),
            max_results: 2,
            reverse_order: true,
            next_token: None,
            include_execution_data: Some(false),
        })
        .await
        .unwrap();
    let ids: Vec<i64> = page.events.iter().map(|event| event.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    assert_eq!(page.next_token, None);
    assert!(machine.deregister().await.unwrap());
}

#[tokio::test]
async fn error_codes_are_kept() {
    let api = sfn().api().clone();
    let missing = api
        .describe_execution(DescribeExecutionInput {
            execution_arn: format!("arn:aws:states:{SCOPE}:execution:moto-none:none"),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(missing, SfnError::ExecutionDoesNotExist(_)),
        "{missing:?}"
    );
    let missing = api
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: format!("arn:aws:states:{SCOPE}:stateMachine:moto-none"),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(missing, SfnError::StateMachineDoesNotExist(_)),
        "{missing:?}"
    );
    assert_eq!(
        missing.message(),
        format!("State Machine Does Not Exist: 'arn:aws:states:{SCOPE}:stateMachine:moto-none'")
    );
    let invalid = api
        .describe_execution(DescribeExecutionInput {
            execution_arn: "not-an-arn".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(invalid, SfnError::InvalidArn(_)), "{invalid:?}");
    let invalid = api
        .create_activity(CreateActivityInput {
            name: "moto has no spaces".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(invalid, SfnError::InvalidName(_)), "{invalid:?}");

    let machine = api
        .create_state_machine(CreateStateMachineInput {
            name: "moto-errors".into(),
            definition: WAIT_MACHINE.into(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let start = |input: &str| {
        api.start_execution(StartExecutionInput {
            state_machine_arn: machine.state_machine_arn.clone(),
            name: Some("twice".into()),
            input: Some(input.into()),
            trace_header: None,
        })
    };
    let first = start("{}").await.unwrap();
    let again = start(r#"{"other": true}"#).await.unwrap_err();
    assert!(
        matches!(again, SfnError::ExecutionAlreadyExists(_)),
        "{again:?}"
    );
    api.stop_execution(StopExecutionInput {
        execution_arn: first.execution_arn,
        ..Default::default()
    })
    .await
    .unwrap();

    // moto departs from AWS: an invalid definition is refused without a
    // code in the body, and the SDK takes moto's `X-Amzn-ErrorType` header,
    // `UnknownError` (AWS: InvalidDefinition).
    let refused = api
        .create_state_machine(CreateStateMachineInput {
            name: "moto-invalid".into(),
            definition: "{}".into(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, SfnError::Service { code, message }
            if code == "UnknownError" && message.starts_with("ASLParserException")),
        "{refused:?}"
    );
    assert!(!refused.is_retryable());
    api.delete_state_machine(DeleteStateMachineInput {
        state_machine_arn: machine.state_machine_arn,
    })
    .await
    .unwrap();
}

/// The calls added for tags, versions, aliases and
/// DescribeStateMachineForExecution, through aws-sdk-sfn: what is sent and
/// read back, against moto's implementation of them.
#[tokio::test]
async fn tags_versions_aliases_and_the_machine_of_an_execution() {
    let sfn = sfn();
    let api = sfn.api();
    let tag = |key: &str, value: &str| Tag {
        key: key.into(),
        value: value.into(),
    };
    let created = api
        .create_state_machine(CreateStateMachineInput {
            name: "moto-versions".into(),
            definition: pass_machine(json!("v1")),
            role_arn: ROLE.into(),
            tags: vec![tag("team", "orders")],
            publish: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let machine = created.state_machine_arn;
    let version = created
        .state_machine_version_arn
        .expect("publishing at creation gives a version");
    assert_eq!(version, format!("{machine}:1"));

    // Tags given at creation, added and taken away.
    let tags = |arn: String| {
        let api = api.clone();
        async move {
            let mut listed = api
                .list_tags_for_resource(ListTagsForResourceInput { resource_arn: arn })
                .await
                .unwrap()
                .tags;
            listed.sort_by(|a, b| a.key.cmp(&b.key));
            listed
        }
    };
    assert_eq!(tags(machine.clone()).await, [tag("team", "orders")]);
    api.tag_resource(TagResourceInput {
        resource_arn: machine.clone(),
        tags: vec![tag("stage", "test"), tag("team", "billing")],
    })
    .await
    .unwrap();
    assert_eq!(
        tags(machine.clone()).await,
        [tag("stage", "test"), tag("team", "billing")]
    );
    api.untag_resource(UntagResourceInput {
        resource_arn: machine.clone(),
        tag_keys: vec!["stage".into()],
    })
    .await
    .unwrap();
    assert_eq!(tags(machine.clone()).await, [tag("team", "billing")]);

    // An alias routing to the version.
    let alias = api
        .create_state_machine_alias(CreateStateMachineAliasInput {
            name: "live".into(),
            description: Some("what runs".into()),
            routing_configuration: vec![RoutingConfigurationListItem {
                state_machine_version_arn: version.clone(),
                weight: 100,
            }],
        })
        .await
        .unwrap()
        .state_machine_alias_arn;
    assert_eq!(alias, format!("{machine}:live"));
    let described = api
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: alias.clone(),
        })
        .await
        .unwrap();
    assert_eq!(described.name, "live");
    assert_eq!(described.description.as_deref(), Some("what runs"));
    assert_eq!(
        described.routing_configuration,
        [RoutingConfigurationListItem {
            state_machine_version_arn: version,
            weight: 100,
        }]
    );

    // The machine an execution ran.
    let started = api
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            name: Some("which".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let ran = api
        .describe_state_machine_for_execution(DescribeStateMachineForExecutionInput {
            execution_arn: started.execution_arn,
        })
        .await
        .unwrap();
    assert_eq!(ran.state_machine_arn, machine);
    assert_eq!(ran.name, "moto-versions");
    assert_eq!(ran.role_arn, ROLE);
    assert_eq!(
        serde_json::from_str::<Value>(&ran.definition).unwrap(),
        serde_json::from_str::<Value>(&pass_machine(json!("v1"))).unwrap()
    );
}
