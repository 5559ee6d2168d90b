//! The members of the version and alias operations
//! (`PublishStateMachineVersion`, `ListStateMachineVersions`,
//! `DeleteStateMachineVersion`, `CreateStateMachineAlias`,
//! `DescribeStateMachineAlias`, `UpdateStateMachineAlias`,
//! `DeleteStateMachineAlias`, `ListStateMachineAliases`), read and written
//! as the Step Functions API reference defines them.

use serde_json::Value;

use super::operation::max_results;
use super::read::{self, Length, Reader};
use super::write::Object;
use crate::api::*;

/// A version's or an alias's description: at most 256 characters.
pub(crate) const VERSION_DESCRIPTION: Length = Length::at_most(MAX_DESCRIPTION_CHARS);
/// A version's ARN as `DeleteStateMachineVersion` takes it: 1 to 2000
/// characters.
const LONG_ARN: Length = Length {
    min: Some(1),
    max: Some(2000),
};

/// `routingConfiguration`: one or two `{stateMachineVersionArn, weight}`.
fn routing_configuration(request: &mut Reader) -> Option<Vec<RoutingConfigurationListItem>> {
    request.object_list("routingConfiguration", 1, 2, |item, _| {
        RoutingConfigurationListItem {
            state_machine_version_arn: item.required_string("stateMachineVersionArn", read::ARN),
            weight: item
                .integer("weight", 0, 100)
                .and_then(|weight| i32::try_from(weight).ok())
                .unwrap_or(0),
        }
    })
}

fn write_routing(routing: Vec<RoutingConfigurationListItem>) -> impl Iterator<Item = Value> {
    routing.into_iter().map(|item| {
        Object::new()
            .string("stateMachineVersionArn", item.state_machine_version_arn)
            .value("weight", Value::from(item.weight))
            .build()
    })
}

pub(crate) fn read_publish_state_machine_version(
    request: &mut Reader,
) -> (PublishStateMachineVersionInput, ()) {
    let input = PublishStateMachineVersionInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        revision_id: request.string("revisionId", Length::at_most(usize::MAX)),
        description: request.string("description", VERSION_DESCRIPTION),
    };
    (input, ())
}

pub(crate) fn write_publish_state_machine_version(
    output: PublishStateMachineVersionOutput,
    (): (),
) -> Value {
    Object::new()
        .date("creationDate", output.creation_date)
        .string("stateMachineVersionArn", output.state_machine_version_arn)
        .build()
}

pub(crate) fn read_list_state_machine_versions(
    request: &mut Reader,
) -> (ListStateMachineVersionsInput, ()) {
    let input = ListStateMachineVersionsInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        next_token: request.string("nextToken", read::PAGE_TOKEN),
        max_results: max_results(request),
    };
    (input, ())
}

pub(crate) fn write_list_state_machine_versions(
    output: ListStateMachineVersionsOutput,
    (): (),
) -> Value {
    let items = output.state_machine_versions.into_iter().map(|item| {
        Object::new()
            .string("stateMachineVersionArn", item.state_machine_version_arn)
            .date("creationDate", item.creation_date)
            .build()
    });
    Object::new()
        .list("stateMachineVersions", items)
        .optional("nextToken", output.next_token)
        .build()
}

pub(crate) fn read_delete_state_machine_version(
    request: &mut Reader,
) -> (DeleteStateMachineVersionInput, ()) {
    let state_machine_version_arn = request.required_string("stateMachineVersionArn", LONG_ARN);
    (
        DeleteStateMachineVersionInput {
            state_machine_version_arn,
        },
        (),
    )
}

pub(crate) fn read_create_state_machine_alias(
    request: &mut Reader,
) -> (CreateStateMachineAliasInput, ()) {
    let input = CreateStateMachineAliasInput {
        description: request.string("description", VERSION_DESCRIPTION),
        name: request.required_string("name", read::NAME),
        routing_configuration: {
            let present = request.present("routingConfiguration");
            let routing = routing_configuration(request);
            if !present {
                request.missing("routingConfiguration");
            }
            routing.unwrap_or_default()
        },
    };
    (input, ())
}

pub(crate) fn write_create_state_machine_alias(
    output: CreateStateMachineAliasOutput,
    (): (),
) -> Value {
    Object::new()
        .string("stateMachineAliasArn", output.state_machine_alias_arn)
        .date("creationDate", output.creation_date)
        .build()
}

pub(crate) fn read_describe_state_machine_alias(
    request: &mut Reader,
) -> (DescribeStateMachineAliasInput, ()) {
    let state_machine_alias_arn = request.required_string("stateMachineAliasArn", read::ARN);
    (
        DescribeStateMachineAliasInput {
            state_machine_alias_arn,
        },
        (),
    )
}

pub(crate) fn write_describe_state_machine_alias(
    output: DescribeStateMachineAliasOutput,
    (): (),
) -> Value {
    Object::new()
        .string("stateMachineAliasArn", output.state_machine_alias_arn)
        .string("name", output.name)
        .optional("description", output.description)
        .list(
            "routingConfiguration",
            write_routing(output.routing_configuration),
        )
        .date("creationDate", output.creation_date)
        .optional_date("updateDate", output.update_date)
        .build()
}

pub(crate) fn read_update_state_machine_alias(
    request: &mut Reader,
) -> (UpdateStateMachineAliasInput, ()) {
    let input = UpdateStateMachineAliasInput {
        state_machine_alias_arn: request.required_string("stateMachineAliasArn", read::ARN),
        description: request.string("description", VERSION_DESCRIPTION),
        routing_configuration: routing_configuration(request),
    };
    (input, ())
}

pub(crate) fn write_update_state_machine_alias(
    output: UpdateStateMachineAliasOutput,
    (): (),
) -> Value {
    Object::new().date("updateDate", output.update_date).build()
}

pub(crate) fn read_delete_state_machine_alias(
    request: &mut Reader,
) -> (DeleteStateMachineAliasInput, ()) {
    let state_machine_alias_arn = request.required_string("stateMachineAliasArn", read::ARN);
    (
        DeleteStateMachineAliasInput {
            state_machine_alias_arn,
        },
        (),
    )
}

pub(crate) fn read_list_state_machine_aliases(
    request: &mut Reader,
) -> (ListStateMachineAliasesInput, ()) {
    let input = ListStateMachineAliasesInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        next_token: request.string("nextToken", read::PAGE_TOKEN),
        max_results: max_results(request),
    };
    (input, ())
}

pub(crate) fn write_list_state_machine_aliases(
    output: ListStateMachineAliasesOutput,
    (): (),
) -> Value {
    let items = output.state_machine_aliases.into_iter().map(|item| {
        Object::new()
            .string("stateMachineAliasArn", item.state_machine_alias_arn)
            .date("creationDate", item.creation_date)
            .build()
    });
    Object::new()
        .list("stateMachineAliases", items)
        .optional("nextToken", output.next_token)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Result<CreateStateMachineAliasInput, String> {
        let mut request = Reader::from_body(body.as_bytes()).expect("a JSON object");
        let (input, ()) = read_create_state_machine_alias(&mut request);
        request
            .finish("CreateStateMachineAlias")
            .map(|()| input)
            .map_err(|error| error.message)
    }

    #[test]
    fn routing_is_read_within_the_model_s_bounds() {
        let input = read(
            r#"{"name": "PROD", "routingConfiguration": [
                {"stateMachineVersionArn": "arn:aws:states:us-east-1:1:stateMachine:m:1", "weight": 100}
            ]}"#,
        )
        .expect("accepted");
        assert_eq!(input.routing_configuration[0].weight, 100);
        let missing = read(r#"{"name": "PROD"}"#).expect_err("routing is required");
        assert!(missing.contains("routingConfiguration"), "{missing}");
        let three = read(
            r#"{"name": "PROD", "routingConfiguration": [
                {"stateMachineVersionArn": "a", "weight": 1},
                {"stateMachineVersionArn": "b", "weight": 1},
                {"stateMachineVersionArn": "c", "weight": 98}
            ]}"#,
        )
        .expect_err("three versions");
        assert!(three.contains("between 1 and 2"), "{three}");
        let heavy = read(
            r#"{"name": "PROD", "routingConfiguration": [
                {"stateMachineVersionArn": "a", "weight": 101}
            ]}"#,
        )
        .expect_err("a weight above 100");
        assert!(heavy.contains("less than or equal to 100"), "{heavy}");
        let long = format!(
            r#"{{"name": "PROD", "description": "{}", "routingConfiguration": [
                {{"stateMachineVersionArn": "a", "weight": 100}}
            ]}}"#,
            "d".repeat(257)
        );
        let long = read(&long).expect_err("a long description");
        assert!(long.contains("'description'"), "{long}");
    }
}
