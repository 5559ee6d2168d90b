//! Reading a request body: a JSON object whose members are taken one by one
//! with their type and constraints checked, every problem named by its
//! member and collected, so that one answer lists them all.
//!
//! Problems are worded as AWS words its validation errors
//! (`Value null at 'stateMachineArn' failed to satisfy constraint: Member
//! must not be null`). A member set to `null` counts as absent, as in the
//! AWS JSON protocol. A member the operation does not have is a problem too:
//! nothing a client sends is silently dropped.
//!
//! A problem quotes the value or member name at fault only in part (its
//! first [`QUOTED_CHARS`] characters and its length), and suggests a member
//! name only for a short misspelling, so that neither the answer nor the
//! work of making it grows with what the client sent.

use serde_json::{Map, Value};
use sfini_core::suggest::did_you_mean;

use super::error::ApiError;
use crate::api::{QUOTED_CHARS, Tag, quoted};

/// The longest unknown member name for which a known one is suggested:
/// longer than any member name, so only a misspelling, and short enough
/// that comparing it costs little.
const SUGGESTED_UP_TO: usize = 64;

/// The length bounds of a string member, in characters (as AWS counts
/// them, `None` for no bound).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Length {
    pub(crate) min: Option<usize>,
    pub(crate) max: Option<usize>,
}

/// An ARN: 1 to 256 characters.
pub(crate) const ARN: Length = Length::between(1, 256);
/// A name: 1 to 80 characters.
pub(crate) const NAME: Length = Length::between(1, 80);
/// A page token: 1 to 1024 characters.
pub(crate) const PAGE_TOKEN: Length = Length::between(1, 1024);
/// The page token of `ListExecutions`: 1 to 3096 characters.
pub(crate) const EXECUTIONS_PAGE_TOKEN: Length = Length::between(1, 3096);
/// A task token: 1 to 2048 characters.
pub(crate) const TASK_TOKEN: Length = Length::between(1, 2048);
/// A definition: 1 to 1 048 576 characters.
pub(crate) const DEFINITION: Length = Length::between(1, 1_048_576);
/// An input or output: at most 262 144 characters.
pub(crate) const DATA: Length = Length::at_most(262_144);
/// An error name: at most 256 characters.
pub(crate) const ERROR: Length = Length::at_most(256);
/// A cause: at most 32 768 characters.
pub(crate) const CAUSE: Length = Length::at_most(32_768);
/// A trace header: at most 256 characters.
pub(crate) const TRACE_HEADER: Length = Length::at_most(256);
/// A tag key: 1 to 128 characters.
pub(crate) const TAG_KEY: Length = Length::between(1, 128);
/// A tag value: at most 256 characters.
const TAG_VALUE: Length = Length::at_most(256);

impl Length {
    const fn between(min: usize, max: usize) -> Length {
        Length {
            min: Some(min),
            max: Some(max),
        }
    }

    pub(crate) const fn at_most(max: usize) -> Length {
        Length {
            min: None,
            max: Some(max),
        }
    }
}

/// The members of one request, read one by one.
pub(crate) struct Reader {
    members: Map<String, Value>,
    /// The members asked for so far, for suggestions.
    known: Vec<&'static str>,
    problems: Vec<String>,
}

impl Reader {
    /// Reads `body` as a JSON object; an empty body is an empty object, as
    /// SDKs send no body for an operation without members.
    pub(crate) fn from_body(body: &[u8]) -> Result<Reader, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Reader::new(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(members)) => Ok(Reader::new(members)),
            Ok(other) => Err(ApiError::validation(&[format!(
                "the request body is {}, not a JSON object of the operation's members",
                describe(&other)
            )])),
            Err(error) => Err(ApiError::validation(&[format!(
                "the request body is not JSON ({error}); it must be a JSON object of the \
                 operation's members"
            )])),
        }
    }

    fn new(members: Map<String, Value>) -> Reader {
        Reader {
            members,
            known: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Takes a member out; `None` when absent or `null`.
    fn take(&mut self, name: &'static str) -> Option<Value> {
        self.known.push(name);
        self.members.remove(name).filter(|value| !value.is_null())
    }

    fn problem(&mut self, problem: String) {
        self.problems.push(problem);
    }

    fn wrong_type(&mut self, name: &str, value: &Value, expected: &str) {
        self.problem(format!(
            "Value {} at '{name}' failed to satisfy constraint: Member must be {expected}",
            shown(value)
        ));
    }

    /// True when the request has the member `name`, not null.
    pub(crate) fn present(&self, name: &str) -> bool {
        self.members.get(name).is_some_and(|value| !value.is_null())
    }

    /// Records that the required member `name` is missing.
    pub(crate) fn missing(&mut self, name: &str) {
        self.problem(format!(
            "Value null at '{name}' failed to satisfy constraint: Member must not be null"
        ));
    }

    /// An optional string member within `length`.
    pub(crate) fn string(&mut self, name: &'static str, length: Length) -> Option<String> {
        match self.take(name)? {
            Value::String(text) => {
                self.check_length(name, &text, length);
                Some(text)
            }
            other => {
                self.wrong_type(name, &other, "a string");
                None
            }
        }
    }

    /// A required string member within `length` (empty when missing, with
    /// the problem recorded).
    pub(crate) fn required_string(&mut self, name: &'static str, length: Length) -> String {
        let present = self.members.get(name).is_some_and(|value| !value.is_null());
        let value = self.string(name, length);
        if !present {
            self.missing(name);
        }
        value.unwrap_or_default()
    }

    fn check_length(&mut self, name: &str, text: &str, length: Length) {
        let count = text.chars().count();
        if let Some(min) = length.min
            && count < min
        {
            self.problem(format!(
                "Value {} at '{name}' failed to satisfy constraint: Member must have length \
                 greater than or equal to {min}",
                quoted(text, '\'')
            ));
        }
        if let Some(max) = length.max
            && count > max
        {
            // The value itself may be large or sensitive: it is not shown.
            self.problem(format!(
                "Value at '{name}' failed to satisfy constraint: Member must have length \
                 less than or equal to {max} (it has {count} characters)"
            ));
        }
    }

    /// An optional integer member in `min..=max`.
    pub(crate) fn integer(&mut self, name: &'static str, min: i64, max: i64) -> Option<i64> {
        let value = self.take(name)?;
        let Some(number) = value.as_i64() else {
            self.wrong_type(name, &value, "an integer");
            return None;
        };
        if number < min {
            self.problem(format!(
                "Value '{number}' at '{name}' failed to satisfy constraint: Member must have \
                 value greater than or equal to {min}"
            ));
            return None;
        }
        if number > max {
            self.problem(format!(
                "Value '{number}' at '{name}' failed to satisfy constraint: Member must have \
                 value less than or equal to {max}"
            ));
            return None;
        }
        Some(number)
    }

    /// An optional boolean member.
    pub(crate) fn boolean(&mut self, name: &'static str) -> Option<bool> {
        match self.take(name)? {
            Value::Bool(flag) => Some(flag),
            other => {
                self.wrong_type(name, &other, "a boolean");
                None
            }
        }
    }

    /// An optional enumeration member: one of `names`, read by `parse`.
    pub(crate) fn keyword<T>(
        &mut self,
        name: &'static str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.string(name, Length::at_most(usize::MAX))?;
        let parsed = parse(&text);
        if parsed.is_none() {
            self.problem(format!(
                "Value {} at '{name}' failed to satisfy constraint: Member must satisfy enum \
                 value set: [{}]",
                quoted(&text, '\''),
                names.join(", ")
            ));
        }
        parsed
    }

    /// The `tags` member, required (`TagResource`).
    pub(crate) fn required_tags(&mut self) -> Vec<Tag> {
        if self.members.get("tags").is_none_or(Value::is_null) {
            self.missing("tags");
        }
        self.tags()
    }

    /// A required list of strings, each within `length` (`tagKeys`).
    pub(crate) fn required_string_list(
        &mut self,
        name: &'static str,
        length: Length,
    ) -> Vec<String> {
        let Some(value) = self.take(name) else {
            self.missing(name);
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.wrong_type(name, &value, "a list of strings");
            return Vec::new();
        };
        let mut texts = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let at = format!("{name}.{}.member", index + 1);
            match item {
                Value::String(text) => {
                    self.check_length(&at, &text, length);
                    texts.push(text);
                }
                other => self.wrong_type(&at, &other, "a string"),
            }
        }
        texts
    }

    /// The `tags` member: a list of `{"key", "value"}` objects.
    pub(crate) fn tags(&mut self) -> Vec<Tag> {
        let Some(value) = self.take("tags") else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.wrong_type("tags", &value, "a list of {\"key\", \"value\"} objects");
            return Vec::new();
        };
        let mut tags = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let at = format!("tags.{}", index + 1);
            let Value::Object(mut members) = item else {
                self.problem(format!(
                    "Value {} at '{at}' failed to satisfy constraint: Member must be an object \
                     {{\"key\", \"value\"}}",
                    shown(&item)
                ));
                continue;
            };
            let mut part = |member: &str, length: Length, problems: &mut Vec<String>| match members
                .remove(member)
            {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(text)) => {
                    let mut inner = Reader::new(Map::new());
                    inner.check_length(&format!("{at}.member.{member}"), &text, length);
                    problems.append(&mut inner.problems);
                    text
                }
                Some(other) => {
                    problems.push(format!(
                        "Value {} at '{at}.member.{member}' failed to satisfy constraint: \
                             Member must be a string",
                        shown(&other)
                    ));
                    String::new()
                }
            };
            let key = part("key", TAG_KEY, &mut self.problems);
            let value = part("value", TAG_VALUE, &mut self.problems);
            for unknown in members.keys() {
                self.problems.push(format!(
                    "{} is not a member of a tag; a tag has `key` and `value`",
                    quoted(&format!("{at}.member.{unknown}"), '\'')
                ));
            }
            tags.push(Tag { key, value });
        }
        tags
    }

    /// An optional structure member, whose members `read` takes by their
    /// whole names (`mock.result` in `mock`), problems named so and counted
    /// with the request's; `None` when absent, and with a problem when it
    /// is not an object.
    pub(crate) fn structure<T>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&mut Reader) -> T,
    ) -> Option<T> {
        let value = self.take(name)?;
        let Value::Object(members) = value else {
            self.wrong_type(name, &value, "an object");
            return None;
        };
        let mut inner = Reader::new(
            members
                .into_iter()
                .map(|(member, value)| (format!("{name}.{member}"), value))
                .collect(),
        );
        let read = read(&mut inner);
        inner.unknown_members(&format!("'{name}'"));
        self.problems.append(&mut inner.problems);
        Some(read)
    }

    /// A list member of `min` to `max` objects (`routingConfiguration`),
    /// each read by `read` with its members named by their whole names
    /// (`routingConfiguration.1.member.weight`); `None` when absent.
    pub(crate) fn object_list<T>(
        &mut self,
        name: &'static str,
        min: usize,
        max: usize,
        mut read: impl FnMut(&mut Reader, &str) -> T,
    ) -> Option<Vec<T>> {
        let value = self.take(name)?;
        let Value::Array(items) = value else {
            self.wrong_type(name, &value, "a list of objects");
            return None;
        };
        if items.len() < min || items.len() > max {
            self.problem(format!(
                "Value at '{name}' failed to satisfy constraint: Member must have length \
                 between {min} and {max} (it has {})",
                items.len()
            ));
            return None;
        }
        let mut read_items = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let at = format!("{name}.{}.member", index + 1);
            let Value::Object(members) = item else {
                self.wrong_type(&at, &item, "an object");
                continue;
            };
            let mut inner = Reader::new(members);
            read_items.push(read(&mut inner, &at));
            let unknown: Vec<String> = inner.members.keys().cloned().collect();
            for member in unknown {
                inner.problem(format!(
                    "{} is not a member of '{at}'",
                    quoted(&format!("{at}.{member}"), '\'')
                ));
            }
            self.problems.append(&mut inner.problems);
        }
        Some(read_items)
    }

    /// A member the AWS API defines whose effect this server does not
    /// provide: accepted when `accepted` says its value asks for nothing
    /// (such as `publish: false`), refused otherwise with `why`.
    pub(crate) fn unsupported(
        &mut self,
        name: &'static str,
        accepted: impl Fn(&Value) -> bool,
        why: &str,
    ) {
        if let Some(value) = self.take(name)
            && !accepted(&value)
        {
            self.problem(format!(
                "Value {} at '{name}' failed to satisfy constraint: {why}",
                shown(&value)
            ));
        }
    }

    /// Ends the reading: an error listing every problem, and every member
    /// the operation does not have.
    pub(crate) fn finish(mut self, operation: &str) -> Result<(), ApiError> {
        self.unknown_members(&format!("{operation}'s request"));
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(&self.problems))
        }
    }

    /// A problem for each member left unread: not a member of `owner`.
    fn unknown_members(&mut self, owner: &str) {
        let unknown: Vec<String> = self.members.keys().cloned().collect();
        for name in unknown {
            let suggestion = if name.chars().nth(SUGGESTED_UP_TO).is_none() {
                did_you_mean(&name, self.known.iter().copied())
            } else {
                String::new()
            };
            let members = if self.known.is_empty() {
                "it has no members".to_string()
            } else {
                format!("its members are {}", self.known.join(", "))
            };
            self.problem(format!(
                "{} is not a member of {owner}{suggestion} ({members})",
                quoted(&name, '\'')
            ));
        }
    }
}

/// A value as a problem shows it: strings quoted, others as JSON, long ones
/// cut short with their length.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => quoted(text, '\''),
        other => {
            let json = other.to_string();
            match json.char_indices().nth(QUOTED_CHARS) {
                None => json,
                Some((cut, _)) => format!(
                    "{}… ({} characters of JSON)",
                    &json[..cut],
                    json.chars().count()
                ),
            }
        }
    }
}

/// What kind of JSON value this is, for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(body: &str) -> Reader {
        match Reader::from_body(body.as_bytes()) {
            Ok(reader) => reader,
            Err(error) => panic!("`{body}` was refused: {}", error.message),
        }
    }

    #[test]
    fn every_problem_is_named_by_its_member() {
        let mut read =
            reader(r#"{"name": 5, "maxResults": 1001, "reverseOrder": "yes", "nextTokn": "x"}"#);
        assert_eq!(read.required_string("stateMachineArn", ARN), "");
        assert_eq!(read.string("name", NAME), None);
        assert_eq!(read.integer("maxResults", 0, 1000), None);
        assert_eq!(read.boolean("reverseOrder"), None);
        assert_eq!(read.string("nextToken", PAGE_TOKEN), None);
        let error = read
            .finish("ListExecutions")
            .expect_err("the request has problems");
        assert_eq!(
            error.message,
            "5 validation errors detected: \
             Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null; \
             Value 5 at 'name' failed to satisfy constraint: Member must be a string; \
             Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000; \
             Value 'yes' at 'reverseOrder' failed to satisfy constraint: Member must be a boolean; \
             'nextTokn' is not a member of ListExecutions's request; did you mean `nextToken`? \
             (its members are stateMachineArn, name, maxResults, reverseOrder, nextToken)"
        );
    }

    #[test]
    fn null_members_are_absent_and_lengths_are_checked() {
        let mut read = reader(r#"{"name": null, "activityArn": ""}"#);
        assert_eq!(read.string("name", NAME), None);
        assert_eq!(read.required_string("activityArn", ARN), "");
        let error = read.finish("DescribeActivity").expect_err("too short");
        assert_eq!(
            error.message,
            "1 validation error detected: Value '' at 'activityArn' failed to satisfy \
             constraint: Member must have length greater than or equal to 1"
        );
    }

    #[test]
    fn bodies_that_are_not_objects_are_refused() {
        let error = Reader::from_body(b"[1]")
            .err()
            .expect("an array is refused");
        assert!(
            error.message.contains("is an array, not a JSON object"),
            "{}",
            error.message
        );
        let error = Reader::from_body(b"{")
            .err()
            .expect("broken JSON is refused");
        assert!(error.message.contains("is not JSON"), "{}", error.message);
        assert!(Reader::from_body(b"").is_ok());
    }

    #[test]
    fn huge_values_and_names_are_quoted_in_part() {
        let huge = "v".repeat(2 * 1024 * 1024);
        let body = serde_json::json!({
            "name": 7,
            "type": huge,
            "roleArn": [huge],
            huge.clone(): 1,
            "tags": [{"key": "k", "value": "v", huge.clone(): 2}],
        })
        .to_string();
        let mut read = reader(&body);
        assert_eq!(read.string("name", NAME), None);
        assert_eq!(
            read.keyword("type", &["STANDARD"], |text| (text == "STANDARD")
                .then_some(())),
            None
        );
        assert_eq!(read.string("roleArn", ARN), None);
        read.tags();
        let error = read.finish("CreateStateMachine").expect_err("refused");
        assert!(
            error.message.starts_with("5 validation errors detected: "),
            "{}",
            &error.message[..200]
        );
        assert!(error.message.len() < 2000, "{}", error.message.len());
        let quoted_huge = format!("'{}…' (2097152 characters)", "v".repeat(QUOTED_CHARS));
        assert!(
            error.message.contains(&format!(
                "Value {quoted_huge} at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD]"
            )),
            "{}",
            error.message
        );
        assert!(
            error.message.contains(&format!(
                "{quoted_huge} is not a member of CreateStateMachine's request (its members"
            )),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("characters of JSON) at 'roleArn'"),
            "{}",
            error.message
        );
        assert!(
            error
                .message
                .contains("(2097166 characters) is not a member of a tag"),
            "{}",
            error.message
        );
    }

    #[test]
    fn tags_are_read_with_their_problems() {
        let mut read = reader(r#"{"tags": [{"key": "team", "value": "data"}, {"key": 1}, 7]}"#);
        let tags = read.tags();
        assert_eq!(
            tags[0],
            Tag {
                key: "team".into(),
                value: "data".into()
            }
        );
        let error = read.finish("CreateActivity").expect_err("bad tags");
        assert!(
            error.message.starts_with("2 validation errors detected: "),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("at 'tags.2.member.key'"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("Value 7 at 'tags.3'"),
            "{}",
            error.message
        );
    }
}
