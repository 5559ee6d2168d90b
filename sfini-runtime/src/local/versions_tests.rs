//! Versions and aliases on the local engine.

use serde_json::json;

use super::super::LocalEngine;
use crate::api::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/run";

fn definition(result: &str) -> String {
    json!({
        "StartAt": "p",
        "States": {"p": {"Type": "Pass", "Result": result, "End": true}}
    })
    .to_string()
}

async fn machine(engine: &LocalEngine, name: &str, publish: bool) -> CreateStateMachineOutput {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition("one"),
            role_arn: ROLE.into(),
            publish,
            ..Default::default()
        })
        .await
        .expect("created")
}

async fn update(
    engine: &LocalEngine,
    arn: &str,
    result: &str,
    publish: bool,
) -> UpdateStateMachineOutput {
    engine
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: arn.into(),
            definition: Some(definition(result)),
            publish,
            ..Default::default()
        })
        .await
        .expect("updated")
}

fn code(error: &SfnError) -> String {
    error.code().to_string()
}

async fn alias(
    engine: &LocalEngine,
    name: &str,
    routing: &[(&str, i32)],
) -> Result<CreateStateMachineAliasOutput, SfnError> {
    engine
        .create_state_machine_alias(CreateStateMachineAliasInput {
            name: name.into(),
            description: None,
            routing_configuration: routing
                .iter()
                .map(|&(arn, weight)| RoutingConfigurationListItem {
                    state_machine_version_arn: arn.into(),
                    weight,
                })
                .collect(),
        })
        .await
}

async fn run(engine: &LocalEngine, arn: &str) -> DescribeExecutionOutput {
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: arn.into(),
            ..Default::default()
        })
        .await
        .expect("started");
    engine
        .wait_for_execution(&started.execution_arn)
        .await
        .expect("closed")
}

#[tokio::test]
async fn publish_on_create_and_update_and_unchanged_revisions_are_not_republished() {
    let engine = LocalEngine::new();
    let created = machine(&engine, "m", true).await;
    let arn = created.state_machine_arn;
    let v1 = format!("{arn}:1");
    assert_eq!(
        created.state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    // The revision is already published: the latest version answers.
    let again = engine
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            revision_id: Some("INITIAL".into()),
            description: None,
        })
        .await
        .expect("published");
    assert_eq!(again.state_machine_version_arn, v1);
    assert_eq!(again.creation_date, created.creation_date);
    let updated = update(&engine, &arn, "two", true).await;
    assert_eq!(
        updated.state_machine_version_arn.as_deref(),
        Some(format!("{arn}:2").as_str())
    );
    // An update that changes nothing publishes nothing new.
    let same = update(&engine, &arn, "two", true).await;
    assert_eq!(
        same.state_machine_version_arn,
        updated.state_machine_version_arn
    );
    // A stale revision id is refused, as AWS words it.
    let stale = engine
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            revision_id: Some("INITIAL".into()),
            description: None,
        })
        .await
        .expect_err("a stale revision");
    assert_eq!(code(&stale), "ConflictException");
    assert!(
        stale.to_string().contains(&format!(
            "for revision INITIAL. The current State Machine revision is {}.",
            same.revision_id.clone().unwrap_or_default()
        )),
        "{stale}"
    );
    // A description needs publish.
    let lonely = engine
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: arn.clone(),
            definition: Some(definition("three")),
            version_description: Some("v3".into()),
            ..Default::default()
        })
        .await
        .expect_err("a description without publish");
    assert_eq!(code(&lonely), "ValidationException");
    let listed = engine
        .list_state_machine_versions(ListStateMachineVersionsInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .expect("listed");
    let arns: Vec<_> = listed
        .state_machine_versions
        .iter()
        .map(|item| item.state_machine_version_arn.clone())
        .collect();
    assert_eq!(arns, [format!("{arn}:2"), v1]);
}

#[tokio::test]
async fn a_version_is_immutable_and_runs_its_own_definition() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    let v1 = format!("{arn}:1");
    update(&engine, &arn, "two", false).await;
    let described = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: v1.clone(),
        })
        .await
        .expect("the version");
    assert_eq!(described.state_machine_arn, v1);
    assert_eq!(described.definition, definition("one"));
    let refused = engine
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: v1.clone(),
            definition: Some(definition("x")),
            ..Default::default()
        })
        .await
        .expect_err("a version cannot be updated");
    assert_eq!(code(&refused), "StateMachineDoesNotExist");
    let on_version = run(&engine, &v1).await;
    assert_eq!(on_version.output.as_deref(), Some("\"one\""));
    assert_eq!(on_version.state_machine_arn, arn);
    assert_eq!(
        on_version.state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    assert_eq!(on_version.state_machine_alias_arn, None);
    let listed = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: v1.clone(),
            ..Default::default()
        })
        .await
        .expect("the version's executions");
    assert_eq!(listed.executions.len(), 1);
    assert_eq!(listed.executions[0].execution_arn, on_version.execution_arn);
    assert_eq!(
        listed.executions[0].state_machine_version_arn.as_deref(),
        Some(v1.as_str())
    );
    let on_machine = run(&engine, &arn).await;
    assert_eq!(on_machine.output.as_deref(), Some("\"two\""));
    assert_eq!(on_machine.state_machine_version_arn, None);
    let all = engine
        .list_executions(ListExecutionsInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .expect("the machine's executions");
    assert_eq!(all.executions.len(), 2);
    let missing = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: format!("{arn}:9"),
            ..Default::default()
        })
        .await
        .expect_err("no version 9");
    assert_eq!(code(&missing), "StateMachineDoesNotExist");
}

#[tokio::test]
async fn an_alias_routes_by_weight() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    update(&engine, &arn, "two", true).await;
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    let prod = alias(&engine, "PROD", &[(&v1, 30), (&v2, 70)])
        .await
        .expect("created")
        .state_machine_alias_arn;
    assert_eq!(prod, format!("{arn}:PROD"));
    let starts = 2000;
    let mut on_v1 = 0;
    for _ in 0..starts {
        let started = engine
            .start_execution(StartExecutionInput {
                state_machine_arn: prod.clone(),
                ..Default::default()
            })
            .await
            .expect("started");
        let described = engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: started.execution_arn,
            })
            .await
            .expect("described");
        assert_eq!(
            described.state_machine_alias_arn.as_deref(),
            Some(prod.as_str())
        );
        if described.state_machine_version_arn.as_deref() == Some(v1.as_str()) {
            on_v1 += 1;
        } else {
            assert_eq!(
                described.state_machine_version_arn.as_deref(),
                Some(v2.as_str())
            );
        }
    }
    // 30% of 2000 is 600, with a standard deviation of about 20.
    assert!(
        (500..=700).contains(&on_v1),
        "{on_v1} of {starts} ran version 1"
    );
    let executed = run(&engine, &prod).await;
    assert!(matches!(
        executed.output.as_deref(),
        Some("\"one\"" | "\"two\"")
    ));
    // Rerouted wholly to version 2.
    engine
        .update_state_machine_alias(UpdateStateMachineAliasInput {
            state_machine_alias_arn: prod.clone(),
            description: Some("all on 2".into()),
            routing_configuration: Some(vec![RoutingConfigurationListItem {
                state_machine_version_arn: v2.clone(),
                weight: 100,
            }]),
        })
        .await
        .expect("updated");
    for _ in 0..20 {
        assert_eq!(run(&engine, &prod).await.output.as_deref(), Some("\"two\""));
    }
    let described = engine
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: prod.clone(),
        })
        .await
        .expect("described");
    assert_eq!(described.name, "PROD");
    assert_eq!(described.description.as_deref(), Some("all on 2"));
    assert!(described.update_date.is_some());
    assert_eq!(described.routing_configuration.len(), 1);
}

#[tokio::test]
async fn routing_versions_and_aliases_are_checked() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    update(&engine, &arn, "two", true).await;
    let other = machine(&engine, "other", true).await.state_machine_arn;
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    for (routing, expected) in [
        (
            vec![(v1.as_str(), 50), (v2.as_str(), 40)],
            "ValidationException",
        ),
        (
            vec![(v1.as_str(), 50), (v1.as_str(), 50)],
            "ValidationException",
        ),
        (
            vec![(v1.as_str(), 50), (v2.as_str(), 25), (v2.as_str(), 25)],
            "ValidationException",
        ),
        (vec![], "ValidationException"),
        (vec![(v1.as_str(), 101)], "ValidationException"),
        (vec![(arn.as_str(), 100)], "ValidationException"),
        (
            vec![(v1.as_str(), 50), (&format!("{other}:1"), 50)],
            "ValidationException",
        ),
        (vec![(&format!("{arn}:7"), 100)], "ResourceNotFound"),
        (vec![(&format!("{arn}9:1"), 100)], "ResourceNotFound"),
    ] {
        let error = alias(&engine, "a", &routing).await.expect_err("refused");
        assert_eq!(code(&error), expected, "{routing:?}: {error}");
    }
    for name in ["123", "has space", "", &"a".repeat(81)] {
        let error = alias(&engine, name, &[(&v1, 100)])
            .await
            .expect_err("bad name");
        assert_eq!(code(&error), "ValidationException", "{name:?}");
    }
    let created = alias(&engine, "live", &[(&v1, 100)])
        .await
        .expect("created");
    // The same alias again is the same; another routing conflicts.
    let again = alias(&engine, "live", &[(&v1, 100)])
        .await
        .expect("idempotent");
    assert_eq!(again, created);
    let conflict = alias(&engine, "live", &[(&v2, 100)])
        .await
        .expect_err("conflict");
    assert_eq!(code(&conflict), "ConflictException");
    // A version an alias routes to cannot be deleted.
    let referenced = engine
        .delete_state_machine_version(DeleteStateMachineVersionInput {
            state_machine_version_arn: v1.clone(),
        })
        .await
        .expect_err("routed to");
    assert_eq!(code(&referenced), "ConflictException");
    assert!(
        referenced
            .to_string()
            .ends_with("aliases referencing this version: [live]"),
        "{referenced}"
    );
    engine
        .delete_state_machine_version(DeleteStateMachineVersionInput {
            state_machine_version_arn: v2.clone(),
        })
        .await
        .expect("deleted");
    let gone = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: v2.clone(),
        })
        .await
        .expect_err("deleted");
    assert_eq!(code(&gone), "StateMachineDoesNotExist");
    // Numbers are not given twice.
    let v3 = update(&engine, &arn, "three", true).await;
    assert_eq!(v3.state_machine_version_arn, Some(format!("{arn}:3")));
    let alias_arn = created.state_machine_alias_arn;
    let update_nothing = engine
        .update_state_machine_alias(UpdateStateMachineAliasInput {
            state_machine_alias_arn: alias_arn.clone(),
            ..Default::default()
        })
        .await
        .expect_err("nothing to update");
    assert_eq!(code(&update_nothing), "ValidationException");
    engine
        .delete_state_machine_alias(DeleteStateMachineAliasInput {
            state_machine_alias_arn: alias_arn.clone(),
        })
        .await
        .expect("deleted");
    let missing = engine
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: alias_arn.clone(),
        })
        .await
        .expect_err("deleted");
    assert_eq!(code(&missing), "ResourceNotFound");
    // Deleting it again succeeds, as on AWS; updating it does not.
    engine
        .delete_state_machine_alias(DeleteStateMachineAliasInput {
            state_machine_alias_arn: alias_arn.clone(),
        })
        .await
        .expect("nothing to delete");
    let update_missing = engine
        .update_state_machine_alias(UpdateStateMachineAliasInput {
            state_machine_alias_arn: alias_arn.clone(),
            description: Some("d".into()),
            ..Default::default()
        })
        .await
        .expect_err("deleted");
    assert_eq!(code(&update_missing), "ResourceNotFound");
    assert_eq!(
        update_missing.to_string(),
        "ResourceNotFound: Request references a resource that does not exist."
    );
    let not_alias = engine
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: v1.clone(),
        })
        .await
        .expect_err("a version's ARN");
    assert_eq!(code(&not_alias), "InvalidArn");
}

#[tokio::test]
async fn aliases_list_oldest_first_by_page_and_by_version() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    update(&engine, &arn, "two", true).await;
    let (v1, v2) = (format!("{arn}:1"), format!("{arn}:2"));
    for (name, version) in [("a", &v1), ("b", &v2), ("c", &v1)] {
        alias(&engine, name, &[(version, 100)])
            .await
            .expect("created");
    }
    let list = |arn: String, next_token: Option<String>| {
        let engine = engine.clone();
        async move {
            engine
                .list_state_machine_aliases(ListStateMachineAliasesInput {
                    state_machine_arn: arn,
                    max_results: 2,
                    next_token,
                })
                .await
        }
    };
    let first = list(arn.clone(), None).await.expect("listed");
    let names: Vec<_> = first
        .state_machine_aliases
        .iter()
        .map(|item| {
            item.state_machine_alias_arn
                .rsplit(':')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a", "b"]);
    let second = list(arn.clone(), first.next_token.clone())
        .await
        .expect("listed");
    assert_eq!(second.state_machine_aliases.len(), 1);
    assert_eq!(second.next_token, None);
    let of_v1 = list(v1.clone(), None).await.expect("listed");
    assert_eq!(of_v1.state_machine_aliases.len(), 2);
    // A token binds to what it lists.
    let elsewhere = list(v1.clone(), first.next_token.clone())
        .await
        .expect_err("another list's token");
    assert_eq!(code(&elsewhere), "InvalidToken");
    let versions_token = engine
        .list_state_machine_versions(ListStateMachineVersionsInput {
            state_machine_arn: arn.clone(),
            max_results: 1,
            next_token: first.next_token,
        })
        .await
        .expect_err("an alias list's token");
    assert_eq!(code(&versions_token), "InvalidToken");
}

#[tokio::test]
async fn deleting_the_machine_deletes_its_versions_and_aliases() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    alias(&engine, "live", &[(&format!("{arn}:1"), 100)])
        .await
        .expect("created");
    let refused = engine
        .delete_state_machine(DeleteStateMachineInput {
            state_machine_arn: format!("{arn}:1"),
        })
        .await
        .expect_err("a version's ARN");
    assert_eq!(code(&refused), "ValidationException");
    engine
        .delete_state_machine(DeleteStateMachineInput {
            state_machine_arn: arn.clone(),
        })
        .await
        .expect("deleted");
    machine(&engine, "m", false).await;
    let versions = engine
        .list_state_machine_versions(ListStateMachineVersionsInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .expect("listed");
    assert!(versions.state_machine_versions.is_empty());
    let aliases = engine
        .list_state_machine_aliases(ListStateMachineAliasesInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .expect("listed");
    assert!(aliases.state_machine_aliases.is_empty());
    let gone = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: format!("{arn}:live"),
            ..Default::default()
        })
        .await
        .expect_err("the alias went with its machine");
    assert_eq!(code(&gone), "StateMachineDoesNotExist");
}

#[tokio::test]
async fn ten_thousand_publishes_stop_at_the_quota_and_huge_descriptions_are_refused() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", false).await.state_machine_arn;
    let mut published = 0;
    let mut refused = 0;
    for round in 0..10_000 {
        engine
            .update_state_machine(UpdateStateMachineInput {
                state_machine_arn: arn.clone(),
                role_arn: Some(format!("arn:aws:iam::123456789012:role/r{round}")),
                ..Default::default()
            })
            .await
            .expect("updated");
        match engine
            .publish_state_machine_version(PublishStateMachineVersionInput {
                state_machine_arn: arn.clone(),
                ..Default::default()
            })
            .await
        {
            Ok(_) => published += 1,
            Err(error) => {
                assert_eq!(code(&error), "ServiceQuotaExceededException");
                refused += 1;
            }
        }
    }
    assert_eq!((published, refused), (MAX_VERSIONS, 10_000 - MAX_VERSIONS));
    // An update that would publish past the quota changes nothing.
    let error = engine
        .update_state_machine(UpdateStateMachineInput {
            state_machine_arn: arn.clone(),
            definition: Some(definition("past the quota")),
            publish: true,
            ..Default::default()
        })
        .await
        .expect_err("past the quota");
    assert_eq!(code(&error), "ServiceQuotaExceededException");
    let described = engine
        .describe_state_machine(DescribeStateMachineInput {
            state_machine_arn: arn.clone(),
        })
        .await
        .expect("described");
    assert_eq!(described.definition, definition("one"));
    // Deleting one makes room; its number is not given again.
    engine
        .delete_state_machine_version(DeleteStateMachineVersionInput {
            state_machine_version_arn: format!("{arn}:1"),
        })
        .await
        .expect("deleted");
    let next = engine
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .expect("room for one");
    assert_eq!(next.state_machine_version_arn, format!("{arn}:1001"));
    let huge = "d".repeat(2 * 1024 * 1024);
    update(&engine, &arn, "fresh", false).await;
    let error = engine
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            description: Some(huge.clone()),
            ..Default::default()
        })
        .await
        .expect_err("a huge description");
    assert_eq!(code(&error), "ValidationException");
    assert!(error.to_string().len() < 300, "{error}");
    // Nor is a machine created with one.
    let error = engine
        .create_state_machine(CreateStateMachineInput {
            name: "described".into(),
            definition: definition("one"),
            role_arn: ROLE.into(),
            publish: true,
            version_description: Some(huge.clone()),
            ..Default::default()
        })
        .await
        .expect_err("a huge description");
    assert_eq!(code(&error), "ValidationException");
    let listed = engine
        .list_state_machines(ListStateMachinesInput::default())
        .await
        .expect("listed");
    assert_eq!(listed.state_machines.len(), 1);
    let error = alias(&engine, "x", &[(&format!("{arn}:2"), 100)]).await;
    assert!(error.is_ok());
    let error = engine
        .update_state_machine_alias(UpdateStateMachineAliasInput {
            state_machine_alias_arn: format!("{arn}:x"),
            description: Some(huge),
            routing_configuration: None,
        })
        .await
        .expect_err("a huge description");
    assert_eq!(code(&error), "ValidationException");
    // A huge ARN is refused before anything is looked up.
    let error = engine
        .describe_state_machine_alias(DescribeStateMachineAliasInput {
            state_machine_alias_arn: format!("{arn}:{}", "a".repeat(1 << 20)),
        })
        .await
        .expect_err("a huge ARN");
    assert_eq!(code(&error), "InvalidArn");
    assert!(error.to_string().len() < 600, "{error}");
}

#[tokio::test]
async fn an_unchanged_update_publishes_the_version_published_on_creation() {
    // As AWS's recorded answers show: version 1, twice.
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    for _ in 0..2 {
        let updated = update(&engine, &arn, "one", true).await;
        assert_eq!(updated.state_machine_version_arn, Some(format!("{arn}:1")));
    }
    // Deleting the latest version and publishing again gives a new number.
    update(&engine, &arn, "two", true).await;
    engine
        .delete_state_machine_version(DeleteStateMachineVersionInput {
            state_machine_version_arn: format!("{arn}:2"),
        })
        .await
        .expect("deleted");
    let published = engine
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            ..Default::default()
        })
        .await
        .expect("published");
    assert_eq!(published.state_machine_version_arn, format!("{arn}:3"));
}

#[tokio::test]
async fn a_machine_keeps_at_most_a_hundred_aliases_and_long_values_are_cut() {
    let engine = LocalEngine::new();
    let arn = machine(&engine, "m", true).await.state_machine_arn;
    let v1 = format!("{arn}:1");
    for index in 0..MAX_ALIASES {
        alias(&engine, &format!("a{index}"), &[(&v1, 100)])
            .await
            .expect("created");
    }
    let error = alias(&engine, "one-more", &[(&v1, 100)])
        .await
        .expect_err("past the quota");
    assert_eq!(code(&error), "ServiceQuotaExceededException");
    // A huge revision id is cut in the message.
    let error = engine
        .publish_state_machine_version(PublishStateMachineVersionInput {
            state_machine_arn: arn.clone(),
            revision_id: Some("r".repeat(1 << 20)),
            description: None,
        })
        .await
        .expect_err("a stale revision");
    assert_eq!(code(&error), "ConflictException");
    assert!(error.to_string().len() < 400, "{error}");
}
