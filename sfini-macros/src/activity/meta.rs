//! The activity's metadata as JSON, for `workflow!` to read when it
//! expands.

use serde_json::json;
use syn::{GenericArgument, PathArguments, Type};

use super::model::{Activity, Output, Role};
use super::type_text::type_text;

/// `{"name": .., "id": .., "arguments": [{"name": .., "required": ..,
/// "type": .., "kind": ..}], ..}`, with the fields in a fixed order.
pub fn metadata(activity: &Activity, id: &str) -> String {
    let arguments: Vec<_> = activity
        .named_arguments()
        .map(|parameter| {
            let ty = match &parameter.role {
                Role::Optional { inner } => inner,
                _ => &parameter.ty,
            };
            json!({
                "name": parameter.field_name(),
                "required": parameter.role.is_required(),
                "type": type_text(&parameter.ty),
                "kind": json_kind(ty),
            })
        })
        .collect();
    let error_type = match &activity.output {
        Output::Fallible { error } => Some(type_text(error)),
        Output::Value => None,
    };
    json!({
        "name": activity.name,
        "id": id,
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

/// The kind of JSON value a Rust type reads, where the type says it
/// plainly: `integer`, `number`, `string`, `boolean`, `array`, `object`;
/// `any` for the rest (a struct or enum of the program may read from more
/// than one kind).
pub fn json_kind(ty: &Type) -> &'static str {
    match ty {
        Type::Reference(reference) => match &*reference.elem {
            Type::Slice(_) => "array",
            inner => json_kind(inner),
        },
        Type::Array(_) | Type::Slice(_) => "array",
        Type::Tuple(tuple) if !tuple.elems.is_empty() => "array",
        Type::Paren(inner) => json_kind(&inner.elem),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return "any";
            };
            match last.ident.to_string().as_str() {
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                | "u128" | "usize" | "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" => "integer",
                "f32" | "f64" => "number",
                "String" | "str" | "char" | "PathBuf" => "string",
                "bool" => "boolean",
                "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet" => "array",
                "HashMap" | "BTreeMap" | "IndexMap" | "Map" => "object",
                "Box" | "Arc" | "Rc" | "Cow" => match &last.arguments {
                    PathArguments::AngleBracketed(arguments) => arguments
                        .args
                        .iter()
                        .find_map(|argument| match argument {
                            GenericArgument::Type(inner) => Some(json_kind(inner)),
                            _ => None,
                        })
                        .unwrap_or("any"),
                    _ => "any",
                },
                _ => "any",
            }
        }
        _ => "any",
    }
}
