//! A state's data flow, compiled once: one pipeline per query language
//! behind one interface.

use std::borrow::Cow;

use serde_json::Value;
use time::OffsetDateTime;

use crate::budget::{Budget, EvaluationLimits};
use crate::intrinsic::{IntrinsicCall, looks_like_call};
use crate::model::{QueryLanguage, State, ValueOrPath, WaitUntil};
use crate::path::{ReferencePath, Roots, kind_of};
use crate::timestamp::parse_timestamp;
use crate::variables::{NoVariables, Variables};

use super::DataFlowError;
use super::choice::{ChoiceRules, no_choice_matched};
use super::jsonata_io::{JsonataIo, describe};
use super::jsonata_value::{Located, compile_at};
use super::jsonpath::JsonPathIo;

/// How long a Wait state waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// A number of seconds from now.
    Seconds(u64),
    /// Until a point in time (at once if it has passed).
    Until(OffsetDateTime),
}

/// What a state's data flow reads: its raw input, the context object, the
/// workflow variables as they were when the state was entered, and the
/// clock and seed of JSONata's `$now()` and `$random()`.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    /// The state's raw input (`$` of InputPath, `$states.input`).
    pub input: &'a Value,
    /// The context object (`$$`, `$states.context`); `null` when the state
    /// does not read it ([`StateIo::uses_context`]).
    pub context: &'a Value,
    /// The variables in scope.
    pub variables: &'a (dyn Variables + Sync),
    /// Milliseconds since the epoch: the execution's clock.
    pub now_millis: i64,
    /// The seed of JSONata's `$random()`, `$uuid()` and `$shuffle()`.
    pub seed: u64,
}

impl<'a> Frame<'a> {
    /// A frame with no variables, the epoch as its clock and seed 0.
    pub fn new(input: &'a Value, context: &'a Value) -> Frame<'a> {
        Frame {
            input,
            context,
            variables: &NoVariables,
            now_millis: 0,
            seed: 0,
        }
    }

    /// The same frame with `variables` in scope.
    pub fn with_variables(self, variables: &'a (dyn Variables + Sync)) -> Frame<'a> {
        Frame { variables, ..self }
    }

    fn roots(&self) -> Roots<'a> {
        Roots {
            data: self.input,
            context: self.context,
            variables: self.variables,
        }
    }
}

impl std::fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("input", self.input)
            .field("context", self.context)
            .field("now_millis", &self.now_millis)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

/// What a state leaves behind: its output, and the variables it assigns
/// (name and value, in the order written), which the states after it see.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The state's output.
    pub output: Value,
    /// The variables assigned.
    pub assigned: Vec<(String, Value)>,
}

/// A field of a state that does not compile: its paths, templates or
/// expressions were not validated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct CompileError {
    /// The field, such as `ResultPath` or `Parameters`.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// A state's data flow in its query language.
#[derive(Clone, Debug)]
enum Pipeline {
    JsonPath(JsonPathIo),
    Jsonata(JsonataIo),
}

/// A setting read at run time: a value, a reference path (JSONPath), an
/// intrinsic call (Fail's ErrorPath and CausePath) or an expression
/// (JSONata).
#[derive(Clone, Debug)]
enum Setting<T> {
    Value(T),
    Path(ReferencePath),
    Call(IntrinsicCall),
    Expression(Box<Located>),
}

/// A state's data flow: its paths, templates and expressions compiled once,
/// in the pipeline of its query language, and the settings it reads from
/// its data (timeouts, waits, a Map's items and thresholds, a Fail's error
/// and cause, a Choice's rules).
///
/// ```
/// use serde_json::json;
/// use sfini_core::dataflow::{Frame, StateIo};
/// use sfini_core::model::{QueryLanguage, State, Task};
///
/// let task: State = Task::new("arn:aws:states:::lambda:invoke")
///     .query_language(QueryLanguage::Jsonata)
///     .arguments(json!({"id": "{% $states.input.order.id %}"}))
///     .output(json!({"order": "{% $states.input.order.id %}", "carrier": "{% $states.result.carrier %}"}))
///     .assign(json!({"carrier": "{% $states.result.carrier %}"}))
///     .into();
/// let io = StateIo::compile(&task, QueryLanguage::JsonPath)?;
///
/// let input = json!({"order": {"id": 7}});
/// let frame = Frame::new(&input, &json!(null));
/// assert_eq!(io.effective_input(&frame)?.into_owned(), json!({"id": 7}));
/// let outcome = io.complete(&frame, &input, Some(json!({"carrier": "post"})), None)?;
/// assert_eq!(outcome.output, json!({"order": 7, "carrier": "post"}));
/// assert_eq!(outcome.assigned, vec![("carrier".to_string(), json!("post"))]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct StateIo {
    pipeline: Pipeline,
    /// A JSONPath Choice state's rules.
    rules: Option<ChoiceRules>,
    timeout: Option<Setting<u64>>,
    heartbeat: Option<Setting<u64>>,
    max_concurrency: Option<Setting<u64>>,
    tolerated_count: Option<Setting<u64>>,
    tolerated_percentage: Option<Setting<f64>>,
    /// `ItemsPath` (JSONPath).
    items_path: Option<ReferencePath>,
    wait: Option<Wait>,
    fail: (Option<Setting<String>>, Option<Setting<String>>),
}

/// What a Wait state waits for.
#[derive(Clone, Debug)]
enum Wait {
    Seconds(Setting<u64>),
    Timestamp(Setting<String>),
}

/// Compiles a setting; `path_field` names its `...Path` form.
fn setting<T: Clone>(
    setting: &ValueOrPath<T>,
    field: &'static str,
    path_field: &'static str,
) -> Result<Setting<T>, CompileError> {
    Ok(match setting {
        ValueOrPath::Value(value) => Setting::Value(value.clone()),
        ValueOrPath::Path(text) => {
            Setting::Path(ReferencePath::parse(text).map_err(|error| CompileError {
                field: path_field,
                message: error.to_string(),
            })?)
        }
        ValueOrPath::Expression(text) => {
            Setting::Expression(Box::new(compile_at(text, field).map_err(|error| {
                CompileError {
                    field,
                    message: error.message,
                }
            })?))
        }
    })
}

fn optional<T: Clone>(
    value: Option<&ValueOrPath<T>>,
    field: &'static str,
    path_field: &'static str,
) -> Result<Option<Setting<T>>, CompileError> {
    value.map(|v| setting(v, field, path_field)).transpose()
}

/// Fail's Error/ErrorPath or Cause/CausePath: a path or an intrinsic call.
fn fail_setting(
    value: Option<&ValueOrPath<String>>,
    field: &'static str,
    path_field: &'static str,
) -> Result<Option<Setting<String>>, CompileError> {
    match value {
        Some(ValueOrPath::Path(text)) if looks_like_call(text) => IntrinsicCall::parse(text)
            .map(|call| Some(Setting::Call(call)))
            .map_err(|error| CompileError {
                field: path_field,
                message: error.to_string(),
            }),
        other => optional(other, field, path_field),
    }
}

impl StateIo {
    /// Compiles the data flow of `state`, in a machine whose query language
    /// is `machine` (the state's own, when it names one, wins).
    pub fn compile(state: &State, machine: QueryLanguage) -> Result<StateIo, CompileError> {
        let pipeline = match state.query_language_in(machine) {
            QueryLanguage::JsonPath => Pipeline::JsonPath(JsonPathIo::compile(state)?),
            QueryLanguage::Jsonata => Pipeline::Jsonata(JsonataIo::compile(state)?),
        };
        let mut io = StateIo {
            rules: None,
            timeout: None,
            heartbeat: None,
            max_concurrency: None,
            tolerated_count: None,
            tolerated_percentage: None,
            items_path: None,
            wait: None,
            fail: (None, None),
            pipeline,
        };
        match state {
            State::Task(task) => {
                io.timeout = optional(
                    task.timeout.as_ref(),
                    "TimeoutSeconds",
                    "TimeoutSecondsPath",
                )?;
                io.heartbeat = optional(
                    task.heartbeat.as_ref(),
                    "HeartbeatSeconds",
                    "HeartbeatSecondsPath",
                )?;
            }
            State::Map(map) => {
                io.max_concurrency = Some(setting(
                    &map.max_concurrency,
                    "MaxConcurrency",
                    "MaxConcurrencyPath",
                )?);
                io.tolerated_count = Some(setting(
                    &map.tolerated_failure_count,
                    "ToleratedFailureCount",
                    "ToleratedFailureCountPath",
                )?);
                io.tolerated_percentage = Some(setting(
                    &map.tolerated_failure_percentage,
                    "ToleratedFailurePercentage",
                    "ToleratedFailurePercentagePath",
                )?);
                if matches!(io.pipeline, Pipeline::JsonPath(_)) {
                    io.items_path =
                        Some(ReferencePath::parse(&map.items_path).map_err(|error| {
                            CompileError {
                                field: "ItemsPath",
                                message: error.to_string(),
                            }
                        })?);
                }
            }
            State::Choice(choice) => {
                if matches!(io.pipeline, Pipeline::JsonPath(_)) {
                    io.rules = Some(ChoiceRules::compile(choice)?);
                }
            }
            State::Wait(wait) => {
                io.wait = Some(match &wait.until {
                    WaitUntil::Seconds(seconds) => Wait::Seconds(Setting::Value(*seconds)),
                    WaitUntil::SecondsPath(text) => Wait::Seconds(setting(
                        &ValueOrPath::Path(text.clone()),
                        "Seconds",
                        "SecondsPath",
                    )?),
                    WaitUntil::SecondsExpression(text) => Wait::Seconds(setting(
                        &ValueOrPath::Expression(text.clone()),
                        "Seconds",
                        "SecondsPath",
                    )?),
                    WaitUntil::Timestamp(text) => Wait::Timestamp(Setting::Value(text.clone())),
                    WaitUntil::TimestampPath(text) => Wait::Timestamp(setting(
                        &ValueOrPath::Path(text.clone()),
                        "Timestamp",
                        "TimestampPath",
                    )?),
                    WaitUntil::TimestampExpression(text) => Wait::Timestamp(setting(
                        &ValueOrPath::Expression(text.clone()),
                        "Timestamp",
                        "TimestampPath",
                    )?),
                });
            }
            State::Fail(fail) => {
                io.fail = (
                    fail_setting(fail.error.as_ref(), "Error", "ErrorPath")?,
                    fail_setting(fail.cause.as_ref(), "Cause", "CausePath")?,
                );
            }
            _ => {}
        }
        Ok(io)
    }

    /// The bounds of each evaluation of the state's paths, templates and
    /// expressions (default: [`EvaluationLimits::default`]). An evaluation
    /// that passes them fails with the error of
    /// [`Exhausted::error`](crate::budget::Exhausted::error), and a JSONata
    /// one with `States.QueryEvaluationError`: its steps, and its strings,
    /// results and arrays within the bytes the limits allow.
    #[must_use]
    pub fn with_limits(mut self, limits: EvaluationLimits) -> Self {
        match &mut self.pipeline {
            Pipeline::JsonPath(io) => io.limits = limits,
            Pipeline::Jsonata(io) => {
                // The same bounds for JSONata: its steps, and the bytes an
                // evaluation may build, for a string, a result, and an array
                // (of at least two bytes of JSON text an item).
                let defaults = crate::jsonata::Limits::default();
                let bytes = limits.max_bytes();
                io.limits.steps = limits.max_steps();
                io.limits.string_bytes = bytes.min(defaults.string_bytes);
                io.limits.result_bytes = defaults.result_bytes.min(bytes);
                io.limits.array_items = (bytes / 2).clamp(16, defaults.array_items);
            }
        }
        self
    }

    /// The query language of the pipeline.
    pub fn language(&self) -> QueryLanguage {
        match self.pipeline {
            Pipeline::JsonPath(_) => QueryLanguage::JsonPath,
            Pipeline::Jsonata(_) => QueryLanguage::Jsonata,
        }
    }

    /// True when the state reads the context object (`$$`,
    /// `$states.context`): the caller builds it only then.
    pub fn uses_context(&self) -> bool {
        let settings = self
            .expressions()
            .any(|located| located.expression.states_reads().context);
        settings
            || match &self.pipeline {
                Pipeline::JsonPath(io) => {
                    io.uses_context()
                        || self.paths().any(|path| path.root() == crate::path::Root::Context)
                        || [&self.fail.0, &self.fail.1].into_iter().flatten().any(|setting| {
                            matches!(setting, Setting::Call(call)
                                if call.paths().iter().any(|p| p.root() == crate::path::Root::Context))
                        })
                }
                Pipeline::Jsonata(io) => io.uses_context(),
            }
    }

    /// The settings given as expressions.
    fn expressions(&self) -> impl Iterator<Item = &Located> {
        self.numeric_settings()
            .filter_map(|setting| match setting {
                Setting::Expression(located) => Some(&**located),
                _ => None,
            })
            .chain(self.text_settings().filter_map(|setting| match setting {
                Setting::Expression(located) => Some(&**located),
                _ => None,
            }))
            .chain(
                self.tolerated_percentage
                    .iter()
                    .filter_map(|setting| match setting {
                        Setting::Expression(located) => Some(&**located),
                        _ => None,
                    }),
            )
    }

    /// The settings given as reference paths.
    fn paths(&self) -> impl Iterator<Item = &crate::path::Path> {
        self.numeric_settings()
            .filter_map(|setting| match setting {
                Setting::Path(path) => Some(path.as_path()),
                _ => None,
            })
            .chain(self.text_settings().filter_map(|setting| match setting {
                Setting::Path(path) => Some(path.as_path()),
                _ => None,
            }))
            .chain(self.items_path.iter().map(ReferencePath::as_path))
    }

    fn numeric_settings(&self) -> impl Iterator<Item = &Setting<u64>> {
        [
            &self.timeout,
            &self.heartbeat,
            &self.max_concurrency,
            &self.tolerated_count,
        ]
        .into_iter()
        .flatten()
        .chain(self.wait.iter().filter_map(|wait| match wait {
            Wait::Seconds(seconds) => Some(seconds),
            Wait::Timestamp(_) => None,
        }))
    }

    fn text_settings(&self) -> impl Iterator<Item = &Setting<String>> {
        [&self.fail.0, &self.fail.1]
            .into_iter()
            .flatten()
            .chain(self.wait.iter().filter_map(|wait| match wait {
                Wait::Timestamp(timestamp) => Some(timestamp),
                Wait::Seconds(_) => None,
            }))
    }

    /// True when the state passes its input on as its output, evaluating
    /// nothing: the caller can skip the data flow.
    pub fn is_identity(&self) -> bool {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.is_identity(),
            Pipeline::Jsonata(io) => io.is_identity(),
        }
    }

    /// True when the state, or one of its Choice rules, assigns variables
    /// on completion (a catcher's assignments are [`StateIo::catch`]'s).
    pub fn assigns(&self) -> bool {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.assigns(),
            Pipeline::Jsonata(io) => io.assigns(),
        }
    }

    /// True when the effective input is the raw input itself.
    pub fn raw_is_effective(&self) -> bool {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.raw_is_effective(),
            Pipeline::Jsonata(io) => io.raw_is_effective(),
        }
    }

    /// The input the state works on: InputPath then Parameters (JSONPath),
    /// `Arguments` (JSONata), or the raw input itself.
    pub fn effective_input<'v>(&self, frame: &Frame<'v>) -> Result<Cow<'v, Value>, DataFlowError> {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.effective_input(frame.roots()),
            Pipeline::Jsonata(io) => Ok(match io.effective_input(frame)? {
                Some(arguments) => Cow::Owned(arguments),
                None => Cow::Borrowed(frame.input),
            }),
        }
    }

    /// The state's output and assignments once it is done: `result` is a
    /// Task's, Parallel's or Map's result (`None` for the other states),
    /// `effective` the effective input, and `rule` the Choice rule that
    /// matched (`None` for Default, and for the other states).
    pub fn complete(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
        result: Option<Value>,
        rule: Option<usize>,
    ) -> Result<Outcome, DataFlowError> {
        self.complete_from(frame, Cow::Borrowed(effective), result, rule)
    }

    /// [`StateIo::complete`] given the effective input as the caller holds
    /// it: an owned one becomes a Pass state's result without a copy.
    pub fn complete_from(
        &self,
        frame: &Frame<'_>,
        effective: Cow<'_, Value>,
        result: Option<Value>,
        rule: Option<usize>,
    ) -> Result<Outcome, DataFlowError> {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.complete(frame.roots(), effective, result, rule),
            Pipeline::Jsonata(io) => io.complete(frame, result, rule),
        }
    }

    /// What the state passes on when its catcher number `index` catches an
    /// error whose error output is `error_output`; the state's own Assign
    /// does not apply.
    pub fn catch(
        &self,
        frame: &Frame<'_>,
        index: usize,
        error_output: Value,
    ) -> Result<Outcome, DataFlowError> {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.catch(frame.roots(), index, error_output),
            Pipeline::Jsonata(io) => io.catch(frame, index, error_output),
        }
    }

    /// A Choice state's rule that holds (`Some(index)`), or `None` for its
    /// Default; `States.NoChoiceMatched` when neither applies
    /// (`has_default` says whether the state has a Default).
    pub fn choose(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
        has_default: bool,
    ) -> Result<Option<usize>, DataFlowError> {
        let chosen = match (&self.pipeline, &self.rules) {
            (Pipeline::JsonPath(_), Some(rules)) => {
                return rules.choose_in(Roots {
                    data: effective,
                    ..frame.roots()
                });
            }
            (Pipeline::Jsonata(io), _) => io.choose(frame)?,
            _ => None,
        };
        match chosen {
            None if !has_default => Err(no_choice_matched()),
            chosen => Ok(chosen),
        }
    }

    /// A Map's items: the array at ItemsPath in the effective input
    /// (JSONPath), or `Items`, the input when absent (JSONata).
    pub fn items<'v>(
        &self,
        frame: &Frame<'v>,
        effective: &'v Value,
    ) -> Result<Cow<'v, [Value]>, DataFlowError> {
        match &self.pipeline {
            Pipeline::JsonPath(_) => {
                let Some(path) = &self.items_path else {
                    return Ok(Cow::Owned(Vec::new()));
                };
                let value = path
                    .get_in(Roots {
                        data: effective,
                        ..frame.roots()
                    })
                    .map_err(|no_match| {
                        DataFlowError::runtime(format!(
                            "Invalid path '{}' in ItemsPath: {}",
                            path.as_str(),
                            no_match.reason
                        ))
                    })?;
                match value {
                    Value::Array(items) => Ok(Cow::Borrowed(items)),
                    other => Err(DataFlowError::runtime(format!(
                        "ItemsPath '{}' must select an array, found {}",
                        path.as_str(),
                        describe(other)
                    ))),
                }
            }
            Pipeline::Jsonata(io) => {
                let Some(items) = &io.items else {
                    return match frame.input {
                        Value::Array(items) => Ok(Cow::Borrowed(items)),
                        other => Err(super::jsonata_value::query_evaluation_error(
                            format!(
                                "The Map state's input must be an array when it has no Items, and it is {}",
                                describe(other)
                            ),
                            "Items",
                        )),
                    };
                };
                let environment_frame = *frame;
                match items.evaluate(&jsonata_environment(&environment_frame), &io.limits)? {
                    Value::Array(items) => Ok(Cow::Owned(items)),
                    other => Err(super::jsonata_value::query_evaluation_error(
                        format!(
                            "The field 'Items' must give an array, and it gave {}",
                            describe(&other)
                        ),
                        "Items",
                    )),
                }
            }
        }
    }

    /// The input of one Map iteration: the item, or ItemSelector evaluated
    /// with `Map.Item.Index` and `Map.Item.Value` in `context` (set in
    /// place, so that the rest of the context object is not copied for each
    /// item; the caller keeps it between items).
    pub fn item_input(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
        item: &Value,
        index: usize,
        context: &mut Value,
    ) -> Result<Value, DataFlowError> {
        match &self.pipeline {
            Pipeline::JsonPath(io) => io.item_input(
                Roots {
                    data: effective,
                    ..frame.roots()
                },
                item,
                index,
                context,
            ),
            Pipeline::Jsonata(io) => io.item_input(frame, item, index, context),
        }
    }

    /// A Task's `TimeoutSeconds` and `HeartbeatSeconds`, read from the
    /// effective input when given as paths.
    pub fn task_seconds(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
    ) -> Result<(Option<u64>, Option<u64>), DataFlowError> {
        let read = |setting: &Option<Setting<u64>>, field| {
            setting
                .as_ref()
                .map(|setting| self.count(setting, frame, effective, field))
                .transpose()
        };
        Ok((
            read(&self.timeout, "TimeoutSeconds")?,
            read(&self.heartbeat, "HeartbeatSeconds")?,
        ))
    }

    /// A Map's `MaxConcurrency`, `ToleratedFailureCount` and
    /// `ToleratedFailurePercentage`.
    pub fn map_settings(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
    ) -> Result<(u64, u64, f64), DataFlowError> {
        let limit = self.max_concurrency(frame, effective)?;
        let (count, percentage) = self.tolerated_failures(frame, effective)?;
        Ok((limit, count, percentage))
    }

    /// A Map's `MaxConcurrency` (0 for no limit). AWS reads it before the
    /// Map starts, its thresholds after.
    pub fn max_concurrency(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
    ) -> Result<u64, DataFlowError> {
        match &self.max_concurrency {
            Some(setting) => self.count(setting, frame, effective, "MaxConcurrency"),
            None => Ok(0),
        }
    }

    /// A Map's `ToleratedFailureCount` and `ToleratedFailurePercentage`.
    pub fn tolerated_failures(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
    ) -> Result<(u64, f64), DataFlowError> {
        // AWS's words for a ToleratedFailureCountPath that reads a number
        // below zero.
        if let Some(Setting::Path(path)) = &self.tolerated_count
            && let Ok(value) = path.get_in(Roots {
                data: effective,
                ..frame.roots()
            })
            && value.as_f64().is_some_and(|count| count < 0.0)
        {
            return Err(DataFlowError::runtime(
                "ToleratedFailureCount cannot be negative.",
            ));
        }
        let percentage = match &self.tolerated_percentage {
            None => 0.0,
            Some(Setting::Value(value)) => *value,
            Some(setting) => {
                let value = self.read(setting, frame, effective, "ToleratedFailurePercentage")?;
                match value.as_f64() {
                    Some(percentage) if (0.0..=100.0).contains(&percentage) => percentage,
                    // AWS's words, for a path that reads a number out of
                    // range or something other than a number.
                    Some(_) if matches!(setting, Setting::Path(_)) => {
                        return Err(DataFlowError::runtime(
                            "ToleratedFailurePercentage must be between 0 and 100.",
                        ));
                    }
                    None if let Setting::Path(path) = setting => {
                        return Err(not_a_valid(
                            "ToleratedFailurePercentage",
                            path,
                            &value,
                            "float",
                        ));
                    }
                    _ => {
                        return Err(self.wrong(
                            setting,
                            "ToleratedFailurePercentage",
                            &value,
                            "a number from 0 to 100",
                        ));
                    }
                }
            }
        };
        let count = match &self.tolerated_count {
            Some(setting) => self.count(setting, frame, effective, "ToleratedFailureCount")?,
            None => 0,
        };
        Ok((count, percentage))
    }

    /// How long a Wait state waits.
    pub fn wait_for(&self, frame: &Frame<'_>, effective: &Value) -> Result<WaitFor, DataFlowError> {
        let timestamp = match &self.wait {
            None => return Ok(WaitFor::Seconds(0)),
            Some(Wait::Seconds(seconds)) => {
                return self
                    .count(seconds, frame, effective, "Seconds")
                    .map(WaitFor::Seconds);
            }
            Some(Wait::Timestamp(timestamp)) => timestamp,
        };
        let text = match timestamp {
            Setting::Value(text) => {
                return parse_timestamp(text)
                    .map(WaitFor::Until)
                    .ok_or_else(|| DataFlowError::runtime(format!("`{text}` is not a timestamp")));
            }
            setting => self.read(setting, frame, effective, "Timestamp")?,
        };
        text.as_str()
            .and_then(parse_timestamp)
            .map(WaitFor::Until)
            .ok_or_else(|| match timestamp {
                // AWS's words.
                Setting::Path(path) => DataFlowError::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended \
                     offset date-time format string: {} == {text}",
                    path.as_str()
                )),
                _ => self.wrong(timestamp, "Timestamp", &text, "an RFC 3339 timestamp"),
            })
    }

    /// A Fail state's error name and cause.
    pub fn fail_output(
        &self,
        frame: &Frame<'_>,
    ) -> Result<(Option<String>, Option<String>), DataFlowError> {
        let text = |setting: &Option<Setting<String>>, field: &'static str| {
            let Some(setting) = setting else {
                return Ok(None);
            };
            if let Setting::Value(text) = setting {
                return Ok(Some(text.clone()));
            }
            match self.read(setting, frame, frame.input, field)? {
                Value::String(text) => Ok(Some(text)),
                other => Err(self.wrong(setting, field, &other, "a string")),
            }
        };
        Ok((text(&self.fail.0, "Error")?, text(&self.fail.1, "Cause")?))
    }

    /// A whole-number setting.
    fn count(
        &self,
        setting: &Setting<u64>,
        frame: &Frame<'_>,
        effective: &Value,
        field: &'static str,
    ) -> Result<u64, DataFlowError> {
        if let Setting::Value(value) = setting {
            return Ok(*value);
        }
        let value = self.read(setting, frame, effective, field)?;
        value
            .as_u64()
            .or_else(|| {
                // JSONata numbers are doubles: 5.0 is 5.
                value
                    .as_f64()
                    .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= u64::MAX as f64)
                    .map(|n| n as u64)
            })
            .ok_or_else(|| match setting {
                // AWS's words for a Map setting's path that reads something
                // other than a whole number.
                Setting::Path(path)
                    if matches!(field, "MaxConcurrency" | "ToleratedFailureCount")
                        && !value.is_i64()
                        && !value.is_u64() =>
                {
                    not_a_valid(field, path, &value, "integer")
                }
                _ => self.wrong(setting, field, &value, "a non-negative whole number"),
            })
    }

    /// The value a path, call or expression setting gives.
    fn read<T>(
        &self,
        setting: &Setting<T>,
        frame: &Frame<'_>,
        effective: &Value,
        field: &'static str,
    ) -> Result<Value, DataFlowError> {
        let roots = Roots {
            data: effective,
            ..frame.roots()
        };
        match setting {
            Setting::Value(_) => Ok(Value::Null),
            Setting::Path(path) => path
                .get_in(roots)
                .cloned()
                .map_err(|_| setting_path_failure(path, field, roots)),
            Setting::Call(call) => {
                let budget = Budget::new(EvaluationLimits::default());
                call.evaluate_in(roots, &budget)
                    .map_err(DataFlowError::from)
            }
            Setting::Expression(located) => match &self.pipeline {
                Pipeline::Jsonata(io) => io.setting(frame, located),
                Pipeline::JsonPath(_) => located.value(
                    &jsonata_environment(frame),
                    &crate::jsonata::Limits::default(),
                ),
            },
        }
    }

    /// The error of a setting that gave the wrong kind of value.
    fn wrong<T>(
        &self,
        setting: &Setting<T>,
        field: &str,
        value: &Value,
        expected: &str,
    ) -> DataFlowError {
        match setting {
            Setting::Expression(located) => located.failure(format!(
                "returned {} where {expected} was expected.",
                describe(value)
            )),
            Setting::Path(path) => DataFlowError::runtime(format!(
                "{field}Path '{}' must select {expected}, found {}",
                path.as_str(),
                describe(value)
            )),
            Setting::Call(call) => DataFlowError::runtime(format!(
                "{field}Path '{}' must give {expected}, found {}",
                call.as_str(),
                kind_of(value)
            )),
            Setting::Value(_) => DataFlowError::runtime(format!(
                "{field} must be {expected}, found {}",
                describe(value)
            )),
        }
    }

    // ----- conveniences on data the caller holds, without variables -----

    /// [`StateIo::effective_input`] on a raw input and context object,
    /// with no variables in scope.
    pub fn input_of(&self, raw_input: &Value, context: &Value) -> Result<Value, DataFlowError> {
        self.effective_input(&Frame::new(raw_input, context))
            .map(Cow::into_owned)
    }

    /// The output of a state that completed with `result` (or without one:
    /// `None`), with no variables in scope.
    pub fn output_of(
        &self,
        raw_input: &Value,
        result: Option<Value>,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let frame = Frame::new(raw_input, context);
        let effective = self.effective_input(&frame)?;
        self.complete(&frame, &effective, result, None)
            .map(|outcome| outcome.output)
    }

    /// The time a Wait state waits until, given as a duration from `now`.
    pub fn wait_until(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
        now: OffsetDateTime,
    ) -> Result<std::time::Duration, DataFlowError> {
        Ok(match self.wait_for(frame, effective)? {
            WaitFor::Seconds(seconds) => std::time::Duration::from_secs(seconds),
            WaitFor::Until(at) => std::time::Duration::try_from(at - now).unwrap_or_default(),
        })
    }
}

/// The JSONata environment of a frame, for a setting.
fn jsonata_environment<'a>(frame: &Frame<'a>) -> crate::jsonata::Environment<'a> {
    crate::jsonata::Environment {
        input: frame.input,
        result: None,
        error_output: None,
        context: Some(frame.context),
        variables: frame.variables,
        now_millis: frame.now_millis,
        seed: frame.seed,
    }
}

/// AWS's words for a `...Path` setting whose path matches nothing: a Fail
/// state's ErrorPath and CausePath quote the data the path was applied to,
/// as Parameters do; the others (TimeoutSecondsPath, HeartbeatSecondsPath,
/// SecondsPath, ...) are worded as an InputPath.
fn setting_path_failure(path: &ReferencePath, field: &str, roots: Roots<'_>) -> DataFlowError {
    if matches!(field, "Error" | "Cause") {
        let data = match path.as_path().root() {
            crate::path::Root::Data => roots.data,
            crate::path::Root::Context => roots.context,
            crate::path::Root::Variable => path
                .as_path()
                .variable()
                .and_then(|name| roots.variables.variable(name))
                .unwrap_or(&Value::Null),
        };
        return DataFlowError::runtime(format!(
            "The JSONPath '{}' specified for the field '{field}Path' could not be found in the \
             input '{}'",
            path.as_str(),
            crate::payload::truncated_json(data)
        ));
    }
    super::jsonpath::no_results(path.as_path(), roots)
}

/// AWS's words for a Map setting's path (MaxConcurrencyPath,
/// ToleratedFailureCountPath, ToleratedFailurePercentagePath) that reads a
/// value of the wrong kind: the value in double quotes (a string as it
/// is, anything else as compact JSON), then the path.
fn not_a_valid(field: &str, path: &ReferencePath, value: &Value, kind: &str) -> DataFlowError {
    let shown = match value {
        Value::String(text) => text.clone(),
        other => crate::payload::truncated_json(other),
    };
    DataFlowError::runtime(format!(
        "The {field}Path field refers to value \"{shown}\" which is not a valid {kind}: {}",
        path.as_str()
    ))
}
