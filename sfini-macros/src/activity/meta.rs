//! The activity's metadata as JSON, for `workflow!` to read when it
//! expands.

use serde_json::json;

use super::model::{Activity, Output};
use super::type_text::type_text;

/// `{"name": .., "arguments": [{"name": .., "required": ..}], ..}`, with
/// the fields in a fixed order.
pub fn metadata(activity: &Activity) -> String {
    let arguments: Vec<_> = activity
        .named_arguments()
        .map(|parameter| {
            json!({
                "name": parameter.field_name(),
                "required": parameter.role.is_required(),
            })
        })
        .collect();
    let error_type = match &activity.output {
        Output::Fallible { error } => Some(type_text(error)),
        Output::Value => None,
    };
    json!({
        "name": activity.name,
        "arguments": arguments,
        "takes_whole_input": activity.takes_whole_input(),
        "heartbeat_seconds": activity.heartbeat.map(|seconds| seconds.value),
        "timeout_seconds": activity.timeout.map(|seconds| seconds.value),
        "description": activity.description,
        "fallible": error_type.is_some(),
        "error_type": error_type,
    })
    .to_string()
}
