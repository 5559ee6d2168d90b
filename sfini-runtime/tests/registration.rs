//! Registering workflows and plain definitions: idempotence, the activity
//! prefix, placeholders, updates, differences and deregistration.

use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};
use sfini_core::StateMachine;
use sfini_runtime::activity::{ActivityContext, ActivityDefinition, ActivityFuture, Argument};
use sfini_runtime::api::*;
use sfini_runtime::client::Sfn;
use sfini_runtime::local::LocalEngine;
use sfini_runtime::macro_support::read_definition;
use sfini_runtime::registration::{
    Difference, RegisterOptions, RegistrationError, RegistrationOutcome,
};
use sfini_runtime::workflow::Workflow;

fn echo(input: Value, _: ActivityContext) -> ActivityFuture {
    Box::pin(async move { Ok(input) })
}

static ADD: ActivityDefinition = ActivityDefinition {
    name: "add",
    id: "add",
    description: "Adds a and b.",
    arguments: &[
        Argument {
            name: "a",
            required: true,
        },
        Argument {
            name: "b",
            required: true,
        },
    ],
    takes_whole_input: false,
    errors: &[],
    heartbeat_seconds: None,
    timeout_seconds: None,
    run: echo,
};

static DOUBLE: ActivityDefinition = ActivityDefinition {
    name: "double",
    id: "double",
    description: "",
    arguments: &[],
    takes_whole_input: true,
    errors: &[],
    heartbeat_seconds: None,
    timeout_seconds: None,
    run: echo,
};

/// What `workflow!` writes for two tasks running `add` and `double`.
struct Adding;

impl Workflow for Adding {
    const NAME: &'static str = "adding";
    const DEFINITION: &'static str = r#"{
  "StartAt": "add",
  "States": {
    "add": {
      "Type": "Task",
      "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:add",
      "Next": "double"
    },
    "double": {
      "Type": "Task",
      "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:double",
      "End": true
    }
  }
}"#;
    const ACTIVITIES: &'static [&'static ActivityDefinition] = &[&ADD, &DOUBLE];

    fn state_machine() -> &'static StateMachine {
        static MACHINE: OnceLock<StateMachine> = OnceLock::new();
        MACHINE.get_or_init(|| read_definition(Self::DEFINITION))
    }
}

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .region("eu-west-1")
        .account_id("111122223333")
        .build()
}

async fn activity_names(sfn: &Sfn) -> Vec<String> {
    sfn.api()
        .list_activities(ListActivitiesInput::default())
        .await
        .unwrap()
        .activities
        .into_iter()
        .map(|activity| activity.name)
        .collect()
}

async fn registered_definition(sfn: &Sfn, arn: &str) -> DescribeStateMachineOutput {
    sfn.api()
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: arn.into(),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn registering_twice_creates_once_and_then_finds_it_unchanged() {
    let sfn = Sfn::from_local(engine());
    let machine = sfn.workflow::<Adding>();
    let first = machine.register().await.unwrap();
    assert_eq!(first.outcome, RegistrationOutcome::Created);
    assert_eq!(
        first.machine_arn,
        "arn:aws:states:eu-west-1:111122223333:stateMachine:adding"
    );
    assert!(first.changes.is_empty());
    let second = machine.register().await.unwrap();
    assert_eq!(second.outcome, RegistrationOutcome::Unchanged);
    assert_eq!(second.machine_arn, first.machine_arn);
    assert_eq!(second.activities, first.activities);
    // A new handle on the same engine finds the machine by its name.
    let again = Sfn::from_local(sfn.local_engine().unwrap().clone())
        .workflow::<Adding>()
        .register()
        .await
        .unwrap();
    assert_eq!(again.outcome, RegistrationOutcome::Unchanged);
    assert_eq!(activity_names(&sfn).await, ["add", "double"]);
    assert_eq!(machine.arn().await.unwrap(), first.machine_arn);
}

#[tokio::test]
async fn the_prefix_reaches_the_activity_names_and_the_definitions_arns() {
    let sfn = Sfn::from_local(engine()).with_activity_prefix("dev-");
    assert_eq!(sfn.activity_name(&ADD), "dev-add");
    let registration = sfn.workflow::<Adding>().register().await.unwrap();
    let activities: Vec<(&str, &str)> = registration
        .activities
        .iter()
        .map(|activity| (activity.name.as_str(), activity.arn.as_str()))
        .collect();
    assert_eq!(
        activities,
        [
            (
                "dev-add",
                "arn:aws:states:eu-west-1:111122223333:activity:dev-add"
            ),
            (
                "dev-double",
                "arn:aws:states:eu-west-1:111122223333:activity:dev-double"
            ),
        ]
    );
    assert_eq!(activity_names(&sfn).await, ["dev-add", "dev-double"]);
    let described = registered_definition(&sfn, &registration.machine_arn).await;
    let definition: Value = serde_json::from_str(&described.definition).unwrap();
    assert_eq!(
        definition["States"]["add"]["Resource"],
        "arn:aws:states:eu-west-1:111122223333:activity:dev-add"
    );
    assert_eq!(
        definition["States"]["double"]["Resource"],
        "arn:aws:states:eu-west-1:111122223333:activity:dev-double"
    );
    assert!(!described.definition.contains("${AWS::"));
    assert_eq!(
        described.role_arn,
        "arn:aws:iam::111122223333:role/sfini-local"
    );
}

#[tokio::test]
async fn other_placeholders_get_the_engines_region_and_account() {
    let sfn = Sfn::from_local(engine());
    let machine = sfn.machine(
        "lambda",
        r#"{"StartAt": "f", "States": {"f": {"Type": "Task", "Resource": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f", "End": true}}}"#,
    );
    let registration = machine.register().await.unwrap();
    assert!(registration.activities.is_empty());
    let described = registered_definition(&sfn, &registration.machine_arn).await;
    assert!(
        described
            .definition
            .contains(r#""arn:aws:lambda:eu-west-1:111122223333:function:f""#),
        "{}",
        described.definition
    );
}

#[tokio::test]
async fn plain_definitions_register_the_activities_they_name_and_those_given() {
    let sfn = Sfn::from_local(engine()).with_activity_prefix("p.");
    let machine = sfn
        .machine(
            "plain",
            r#"{"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:resize", "End": true}}}"#,
        )
        .with_activities(&[&DOUBLE, &DOUBLE]);
    assert_eq!(machine.activity_names(), ["p.double", "p.resize"]);
    let registration = machine.register().await.unwrap();
    assert_eq!(registration.activities.len(), 2);
    assert_eq!(activity_names(&sfn).await, ["p.double", "p.resize"]);
}

#[tokio::test]
async fn a_changed_definition_is_refused_until_updating_is_allowed() {
    let sfn = Sfn::from_local(engine());
    sfn.workflow::<Adding>().register().await.unwrap();
    let changed = sfn.machine(
        "adding",
        Adding::DEFINITION.replace(r#""End": true"#, r#""TimeoutSeconds": 30, "End": true"#),
    );
    let error = changed.register().await.unwrap_err();
    assert!(matches!(error, RegistrationError::OutOfSync { .. }));
    assert_eq!(
        error.to_string(),
        "the state machine `adding` is registered with another definition or role \
         (1 difference: States.double.TimeoutSeconds: registered absent, compiled 30); \
         register with `allow_update` to update it, or see every change with `Machine::diff`"
    );
    let updated = changed
        .register_with(RegisterOptions::new().allow_update(true))
        .await
        .unwrap();
    assert_eq!(updated.outcome, RegistrationOutcome::Updated);
    assert_eq!(updated.changes.len(), 1);
    let described = registered_definition(&sfn, &updated.machine_arn).await;
    let definition: Value = serde_json::from_str(&described.definition).unwrap();
    assert_eq!(definition["States"]["double"]["TimeoutSeconds"], json!(30));
    assert_eq!(
        changed.register().await.unwrap().outcome,
        RegistrationOutcome::Unchanged
    );
    // The workflow's own definition now differs in turn.
    assert!(sfn.workflow::<Adding>().register().await.is_err());
}

#[tokio::test]
async fn a_changed_role_is_an_update_too() {
    let sfn = Sfn::from_local(engine());
    sfn.workflow::<Adding>().register().await.unwrap();
    let role = "arn:aws:iam::111122223333:role/other";
    let error = sfn
        .workflow::<Adding>()
        .register_with(RegisterOptions::new().role_arn(role))
        .await
        .unwrap_err();
    assert!(error.to_string().contains(
        "1 difference: role: registered `arn:aws:iam::111122223333:role/sfini-local`, compiled `arn:aws:iam::111122223333:role/other`"
    ), "{error}");
    let updated = sfn
        .with_role_arn(role)
        .workflow::<Adding>()
        .register_with(RegisterOptions {
            allow_update: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(updated.outcome, RegistrationOutcome::Updated);
    let described = registered_definition(&sfn, &updated.machine_arn).await;
    assert_eq!(described.role_arn, role);
}

#[tokio::test]
async fn diff_says_what_is_missing() {
    let sfn = Sfn::local().with_activity_prefix("dev-");
    let diff = sfn.workflow::<Adding>().diff().await.unwrap();
    assert!(!diff.exists());
    assert!(!diff.in_sync());
    assert_eq!(
        diff.to_string(),
        "the state machine `adding` is not registered\n  \
         the activity `dev-add` is not registered\n  \
         the activity `dev-double` is not registered"
    );
    // Nothing was created by looking.
    assert!(activity_names(&sfn).await.is_empty());
}

#[tokio::test]
async fn diff_of_a_machine_in_sync() {
    let sfn = Sfn::local();
    let machine = sfn.workflow::<Adding>();
    machine.register().await.unwrap();
    let diff = machine.diff().await.unwrap();
    assert!(diff.in_sync());
    assert_eq!(
        diff.to_string(),
        "the state machine `adding` (arn:aws:states:us-east-1:123456789012:stateMachine:adding) \
         is registered and in sync"
    );
}

#[tokio::test]
async fn diff_lists_changed_fields_roles_and_missing_activities() {
    let sfn = Sfn::local();
    sfn.workflow::<Adding>().register().await.unwrap();
    let changed = sfn
        .with_activity_prefix("v2-")
        .with_role_arn("arn:aws:iam::123456789012:role/v2")
        .machine(
            "adding",
            Adding::DEFINITION.replace(
                r#""Next": "double""#,
                r#""Next": "double", "TimeoutSeconds": 5"#,
            ),
        )
        .with_activities(Adding::ACTIVITIES);
    let diff = changed.diff().await.unwrap();
    assert!(diff.exists() && !diff.in_sync());
    assert_eq!(
        diff.differences[0],
        Difference::Definition {
            location: sfini_core::Location::root()
                .field("States")
                .field("add")
                .field("Resource"),
            registered: Some(json!("arn:aws:states:us-east-1:123456789012:activity:add")),
            compiled: Some(json!(
                "arn:aws:states:us-east-1:123456789012:activity:v2-add"
            )),
        }
    );
    assert_eq!(
        diff.to_string(),
        "the state machine `adding` (arn:aws:states:us-east-1:123456789012:stateMachine:adding) differs from its registration:\n  \
         States.add.Resource: registered \"arn:aws:states:us-east-1:123456789012:activity:add\", compiled \"arn:aws:states:us-east-1:123456789012:activity:v2-add\"\n  \
         States.add.TimeoutSeconds: registered absent, compiled 5\n  \
         States.double.Resource: registered \"arn:aws:states:us-east-1:123456789012:activity:double\", compiled \"arn:aws:states:us-east-1:123456789012:activity:v2-double\"\n  \
         role: registered `arn:aws:iam::123456789012:role/sfini-local`, compiled `arn:aws:iam::123456789012:role/v2`\n  \
         the activity `v2-add` is not registered\n  \
         the activity `v2-double` is not registered"
    );
}

#[tokio::test]
async fn deregistering_deletes_the_machine_and_then_its_activities() {
    let sfn = Sfn::local().with_activity_prefix("x-");
    let machine = sfn.workflow::<Adding>();
    machine.register().await.unwrap();
    assert!(machine.deregister().await.unwrap());
    assert!(!machine.deregister().await.unwrap());
    let error = machine.arn().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the state machine `adding` is not registered; register it first"
    );
    let listed = sfn
        .api()
        .list_state_machines(ListStateMachinesInput::default())
        .await
        .unwrap();
    assert!(listed.state_machines.is_empty());
    assert_eq!(activity_names(&sfn).await, ["x-add", "x-double"]);
    assert_eq!(
        machine.deregister_activities().await.unwrap(),
        ["x-add", "x-double"]
    );
    assert!(activity_names(&sfn).await.is_empty());
    // And it registers afresh.
    assert_eq!(
        machine.register().await.unwrap().outcome,
        RegistrationOutcome::Created
    );
}

#[tokio::test]
async fn a_machine_being_deleted_cannot_be_registered_again_yet() {
    let sfn = Sfn::local();
    let machine = sfn.workflow::<Adding>();
    machine.register().await.unwrap();
    // Nobody serves `add`: the execution keeps the machine from going.
    let execution = machine.start(&json!({"a": 1, "b": 2})).await.unwrap();
    assert!(machine.deregister().await.unwrap());
    let error = machine.register().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "DescribeStateMachine for the state machine `adding` failed: StateMachineDeleting: the \
         state machine `arn:aws:states:us-east-1:123456789012:stateMachine:adding` is being \
         deleted; register it again once its running executions have closed"
    );
    execution.stop("Stopped", "").await.unwrap();
    assert_eq!(
        machine.register().await.unwrap().outcome,
        RegistrationOutcome::Created
    );
}

#[tokio::test]
async fn bad_names_and_definitions_are_refused_naming_the_machine() {
    let sfn = Sfn::local().with_activity_prefix("my prefix/");
    let error = sfn.workflow::<Adding>().register().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot register the activity `my prefix/add`: an activity's name cannot contain white \
         space; use letters, digits, `-`, `_` and `.` (Step Functions rejects white space, \
         control characters and any of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /)"
    );
    let error = Sfn::local()
        .machine(
            "broken",
            r#"{"StartAt": "nowhere", "States": {"a": {"Type": "Pass", "End": true}}}"#,
        )
        .register()
        .await
        .unwrap_err();
    let RegistrationError::InvalidDefinition {
        machine,
        diagnostics,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(machine, "broken");
    assert!(!diagnostics.is_valid());
    assert!(
        error
            .to_string()
            .starts_with("the definition of the state machine `broken` is not valid:\n"),
        "{error}"
    );
    assert!(error.to_string().contains("nowhere"), "{error}");
}

#[tokio::test]
async fn another_engine_needs_a_role_and_learns_the_region_from_its_arns() {
    let engine = engine();
    let sfn = Sfn::new(Arc::new(engine.clone()));
    assert!(!sfn.is_local());
    let error = sfn.workflow::<Adding>().register().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot register the state machine `adding`: no IAM role is set for its executions; \
         give one with `Sfn::with_role_arn`, `RegisterOptions::role_arn` or the SFINI_ROLE_ARN \
         environment variable"
    );
    let sfn = sfn.with_role_arn("arn:aws:iam::111122223333:role/r");
    let lambda = sfn.machine(
        "lambda",
        r#"{"StartAt": "f", "States": {"f": {"Type": "Task", "Resource": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f", "End": true}}}"#,
    );
    // Nothing on the engine tells its region yet.
    let error = lambda.register().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot fill `${AWS::Region}` in the definition of the state machine `lambda`: the \
         engine's region and account could not be learned (no activity or state machine exists \
         on it yet); give them with `Sfn::with_account(region, account_id)`"
    );
    // The activities' ARNs tell it.
    sfn.workflow::<Adding>().register().await.unwrap();
    let registration = lambda.register().await.unwrap();
    let described = registered_definition(&sfn, &registration.machine_arn).await;
    assert!(
        described
            .definition
            .contains("arn:aws:lambda:eu-west-1:111122223333:function:f")
    );
    // Given by hand, on an engine that has nothing yet.
    let fresh = Sfn::new(Arc::new(LocalEngine::new()))
        .with_role_arn("arn:aws:iam::123456789012:role/r")
        .with_account("ap-south-1", "123456789012");
    let registration = fresh
        .machine("lambda", lambda.definition().to_string())
        .register()
        .await
        .unwrap();
    let described = registered_definition(&fresh, &registration.machine_arn).await;
    assert!(
        described
            .definition
            .contains("arn:aws:lambda:ap-south-1:123456789012:function:f")
    );
}
