//! What states read from their data besides their input and output: the
//! `...Path` settings, waits, a Fail state's error and cause, a Map's items.

use serde_json::Value;
use time::OffsetDateTime;

use crate::intrinsic::{IntrinsicCall, looks_like_call};
use crate::model::{Fail, ValueOrPath, WaitUntil};
use crate::path::{ReferencePath, kind_of};
use crate::timestamp::parse_timestamp;

use super::DataFlowError;

/// How long a Wait state waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// A number of seconds from now.
    Seconds(u64),
    /// Until a point in time (at once if it has passed).
    Until(OffsetDateTime),
}

fn read<'v>(
    path: &str,
    input: &'v Value,
    context: &'v Value,
    field: &str,
) -> Result<&'v Value, DataFlowError> {
    let path = ReferencePath::parse(path)
        .map_err(|error| DataFlowError::runtime(format!("{field}: {error}")))?;
    path.get(input, context).map_err(|no_match| {
        DataFlowError::runtime(format!(
            "Invalid path '{}' in {field}: {}",
            path.as_str(),
            no_match.reason
        ))
    })
}

/// A whole-number setting given as a value or as a reference path into the
/// effective input (`TimeoutSecondsPath`, `MaxConcurrencyPath`...).
pub fn resolve_count(
    setting: &ValueOrPath<u64>,
    input: &Value,
    context: &Value,
    field: &str,
) -> Result<u64, DataFlowError> {
    match setting {
        ValueOrPath::Value(value) => Ok(*value),
        ValueOrPath::Path(path) => {
            let value = read(path, input, context, field)?;
            value.as_u64().ok_or_else(|| {
                DataFlowError::runtime(format!(
                    "{field} '{path}' must select a non-negative whole number, found {}",
                    describe(value)
                ))
            })
        }
        ValueOrPath::Expression(_) => Err(jsonata_in_jsonpath(field)),
    }
}

/// A JSONata setting met by the JSONPath pipeline (validation refuses it).
fn jsonata_in_jsonpath(field: &str) -> DataFlowError {
    DataFlowError::runtime(format!(
        "{field} is a JSONata expression, and the state's query language is JSONPath"
    ))
}

/// What a Wait state waits for, given its effective input.
pub fn wait_for(
    until: &WaitUntil,
    input: &Value,
    context: &Value,
) -> Result<WaitFor, DataFlowError> {
    match until {
        WaitUntil::Seconds(seconds) => Ok(WaitFor::Seconds(*seconds)),
        WaitUntil::Timestamp(text) => parse_timestamp(text)
            .map(WaitFor::Until)
            .ok_or_else(|| DataFlowError::runtime(format!("`{text}` is not a timestamp"))),
        WaitUntil::SecondsPath(path) => {
            let value = read(path, input, context, "SecondsPath")?;
            value.as_u64().map(WaitFor::Seconds).ok_or_else(|| {
                DataFlowError::runtime(format!(
                    "SecondsPath '{path}' must select a non-negative whole number, found {}",
                    describe(value)
                ))
            })
        }
        WaitUntil::TimestampPath(path) => {
            let value = read(path, input, context, "TimestampPath")?;
            value
                .as_str()
                .and_then(parse_timestamp)
                .map(WaitFor::Until)
                .ok_or_else(|| {
                    DataFlowError::runtime(format!(
                        "TimestampPath '{path}' must select an RFC 3339 timestamp, found {}",
                        describe(value)
                    ))
                })
        }
        WaitUntil::SecondsExpression(_) | WaitUntil::TimestampExpression(_) => {
            Err(jsonata_in_jsonpath(until.field_name()))
        }
    }
}

/// The error name and cause a Fail state ends the execution with, given its
/// input: each fixed, read at a reference path, or computed by an intrinsic
/// function, and each a string.
pub fn fail_output(
    fail: &Fail,
    input: &Value,
    context: &Value,
) -> Result<(Option<String>, Option<String>), DataFlowError> {
    let text = |field: &Option<ValueOrPath<String>>,
                name: &str|
     -> Result<Option<String>, DataFlowError> {
        let Some(field) = field else {
            return Ok(None);
        };
        let expression = match field {
            ValueOrPath::Value(text) => return Ok(Some(text.clone())),
            ValueOrPath::Path(expression) => expression,
            ValueOrPath::Expression(_) => return Err(jsonata_in_jsonpath(name)),
        };
        let value = if looks_like_call(expression) {
            let call = IntrinsicCall::parse(expression)
                .map_err(|error| DataFlowError::runtime(format!("{name}: {error}")))?;
            call.evaluate(input, context)?
        } else {
            read(expression, input, context, name)?.clone()
        };
        match value {
            Value::String(text) => Ok(Some(text)),
            other => Err(DataFlowError::runtime(format!(
                "{name} '{expression}' must give a string, found {}",
                describe(&other)
            ))),
        }
    };
    Ok((
        text(&fail.error, "ErrorPath")?,
        text(&fail.cause, "CausePath")?,
    ))
}

/// The items a Map state iterates over: the array at ItemsPath in its
/// effective input.
pub fn map_items<'v>(
    items_path: &str,
    input: &'v Value,
    context: &'v Value,
) -> Result<&'v [Value], DataFlowError> {
    let value = read(items_path, input, context, "ItemsPath")?;
    match value {
        Value::Array(items) => Ok(items),
        other => Err(DataFlowError::runtime(format!(
            "ItemsPath '{items_path}' must select an array, found {}",
            describe(other)
        ))),
    }
}

/// A value's kind, with the value itself when it is short.
fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 40 {
        format!("{} ({text})", kind_of(value))
    } else {
        kind_of(value).to_string()
    }
}
