//! The report of a test's execution, read from its description and its
//! history.

use std::fmt;
use std::time::Duration;

use rustc_hash::FxHashMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::TestError;
use crate::api::history::{EventDetails, StateEnteredDetails, StateExitedDetails};
use crate::api::{DescribeExecutionOutput, ExecutionStatus, HistoryEvent};

/// One visit of a state: what it received, what it gave, and how many
/// times its task was tried.
#[derive(Clone, Debug, PartialEq)]
pub struct StateVisit {
    /// The state's name.
    pub name: String,
    /// Its type, as the history names it (`Task`, `Pass`, `Map`...).
    pub state_type: &'static str,
    /// Its raw input.
    pub input: Value,
    /// Its output, when it was left (a state that failed, or was cut short,
    /// has none).
    pub output: Option<Value>,
    /// How many times its task was scheduled (0 for a state with no task):
    /// the first try and each retry.
    pub attempts: u32,
    /// Each attempt of its task: what the activity, function or service
    /// was given, and what came back.
    pub tasks: Vec<TaskAttempt>,
    /// The workflow variables it assigned (an object of their values), when
    /// it assigned any.
    pub assigned: Option<Value>,
    /// When it was entered, from the execution's start.
    pub entered: Duration,
    /// When it was left, from the execution's start.
    pub exited: Option<Duration>,
}

/// One attempt of a state's task.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskAttempt {
    /// What the activity, Lambda function or service was given: the
    /// task's effective input (a service integration's parameters).
    pub input: Value,
    /// Its result, when it succeeded.
    pub result: Option<Value>,
    /// Its error, when it failed or timed out.
    pub error: Option<String>,
    /// The error's cause.
    pub cause: Option<String>,
}

impl StateVisit {
    /// How many times its task was retried.
    pub fn retries(&self) -> u32 {
        self.attempts.saturating_sub(1)
    }
}

/// A closed execution of a test: how it ended and what it went through.
#[derive(Clone, Debug)]
pub struct TestRun {
    described: DescribeExecutionOutput,
    output: Option<Value>,
    history: Vec<HistoryEvent>,
    visits: Vec<StateVisit>,
}

/// JSON text of the history as a value: as deep as the engine lets data
/// be, not only as deep as serde_json's default.
fn json(text: Option<&str>) -> Option<Value> {
    text.and_then(|text| {
        sfini_core::limits::parse_json(text, sfini_core::limits::DEPTH_CEILING).ok()
    })
}

fn entered(details: &EventDetails) -> Option<(&'static str, &StateEnteredDetails)> {
    use EventDetails as E;
    Some(match details {
        E::TaskStateEntered(d) => ("Task", d),
        E::PassStateEntered(d) => ("Pass", d),
        E::ChoiceStateEntered(d) => ("Choice", d),
        E::WaitStateEntered(d) => ("Wait", d),
        E::SucceedStateEntered(d) => ("Succeed", d),
        E::FailStateEntered(d) => ("Fail", d),
        E::ParallelStateEntered(d) => ("Parallel", d),
        E::MapStateEntered(d) => ("Map", d),
        _ => return None,
    })
}

fn exited(details: &EventDetails) -> Option<&StateExitedDetails> {
    use EventDetails as E;
    match details {
        E::TaskStateExited(d)
        | E::PassStateExited(d)
        | E::ChoiceStateExited(d)
        | E::WaitStateExited(d)
        | E::SucceedStateExited(d)
        | E::ParallelStateExited(d)
        | E::MapStateExited(d) => Some(d),
        _ => None,
    }
}

/// What an event says of a task: scheduled with this input, succeeded with
/// this result, or failed with this error and cause.
enum TaskEvent {
    Scheduled(Value),
    Succeeded(Option<Value>),
    Failed(Option<String>, Option<String>),
}

fn task_event(details: &EventDetails) -> Option<TaskEvent> {
    use EventDetails as E;
    let input = |text: Option<&str>| json(text).unwrap_or(Value::Null);
    Some(match details {
        E::ActivityScheduled(d) => TaskEvent::Scheduled(input(d.input.as_deref())),
        E::LambdaFunctionScheduled(d) => TaskEvent::Scheduled(input(d.input.as_deref())),
        E::TaskScheduled(d) => TaskEvent::Scheduled(input(Some(&d.parameters))),
        E::ActivitySucceeded(d) | E::LambdaFunctionSucceeded(d) => {
            TaskEvent::Succeeded(json(d.output.as_deref()))
        }
        E::TaskSucceeded(d) => TaskEvent::Succeeded(json(d.output.as_deref())),
        E::ActivityFailed(d)
        | E::ActivityTimedOut(d)
        | E::ActivityScheduleFailed(d)
        | E::LambdaFunctionFailed(d)
        | E::LambdaFunctionTimedOut(d)
        | E::LambdaFunctionScheduleFailed(d)
        | E::LambdaFunctionStartFailed(d) => TaskEvent::Failed(d.error.clone(), d.cause.clone()),
        E::TaskFailed(d) | E::TaskTimedOut(d) | E::TaskStartFailed(d) | E::TaskSubmitFailed(d) => {
            TaskEvent::Failed(d.error.clone(), d.cause.clone())
        }
        _ => return None,
    })
}

/// The assigned variables of an exit, as an object of their values.
fn assigned(exit: &StateExitedDetails) -> Option<Value> {
    let variables = exit.assigned_variables.as_ref()?;
    Some(Value::Object(
        variables
            .iter()
            .map(|(name, value)| (name.clone(), json(Some(value)).unwrap_or(Value::Null)))
            .collect(),
    ))
}

impl TestRun {
    pub(super) fn new(described: DescribeExecutionOutput, history: Vec<HistoryEvent>) -> TestRun {
        let output = json(described.output.as_deref());
        let visits = visits(&history);
        TestRun {
            described,
            output,
            history,
            visits,
        }
    }

    /// How the execution ended.
    pub fn status(&self) -> ExecutionStatus {
        self.described.status
    }

    /// True when it succeeded.
    pub fn succeeded(&self) -> bool {
        self.described.status == ExecutionStatus::Succeeded
    }

    /// Its output, when it succeeded.
    pub fn output_json(&self) -> Option<&Value> {
        self.output.as_ref()
    }

    /// Its output read as `T`; an error saying how it ended when it did not
    /// succeed, or why the output is not a `T`.
    pub fn output<T: DeserializeOwned>(&self) -> Result<T, TestError> {
        let Some(output) = &self.output else {
            return Err(TestError::NotSucceeded {
                status: self.described.status,
                error: self.described.error.clone(),
                cause: self.described.cause.clone(),
            });
        };
        T::deserialize(output).map_err(|error| TestError::Output {
            output: output.to_string(),
            reason: error.to_string(),
        })
    }

    /// Its error, when it failed (or was stopped with one).
    pub fn error(&self) -> Option<&str> {
        self.described.error.as_deref()
    }

    /// The cause of its error.
    pub fn cause(&self) -> Option<&str> {
        self.described.cause.as_deref()
    }

    /// The names of the states entered, in the order of the history (a
    /// state entered twice is named twice; the states of concurrent
    /// branches and iterations are interleaved as they ran).
    pub fn states(&self) -> Vec<&str> {
        self.visits
            .iter()
            .map(|visit| visit.name.as_str())
            .collect()
    }

    /// Every visit of every state, in the order they were entered.
    pub fn visits(&self) -> &[StateVisit] {
        &self.visits
    }

    /// The first visit of the state named `name`.
    pub fn visit(&self, name: &str) -> Option<&StateVisit> {
        self.visits.iter().find(|visit| visit.name == name)
    }

    /// Every visit of the state named `name`, in order.
    pub fn visits_of(&self, name: &str) -> Vec<&StateVisit> {
        self.visits
            .iter()
            .filter(|visit| visit.name == name)
            .collect()
    }

    /// How many times the task of the state named `name` was retried, over
    /// all its visits.
    pub fn retries(&self, name: &str) -> u32 {
        self.visits_of(name)
            .iter()
            .map(|visit| visit.retries())
            .sum()
    }

    /// How long the execution ran, in the engine's (virtual) time: from its
    /// start to its last event.
    pub fn duration(&self) -> Duration {
        match (self.history.first(), self.history.last()) {
            (Some(first), Some(last)) => {
                Duration::try_from(last.timestamp - first.timestamp).unwrap_or_default()
            }
            _ => Duration::ZERO,
        }
    }

    /// When it started, on the engine's clock.
    pub fn started_at(&self) -> time::OffsetDateTime {
        self.described.start_date
    }

    /// Its history, as GetExecutionHistory gives it.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// Its history in the readable form of
    /// [`History::format`](crate::execution::History::format).
    pub fn format_history(&self) -> String {
        let mut text = String::new();
        for event in &self.history {
            // Writing to a String does not fail.
            let _ = crate::execution::history::write_event(&mut text, event);
        }
        text
    }

    /// The types of its history's events, in order.
    pub fn event_types(&self) -> Vec<&'static str> {
        self.history
            .iter()
            .map(|event| event.event_type().as_str())
            .collect()
    }

    /// The execution as DescribeExecution gives it.
    pub fn described(&self) -> &DescribeExecutionOutput {
        &self.described
    }
}

/// The visits of a history. Each event names the one before it in its own
/// thread (the execution, a branch, an iteration), so a state's exit and
/// its tasks are found by following those links back to where it was
/// entered, however concurrent threads interleave.
fn visits(history: &[HistoryEvent]) -> Vec<StateVisit> {
    let by_id: FxHashMap<i64, usize> = history
        .iter()
        .enumerate()
        .map(|(index, event)| (event.id, index))
        .collect();
    let start = history.first().map(|event| event.timestamp);
    let since = |at: time::OffsetDateTime| {
        start
            .and_then(|start| Duration::try_from(at - start).ok())
            .unwrap_or_default()
    };
    let mut visits = Vec::new();
    // The visit each entered event opened, by the event's index.
    let mut opened: FxHashMap<usize, usize> = FxHashMap::default();
    for (index, event) in history.iter().enumerate() {
        if let Some((state_type, details)) = entered(&event.details) {
            opened.insert(index, visits.len());
            visits.push(StateVisit {
                name: details.name.clone(),
                state_type,
                input: json(details.input.as_deref()).unwrap_or(Value::Null),
                output: None,
                attempts: 0,
                tasks: Vec::new(),
                assigned: None,
                entered: since(event.timestamp),
                exited: None,
            });
            continue;
        }
        let exit = exited(&event.details);
        let task = task_event(&event.details);
        if exit.is_none() && task.is_none() {
            continue;
        }
        // Back along the thread to the state this event belongs to: the
        // nearest entry (of the same name, for an exit: a Parallel or Map
        // state's exit follows its branches' events).
        let mut at = by_id.get(&event.previous_event_id).copied();
        // Each step goes to an earlier event, so this ends.
        while let Some(previous) = at {
            if let Some(visit) = opened.get(&previous).copied() {
                let matches = exit.is_none_or(|exit| visits[visit].name == exit.name);
                if matches {
                    let found: &mut StateVisit = &mut visits[visit];
                    if let Some(exit) = exit {
                        found.output = json(exit.output.as_deref());
                        found.assigned = assigned(exit);
                        found.exited = Some(since(event.timestamp));
                    }
                    match task {
                        Some(TaskEvent::Scheduled(input)) => {
                            found.attempts += 1;
                            found.tasks.push(TaskAttempt {
                                input,
                                ..TaskAttempt::default()
                            });
                        }
                        Some(TaskEvent::Succeeded(result)) => {
                            if let Some(attempt) = found.tasks.last_mut() {
                                attempt.result = result;
                            }
                        }
                        Some(TaskEvent::Failed(error, cause)) => {
                            if let Some(attempt) = found.tasks.last_mut() {
                                attempt.error = error;
                                attempt.cause = cause;
                            }
                        }
                        None => {}
                    }
                    break;
                }
            }
            at = by_id
                .get(&history[previous].previous_event_id)
                .copied()
                .filter(|earlier| *earlier < previous);
        }
    }
    visits
}

impl fmt::Display for TestRun {
    /// A summary for a failed assertion: how it ended, then each visit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "execution {}", self.described.status)?;
        if let Some(error) = &self.described.error {
            write!(f, " with {error}")?;
            if let Some(cause) = &self.described.cause {
                write!(f, ": {cause}")?;
            }
        }
        if let Some(output) = &self.output {
            write!(f, ", output {output}")?;
        }
        writeln!(f, ", after {:?}", self.duration())?;
        for visit in &self.visits {
            write!(
                f,
                "  {:>8?} {} {} <- {}",
                visit.entered, visit.state_type, visit.name, visit.input
            )?;
            if visit.attempts > 1 {
                write!(f, " ({} attempts)", visit.attempts)?;
            }
            for attempt in visit.tasks.iter().filter(|attempt| attempt.error.is_some()) {
                write!(
                    f,
                    " [failed: {}{}]",
                    attempt.error.as_deref().unwrap_or_default(),
                    attempt
                        .cause
                        .as_deref()
                        .map(|cause| format!(": {cause}"))
                        .unwrap_or_default()
                )?;
            }
            match (&visit.output, visit.exited) {
                (Some(output), Some(exited)) => writeln!(f, " -> {output} at {exited:?}")?,
                _ => writeln!(f, " (not left)")?,
            }
        }
        Ok(())
    }
}
