//! The client handle: its engines, its settings, and the environment.

use std::sync::Arc;

use serde_json::json;
use sfini_runtime::api::*;
use sfini_runtime::client::{Account, ClientError, Sfn};
use sfini_runtime::local::LocalEngine;

const PASS: &str = r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#;

#[tokio::test]
async fn a_local_handle_runs_on_its_own_engine() {
    let sfn = Sfn::local();
    assert!(sfn.is_local());
    let engine = sfn.local_engine().unwrap();
    assert_eq!(engine.region(), "us-east-1");
    assert_eq!(engine.account_id(), "123456789012");
    let created = sfn
        .api()
        .create_activity(CreateActivityInput {
            name: "a".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    // The API and the local engine are one engine.
    assert_eq!(engine.queued_activity_tasks(&created.activity_arn), 0);
    let other = Sfn::local();
    let listed = other
        .api()
        .list_activities(ListActivitiesInput::default())
        .await
        .unwrap();
    assert!(
        listed.activities.is_empty(),
        "each local handle has its own engine"
    );
}

#[tokio::test]
async fn a_handle_on_a_given_local_engine_uses_its_region_and_account() {
    let engine = LocalEngine::builder()
        .region("eu-central-1")
        .account_id("999988887777")
        .build();
    let sfn = Sfn::from_local(engine.clone());
    assert_eq!(sfn.local_engine().unwrap().region(), "eu-central-1");
    assert_eq!(
        sfn.default_role_arn().as_deref(),
        Some("arn:aws:iam::999988887777:role/sfini-local")
    );
    let registration = sfn.machine("m", PASS).register().await.unwrap();
    assert_eq!(
        registration.machine_arn,
        "arn:aws:states:eu-central-1:999988887777:stateMachine:m"
    );
    // Visible through the engine itself.
    let described = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: registration.machine_arn,
        })
        .await
        .unwrap();
    assert_eq!(
        described.role_arn,
        "arn:aws:iam::999988887777:role/sfini-local"
    );
}

#[tokio::test]
async fn clones_and_settings_share_the_engine() {
    let sfn = Sfn::local();
    let staging = sfn
        .with_activity_prefix("staging-")
        .with_role_arn("arn:aws:iam::123456789012:role/staging")
        .with_account("eu-west-3", "123456789012");
    assert_eq!(sfn.activity_prefix(), "");
    assert_eq!(staging.activity_prefix(), "staging-");
    assert_eq!(
        staging.role_arn(),
        Some("arn:aws:iam::123456789012:role/staging")
    );
    assert_eq!(
        staging.default_role_arn().as_deref(),
        Some("arn:aws:iam::123456789012:role/staging")
    );
    assert_eq!(
        staging.account(),
        Some(&Account {
            region: "eu-west-3".into(),
            account_id: "123456789012".into()
        })
    );
    assert!(Arc::ptr_eq(sfn.api(), staging.api()));
    let registration = staging.machine("m", PASS).register().await.unwrap();
    assert_eq!(
        sfn.machine("m", PASS).arn().await.unwrap(),
        registration.machine_arn
    );
    let debug = format!("{staging:?}");
    assert!(debug.contains("staging-"), "{debug}");
}

#[tokio::test]
async fn a_handle_on_any_engine_is_not_local_and_has_no_default_role() {
    let sfn = Sfn::new(Arc::new(LocalEngine::new()));
    assert!(!sfn.is_local());
    assert!(sfn.local_engine().is_none());
    assert_eq!(sfn.default_role_arn(), None);
    let sfn = sfn.with_role_arn("arn:aws:iam::123456789012:role/r");
    let machine = sfn.machine("m", PASS);
    machine.register().await.unwrap();
    let execution = machine.start(&json!({"x": 1})).await.unwrap();
    // Waiting polls DescribeExecution: there is no local engine to ask.
    let done = execution.wait().await.unwrap();
    assert_eq!(done.output::<serde_json::Value>().unwrap(), json!({"x": 1}));
}

#[tokio::test]
async fn an_execution_opens_by_its_arn() {
    let sfn = Sfn::local();
    let machine = sfn.machine("m", PASS);
    machine.register().await.unwrap();
    let started = sfn
        .api()
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.arn().await.unwrap(),
            name: Some("by-hand".into()),
            input: Some(r#"{"n": 1}"#.into()),
            trace_header: None,
        })
        .await
        .unwrap();
    let execution = sfn.execution(&started.execution_arn);
    assert_eq!(execution.name(), "by-hand");
    assert_eq!(execution.arn(), started.execution_arn);
    execution.wait().await.unwrap();
    assert_eq!(
        execution.output::<serde_json::Value>().await.unwrap(),
        json!({"n": 1})
    );

    let missing = sfn.execution("arn:aws:states:us-east-1:123456789012:execution:m:none");
    let error = missing.describe().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "DescribeExecution of the execution `arn:aws:states:us-east-1:123456789012:execution:m:none` \
         failed: ExecutionDoesNotExist: no execution has the ARN \
         `arn:aws:states:us-east-1:123456789012:execution:m:none`"
    );
}

/// The only test of this file that reads the environment, and the only one
/// that changes it: the cases run one after the other.
#[tokio::test]
async fn the_environment_chooses_the_engine_and_the_role() {
    fn set(name: &str, value: Option<&str>) {
        // SAFETY: no other test of this binary reads or writes the
        // environment, and this one runs on a single thread.
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
    set("SFINI_ENGINE", None);
    set("SFINI_ROLE_ARN", None);
    let sfn = Sfn::from_env().await.unwrap();
    assert!(sfn.is_local());
    assert_eq!(sfn.role_arn(), None);

    set("SFINI_ENGINE", Some("local"));
    set(
        "SFINI_ROLE_ARN",
        Some("arn:aws:iam::123456789012:role/from-env"),
    );
    let sfn = Sfn::from_env().await.unwrap();
    assert!(sfn.is_local());
    assert_eq!(
        sfn.role_arn(),
        Some("arn:aws:iam::123456789012:role/from-env")
    );

    set("SFINI_ENGINE", Some("moto"));
    let error = Sfn::from_env().await.unwrap_err();
    assert_eq!(
        error,
        ClientError::UnknownEngine {
            value: "moto".into()
        }
    );
    #[cfg(feature = "aws")]
    let accepted = "`local`, `aws`";
    #[cfg(not(feature = "aws"))]
    let accepted = "`local`";
    assert_eq!(
        error.to_string(),
        format!(
            "SFINI_ENGINE is `moto`, which is not an engine sfini knows; accepted values: \
             {accepted} (unset means `local`)"
        )
    );

    set("SFINI_ENGINE", None);
    set("SFINI_ROLE_ARN", Some("from-env"));
    assert!(matches!(
        Sfn::from_env().await,
        Err(ClientError::InvalidSetting {
            variable: "SFINI_ROLE_ARN",
            ..
        })
    ));
    set("SFINI_ROLE_ARN", None);

    the_environment_chooses_aws().await;
    set("SFINI_ENGINE", None);
    set("SFINI_ROLE_ARN", None);
}

/// `SFINI_ENGINE=aws` without the feature `aws`.
#[cfg(not(feature = "aws"))]
async fn the_environment_chooses_aws() {
    // SAFETY: as in the caller.
    unsafe { std::env::set_var("SFINI_ENGINE", "aws") };
    let error = Sfn::from_env().await.unwrap_err();
    assert_eq!(
        error,
        ClientError::EngineNotBuilt {
            engine: "aws",
            feature: "aws"
        }
    );
}

/// `SFINI_ENGINE=aws`: the region is required, the role is not given by
/// default. No request is made: the AWS configuration is read from
/// variables and files only (the instance metadata is switched off and
/// the shared files point nowhere), and registration stops before calling.
#[cfg(feature = "aws")]
async fn the_environment_chooses_aws() {
    let variables = [
        ("SFINI_ENGINE", Some("aws")),
        ("AWS_REGION", None),
        ("AWS_DEFAULT_REGION", None),
        ("AWS_PROFILE", None),
        ("AWS_CONFIG_FILE", Some("/nonexistent/sfini-test/config")),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            Some("/nonexistent/sfini-test/credentials"),
        ),
        ("AWS_EC2_METADATA_DISABLED", Some("true")),
        ("AWS_ENDPOINT_URL", None),
        ("AWS_ENDPOINT_URL_SFN", None),
    ];
    let saved: Vec<(&str, Option<String>)> = variables
        .iter()
        .map(|(name, _)| (*name, std::env::var(name).ok()))
        .collect();
    // SAFETY: as in the caller.
    let set = |name: &str, value: Option<&str>| unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    };
    for (name, value) in variables {
        set(name, value);
    }

    let error = Sfn::from_env().await.unwrap_err();
    assert!(matches!(error, ClientError::AwsConfig { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "cannot configure the AWS engine: no AWS region is configured: set AWS_REGION (such as \
         `AWS_REGION=eu-west-1`), give `region` in the profile of ~/.aws/config (AWS_PROFILE \
         chooses the profile), or run where the instance metadata gives one"
    );

    set("AWS_DEFAULT_REGION", Some("eu-west-3"));
    let sfn = Sfn::from_env().await.unwrap();
    assert!(!sfn.is_local());
    assert_eq!(sfn.role_arn(), None);
    assert_eq!(sfn.default_role_arn(), None);
    let error = sfn.machine("m", PASS).register().await.unwrap_err();
    assert!(
        error.to_string().contains("SFINI_ROLE_ARN"),
        "registration without a role names SFINI_ROLE_ARN: {error}"
    );

    set("AWS_ENDPOINT_URL_SFN", Some(""));
    let error = Sfn::from_env().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot configure the AWS engine: AWS_ENDPOINT_URL_SFN is set but empty: give the URL \
         of the Step Functions endpoint (such as `http://localhost:8083`), or unset it to use \
         AWS's"
    );
    set("AWS_ENDPOINT_URL_SFN", None);

    set("AWS_REGION", Some("eu-west-1"));
    set(
        "SFINI_ROLE_ARN",
        Some("arn:aws:iam::123456789012:role/on-aws"),
    );
    let sfn = Sfn::from_env().await.unwrap();
    assert_eq!(
        sfn.role_arn(),
        Some("arn:aws:iam::123456789012:role/on-aws")
    );

    for (name, value) in saved {
        set(name, value.as_deref());
    }
}
