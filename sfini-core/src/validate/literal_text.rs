//! Text written as a literal where an evaluated path was probably meant:
//! the three warnings AWS's `ValidateStateMachineDefinition` gives
//! (`NO_DOLLAR`, `NO_PATH`, `PASS_RESULT_IS_STATIC`).
//!
//! - In a payload template, a field whose name lacks `.$` is copied as it
//!   is written: a value that looks like a path (`$.x`, `$$.Execution.Id`,
//!   `$var`) or an intrinsic function call (`States.Format(...)`) is then
//!   copied as text.
//! - A Choice rule's `StringEquals`, `TimestampLessThan`, ... compare with
//!   their text: one that looks like a path was probably meant for the
//!   `...Path` form of the operator.
//! - A Pass state's `Result` is copied as written: a `.$` field in it is
//!   not evaluated.

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostics};
use crate::limits::MAX_DEPTH;

use super::Here;

/// True when `text` reads as a JSONPath path, a context-object path or a
/// variable reference: `$`, `$.a`, `$[0]`, `$$`, `$$.Execution`, `$name`.
pub(super) fn looks_like_path(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('$') else {
        return false;
    };
    let rest = rest.strip_prefix('$').unwrap_or(rest);
    match rest.chars().next() {
        None | Some('.' | '[') => true,
        Some(first) => first.is_ascii_alphabetic() || first == '_',
    }
}

/// True when `text` reads as a call of an intrinsic function:
/// `States.Name(...)`.
fn looks_like_call(text: &str) -> bool {
    text.starts_with("States.") && crate::intrinsic::looks_like_call(text)
}

/// Warns of each field of the payload template `template` (at `at`) whose
/// name lacks `.$` and whose text looks like a path or a function call.
pub(super) fn no_dollar(out: &mut Diagnostics, template: &Value, at: &Here<'_>) {
    walk(template, at, 0, &mut |value, key, here| {
        let (Some(key), Value::String(text)) = (key, value) else {
            return;
        };
        if key.ends_with(".$") || !(looks_like_path(text) || looks_like_call(text)) {
            return;
        }
        out.warning(
            Code::NoDollar,
            here.location(),
            format!(
                "the field `{key}` holds \"{text}\", which looks like a path or a function call, \
                 but its name does not end with `.$`: the text is copied as it is; name the field \
                 `{key}.$` to evaluate it"
            ),
        );
    });
}

/// Warns of each `.$` field of a Pass state's `Result` (at `at`).
pub(super) fn pass_result_is_static(out: &mut Diagnostics, result: &Value, at: &Here<'_>) {
    walk(result, at, 0, &mut |_, key, here| {
        let Some(key) = key else {
            return;
        };
        if !key.ends_with(".$") {
            return;
        }
        out.warning(
            Code::PassResultIsStatic,
            here.location(),
            format!(
                "`Result` is copied as it is written: the field `{key}` is not evaluated; \
                 use `Parameters` to build the state's result from its input"
            ),
        );
    });
}

/// Warns when the Choice operator `operator` (at `at`), which compares with
/// its text, is given a text that looks like a path.
pub(super) fn no_path(out: &mut Diagnostics, operator: &str, text: &str, at: &Here<'_>) {
    if !looks_like_path(text) {
        return;
    }
    out.warning(
        Code::NoPath,
        at.location(),
        format!(
            "`{operator}` compares with the text \"{text}\" itself; to compare with the value \
             at that path, use `{operator}Path`"
        ),
    );
}

/// Calls `visit` on every value within `value` (itself included), with the
/// field name it is held under (`None` for an array's item and the root),
/// no deeper than the language lets JSON nest.
fn walk<'v>(
    value: &'v Value,
    at: &Here<'_>,
    depth: usize,
    visit: &mut dyn FnMut(&'v Value, Option<&'v str>, &Here<'_>),
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(fields) => {
            for (key, inner) in fields {
                let here = at.field(key);
                visit(inner, Some(key), &here);
                walk(inner, &here, depth + 1, visit);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                let here = at.index(index);
                visit(inner, None, &here);
                walk(inner, &here, depth + 1, visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_calls_are_told_from_plain_text() {
        for path in ["$", "$.a", "$[0]", "$$", "$$.Execution.Id", "$order", "$_x"] {
            assert!(looks_like_path(path), "{path}");
        }
        for text in ["", "a$", "$5", "$ off", "price: $3", "States"] {
            assert!(!looks_like_path(text), "{text}");
        }
        assert!(looks_like_call("States.Format('{}', $.a)"));
        assert!(!looks_like_call("States.Format"));
        assert!(!looks_like_call("format(x)"));
    }
}
