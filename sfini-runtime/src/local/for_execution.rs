//! `DescribeStateMachineForExecution` and `ValidateStateMachineDefinition`
//! on the local engine.
//!
//! Each revision of a state machine (its creation, then each update that
//! changes it) is kept as a `MachineAsRun`, shared by the machine and by
//! every execution started while it was current, so that an execution is
//! described with the definition and role it runs however the machine has
//! changed since, at the cost of one pointer an execution.

use std::sync::Arc;

use sfini_core::validate::DefinitionForm;
use time::OffsetDateTime;

use super::LocalEngine;
use crate::api::tags_and_validation::{MAX_DEFINITION_BYTES, validate_definition};
use crate::api::*;
use crate::workflow::fill_region_and_account;

/// A state machine as its executions started in one revision see it.
#[derive(Debug)]
pub(crate) struct MachineAsRun {
    /// The definition, with the region and account filled in.
    pub(crate) definition: String,
    /// The role executions run as.
    pub(crate) role_arn: Arc<str>,
    /// When the revision was made: the machine's creation, or the update.
    pub(crate) update_date: OffsetDateTime,
    /// The revision's id (none for the first, as on AWS).
    pub(crate) revision_id: Option<String>,
}

impl LocalEngine {
    /// `DescribeStateMachineForExecution`.
    pub(crate) fn describe_for_execution(
        &self,
        input: &DescribeStateMachineForExecutionInput,
    ) -> Result<DescribeStateMachineForExecutionOutput, SfnError> {
        let execution = self.shared.execution(&input.execution_arn)?;
        let as_run = &execution.as_run;
        Ok(DescribeStateMachineForExecutionOutput {
            state_machine_arn: execution.machine_arn.to_string(),
            name: execution.machine_name.to_string(),
            definition: as_run.definition.clone(),
            role_arn: as_run.role_arn.to_string(),
            update_date: as_run.update_date,
            // As DescribeStateMachine answers: the engine logs, traces and
            // encrypts nothing.
            logging_configuration: Some(LoggingConfiguration::default()),
            tracing_configuration: Some(TracingConfiguration::default()),
            map_run_arn: None,
            label: None,
            revision_id: as_run.revision_id.clone(),
            encryption_configuration: Some(EncryptionConfiguration::default()),
            variable_references: None,
        })
    }

    /// `ValidateStateMachineDefinition`: the definition checked as
    /// `CreateStateMachine` checks it (the region and account filled in,
    /// each Resource an ARN).
    pub(crate) fn validate(
        &self,
        input: &ValidateStateMachineDefinitionInput,
    ) -> Result<ValidateStateMachineDefinitionOutput, SfnError> {
        if input.definition.len() > MAX_DEFINITION_BYTES {
            return Err(SfnError::ValidationException(format!(
                "the definition has {} bytes; at most {MAX_DEFINITION_BYTES} are allowed",
                input.definition.len()
            )));
        }
        if !(0..=tags_and_validation::MAX_VALIDATION_RESULTS).contains(&input.max_results) {
            return Err(SfnError::ValidationException(format!(
                "maxResults is {}; it must be 0 to {}",
                input.max_results,
                tags_and_validation::MAX_VALIDATION_RESULTS
            )));
        }
        let definition =
            fill_region_and_account(&input.definition, &self.shared.region, &self.shared.account);
        let filled = ValidateStateMachineDefinitionInput {
            definition,
            ..input.clone()
        };
        Ok(validate_definition(&filled, DefinitionForm::Deployed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/run";

    fn waiting(result: &str) -> String {
        serde_json::json!({
            "StartAt": "w",
            "States": {
                "w": {"Type": "Wait", "Seconds": 3600, "Next": "p"},
                "p": {"Type": "Pass", "Result": result, "End": true}
            }
        })
        .to_string()
    }

    #[tokio::test(start_paused = true)]
    async fn an_execution_is_described_with_the_machine_it_started_with() {
        let engine = LocalEngine::new();
        let created = engine
            .create_state_machine(CreateStateMachineInput {
                name: "m".into(),
                definition: waiting("first"),
                role_arn: ROLE.into(),
                ..Default::default()
            })
            .await
            .expect("created");
        let arn = created.state_machine_arn;
        let start = |name: &str| StartExecutionInput {
            state_machine_arn: arn.clone(),
            name: Some(name.into()),
            ..Default::default()
        };
        let first = engine.start_execution(start("one")).await.expect("started");
        let updated = engine
            .update_state_machine(UpdateStateMachineInput {
                state_machine_arn: arn.clone(),
                definition: Some(waiting("second")),
                role_arn: Some("arn:aws:iam::123456789012:role/other".into()),
                ..Default::default()
            })
            .await
            .expect("updated");
        let second = engine.start_execution(start("two")).await.expect("started");
        let describe = |execution_arn: String| {
            engine.describe_state_machine_for_execution(DescribeStateMachineForExecutionInput {
                execution_arn,
            })
        };
        let one = describe(first.execution_arn).await.expect("described");
        assert_eq!(one.state_machine_arn, arn);
        assert_eq!(one.name, "m");
        assert_eq!(one.definition, waiting("first"));
        assert_eq!(one.role_arn, ROLE);
        assert_eq!(one.update_date, created.creation_date);
        assert_eq!(one.revision_id, None);
        assert_eq!(
            one.logging_configuration,
            Some(LoggingConfiguration::default())
        );
        assert_eq!(
            one.tracing_configuration,
            Some(TracingConfiguration::default())
        );
        let two = describe(second.execution_arn).await.expect("described");
        assert_eq!(two.definition, waiting("second"));
        assert_eq!(two.role_arn, "arn:aws:iam::123456789012:role/other");
        assert_eq!(two.update_date, updated.update_date);
        assert_eq!(two.revision_id, updated.revision_id);
        assert!(two.revision_id.is_some());
        let described = engine
            .describe_state_machine(DescribeStateMachineInput {
                state_machine_arn: arn.clone(),
            })
            .await
            .expect("described");
        assert_eq!(described.definition, two.definition);
    }

    #[tokio::test]
    async fn unknown_and_malformed_executions() {
        let engine = LocalEngine::new();
        let describe = |execution_arn: &str| {
            engine.describe_state_machine_for_execution(DescribeStateMachineForExecutionInput {
                execution_arn: execution_arn.into(),
            })
        };
        let error = describe("arn:aws:states:us-east-1:123456789012:execution:m:e")
            .await
            .expect_err("absent");
        assert_eq!(error.code(), "ExecutionDoesNotExist");
        let huge = "x".repeat(1 << 20);
        for bad in [
            "",
            "nope",
            "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            huge.as_str(),
        ] {
            let error = describe(bad).await.expect_err("malformed");
            assert_eq!(error.code(), "InvalidArn");
            assert!(error.message().len() < 600);
        }
    }

    fn validate(definition: &str) -> ValidateStateMachineDefinitionInput {
        ValidateStateMachineDefinitionInput {
            definition: definition.into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn definitions_are_validated_in_aws_shape() {
        let engine = LocalEngine::new();
        let ok = engine
            .validate_state_machine_definition(validate(
                r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#,
            ))
            .await
            .expect("validated");
        assert_eq!(ok.result, ValidationResultCode::Ok);
        assert!(ok.diagnostics.is_empty());
        assert_eq!(ok.truncated, Some(false));

        let bad = engine
            .validate_state_machine_definition(validate(
                r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "Next": "nowhere"}}}"#,
            ))
            .await
            .expect("validated");
        assert_eq!(bad.result, ValidationResultCode::Fail);
        let next = bad
            .diagnostics
            .iter()
            .find(|diagnostic| diagnostic.location.as_deref() == Some("/States/p/Next"))
            .expect("the transition is located as AWS locates it");
        assert_eq!(next.severity, ValidationSeverity::Error);

        let not_json = engine
            .validate_state_machine_definition(validate("not a definition"))
            .await
            .expect("validated");
        assert_eq!(not_json.result, ValidationResultCode::Fail);
        assert_eq!(not_json.diagnostics[0].code, "INVALID_JSON_DESCRIPTION");

        let empty = engine
            .validate_state_machine_definition(validate("{}"))
            .await
            .expect("validated");
        assert_eq!(empty.result, ValidationResultCode::Fail);
        assert!(
            empty
                .diagnostics
                .iter()
                .all(|diagnostic| diagnostic.code == "SCHEMA_VALIDATION_FAILED"
                    && diagnostic.location.as_deref() == Some("/")),
            "{empty:?}"
        );
    }

    #[tokio::test]
    async fn severity_max_results_and_type() {
        let engine = LocalEngine::new();
        // A Choice state without Default is a warning.
        let warned = r#"{"StartAt": "c", "States": {
            "c": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "d"}]},
            "d": {"Type": "Succeed"}}}"#;
        let errors_only = engine
            .validate_state_machine_definition(validate(warned))
            .await
            .expect("validated");
        assert_eq!(errors_only.result, ValidationResultCode::Ok);
        assert!(errors_only.diagnostics.is_empty());
        let with_warnings = engine
            .validate_state_machine_definition(ValidateStateMachineDefinitionInput {
                severity: Some(ValidationSeverity::Warning),
                ..validate(warned)
            })
            .await
            .expect("validated");
        assert_eq!(with_warnings.result, ValidationResultCode::Ok);
        assert!(
            with_warnings
                .diagnostics
                .iter()
                .any(
                    |diagnostic| diagnostic.severity == ValidationSeverity::Warning
                        && diagnostic.location.as_deref() == Some("/States/c")
                ),
            "{with_warnings:?}"
        );

        // 300 broken transitions: 100 answered at most, or fewer if asked.
        let states: serde_json::Map<String, serde_json::Value> = (0..300)
            .map(|n| {
                (
                    format!("s{n}"),
                    serde_json::json!({"Type": "Pass", "Next": format!("missing{n}")}),
                )
            })
            .collect();
        let many = serde_json::json!({"StartAt": "s0", "States": states}).to_string();
        let capped = engine
            .validate_state_machine_definition(validate(&many))
            .await
            .expect("validated");
        assert_eq!(capped.diagnostics.len(), 100);
        assert_eq!(capped.truncated, Some(true));
        let three = engine
            .validate_state_machine_definition(ValidateStateMachineDefinitionInput {
                max_results: 3,
                ..validate(&many)
            })
            .await
            .expect("validated");
        assert_eq!(three.diagnostics.len(), 3);
        assert_eq!(three.truncated, Some(true));
        for bad in [-1, 101, i32::MAX] {
            let error = engine
                .validate_state_machine_definition(ValidateStateMachineDefinitionInput {
                    max_results: bad,
                    ..validate(&many)
                })
                .await
                .expect_err("out of range");
            assert_eq!(error.code(), "ValidationException");
        }
        let huge = engine
            .validate_state_machine_definition(validate(&" ".repeat(MAX_DEFINITION_BYTES + 1)))
            .await
            .expect_err("too large");
        assert_eq!(huge.code(), "ValidationException");

        let callback = r#"{"StartAt": "t", "States": {"t": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": true}}}"#;
        let standard = engine
            .validate_state_machine_definition(validate(callback))
            .await
            .expect("validated");
        assert_eq!(standard.result, ValidationResultCode::Ok, "{standard:?}");
        let express = engine
            .validate_state_machine_definition(ValidateStateMachineDefinitionInput {
                state_machine_type: Some(StateMachineType::Express),
                ..validate(callback)
            })
            .await
            .expect("validated");
        assert_eq!(express.result, ValidationResultCode::Fail);
        assert_eq!(express.diagnostics[0].code, "SCHEMA_VALIDATION_FAILED");
        assert_eq!(
            express.diagnostics[0].location.as_deref(),
            Some("/States/t/Resource")
        );
    }
}
