//! Requests and responses of the tag calls (`TagResource`, `UntagResource`,
//! `ListTagsForResource`), of `DescribeStateMachineForExecution` and of
//! `ValidateStateMachineDefinition`, shaped as the AWS API reference
//! defines them; and [`validate_definition`], which answers
//! `ValidateStateMachineDefinition` from sfini-core's validator, for the
//! local engine and for `sfini validate --json` alike.

use sfini_core::location::Segment;
use sfini_core::validate::{DefinitionForm, check_json_as};
use sfini_core::{Code, Diagnostic, Diagnostics, Location, Severity};
use time::OffsetDateTime;

use super::types::{
    EncryptionConfiguration, LoggingConfiguration, StateMachineType, Tag, TracingConfiguration,
};

/// The most tags a state machine or an activity holds (AWS's quota).
pub const MAX_TAGS_PER_RESOURCE: usize = 50;
/// The longest tag key, in characters (`TagKey`: 1 to 128).
pub const MAX_TAG_KEY_LENGTH: usize = 128;
/// The longest tag value, in characters (`TagValue`: 0 to 256).
pub const MAX_TAG_VALUE_LENGTH: usize = 256;
/// The most diagnostics one `ValidateStateMachineDefinition` answer holds,
/// and the default (`maxResults` 0).
pub const MAX_VALIDATION_RESULTS: i32 = 100;
/// The longest definition `ValidateStateMachineDefinition` takes, in bytes.
pub const MAX_DEFINITION_BYTES: usize = 1_048_576;

/// `ListTagsForResource`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListTagsForResourceInput {
    /// The state machine's or activity's ARN.
    pub resource_arn: String,
}

/// The answer to `ListTagsForResource`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListTagsForResourceOutput {
    /// The resource's tags.
    pub tags: Vec<Tag>,
}

/// `TagResource`: adds tags, or gives keys it names new values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagResourceInput {
    /// The state machine's or activity's ARN.
    pub resource_arn: String,
    /// The tags to add.
    pub tags: Vec<Tag>,
}

/// The answer to `TagResource` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagResourceOutput {}

/// `UntagResource`: removes the tags of the keys given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UntagResourceInput {
    /// The state machine's or activity's ARN.
    pub resource_arn: String,
    /// The keys of the tags to remove (a key the resource lacks is no
    /// error).
    pub tag_keys: Vec<String>,
}

/// The answer to `UntagResource` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UntagResourceOutput {}

/// `DescribeStateMachineForExecution`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeStateMachineForExecutionInput {
    /// The execution's ARN.
    pub execution_arn: String,
}

/// The answer to `DescribeStateMachineForExecution`: the state machine as
/// it was when the execution started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeStateMachineForExecutionOutput {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// The definition the execution runs.
    pub definition: String,
    /// The role the execution runs as.
    pub role_arn: String,
    /// When the machine was last updated before the execution started (its
    /// creation date when it had not been).
    pub update_date: OffsetDateTime,
    /// What it logs.
    pub logging_configuration: Option<LoggingConfiguration>,
    /// Whether X-Ray traces it.
    pub tracing_configuration: Option<TracingConfiguration>,
    /// The Map Run that started the execution, for a Distributed Map's
    /// child.
    pub map_run_arn: Option<String>,
    /// The label of that Map state.
    pub label: Option<String>,
    /// The machine's revision the execution runs (none before its first
    /// update).
    pub revision_id: Option<String>,
    /// The key its data is encrypted with.
    pub encryption_configuration: Option<EncryptionConfiguration>,
    /// The workflow variables each state reads, by state name, when known.
    pub variable_references: Option<Vec<(String, Vec<String>)>>,
}

/// How serious a diagnostic of `ValidateStateMachineDefinition` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValidationSeverity {
    /// The definition cannot be used to create or update a state machine.
    Error,
    /// The definition is accepted, but probably not what was meant.
    Warning,
}

impl ValidationSeverity {
    /// The name as the API writes it: `ERROR` or `WARNING`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationSeverity::Error => "ERROR",
            ValidationSeverity::Warning => "WARNING",
        }
    }

    /// The value the API writes as `text`.
    pub fn from_name(text: &str) -> Option<ValidationSeverity> {
        match text {
            "ERROR" => Some(ValidationSeverity::Error),
            "WARNING" => Some(ValidationSeverity::Warning),
            _ => None,
        }
    }
}

/// The verdict of `ValidateStateMachineDefinition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValidationResultCode {
    /// No error (warnings may remain).
    Ok,
    /// At least one error.
    Fail,
}

impl ValidationResultCode {
    /// The name as the API writes it: `OK` or `FAIL`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationResultCode::Ok => "OK",
            ValidationResultCode::Fail => "FAIL",
        }
    }

    /// The value the API writes as `text`.
    pub fn from_name(text: &str) -> Option<ValidationResultCode> {
        match text {
            "OK" => Some(ValidationResultCode::Ok),
            "FAIL" => Some(ValidationResultCode::Fail),
            _ => None,
        }
    }
}

/// `ValidateStateMachineDefinition`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidateStateMachineDefinitionInput {
    /// The definition, as JSON text.
    pub definition: String,
    /// The kind of machine it is meant for (Standard when absent).
    pub state_machine_type: Option<StateMachineType>,
    /// The least serious diagnostics answered: `ERROR` (the default) only
    /// errors, `WARNING` both.
    pub severity: Option<ValidationSeverity>,
    /// The most diagnostics answered (0 for the default and most, 100).
    pub max_results: i32,
}

/// One problem `ValidateStateMachineDefinition` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationDiagnostic {
    /// Error or warning.
    pub severity: ValidationSeverity,
    /// AWS's code where it has one for the problem (such as
    /// `SCHEMA_VALIDATION_FAILED`), else sfini's (such as
    /// `unreachable-state`): see [`aws_code`].
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Where, as AWS writes it (`/States/MyState/Next`), when known.
    pub location: Option<String>,
}

/// The answer to `ValidateStateMachineDefinition`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidateStateMachineDefinitionOutput {
    /// `FAIL` when the definition has an error, else `OK`.
    pub result: ValidationResultCode,
    /// The diagnostics of the severity asked for, at most `max_results`.
    pub diagnostics: Vec<ValidationDiagnostic>,
    /// Whether more diagnostics were found than answered.
    pub truncated: Option<bool>,
}

/// AWS's diagnostic code for a problem sfini reports with `code`, where
/// AWS documents one (`INVALID_JSON_DESCRIPTION`, `SCHEMA_VALIDATION_FAILED`,
/// `MISSING_END_STATE`, `DUPLICATE_STATE_NAME`, `INVALID_STATE_NAME`);
/// otherwise sfini's own code, such as `unreachable-state`.
pub fn aws_code(code: Code) -> &'static str {
    match code {
        Code::Syntax => "INVALID_JSON_DESCRIPTION",
        Code::NoTerminalState => "MISSING_END_STATE",
        Code::DuplicateStateName => "DUPLICATE_STATE_NAME",
        Code::InvalidStateName => "INVALID_STATE_NAME",
        Code::WrongType
        | Code::MissingField
        | Code::UnknownField
        | Code::Conflict
        | Code::UnknownStateType
        | Code::InvalidValue
        | Code::WrongQueryLanguage => "SCHEMA_VALIDATION_FAILED",
        Code::NoDollar => "NO_DOLLAR",
        Code::NoPath => "NO_PATH",
        Code::PassResultIsStatic => "PASS_RESULT_IS_STATIC",
        other => other.as_str(),
    }
}

/// A location as AWS writes it in diagnostics: `/` for the top, else each
/// field and index after a `/` (`/States/MyState/Next`,
/// `/States/Pick/Choices/0/Next`).
pub fn aws_location(location: &Location) -> String {
    if location.is_root() {
        return "/".to_string();
    }
    let mut text = String::new();
    for segment in location.segments() {
        text.push('/');
        match segment {
            Segment::Field(name) => text.push_str(name),
            Segment::Index(index) => text.push_str(&index.to_string()),
        }
    }
    text
}

/// A diagnostic of sfini's validator in AWS's shape.
pub fn aws_diagnostic(diagnostic: &Diagnostic) -> ValidationDiagnostic {
    ValidationDiagnostic {
        severity: match diagnostic.severity {
            Severity::Error => ValidationSeverity::Error,
            Severity::Warning => ValidationSeverity::Warning,
        },
        code: aws_code(diagnostic.code).to_string(),
        message: diagnostic.message.clone(),
        // A syntax error's place is a line and column in its message; a
        // missing field is placed, as AWS places it, at the object that
        // lacks it.
        location: match diagnostic.code {
            Code::Syntax => None,
            Code::MissingField => {
                let segments = diagnostic.location.segments();
                let parent: Location = segments[..segments.len().saturating_sub(1)]
                    .iter()
                    .cloned()
                    .collect();
                Some(aws_location(&parent))
            }
            _ => Some(aws_location(&diagnostic.location)),
        },
    }
}

/// The answer to `ValidateStateMachineDefinition` for `diagnostics`:
/// `FAIL` when one is an error, the diagnostics of `severity` (errors only
/// by default, errors and warnings for `WARNING`), errors first, at most
/// `max_results` of them (0 for [`MAX_VALIDATION_RESULTS`]), `truncated`
/// when some were left out.
pub fn validation_output(
    diagnostics: &Diagnostics,
    severity: Option<ValidationSeverity>,
    max_results: i32,
) -> ValidateStateMachineDefinitionOutput {
    answer(diagnostics, Vec::new(), severity, max_results)
}

/// [`validation_output`] with errors of AWS's own besides sfini's.
fn answer(
    diagnostics: &Diagnostics,
    more_errors: Vec<ValidationDiagnostic>,
    severity: Option<ValidationSeverity>,
    max_results: i32,
) -> ValidateStateMachineDefinitionOutput {
    let limit = match usize::try_from(max_results) {
        Ok(0) | Err(_) => MAX_VALIDATION_RESULTS as usize,
        Ok(limit) => limit.min(MAX_VALIDATION_RESULTS as usize),
    };
    let with_warnings = severity == Some(ValidationSeverity::Warning);
    let failed = !diagnostics.is_valid() || !more_errors.is_empty();
    let chosen = diagnostics
        .errors()
        .map(aws_diagnostic)
        .chain(more_errors)
        .chain(
            diagnostics
                .warnings()
                .filter(|_| with_warnings)
                .map(aws_diagnostic),
        );
    let mut answered = Vec::new();
    let mut truncated = false;
    for diagnostic in chosen {
        if answered.len() == limit {
            truncated = true;
            break;
        }
        answered.push(diagnostic);
    }
    ValidateStateMachineDefinitionOutput {
        result: if failed {
            ValidationResultCode::Fail
        } else {
            ValidationResultCode::Ok
        },
        diagnostics: answered,
        truncated: Some(truncated),
    }
}

/// Validates a definition as `ValidateStateMachineDefinition` does, with
/// sfini-core's validator in `form`: every problem of the language, and
/// for an Express machine the integration patterns it cannot run
/// (`.sync` and `.waitForTaskToken` resources, `SCHEMA_VALIDATION_FAILED`
/// at their `Resource`). A definition that is empty or only whitespace is
/// refused as not a JSON object.
pub fn validate_definition(
    input: &ValidateStateMachineDefinitionInput,
    form: DefinitionForm,
) -> ValidateStateMachineDefinitionOutput {
    if input.definition.trim().is_empty() {
        let empty = ValidationDiagnostic {
            severity: ValidationSeverity::Error,
            code: "SCHEMA_VALIDATION_FAILED".to_string(),
            message: "the definition is empty; give a JSON object with `StartAt` and `States`"
                .to_string(),
            location: None,
        };
        return answer(
            &Diagnostics::new(),
            vec![empty],
            input.severity,
            input.max_results,
        );
    }
    let checked = check_json_as(&input.definition, form);
    let express = if input.state_machine_type == Some(StateMachineType::Express)
        && checked.machine.is_some()
    {
        express_patterns(&input.definition)
    } else {
        Vec::new()
    };
    answer(
        &checked.diagnostics,
        express,
        input.severity,
        input.max_results,
    )
}

/// The Task resources an Express machine cannot run: `.sync` (a job run to
/// its end) and `.waitForTaskToken` (a callback), each an error at its
/// `Resource`.
pub(crate) fn express_patterns(definition: &str) -> Vec<ValidationDiagnostic> {
    let mut found = Vec::new();
    // The text was read once already, within sfini's depth limit.
    let Ok(value) = serde_json::from_str::<serde_json::Value>(definition) else {
        return found;
    };
    let mut stack = vec![(&value, Location::root())];
    while let Some((scope, at)) = stack.pop() {
        let Some(states) = scope.get("States").and_then(serde_json::Value::as_object) else {
            continue;
        };
        let states_at = at.field("States");
        for (name, state) in states {
            let state_at = states_at.field(name.clone());
            if let Some(resource) = state.get("Resource").and_then(serde_json::Value::as_str) {
                let pattern = [".waitForTaskToken", ".sync:2", ".sync"]
                    .into_iter()
                    .find(|suffix| resource.ends_with(suffix));
                if let Some(pattern) = pattern {
                    found.push(ValidationDiagnostic {
                        severity: ValidationSeverity::Error,
                        code: "SCHEMA_VALIDATION_FAILED".to_string(),
                        message: format!(
                            "an Express state machine cannot run the `{pattern}` integration \
                             pattern; use a Standard state machine, or call the service \
                             without waiting"
                        ),
                        location: Some(aws_location(&state_at.field("Resource"))),
                    });
                }
            }
            if let Some(branches) = state.get("Branches").and_then(serde_json::Value::as_array) {
                for (index, branch) in branches.iter().enumerate() {
                    stack.push((branch, state_at.field("Branches").index(index)));
                }
            }
            for processor in ["ItemProcessor", "Iterator"] {
                if let Some(inner) = state.get(processor) {
                    stack.push((inner, state_at.field(processor)));
                }
            }
        }
    }
    found
}

/// The diagnostics of `output` as JSON, member for member as the API writes
/// them: `{"result", "diagnostics": [{"severity", "code", "message",
/// "location"}], "truncated"}`.
pub fn validation_json(output: &ValidateStateMachineDefinitionOutput) -> serde_json::Value {
    let diagnostics: Vec<serde_json::Value> = output
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let mut object = serde_json::Map::new();
            object.insert("severity".into(), diagnostic.severity.as_str().into());
            object.insert("code".into(), diagnostic.code.clone().into());
            object.insert("message".into(), diagnostic.message.clone().into());
            if let Some(location) = &diagnostic.location {
                object.insert("location".into(), location.clone().into());
            }
            serde_json::Value::Object(object)
        })
        .collect();
    let mut object = serde_json::Map::new();
    object.insert("result".into(), output.result.as_str().into());
    object.insert("diagnostics".into(), diagnostics.into());
    if let Some(truncated) = output.truncated {
        object.insert("truncated".into(), truncated.into());
    }
    serde_json::Value::Object(object)
}
