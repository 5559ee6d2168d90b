//! `TestState` on the local engine: one state run with a given input,
//! without a state machine or an execution (see [`LocalEngine::test_state`]).

use std::time::Duration;

use serde_json::{Map as Object, Value};
use sfini_core::dataflow::{
    DataFlowError, Frame, StateIo, find_catcher, find_retrier, retry_delay,
};
use sfini_core::error_name::PredefinedError;
use sfini_core::limits::{Exceeded, drop_deep, measure};
use sfini_core::model::{
    DataPath, JitterStrategy, QueryLanguage, State, StateType, States, Task, Transition,
    ValueOrPath,
};
use sfini_core::validate::{DefinitionForm, check_value_as};
use sfini_core::{Code, Diagnostic, Diagnostics, Location};
use tokio::time::Instant;

use super::LocalEngine;
use super::compile::{Target, classify};
use crate::api::*;
use crate::workflow::fill_region_and_account;

/// The longest definition, in characters (`TestState`'s `definition`).
const MAX_DEFINITION_CHARACTERS: usize = 1_048_576;

/// The longest `TestState` runs on AWS: a state still running then fails
/// with `States.Timeout`.
const TEST_STATE_TIMEOUT: Duration = Duration::from_secs(300);

/// The state's name in the context object AWS makes for `TestState`,
/// whatever the state is called.
const CONTEXT_STATE_NAME: &str = "StateName";

/// The name the state of a single-state definition is checked under,
/// unless it names a state so called (then a number is added).
const WRAPPER_NAME: &str = "StateName";

/// How long the reading of a Map's iteration inputs runs before it lets
/// the other tasks of its thread run.
const TIME_SLICE: Duration = Duration::from_millis(2);

/// The shortest wait AWS refuses: 2^31 seconds.
const LONGEST_WAIT: Duration = Duration::from_secs(1 << 31);

/// The resource of the Task states that hold one stage of a JSONPath
/// state's data flow (see [`Env::stage`]).
const STAGE_RESOURCE: &str = "arn:aws:states:::sfini:testState";

/// The cause of `States.ExceedToleratedFailureThreshold`, in AWS's words.
const THRESHOLD_EXCEEDED: &str = "The specified tolerated failure threshold was exceeded";

impl LocalEngine {
    /// `TestState`: runs one state with the given input and answers its
    /// status, next state, output or error, and at the `DEBUG` and `TRACE`
    /// levels what each stage of its data flow made.
    ///
    /// # What is tested
    ///
    /// The definition is one state's JSON, or, with `state_name`, a whole state
    /// machine's, of which that state (at any depth) is tested. Either is
    /// checked as `CreateStateMachine` checks a definition (a single state as
    /// the only state of a machine whose other states are the ones it names),
    /// and a definition that breaks a rule is refused with `InvalidDefinition`
    /// and every problem at its location (in a single state's definition,
    /// relative to the state: `Parameters['id.$']`).
    ///
    /// Pass, Choice (its next state is the rule's that matched, or Default),
    /// Wait (which does not wait: `TestState` answers at once, as on AWS),
    /// Succeed and Fail states run as in an execution. A Task state's result is
    /// the mock's, or without one the result of the handler registered for its
    /// resource ([`LocalEngine::register_handler`]), within its
    /// `TimeoutSeconds` and the five minutes `TestState` runs at most; a Task
    /// without a handler fails with `States.Runtime`. As on AWS, a Task that
    /// is not mocked needs `role_arn`, and an activity, a `.sync` or a
    /// `.waitForTaskToken` task runs only with a mock. Map and Parallel states
    /// run only with a mock, which is their result (an array, one item a branch
    /// for a Parallel); a Map's items, `ItemSelector`, `MaxConcurrency` and
    /// tolerated-failure thresholds are read, and
    /// `state_configuration.map_iteration_failure_count` past a threshold fails
    /// it with `States.ExceedToleratedFailureThreshold`. A mock is refused for
    /// the other state types.
    ///
    /// # Statuses
    ///
    /// - `SUCCEEDED`: the state completed; its output and next state are given.
    /// - `FAILED`: it failed and nothing handles the error (a Fail state, an
    ///   error no retrier retries and no catcher catches, `States.Runtime`, data
    ///   over a limit).
    /// - `RETRIABLE`: a retrier matches the error and has attempts left after
    ///   `state_configuration.retrier_retry_count` retries (0 when absent): the
    ///   error, the retrier's index and the delay before the next attempt are
    ///   given.
    /// - `CAUGHT_ERROR`: a catcher catches the error (the matching retrier, if
    ///   any, has no attempt left): the catcher's output, its `Next` and its
    ///   index are given, with the error.
    ///
    /// # Inspection data
    ///
    /// `INFO` gives none. `DEBUG` gives the raw input and each stage the
    /// state's query language has: for JSONPath `afterInputPath`,
    /// `afterParameters`, `result`, `afterResultSelector` and `afterResultPath`
    /// (a Pass state with `Result` gives the result and not the input stages,
    /// one without it the input stages and not the result, as AWS's recordings
    /// show; Choice, Wait, Succeed and Fail give `afterInputPath`); for JSONata
    /// `afterArguments` and `result`. A Map gives `afterItemsPath` (JSONPath),
    /// `afterItemSelector` (while the iterations' inputs together stay within
    /// the payload limit), `maxConcurrency` and its thresholds; `variables` (the
    /// ones given and the ones assigned) when there are some, and which
    /// retrier or catcher handled an error. A stage after the one that failed is
    /// absent. `TRACE` adds an HTTP Task's request and response on AWS; the
    /// local engine makes no HTTP calls, so it answers `TRACE` as `DEBUG`.
    ///
    /// # Limits
    ///
    /// The input, the variables, a mocked result and a context object are read
    /// as an execution's input is (the payload and nesting limits); each
    /// evaluation is held to the engine's evaluation limits; a state's input
    /// after `Parameters` or `Arguments`, its output, and the variables it
    /// assigns beyond the payload limit fail it with `States.DataLimitExceeded`,
    /// and a result beyond it fails the task with the same error, which a
    /// retrier or catcher naming it handles.
    ///
    /// # Errors
    ///
    /// `InvalidDefinition` for a definition that breaks a rule of
    /// the language (with every problem and its location), or for a Map or
    /// Parallel state without a mock; `InvalidExecutionInput` for an input
    /// that is not JSON or is too large or deep; `InvalidArn` for a role
    /// that is not an ARN; `ValidationException` for the rest of what AWS
    /// refuses (a mock with both a result and an error, a mock for a state
    /// type that takes none, a Task state without a mock or a role, a
    /// context object without a mock or with fields AWS refuses, variables
    /// that are not a JSON object of valid names, a `state_name` the
    /// machine does not have).
    ///
    /// ```
    /// use sfini_runtime::api::*;
    /// use sfini_runtime::local::LocalEngine;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), SfnError> {
    /// let engine = LocalEngine::new();
    /// let charge = r#"{
    ///     "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 3}],
    ///     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}],
    ///     "End": true
    /// }"#;
    /// let busy = |retries| TestStateInput {
    ///     definition: charge.into(),
    ///     mock: Some(MockInput {
    ///         error_output: Some(MockErrorOutput { error: Some("Busy".into()), cause: None }),
    ///         ..Default::default()
    ///     }),
    ///     state_configuration: Some(TestStateConfiguration {
    ///         retrier_retry_count: Some(retries),
    ///         ..Default::default()
    ///     }),
    ///     ..Default::default()
    /// };
    /// let retried = engine.test_state(busy(1)).await?;
    /// assert_eq!(retried.status, Some(TestExecutionStatus::Retriable));
    /// let caught = engine.test_state(busy(3)).await?;
    /// assert_eq!(caught.status, Some(TestExecutionStatus::CaughtError));
    /// assert_eq!(caught.next_state.as_deref(), Some("Refund"));
    /// assert_eq!(caught.output.as_deref(), Some(r#"{"Error":"Busy","Cause":null}"#));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn test_state(&self, input: TestStateInput) -> Result<TestStateOutput, SfnError> {
        let request = self.read_request(input)?;
        let tested = self.tested_state(&request.definition, request.state_name.as_deref())?;
        request.check_against(&tested)?;
        let limits = &self.shared.limits;
        let io = StateIo::compile(&tested.state, tested.language)
            .map_err(|error| {
                let mut diagnostics = Diagnostics::new();
                diagnostics.error(
                    Code::InvalidValue,
                    tested.location.field(error.field),
                    error.message,
                );
                invalid_definition(diagnostics)
            })?
            .with_limits(limits.evaluation());
        let context = match &request.context {
            Some(context) => context.clone(),
            None => self.context(&request, &tested),
        };
        let now = self.shared.clock.now();
        let env = Env {
            engine: self,
            request: &request,
            tested: &tested,
            io,
            context,
            now_millis: i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX),
            seed: rand::random(),
            deadline: Instant::now() + TEST_STATE_TIMEOUT,
        };
        let mut notes = Notes::new(request.level);
        notes.record(Stage::Input, &request.input);
        let ending = env.run(&mut notes).await;
        Ok(env.answer(ending, notes))
    }

    /// Reads and checks the request's members.
    fn read_request(&self, input: TestStateInput) -> Result<Request, SfnError> {
        let limits = &self.shared.limits;
        let characters = input.definition.chars().count();
        if characters > MAX_DEFINITION_CHARACTERS {
            return Err(SfnError::ValidationException(format!(
                "the definition has {characters} characters; at most \
                 {MAX_DEFINITION_CHARACTERS} are allowed"
            )));
        }
        if let Some(role) = &input.role_arn
            && !role.starts_with("arn:")
        {
            return Err(SfnError::InvalidArn(format!(
                "the role {} is not an ARN; give the IAM role the state runs as, such as \
                 `arn:aws:iam::123456789012:role/NAME`",
                quoted(role, '`')
            )));
        }
        let mock = match &input.mock {
            None => None,
            Some(mock) => Some(self.read_mock(mock)?),
        };
        if mock.is_some() && input.reveal_secrets == Some(true) {
            return Err(SfnError::ValidationException(
                "TestState does not support RevealSecrets when a mock is specified.".into(),
            ));
        }
        if input.context.is_some() && mock.is_none() {
            return Err(SfnError::ValidationException(
                "a context object may be given only with a mock: give `mock` too, or leave \
                 `context` out to have the engine make the context object"
                    .into(),
            ));
        }
        let state_input = super::check_payload(
            input.input.as_deref().unwrap_or("{}"),
            limits,
            SfnError::InvalidExecutionInput,
            "state input",
        )?;
        let variables = match input.variables.as_deref() {
            None => Object::new(),
            Some(text) => read_variables(text, limits)?,
        };
        let context = match input.context.as_deref() {
            None => None,
            Some(text) => Some(super::check_payload(
                text,
                limits,
                |message| {
                    SfnError::ValidationException(format!(
                        "Invalid Context object provided: {message}"
                    ))
                },
                "context object",
            )?),
        };
        let configuration = input.state_configuration.unwrap_or_default();
        if configuration.map_item_reader_data.is_some() {
            return Err(SfnError::ValidationException(
                "the local engine runs no ItemReader, so `mapItemReaderData` is not read; \
                 leave it out (a Map with an ItemReader is not tested locally)"
                    .into(),
            ));
        }
        Ok(Request {
            definition: input.definition,
            role_arn: input.role_arn,
            input: state_input,
            level: input.inspection_level.unwrap_or(InspectionLevel::Info),
            variables,
            state_name: input.state_name,
            mock,
            context,
            retry_count: configuration.retrier_retry_count.unwrap_or(0),
            error_caused_by_state: configuration.error_caused_by_state,
            map_failures: configuration.map_iteration_failure_count,
        })
    }

    fn read_mock(&self, mock: &MockInput) -> Result<Mock, SfnError> {
        match (&mock.result, &mock.error_output) {
            (Some(_), Some(_)) | (None, None) => Err(SfnError::ValidationException(
                "A test mock should have only one of the following fields: [result, \
                 errorOutput]."
                    .into(),
            )),
            (Some(result), None) => super::check_payload(
                result,
                &self.shared.limits,
                SfnError::ValidationException,
                "mocked result",
            )
            .map(Mock::Result),
            (None, Some(error)) => match &error.error {
                Some(name) => Ok(Mock::Error {
                    error: name.clone(),
                    cause: error.cause.clone(),
                }),
                None => Err(SfnError::ValidationException(
                    "a mocked error needs its name: give `mock.errorOutput.error`".into(),
                )),
            },
        }
    }

    /// The state to test: the single state of the definition, or the one
    /// `state_name` names in a whole machine.
    fn tested_state(&self, definition: &str, state_name: Option<&str>) -> Result<Tested, SfnError> {
        let shared = &self.shared;
        let text = fill_region_and_account(definition, &shared.region, &shared.account);
        let value = sfini_core::limits::parse_json(&text, shared.limits.max_depth())
            .map_err(|problem| one_problem(format!("the definition is not JSON: {problem}")))?;
        match state_name {
            Some(name) => whole_machine(&value, name),
            None => single_state(&value),
        }
    }

    /// The context object AWS makes for `TestState`: an Express execution
    /// of a machine, both named at random, entered now, its state called
    /// `StateName`.
    fn context(&self, request: &Request, tested: &Tested) -> Value {
        let shared = &self.shared;
        let machine = uuid();
        let execution = uuid();
        let now = super::run::timestamp(shared.clock.now());
        let object = |fields: Vec<(&str, Value)>| {
            Value::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (key.to_string(), value))
                    .collect(),
            )
        };
        let mut state = vec![
            ("Name", Value::from(CONTEXT_STATE_NAME)),
            ("EnteredTime", now.clone()),
        ];
        if matches!(
            tested.state,
            State::Task(_) | State::Parallel(_) | State::Map(_)
        ) {
            state.push(("RetryCount", Value::from(request.retry_count)));
        }
        let mut fields = vec![
            (
                "Execution",
                object(vec![
                    (
                        "Id",
                        Value::from(format!(
                            "arn:aws:states:{}:{}:express:{machine}:{execution}",
                            shared.region, shared.account
                        )),
                    ),
                    ("Input", request.input.clone()),
                    ("Name", Value::from(execution)),
                    (
                        "RoleArn",
                        request.role_arn.clone().map_or(Value::Null, Value::from),
                    ),
                    ("StartTime", now),
                ]),
            ),
            (
                "StateMachine",
                object(vec![
                    ("Id", Value::from(shared.arns.state_machine(&machine))),
                    ("Name", Value::from(machine)),
                ]),
            ),
            ("State", object(state)),
        ];
        if let State::Task(task) = &tested.state
            && takes_token(&classify(&task.resource))
        {
            fields.push(("Task", object(vec![("Token", Value::from(uuid()))])));
        }
        object(fields)
    }
}

/// A task that waits for a token: an activity, or `.waitForTaskToken`.
fn takes_token(target: &Target) -> bool {
    matches!(
        target,
        Target::Activity | Target::Service { callback: true, .. }
    )
}

/// A `.sync` service integration.
fn is_sync(target: &Target) -> bool {
    matches!(target, Target::Service { action, .. } if action.ends_with(".sync") || action.contains(".sync:"))
}

/// A random version 4 UUID.
fn uuid() -> String {
    let bits: u128 = rand::random();
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The variables given: a JSON object of valid names, within the payload
/// limit.
fn read_variables(
    text: &str,
    limits: &super::EngineLimits,
) -> Result<Object<String, Value>, SfnError> {
    let value = super::check_payload(text, limits, SfnError::ValidationException, "variables")?;
    let Value::Object(variables) = value else {
        return Err(SfnError::ValidationException(
            "the variables must be a JSON object of names and values, such as \
             {\"total\": 42}"
                .into(),
        ));
    };
    for name in variables.keys() {
        if let Err(why) = sfini_core::variables::check_name(name) {
            return Err(SfnError::ValidationException(format!(
                "the variable {} cannot be given: {why}",
                quoted(name, '`')
            )));
        }
    }
    Ok(variables)
}

/// What the request asks for, read and checked.
struct Request {
    definition: String,
    role_arn: Option<String>,
    input: Value,
    level: InspectionLevel,
    variables: Object<String, Value>,
    state_name: Option<String>,
    mock: Option<Mock>,
    context: Option<Value>,
    retry_count: u32,
    error_caused_by_state: Option<String>,
    map_failures: Option<u32>,
}

/// A mock: the state's result, or its error.
enum Mock {
    Result(Value),
    Error {
        error: String,
        cause: Option<String>,
    },
}

/// The state under test.
struct Tested {
    state: State,
    /// The query language of the machine it is in.
    language: QueryLanguage,
    /// Where it is in the definition given.
    location: Location,
}

impl Request {
    /// Refuses what AWS refuses for this state: a mock where none is
    /// taken, a Map or Parallel state without one, a Task that cannot run
    /// without one, a context object or a configuration that does not fit.
    fn check_against(&self, tested: &Tested) -> Result<(), SfnError> {
        let state_type = tested.state.state_type();
        let refuse = |message: String| Err(SfnError::ValidationException(message));
        match (&self.mock, &tested.state) {
            (
                Some(_),
                State::Pass(_)
                | State::Wait(_)
                | State::Choice(_)
                | State::Succeed(_)
                | State::Fail(_),
            ) => {
                return refuse(format!(
                    "State type '{state_type}' is not supported when a mock is specified"
                ));
            }
            (None, State::Map(_) | State::Parallel(_)) => {
                return Err(one_problem(
                    "TestState API does not support Map or Parallel states. Supported state \
                     types include: [Task, Wait, Pass, Succeed, Fail, Choice]"
                        .into(),
                ));
            }
            (None, State::Task(task)) => {
                if self.role_arn.is_none() {
                    return refuse("RoleArn must be specified when testing a Task state".into());
                }
                let target = classify(&task.resource);
                if matches!(target, Target::Activity) {
                    return refuse(
                        "TestState runs an Activity task only with a mock: give `mock` with \
                         the result (or the error) the worker would send"
                            .into(),
                    );
                }
                if takes_token(&target) || is_sync(&target) {
                    return refuse(format!(
                        "TestState runs a `.sync` or `.waitForTaskToken` task only with a mock: \
                         give `mock` with what {} would answer",
                        quoted(&task.resource, '`')
                    ));
                }
            }
            (Some(Mock::Result(result)), State::Map(_)) if !result.is_array() => {
                return refuse("Mocked result must be an array.".into());
            }
            (Some(Mock::Result(result)), State::Parallel(parallel)) => match result {
                Value::Array(items) if items.len() == parallel.branches.len() => {}
                Value::Array(_) => {
                    return refuse(
                        "Mocked result must contain the same number of items as number of \
                         Parallel branches."
                            .into(),
                    );
                }
                _ => return refuse("Mocked result must be an array.".into()),
            },
            _ => {}
        }
        if let State::Map(map) = &tested.state {
            let external = [
                ("ItemReader", map.item_reader.is_some()),
                ("ItemBatcher", map.item_batcher.is_some()),
                ("ResultWriter", map.result_writer.is_some()),
            ];
            if let Some((field, _)) = external.iter().find(|(_, set)| *set) {
                return refuse(format!(
                    "the local engine tests a Map over the items of its input only: {field} \
                     reads or writes Amazon S3, which needs AWS"
                ));
            }
        }
        if let Some(name) = &self.error_caused_by_state {
            let inner = match &tested.state {
                State::Map(map) => contains_state(&map.item_processor.states, name),
                State::Parallel(parallel) => parallel
                    .branches
                    .iter()
                    .any(|branch| contains_state(&branch.states, name)),
                _ => {
                    return refuse(
                        "`errorCausedByState` names the state inside a Map or Parallel state a \
                         mocked error comes from; the state tested is neither"
                            .into(),
                    );
                }
            };
            if !inner {
                return refuse(format!(
                    "`errorCausedByState` names {}, which is not a state inside the {state_type} \
                     state tested",
                    quoted(name, '`')
                ));
            }
        }
        if self.map_failures.is_some() && state_type != StateType::Map {
            return refuse(
                "`mapIterationFailureCount` counts a Map state's failed iterations; the state \
                 tested is not a Map"
                    .into(),
            );
        }
        if let Some(context) = &self.context {
            check_context(context, &tested.state)?;
        }
        Ok(())
    }
}

/// Whether `states`, or a scope inside them, has a state named `name`.
fn contains_state(states: &States, name: &str) -> bool {
    find_state(states, name).is_some()
}

/// The state named `name` among `states` or inside them, with where it is
/// below `states`.
fn find_state<'a>(states: &'a States, name: &str) -> Option<(&'a State, Location)> {
    if let Some(state) = states.get(name) {
        return Some((state, Location::root().field(name)));
    }
    for (outer, state) in states {
        let here = Location::root().field(outer.as_str());
        let found = match state {
            State::Parallel(parallel) => {
                parallel
                    .branches
                    .iter()
                    .enumerate()
                    .find_map(|(index, branch)| {
                        find_state(&branch.states, name).map(|(state, at)| {
                            (
                                state,
                                here.field("Branches")
                                    .index(index)
                                    .field("States")
                                    .join(&at),
                            )
                        })
                    })
            }
            State::Map(map) => find_state(&map.item_processor.states, name)
                .map(|(state, at)| (state, here.field("ItemProcessor").field("States").join(&at))),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Checks a context object given with a mock as AWS checks it: its parts
/// and their fields, of the right kinds.
fn check_context(context: &Value, state: &State) -> Result<(), SfnError> {
    let refuse = |message: String| {
        Err(SfnError::ValidationException(format!(
            "Invalid Context object provided: {message}"
        )))
    };
    let Value::Object(parts) = context else {
        return refuse("the context object must be a JSON object".into());
    };
    let token_task = matches!(state, State::Task(task) if { let target = classify(&task.resource); takes_token(&target) || is_sync(&target) });
    for (part, value) in parts {
        let fields: &[(&str, Kind)] = match part.as_str() {
            "Execution" => &[
                ("Id", Kind::Text),
                ("Input", Kind::Any),
                ("Name", Kind::Text),
                ("RoleArn", Kind::Text),
                ("StartTime", Kind::Text),
                ("RedriveCount", Kind::Count),
                ("RedriveTime", Kind::Text),
            ],
            "StateMachine" => &[("Id", Kind::Text), ("Name", Kind::Text)],
            "State" => &[
                ("Name", Kind::Text),
                ("EnteredTime", Kind::Text),
                ("RetryCount", Kind::Count),
            ],
            "Task" if token_task => &[("Token", Kind::Text)],
            "Task" => {
                return refuse(
                    "Context object contains 'Task' when state is not a Task state with a \
                     '.sync' or '.waitForTaskToken' service integration pattern"
                        .into(),
                );
            }
            "Map" => {
                return refuse("'Map' field is not supported when mocking a Context object".into());
            }
            other => return refuse(format!("Field {} is not allowed", quoted(other, '\''))),
        };
        let Value::Object(members) = value else {
            return refuse(format!("{part} must be an object"));
        };
        for (name, member) in members {
            let Some((_, kind)) = fields.iter().find(|(field, _)| field == name) else {
                return refuse(format!("Field {} is not allowed", quoted(name, '\'')));
            };
            let fits = match kind {
                Kind::Any => true,
                Kind::Text => member.is_string(),
                Kind::Count => member.is_u64(),
            };
            if !fits {
                let expected = match kind {
                    Kind::Count => "a non-negative integer",
                    _ => "a string",
                };
                return refuse(format!("{part}.{name} must be {expected}"));
            }
        }
    }
    Ok(())
}

/// The kind of a context object field.
#[derive(Clone, Copy)]
enum Kind {
    Any,
    Text,
    Count,
}

/// `InvalidDefinition` with one problem at the top of the definition.
fn one_problem(message: String) -> SfnError {
    let mut diagnostics = Diagnostics::new();
    diagnostics.error(Code::InvalidValue, Location::root(), message);
    invalid_definition(diagnostics)
}

/// `InvalidDefinition` with its diagnostics: the first five errors, one a
/// line, as `CreateStateMachine` says them.
fn invalid_definition(diagnostics: Diagnostics) -> SfnError {
    let errors: Vec<String> = diagnostics
        .errors()
        .take(5)
        .map(ToString::to_string)
        .collect();
    let more = diagnostics.errors().count().saturating_sub(errors.len());
    let mut message = errors.join("\n");
    if more > 0 {
        message.push_str(&format!("\n… and {more} more"));
    }
    SfnError::InvalidDefinition {
        message,
        diagnostics,
    }
}

/// The state of a whole machine's definition named `name`.
fn whole_machine(value: &Value, name: &str) -> Result<Tested, SfnError> {
    let checked = check_value_as(value, DefinitionForm::Deployed);
    let machine = match checked.machine {
        Some(machine) if checked.diagnostics.is_valid() => machine,
        _ => return Err(invalid_definition(checked.diagnostics)),
    };
    let Some((state, at)) = find_state(&machine.states, name) else {
        return Err(SfnError::ValidationException(format!(
            "the state machine has no state named {}: `stateName` names the state to test",
            quoted(name, '`')
        )));
    };
    Ok(Tested {
        state: state.clone(),
        language: machine.query_language,
        location: Location::root().field("States").join(&at),
    })
}

/// The state of a single state's definition, checked as the only state of
/// a machine whose other states are the ones it names (each a Succeed
/// state), with the problems found in it located from the state.
fn single_state(value: &Value) -> Result<Tested, SfnError> {
    let Value::Object(members) = value else {
        return Err(one_problem(
            "the definition of a state is a JSON object with its `Type`; give a whole state \
             machine with `stateName` to test one of its states"
                .into(),
        ));
    };
    if !members.contains_key("Type") && members.contains_key("States") {
        return Err(one_problem(
            "the definition is a state machine, not a state: give `stateName` to say which of \
             its states to test"
                .into(),
        ));
    }
    let successors = successor_names(members);
    let wrapper = (0..)
        .map(|number| match number {
            0 => WRAPPER_NAME.to_string(),
            n => format!("{WRAPPER_NAME}-{n}"),
        })
        .find(|name| !successors.iter().any(|next| next == name))
        .unwrap_or_else(|| WRAPPER_NAME.to_string());
    let mut states = Object::new();
    states.insert(wrapper.clone(), value.clone());
    for next in &successors {
        let mut succeed = Object::new();
        succeed.insert("Type".into(), Value::from("Succeed"));
        states.entry(next.clone()).or_insert(Value::Object(succeed));
    }
    let mut machine = Object::new();
    machine.insert("StartAt".into(), Value::from(wrapper.clone()));
    machine.insert("States".into(), Value::Object(states));
    let checked = check_value_as(&Value::Object(machine), DefinitionForm::Deployed);
    let prefix = Location::root().field("States").field(wrapper.as_str());
    let located = |diagnostics: Diagnostics| {
        let mut out = Diagnostics::new();
        for diagnostic in diagnostics.iter() {
            // Any name is a state the tested one may go to: one it names
            // under a misspelled field is not reported twice.
            if diagnostic.code == Code::UnknownState {
                continue;
            }
            let location = if diagnostic.location.starts_with(&prefix) {
                diagnostic.location.segments()[2..]
                    .iter()
                    .cloned()
                    .collect::<Location>()
            } else {
                Location::root()
            };
            out.push(Diagnostic {
                location,
                ..diagnostic.clone()
            });
        }
        out
    };
    let diagnostics = located(checked.diagnostics);
    let machine = match checked.machine {
        Some(machine) if diagnostics.is_valid() => machine,
        _ => return Err(invalid_definition(diagnostics)),
    };
    let Some(state) = machine.states.get(&wrapper) else {
        return Err(one_problem("the state could not be read".into()));
    };
    Ok(Tested {
        state: state.clone(),
        language: machine.query_language,
        location: Location::root(),
    })
}

/// The names a state's definition goes to: `Next`, `Default`, each
/// Choice rule's and each catcher's `Next`.
fn successor_names(members: &Object<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |value: Option<&Value>| {
        if let Some(Value::String(name)) = value
            && !names.contains(name)
        {
            names.push(name.clone());
        }
    };
    add(members.get("Next"));
    add(members.get("Default"));
    for list in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = members.get(list) {
            for item in items {
                add(item.get("Next"));
            }
        }
    }
    names
}

/// A failure of the state under test.
#[derive(Clone, Debug)]
struct StateError {
    /// The error name (empty for a Fail state without `Error`).
    error: String,
    cause: Option<String>,
    /// True when nothing handles it (data over a limit).
    terminal: bool,
}

impl StateError {
    fn new(error: impl Into<String>, cause: Option<String>) -> StateError {
        StateError {
            error: error.into(),
            cause,
            terminal: false,
        }
    }

    fn terminal(error: PredefinedError, cause: String) -> StateError {
        StateError {
            error: error.as_str().to_string(),
            cause: Some(cause),
            terminal: true,
        }
    }
}

impl From<DataFlowError> for StateError {
    /// Data over a limit fails the state whatever handles errors, as in an
    /// execution.
    fn from(error: DataFlowError) -> StateError {
        StateError {
            terminal: error.error == PredefinedError::DataLimitExceeded,
            error: error.error_name().to_string(),
            cause: Some(error.cause),
        }
    }
}

/// What a state that does work left: its output and its assignments.
struct Completed {
    output: Value,
    assigned: Vec<(String, Value)>,
}

/// How the state under test ended.
enum Ending {
    Succeeded {
        output: Value,
        next: Option<String>,
        assigned: Vec<(String, Value)>,
    },
    Failed(StateError),
    Retriable {
        error: StateError,
        backoff_seconds: u64,
    },
    Caught {
        error: StateError,
        output: Value,
        next: String,
        assigned: Vec<(String, Value)>,
    },
}

/// A stage of the data flow, for the inspection data.
#[derive(Clone, Copy)]
enum Stage {
    Input,
    AfterInputPath,
    AfterParameters,
    AfterArguments,
    Result,
    AfterResultSelector,
    AfterResultPath,
    AfterItemsPath,
    AfterItemSelector,
}

/// The inspection data being gathered.
struct Notes {
    level: InspectionLevel,
    data: InspectionData,
    details: InspectionErrorDetails,
}

impl Notes {
    fn new(level: InspectionLevel) -> Notes {
        Notes {
            level,
            data: InspectionData::default(),
            details: InspectionErrorDetails::default(),
        }
    }

    fn inspects(&self) -> bool {
        self.level != InspectionLevel::Info
    }

    /// Notes what a stage made, as JSON text (at `DEBUG` and `TRACE`).
    fn record(&mut self, stage: Stage, value: &Value) {
        if !self.inspects() {
            return;
        }
        let text = Some(json_text(value));
        let data = &mut self.data;
        let field = match stage {
            Stage::Input => &mut data.input,
            Stage::AfterInputPath => &mut data.after_input_path,
            Stage::AfterParameters => &mut data.after_parameters,
            Stage::AfterArguments => &mut data.after_arguments,
            Stage::Result => &mut data.result,
            Stage::AfterResultSelector => &mut data.after_result_selector,
            Stage::AfterResultPath => &mut data.after_result_path,
            Stage::AfterItemsPath => &mut data.after_items_path,
            Stage::AfterItemSelector => &mut data.after_item_selector,
        };
        *field = text;
    }
}

/// Compact JSON text of a value the engine holds (within the nesting
/// limit, so writing it recurses no deeper).
fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A JSONPath state's data-flow fields.
struct JsonPathFields {
    input_path: DataPath,
    parameters: Option<Value>,
    result_selector: Option<Value>,
    result_path: DataPath,
    output_path: DataPath,
    assign: Option<Value>,
}

impl JsonPathFields {
    fn of(state: &State) -> JsonPathFields {
        let mut fields = JsonPathFields {
            input_path: DataPath::root(),
            parameters: None,
            result_selector: None,
            result_path: DataPath::root(),
            output_path: DataPath::root(),
            assign: state.assign().cloned(),
        };
        match state {
            State::Task(task) => {
                fields.input_path = task.input_path.clone();
                fields.parameters = task.parameters.clone();
                fields.result_selector = task.result_selector.clone();
                fields.result_path = task.result_path.clone();
                fields.output_path = task.output_path.clone();
            }
            State::Pass(pass) => {
                fields.input_path = pass.input_path.clone();
                fields.parameters = pass.parameters.clone();
                fields.result_path = pass.result_path.clone();
                fields.output_path = pass.output_path.clone();
            }
            State::Parallel(parallel) => {
                fields.input_path = parallel.input_path.clone();
                fields.parameters = parallel.parameters.clone();
                fields.result_selector = parallel.result_selector.clone();
                fields.result_path = parallel.result_path.clone();
                fields.output_path = parallel.output_path.clone();
            }
            State::Map(map) => {
                fields.input_path = map.input_path.clone();
                fields.result_selector = map.result_selector.clone();
                fields.result_path = map.result_path.clone();
                fields.output_path = map.output_path.clone();
            }
            _ => {}
        }
        fields
    }
}

/// What one test reads: the request, the state and its data flow, and the
/// frame's other roots.
struct Env<'a> {
    engine: &'a LocalEngine,
    request: &'a Request,
    tested: &'a Tested,
    io: StateIo,
    context: Value,
    now_millis: i64,
    seed: u64,
    /// When the five minutes of `TestState` are up.
    deadline: Instant,
}

impl Env<'_> {
    fn frame<'v>(&'v self, input: &'v Value) -> Frame<'v> {
        let mut frame = Frame::new(input, &self.context).with_variables(&self.request.variables);
        frame.now_millis = self.now_millis;
        frame.seed = self.seed;
        frame
    }

    fn jsonata(&self) -> bool {
        self.io.language() == QueryLanguage::Jsonata
    }

    fn limits(&self) -> &super::EngineLimits {
        &self.engine.shared.limits
    }

    /// The state's `Next`, when it has one.
    fn next(&self) -> Option<String> {
        match self.tested.state.transition() {
            Some(Transition::Next(next)) => Some(next.clone()),
            _ => None,
        }
    }

    /// One stage of a JSONPath state's data flow, as a Task state with only
    /// that stage's field, so that each stage's value can be shown.
    fn stage(&self, set: impl FnOnce(&mut Task)) -> Result<StateIo, StateError> {
        let mut task = Task::new(STAGE_RESOURCE);
        set(&mut task);
        StateIo::compile(&State::Task(task), QueryLanguage::JsonPath)
            .map(|io| io.with_limits(self.limits().evaluation()))
            .map_err(|error| {
                StateError::new(PredefinedError::Runtime.as_str(), Some(error.to_string()))
            })
    }

    /// A state's input after `Parameters` or `Arguments`, or its output,
    /// within the payload and nesting limits: beyond them the state fails,
    /// and nothing handles it.
    fn admit(&self, value: &Value, what: &str) -> Result<(), StateError> {
        let limits = self.limits();
        measure(value, limits.max_payload_bytes(), limits.max_depth())
            .map(|_| ())
            .map_err(|exceeded| {
                StateError::terminal(
                    PredefinedError::DataLimitExceeded,
                    format!("The state's {what} is too large: {exceeded}."),
                )
            })
    }

    /// Runs the state under test and says how it ended.
    async fn run(&self, notes: &mut Notes) -> Ending {
        let state = &self.tested.state;
        let done = match state {
            State::Pass(pass) => self.pass(pass.result.is_some(), notes),
            State::Choice(choice) => {
                return match self.choice(choice, notes) {
                    Ok(ending) => ending,
                    Err(error) => Ending::Failed(error),
                };
            }
            State::Wait(_) | State::Succeed(_) => self.without_work(notes),
            State::Fail(_) => return Ending::Failed(self.fail(notes)),
            State::Task(task) => {
                let done = self.task(task, notes).await;
                return self.recover(done, notes);
            }
            State::Parallel(_) => {
                let done = self.parallel(notes);
                return self.recover(done, notes);
            }
            State::Map(map) => {
                let done = self.map(map, notes).await;
                return self.recover(done, notes);
            }
        };
        match done {
            Ok(done) => Ending::Succeeded {
                output: done.output,
                next: self.next(),
                assigned: done.assigned,
            },
            Err(error) => Ending::Failed(error),
        }
    }

    /// A Pass state: its `Result`, or its effective input, is its result.
    fn pass(&self, has_result: bool, notes: &mut Notes) -> Result<Completed, StateError> {
        let raw = &self.request.input;
        if self.jsonata() {
            let frame = self.frame(raw);
            let effective = self.io.effective_input(&frame)?;
            let outcome = self.io.complete_from(&frame, effective, None, None)?;
            self.admit(&outcome.output, "output")?;
            return Ok(Completed {
                output: outcome.output,
                assigned: outcome.assigned,
            });
        }
        let fields = JsonPathFields::of(&self.tested.state);
        let effective = self.jsonpath_input(&fields, !has_result, notes)?;
        let result = match &self.tested.state {
            State::Pass(pass) => pass.result.clone(),
            _ => None,
        };
        let result = match result {
            Some(result) => {
                notes.record(Stage::Result, &result);
                result
            }
            None => effective.clone(),
        };
        self.jsonpath_finish(&fields, &effective, result, notes)
    }

    /// A JSONPath state's effective input: `InputPath`, then `Parameters`;
    /// each stage noted when `shown`.
    fn jsonpath_input(
        &self,
        fields: &JsonPathFields,
        shown: bool,
        notes: &mut Notes,
    ) -> Result<Value, StateError> {
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let after_input_path = if fields.input_path.is_root() {
            raw.clone()
        } else {
            let input_path = fields.input_path.clone();
            self.stage(|task| task.input_path = input_path)?
                .effective_input(&frame)?
                .into_owned()
        };
        if shown {
            notes.record(Stage::AfterInputPath, &after_input_path);
        }
        let effective = if fields.parameters.is_some() {
            self.io.effective_input(&frame)?.into_owned()
        } else {
            after_input_path
        };
        self.admit(&effective, "input")?;
        if shown && !matches!(self.tested.state, State::Map(_)) {
            notes.record(Stage::AfterParameters, &effective);
        }
        Ok(effective)
    }

    /// A JSONPath state's result through `ResultSelector`, `Assign`,
    /// `ResultPath` (into the raw input) and `OutputPath`, each stage noted.
    fn jsonpath_finish(
        &self,
        fields: &JsonPathFields,
        effective: &Value,
        result: Value,
        notes: &mut Notes,
    ) -> Result<Completed, StateError> {
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let selected = match &fields.result_selector {
            None => result,
            Some(selector) => {
                let selector = selector.clone();
                self.stage(|task| task.result_selector = Some(selector))?
                    .complete(&frame, effective, Some(result), None)?
                    .output
            }
        };
        notes.record(Stage::AfterResultSelector, &selected);
        let assigned = match &fields.assign {
            None => Vec::new(),
            Some(assign) => {
                let assign = assign.clone();
                self.stage(|task| task.assign = Some(assign))?
                    .complete(&frame, effective, Some(selected.clone()), None)?
                    .assigned
            }
        };
        let placed = if fields.result_path.is_root() {
            selected
        } else {
            let result_path = fields.result_path.clone();
            self.stage(|task| task.result_path = result_path)?
                .complete(&frame, effective, Some(selected), None)?
                .output
        };
        notes.record(Stage::AfterResultPath, &placed);
        let output = if fields.output_path.is_root() {
            placed
        } else {
            let output_path = fields.output_path.clone();
            self.stage(|task| task.output_path = output_path)?
                .complete(&frame, effective, Some(placed), None)?
                .output
        };
        self.admit(&output, "output")?;
        Ok(Completed { output, assigned })
    }

    /// A Task or Parallel state's effective input in its language.
    fn work_input(&self, notes: &mut Notes) -> Result<Value, StateError> {
        if !self.jsonata() {
            let fields = JsonPathFields::of(&self.tested.state);
            return self.jsonpath_input(&fields, true, notes);
        }
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let effective = self.io.effective_input(&frame)?.into_owned();
        self.admit(&effective, "input")?;
        notes.record(Stage::AfterArguments, &effective);
        Ok(effective)
    }

    /// A Task, Parallel or Map state's output once its work gave `result`.
    fn work_output(
        &self,
        effective: &Value,
        result: Value,
        notes: &mut Notes,
    ) -> Result<Completed, StateError> {
        if !self.jsonata() {
            let fields = JsonPathFields::of(&self.tested.state);
            return self.jsonpath_finish(&fields, effective, result, notes);
        }
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let outcome = self.io.complete(&frame, effective, Some(result), None)?;
        self.admit(&outcome.output, "output")?;
        Ok(Completed {
            output: outcome.output,
            assigned: outcome.assigned,
        })
    }

    /// The mock's result, or its error.
    fn mocked(&self) -> Result<Value, StateError> {
        match &self.request.mock {
            Some(Mock::Result(result)) => Ok(result.clone()),
            Some(Mock::Error { error, cause }) => {
                Err(StateError::new(error.as_str(), cause.clone()))
            }
            None => Err(StateError::new(
                PredefinedError::Runtime.as_str(),
                Some("the state runs only with a mock".into()),
            )),
        }
    }

    async fn task(&self, task: &Task, notes: &mut Notes) -> Result<Completed, StateError> {
        let effective = self.work_input(notes)?;
        let raw = &self.request.input;
        // TimeoutSecondsPath reads the state's input, as in an execution.
        let timeout = {
            let frame = self.frame(raw);
            self.io.task_seconds(&frame, raw)?.0
        };
        let result = match &self.request.mock {
            Some(_) => self.mocked()?,
            None => self.call_handler(task, &effective, timeout).await?,
        };
        notes.record(Stage::Result, &result);
        self.work_output(&effective, result, notes)
    }

    /// Runs the handler registered for the task's resource, within its
    /// timeout and the time left to `TestState`.
    async fn call_handler(
        &self,
        task: &Task,
        effective: &Value,
        timeout: Option<u64>,
    ) -> Result<Value, StateError> {
        let Some(handler) = self.engine.shared.handler(&task.resource) else {
            return Err(StateError::new(
                PredefinedError::Runtime.as_str(),
                Some(format!(
                    "no handler is registered for the resource {} on the local engine; register \
                     one with LocalEngine::register_handler, or give a mock",
                    quoted(&task.resource, '`')
                )),
            ));
        };
        let deadline = match timeout {
            Some(seconds) => (Instant::now() + Duration::from_secs(seconds)).min(self.deadline),
            None => self.deadline,
        };
        let call = handler(effective.clone(), self.context.clone());
        let result = match tokio::time::timeout_at(deadline, call).await {
            Ok(Ok(result)) => result,
            Ok(Err(failure)) => return Err(StateError::new(failure.error, Some(failure.cause))),
            Err(_) => return Err(StateError::new(PredefinedError::Timeout.as_str(), None)),
        };
        let limits = self.limits();
        match measure(&result, limits.max_payload_bytes(), limits.max_depth()) {
            Ok(_) => Ok(result),
            Err(exceeded) => {
                // A handler may build a value deeper than dropping it the
                // ordinary way can afford.
                drop_deep(result);
                let why = match exceeded {
                    Exceeded::Bytes { .. } => {
                        "returned a result with a size exceeding the maximum number of bytes \
                         service limit."
                            .to_string()
                    }
                    Exceeded::Depth { limit } => format!(
                        "returned a result nested more than {limit} levels of arrays and \
                         objects deep."
                    ),
                };
                Err(StateError::new(
                    PredefinedError::DataLimitExceeded.as_str(),
                    Some(format!("The state/task '{}' {why}", task.resource)),
                ))
            }
        }
    }

    /// A Parallel state: its mocked result is its branches' results.
    fn parallel(&self, notes: &mut Notes) -> Result<Completed, StateError> {
        let effective = self.work_input(notes)?;
        let result = self.mocked()?;
        self.work_output(&effective, result, notes)
    }

    /// A Map state: its items, iteration inputs and settings are read, and
    /// its mocked result is its iterations' results.
    async fn map(
        &self,
        map: &sfini_core::model::Map,
        notes: &mut Notes,
    ) -> Result<Completed, StateError> {
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let effective = self.io.effective_input(&frame)?;
        if !self.jsonata() {
            notes.record(Stage::AfterInputPath, &effective);
        }
        let items = self.io.items(&frame, &effective)?;
        if !self.jsonata() && notes.inspects() {
            notes.record(Stage::AfterItemsPath, &Value::Array(items.to_vec()));
        }
        let max_concurrency = self.io.max_concurrency(&frame, &effective)?;
        let (count, percentage) = self.io.tolerated_failures(&frame, &effective)?;
        let count_set = map.tolerated_failure_count != ValueOrPath::Value(0);
        let percentage_set = map.tolerated_failure_percentage != ValueOrPath::Value(0.0);
        if notes.inspects() {
            notes.data.max_concurrency = Some(max_concurrency);
            if count_set {
                notes.data.tolerated_failure_count = Some(count);
            }
            if percentage_set {
                notes.data.tolerated_failure_percentage = Some(percentage);
            }
        }
        if map.item_selector.is_some() {
            self.iteration_inputs(&frame, &effective, &items, notes)
                .await?;
        }
        if let Some(failures) = self.request.map_failures {
            let failures = u64::from(failures);
            let over_count = count_set && failures > count;
            let over_percentage = percentage_set
                && !items.is_empty()
                && failures as f64 * 100.0 / items.len() as f64 > percentage;
            if over_count || over_percentage {
                return Err(StateError::new(
                    PredefinedError::ExceedToleratedFailureThreshold.as_str(),
                    Some(THRESHOLD_EXCEEDED.into()),
                ));
            }
        }
        let result = self.mocked()?;
        let effective = effective.into_owned();
        self.work_output(&effective, result, notes)
    }

    /// The inputs of a Map's iterations after `ItemSelector`, noted while
    /// they stay within the payload limit together; each within it, as in
    /// an execution. The reading lets the runtime's other tasks run now and
    /// then, and ends with `States.Timeout` when `TestState`'s time is up.
    async fn iteration_inputs(
        &self,
        frame: &Frame<'_>,
        effective: &Value,
        items: &[Value],
        notes: &mut Notes,
    ) -> Result<(), StateError> {
        let limits = self.limits();
        let bound = limits.max_payload_bytes();
        let mut context = self.context.clone();
        let mut inputs = Vec::new();
        let mut bytes = 0_usize;
        let mut slice = Instant::now();
        for (index, item) in items.iter().enumerate() {
            if slice.elapsed() >= TIME_SLICE {
                tokio::task::yield_now().await;
                slice = Instant::now();
                if Instant::now() >= self.deadline {
                    return Err(StateError::new(PredefinedError::Timeout.as_str(), None));
                }
            }
            let input = self
                .io
                .item_input(frame, effective, item, index, &mut context)?;
            let size = measure(&input, bound, limits.max_depth()).map_err(|exceeded| {
                StateError::terminal(
                    PredefinedError::DataLimitExceeded,
                    format!("The input of the Map's iteration {index} is too large: {exceeded}."),
                )
            })?;
            bytes = bytes.saturating_add(size.bytes + 1);
            if bytes > bound {
                // Shown no further: the iterations' inputs are not the
                // state's data, and run only in its iterations.
                return Ok(());
            }
            inputs.push(input);
        }
        notes.record(Stage::AfterItemSelector, &Value::Array(inputs));
        Ok(())
    }

    /// A Choice state: the rule that matches gives the next state.
    fn choice(
        &self,
        choice: &sfini_core::model::Choice,
        notes: &mut Notes,
    ) -> Result<Ending, StateError> {
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let effective = self.io.effective_input(&frame)?;
        if !self.jsonata() {
            notes.record(Stage::AfterInputPath, &effective);
        }
        let rule = self
            .io
            .choose(&frame, &effective, choice.default.is_some())?;
        let next = match rule {
            Some(index) => choice.choices.get(index).map(|rule| rule.next.clone()),
            None => choice.default.clone(),
        };
        let outcome = self.io.complete_from(&frame, effective, None, rule)?;
        self.admit(&outcome.output, "output")?;
        Ok(Ending::Succeeded {
            output: outcome.output,
            next,
            assigned: outcome.assigned,
        })
    }

    /// A Wait or Succeed state. A Wait does not wait, but its time is read.
    fn without_work(&self, notes: &mut Notes) -> Result<Completed, StateError> {
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let effective = self.io.effective_input(&frame)?;
        if !self.jsonata() {
            notes.record(Stage::AfterInputPath, &effective);
        }
        if let State::Wait(_) = &self.tested.state {
            let now = self.engine.shared.clock.now();
            let wait = self.io.wait_until(&frame, &effective, now)?;
            if wait >= LONGEST_WAIT {
                return Err(StateError::new(
                    PredefinedError::Runtime.as_str(),
                    Some(format!(
                        "The Wait state's end lies {} seconds from now, beyond the {} seconds a \
                         wait may last.",
                        wait.as_secs(),
                        LONGEST_WAIT.as_secs() - 1
                    )),
                ));
            }
        }
        let outcome = self.io.complete_from(&frame, effective, None, None)?;
        self.admit(&outcome.output, "output")?;
        Ok(Completed {
            output: outcome.output,
            assigned: outcome.assigned,
        })
    }

    /// A Fail state's error and cause.
    fn fail(&self, notes: &mut Notes) -> StateError {
        let raw = &self.request.input;
        if !self.jsonata() {
            notes.record(Stage::AfterInputPath, raw);
        }
        let frame = self.frame(raw);
        match self.io.fail_output(&frame) {
            Ok((error, cause)) => StateError::new(error.unwrap_or_default(), cause),
            Err(error) => error.into(),
        }
    }

    /// What a Task, Parallel or Map state's retriers and catchers make of
    /// how its work went.
    fn recover(&self, done: Result<Completed, StateError>, notes: &mut Notes) -> Ending {
        let error = match done {
            Ok(done) => {
                return Ending::Succeeded {
                    output: done.output,
                    next: self.next(),
                    assigned: done.assigned,
                };
            }
            Err(error) => error,
        };
        if error.terminal {
            return Ending::Failed(error);
        }
        let state = &self.tested.state;
        if let Some(index) = find_retrier(state.retriers(), &error.error) {
            notes.details.retry_index = u32::try_from(index).ok();
            let retrier = &state.retriers()[index];
            let random = if retrier.jitter_strategy == JitterStrategy::Full {
                rand::random::<f64>()
            } else {
                0.0
            };
            let retry = u64::from(self.request.retry_count) + 1;
            if let Some(delay) = retry_delay(retrier, retry, random) {
                return Ending::Retriable {
                    error,
                    backoff_seconds: delay.as_secs(),
                };
            }
        }
        let Some(index) = find_catcher(state.catchers(), &error.error) else {
            return Ending::Failed(error);
        };
        notes.details.catch_index = u32::try_from(index).ok();
        let mut error_output = Object::new();
        error_output.insert("Error".into(), Value::from(error.error.as_str()));
        error_output.insert(
            "Cause".into(),
            error.cause.as_deref().map_or(Value::Null, Value::from),
        );
        let raw = &self.request.input;
        let frame = self.frame(raw);
        let caught = self
            .io
            .catch(&frame, index, Value::Object(error_output))
            .map_err(StateError::from)
            .and_then(|outcome| {
                self.admit(&outcome.output, "output")?;
                Ok(outcome)
            });
        match caught {
            Ok(outcome) => Ending::Caught {
                error,
                output: outcome.output,
                next: state.catchers()[index].next.clone(),
                assigned: outcome.assigned,
            },
            Err(failure) => {
                notes.details.catch_index = None;
                Ending::Failed(failure)
            }
        }
    }

    /// The variables after the state: those given, then those it assigned,
    /// each within the payload limit, and all its assignments together.
    fn variables_after(
        &self,
        assigned: Vec<(String, Value)>,
    ) -> Result<Object<String, Value>, StateError> {
        let limits = self.limits();
        let bound = limits.max_payload_bytes();
        let mut total = 0_usize;
        let mut variables = self.request.variables.clone();
        for (name, value) in assigned {
            let size = measure(&value, bound, limits.max_depth()).map_err(|_| {
                StateError::terminal(
                    PredefinedError::DataLimitExceeded,
                    format!(
                        "The value of the variable '{name}' assigned by the state has a size \
                         exceeding the maximum number of bytes service limit ({bound} bytes), \
                         or is nested deeper than data may nest."
                    ),
                )
            })?;
            total = total.saturating_add(size.bytes);
            if total > bound {
                return Err(StateError::terminal(
                    PredefinedError::DataLimitExceeded,
                    format!(
                        "The variables assigned by the state have a size exceeding the maximum \
                         number of bytes service limit ({bound} bytes)."
                    ),
                ));
            }
            variables.insert(name, value);
        }
        Ok(variables)
    }

    /// The answer: the ending, with the inspection data at `DEBUG` and
    /// `TRACE`.
    fn answer(&self, ending: Ending, mut notes: Notes) -> TestStateOutput {
        let mut answer = TestStateOutput::default();
        let mut variables = Some(self.request.variables.clone());
        let ending = match ending {
            Ending::Succeeded {
                output,
                next,
                assigned,
            } => match self.variables_after(assigned) {
                Ok(after) => {
                    variables = Some(after);
                    Ending::Succeeded {
                        output,
                        next,
                        assigned: Vec::new(),
                    }
                }
                Err(error) => Ending::Failed(error),
            },
            Ending::Caught {
                error,
                output,
                next,
                assigned,
            } => match self.variables_after(assigned) {
                Ok(after) => {
                    variables = Some(after);
                    Ending::Caught {
                        error,
                        output,
                        next,
                        assigned: Vec::new(),
                    }
                }
                Err(error) => Ending::Failed(error),
            },
            other => other,
        };
        let error_of = |error: StateError, answer: &mut TestStateOutput| {
            answer.error = (!error.error.is_empty()).then_some(error.error);
            answer.cause = error.cause;
        };
        match ending {
            Ending::Succeeded { output, next, .. } => {
                answer.status = Some(TestExecutionStatus::Succeeded);
                answer.output = Some(json_text(&output));
                answer.next_state = next;
            }
            Ending::Failed(error) => {
                answer.status = Some(TestExecutionStatus::Failed);
                error_of(error, &mut answer);
            }
            Ending::Retriable {
                error,
                backoff_seconds,
            } => {
                answer.status = Some(TestExecutionStatus::Retriable);
                notes.details.retry_backoff_interval_seconds = Some(backoff_seconds);
                error_of(error, &mut answer);
            }
            Ending::Caught {
                error,
                output,
                next,
                ..
            } => {
                answer.status = Some(TestExecutionStatus::CaughtError);
                answer.output = Some(json_text(&output));
                answer.next_state = Some(next);
                error_of(error, &mut answer);
            }
        }
        if notes.inspects() {
            if let Some(variables) = variables.filter(|variables| !variables.is_empty()) {
                notes.data.variables = Some(json_text(&Value::Object(variables)));
            }
            if notes.details != InspectionErrorDetails::default() {
                notes.data.error_details = Some(notes.details);
            }
            answer.inspection_data = Some(notes.data);
        }
        answer
    }
}

#[cfg(test)]
mod tests;
