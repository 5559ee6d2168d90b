//! The members of `ListTagsForResource`, `TagResource`, `UntagResource`,
//! `DescribeStateMachineForExecution` and `ValidateStateMachineDefinition`,
//! read and written as the Step Functions API reference defines them.

use serde_json::Value;

use super::read::{self, Reader};
use super::write::Object;
use crate::api::tags_and_validation::{MAX_VALIDATION_RESULTS, validation_json};
use crate::api::*;

/// Reads a `ListTagsForResource` request.
pub(crate) fn read_list_tags_for_resource(request: &mut Reader) -> (ListTagsForResourceInput, ()) {
    let resource_arn = request.required_string("resourceArn", read::ARN);
    (ListTagsForResourceInput { resource_arn }, ())
}

/// Writes a `ListTagsForResource` answer: `tags`, each `{"key", "value"}`.
pub(crate) fn write_list_tags_for_resource(output: ListTagsForResourceOutput, (): ()) -> Value {
    let tags = output.tags.into_iter().map(|tag| {
        Object::new()
            .string("key", tag.key)
            .string("value", tag.value)
            .build()
    });
    Object::new().list("tags", tags).build()
}

/// Reads a `TagResource` request.
pub(crate) fn read_tag_resource(request: &mut Reader) -> (TagResourceInput, ()) {
    let input = TagResourceInput {
        resource_arn: request.required_string("resourceArn", read::ARN),
        tags: request.required_tags(),
    };
    (input, ())
}

/// Reads an `UntagResource` request.
pub(crate) fn read_untag_resource(request: &mut Reader) -> (UntagResourceInput, ()) {
    let input = UntagResourceInput {
        resource_arn: request.required_string("resourceArn", read::ARN),
        tag_keys: request.required_string_list("tagKeys", read::TAG_KEY),
    };
    (input, ())
}

/// Reads a `DescribeStateMachineForExecution` request.
pub(crate) fn read_describe_state_machine_for_execution(
    request: &mut Reader,
) -> (DescribeStateMachineForExecutionInput, bool) {
    let execution_arn = request.required_string("executionArn", read::ARN);
    let metadata_only = request
        .keyword(
            "includedData",
            &["ALL_DATA", "METADATA_ONLY"],
            |text| match text {
                "ALL_DATA" => Some(false),
                "METADATA_ONLY" => Some(true),
                _ => None,
            },
        )
        .unwrap_or(false);
    (
        DescribeStateMachineForExecutionInput { execution_arn },
        metadata_only,
    )
}

/// Writes a `DescribeStateMachineForExecution` answer; `definition` is `{}`
/// when only metadata was asked for, as for `DescribeStateMachine`.
pub(crate) fn write_describe_state_machine_for_execution(
    output: DescribeStateMachineForExecutionOutput,
    metadata_only: bool,
) -> Value {
    let definition = if metadata_only {
        "{}".to_string()
    } else {
        output.definition
    };
    let mut object = Object::new()
        .string("stateMachineArn", output.state_machine_arn)
        .string("name", output.name)
        .string("definition", definition)
        .string("roleArn", output.role_arn)
        .date("updateDate", output.update_date);
    if let Some(logging) = output.logging_configuration {
        let mut logging_object = Object::new().string("level", logging.level.as_str()).value(
            "includeExecutionData",
            Value::Bool(logging.include_execution_data),
        );
        if !logging.destinations.is_empty() {
            logging_object = logging_object.list(
                "destinations",
                logging.destinations.into_iter().map(|arn| {
                    Object::new()
                        .value(
                            "cloudWatchLogsLogGroup",
                            Object::new().string("logGroupArn", arn).build(),
                        )
                        .build()
                }),
            );
        }
        object = object.value("loggingConfiguration", logging_object.build());
    }
    if let Some(tracing) = output.tracing_configuration {
        object = object.value(
            "tracingConfiguration",
            Object::new()
                .value("enabled", Value::Bool(tracing.enabled))
                .build(),
        );
    }
    object = object
        .optional("mapRunArn", output.map_run_arn)
        .optional("label", output.label)
        .optional("revisionId", output.revision_id);
    if let Some(encryption) = output.encryption_configuration {
        let mut encryption_object = Object::new()
            .string("type", encryption.encryption_type.as_str())
            .optional("kmsKeyId", encryption.kms_key_id);
        if let Some(seconds) = encryption.kms_data_key_reuse_period_seconds {
            encryption_object =
                encryption_object.value("kmsDataKeyReusePeriodSeconds", Value::from(seconds));
        }
        object = object.value("encryptionConfiguration", encryption_object.build());
    }
    if let Some(references) = output.variable_references {
        let references = references
            .into_iter()
            .map(|(state, names)| {
                (
                    state,
                    Value::Array(names.into_iter().map(Value::String).collect()),
                )
            })
            .collect();
        object = object.value("variableReferences", Value::Object(references));
    }
    object.build()
}

/// Reads a `ValidateStateMachineDefinition` request.
pub(crate) fn read_validate_state_machine_definition(
    request: &mut Reader,
) -> (ValidateStateMachineDefinitionInput, ()) {
    let input = ValidateStateMachineDefinitionInput {
        definition: request.required_string("definition", read::DEFINITION),
        state_machine_type: request.keyword(
            "type",
            &["STANDARD", "EXPRESS"],
            StateMachineType::from_name,
        ),
        severity: request.keyword(
            "severity",
            &["ERROR", "WARNING"],
            ValidationSeverity::from_name,
        ),
        max_results: request
            .integer("maxResults", 0, i64::from(MAX_VALIDATION_RESULTS))
            .and_then(|count| i32::try_from(count).ok())
            .unwrap_or(0),
    };
    (input, ())
}

/// Writes a `ValidateStateMachineDefinition` answer.
pub(crate) fn write_validate_state_machine_definition(
    output: ValidateStateMachineDefinitionOutput,
    (): (),
) -> Value {
    validation_json(&output)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::error::ApiError;
    use super::*;

    #[test]
    fn tag_errors_carry_their_resource_name() {
        let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
        let error = ApiError::from_engine(&SfnError::TooManyTags {
            message: "too many".into(),
            resource_name: Some(arn.into()),
        });
        assert_eq!(
            error.body(),
            json!({
                "__type": "com.amazonaws.swf.service.v2.model#TooManyTags",
                "message": "too many",
                "resourceName": arn
            })
        );
        let plain = ApiError::from_engine(&SfnError::InvalidArn("bad".into()));
        assert!(plain.body().get("resourceName").is_none());
    }

    #[test]
    fn requests_are_read_with_their_constraints() {
        let mut request =
            Reader::from_body(br#"{"resourceArn": "arn", "tagKeys": ["a", "", 7]}"#).unwrap();
        let (input, ()) = read_untag_resource(&mut request);
        assert_eq!(input.tag_keys, ["a", ""]);
        let error = request.finish("UntagResource").expect_err("bad keys");
        assert!(
            error.message.contains("'tagKeys.2.member'"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("'tagKeys.3.member'"),
            "{}",
            error.message
        );

        let mut request = Reader::from_body(br#"{"resourceArn": "arn"}"#).unwrap();
        let _ = read_tag_resource(&mut request);
        let error = request.finish("TagResource").expect_err("no tags");
        assert!(
            error.message.contains("Value null at 'tags'"),
            "{}",
            error.message
        );

        let mut request = Reader::from_body(
            br#"{"definition": "{}", "type": "EXPRESS", "severity": "WARNING", "maxResults": 7}"#,
        )
        .unwrap();
        let (input, ()) = read_validate_state_machine_definition(&mut request);
        request.finish("ValidateStateMachineDefinition").unwrap();
        assert_eq!(input.state_machine_type, Some(StateMachineType::Express));
        assert_eq!(input.severity, Some(ValidationSeverity::Warning));
        assert_eq!(input.max_results, 7);
        let mut request =
            Reader::from_body(br#"{"definition": "{}", "severity": "INFO", "maxResults": 101}"#)
                .unwrap();
        let _ = read_validate_state_machine_definition(&mut request);
        let error = request
            .finish("ValidateStateMachineDefinition")
            .expect_err("bad members");
        assert!(
            error.message.starts_with("2 validation errors"),
            "{}",
            error.message
        );
    }
}
