//! `$replace` and `$split`, bounded as they build their results.
//!
//! The engine's own versions build the whole result before its size is
//! checked, in one step, out of reach of the evaluation's step and memory
//! checks, which run between steps: a 2 MiB string whose every character
//! `$replace` replaces by a 2 MiB string asks for terabytes, and `$split`
//! of a 2 MiB string into characters holds about 100 MB. These check the
//! string and array limits before each piece they add, and otherwise answer
//! as JSONata defines them:
//!
//! - `$replace(str, pattern, replacement [, limit])`: a string pattern
//!   replaces its occurrences; a regular expression its matches, by a
//!   string in which `$0` is the match, `$1`... its groups and `$$` a
//!   dollar sign, or by what a function of the match gives; `limit` counts
//!   the replacements.
//! - `$split(str, separator [, limit])`: the parts between the occurrences
//!   of a string, or the matches of a regular expression; `limit` counts
//!   the parts.

use jlens_core::{Callable, Error, HostCall, HostFunction};
use serde_json::{Map, Value};

use super::functions::{array_limit, string_limit};

/// `$replace`, with JSONata's signature for it.
pub(crate) fn replace_function() -> Option<HostFunction> {
    HostFunction::with_signature("<s-(sf)(sf)n?:s>", replace).ok()
}

/// `$split`, with JSONata's signature for it.
pub(crate) fn split_function() -> Option<HostFunction> {
    HostFunction::with_signature("<s-(sf)n?:a<s>>", split).ok()
}

/// An array of strings built within the limit.
struct Parts {
    items: Vec<Value>,
    limit: usize,
}

impl Parts {
    fn push(&mut self, part: &str) -> Result<(), Error> {
        if self.items.len() >= self.limit {
            return Err(Error::new("U1001").with(
                "message",
                format!(
                    "$split would build an array of more than {} items",
                    self.limit
                ),
            ));
        }
        self.items.push(Value::String(part.to_owned()));
        Ok(())
    }
}

fn split(args: &[Option<Value>], call: &HostCall<'_>) -> Result<Option<Value>, Error> {
    let Some(Some(Value::String(text))) = args.first() else {
        return Ok(None);
    };
    // The count is checked before the separator is used, as jsonata-js does.
    let limit = match args.get(2).and_then(Option::as_ref).and_then(Value::as_f64) {
        Some(limit) if limit < 0.0 => {
            return Err(Error::new("D3020").with("value", limit).with("index", 3));
        }
        limit => limit,
    };
    let separator = args.get(1).and_then(Option::as_ref);
    let matcher = call.function(1);
    if separator.is_none() && matcher.is_none() {
        return Ok(None);
    }
    let most = limit.map_or(usize::MAX, |limit| limit as usize);
    let mut parts = Parts {
        items: Vec::new(),
        limit: array_limit(),
    };
    if most == 0 {
        return Ok(Some(Value::Array(parts.items)));
    }
    if let Some(Value::String(separator)) = separator {
        if separator.is_empty() {
            for (index, character) in text.char_indices().take(most) {
                parts.push(&text[index..index + character.len_utf8()])?;
            }
        } else {
            for part in text.split(separator.as_str()).take(most) {
                parts.push(part)?;
            }
        }
        return Ok(Some(Value::Array(parts.items)));
    }
    let Some(matcher) = matcher else {
        return Ok(None);
    };
    let mut matched = first_match(&matcher, text)?;
    let mut start = 0;
    while let Some(found) = matched.filter(|_| parts.items.len() < most) {
        let end = byte_offset(text, found.start);
        parts.push(text.get(start..end).unwrap_or_default())?;
        start = byte_offset(text, found.end);
        matched = next_match(&matcher, text, found.end)?;
    }
    if parts.items.len() < most {
        parts.push(text.get(start..).unwrap_or_default())?;
    }
    Ok(Some(Value::Array(parts.items)))
}

/// A string built within the limit.
struct Bounded {
    text: String,
    limit: usize,
}

impl Bounded {
    fn push(&mut self, piece: &str) -> Result<(), Error> {
        if self.text.len() + piece.len() > self.limit {
            return Err(Error::new("U1001").with(
                "message",
                format!(
                    "$replace would build a string longer than the limit of {} bytes",
                    self.limit
                ),
            ));
        }
        self.text.push_str(piece);
        Ok(())
    }
}

fn replace(args: &[Option<Value>], call: &HostCall<'_>) -> Result<Option<Value>, Error> {
    let Some(Some(Value::String(text))) = args.first() else {
        return Ok(None);
    };
    let pattern = args.get(1).and_then(Option::as_ref);
    if pattern.and_then(Value::as_str) == Some("") {
        return Err(Error::new("D3010").with("value", "").with("index", 2));
    }
    // The count is checked before the pattern is used, as jsonata-js does.
    let limit = match args.get(3).and_then(Option::as_ref).and_then(Value::as_f64) {
        Some(limit) if limit < 0.0 => {
            return Err(Error::new("D3011").with("value", limit).with("index", 4));
        }
        limit => limit,
    };
    let matcher = call.function(1);
    if pattern.is_none() && matcher.is_none() {
        return Ok(None);
    }
    if limit.is_some_and(|limit| limit <= 0.0) {
        return Ok(Some(Value::String(text.clone())));
    }
    let within = |count: f64| limit.is_none_or(|limit| count < limit);
    let mut out = Bounded {
        text: String::new(),
        limit: string_limit(),
    };
    if let Some(Value::String(pattern)) = pattern {
        let replacement = args
            .get(2)
            .and_then(Option::as_ref)
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut position = 0;
        let mut count = 0.0;
        while within(count) {
            let Some(found) = text[position..].find(pattern.as_str()) else {
                break;
            };
            let at = position + found;
            out.push(&text[position..at])?;
            out.push(replacement)?;
            position = at + pattern.len();
            count += 1.0;
        }
        out.push(&text[position..])?;
        return Ok(Some(Value::String(out.text)));
    }
    let Some(matcher) = matcher else {
        return Ok(None);
    };
    let replacer = call.function(2);
    let replacement = args.get(2).and_then(Option::as_ref);
    let mut matched = first_match(&matcher, text)?;
    let mut position = 0;
    let mut count = 0.0;
    while let Some(found) = matched.filter(|_| within(count)) {
        let start = byte_offset(text, found.start);
        out.push(text.get(position..start).unwrap_or_default())?;
        match (&replacer, replacement) {
            (Some(function), _) => {
                let object = Value::Object(found.object.clone());
                match function.call(&[Some(object)])? {
                    Some(Value::String(piece)) => out.push(&piece)?,
                    other => {
                        let error = Error::new("D3012");
                        return Err(match other {
                            Some(value) => error.with("value", value),
                            None => error,
                        });
                    }
                }
            }
            (None, Some(Value::String(template))) => substitute(template, &found, &mut out)?,
            (None, _) => {}
        }
        position = byte_offset(text, found.start + utf16_length(&found.text));
        count += 1.0;
        matched = next_match(&matcher, text, found.end)?;
    }
    out.push(text.get(position..).unwrap_or_default())?;
    Ok(Some(Value::String(out.text)))
}

/// A match of a regular expression, as its matcher answers it.
struct Match {
    /// The matched text.
    text: String,
    /// Where it starts and ends, in UTF-16 code units (as JSONata counts).
    start: usize,
    end: usize,
    /// The groups, each absent when it took no part in the match.
    groups: Vec<Option<String>>,
    /// The match object a replacing function receives.
    object: Map<String, Value>,
}

/// The first match of `matcher` in `text`.
fn first_match(matcher: &Callable<'_>, text: &str) -> Result<Option<Match>, Error> {
    let answer = matcher.call(&[Some(Value::String(text.to_owned()))])?;
    read_match(answer)
}

/// The match after the one that ended at `end`: none at the end of the
/// text; a match of nothing there would never end, and fails.
fn next_match(matcher: &Callable<'_>, text: &str, end: usize) -> Result<Option<Match>, Error> {
    if byte_offset(text, end) >= text.len() {
        return Ok(None);
    }
    let answer = matcher.call(&[Some(Value::String(text.to_owned())), Some(Value::from(end))])?;
    let found = read_match(answer)?;
    if found.as_ref().is_some_and(|found| found.text.is_empty()) {
        return Err(Error::new("D1004"));
    }
    Ok(found)
}

/// Reads what a matcher answered: nothing, or a match object.
fn read_match(answer: Option<Value>) -> Result<Option<Match>, Error> {
    let Some(answer) = answer else {
        return Ok(None);
    };
    let Value::Object(object) = answer else {
        return Err(Error::new("T1010"));
    };
    let offset = |field: &str| {
        object
            .get(field)
            .and_then(Value::as_f64)
            .filter(|n| *n >= 0.0)
            .map(|n| n as usize)
    };
    let (Some(start), Some(text)) = (offset("start"), object.get("match").and_then(Value::as_str))
    else {
        return Err(Error::new("T1010"));
    };
    let text = text.to_owned();
    let end = offset("end").unwrap_or(start + utf16_length(&text));
    let groups = match object.get("groups") {
        Some(Value::Array(groups)) => groups
            .iter()
            .map(|group| group.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Some(Match {
        text,
        start,
        end,
        groups,
        object,
    }))
}

/// Writes `template` for one match: `$$` is a dollar sign, `$0` the match,
/// `$n` the group `n` (as many digits as the number of groups has, one
/// fewer when that names no group); a `$` before anything else stays.
fn substitute(template: &str, found: &Match, out: &mut Bounded) -> Result<(), Error> {
    let bytes = template.as_bytes();
    let mut position = 0;
    while let Some(offset) = template[position..].find('$') {
        let dollar = position + offset;
        out.push(&template[position..dollar])?;
        position = dollar + 1;
        match bytes.get(position) {
            Some(b'$') => {
                out.push("$")?;
                position += 1;
            }
            Some(b'0') => {
                out.push(&found.text)?;
                position += 1;
            }
            _ => {
                let groups = found.groups.len();
                let width = if groups == 0 {
                    1
                } else {
                    groups.ilog10() as usize + 1
                };
                let leading = |width: usize| -> Option<usize> {
                    let digits: String = template[position..]
                        .chars()
                        .take(width)
                        .take_while(char::is_ascii_digit)
                        .collect();
                    digits.parse().ok()
                };
                let mut index = leading(width);
                if width > 1 && index.is_some_and(|index| index > groups) {
                    index = leading(width - 1);
                }
                match index {
                    Some(index) => {
                        if let Some(Some(group)) =
                            index.checked_sub(1).and_then(|i| found.groups.get(i))
                        {
                            out.push(group)?;
                        }
                        // As many characters as the number has without
                        // leading zeros, as JSONata counts them.
                        position += index.to_string().len();
                    }
                    None => out.push("$")?,
                }
            }
        }
    }
    out.push(&template[position..])
}

/// The byte offset of the UTF-16 offset `units` in `text`.
fn byte_offset(text: &str, units: usize) -> usize {
    let mut counted = 0;
    for (index, character) in text.char_indices() {
        if counted >= units {
            return index;
        }
        counted += character.len_utf16();
    }
    text.len()
}

fn utf16_length(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}
