//! How an execution ended, as the case suites (differential, fidelity)
//! compare it: its status, output, error, cause and the types of its
//! history events, with one way to run a case's definition on a fresh local
//! engine and read that back.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use sfini::runtime::api::*;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::{LocalEngine, TaskFailure};

/// How an execution ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    pub status: String,
    /// The output, parsed; `null` unless the execution succeeded.
    pub output: Value,
    /// The error name, if any.
    pub error: Option<String>,
    /// The cause, if any.
    pub cause: Option<String>,
    /// The type of each history event, in order.
    pub events: Vec<String>,
}

/// A string field of a case or result, or `None` when it is absent or null.
pub fn text(value: &Value, field: &str, case: &str) -> Option<String> {
    match value.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => panic!("{case}: `{field}` must be a string or null, found {other}"),
    }
}

impl Outcome {
    /// An outcome written as a case's `expect` or a harness's result.
    pub fn from_json(value: &Value, case: &str) -> Outcome {
        let status = text(value, "status", case)
            .unwrap_or_else(|| panic!("{case}: a result needs a `status` string"));
        let events = value
            .get("events")
            .and_then(Value::as_array)
            .map(|events| {
                events
                    .iter()
                    .map(|event| {
                        event
                            .as_str()
                            .unwrap_or_else(|| {
                                panic!("{case}: event types are strings, found {event}")
                            })
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        Outcome {
            status,
            output: value.get("output").cloned().unwrap_or(Value::Null),
            error: text(value, "error", case),
            cause: text(value, "cause", case),
            events,
        }
    }
}

/// One scripted answer of a Task state's resource.
#[derive(Debug, Clone)]
pub enum TaskAnswer {
    /// The task returns this value.
    Return(Value),
    /// The task returns its own input.
    ReturnInput,
    /// The task fails with this error and cause.
    Throw(String, String),
    /// The task never answers (its state's timeout ends it).
    Hang,
}

impl TaskAnswer {
    /// An answer written as `{"return": V}`, `{"return_input": true}` or
    /// `{"throw": {"error": E, "cause": C}}` or `{"hang": true}`.
    pub fn from_json(value: &Value, case: &str) -> TaskAnswer {
        if let Some(returned) = value.get("return") {
            TaskAnswer::Return(returned.clone())
        } else if value.get("return_input") == Some(&Value::Bool(true)) {
            TaskAnswer::ReturnInput
        } else if value.get("hang") == Some(&Value::Bool(true)) {
            TaskAnswer::Hang
        } else if let Some(thrown) = value.get("throw") {
            TaskAnswer::Throw(
                text(thrown, "error", case).unwrap_or_default(),
                text(thrown, "cause", case).unwrap_or_default(),
            )
        } else {
            panic!(
                "{case}: a task answer is `return`, `return_input`, `throw` or `hang`, found {value}"
            )
        }
    }
}

/// Where a case's execution runs: its names and the answers of its tasks.
pub struct EngineRun<'a> {
    /// The state machine's name.
    pub machine_name: String,
    /// The role the machine is created with.
    pub role_arn: &'a str,
    /// The definition.
    pub definition: &'a Value,
    /// The execution's input.
    pub input: &'a Value,
    /// Per resource, the answers of its invocations in order; the last one
    /// repeats.
    pub tasks: Vec<(String, Vec<TaskAnswer>)>,
}

/// Runs a case on a fresh local engine on the virtual clock (Waits and
/// retry intervals take no time); an execution still running after two
/// years of virtual time (past the year a Standard execution may run) is
/// reported, not waited on. Must be called inside a
/// paused tokio runtime.
pub async fn run_on_local_engine(run: EngineRun<'_>) -> Result<Outcome, String> {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(Clock::real().now()))
        .build();
    for (resource, answers) in run.tasks {
        let answers = Arc::new(answers);
        let next = Arc::new(Mutex::new(0usize));
        engine.register_handler(resource, move |input, _context| {
            let answers = answers.clone();
            let next = next.clone();
            async move {
                let index = {
                    let mut next = next.lock().expect("the answer counter");
                    let index = (*next).min(answers.len().saturating_sub(1));
                    *next += 1;
                    index
                };
                match answers.get(index) {
                    Some(TaskAnswer::Return(value)) => Ok(value.clone()),
                    Some(TaskAnswer::ReturnInput) | None => Ok(input),
                    Some(TaskAnswer::Throw(error, cause)) => {
                        Err(TaskFailure::new(error.clone(), cause.clone()))
                    }
                    Some(TaskAnswer::Hang) => std::future::pending().await,
                }
            }
        });
    }
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: run.machine_name,
            definition: run.definition.to_string(),
            role_arn: run.role_arn.into(),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("CreateStateMachine failed: {error}"))?;
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.state_machine_arn,
            name: Some("run".into()),
            input: Some(run.input.to_string()),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("StartExecution failed: {error}"))?;
    let done = tokio::time::timeout(
        Duration::from_secs(2 * 365 * 24 * 3600),
        engine.wait_for_execution(&started.execution_arn),
    )
    .await
    .map_err(|_| "the execution was still running after two years".to_string())?
    .map_err(|error| format!("DescribeExecution failed: {error}"))?;
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started.execution_arn.clone(),
            max_results: 1000,
            ..Default::default()
        })
        .await
        .map_err(|error| format!("GetExecutionHistory failed: {error}"))?;
    let output = match &done.output {
        Some(output) if done.status == ExecutionStatus::Succeeded => {
            serde_json::from_str(output)
                .map_err(|error| format!("the output is not JSON ({error}): {output}"))?
        }
        _ => Value::Null,
    };
    Ok(Outcome {
        status: done.status.as_str().to_string(),
        output,
        error: done.error,
        cause: done.cause,
        events: history
            .events
            .iter()
            .map(|event| event.event_type().as_str().to_string())
            .collect(),
    })
}

/// JSON values equal as the suites compare them: numbers by value, object
/// keys in any order.
pub fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => {
            match (left.as_i64(), right.as_i64(), left.as_u64(), right.as_u64()) {
                (Some(left), Some(right), _, _) => left == right,
                (_, _, Some(left), Some(right)) => left == right,
                _ => left.as_f64() == right.as_f64(),
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| same_json(l, r))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, value)| right.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => left == right,
    }
}

/// What to compare of two outcomes.
#[derive(Debug, Clone, Copy)]
pub struct Comparison {
    /// Compare the causes.
    pub cause: bool,
    /// Compare the event types (when the expected outcome lists some).
    pub events: bool,
    /// Compare event types as a multiset (branches that interleave).
    pub interleave: bool,
}

/// The fields where `actual` differs from `expected`, described.
pub fn differences(actual: &Outcome, expected: &Outcome, compare: Comparison) -> Vec<String> {
    let mut found = Vec::new();
    if actual.status != expected.status {
        found.push(format!(
            "status {} instead of {}",
            actual.status, expected.status
        ));
    }
    if actual.error != expected.error {
        found.push(format!(
            "error {:?} instead of {:?}",
            actual.error, expected.error
        ));
    }
    if compare.cause && actual.cause != expected.cause {
        found.push(format!(
            "cause {:?} instead of {:?}",
            actual.cause, expected.cause
        ));
    }
    if !same_json(&actual.output, &expected.output) {
        found.push(format!(
            "output {} instead of {}",
            actual.output, expected.output
        ));
    }
    if compare.events {
        let differ = if compare.interleave {
            let mut left = actual.events.clone();
            let mut right = expected.events.clone();
            left.sort();
            right.sort();
            left != right
        } else {
            actual.events != expected.events
        };
        if differ {
            found.push(format!(
                "events{} {:?} instead of {:?}",
                if compare.interleave {
                    " (as a multiset)"
                } else {
                    ""
                },
                actual.events,
                expected.events
            ));
        }
    }
    found
}
