//! The text the graph shows: Choice rules in a short readable form,
//! catchers' error names, a state's second line, long text shortened with
//! an ellipsis, and how wide text is drawn.

use std::fmt::Write;

use serde_json::Value;

use crate::model::{Comparison, Condition, ConditionKind, Operator, State, ValueOrPath};

/// The most characters of a state's name shown in its box.
pub(super) const NAME_CHARACTERS: usize = 32;
/// The most characters of a state's second line.
pub(super) const DETAIL_CHARACTERS: usize = 42;
/// The most characters of an edge's label.
pub(super) const EDGE_CHARACTERS: usize = 44;

/// `text` cut to at most `max` characters, the last of them `…` when cut.
pub(super) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(at, _)| at);
            format!("{}…", &text[..keep])
        }
    }
}

/// About how wide `text` is drawn at `size` pixels in a common sans-serif
/// font, erring wide so that boxes hold their text.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' '
            | 'I' | '(' | ')' | '[' | ']' => 0.36,
            'm' | 'w' => 0.92,
            'M' | 'W' | '@' => 0.98,
            'A'..='Z' => 0.72,
            '0'..='9' => 0.64,
            'a'..='z' => 0.6,
            c if c.is_ascii() => 0.64,
            c if u32::from(c) >= 0x2E80 => 1.05,
            _ => 0.8,
        })
        .sum();
    ems * size
}

/// A state's second line: its type, and for a Task the end of its
/// resource (`activity:add`, `lambda:invoke`), for a distributed Map so.
pub(super) fn detail(state: &State) -> String {
    let kind = state.state_type().as_str();
    let more = match state {
        State::Task(task) => {
            let parts: Vec<&str> = task.resource.rsplitn(3, ':').collect();
            match parts.as_slice() {
                [last, second, _] => format!("{second}:{last}"),
                _ => task.resource.clone(),
            }
        }
        State::Map(map) if map.is_distributed() => "distributed".to_string(),
        _ => String::new(),
    };
    if more.is_empty() {
        kind.to_string()
    } else {
        shorten(&format!("{kind} · {more}"), DETAIL_CHARACTERS)
    }
}

/// A catcher's errors, shortened.
pub(super) fn errors(names: &[String]) -> String {
    let mut text = String::new();
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        text.push_str(name);
        if text.len() > EDGE_CHARACTERS * 4 {
            break;
        }
    }
    shorten(&text, EDGE_CHARACTERS)
}

/// A Choice rule's condition as short readable text, shortened.
pub(super) fn condition(condition: &Condition) -> String {
    let mut out = Bounded {
        text: String::new(),
        limit: EDGE_CHARACTERS * 4,
    };
    // Writing stops once the text is long enough to be shortened anyway,
    // which also bounds how deeply nested conditions are followed.
    let _ = write_condition(&mut out, condition);
    shorten(&out.text, EDGE_CHARACTERS)
}

/// Text that takes no more once it is `limit` bytes long.
struct Bounded {
    text: String,
    limit: usize,
}

/// Writing stopped: the text is long enough.
struct Full;

impl Bounded {
    fn push(&mut self, text: &str) -> Result<(), Full> {
        if self.text.len() >= self.limit {
            return Err(Full);
        }
        let room = self.limit - self.text.len();
        if text.len() <= room {
            self.text.push_str(text);
            Ok(())
        } else {
            let mut end = room;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            self.text.push_str(&text[..end]);
            Err(Full)
        }
    }
}

fn write_condition(out: &mut Bounded, condition: &Condition) -> Result<(), Full> {
    match &condition.kind {
        ConditionKind::And(all) => write_list(out, "And(", all),
        ConditionKind::Or(any) => write_list(out, "Or(", any),
        ConditionKind::Not(inner) => {
            out.push("Not(")?;
            write_condition(out, inner)?;
            out.push(")")
        }
        ConditionKind::Jsonata(value) => match value {
            Value::String(text) => {
                let inner = text
                    .trim()
                    .strip_prefix("{%")
                    .and_then(|rest| rest.strip_suffix("%}"))
                    .unwrap_or(text);
                out.push(inner.trim())
            }
            Value::Bool(flag) => out.push(if *flag { "true" } else { "false" }),
            Value::Null => out.push("null"),
            Value::Number(number) => out.push(&number.to_string()),
            Value::Array(_) => out.push("[…]"),
            Value::Object(_) => out.push("{…}"),
        },
        ConditionKind::Test {
            variable,
            comparison,
        } => write_test(out, variable, comparison),
    }
}

fn write_list(out: &mut Bounded, open: &str, conditions: &[Condition]) -> Result<(), Full> {
    out.push(open)?;
    for (index, condition) in conditions.iter().enumerate() {
        if index > 0 {
            out.push(", ")?;
        }
        write_condition(out, condition)?;
    }
    out.push(")")
}

fn write_test(out: &mut Bounded, variable: &str, comparison: &Comparison) -> Result<(), Full> {
    match comparison {
        Comparison::Is(test, flag) => {
            if !flag {
                out.push("!")?;
            }
            out.push(test.as_str())?;
            out.push(" ")?;
            return out.push(variable);
        }
        Comparison::StringMatches(pattern) => {
            out.push(variable)?;
            out.push(" matches ")?;
            return out.push(&quoted(pattern, out.limit));
        }
        _ => {}
    }
    out.push(variable)?;
    let (operator, operand) = match comparison {
        Comparison::String(operator, operand) | Comparison::Timestamp(operator, operand) => (
            *operator,
            match operand {
                ValueOrPath::Value(text) => quoted(text, out.limit),
                other => reference(other),
            },
        ),
        Comparison::Numeric(operator, operand) => (
            *operator,
            match operand {
                ValueOrPath::Value(number) => number.to_string(),
                other => reference(other),
            },
        ),
        Comparison::BooleanEquals(operand) => (
            Operator::Equals,
            match operand {
                ValueOrPath::Value(flag) => flag.to_string(),
                other => reference(other),
            },
        ),
        Comparison::Is(..) | Comparison::StringMatches(_) => unreachable!("handled above"),
    };
    out.push(" ")?;
    out.push(symbol(operator))?;
    out.push(" ")?;
    out.push(&operand)
}

fn symbol(operator: Operator) -> &'static str {
    match operator {
        Operator::Equals => "==",
        Operator::LessThan => "<",
        Operator::GreaterThan => ">",
        Operator::LessThanEquals => "<=",
        Operator::GreaterThanEquals => ">=",
    }
}

/// The path or expression another side of a comparison is read from.
fn reference<T>(operand: &ValueOrPath<T>) -> String {
    match operand {
        ValueOrPath::Path(path) => path.clone(),
        ValueOrPath::Expression(text) => text.clone(),
        ValueOrPath::Value(_) => String::new(),
    }
}

/// `text` in double quotes, escaped as JSON escapes it, at most about
/// `limit` characters of it.
fn quoted(text: &str, limit: usize) -> String {
    let mut out = String::from("\"");
    for c in text.chars().take(limit) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
