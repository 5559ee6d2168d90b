//! What each intrinsic function does with its argument values.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use sha2::Digest as _;

use super::args::{self, Algorithm, RANGE_LIMIT};
use super::format::{FormatTemplate, count_mismatch};
use super::{Argument, Function, IntrinsicCall, IntrinsicError};
use crate::budget::Budget;
use crate::path::{Roots, Selection};
use crate::value::{canonical_key, same};

/// Evaluates the arguments from left to right, then applies the function.
///
/// A function whose result grows with its arguments is paid for before it
/// runs, by the size of its arguments, so that no call builds more than the
/// budget holds; a cut-short call gives `Null`, and the caller checks the
/// budget.
pub(super) fn evaluate(
    call: &IntrinsicCall,
    roots: Roots<'_>,
    budget: &Budget,
) -> Result<Value, IntrinsicError> {
    let function = call.function;
    let mut values = Vec::with_capacity(call.arguments.len());
    for argument in &call.arguments {
        values.push(match argument {
            Argument::Literal(value) => Cow::Borrowed(value),
            Argument::Path(path) => match path.select_in(roots, budget) {
                Ok(Selection::One(value)) => Cow::Borrowed(value),
                Ok(many) => match many.into_value_within(budget) {
                    Ok(value) => Cow::Owned(value),
                    Err(_) => return Ok(Value::Null),
                },
                Err(no_match) => {
                    return Err(IntrinsicError::PathNotFound {
                        function: function.name(),
                        no_match,
                    });
                }
            },
            Argument::Call(inner) => Cow::Owned(evaluate(inner, roots, budget)?),
        });
        if budget.check().is_err() {
            return Ok(Value::Null);
        }
    }
    let grows = grows_with_arguments(function);
    if grows && !values.iter().all(|value| budget.pay_for(value)) {
        return Ok(Value::Null);
    }
    let result = Apply {
        function,
        template: call.template.as_ref(),
        values,
        depth: budget.limits().max_depth(),
    }
    .run()?;
    // The others build a result of a bounded size (at most 1,000 items for
    // `States.ArrayRange`), paid for once built.
    if !grows && !budget.pay_for(&result) {
        return Ok(Value::Null);
    }
    Ok(result)
}

/// Whether a function's result is built from its arguments, and so may be
/// as large as they are together (or a few times larger, for
/// `States.JsonToString` and `States.Base64Encode`, whose arguments are
/// themselves bounded).
fn grows_with_arguments(function: Function) -> bool {
    matches!(
        function,
        Function::Format
            | Function::Array
            | Function::ArrayPartition
            | Function::ArrayUnique
            | Function::JsonMerge
            | Function::JsonToString
            | Function::StringSplit
            | Function::StringToJson
            | Function::Base64Encode
            | Function::Base64Decode
            | Function::ArrayGetItem
    )
}

/// A function with its evaluated arguments.
struct Apply<'a> {
    function: Function,
    template: Option<&'a FormatTemplate>,
    values: Vec<Cow<'a, Value>>,
    /// How deeply JSON read by `States.StringToJson` may nest.
    depth: usize,
}

impl<'a> Apply<'a> {
    fn run(self) -> Result<Value, IntrinsicError> {
        match self.function {
            Function::Format => self.format(),
            Function::StringToJson => {
                let text = self.read(0, args::text)?;
                // Empty text, or only white space, is null, as AWS reads it.
                if text.trim().is_empty() {
                    return Ok(Value::Null);
                }
                let value = crate::limits::parse_json(text, self.depth).map_err(|error| {
                    self.bad_argument(0, format!("must hold JSON text: {error}"))
                })?;
                // `-0` is the number 0.
                Ok(match value {
                    Value::Number(number) if number.as_f64() == Some(0.0) => Value::from(0),
                    other => other,
                })
            }
            Function::JsonToString => Ok(Value::String(self.values[0].to_string())),
            Function::Array => Ok(Value::Array(
                self.values.into_iter().map(Cow::into_owned).collect(),
            )),
            Function::ArrayPartition => {
                let items = self.read(0, args::limited_array)?;
                let size = self.read(1, args::size)?;
                Ok(Value::Array(
                    items
                        .chunks(size)
                        .map(|chunk| Value::Array(chunk.to_vec()))
                        .collect(),
                ))
            }
            Function::ArrayContains => {
                let items = self.read(0, args::limited_array)?;
                let wanted = &self.values[1];
                Ok(Value::Bool(items.iter().any(|item| same(item, wanted))))
            }
            Function::ArrayRange => self.range(),
            Function::ArrayGetItem => {
                let items = self.read(0, args::array)?;
                let index = self.read(1, args::index)?;
                items.get(index).cloned().ok_or_else(|| {
                    let reason = match items.len() {
                        0 => format!("is {index}, but the array is empty"),
                        1 => format!("is {index}, but the array has 1 item (index 0)"),
                        len => format!(
                            "is {index}, but the array has {len} items (indexes 0 to {})",
                            len - 1
                        ),
                    };
                    self.bad_argument(1, reason)
                })
            }
            Function::ArrayLength => Ok(Value::from(self.read(0, args::array)?.len())),
            Function::ArrayUnique => {
                let items = self.read(0, args::array)?;
                let mut seen = HashSet::with_capacity(items.len());
                Ok(Value::Array(
                    items
                        .iter()
                        .filter(|item| seen.insert(canonical_key(item)))
                        .cloned()
                        .collect(),
                ))
            }
            Function::Base64Encode => {
                let text = self.read(0, args::limited_text)?;
                Ok(Value::String(BASE64.encode(text)))
            }
            Function::Base64Decode => self.base64_decode(),
            Function::Hash => {
                let data = self.read(0, args::hash_data)?;
                let algorithm = self.read(1, args::algorithm)?;
                Ok(Value::String(hex_digest(algorithm, data.as_bytes())))
            }
            Function::JsonMerge => {
                let first = self.read(0, args::object)?;
                let second = self.read(1, args::object)?;
                self.read(2, args::shallow)?;
                let mut merged = first.clone();
                for (key, value) in second {
                    merged.insert(key.clone(), value.clone());
                }
                Ok(Value::Object(merged))
            }
            Function::MathRandom => self.random(),
            Function::MathAdd => {
                let first = self.read(0, args::int32)?;
                let second = self.read(1, args::int32)?;
                // AWS adds in 32 bits and fails a sum that does not fit.
                let sum = first.checked_add(second).ok_or_else(|| {
                    self.failure(format!(
                        "the sum of {first} and {second} is not a 32-bit integer"
                    ))
                })?;
                Ok(Value::from(sum))
            }
            Function::StringSplit => {
                let text = self.read(0, args::text)?;
                let delimiters = self.read(1, args::delimiters)?;
                Ok(Value::Array(
                    text.split(|c: char| delimiters.contains(c))
                        .filter(|piece| !piece.is_empty())
                        .map(Value::from)
                        .collect(),
                ))
            }
            Function::Uuid => {
                let bytes = rand::rng().random::<[u8; 16]>();
                let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
                Ok(Value::String(uuid.to_string()))
            }
        }
    }

    /// Reads argument `index` with `reader`, naming the argument if it fails.
    fn read<'s, T>(
        &'s self,
        index: usize,
        reader: impl FnOnce(&'s Value) -> Result<T, String>,
    ) -> Result<T, IntrinsicError> {
        reader(&self.values[index]).map_err(|reason| self.bad_argument(index, reason))
    }

    fn bad_argument(&self, index: usize, reason: String) -> IntrinsicError {
        self.failure(format!("{} {reason}", self.function.argument_label(index)))
    }

    fn failure(&self, message: String) -> IntrinsicError {
        IntrinsicError::Failure {
            function: self.function.name(),
            message,
        }
    }

    fn format(&self) -> Result<Value, IntrinsicError> {
        let template = match self.template {
            Some(template) => Cow::Borrowed(template),
            None => Cow::Owned(FormatTemplate::from_data(self.read(0, args::text)?)),
        };
        let texts = (1..self.values.len())
            .map(|index| self.read(index, args::scalar_text))
            .collect::<Result<Vec<_>, _>>()?;
        if template.placeholders() != texts.len() {
            return Err(self.failure(count_mismatch(template.placeholders(), texts.len())));
        }
        Ok(Value::String(template.render(texts)))
    }

    fn range(&self) -> Result<Value, IntrinsicError> {
        let start = self.read(0, args::rounded)?;
        let end = self.read(1, args::rounded)?;
        let step = self.read(2, args::step)?;
        let span = i128::from(end) - i128::from(start);
        let count = if span == 0 || (span > 0) == (step > 0) {
            span / i128::from(step) + 1
        } else {
            0
        };
        if count > RANGE_LIMIT as i128 {
            return Err(self.failure(format!(
                "from {start} to {end} in steps of {step} gives {count} items, \
                 more than the limit of {RANGE_LIMIT}"
            )));
        }
        // Every item lies between start and end, so no addition overflows
        // before the last one.
        let items = std::iter::successors(Some(start), |item| item.checked_add(step));
        Ok(Value::Array(
            items.take(count as usize).map(Value::from).collect(),
        ))
    }

    fn base64_decode(&self) -> Result<Value, IntrinsicError> {
        let text = self.read(0, args::limited_text)?;
        let compact: Cow<'_, str> = if text.contains(|c: char| c.is_ascii_whitespace()) {
            Cow::Owned(text.split_ascii_whitespace().collect())
        } else {
            Cow::Borrowed(text)
        };
        let bytes = BASE64
            .decode(compact.as_bytes())
            .map_err(|error| self.bad_argument(0, format!("is not valid Base64: {error}")))?;
        String::from_utf8(bytes)
            .map(Value::String)
            .map_err(|_| self.bad_argument(0, "decodes to bytes that are not UTF-8 text".into()))
    }

    fn random(&self) -> Result<Value, IntrinsicError> {
        let start = self.read(0, args::rounded)?;
        let end = self.read(1, args::rounded)?;
        if start >= end {
            return Err(self.failure(format!(
                "the start (argument 1) must be less than the end (argument 2), \
                 which is excluded; found {start} and {end}"
            )));
        }
        let number = if self.values.len() == 3 {
            let seed = self.read(2, args::rounded)?;
            StdRng::seed_from_u64(seed as u64).random_range(start..end)
        } else {
            rand::rng().random_range(start..end)
        };
        Ok(Value::from(number))
    }
}

fn hex_digest(algorithm: Algorithm, data: &[u8]) -> String {
    let digest = match algorithm {
        Algorithm::Md5 => md5::Md5::digest(data).to_vec(),
        Algorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Algorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Algorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
        Algorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
    };
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_lowercase_hex() {
        assert_eq!(
            hex_digest(Algorithm::Md5, b""),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
    }
}
