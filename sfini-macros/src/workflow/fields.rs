//! The fields a state's body may hold, by state type: the workflow name of
//! each field, the Amazon States Language field it writes, and the form of
//! its value.

use sfini_core::model::{QueryLanguage, StateType};

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
    /// `jsonata` or `jsonpath` (QueryLanguage).
    Language,
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
    spec("query_language", "QueryLanguage", None, Form::Language),
    spec("arguments", "Arguments", None, Form::Json),
    spec("items", "Items", None, Form::Json),
    spec("output", "Output", None, Form::Json),
    spec("assign", "Assign", None, Form::Json),
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

/// The query language a field belongs to, when it belongs to one only.
fn language_of(spec: &FieldSpec) -> Option<QueryLanguage> {
    sfini_core::json::field_language(spec.asl)
}

/// The field `name` of a state of `kind` whose query language is
/// `language`, or a message saying what is wrong and what would be right.
pub fn field(
    kind: &Kind,
    name: &str,
    language: QueryLanguage,
) -> Result<&'static FieldSpec, String> {
    let keyword = kind.keyword();
    let state_type = kind.state_type();
    if let Some(spec) = FIELDS.iter().find(|spec| spec.name == name) {
        if takes(state_type, spec) {
            if let Some(owner) = language_of(spec)
                && owner != language
            {
                return Err(format!(
                    "`{name}` is a {owner} field, and this state's query language is \
                     {language}: {}",
                    instead(name, language)
                ));
            }
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
        .filter(|spec| language_of(spec).is_none_or(|owner| owner == language))
        .map(|spec| spec.name)
        .collect();
    let hint = sfini_core::suggest::did_you_mean(name, own.iter().copied());
    Err(format!(
        "unknown field `{name}` of a {keyword} state{hint} (a {keyword} state takes {})",
        own.join(", ")
    ))
}

/// What to write in a state of `language` instead of `name`, a field of
/// the other query language.
pub fn instead(name: &str, language: QueryLanguage) -> String {
    match language {
        QueryLanguage::Jsonata => match name {
            "input_path" => "read the input in expressions, as `$states.input.order`".to_owned(),
            "parameters" => "give the work its input with `arguments`, whose values may be \
                             references such as `$states.input.order` or `\"{% ... %}\"` \
                             expressions"
                .to_owned(),
            "items_path" => {
                "give the items with `items`, as in `items: $states.input.lines`".to_owned()
            }
            _ => "shape the state's output with `output` (the result is `$states.result`), \
                  and keep values for later states with `assign`"
                .to_owned(),
        },
        QueryLanguage::JsonPath => {
            let own = match name {
                "arguments" => "`parameters`",
                "output" => "`output_path` or `result_selector`",
                "items" => "`items_path`",
                _ => "the JSONPath fields",
            };
            format!(
                "write {own}, or make the state JSONata with `query_language: jsonata` (the \
                 whole workflow with `#[workflow(query_language = jsonata)]`)"
            )
        }
    }
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
pub const CATCH_FIELDS: &[(&str, &str)] = &[
    ("result_path", "ResultPath"),
    ("output", "Output"),
    ("assign", "Assign"),
    ("comment", "Comment"),
];

/// The fields of a Choice rule besides its condition and target.
pub const RULE_FIELDS: &[(&str, &str)] = &[
    ("output", "Output"),
    ("assign", "Assign"),
    ("comment", "Comment"),
];

/// The options of `#[workflow(...)]`.
pub const MACHINE_OPTIONS: &[&str] = &[
    "name",
    "comment",
    "timeout",
    "version",
    "query_language",
    "allow",
];

/// Reads a query language written as a word or a string: `jsonata`,
/// `jsonpath`, in any case.
pub fn query_language(text: &str) -> Option<QueryLanguage> {
    match text.to_ascii_lowercase().as_str() {
        "jsonata" => Some(QueryLanguage::Jsonata),
        "jsonpath" => Some(QueryLanguage::JsonPath),
        _ => None,
    }
}

/// The options of a Map's `processor(...)`.
pub const PROCESSOR_OPTIONS: &[(&str, &str)] =
    &[("mode", "Mode"), ("execution_type", "ExecutionType")];
