//! The version and alias calls through the SDK: members sent one to one,
//! answers read back. A `ResourceNotFound` keeps the `resourceName` the
//! service gives.

use aws_sdk_sfn::types as sdk;

use super::convert::{max_results, optional_timestamp, timestamp};
use super::error::from_sdk;
use crate::api::*;

/// The routing to send; an item the SDK cannot build (it cannot fail with
/// both members set) is a `ValidationException`.
fn sdk_routing(
    routing: Vec<RoutingConfigurationListItem>,
) -> Result<Vec<sdk::RoutingConfigurationListItem>, SfnError> {
    routing
        .into_iter()
        .map(|item| {
            sdk::RoutingConfigurationListItem::builder()
                .state_machine_version_arn(item.state_machine_version_arn)
                .weight(item.weight)
                .build()
                .map_err(|error| SfnError::ValidationException(error.to_string()))
        })
        .collect()
}

/// The routing the service answered.
fn read_routing(
    routing: Vec<sdk::RoutingConfigurationListItem>,
) -> Vec<RoutingConfigurationListItem> {
    routing
        .into_iter()
        .map(|item| RoutingConfigurationListItem {
            state_machine_version_arn: item.state_machine_version_arn,
            weight: item.weight,
        })
        .collect()
}

/// Calls `PublishStateMachineVersion`.
pub(super) async fn publish_state_machine_version(
    client: &aws_sdk_sfn::Client,
    input: PublishStateMachineVersionInput,
) -> Result<PublishStateMachineVersionOutput, SfnError> {
    let output = client
        .publish_state_machine_version()
        .state_machine_arn(input.state_machine_arn)
        .set_revision_id(input.revision_id)
        .set_description(input.description)
        .send()
        .await
        .map_err(|error| from_sdk("PublishStateMachineVersion", error))?;
    Ok(PublishStateMachineVersionOutput {
        creation_date: timestamp(&output.creation_date, "creationDate")?,
        state_machine_version_arn: output.state_machine_version_arn,
    })
}

/// Calls `ListStateMachineVersions`.
pub(super) async fn list_state_machine_versions(
    client: &aws_sdk_sfn::Client,
    input: ListStateMachineVersionsInput,
) -> Result<ListStateMachineVersionsOutput, SfnError> {
    let output = client
        .list_state_machine_versions()
        .state_machine_arn(input.state_machine_arn)
        .set_max_results(max_results(input.max_results))
        .set_next_token(input.next_token)
        .send()
        .await
        .map_err(|error| from_sdk("ListStateMachineVersions", error))?;
    let state_machine_versions = output
        .state_machine_versions
        .into_iter()
        .map(|item| {
            Ok(StateMachineVersionListItem {
                creation_date: timestamp(&item.creation_date, "creationDate")?,
                state_machine_version_arn: item.state_machine_version_arn,
            })
        })
        .collect::<Result<_, SfnError>>()?;
    Ok(ListStateMachineVersionsOutput {
        state_machine_versions,
        next_token: output.next_token,
    })
}

/// Calls `DeleteStateMachineVersion`.
pub(super) async fn delete_state_machine_version(
    client: &aws_sdk_sfn::Client,
    input: DeleteStateMachineVersionInput,
) -> Result<DeleteStateMachineVersionOutput, SfnError> {
    client
        .delete_state_machine_version()
        .state_machine_version_arn(input.state_machine_version_arn)
        .send()
        .await
        .map_err(|error| from_sdk("DeleteStateMachineVersion", error))?;
    Ok(DeleteStateMachineVersionOutput {})
}

/// Calls `CreateStateMachineAlias`.
pub(super) async fn create_state_machine_alias(
    client: &aws_sdk_sfn::Client,
    input: CreateStateMachineAliasInput,
) -> Result<CreateStateMachineAliasOutput, SfnError> {
    let output = client
        .create_state_machine_alias()
        .name(input.name)
        .set_description(input.description)
        .set_routing_configuration(Some(sdk_routing(input.routing_configuration)?))
        .send()
        .await
        .map_err(|error| from_sdk("CreateStateMachineAlias", error))?;
    Ok(CreateStateMachineAliasOutput {
        creation_date: timestamp(&output.creation_date, "creationDate")?,
        state_machine_alias_arn: output.state_machine_alias_arn,
    })
}

/// Calls `DescribeStateMachineAlias`.
pub(super) async fn describe_state_machine_alias(
    client: &aws_sdk_sfn::Client,
    input: DescribeStateMachineAliasInput,
) -> Result<DescribeStateMachineAliasOutput, SfnError> {
    let output = client
        .describe_state_machine_alias()
        .state_machine_alias_arn(&input.state_machine_alias_arn)
        .send()
        .await
        .map_err(|error| from_sdk("DescribeStateMachineAlias", error))?;
    Ok(DescribeStateMachineAliasOutput {
        state_machine_alias_arn: output
            .state_machine_alias_arn
            .unwrap_or(input.state_machine_alias_arn),
        name: output.name.unwrap_or_default(),
        description: output.description,
        routing_configuration: read_routing(output.routing_configuration.unwrap_or_default()),
        creation_date: optional_timestamp(output.creation_date.as_ref(), "creationDate")?
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        update_date: optional_timestamp(output.update_date.as_ref(), "updateDate")?,
    })
}

/// Calls `UpdateStateMachineAlias`.
pub(super) async fn update_state_machine_alias(
    client: &aws_sdk_sfn::Client,
    input: UpdateStateMachineAliasInput,
) -> Result<UpdateStateMachineAliasOutput, SfnError> {
    let routing = input.routing_configuration.map(sdk_routing).transpose()?;
    let output = client
        .update_state_machine_alias()
        .state_machine_alias_arn(input.state_machine_alias_arn)
        .set_description(input.description)
        .set_routing_configuration(routing)
        .send()
        .await
        .map_err(|error| from_sdk("UpdateStateMachineAlias", error))?;
    Ok(UpdateStateMachineAliasOutput {
        update_date: timestamp(&output.update_date, "updateDate")?,
    })
}

/// Calls `DeleteStateMachineAlias`.
pub(super) async fn delete_state_machine_alias(
    client: &aws_sdk_sfn::Client,
    input: DeleteStateMachineAliasInput,
) -> Result<DeleteStateMachineAliasOutput, SfnError> {
    client
        .delete_state_machine_alias()
        .state_machine_alias_arn(input.state_machine_alias_arn)
        .send()
        .await
        .map_err(|error| from_sdk("DeleteStateMachineAlias", error))?;
    Ok(DeleteStateMachineAliasOutput {})
}

/// Calls `ListStateMachineAliases`.
pub(super) async fn list_state_machine_aliases(
    client: &aws_sdk_sfn::Client,
    input: ListStateMachineAliasesInput,
) -> Result<ListStateMachineAliasesOutput, SfnError> {
    let output = client
        .list_state_machine_aliases()
        .state_machine_arn(input.state_machine_arn)
        .set_max_results(max_results(input.max_results))
        .set_next_token(input.next_token)
        .send()
        .await
        .map_err(|error| from_sdk("ListStateMachineAliases", error))?;
    let state_machine_aliases = output
        .state_machine_aliases
        .into_iter()
        .map(|item| {
            Ok(StateMachineAliasListItem {
                creation_date: timestamp(&item.creation_date, "creationDate")?,
                state_machine_alias_arn: item.state_machine_alias_arn,
            })
        })
        .collect::<Result<_, SfnError>>()?;
    Ok(ListStateMachineAliasesOutput {
        state_machine_aliases,
        next_token: output.next_token,
    })
}
