//! The tag calls, `DescribeStateMachineForExecution` and
//! `ValidateStateMachineDefinition` through the SDK: members sent one to
//! one, answers read back. `ResourceNotFound` and `TooManyTags` keep the
//! `resourceName` the service gives; a severity or result the service
//! answers that sfini does not know is
//! [`UNEXPECTED_RESPONSE`](super::UNEXPECTED_RESPONSE).

use aws_sdk_sfn::error::SdkError;
use aws_sdk_sfn::types as sdk;

use super::convert::{sdk_state_machine_type, sdk_tags, timestamp, unexpected};
use super::error::from_sdk;
use crate::api::*;

/// The error of a tag call, with the `resourceName` the service gave.
fn tag_error<E>(operation: &str, error: SdkError<E>, resource_name: Option<String>) -> SfnError
where
    E: aws_sdk_sfn::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match from_sdk(operation, error) {
        SfnError::ResourceNotFound { message, .. } => SfnError::ResourceNotFound {
            message,
            resource_name,
        },
        SfnError::TooManyTags { message, .. } => SfnError::TooManyTags {
            message,
            resource_name,
        },
        other => other,
    }
}

/// Calls `ListTagsForResource`.
pub(super) async fn list_tags_for_resource(
    client: &aws_sdk_sfn::Client,
    input: ListTagsForResourceInput,
) -> Result<ListTagsForResourceOutput, SfnError> {
    use aws_sdk_sfn::operation::list_tags_for_resource::ListTagsForResourceError as E;
    let output = client
        .list_tags_for_resource()
        .resource_arn(input.resource_arn)
        .send()
        .await
        .map_err(|error| {
            let name = match error.as_service_error() {
                Some(E::ResourceNotFound(found)) => found.resource_name().map(str::to_string),
                _ => None,
            };
            tag_error("ListTagsForResource", error, name)
        })?;
    Ok(ListTagsForResourceOutput {
        tags: read_tags(output.tags.unwrap_or_default()),
    })
}

/// Tags as the service answered them (a missing key or value read as empty).
pub(super) fn read_tags(tags: Vec<sdk::Tag>) -> Vec<Tag> {
    tags.into_iter()
        .map(|tag| Tag {
            key: tag.key.unwrap_or_default(),
            value: tag.value.unwrap_or_default(),
        })
        .collect()
}

/// Calls `TagResource`: the list is sent even when empty, since the member
/// is required.
pub(super) async fn tag_resource(
    client: &aws_sdk_sfn::Client,
    input: TagResourceInput,
) -> Result<TagResourceOutput, SfnError> {
    use aws_sdk_sfn::operation::tag_resource::TagResourceError as E;
    client
        .tag_resource()
        .resource_arn(input.resource_arn)
        .set_tags(Some(sdk_tags(input.tags).unwrap_or_default()))
        .send()
        .await
        .map_err(|error| {
            let name = match error.as_service_error() {
                Some(E::ResourceNotFound(found)) => found.resource_name().map(str::to_string),
                Some(E::TooManyTags(many)) => many.resource_name().map(str::to_string),
                _ => None,
            };
            tag_error("TagResource", error, name)
        })?;
    Ok(TagResourceOutput {})
}

/// Calls `UntagResource`.
pub(super) async fn untag_resource(
    client: &aws_sdk_sfn::Client,
    input: UntagResourceInput,
) -> Result<UntagResourceOutput, SfnError> {
    use aws_sdk_sfn::operation::untag_resource::UntagResourceError as E;
    client
        .untag_resource()
        .resource_arn(input.resource_arn)
        .set_tag_keys(Some(input.tag_keys))
        .send()
        .await
        .map_err(|error| {
            let name = match error.as_service_error() {
                Some(E::ResourceNotFound(found)) => found.resource_name().map(str::to_string),
                _ => None,
            };
            tag_error("UntagResource", error, name)
        })?;
    Ok(UntagResourceOutput {})
}

/// Calls `DescribeStateMachineForExecution`.
pub(super) async fn describe_state_machine_for_execution(
    client: &aws_sdk_sfn::Client,
    input: DescribeStateMachineForExecutionInput,
) -> Result<DescribeStateMachineForExecutionOutput, SfnError> {
    let output = client
        .describe_state_machine_for_execution()
        .execution_arn(input.execution_arn)
        .send()
        .await
        .map_err(|error| from_sdk("DescribeStateMachineForExecution", error))?;
    Ok(DescribeStateMachineForExecutionOutput {
        update_date: timestamp(output.update_date(), "updateDate")?,
        state_machine_arn: output.state_machine_arn,
        name: output.name,
        definition: output.definition,
        role_arn: output.role_arn,
        logging_configuration: output
            .logging_configuration
            .map(|logging| LoggingConfiguration {
                level: logging
                    .level
                    .as_ref()
                    .and_then(|level| LogLevel::from_name(level.as_str()))
                    .unwrap_or(LogLevel::Off),
                include_execution_data: logging.include_execution_data,
                destinations: logging
                    .destinations
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|destination| destination.cloud_watch_logs_log_group?.log_group_arn)
                    .collect(),
            }),
        tracing_configuration: output
            .tracing_configuration
            .map(|tracing| TracingConfiguration {
                enabled: tracing.enabled,
            }),
        map_run_arn: output.map_run_arn,
        label: output.label,
        revision_id: output.revision_id,
        encryption_configuration: output.encryption_configuration.and_then(|encryption| {
            Some(EncryptionConfiguration {
                encryption_type: EncryptionType::from_name(encryption.r#type.as_str())?,
                kms_key_id: encryption.kms_key_id,
                kms_data_key_reuse_period_seconds: encryption.kms_data_key_reuse_period_seconds,
            })
        }),
        variable_references: output.variable_references.map(|references| {
            let mut references: Vec<(String, Vec<String>)> = references.into_iter().collect();
            references.sort();
            references
        }),
    })
}

/// Calls `ValidateStateMachineDefinition` (`maxResults` 0 not sent, leaving
/// the service's default).
pub(super) async fn validate_state_machine_definition(
    client: &aws_sdk_sfn::Client,
    input: ValidateStateMachineDefinitionInput,
) -> Result<ValidateStateMachineDefinitionOutput, SfnError> {
    let output =
        client
            .validate_state_machine_definition()
            .definition(input.definition)
            .set_type(input.state_machine_type.map(sdk_state_machine_type))
            .set_severity(input.severity.map(|severity| {
                sdk::ValidateStateMachineDefinitionSeverity::from(severity.as_str())
            }))
            .set_max_results((input.max_results != 0).then_some(input.max_results))
            .send()
            .await
            .map_err(|error| from_sdk("ValidateStateMachineDefinition", error))?;
    read_validation(output)
}

/// A `ValidateStateMachineDefinition` answer in sfini's types.
fn read_validation(
    output: aws_sdk_sfn::operation::validate_state_machine_definition::ValidateStateMachineDefinitionOutput,
) -> Result<ValidateStateMachineDefinitionOutput, SfnError> {
    let result = ValidationResultCode::from_name(output.result.as_str()).ok_or_else(|| {
        unexpected(format!(
            "ValidateStateMachineDefinition answered the result `{}`, which sfini does not know",
            output.result.as_str()
        ))
    })?;
    let diagnostics = output
        .diagnostics
        .into_iter()
        .map(|diagnostic| {
            let severity =
                ValidationSeverity::from_name(diagnostic.severity.as_str()).ok_or_else(|| {
                    unexpected(format!(
                        "ValidateStateMachineDefinition answered the severity `{}`, which sfini \
                         does not know",
                        diagnostic.severity.as_str()
                    ))
                })?;
            Ok(ValidationDiagnostic {
                severity,
                code: diagnostic.code,
                message: diagnostic.message,
                location: diagnostic.location,
            })
        })
        .collect::<Result<Vec<_>, SfnError>>()?;
    Ok(ValidateStateMachineDefinitionOutput {
        result,
        diagnostics,
        truncated: output.truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_answers_are_read_and_unknown_keywords_refused() {
        let diagnostic = sdk::ValidateStateMachineDefinitionDiagnostic::builder()
            .severity(sdk::ValidateStateMachineDefinitionSeverity::Error)
            .code("SCHEMA_VALIDATION_FAILED")
            .message("These fields are required: [StartAt]")
            .location("/")
            .build()
            .expect("complete");
        let output = aws_sdk_sfn::operation::validate_state_machine_definition::ValidateStateMachineDefinitionOutput::builder()
            .result(sdk::ValidateStateMachineDefinitionResultCode::Fail)
            .diagnostics(diagnostic)
            .truncated(false)
            .build()
            .expect("complete");
        let read = read_validation(output).expect("read");
        assert_eq!(read.result, ValidationResultCode::Fail);
        assert_eq!(read.truncated, Some(false));
        assert_eq!(
            read.diagnostics,
            vec![ValidationDiagnostic {
                severity: ValidationSeverity::Error,
                code: "SCHEMA_VALIDATION_FAILED".into(),
                message: "These fields are required: [StartAt]".into(),
                location: Some("/".into()),
            }]
        );
        let odd = aws_sdk_sfn::operation::validate_state_machine_definition::ValidateStateMachineDefinitionOutput::builder()
            .result(sdk::ValidateStateMachineDefinitionResultCode::from("MAYBE"))
            .set_diagnostics(Some(Vec::new()))
            .build()
            .expect("complete");
        assert_eq!(
            read_validation(odd).expect_err("unknown").code(),
            super::super::UNEXPECTED_RESPONSE
        );
        assert_eq!(
            read_tags(vec![sdk::Tag::builder().key("k").build()]),
            vec![Tag {
                key: "k".into(),
                value: String::new()
            }]
        );
    }
}
