//! Mocked task answers: AWS's mock configuration format, and what the local
//! engine answers a mocked Task state with.
//!
//! A mock configuration, as Step Functions Local reads it, names test cases
//! per state machine; a test case maps Task states, by name, to a mocked
//! response; a mocked response lists what each attempt of the state gets,
//! a `Return` (the service's answer, any JSON value) or a `Throw` (an error
//! and its cause):
//!
//! ```json
//! {
//!   "StateMachines": {
//!     "Checkout": {
//!       "TestCases": {
//!         "RetryPath": {"Charge": "ChargeFailsTwice"}
//!       }
//!     }
//!   },
//!   "MockedResponses": {
//!     "ChargeFailsTwice": {
//!       "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
//!       "2": {"Return": {"StatusCode": 200, "Payload": {"charged": true}}}
//!     }
//!   }
//! }
//! ```
//!
//! The keys of a mocked response number the attempts of one visit of the
//! state from 0 (the first try; 1 is its first retry, and so on, the
//! state's `$$.State.RetryCount`), one number (`"2"`) or an inclusive range
//! (`"0-1"`), consecutive and without gaps. A state visited again (in a
//! loop, or in each iteration of a Map) starts again at 0. An attempt past
//! the last one listed fails the execution with `States.Runtime`.
//!
//! What a mocked state does: the task is scheduled and started as any
//! other, then its attempt's answer is its result (`Return`) or its failure
//! (`Throw`, which Retry and Catch match). No handler, worker or service is
//! called. For a `.waitForTaskToken` resource a token is made and the task
//! is submitted, and the `Return` is the answer a callback would have sent:
//! the task does not wait. For a `.sync` resource the `Return` is the
//! finished job's description (for `states:startExecution.sync`, the nested
//! execution as DescribeExecution gives it), recorded as the submission's
//! answer too.
//!
//! ```
//! use serde_json::json;
//! use sfini_runtime::mock::{MockAnswer, MockConfig};
//!
//! let config = MockConfig::from_json(&json!({
//!     "StateMachines": {"Checkout": {"TestCases": {"RetryPath": {"Charge": "ChargeFailsTwice"}}}},
//!     "MockedResponses": {"ChargeFailsTwice": {
//!         "0-1": {"Throw": {"Error": "Busy", "Cause": "slow down"}},
//!         "2": {"Return": {"charged": true}}
//!     }}
//! }).to_string())?;
//! let case = config.test_case("Checkout", "RetryPath")?;
//! let charge = case.state("Charge").unwrap();
//! assert!(matches!(charge.answer(1), Some(MockAnswer::Throw { error, .. }) if error == "Busy"));
//! assert_eq!(charge.answer(2), Some(&MockAnswer::Return(json!({"charged": true}))));
//! assert_eq!(charge.answer(3), None);
//! # Ok::<(), sfini_runtime::mock::MockConfigError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// The largest mock configuration read, in bytes (16 MiB).
pub const MAX_MOCK_CONFIG_BYTES: usize = 16 << 20;

/// A mock configuration: test cases by state machine, and the mocked
/// responses they use.
#[derive(Clone, Debug, Default)]
pub struct MockConfig {
    machines: IndexMap<String, IndexMap<String, Arc<TestCase>>>,
}

/// What is wrong with a mock configuration, or with a test case asked of
/// it, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct MockConfigError {
    /// Where: a path into the file (`$.MockedResponses.Charge['0-1']`), or
    /// the test case asked for.
    pub location: String,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl MockConfigError {
    fn new(location: impl Into<String>, message: impl Into<String>) -> MockConfigError {
        MockConfigError {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// One test case: a mocked response for each of some Task states.
#[derive(Clone, Debug, Default)]
pub struct TestCase {
    name: String,
    states: IndexMap<String, Arc<MockedResponse>>,
}

/// What the attempts of a mocked state get, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct MockedResponse {
    name: String,
    /// Each answer with the first attempt it covers; the next entry's
    /// first attempt ends it, and the last entry ends at `last`.
    answers: Vec<(u64, MockAnswer)>,
    /// The last attempt answered, `None` while there is no answer.
    last: Option<u64>,
}

/// The answer of one attempt of a mocked state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MockAnswer {
    /// The service's answer: the task's result.
    Return(Value),
    /// The task fails with this error and cause.
    Throw {
        /// The error name, which Retry and Catch match.
        error: String,
        /// Its cause.
        cause: String,
    },
}

/// A key of an object, written as a JSONPath step.
fn step(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!(".{key}")
    } else {
        format!("['{}']", key.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>, MockConfigError> {
    value.as_object().ok_or_else(|| {
        MockConfigError::new(at, format!("expected an object, found {}", kind(value)))
    })
}

/// Refuses fields other than `allowed`, naming the first one.
fn only(fields: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), MockConfigError> {
    match fields.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(MockConfigError::new(
            format!("{at}{}", step(key)),
            format!(
                "unknown field `{key}`; the fields here are {}",
                allowed
                    .iter()
                    .map(|field| format!("`{field}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        )),
        None => Ok(()),
    }
}

impl MockConfig {
    /// Reads a mock configuration from its JSON text, checking all of it:
    /// every test case's response names, every response's numbering and
    /// answers. The first problem is returned with where it is.
    pub fn from_json(text: &str) -> Result<MockConfig, MockConfigError> {
        if text.len() > MAX_MOCK_CONFIG_BYTES {
            return Err(MockConfigError::new(
                "$",
                format!(
                    "the mock configuration is {} bytes; at most {MAX_MOCK_CONFIG_BYTES} are read",
                    text.len()
                ),
            ));
        }
        let value: Value = serde_json::from_str(text).map_err(|error| {
            MockConfigError::new(
                format!("line {}, column {}", error.line(), error.column()),
                format!("not JSON: {error}"),
            )
        })?;
        MockConfig::from_value(&value)
    }

    /// [`MockConfig::from_json`] of a parsed value.
    pub fn from_value(value: &Value) -> Result<MockConfig, MockConfigError> {
        let top = object(value, "$")?;
        only(top, &["StateMachines", "MockedResponses"], "$")?;
        let mut responses = IndexMap::new();
        if let Some(listed) = top.get("MockedResponses") {
            for (name, response) in object(listed, "$.MockedResponses")? {
                let at = format!("$.MockedResponses{}", step(name));
                responses.insert(
                    name.as_str(),
                    Arc::new(MockedResponse::read(name, response, &at)?),
                );
            }
        }
        let mut machines = IndexMap::new();
        let Some(listed) = top.get("StateMachines") else {
            return Err(MockConfigError::new(
                "$",
                "no `StateMachines`: a mock configuration names its state machines' test cases \
                 under `StateMachines`",
            ));
        };
        for (machine, fields) in object(listed, "$.StateMachines")? {
            let at = format!("$.StateMachines{}", step(machine));
            let fields = object(fields, &at)?;
            only(fields, &["TestCases"], &at)?;
            let Some(cases) = fields.get("TestCases") else {
                return Err(MockConfigError::new(&at, "no `TestCases`"));
            };
            let at = format!("{at}.TestCases");
            let mut tests = IndexMap::new();
            for (case, states) in object(cases, &at)? {
                let at = format!("{at}{}", step(case));
                let mut mocked = IndexMap::new();
                for (state, response) in object(states, &at)? {
                    let at = format!("{at}{}", step(state));
                    let Some(response) = response.as_str() else {
                        return Err(MockConfigError::new(
                            at,
                            format!(
                                "expected the name of a mocked response (a string), found {}",
                                kind(response)
                            ),
                        ));
                    };
                    let Some(found) = responses.get(response) else {
                        return Err(MockConfigError::new(
                            at,
                            format!(
                                "no mocked response is named `{response}` under \
                                 `MockedResponses`{}",
                                listing(responses.keys().copied())
                            ),
                        ));
                    };
                    mocked.insert(state.clone(), found.clone());
                }
                tests.insert(
                    case.clone(),
                    Arc::new(TestCase {
                        name: case.clone(),
                        states: mocked,
                    }),
                );
            }
            machines.insert(machine.clone(), tests);
        }
        Ok(MockConfig { machines })
    }

    /// The test case `test_case` of the state machine named `machine`; an
    /// error naming what is there when either is not.
    pub fn test_case(
        &self,
        machine: &str,
        test_case: &str,
    ) -> Result<Arc<TestCase>, MockConfigError> {
        let Some(cases) = self.machines.get(machine) else {
            return Err(MockConfigError::new(
                format!("test case `{test_case}` of state machine `{machine}`"),
                format!(
                    "the mock configuration has no state machine named `{machine}`{}",
                    listing(self.machines.keys().map(String::as_str))
                ),
            ));
        };
        cases.get(test_case).cloned().ok_or_else(|| {
            MockConfigError::new(
                format!("test case `{test_case}` of state machine `{machine}`"),
                format!(
                    "the mock configuration has no test case `{test_case}` for `{machine}`{}",
                    listing(cases.keys().map(String::as_str))
                ),
            )
        })
    }

    /// The names of the state machines with test cases.
    pub fn machines(&self) -> impl Iterator<Item = &str> {
        self.machines.keys().map(String::as_str)
    }

    /// The names of the test cases of the state machine named `machine`.
    pub fn test_cases(&self, machine: &str) -> impl Iterator<Item = &str> {
        self.machines
            .get(machine)
            .into_iter()
            .flat_map(|cases| cases.keys().map(String::as_str))
    }
}

/// `; it has `a`, `b`` or `; it has none`, for messages.
fn listing<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.take(20).map(|name| format!("`{name}`")).collect();
    if names.is_empty() {
        " (there are none)".to_string()
    } else {
        format!(" (there are {})", names.join(", "))
    }
}

impl TestCase {
    /// An empty test case: no state is mocked.
    pub fn new(name: impl Into<String>) -> TestCase {
        TestCase {
            name: name.into(),
            states: IndexMap::new(),
        }
    }

    /// Mocks the Task state `state` with `response` (replacing any mock it
    /// had).
    #[must_use]
    pub fn mock(mut self, state: impl Into<String>, response: MockedResponse) -> TestCase {
        self.states.insert(state.into(), Arc::new(response));
        self
    }

    /// The test case's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The mocked response of the state named `state`, if it is mocked.
    pub fn state(&self, state: &str) -> Option<&MockedResponse> {
        self.states.get(state).map(Arc::as_ref)
    }

    /// The mocked states' names, in the order the test case lists them.
    pub fn states(&self) -> impl Iterator<Item = &str> {
        self.states.keys().map(String::as_str)
    }
}

impl MockedResponse {
    /// A response with no answer yet.
    pub fn new(name: impl Into<String>) -> MockedResponse {
        MockedResponse {
            name: name.into(),
            answers: Vec::new(),
            last: None,
        }
    }

    /// Adds `answer` for the next `times` attempts (none when `times` is
    /// 0).
    #[must_use]
    pub fn then(mut self, answer: MockAnswer, times: u64) -> MockedResponse {
        if times == 0 {
            return self;
        }
        let first = self.last.map_or(0, |last| last.saturating_add(1));
        self.answers.push((first, answer));
        self.last = Some(first.saturating_add(times - 1));
        self
    }

    /// Adds a `Return` of `value` for the next attempt.
    #[must_use]
    pub fn then_return(self, value: Value) -> MockedResponse {
        self.then(MockAnswer::Return(value), 1)
    }

    /// Adds a `Throw` of `error` with `cause` for the next attempt.
    #[must_use]
    pub fn then_throw(self, error: impl Into<String>, cause: impl Into<String>) -> MockedResponse {
        self.then(
            MockAnswer::Throw {
                error: error.into(),
                cause: cause.into(),
            },
            1,
        )
    }

    /// The response's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many attempts are answered (`u64::MAX` saturates).
    pub fn attempts(&self) -> u64 {
        self.last.map_or(0, |last| last.saturating_add(1))
    }

    /// The answer of attempt `attempt` (0 for the first try), `None` past
    /// the last one listed.
    pub fn answer(&self, attempt: u64) -> Option<&MockAnswer> {
        if self.last.is_none_or(|last| attempt > last) {
            return None;
        }
        let at = self.answers.partition_point(|(first, _)| *first <= attempt);
        self.answers
            .get(at.checked_sub(1)?)
            .map(|(_, answer)| answer)
    }

    fn read(name: &str, value: &Value, at: &str) -> Result<MockedResponse, MockConfigError> {
        let fields = object(value, at)?;
        let mut ranges = Vec::with_capacity(fields.len());
        for (key, answer) in fields {
            let here = format!("{at}{}", step(key));
            let (first, last) =
                attempts(key).map_err(|message| MockConfigError::new(&here, message))?;
            ranges.push((first, last, MockAnswer::read(answer, &here)?, here));
        }
        if ranges.is_empty() {
            return Err(MockConfigError::new(
                at,
                "a mocked response needs at least one answer, such as \
                 `\"0\": {\"Return\": {}}`",
            ));
        }
        ranges.sort_by_key(|(first, ..)| *first);
        let mut response = MockedResponse::new(name);
        for (first, last, answer, here) in ranges {
            let expected = response.attempts();
            if first != expected {
                return Err(MockConfigError::new(
                    here,
                    if first < expected {
                        format!(
                            "attempt {first} is answered twice: the attempts up to {} are \
                             answered already",
                            expected - 1
                        )
                    } else {
                        format!(
                            "the attempts are numbered without gaps from 0: attempt {expected} \
                             has no answer"
                        )
                    },
                ));
            }
            response = response.then(answer, last - first + 1);
        }
        Ok(response)
    }
}

/// The attempts a key of a mocked response covers: `"N"` or `"N-M"`.
fn attempts(key: &str) -> Result<(u64, u64), String> {
    let number = |text: &str| {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(format!(
                "`{key}` does not number attempts: write one number (`\"0\"`) or a range of \
                 them (`\"1-3\"`)"
            ));
        }
        text.parse::<u64>()
            .map_err(|_| format!("`{text}` is too large a number of attempts"))
    };
    match key.split_once('-') {
        None => number(key).map(|n| (n, n)),
        Some((first, last)) => {
            let (first, last) = (number(first)?, number(last)?);
            if last < first {
                return Err(format!(
                    "the range `{key}` ends before it starts: write the lower number first"
                ));
            }
            if last == u64::MAX {
                return Err(format!("`{last}` is too large a number of attempts"));
            }
            Ok((first, last))
        }
    }
}

impl MockAnswer {
    fn read(value: &Value, at: &str) -> Result<MockAnswer, MockConfigError> {
        let fields = object(value, at)?;
        only(fields, &["Return", "Throw"], at)?;
        match (fields.get("Return"), fields.get("Throw")) {
            (Some(returned), None) => Ok(MockAnswer::Return(returned.clone())),
            (None, Some(thrown)) => {
                let at = format!("{at}.Throw");
                let thrown = object(thrown, &at)?;
                only(thrown, &["Error", "Cause"], &at)?;
                let text = |field: &str| match thrown.get(field) {
                    Some(Value::String(text)) => Ok(text.clone()),
                    Some(other) => Err(MockConfigError::new(
                        format!("{at}.{field}"),
                        format!("expected a string, found {}", kind(other)),
                    )),
                    None => Err(MockConfigError::new(
                        &at,
                        format!("a `Throw` needs `Error` and `Cause`; `{field}` is missing"),
                    )),
                };
                Ok(MockAnswer::Throw {
                    error: text("Error")?,
                    cause: text("Cause")?,
                })
            }
            (Some(_), Some(_)) => Err(MockConfigError::new(
                at,
                "an answer is a `Return` or a `Throw`, not both",
            )),
            (None, None) => Err(MockConfigError::new(
                at,
                "an answer needs a `Return` (the service's answer) or a `Throw` (`Error` and \
                 `Cause`)",
            )),
        }
    }
}

impl fmt::Display for MockAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockAnswer::Return(value) => write!(f, "Return {value}"),
            MockAnswer::Throw { error, cause } => write!(f, "Throw {error}: {cause}"),
        }
    }
}

#[cfg(test)]
mod tests;
