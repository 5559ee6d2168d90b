//! Support for the expansion of `#[activity]`: reading arguments from the
//! task input, running the function, writing its output, and the
//! compile-time questions `workflow!` asks about an activity.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::activity::failure::SFINI_ERRORS;
pub use crate::activity::{
    Activity, ActivityContext, ActivityDefinition, ActivityError, ActivityFuture, Argument,
    TaskFailure,
};
pub use serde;
pub use serde_json;
pub use tokio::task::spawn_blocking;

/// The predefined errors a Task state running an activity can end with.
pub use sfini_core::error_name::TASK_STATE_ERRORS;

/// True when a task running `definition` can fail with the error named
/// `error`: one its error type declares, one of sfini's own
/// ([`INVALID_INPUT_ERROR`](crate::activity::INVALID_INPUT_ERROR), ...), or
/// a predefined error of a Task state ([`TASK_STATE_ERRORS`]).
pub const fn raises(definition: &ActivityDefinition, error: &str) -> bool {
    contains(definition.errors, error)
        || contains(SFINI_ERRORS, error)
        || contains(TASK_STATE_ERRORS, error)
}

/// True when the activity reads an argument named `name` from its input
/// (required or not). An activity taking its whole input has no named
/// arguments.
pub const fn has_argument(definition: &ActivityDefinition, name: &str) -> bool {
    let mut index = 0;
    while index < definition.arguments.len() {
        if same_text(definition.arguments[index].name, name) {
            return true;
        }
        index += 1;
    }
    false
}

const fn contains(names: &[&str], name: &str) -> bool {
    let mut index = 0;
    while index < names.len() {
        if same_text(names[index], name) {
            return true;
        }
        index += 1;
    }
    false
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// The arguments of one task, read by name from its input object. Every
/// problem is recorded, so that one failure names them all.
pub struct InputArguments {
    activity: &'static str,
    fields: Map<String, Value>,
    problems: Vec<String>,
}

impl InputArguments {
    /// Reads `input`, which must be a JSON object holding the arguments of
    /// `definition`.
    pub fn new(input: Value, definition: &ActivityDefinition) -> Result<Self, TaskFailure> {
        match input {
            Value::Object(fields) => Ok(InputArguments {
                activity: definition.name,
                fields,
                problems: Vec::new(),
            }),
            other => Err(TaskFailure::invalid_input(format!(
                "the input of activity `{}` must be a JSON object with its arguments as fields ({}); it is {}",
                definition.name,
                argument_list(definition.arguments),
                kind_of(&other),
            ))),
        }
    }

    /// The argument `name`, which the input must hold; `None` (and a
    /// recorded problem) when it is missing or does not read as `T`.
    pub fn required<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
        type_name: &'static str,
    ) -> Option<T> {
        match self.fields.remove(name) {
            Some(value) => self.read(name, type_name, value),
            None => {
                self.problems
                    .push(format!("argument `{name}` ({type_name}) is missing"));
                None
            }
        }
    }

    /// The argument `name` of an `Option<T>` parameter: `Some(None)` when
    /// the input leaves it out or holds `null`, `None` (and a recorded
    /// problem) when it does not read as `T`.
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
        type_name: &'static str,
    ) -> Option<Option<T>> {
        match self.fields.remove(name) {
            None | Some(Value::Null) => Some(None),
            Some(value) => self.read(name, type_name, value).map(Some),
        }
    }

    /// The argument `name` of a parameter with a default: `default()` when
    /// the input leaves it out, `None` (and a recorded problem) when it does
    /// not read as `T`.
    pub fn or_default<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
        type_name: &'static str,
        default: impl FnOnce() -> T,
    ) -> Option<T> {
        match self.fields.remove(name) {
            None => Some(default()),
            Some(value) => self.read(name, type_name, value),
        }
    }

    fn read<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
        type_name: &'static str,
        value: Value,
    ) -> Option<T> {
        match serde_json::from_value(value) {
            Ok(argument) => Some(argument),
            Err(error) => {
                self.problems
                    .push(format!("argument `{name}` ({type_name}): {error}"));
                None
            }
        }
    }

    /// The failure naming every problem found so far.
    pub fn into_failure(self) -> TaskFailure {
        TaskFailure::invalid_input(format!(
            "the input of activity `{}` does not hold its arguments: {}",
            self.activity,
            self.problems.join("; ")
        ))
    }
}

/// The whole task input, read as `T` for an `#[input]` parameter.
pub fn whole_input<T: DeserializeOwned>(
    input: Value,
    definition: &ActivityDefinition,
    type_name: &'static str,
) -> Result<T, TaskFailure> {
    serde_json::from_value(input).map_err(|error| {
        TaskFailure::invalid_input(format!(
            "the input of activity `{}` does not read as {type_name}: {error}",
            definition.name
        ))
    })
}

/// The task output: `value` as JSON.
pub fn output<T: Serialize + ?Sized>(value: &T) -> Result<Value, TaskFailure> {
    serde_json::to_value(value).map_err(|error| {
        TaskFailure::invalid_output(format!(
            "the activity's output cannot be written as JSON: {error}"
        ))
    })
}

/// What the runtime needs of an activity's error type `E`, gathered where
/// `E: ActivityError` is required, once: an expansion that uses the table
/// (the definition's names, the failure of each error) needs no bound of
/// its own, so a type without the trait is reported once.
pub struct ErrorType<E> {
    /// The error names, as [`ActivityError::NAMES`].
    pub names: &'static [&'static str],
    name: fn(&E) -> &'static str,
    cause: fn(&E) -> String,
}

impl<E> ErrorType<E> {
    /// The table of an error type.
    pub const fn of() -> ErrorType<E>
    where
        E: ActivityError,
    {
        ErrorType {
            names: E::NAMES,
            name: E::error_name,
            cause: cause_of::<E>,
        }
    }
}

fn cause_of<E: ActivityError>(error: &E) -> String {
    error.to_string()
}

/// The task result of a function returning `Result<T, E>`, its error named
/// through its type's table.
pub fn fallible_output<T: Serialize, E>(
    result: Result<T, E>,
    errors: &ErrorType<E>,
) -> Result<Value, TaskFailure> {
    match result {
        Ok(value) => output(&value),
        Err(error) => Err(TaskFailure::new(
            (errors.name)(&error),
            (errors.cause)(&error),
        )),
    }
}

/// Runs a plain `fn` activity on tokio's blocking threads, so that it does
/// not hold up the asynchronous ones.
pub async fn run_blocking<R, F>(function: F) -> Result<R, TaskFailure>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    spawn_blocking(function).await.map_err(|error| {
        if error.is_panic() {
            TaskFailure::panicked(&*error.into_panic())
        } else {
            TaskFailure::interrupted()
        }
    })
}

/// The future of one task, failing with
/// [`PANIC_ERROR`](crate::activity::PANIC_ERROR) instead of unwinding when
/// the activity panics.
pub fn run_task<F>(task: F) -> ActivityFuture
where
    F: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    Box::pin(CatchPanic {
        task: Box::pin(task),
    })
}

struct CatchPanic {
    task: ActivityFuture,
}

impl Future for CatchPanic {
    type Output = Result<Value, TaskFailure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // After a panic the task is never polled again: the failure is its
        // result.
        match catch_unwind(AssertUnwindSafe(|| self.task.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => Poll::Ready(Err(TaskFailure::panicked(&*payload))),
        }
    }
}

/// `a`, `b`, and optionally `c`
fn argument_list(arguments: &[Argument]) -> String {
    let named = |required: bool| {
        arguments
            .iter()
            .filter(|argument| argument.required == required)
            .map(|argument| format!("`{}`", argument.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (named(true), named(false)) {
        (required, optional) if optional.is_empty() => required,
        (required, optional) if required.is_empty() => format!("optionally {optional}"),
        (required, optional) => format!("{required}, and optionally {optional}"),
    }
}

fn kind_of(value: &Value) -> &'static str {
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
    use serde_json::json;
    use sfini_core::error_name::PredefinedError;

    fn never(_: Value, _: ActivityContext) -> ActivityFuture {
        run_task(async { Ok(Value::Null) })
    }

    const DEFINITION: ActivityDefinition = ActivityDefinition {
        name: "adder",
        id: "adder",
        description: "",
        arguments: &[
            Argument {
                name: "a",
                required: true,
            },
            Argument {
                name: "b",
                required: false,
            },
        ],
        takes_whole_input: false,
        errors: &["Overflow"],
        heartbeat_seconds: None,
        timeout_seconds: None,
        run: never,
    };

    #[test]
    fn raises_knows_declared_own_and_task_errors() {
        const { assert!(raises(&DEFINITION, "Overflow")) };
        assert!(raises(&DEFINITION, "sfini.InvalidInput"));
        assert!(raises(&DEFINITION, "sfini.ActivityPanicked"));
        assert!(raises(&DEFINITION, "States.Timeout"));
        assert!(!raises(&DEFINITION, "Overflo"));
        assert!(!raises(&DEFINITION, "States.NoChoiceMatched"));
        assert!(!raises(&DEFINITION, "States.BranchFailed"));
    }

    #[test]
    fn task_state_errors_are_predefined() {
        for name in TASK_STATE_ERRORS {
            assert!(PredefinedError::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn has_argument_finds_names() {
        const { assert!(has_argument(&DEFINITION, "a")) };
        assert!(has_argument(&DEFINITION, "b"));
        assert!(!has_argument(&DEFINITION, "c"));
        assert!(!has_argument(&DEFINITION, ""));
    }

    #[test]
    fn every_problem_is_named() {
        let mut arguments = InputArguments::new(json!({"b": "x", "c": 1}), &DEFINITION).unwrap();
        assert_eq!(arguments.required::<i64>("a", "i64"), None);
        assert_eq!(arguments.optional::<i64>("b", "i64"), None);
        assert_eq!(arguments.or_default::<i64>("d", "i64", || 4), Some(4));
        let failure = arguments.into_failure();
        assert_eq!(failure.error, "sfini.InvalidInput");
        assert_eq!(
            failure.cause,
            "the input of activity `adder` does not hold its arguments: argument `a` (i64) is missing; \
             argument `b` (i64): invalid type: string \"x\", expected i64"
        );
    }

    #[test]
    fn input_must_be_an_object() {
        let failure = InputArguments::new(json!([1, 2]), &DEFINITION)
            .err()
            .unwrap();
        assert_eq!(
            failure.cause,
            "the input of activity `adder` must be a JSON object with its arguments as fields \
             (`a`, and optionally `b`); it is an array"
        );
    }

    #[tokio::test]
    async fn panics_become_failures() {
        let failure = run_task(async { panic!("lost {}", 42) }).await.unwrap_err();
        assert_eq!(
            failure,
            TaskFailure::new("sfini.ActivityPanicked", "the activity panicked: lost 42")
        );
        let failure = run_blocking(|| -> i32 { panic!("blocked") })
            .await
            .unwrap_err();
        assert_eq!(failure.cause, "the activity panicked: blocked");
        assert_eq!(run_blocking(|| 7).await, Ok(7));
    }
}
