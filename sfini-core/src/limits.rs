//! How large data may grow: the size of a payload as Step Functions counts
//! it, the nesting depth every recursive walk over JSON can afford, and
//! JSON text read within that depth.
//!
//! Step Functions refuses a state's input, output or task result whose JSON
//! text is over 256 KiB ([`MAX_PAYLOAD_BYTES`], counted as UTF-8 bytes of the
//! compact text). AWS documents no bound on how deeply JSON may nest, but
//! every recursive walk over a [`serde_json::Value`] (cloning, dropping,
//! comparing, writing it out) needs stack in proportion to its depth, so
//! sfini bounds it: [`MAX_DEPTH`] levels of arrays and objects by default,
//! at most [`DEPTH_CEILING`] whatever the setting, a depth that a thread
//! with tokio's default 2 MiB stack walks with room to spare even in a debug
//! build.
//!
//! [`measure`] finds a value's size and depth without recursion and stops as
//! soon as either passes its bound, so measuring costs no more than the
//! bound allows; [`parse_json`] reads JSON text whose depth it has checked
//! first.
//!
//! ```
//! use serde_json::json;
//! use sfini_core::limits::{measure, Exceeded, MAX_DEPTH};
//!
//! let value = json!({"name": "café", "sizes": [1, 2.5, null]});
//! let size = measure(&value, 1_000, MAX_DEPTH)?;
//! assert_eq!(size.bytes, value.to_string().len());
//! assert_eq!(size.depth, 2);
//!
//! assert!(matches!(measure(&value, 10, MAX_DEPTH), Err(Exceeded::Bytes { .. })));
//! # Ok::<(), Exceeded>(())
//! ```

use std::io;

use serde_json::Value;

/// The largest state input, state output or task result, in bytes of
/// compact JSON text (256 KiB), as Step Functions counts it.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// How many levels of arrays and objects a value may nest, by default.
pub const MAX_DEPTH: usize = 256;

/// The deepest nesting any setting may allow: beyond it, walking a value
/// could overflow a 2 MiB stack in a debug build.
pub const DEPTH_CEILING: usize = 512;

/// What [`measure`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    /// The length of the value's compact JSON text, in bytes.
    pub bytes: usize,
    /// How many levels of arrays and objects nest in it (`1` and `"a"`: 0;
    /// `[]`: 1; `{"a": [1]}`: 2).
    pub depth: usize,
    /// An estimate of the heap the value holds in memory, in bytes: its
    /// nodes, strings and object entries.
    pub memory: usize,
}

/// A bound that a value passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    /// Its JSON text is longer than `limit` bytes (at least `at_least`).
    #[error("its JSON text has more than {limit} bytes")]
    Bytes {
        /// The bound.
        limit: usize,
        /// How many bytes were counted before measuring stopped.
        at_least: usize,
    },
    /// It nests deeper than `limit` levels.
    #[error("it nests more than {limit} levels of arrays and objects deep")]
    Depth {
        /// The bound.
        limit: usize,
    },
}

/// The heap one node of a value costs, beyond its strings.
const NODE_MEMORY: usize = std::mem::size_of::<Value>();
/// The heap one field of an object costs, beyond its key's text and its
/// value's node: the key's `String` and the entry's place in the map's
/// table.
const ENTRY_MEMORY: usize = std::mem::size_of::<String>() + 2 * std::mem::size_of::<usize>();

/// Measures `value`: the length of its compact JSON text, its depth and the
/// memory it holds; stops with [`Exceeded`] as soon as the text passes
/// `max_bytes` or the nesting passes `max_depth`. Never recurses.
pub fn measure(value: &Value, max_bytes: usize, max_depth: usize) -> Result<Size, Exceeded> {
    // Most values a state makes are a scalar, or an array or object of
    // scalars: measured without a stack to allocate.
    if let Some(size) = measure_flat(value) {
        return match size {
            Size { bytes, .. } if bytes > max_bytes => Err(Exceeded::Bytes {
                limit: max_bytes,
                at_least: bytes,
            }),
            Size { depth, .. } if depth > max_depth => Err(Exceeded::Depth { limit: max_depth }),
            size => Ok(size),
        };
    }
    // Each entry: a node still to visit and its depth (the number of
    // arrays and objects around it).
    let mut pending: Vec<(&Value, usize)> = vec![(value, 0)];
    let mut size = Size::default();
    while let Some((node, level)) = pending.pop() {
        size.memory += NODE_MEMORY;
        let bytes = match node {
            Value::Null | Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(number) => number_length(number),
            Value::String(text) => {
                size.memory += text.len();
                string_length(text)
            }
            Value::Array(_) | Value::Object(_) if level + 1 > max_depth => {
                return Err(Exceeded::Depth { limit: max_depth });
            }
            Value::Array(items) => {
                size.depth = size.depth.max(level + 1);
                pending.extend(items.iter().rev().map(|item| (item, level + 1)));
                2 + items.len().saturating_sub(1)
            }
            Value::Object(fields) => {
                size.depth = size.depth.max(level + 1);
                let mut bytes = 2 + fields.len().saturating_sub(1);
                for (key, field) in fields.iter().rev() {
                    size.memory += ENTRY_MEMORY + key.len();
                    // `"key":`
                    bytes += string_length(key) + 1;
                    pending.push((field, level + 1));
                }
                bytes
            }
        };
        size.bytes += bytes;
        if size.bytes > max_bytes {
            return Err(Exceeded::Bytes {
                limit: max_bytes,
                at_least: size.bytes,
            });
        }
    }
    Ok(size)
}

/// Drops a value without recursion, however deeply it nests. (Dropping a
/// `serde_json::Value` the ordinary way recurses once per level, which a
/// value built by foreign code may have more of than a stack can hold.)
pub fn drop_deep(value: Value) {
    let mut pending = vec![value];
    while let Some(node) = pending.pop() {
        match node {
            Value::Array(items) => pending.extend(items),
            Value::Object(fields) => pending.extend(fields.into_iter().map(|(_, field)| field)),
            _ => {}
        }
    }
}

/// The size of a scalar, or of an array or object of scalars; `None` for
/// anything deeper.
fn measure_flat(value: &Value) -> Option<Size> {
    let scalar = |node: &Value| -> Option<(usize, usize)> {
        match node {
            Value::Null | Value::Bool(true) => Some((4, 0)),
            Value::Bool(false) => Some((5, 0)),
            Value::Number(number) => Some((number_length(number), 0)),
            Value::String(text) => Some((string_length(text), text.len())),
            Value::Array(_) | Value::Object(_) => None,
        }
    };
    let mut size = Size {
        memory: NODE_MEMORY,
        ..Size::default()
    };
    match value {
        Value::Array(items) => {
            size.depth = 1;
            size.bytes = 2 + items.len().saturating_sub(1);
            for item in items {
                let (bytes, memory) = scalar(item)?;
                size.bytes += bytes;
                size.memory += NODE_MEMORY + memory;
            }
        }
        Value::Object(fields) => {
            size.depth = 1;
            size.bytes = 2 + fields.len().saturating_sub(1);
            for (key, field) in fields {
                let (bytes, memory) = scalar(field)?;
                size.bytes += string_length(key) + 1 + bytes;
                size.memory += NODE_MEMORY + ENTRY_MEMORY + key.len() + memory;
            }
        }
        scalar_value => {
            let (bytes, memory) = scalar(scalar_value)?;
            size.bytes = bytes;
            size.memory += memory;
        }
    }
    Some(size)
}

/// The length of a string as JSON text, quotes and escapes included, as
/// `serde_json` writes it.
fn string_length(text: &str) -> usize {
    let escapes: usize = text
        .bytes()
        .map(|byte| match byte {
            b'"' | b'\\' | b'\x08' | b'\t' | b'\n' | b'\x0c' | b'\r' => 1,
            0..=0x1f => 5,
            _ => 0,
        })
        .sum();
    text.len() + escapes + 2
}

/// Counts the bytes written to it.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn number_length(number: &serde_json::Number) -> usize {
    // Integers by their digits; floats as serde_json writes them.
    if let Some(integer) = number.as_u64() {
        return digits(integer);
    }
    if let Some(integer) = number.as_i64() {
        return 1 + digits(integer.unsigned_abs());
    }
    let mut counter = Counter(0);
    // Writing a number to a writer that never fails cannot fail.
    let _ = serde_json::to_writer(&mut counter, number);
    counter.0
}

/// How many decimal digits `n` has.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// Why [`parse_json`] refused a text.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The text nests deeper than the bound.
    #[error("it nests more than {limit} levels of arrays and objects deep")]
    TooDeep {
        /// The bound.
        limit: usize,
    },
    /// The text is not JSON.
    #[error("{0}")]
    Syntax(#[from] serde_json::Error),
}

/// Reads JSON text whose arrays and objects nest at most `max_depth` levels
/// (at most [`DEPTH_CEILING`], whatever `max_depth` says).
///
/// The depth is checked on the text first, without recursion, so that text
/// too deep is refused before any value is built.
pub fn parse_json(text: &str, max_depth: usize) -> Result<Value, ParseError> {
    let limit = max_depth.min(DEPTH_CEILING);
    if text_depth(text.as_bytes(), limit).is_none() {
        return Err(ParseError::TooDeep { limit });
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // The depth is known to be within `limit`, which the stack affords.
    deserializer.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// The deepest nesting of arrays and objects in JSON text (brackets inside
/// strings do not count), or `None` once it passes `limit`. Text that is not
/// JSON gives some depth: the parser then says what is wrong with it.
fn text_depth(text: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0_usize;
    let mut deepest = 0_usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return None;
                }
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Some(deepest)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn nested(depth: usize) -> Value {
        let mut value = json!(0);
        for level in 0..depth {
            value = if level % 2 == 0 {
                json!([value])
            } else {
                json!({ "d": value })
            };
        }
        value
    }

    #[test]
    fn bytes_are_those_of_the_compact_text() {
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-12),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(-1),
            json!(9),
            json!(10),
            json!(1_000_000),
            json!(1.5),
            json!(1e300),
            json!(-0.0),
            json!(""),
            json!("quote \" backslash \\ tab \t nul \u{0} del \u{7f} é 😀"),
            json!([]),
            json!({}),
            json!([1, [2, [3]], {"a": {"b\n": [null, "x"]}}]),
            json!({"": "", "é": [true, false, {}]}),
        ];
        for value in values {
            let size = measure(&value, usize::MAX, MAX_DEPTH).unwrap();
            assert_eq!(size.bytes, value.to_string().len(), "{value}");
        }
    }

    #[test]
    fn the_flat_and_the_general_walks_agree() {
        for value in [
            json!(1),
            json!("text \n"),
            json!([1, "a", null, true]),
            json!({"a": 1, "b\"": [], "c": "x"}),
            json!([]),
            json!({}),
        ] {
            let flat = measure_flat(&value);
            let wrapped = json!([value.clone()]);
            let general = measure(&wrapped, usize::MAX, MAX_DEPTH).unwrap();
            if let Some(flat) = flat {
                // One level and one element more.
                assert_eq!(flat.bytes + 2, general.bytes, "{value}");
                assert_eq!(flat.depth + 1, general.depth, "{value}");
                assert_eq!(flat.memory + NODE_MEMORY, general.memory, "{value}");
            }
        }
    }

    #[test]
    fn depth_counts_arrays_and_objects() {
        assert_eq!(measure(&json!(1), 100, 10).unwrap().depth, 0);
        assert_eq!(measure(&json!([]), 100, 10).unwrap().depth, 1);
        assert_eq!(measure(&json!({"a": [1]}), 100, 10).unwrap().depth, 2);
        assert_eq!(measure(&nested(10), 1000, 10).unwrap().depth, 10);
        assert_eq!(
            measure(&nested(11), 1000, 10),
            Err(Exceeded::Depth { limit: 10 })
        );
    }

    #[test]
    fn measuring_stops_at_the_byte_bound() {
        // Nested, so that the general walk measures it node by node.
        let value = json!([["a".repeat(100)], ["b".repeat(100)]]);
        match measure(&value, 50, MAX_DEPTH) {
            Err(Exceeded::Bytes { limit, at_least }) => {
                assert_eq!(limit, 50);
                assert!(at_least > 50 && at_least < 150, "{at_least}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn memory_grows_with_the_value() {
        let small = measure(&json!([1]), usize::MAX, MAX_DEPTH).unwrap().memory;
        let large = measure(&json!([1, 2, 3, "text"]), usize::MAX, MAX_DEPTH)
            .unwrap()
            .memory;
        assert!(large > small + 3 * NODE_MEMORY, "{small} {large}");
    }

    #[test]
    fn a_value_far_deeper_than_any_stack_is_measured_without_recursion() {
        // Built and dismantled by hand: dropping it would recurse.
        let mut value = json!(0);
        for _ in 0..1_000_000 {
            value = Value::Array(vec![value]);
        }
        assert_eq!(
            measure(&value, usize::MAX, 100),
            Err(Exceeded::Depth { limit: 100 })
        );
        drop_deep(value);
        let mut value = json!(0);
        for _ in 0..1_000_000 {
            let mut fields = serde_json::Map::new();
            fields.insert("d".into(), value);
            fields.insert("e".into(), json!([1, {"f": [2]}]));
            value = Value::Object(fields);
        }
        drop_deep(value);
    }

    #[test]
    fn text_is_read_within_its_depth() {
        let deep = "[".repeat(300) + &"]".repeat(300);
        assert!(matches!(
            parse_json(&deep, 256),
            Err(ParseError::TooDeep { limit: 256 })
        ));
        let within = "[".repeat(256) + &"]".repeat(256);
        assert_eq!(
            measure(&parse_json(&within, 256).unwrap(), usize::MAX, 256)
                .unwrap()
                .depth,
            256
        );
        // Brackets in strings do not count, escaped quotes included.
        let quoted = format!(r#"{{"a": "{}\"{}"}}"#, "[".repeat(600), "{".repeat(600));
        assert_eq!(
            parse_json(&quoted, 2).unwrap()["a"].as_str().unwrap().len(),
            1201
        );
        // Beyond the ceiling, whatever the setting.
        let ceiling = "[".repeat(DEPTH_CEILING + 1) + &"]".repeat(DEPTH_CEILING + 1);
        assert!(matches!(
            parse_json(&ceiling, usize::MAX),
            Err(ParseError::TooDeep {
                limit: DEPTH_CEILING
            })
        ));
        assert!(matches!(parse_json("[1,", 10), Err(ParseError::Syntax(_))));
        assert!(matches!(parse_json("1 2", 10), Err(ParseError::Syntax(_))));
    }
}
