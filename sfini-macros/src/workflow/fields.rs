//! The fields a state's body may hold, by state type: the workflow name of
//! each field, the Amazon States Language field it writes, and the form of
//! its value.

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
    /// The state types that take the field.
    pub kinds: &'static [&'static str],
}

const DATA: &[&str] = &["task", "lambda", "pass", "parallel", "map"];
const FLOWING: &[&str] = &["task", "lambda", "pass", "wait", "parallel", "map"];
const ALL_BUT_FAIL: &[&str] = &[
    "task", "lambda", "pass", "choice", "wait", "succeed", "parallel", "map",
];
const TASK_LIKE: &[&str] = &["task", "lambda", "parallel", "map"];

/// Every field, in the order the reference documents them.
pub const FIELDS: &[FieldSpec] = &[
    spec(
        "comment",
        "Comment",
        None,
        Form::Text,
        &[
            "task", "lambda", "pass", "choice", "wait", "succeed", "fail", "parallel", "map",
        ],
    ),
    spec(
        "input_path",
        "InputPath",
        None,
        Form::NullablePath,
        ALL_BUT_FAIL,
    ),
    spec(
        "output_path",
        "OutputPath",
        None,
        Form::NullablePath,
        ALL_BUT_FAIL,
    ),
    spec("result_path", "ResultPath", None, Form::NullablePath, DATA),
    spec(
        "parameters",
        "Parameters",
        None,
        Form::Json,
        &["task", "lambda", "pass", "parallel"],
    ),
    spec(
        "result_selector",
        "ResultSelector",
        None,
        Form::Json,
        TASK_LIKE,
    ),
    spec("result", "Result", None, Form::Json, &["pass"]),
    spec("next", "Next", None, Form::Next, FLOWING),
    spec("end", "End", None, Form::End, FLOWING),
    spec(
        "timeout",
        "TimeoutSeconds",
        Some("TimeoutSecondsPath"),
        Form::NumberOrPath,
        &["task", "lambda"],
    ),
    spec(
        "heartbeat",
        "HeartbeatSeconds",
        Some("HeartbeatSecondsPath"),
        Form::NumberOrPath,
        &["task", "lambda"],
    ),
    spec(
        "credentials",
        "Credentials",
        None,
        Form::Json,
        &["task", "lambda"],
    ),
    spec(
        "seconds",
        "Seconds",
        Some("SecondsPath"),
        Form::NumberOrPath,
        &["wait"],
    ),
    spec(
        "timestamp",
        "Timestamp",
        Some("TimestampPath"),
        Form::TimestampOrPath,
        &["wait"],
    ),
    spec(
        "error",
        "Error",
        Some("ErrorPath"),
        Form::TextOrPath,
        &["fail"],
    ),
    spec(
        "cause",
        "Cause",
        Some("CausePath"),
        Form::TextOrPath,
        &["fail"],
    ),
    spec(
        "items_path",
        "ItemsPath",
        None,
        Form::NullablePath,
        &["map"],
    ),
    spec("item_selector", "ItemSelector", None, Form::Json, &["map"]),
    spec(
        "max_concurrency",
        "MaxConcurrency",
        Some("MaxConcurrencyPath"),
        Form::NumberOrPath,
        &["map"],
    ),
    spec(
        "tolerated_failure_count",
        "ToleratedFailureCount",
        Some("ToleratedFailureCountPath"),
        Form::NumberOrPath,
        &["map"],
    ),
    spec(
        "tolerated_failure_percentage",
        "ToleratedFailurePercentage",
        Some("ToleratedFailurePercentagePath"),
        Form::NumberOrPath,
        &["map"],
    ),
    spec("item_reader", "ItemReader", None, Form::Json, &["map"]),
    spec("item_batcher", "ItemBatcher", None, Form::Json, &["map"]),
    spec("result_writer", "ResultWriter", None, Form::Json, &["map"]),
    spec("label", "Label", None, Form::Text, &["map"]),
];

const fn spec(
    name: &'static str,
    asl: &'static str,
    asl_path: Option<&'static str>,
    form: Form,
    kinds: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        name,
        asl,
        asl_path,
        form,
        kinds,
    }
}

/// The field `name` of a state of `kind`, or a message saying what is
/// wrong and what would be right.
pub fn field(kind: &Kind, name: &str) -> Result<&'static FieldSpec, String> {
    let keyword = kind.keyword();
    if let Some(spec) = FIELDS.iter().find(|spec| spec.name == name) {
        if spec.kinds.contains(&keyword) {
            return Ok(spec);
        }
        return Err(format!(
            "a {keyword} state has no field `{name}`; it belongs to {} states",
            spec.kinds.join(", ")
        ));
    }
    let own: Vec<&str> = FIELDS
        .iter()
        .filter(|spec| spec.kinds.contains(&keyword))
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
pub const MACHINE_OPTIONS: &[&str] = &["name", "comment", "timeout", "version"];

/// The options of a Map's `processor(...)`.
pub const PROCESSOR_OPTIONS: &[(&str, &str)] =
    &[("mode", "Mode"), ("execution_type", "ExecutionType")];
