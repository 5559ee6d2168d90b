//! The fields a state's body may hold, by state type: the workflow name of
//! each field, the Amazon States Language field it writes, and the form of
//! its value.

use sfini_core::model::StateType;

use super::syntax::Kind;

/// How a field's value is written into the definition.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A string, a path, or `None` for `null` (InputPath, OutputPath,
    /// ResultPath).
    NullablePath,
    /// Any JSON value, kept as written (Result, templates, ItemReader...).
    Json,
    /// A number, or a path string starting with `$` that writes the
    /// `...Path` field instead.
    NumberOrPath,
    /// A string, or a path or intrinsic function that writes the `...Path`
    /// field instead (Fail's Error and Cause).
    TextOrPath,
    /// A timestamp string, or a path (Wait's Timestamp).
    TimestampOrPath,
    /// A state name.
    Next,
    /// `end: true`.
    End,
    /// A string.
    Text,
}

/// One field of a state's body.
pub struct FieldSpec {
    pub name: &'static str,
    pub asl: &'static str,
    /// The `...Path` field written when the value is a path.
    pub asl_path: Option<&'static str>,
    pub form: Form,
}

/// Every field, in the order the reference documents them.
pub const FIELDS: &[FieldSpec] = &[
    spec("comment", "Comment", None, Form::Text),
    spec("input_path", "InputPath", None, Form::NullablePath),
    spec("output_path", "OutputPath", None, Form::NullablePath),
    spec("result_path", "ResultPath", None, Form::NullablePath),
    spec("parameters", "Parameters", None, Form::Json),
    spec("result_selector", "ResultSelector", None, Form::Json),
    spec("result", "Result", None, Form::Json),
    spec("next", "Next", None, Form::Next),
    spec("end", "End", None, Form::End),
    spec(
        "timeout",
        "TimeoutSeconds",
        Some("TimeoutSecondsPath"),
        Form::NumberOrPath,
    ),
    spec(
        "heartbeat",
        "HeartbeatSeconds",
        Some("HeartbeatSecondsPath"),
        Form::NumberOrPath,
    ),
    spec("credentials", "Credentials", None, Form::Json),
    spec(
        "seconds",
        "Seconds",
        Some("SecondsPath"),
        Form::NumberOrPath,
    ),
    spec(
        "timestamp",
        "Timestamp",
        Some("TimestampPath"),
        Form::TimestampOrPath,
    ),
    spec("error", "Error", Some("ErrorPath"), Form::TextOrPath),
    spec("cause", "Cause", Some("CausePath"), Form::TextOrPath),
    spec("items_path", "ItemsPath", None, Form::NullablePath),
    spec("item_selector", "ItemSelector", None, Form::Json),
    spec(
        "max_concurrency",
        "MaxConcurrency",
        Some("MaxConcurrencyPath"),
        Form::NumberOrPath,
    ),
    spec(
        "tolerated_failure_count",
        "ToleratedFailureCount",
        Some("ToleratedFailureCountPath"),
        Form::NumberOrPath,
    ),
    spec(
        "tolerated_failure_percentage",
        "ToleratedFailurePercentage",
        Some("ToleratedFailurePercentagePath"),
        Form::NumberOrPath,
    ),
    spec("item_reader", "ItemReader", None, Form::Json),
    spec("item_batcher", "ItemBatcher", None, Form::Json),
    spec("result_writer", "ResultWriter", None, Form::Json),
    spec("label", "Label", None, Form::Text),
];

const fn spec(
    name: &'static str,
    asl: &'static str,
    asl_path: Option<&'static str>,
    form: Form,
) -> FieldSpec {
    FieldSpec {
        name,
        asl,
        asl_path,
        form,
    }
}

/// True when a state of `state_type` takes the field: sfini-core's reader
/// holds the list of each state type's fields.
fn takes(state_type: StateType, spec: &FieldSpec) -> bool {
    sfini_core::json::state_fields(state_type)
        .any(|field| field == spec.asl || spec.asl_path == Some(field))
}

/// The field `name` of a state of `kind`, or a message saying what is
/// wrong and what would be right.
pub fn field(kind: &Kind, name: &str) -> Result<&'static FieldSpec, String> {
    let keyword = kind.keyword();
    let state_type = kind.state_type();
    if let Some(spec) = FIELDS.iter().find(|spec| spec.name == name) {
        if takes(state_type, spec) {
            return Ok(spec);
        }
        let owners: Vec<String> = StateType::ALL
            .into_iter()
            .filter(|owner| takes(*owner, spec))
            .map(|owner| owner.as_str().to_lowercase())
            .collect();
        return Err(format!(
            "a {keyword} state has no field `{name}`; it belongs to {} states",
            owners.join(", ")
        ));
    }
    let own: Vec<&str> = FIELDS
        .iter()
        .filter(|spec| takes(state_type, spec))
        .map(|spec| spec.name)
        .collect();
    let hint = sfini_core::suggest::did_you_mean(name, own.iter().copied());
    Err(format!(
        "unknown field `{name}` of a {keyword} state{hint} (a {keyword} state takes {})",
        own.join(", ")
    ))
}

/// The fields of a retrier: (workflow name, ASL name).
pub const RETRY_FIELDS: &[(&str, &str)] = &[
    ("interval", "IntervalSeconds"),
    ("max_attempts", "MaxAttempts"),
    ("backoff_rate", "BackoffRate"),
    ("max_delay", "MaxDelaySeconds"),
    ("jitter", "JitterStrategy"),
    ("comment", "Comment"),
];

/// The fields of a catcher besides its errors and target.
pub const CATCH_FIELDS: &[(&str, &str)] = &[("result_path", "ResultPath"), ("comment", "Comment")];

/// The options of `#[workflow(...)]`.
pub const MACHINE_OPTIONS: &[&str] = &["name", "comment", "timeout", "version", "allow"];

/// The options of a Map's `processor(...)`.
pub const PROCESSOR_OPTIONS: &[(&str, &str)] =
    &[("mode", "Mode"), ("execution_type", "ExecutionType")];
