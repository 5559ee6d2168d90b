//! Registration that publishes versions and points an alias.

use sfini_runtime::api::{DescribeStateMachineAliasInput, ListStateMachineVersionsInput};
use sfini_runtime::client::Sfn;
use sfini_runtime::registration::{RegisterOptions, RegistrationOutcome};

const ROLE: &str = "arn:aws:iam::123456789012:role/run";

fn definition(result: &str) -> String {
    format!(
        r#"{{"StartAt": "p", "States": {{"p": {{"Type": "Pass", "Result": "{result}", "End": true}}}}}}"#
    )
}

#[tokio::test]
async fn registration_publishes_when_it_changes_the_machine_and_points_the_alias() {
    let sfn = Sfn::local().with_role_arn(ROLE);
    let options = || RegisterOptions::new().allow_update(true).alias("live");
    let created = sfn
        .machine("versioned", definition("one"))
        .register_with(options())
        .await
        .unwrap();
    assert_eq!(created.outcome, RegistrationOutcome::Created);
    let arn = created.machine_arn.clone();
    assert_eq!(created.version_arn, Some(format!("{arn}:1")));
    let alias = format!("{arn}:live");
    assert_eq!(created.alias_arn.as_deref(), Some(alias.as_str()));

    // Unchanged: nothing published, the alias left as it is.
    let unchanged = sfn
        .machine("versioned", definition("one"))
        .register_with(options())
        .await
        .unwrap();
    assert_eq!(unchanged.outcome, RegistrationOutcome::Unchanged);
    assert_eq!((unchanged.version_arn, unchanged.alias_arn), (None, None));

    // Changed: version 2, and the alias moves to it.
    let updated = sfn
        .machine("versioned", definition("two"))
        .register_with(options())
        .await
        .unwrap();
    assert_eq!(updated.outcome, RegistrationOutcome::Updated);
    assert_eq!(updated.version_arn, Some(format!("{arn}:2")));
    let described = sfn
        .api()
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: alias.clone(),
        })
        .await
        .unwrap();
    assert_eq!(described.routing_configuration.len(), 1);
    assert_eq!(
        described.routing_configuration[0].state_machine_version_arn,
        format!("{arn}:2")
    );
    assert_eq!(described.routing_configuration[0].weight, 100);
    let versions = sfn
        .api()
        .list_state_machine_versions(ListStateMachineVersionsInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(versions.state_machine_versions.len(), 2);

    // Without publish, an update publishes nothing.
    let quiet = sfn
        .machine("versioned", definition("three"))
        .register_with(RegisterOptions::new().allow_update(true))
        .await
        .unwrap();
    assert_eq!(quiet.outcome, RegistrationOutcome::Updated);
    assert_eq!(quiet.version_arn, None);
}
