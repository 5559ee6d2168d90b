//! Reading argument values: each reader takes a JSON value and either gives
//! it in the form a function needs or says what is wrong with it
//! (`"must be an integer, found a string"`). The parser uses the same
//! readers on literal arguments, so a bad literal and a bad value from the
//! data are reported in the same words.

use crate::path::kind_of;
use serde_json::{Map, Value};

/// The most characters the Base64 functions and `States.Hash` accept.
pub(super) const TEXT_LIMIT: usize = 10_000;

/// The most elements `States.ArrayRange` may produce.
pub(super) const RANGE_LIMIT: usize = 1000;

/// A string.
pub(super) fn text(value: &Value) -> Result<&str, String> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(format!("must be a string, found {}", kind_of(other))),
    }
}

/// A string of at most [`TEXT_LIMIT`] characters.
pub(super) fn limited_text(value: &Value) -> Result<&str, String> {
    let text = text(value)?;
    check_length(text, "")?;
    Ok(text)
}

fn check_length(text: &str, what: &str) -> Result<(), String> {
    let length = text.chars().count();
    if length > TEXT_LIMIT {
        Err(format!(
            "is too long: {what}{length} characters, more than the limit of 10,000"
        ))
    } else {
        Ok(())
    }
}

/// A non-empty string, each character of which is a delimiter.
pub(super) fn delimiters(value: &Value) -> Result<&str, String> {
    let text = text(value)?;
    if text.is_empty() {
        Err("must hold at least one delimiter character, found an empty string".to_string())
    } else {
        Ok(text)
    }
}

/// The text `States.Hash` digests: a string as it is, any other value as
/// compact JSON; at most [`TEXT_LIMIT`] characters.
pub(super) fn hash_data(value: &Value) -> Result<std::borrow::Cow<'_, str>, String> {
    let text = match value {
        Value::String(text) => std::borrow::Cow::Borrowed(text.as_str()),
        other => std::borrow::Cow::Owned(other.to_string()),
    };
    let what = if value.is_string() {
        ""
    } else {
        "its JSON text has "
    };
    check_length(&text, what)?;
    Ok(text)
}

/// A hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Algorithm {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

const ALGORITHMS: [(&str, Algorithm); 5] = [
    ("MD5", Algorithm::Md5),
    ("SHA-1", Algorithm::Sha1),
    ("SHA-256", Algorithm::Sha256),
    ("SHA-384", Algorithm::Sha384),
    ("SHA-512", Algorithm::Sha512),
];

/// One of the algorithm names `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`.
pub(super) fn algorithm(value: &Value) -> Result<Algorithm, String> {
    let name = text(value)?;
    ALGORITHMS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, algorithm)| *algorithm)
        .ok_or_else(|| {
            format!(
                "must be one of MD5, SHA-1, SHA-256, SHA-384 or SHA-512, found `{}`",
                shorten(name)
            )
        })
}

/// A text value quoted in a message, cut short when long.
pub(super) fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

/// An array.
pub(super) fn array(value: &Value) -> Result<&Vec<Value>, String> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(format!("must be an array, found {}", kind_of(other))),
    }
}

/// The most bytes of JSON text `States.ArrayPartition` and
/// `States.ArrayContains` accept as their array.
pub(super) const ARRAY_BYTES_LIMIT: usize = 256 * 1024;

/// An array whose compact JSON text is at most [`ARRAY_BYTES_LIMIT`] bytes.
pub(super) fn limited_array(value: &Value) -> Result<&Vec<Value>, String> {
    let items = array(value)?;
    let mut budget = Budget {
        left: ARRAY_BYTES_LIMIT,
    };
    if serde_json::to_writer(&mut budget, value).is_err() {
        return Err("is too large: its JSON text is over the limit of 256 KiB".to_string());
    }
    Ok(items)
}

/// A writer that only counts, and fails once more than `left` bytes come.
struct Budget {
    left: usize,
}

impl std::io::Write for Budget {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.left = self
            .left
            .checked_sub(buf.len())
            .ok_or_else(|| std::io::Error::other("over budget"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An object.
pub(super) fn object(value: &Value) -> Result<&Map<String, Value>, String> {
    match value {
        Value::Object(fields) => Ok(fields),
        other => Err(format!("must be an object, found {}", kind_of(other))),
    }
}

/// The text a value stands for in `States.Format`: a string without its
/// quotes, a number, boolean or null as JSON, and an object or array as AWS
/// writes them there: `{Arg1=1, Arg2=[a, b]}` (strings without quotes
/// inside them too).
pub(super) fn scalar_text(value: &Value) -> Result<std::borrow::Cow<'_, str>, String> {
    match value {
        Value::String(text) => Ok(std::borrow::Cow::Borrowed(text)),
        Value::Number(_) | Value::Bool(_) | Value::Null => {
            Ok(std::borrow::Cow::Owned(value.to_string()))
        }
        composite => {
            let mut text = String::new();
            write_formatted(composite, &mut text);
            Ok(std::borrow::Cow::Owned(text))
        }
    }
}

/// Writes an object or array as `States.Format` renders it. Values are at
/// most as deep as the data's depth bound, which the recursion follows.
fn write_formatted(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => out.push_str(text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_formatted(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (index, (key, member)) in members.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                write_formatted(member, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// An integer; a number with a fraction is rounded to the nearest integer,
/// halves up (towards positive infinity), as AWS rounds them: -1.5 gives
/// -1 and 2.5 gives 3.
pub(super) fn rounded(value: &Value) -> Result<i64, String> {
    let Value::Number(number) = value else {
        return Err(format!("must be an integer, found {}", kind_of(value)));
    };
    if let Some(integer) = number.as_i64() {
        return Ok(integer);
    }
    let too_large = || format!("must be an integer, found {number}, which is too large");
    if number.is_u64() {
        return Err(too_large());
    }
    let exact = number.as_f64().ok_or_else(too_large)?;
    let floor = exact.floor();
    let float = if exact - floor >= 0.5 {
        floor + 1.0
    } else {
        floor
    };
    // Every whole float in [-2^63, 2^63) converts to i64 exactly.
    if (-TWO_POW_63..TWO_POW_63).contains(&float) {
        Ok(float as i64)
    } else {
        Err(too_large())
    }
}

/// 2^63 as a float: the first whole float beyond the range of `i64`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// A step: an integer other than 0.
pub(super) fn step(value: &Value) -> Result<i64, String> {
    match rounded(value)? {
        0 => Err(format!("must not be 0, found {value}")),
        step => Ok(step),
    }
}

/// A chunk size: an integer of at least 1.
pub(super) fn size(value: &Value) -> Result<usize, String> {
    let size = rounded(value)?;
    usize::try_from(size)
        .ok()
        .filter(|size| *size >= 1)
        .ok_or_else(|| {
            if value.as_i64() == Some(size) {
                format!("must be a positive integer, found {size}")
            } else {
                format!("must be a positive integer, found {value} (rounds to {size})")
            }
        })
}

/// An array index: a whole number of at least 0. Fractions are not rounded.
pub(super) fn index(value: &Value) -> Result<usize, String> {
    let Value::Number(number) = value else {
        return Err(format!("must be an integer, found {}", kind_of(value)));
    };
    if let Some(index) = number.as_u64() {
        return usize::try_from(index).map_err(|_| format!("is too large: {index}"));
    }
    if number.as_i64().is_some() {
        return Err(format!("must not be negative, found {number}"));
    }
    match number.as_f64() {
        Some(float) if float.fract() == 0.0 && (0.0..TWO_POW_63).contains(&float) => {
            // A whole float in [0, 2^63) converts to u64 exactly.
            usize::try_from(float as u64).map_err(|_| format!("is too large: {number}"))
        }
        Some(float) if float < 0.0 => Err(format!("must not be negative, found {number}")),
        _ => Err(format!("must be a whole number, found {number}")),
    }
}

/// An integer in the 32-bit signed range, after rounding.
pub(super) fn int32(value: &Value) -> Result<i32, String> {
    let integer = rounded(value)?;
    i32::try_from(integer).map_err(|_| {
        format!("must be between -2147483648 and 2147483647 (a 32-bit integer), found {value}")
    })
}

/// The third argument of `States.JsonMerge`, which must be `false`.
pub(super) fn shallow(value: &Value) -> Result<(), String> {
    match value {
        Value::Bool(false) => Ok(()),
        Value::Bool(true) => Err(
            "must be `false`: only a shallow merge is supported, so `true` (a deep merge) \
             is not accepted"
                .to_string(),
        ),
        other => Err(format!(
            "must be the boolean `false`, found {}",
            kind_of(other)
        )),
    }
}
