//! The interpreter: runs an execution state by state.
//!
//! An execution is one tokio task. It steps synchronously through states
//! that need no waiting (Pass, Choice, Succeed, Fail), yielding to the
//! runtime between them once it has run for a while, and awaits only where
//! it must wait: an activity task, a handler, a timer, or the branches and
//! iterations of Parallel and Map states, which run as tasks of their own.
//!
//! Each state's data flow runs through its [`StateIo`](sfini_core::dataflow::StateIo),
//! in the state's query language, on a [`Frame`]: its raw input, the
//! context object when the state reads it, and the workflow variables of
//! its scope as they were when it was entered. What a state assigns is
//! committed once it is left, so every expression of a state reads the
//! same variables.
//!
//! Every value the execution makes is measured against the engine's limits
//! as it is made ([`Run::admit`]), and every event goes through the
//! history's limit ([`Run::record`]).

use std::borrow::Cow;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map as Object, Value};
use sfini_core::dataflow::{DataFlowError, Frame, find_catcher, find_retrier, retry_delay};
use sfini_core::error_name::PredefinedError;
use sfini_core::limits::{Exceeded, measure};
use sfini_core::model::{JitterStrategy, QueryLanguage};
use time::OffsetDateTime;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::compile::{CompiledState, Kind, MapSpec, Scope, Target, TaskSpec};
use super::execution::{
    Abortable, Cursor, Elapsed, EvaluationFailure, EventKind, Execution, ExitedAssigning, Failure,
    IterationEvent, Refused, ScheduledTask,
};
use super::redrive::{self, Resume, ThreadPath, ThreadStart, child_thread, top_thread};
use super::tasks::{Outcome, SlotState, TaskSlot};
use super::variables::{ScopeVariables, TooLarge, VariableLimits};
use super::{Shared, UnhandledCallbacks};
use crate::mock::{MockAnswer, MockedResponse, TestCase};

/// The timeout of a task without `TimeoutSeconds`, as AWS sets it.
pub const DEFAULT_TASK_TIMEOUT_SECONDS: u64 = 99_999_999;

/// The most bytes of JSON text all the variables an execution's scope sees
/// may take together.
pub const MAX_VARIABLES_BYTES: usize = 10 * 1024 * 1024;

type Failed = Arc<Failure>;

/// The context object of a state that does not read it.
static NO_CONTEXT: Value = Value::Null;

/// How long an execution may run states without waiting before it lets the
/// other tasks of its thread run.
const TIME_SLICE: Duration = Duration::from_millis(2);

/// The shortest wait AWS refuses: 2^31 seconds (about 68 years), past the
/// 32-bit count of seconds it keeps a wait's end in.
const LONGEST_WAIT: Duration = Duration::from_secs(1 << 31);

/// The longest run of a Standard execution, as AWS bounds it: one year. An
/// execution still running then times out with States.Timeout.
const LONGEST_EXECUTION: Duration = Duration::from_secs(365 * 24 * 3600);

/// The longest single sleep: tokio's timers reach about two years, and a
/// longer wait sleeps in turns.
const LONGEST_SLEEP: Duration = Duration::from_secs(365 * 24 * 3600);

/// What a value that enters an execution is, for the error it fails with
/// when it is over a limit.
#[derive(Clone, Copy, Debug)]
enum Admitted<'a> {
    /// A state's input after InputPath and Parameters (or ItemSelector).
    Input(&'a str),
    /// A state's output.
    Output(&'a str),
    /// The result a Task state's resource returned.
    Result(&'a str),
}

/// What a state leaves: its output, the next state (`None`: the end of its
/// scope) and the variables it assigns.
struct Stepped {
    output: Arc<Value>,
    next: Option<usize>,
    assigned: Vec<(String, Value)>,
}

type Step = Result<Stepped, Failed>;

/// What a Task, Parallel or Map state's work left: its output and the
/// variables it assigns.
type Completed = Result<(Arc<Value>, Vec<(String, Value)>), Failed>;

/// A state being visited: what every part of running it reads.
struct Visit<'a> {
    state: &'a CompiledState,
    /// Its raw input.
    input: &'a Arc<Value>,
    /// When it was entered.
    entered: Elapsed,
    /// The id of its `...StateEntered` event.
    entered_id: u32,
    /// The id of the event before it, which an `EvaluationFailed` event
    /// follows, as AWS records it.
    before: u32,
    /// The variables of its scope.
    variables: &'a ScopeVariables,
    /// The thread that visits it.
    thread: &'a ThreadPath,
    /// True when a redrive resumes at it.
    resuming: bool,
}

/// An execution being run.
pub struct Run {
    /// The engine.
    pub shared: Arc<Shared>,
    /// The execution.
    pub execution: Arc<Execution>,
}

fn flow(error: DataFlowError) -> Failed {
    Arc::new(Failure::from(error))
}

fn runtime(cause: impl Into<String>) -> Failed {
    Failure::new(PredefinedError::Runtime.as_str(), cause)
}

fn owned(value: Arc<Value>) -> Value {
    Arc::try_unwrap(value).unwrap_or_else(|shared| (*shared).clone())
}

/// A time as the context object holds it, in UTC to the millisecond, as
/// AWS writes it (`2019-03-26T20:14:13.192Z`).
pub(super) fn timestamp(at: OffsetDateTime) -> Value {
    let utc = at.to_offset(time::UtcOffset::UTC);
    Value::String(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    ))
}

/// Which attempt of a state runs: when the state was entered, and how
/// many retries came before it.
#[derive(Clone, Copy, Debug)]
struct Attempt {
    retry_count: u64,
    /// The state's key among the things in progress.
    key: u32,
    /// True for the first attempt of the state a redrive resumes at: a
    /// Parallel or Map state runs again only its branches or iterations
    /// that did not succeed.
    resuming: bool,
}

/// How an execution ended.
pub enum Ending {
    /// It succeeded with this output.
    Succeeded(Arc<Value>),
    /// It failed.
    Failed(Failed),
    /// It ran longer than the machine's timeout.
    TimedOut(Failed),
}

/// Runs an execution to its end and closes it.
pub async fn execute(run: Arc<Run>) {
    let top = run.clone();
    let body: Pin<Box<dyn Future<Output = Result<Arc<Value>, Failed>> + Send>> =
        Box::pin(async move {
            // A run from the first state, its events following the event
            // `last`.
            let from_the_start = |last: u32| {
                let start = Start::Top(top.execution.input.clone(), ScopeVariables::default());
                let cursor = Cursor {
                    last,
                    ..Cursor::default()
                };
                let scope = top.execution.machine.top.clone();
                run_scope(top.clone(), scope, top_thread(), cursor, start)
            };
            if top.execution.rerun {
                // The first of an at-least-once execution's runs: its
                // outcome is dropped, and the execution starts over.
                let first = from_the_start(0).await;
                tracing::debug!(
                    execution = %top.execution.arn,
                    succeeded = first.is_ok(),
                    "first run of an at-least-once execution dropped; running it again"
                );
                return from_the_start(top.execution.last_event()).await;
            }
            from_the_start(0).await
        });
    run_to_close(run, body, 0).await;
}

/// Runs the `redrives`-th redrive of an execution from the top-level
/// state `resume` names, its events following the event `last`, and closes
/// it.
pub async fn resume(run: Arc<Run>, resume: Resume, last: u32, redrives: u32) {
    let top = run.execution.machine.top.clone();
    let cursor = Cursor {
        last,
        run: redrives,
        ..Cursor::default()
    };
    let body = run_scope(run.clone(), top, top_thread(), cursor, Start::From(resume));
    run_to_close(run, body, redrives).await;
}

/// Runs `body`, the top level of an execution, within the machine's
/// timeout, and closes the execution with how it ended.
async fn run_to_close(
    run: Arc<Run>,
    body: Pin<Box<dyn Future<Output = Result<Arc<Value>, Failed>> + Send>>,
    redrives: u32,
) {
    let machine = run.execution.machine.clone();
    // A machine's TimeoutSeconds, within the year a Standard execution may
    // run at most.
    // An Express execution's five minutes instead (`express.rs`).
    let longest = if run.execution.express {
        super::express::LONGEST_EXPRESS_EXECUTION
    } else {
        LONGEST_EXECUTION
    };
    let limit = machine
        .timeout_seconds
        .map_or(longest, |seconds| Duration::from_secs(seconds).min(longest));
    let ending = match tokio::time::timeout_at(deadline_after(limit), body).await {
        Ok(result) => result.map_or_else(Ending::Failed, Ending::Succeeded),
        // AWS reports an execution's timeout with the error name only.
        Err(_) => Ending::TimedOut(Failure::without_cause(PredefinedError::Timeout.as_str())),
    };
    // A run that a stop cut short while a redrive started another closes
    // nothing: the execution is the later run's.
    if run.execution.lock().redrives.count != redrives {
        return;
    }
    run.shared.close_execution(&run.execution, ending);
}

/// An index of a branch or item as the engine counts them.
fn index32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// How the branch or item `index` begins: from its start when nothing was
/// kept (`starts` is `None`).
fn take_start(starts: &mut Option<Vec<ThreadStart>>, index: usize) -> ThreadStart {
    starts
        .as_mut()
        .and_then(|starts| starts.get_mut(index))
        .map_or(ThreadStart::Fresh, |start| {
            std::mem::replace(start, ThreadStart::Fresh)
        })
}

/// Where a thread's run of a scope begins.
enum Start {
    /// At the scope's start state, with this input and these variables.
    Top(Arc<Value>, ScopeVariables),
    /// At a state a redrive resumes.
    From(Resume),
}

/// Runs a thread of a scope; boxed so that branches and iterations can run
/// as tasks of their own.
fn run_scope(
    run: Arc<Run>,
    scope: Arc<Scope>,
    thread: ThreadPath,
    cursor: Cursor,
    start: Start,
) -> Pin<Box<dyn Future<Output = Result<Arc<Value>, Failed>> + Send>> {
    Box::pin(async move {
        let (resume, resuming) = match start {
            Start::Top(input, variables) => (
                Resume {
                    index: scope.start,
                    input,
                    variables,
                },
                false,
            ),
            Start::From(resume) => (resume, true),
        };
        run.scope_from(&scope, resume, cursor, &thread, resuming)
            .await
    })
}

impl Run {
    /// How each of the `count` branches or iterations of the Parallel or
    /// Map state being visited begins (see [`redrive::thread_starts`]).
    fn thread_starts(
        &self,
        visit: &Visit<'_>,
        cursor: &Cursor,
        count: usize,
        attempt: Attempt,
    ) -> Option<Vec<ThreadStart>> {
        redrive::thread_starts(
            &mut self.execution.lock(),
            cursor.run,
            visit.thread,
            visit.state.id,
            count,
            attempt.resuming,
        )
    }

    /// Forgets what was kept of the branches or iterations of the Parallel
    /// or Map state being visited, which succeeded.
    fn forget_threads(&self, visit: &Visit<'_>, cursor: &Cursor) {
        redrive::forget_children(&mut self.execution.lock(), cursor.run, visit.thread);
    }

    /// Keeps the output of the branch or iteration `thread` that
    /// succeeded, for a redrive of its Parallel or Map state.
    fn thread_finished(&self, cursor: &Cursor, thread: &ThreadPath, output: &Arc<Value>) {
        redrive::finished(
            &mut self.execution.lock(),
            cursor.run,
            thread,
            output.clone(),
        );
    }

    fn now(&self) -> Elapsed {
        self.execution.elapsed()
    }

    /// Records an event of the thread at `cursor`; `Err` (the failure the
    /// thread ends with) once the execution has closed, or when the event
    /// would pass the history's limit, which fails the execution.
    fn record(&self, cursor: &mut Cursor, at: Elapsed, kind: EventKind) -> Result<u32, Failed> {
        self.execution
            .record(cursor, at, kind)
            .map_err(|refused| self.refused(refused))
    }

    fn refused(&self, refused: Refused) -> Failed {
        if let Refused::LimitReached(_) = &refused {
            self.shared.closed_by_limit(&self.execution);
        }
        refused.failure()
    }

    /// Lets `value`, made by the execution, in: it must be within the
    /// payload and nesting limits, and the memory it takes is counted
    /// against the execution's.
    fn admit(&self, value: &Value, what: Admitted<'_>) -> Result<(), Failed> {
        let limits = &self.shared.limits;
        let size = match measure(value, limits.max_payload_bytes(), limits.max_depth()) {
            Ok(size) => size,
            Err(exceeded) => return Err(over_limit(what, exceeded)),
        };
        self.count_memory(size.memory)
    }

    /// Counts `bytes` more of memory against the execution's bound.
    fn count_memory(&self, bytes: usize) -> Result<(), Failed> {
        let before = self.execution.memory.fetch_add(bytes, Ordering::Relaxed);
        let limit = self.shared.limits.max_execution_memory();
        if before.saturating_add(bytes) > limit {
            return Err(Failure::terminal(
                PredefinedError::Runtime.as_str(),
                format!(
                    "The execution's data has taken more than {limit} bytes of memory, the local \
                     engine's limit for one execution (EngineLimits::execution_memory)"
                ),
            ));
        }
        Ok(())
    }

    /// [`Run::admit`] for a value the caller is about to share.
    fn admitted(&self, value: Value, what: Admitted<'_>) -> Result<Arc<Value>, Failed> {
        self.admit(&value, what)?;
        Ok(Arc::new(value))
    }

    fn name(&self, state: &CompiledState) -> &str {
        self.execution
            .machine
            .names
            .get(state.id as usize)
            .map_or("", |name| name)
    }

    /// What a state's data flow reads: `input`, `context`, the variables of
    /// its scope, the time it was entered and a seed for JSONata's random
    /// functions, fixed by the execution and the state's entry.
    fn frame<'a>(&self, visit: &Visit<'a>, input: &'a Value, context: &'a Value) -> Frame<'a> {
        let mut frame = Frame::new(input, context).with_variables(visit.variables);
        // Only JSONata reads the clock and the seed.
        if visit.state.io.language() == QueryLanguage::Jsonata {
            let mut hasher = rustc_hash::FxHasher::default();
            self.execution.number.hash(&mut hasher);
            visit.entered_id.hash(&mut hasher);
            frame.now_millis = self.execution.millis_at(visit.entered);
            frame.seed = hasher.finish();
        }
        frame
    }

    /// Runs the thread `thread` of `scope` from the state `from` names,
    /// with its input and variables; when `resuming`, a redrive resumes at
    /// that state.
    async fn scope_from(
        self: &Arc<Self>,
        scope: &Scope,
        from: Resume,
        mut cursor: Cursor,
        thread: &ThreadPath,
        mut resuming: bool,
    ) -> Result<Arc<Value>, Failed> {
        let Resume {
            mut index,
            mut input,
            mut variables,
        } = from;
        // States that never wait (Pass, Choice) still yield, so that a
        // cycle of them cannot hold a worker thread of the runtime, and a
        // stopped execution stops.
        let mut turn = Turn::new();
        loop {
            let Some(state) = scope.states.get(index) else {
                return Err(runtime(format!("no state at index {index} of its scope")));
            };
            let entered = self.now();
            let before = cursor.last;
            // Where a redrive would resume this thread, kept as the state
            // is entered, under the lock that records its entry.
            let run = cursor.run;
            let resume = Resume {
                index,
                input: input.clone(),
                variables: variables.clone(),
            };
            let entered_id = self
                .execution
                .record_then(
                    &mut cursor,
                    entered,
                    EventKind::Entered(state.state_type, state.id, input.clone()),
                    |record| redrive::entered(record, run, thread, resuming, resume),
                )
                .map_err(|refused| self.refused(refused))?;
            let visit = Visit {
                state,
                input: &input,
                entered,
                entered_id,
                before,
                variables: &variables,
                thread,
                resuming: std::mem::take(&mut resuming),
            };
            let step = match &state.kind {
                Kind::Pass => self.pass(&visit, state.next),
                Kind::Succeed => self.pass(&visit, None),
                Kind::Choice { rules, default } => self.choice(&visit, rules, *default),
                Kind::Fail => Err(self.fail(&visit)),
                // Boxed: a Wait's future holds a timer and its data, which
                // would otherwise size the future of every execution.
                Kind::Wait => {
                    let key = self
                        .execution
                        .begin(&cursor, Abortable::State(state.state_type, state.id));
                    let step = Box::pin(self.wait(&visit)).await;
                    self.execution.end(key);
                    turn.restart();
                    step
                }
                Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_) => {
                    let key = self
                        .execution
                        .begin(&cursor, Abortable::State(state.state_type, state.id));
                    let step = self.recover(&visit, key, &mut cursor).await;
                    self.execution.end(key);
                    turn.restart();
                    step
                }
            };
            let Stepped {
                output,
                next,
                assigned,
            } = match step {
                Ok(stepped) => stepped,
                Err(failure) => return Err(self.settle(failure, &visit, &mut cursor)),
            };
            let exited = if matches!(state.kind, Kind::Pass | Kind::Choice { .. } | Kind::Succeed) {
                entered
            } else {
                self.now()
            };
            let event = if assigned.is_empty() {
                EventKind::Exited(state.state_type, state.id, output.clone())
            } else {
                self.assign(state, &mut variables, &assigned)?;
                EventKind::ExitedAssigning(Box::new(ExitedAssigning {
                    state_type: state.state_type,
                    state: state.id,
                    output: output.clone(),
                    assigned,
                }))
            };
            self.record(&mut cursor, exited, event)?;
            turn.step().await;
            match next {
                Some(next) => {
                    index = next;
                    input = output;
                }
                None => return Ok(output),
            }
        }
    }

    /// A failure of the state being visited, as the state fails with it: a
    /// JSONata expression's failure is recorded as an `EvaluationFailed`
    /// event, and its cause, as a `States.Runtime` failure's of the state's
    /// data flow, says in which state it happened, as AWS says it. The
    /// failure of a recording refused is returned instead.
    fn settle(&self, failure: Failed, visit: &Visit<'_>, cursor: &mut Cursor) -> Failed {
        let named = failure.from_data_flow
            && !failure.terminal
            && failure.error == PredefinedError::Runtime.as_str();
        if failure.location.is_none() && !named {
            return failure;
        }
        let settled = Arc::new(Failure {
            error: failure.error.clone(),
            cause: Some(format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                self.name(visit.state),
                visit.entered_id,
                failure.cause.as_deref().unwrap_or_default()
            )),
            terminal: failure.terminal,
            location: None,
            from_data_flow: false,
        });
        let Some(location) = failure.location.clone() else {
            return settled;
        };
        let mut at = cursor.at(visit.before);
        let event = EventKind::EvaluationFailed(Box::new(EvaluationFailure {
            state: visit.state.id,
            failure: settled.clone(),
            location,
        }));
        let now = self.now();
        if let Err(refused) = self.record(&mut at, now, event) {
            return refused;
        }
        cursor.last = at.last;
        settled
    }

    /// Commits the variables a state assigned to its scope, within AWS's
    /// bounds on their sizes.
    fn assign(
        &self,
        state: &CompiledState,
        variables: &mut ScopeVariables,
        assigned: &[(String, Value)],
    ) -> Result<(), Failed> {
        let limits = &self.shared.limits;
        let bound = VariableLimits {
            assignment: limits.max_payload_bytes(),
            total: MAX_VARIABLES_BYTES.max(limits.max_payload_bytes()),
        };
        let mut sized = Vec::with_capacity(assigned.len());
        for (name, value) in assigned {
            let size = measure(value, bound.assignment, limits.max_depth())
                .map_err(|_| self.too_large(state, name, TooLarge::Variable, bound))?;
            self.count_memory(size.memory)?;
            sized.push((name.clone(), value.clone(), size.bytes));
        }
        variables
            .assign(sized, bound)
            .map_err(|too_large| self.too_large(state, "", too_large, bound))
    }

    fn too_large(
        &self,
        state: &CompiledState,
        name: &str,
        too_large: TooLarge,
        bound: VariableLimits,
    ) -> Failed {
        let state = self.name(state);
        let what = match too_large {
            TooLarge::Variable => format!(
                "The value of the variable '{name}' assigned by the state '{state}' has a size \
                 exceeding the maximum number of bytes service limit ({} bytes), or is nested \
                 deeper than data may nest.",
                bound.assignment
            ),
            TooLarge::Assignment => format!(
                "The variables assigned by the state '{state}' have a size exceeding the maximum \
                 number of bytes service limit ({} bytes).",
                bound.assignment
            ),
            TooLarge::Total => format!(
                "The variables assigned by the state '{state}' bring the execution's variables \
                 to a size exceeding the maximum number of bytes service limit ({} bytes).",
                bound.total
            ),
        };
        Failure::terminal(PredefinedError::DataLimitExceeded.as_str(), what)
    }

    /// The context object (`$$`) of a state, when the state reads it.
    fn context_for(
        &self,
        state: &CompiledState,
        entered: Elapsed,
        retry_count: u64,
        token: Option<&str>,
    ) -> Value {
        if state.uses_context {
            self.context(state, entered, retry_count, token)
        } else {
            Value::Null
        }
    }

    fn context(
        &self,
        state: &CompiledState,
        entered: Elapsed,
        retry_count: u64,
        token: Option<&str>,
    ) -> Value {
        let execution = &self.execution;
        let object = |fields: Vec<(&str, Value)>| {
            Value::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (key.to_string(), value))
                    .collect::<Object<String, Value>>(),
            )
        };
        // AWS's order of keys, as its recordings show them; a Pass, Wait,
        // Choice, Succeed or Fail state, which cannot be retried, has no
        // `RetryCount`.
        let mut state_fields = vec![
            (
                "Name",
                Value::from(
                    execution
                        .machine
                        .names
                        .get(state.id as usize)
                        .map_or("", |name| &**name),
                ),
            ),
            ("EnteredTime", timestamp(execution.time_at(entered))),
        ];
        if matches!(state.kind, Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_)) {
            state_fields.push(("RetryCount", Value::from(retry_count)));
        }
        let (redrive_count, redrive_date) = {
            let record = execution.lock();
            (record.redrives.count, record.redrives.date)
        };
        let mut execution_fields = vec![
            ("Id", Value::from(&*execution.arn)),
            ("Input", (*execution.input).clone()),
            ("StartTime", timestamp(execution.start)),
            ("Name", Value::from(execution.name.as_str())),
            ("RoleArn", Value::from(&*execution.role_arn)),
            ("RedriveCount", Value::from(redrive_count)),
        ];
        if let Some(date) = redrive_date {
            execution_fields.push(("RedriveTime", timestamp(date)));
        }
        let mut fields = vec![
            ("Execution", object(execution_fields)),
            (
                "StateMachine",
                object(vec![
                    ("Id", Value::from(&*execution.machine_arn)),
                    ("Name", Value::from(&*execution.machine_name)),
                ]),
            ),
            ("State", object(state_fields)),
        ];
        if let Some(token) = token {
            fields.push(("Task", object(vec![("Token", Value::from(token))])));
        }
        object(fields)
    }

    /// A state's effective input, shared: its raw input itself when its
    /// data flow leaves it as it is.
    fn effective_input(
        &self,
        state: &CompiledState,
        frame: &Frame<'_>,
        raw: &Arc<Value>,
    ) -> Result<Arc<Value>, Failed> {
        if state.raw_is_effective {
            return Ok(raw.clone());
        }
        let effective = state.io.effective_input(frame).map_err(flow)?;
        self.admitted(effective.into_owned(), Admitted::Input(self.name(state)))
    }

    /// What a state that does no work leaves (Pass, Succeed, and a Choice
    /// once its rule is chosen): its output and assignments, or its input
    /// itself when its data flow is the identity and it assigns nothing.
    fn complete_without_work(
        &self,
        visit: &Visit<'_>,
        frame: &Frame<'_>,
        effective: Option<&Value>,
        rule: Option<usize>,
        next: Option<usize>,
    ) -> Step {
        let state = visit.state;
        if state.identity && !state.io.assigns() {
            return Ok(Stepped {
                output: visit.input.clone(),
                next,
                assigned: Vec::new(),
            });
        }
        let effective = match effective {
            Some(effective) => Cow::Borrowed(effective),
            None => state.io.effective_input(frame).map_err(flow)?,
        };
        let outcome = state
            .io
            .complete_from(frame, effective, None, rule)
            .map_err(flow)?;
        let output = if state.identity {
            visit.input.clone()
        } else {
            self.admitted(outcome.output, Admitted::Output(self.name(state)))?
        };
        Ok(Stepped {
            output,
            next,
            assigned: outcome.assigned,
        })
    }

    fn pass(&self, visit: &Visit<'_>, next: Option<usize>) -> Step {
        let context = self.context_for(visit.state, visit.entered, 0, None);
        let frame = self.frame(visit, visit.input, &context);
        self.complete_without_work(visit, &frame, None, None, next)
    }

    fn choice(&self, visit: &Visit<'_>, rules: &[usize], default: Option<usize>) -> Step {
        let state = visit.state;
        let context = self.context_for(state, visit.entered, 0, None);
        let frame = self.frame(visit, visit.input, &context);
        let effective = state.io.effective_input(&frame).map_err(flow)?;
        let rule = state
            .io
            .choose(&frame, &effective, default.is_some())
            .map_err(flow)?;
        let next = match rule {
            Some(rule) => rules.get(rule).copied(),
            None => default,
        };
        self.complete_without_work(visit, &frame, Some(&effective), rule, next)
    }

    fn fail(&self, visit: &Visit<'_>) -> Failed {
        let context = self.context_for(visit.state, visit.entered, 0, None);
        let frame = self.frame(visit, visit.input, &context);
        match visit.state.io.fail_output(&frame) {
            Ok((error, cause)) => Arc::new(Failure {
                error: error.unwrap_or_default(),
                cause,
                terminal: false,
                location: None,
                from_data_flow: false,
            }),
            Err(error) => flow(error),
        }
    }

    async fn wait(&self, visit: &Visit<'_>) -> Step {
        let state = visit.state;
        let context = self.context_for(state, visit.entered, 0, None);
        let duration = {
            let frame = self.frame(visit, visit.input, &context);
            let effective = state.io.effective_input(&frame).map_err(flow)?;
            let now = self.execution.time_at(self.now());
            state.io.wait_until(&frame, &effective, now).map_err(flow)?
        };
        // AWS keeps a wait's end in 32-bit seconds: a Wait that would end
        // 2^31 seconds or more from now fails at once.
        if duration >= LONGEST_WAIT {
            return Err(flow(DataFlowError::runtime(format!(
                "The Wait state's end lies {} seconds from now, beyond the {} seconds a wait may \
                 last.",
                duration.as_secs(),
                LONGEST_WAIT.as_secs() - 1
            ))));
        }
        sleep_for(duration).await;
        let frame = self.frame(visit, visit.input, &context);
        self.complete_without_work(visit, &frame, None, None, state.next)
    }

    /// Runs a Task, Parallel or Map state with its retriers and catchers.
    async fn recover(self: &Arc<Self>, visit: &Visit<'_>, key: u32, cursor: &mut Cursor) -> Step {
        let state = visit.state;
        let mut attempts = vec![0_u64; state.retry.len()];
        let mut retry_count = 0_u64;
        loop {
            // Set while a Parallel or Map state's branches or iterations
            // failed and its failure event is still to be recorded.
            let mut unfinished = false;
            let attempt = Attempt {
                retry_count,
                key,
                resuming: visit.resuming && retry_count == 0,
            };
            let done = match &state.kind {
                Kind::Task(spec) => self.task(visit, spec, retry_count, cursor).await,
                // Boxed: their futures are large and rarer than a Task's, and
                // would otherwise size every execution's task.
                Kind::Parallel(branches) => {
                    Box::pin(self.parallel(visit, branches, attempt, cursor, &mut unfinished)).await
                }
                Kind::Map(spec) => {
                    Box::pin(self.map(visit, spec, attempt, cursor, &mut unfinished)).await
                }
                _ => Err(runtime("only Task, Parallel and Map states retry")),
            };
            let failure = match done {
                Ok((output, assigned)) => {
                    return Ok(Stepped {
                        output,
                        next: state.next,
                        assigned,
                    });
                }
                Err(failure) => self.settle(failure, visit, cursor),
            };
            // Nothing handles a failure that fails the execution.
            if failure.terminal {
                return Err(failure);
            }
            let retrier = find_retrier(&state.retry, &failure.error);
            // A Parallel or Map state records its failure when it is not
            // retried, and not for States.Runtime, which ends the execution
            // at once (the sequence moto records; AWS documents none).
            if unfinished
                && retrier.is_none_or(|index| attempts[index] >= state.retry[index].max_attempts)
                && failure.error != PredefinedError::Runtime.as_str()
            {
                let now = self.now();
                let kind = if matches!(state.kind, Kind::Map(_)) {
                    EventKind::MapFailed
                } else {
                    EventKind::ParallelFailed
                };
                self.record(cursor, now, kind)?;
            }
            if let Some(index) = retrier {
                attempts[index] += 1;
                let retrier = &state.retry[index];
                let random = if retrier.jitter_strategy == JitterStrategy::Full {
                    rand::random::<f64>()
                } else {
                    0.0
                };
                if let Some(delay) = retry_delay(retrier, attempts[index], random) {
                    sleep_for(delay).await;
                    retry_count += 1;
                    continue;
                }
            }
            let Some(position) = find_catcher(&state.catchers, &failure.error) else {
                return Err(failure);
            };
            let mut error = Object::new();
            error.insert("Error".into(), Value::from(failure.error.as_str()));
            error.insert(
                "Cause".into(),
                failure.cause.as_deref().map_or(Value::Null, Value::from),
            );
            let caught = {
                let context = self.context_for(state, visit.entered, retry_count, None);
                let frame = self.frame(visit, visit.input, &context);
                state.io.catch(&frame, position, Value::Object(error))
            };
            let outcome = match caught {
                Ok(outcome) => outcome,
                Err(error) => return Err(self.settle(flow(error), visit, cursor)),
            };
            let output = self.admitted(outcome.output, Admitted::Output(self.name(state)))?;
            return Ok(Stepped {
                output,
                next: state.catch_next.get(position).copied(),
                assigned: outcome.assigned,
            });
        }
    }

    async fn task(
        self: &Arc<Self>,
        visit: &Visit<'_>,
        spec: &TaskSpec,
        retry_count: u64,
        cursor: &mut Cursor,
    ) -> Completed {
        let state = visit.state;
        let raw = visit.input;
        let callback = matches!(spec.target, Target::Activity)
            || matches!(spec.target, Target::Service { callback: true, .. });
        let token = callback.then(|| self.shared.tasks.new_token());
        let token_text = token.as_ref().map(|(_, token)| token.as_str());
        // Handlers receive the context, so it is built for them too. Boxed:
        // it is kept while the task waits, often as null.
        let context = (state.uses_context || !matches!(spec.target, Target::Activity))
            .then(|| Box::new(self.context(state, visit.entered, retry_count, token_text)));
        let context: &Value = context.as_deref().unwrap_or(&NO_CONTEXT);
        let (effective, timeout, heartbeat) = {
            let frame = self.frame(visit, raw, context);
            let effective = self.effective_input(state, &frame, raw)?;
            // TimeoutSecondsPath and HeartbeatSecondsPath read the state's
            // input, not what Parameters makes of it, as AWS reads them.
            let (timeout, heartbeat) = state.io.task_seconds(&frame, raw).map_err(flow)?;
            (effective, timeout, heartbeat)
        };
        let now = self.now();
        self.record(
            cursor,
            now,
            EventKind::Scheduled(Box::new(ScheduledTask {
                state: state.id,
                input: effective.clone(),
                timeout: timeout.map(|seconds| u32::try_from(seconds).unwrap_or(u32::MAX)),
                heartbeat: heartbeat.map(|seconds| u32::try_from(seconds).unwrap_or(u32::MAX)),
            })),
        )?;
        let limit = Duration::from_secs(timeout.unwrap_or(DEFAULT_TASK_TIMEOUT_SECONDS));
        let deadline = deadline_after(limit);
        let mocked = (self.execution.test_case.as_ref())
            .and_then(|test_case| Some((test_case, test_case.state(self.name(state))?)));
        let result = match (&spec.target, mocked) {
            (_, Some((test_case, response))) => {
                self.mocked(state, spec, test_case, response, retry_count, cursor)?
            }
            // An activity with a handler is served in-process: its result
            // is the task's, with no token to wait on.
            (Target::Activity, None) if self.shared.has_handler(&spec.resource) => {
                Box::pin(self.call_handler(
                    state,
                    spec,
                    None,
                    effective.clone(),
                    context,
                    heartbeat,
                    deadline,
                    cursor,
                ))
                .await?
            }
            (Target::Activity, None) => {
                let slot = self.slot(state, token, effective.clone(), heartbeat, cursor);
                if let Err(failure) = self.shared.enqueue(&spec.resource, slot.0.clone()) {
                    self.shared.tasks.close(&slot.0);
                    let now = self.now();
                    self.record(
                        cursor,
                        now,
                        EventKind::ScheduleFailed(state.id, failure.clone()),
                    )?;
                    return Err(failure);
                }
                self.answer(&slot.0, slot.1, deadline, cursor).await
            }
            // Boxed: a handler's call and its timer would otherwise size
            // the future of every execution, activity tasks' too.
            (Target::Lambda | Target::Service { .. }, None) => {
                Box::pin(self.call_handler(
                    state,
                    spec,
                    token,
                    effective.clone(),
                    context,
                    heartbeat,
                    deadline,
                    cursor,
                ))
                .await?
            }
        };
        let now = self.now();
        // A result over the payload limit fails the task, as AWS fails it.
        let result = result.and_then(|result| {
            match self.admit(&result, Admitted::Result(&spec.resource)) {
                Ok(()) => Ok(result),
                Err(failure) => {
                    // A handler may build a value deeper than dropping it
                    // the ordinary way can afford.
                    sfini_core::limits::drop_deep(result);
                    Err(failure)
                }
            }
        });
        let result = match result {
            Ok(result) => {
                let result = Arc::new(result);
                self.record(cursor, now, EventKind::Succeeded(state.id, result.clone()))?;
                owned(result)
            }
            Err(failure) => {
                let kind = if failure.error == PredefinedError::Timeout.as_str()
                    || failure.error == PredefinedError::HeartbeatTimeout.as_str()
                {
                    EventKind::TimedOut(state.id, failure.clone())
                } else {
                    EventKind::Failed(state.id, failure.clone())
                };
                self.record(cursor, now, kind)?;
                return Err(failure);
            }
        };
        let frame = self.frame(visit, raw, context);
        let outcome = state
            .io
            .complete(&frame, &effective, Some(result), None)
            .map_err(flow)?;
        let output = self.admitted(outcome.output, Admitted::Output(self.name(state)))?;
        Ok((output, outcome.assigned))
    }
    /// Answers a mocked task from its test case: the answer of this attempt
    /// is its result or its failure. The outer error is a failure of the
    /// recording.
    fn mocked(
        &self,
        state: &CompiledState,
        spec: &TaskSpec,
        test_case: &TestCase,
        response: &MockedResponse,
        attempt: u64,
        cursor: &mut Cursor,
    ) -> Result<Result<Value, Failed>, Failed> {
        let now = self.now();
        self.record(cursor, now, EventKind::Started(state.id, None))?;
        let Some(answer) = response.answer(attempt) else {
            return Ok(Err(runtime(format!(
                "the test case `{}` has no answer for attempt {attempt} of the state `{}`: its \
                 mocked response `{}` answers {} attempt{}",
                test_case.name(),
                self.name(state),
                response.name(),
                response.attempts(),
                if response.attempts() == 1 { "" } else { "s" }
            ))));
        };
        let value = match answer {
            MockAnswer::Throw { error, cause } => {
                return Ok(Err(Failure::new(error.as_str(), cause.as_str())));
            }
            MockAnswer::Return(value) => value,
        };
        // A callback task is submitted and its answer is the callback's; a
        // `.sync` task's submission is answered with the finished job.
        let submitted = match &spec.target {
            Target::Service { callback: true, .. } => Some(Value::Object(Object::new())),
            Target::Service { action, .. }
                if action.ends_with(".sync") || action.contains(".sync:") =>
            {
                Some(value.clone())
            }
            _ => None,
        };
        if let Some(submitted) = submitted {
            let now = self.now();
            self.record(
                cursor,
                now,
                EventKind::Submitted(state.id, Arc::new(submitted)),
            )?;
        }
        Ok(Ok(value.clone()))
    }

    /// Calls the handler of a Lambda function or service integration, and
    /// for a `.waitForTaskToken` resource waits for the token's answer. The
    /// outer error is a failure whose event is recorded already.
    #[allow(clippy::too_many_arguments)]
    async fn call_handler(
        self: &Arc<Self>,
        state: &CompiledState,
        spec: &TaskSpec,
        token: Option<(u64, String)>,
        effective: Arc<Value>,
        context: &Value,
        heartbeat: Option<u64>,
        deadline: Instant,
        cursor: &mut Cursor,
    ) -> Result<Result<Value, Failed>, Failed> {
        let handler = self.shared.handler(&spec.resource);
        // A callback with no handler waits for its token when the engine
        // says so: the service call is taken as made, answered with `{}`.
        let awaits = handler.is_none()
            && token.is_some()
            && self.shared.unhandled_callbacks == UnhandledCallbacks::Wait;
        if handler.is_none() && !awaits {
            let failure = runtime(format!(
                "nothing answers the resource `{}` on the local engine: mock the state `{}` \
                 (a test case of a mock configuration, `--mock-config` of `sfini run` and \
                 `sfini local serve`), or register a handler \
                 (LocalEngine::register_handler)",
                spec.resource,
                self.name(state)
            ));
            let now = self.now();
            self.record(
                cursor,
                now,
                EventKind::ScheduleFailed(state.id, failure.clone()),
            )?;
            return Err(failure);
        }
        let now = self.now();
        self.record(cursor, now, EventKind::Started(state.id, None))?;
        // A callback task waits for its token from the moment the
        // service is called: the handler may answer at once.
        let slot =
            token.map(|token| self.slot(state, Some(token), effective.clone(), heartbeat, cursor));
        let call = match handler {
            Some(handler) => handler((*effective).clone(), context.clone()),
            None => Box::pin(std::future::ready(Ok(Value::Object(Object::new())))),
        };
        let called = match tokio::time::timeout_at(deadline, call).await {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(failure)) => Err(Failure::new(failure.error, failure.cause)),
            Err(_) => {
                if let Some((slot, _)) = &slot {
                    self.shared.tasks.close(slot);
                }
                let failure = Failure::without_cause(PredefinedError::Timeout.as_str());
                let now = self.now();
                self.record(cursor, now, EventKind::TimedOut(state.id, failure.clone()))?;
                return Err(failure);
            }
        };
        Ok(match (called, slot) {
            (Err(failure), slot) => {
                if let Some((slot, _)) = &slot {
                    self.shared.tasks.close(slot);
                }
                Err(failure)
            }
            (Ok(result), None) => Ok(result),
            (Ok(submitted), Some((slot, receiver))) => {
                let now = self.now();
                self.record(
                    cursor,
                    now,
                    EventKind::Submitted(state.id, Arc::new(submitted)),
                )?;
                slot.lock().previous = cursor.last;
                self.answer(&slot, receiver, deadline, cursor).await
            }
        })
    }

    /// A task waiting for an answer, open to `SendTask*` calls by its token.
    fn slot(
        &self,
        state: &CompiledState,
        token: Option<(u64, String)>,
        input: Arc<Value>,
        heartbeat: Option<u64>,
        cursor: &Cursor,
    ) -> (Arc<TaskSlot>, oneshot::Receiver<Outcome>) {
        let (_, token) = token.unwrap_or_else(|| self.shared.tasks.new_token());
        let (sender, receiver) = oneshot::channel();
        let heartbeat = heartbeat.map(Duration::from_secs);
        let slot = Arc::new(TaskSlot {
            token,
            execution: self.execution.clone(),
            state: state.id,
            hidden: cursor.hidden,
            input,
            inner: Mutex::new(SlotState {
                sender: Some(sender),
                previous: cursor.last,
                heartbeat_deadline: heartbeat.map(|heartbeat| Instant::now() + heartbeat),
                heartbeat,
            }),
        });
        self.shared.tasks.open(slot.clone());
        (slot, receiver)
    }

    /// Waits for a task's answer, its timeout or its heartbeat timeout.
    async fn answer(
        &self,
        slot: &Arc<TaskSlot>,
        mut receiver: oneshot::Receiver<Outcome>,
        deadline: Instant,
        cursor: &mut Cursor,
    ) -> Result<Value, Failed> {
        let outcome = loop {
            let heartbeat_deadline = slot.lock().heartbeat_deadline;
            let wake = heartbeat_deadline.map_or(deadline, |at| at.min(deadline));
            tokio::select! {
                outcome = &mut receiver => {
                    break outcome.unwrap_or_else(|_| Outcome::Failure(runtime("the task was closed")));
                }
                () = tokio::time::sleep_until(wake) => {
                    let now = Instant::now();
                    let heartbeat_deadline = slot.lock().heartbeat_deadline;
                    if now < deadline && heartbeat_deadline.is_none_or(|at| now < at) {
                        continue;
                    }
                    self.shared.tasks.close(slot);
                    // An answer may have come in just before the task closed.
                    if let Ok(outcome) = receiver.try_recv() {
                        break outcome;
                    }
                    // AWS reports a task's timeout, and a heartbeat's, as
                    // States.Timeout with no cause.
                    break Outcome::Failure(Failure::without_cause(
                        PredefinedError::Timeout.as_str(),
                    ));
                }
            }
        };
        cursor.last = slot.lock().previous;
        match outcome {
            Outcome::Success(output) => Ok(output),
            Outcome::Failure(failure) => Err(failure),
        }
    }

    async fn parallel(
        self: &Arc<Self>,
        visit: &Visit<'_>,
        branches: &[Arc<Scope>],
        attempt: Attempt,
        cursor: &mut Cursor,
        unfinished: &mut bool,
    ) -> Completed {
        let state = visit.state;
        let raw = visit.input;
        let context = self.context_for(state, visit.entered, attempt.retry_count, None);
        let effective = {
            let frame = self.frame(visit, raw, &context);
            self.effective_input(state, &frame, raw)?
        };
        let now = self.now();
        self.record(cursor, now, EventKind::ParallelStarted)?;
        let mut starts = self.thread_starts(visit, cursor, branches.len(), attempt);
        let mut outputs: Vec<Option<Arc<Value>>> = vec![None; branches.len()];
        let mut threads = Vec::with_capacity(branches.len());
        let mut running = JoinSet::new();
        for (index, branch) in branches.iter().enumerate() {
            let thread = child_thread(visit.thread, state.id, index32(index));
            threads.push(thread.clone());
            let start = match take_start(&mut starts, index) {
                ThreadStart::Done(output) => {
                    outputs[index] = Some(output);
                    continue;
                }
                ThreadStart::From(resume) => Start::From(resume),
                ThreadStart::Fresh => Start::Top(effective.clone(), visit.variables.inner()),
            };
            let within = cursor.within(attempt.key, cursor.last);
            let branch = run_scope(self.clone(), branch.clone(), thread, within, start);
            running.spawn(async move { (index, branch.await) });
        }
        while let Some(joined) = running.join_next().await {
            let failure = match joined {
                Ok((index, Ok(output))) => {
                    self.thread_finished(cursor, &threads[index], &output);
                    outputs[index] = Some(output);
                    continue;
                }
                Ok((_, Err(failure))) => failure,
                Err(error) => runtime(format!("a branch stopped: {error}")),
            };
            // The other branches stop: what they were waiting on is cut short.
            running.abort_all();
            cursor.last = self.execution.last_event();
            self.execution
                .abort_within(cursor, attempt.key)
                .map_err(|refused| self.refused(refused))?;
            *unfinished = true;
            return Err(failure);
        }
        cursor.last = self.execution.last_event();
        let now = self.now();
        self.record(cursor, now, EventKind::ParallelSucceeded)?;
        self.forget_threads(visit, cursor);
        let results = Value::Array(outputs.into_iter().flatten().map(owned).collect());
        let frame = self.frame(visit, raw, &context);
        let outcome = state
            .io
            .complete(&frame, &effective, Some(results), None)
            .map_err(flow)?;
        let output = self.admitted(outcome.output, Admitted::Output(self.name(state)))?;
        Ok((output, outcome.assigned))
    }

    /// The inputs of a Map state's iterations, with its effective input
    /// and its `MaxConcurrency`.
    async fn map_inputs(
        &self,
        visit: &Visit<'_>,
        context: &Value,
    ) -> Result<(Vec<Arc<Value>>, Arc<Value>, u64), Failed> {
        let state = visit.state;
        let raw = visit.input;
        let name = self.name(state);
        let (effective, limit) = {
            let frame = self.frame(visit, raw, context);
            let effective = self.effective_input(state, &frame, raw)?;
            let limit = state.io.max_concurrency(&frame, &effective).map_err(flow)?;
            (effective, limit)
        };
        // Items in the input are borrowed from it, not copied.
        let items = {
            let frame = self.frame(visit, raw, context);
            state.io.items(&frame, &effective).map_err(flow)?
        };
        // One context object for every item, its `Map.Item` set in turn.
        let mut item_context = context.clone();
        let mut inputs = Vec::with_capacity(items.len());
        let mut turn = Turn::new();
        for (index, item) in items.iter().enumerate() {
            let input = {
                let frame = self.frame(visit, raw, context);
                state
                    .io
                    .item_input(&frame, &effective, item, index, &mut item_context)
                    .map_err(flow)?
            };
            inputs.push(self.admitted(input, Admitted::Input(name))?);
            turn.step().await;
        }
        Ok((inputs, effective, limit))
    }

    async fn map(
        self: &Arc<Self>,
        visit: &Visit<'_>,
        spec: &MapSpec,
        attempt: Attempt,
        cursor: &mut Cursor,
        unfinished: &mut bool,
    ) -> Completed {
        let state = visit.state;
        let raw = visit.input;
        let name = self.name(state);
        let context = self.context_for(state, visit.entered, attempt.retry_count, None);
        let (inputs, effective, limit) = self.map_inputs(visit, &context).await?;
        let limit = if limit == 0 {
            usize::MAX
        } else {
            usize::try_from(limit).unwrap_or(usize::MAX)
        };
        let length = inputs.len();
        let now = self.now();
        self.record(
            cursor,
            now,
            EventKind::MapStarted(u32::try_from(length).unwrap_or(u32::MAX)),
        )?;
        // AWS reads the thresholds once the Map has started: one that
        // cannot be read fails it after MapStateStarted.
        let (tolerated_count, tolerated_percentage) = {
            let frame = self.frame(visit, raw, &context);
            state
                .io
                .tolerated_failures(&frame, &effective)
                .map_err(flow)?
        };
        if spec.distributed {
            let now = self.now();
            self.record(cursor, now, EventKind::MapRunStarted(state.id))?;
        }
        let mut running = JoinSet::new();
        // The key among the things in progress of each iteration running,
        // by item index: finding one costs nothing, however many run.
        let mut keys: Vec<u32> = vec![0; length];
        let mut in_flight = 0_usize;
        let mut results: Vec<Option<Arc<Value>>> = vec![None; length];
        let mut failures = 0_usize;
        let mut next = 0_usize;
        let mut starts = self.thread_starts(visit, cursor, length, attempt);
        // The items of a Distributed Map run as child executions: their
        // events are not in this history, which shows the Map Run instead,
        // and each counts its own events against the history's limit; they
        // start with no variables.
        let items_cursor = Cursor {
            last: 0,
            parent: attempt.key,
            hidden: cursor.hidden || spec.distributed,
            run: cursor.run,
        };
        let item_variables = if spec.distributed {
            ScopeVariables::default()
        } else {
            visit.variables.inner()
        };
        loop {
            while next < length && in_flight < limit {
                let thread = child_thread(visit.thread, state.id, index32(next));
                let start = match take_start(&mut starts, next) {
                    ThreadStart::Done(output) => {
                        results[next] = Some(output);
                        next += 1;
                        continue;
                    }
                    ThreadStart::From(resume) => Start::From(resume),
                    ThreadStart::Fresh => Start::Top(inputs[next].clone(), item_variables.clone()),
                };
                let key = self
                    .execution
                    .begin(&items_cursor, Abortable::Iteration(state.id, index32(next)));
                let iteration = if items_cursor.hidden {
                    items_cursor.within(key, 0)
                } else {
                    let mut iteration = items_cursor.within(key, self.execution.last_event());
                    let now = self.now();
                    self.record(
                        &mut iteration,
                        now,
                        EventKind::MapIteration(IterationEvent::Started, state.id, index32(next)),
                    )?;
                    iteration
                };
                let body = run_scope(
                    self.clone(),
                    spec.processor.clone(),
                    thread.clone(),
                    iteration,
                    start,
                );
                let index = next;
                running.spawn(async move { (index, thread, body.await) });
                keys[next] = key;
                in_flight += 1;
                next += 1;
                tokio::task::consume_budget().await;
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            let (index, thread, result) = match joined {
                Ok(done) => done,
                Err(error) => {
                    running.abort_all();
                    self.execution
                        .abort_within(cursor, attempt.key)
                        .map_err(|refused| self.refused(refused))?;
                    return Err(runtime(format!("a Map iteration stopped: {error}")));
                }
            };
            in_flight -= 1;
            self.execution.end(std::mem::take(&mut keys[index]));
            let mut at = items_cursor.at(self.execution.last_event());
            let now = self.now();
            let what = if result.is_ok() {
                IterationEvent::Succeeded
            } else {
                IterationEvent::Failed
            };
            if !items_cursor.hidden {
                self.record(
                    &mut at,
                    now,
                    EventKind::MapIteration(what, state.id, index32(index)),
                )?;
            }
            match result {
                Ok(output) => {
                    self.thread_finished(cursor, &thread, &output);
                    results[index] = Some(output);
                }
                Err(failure) => {
                    failures += 1;
                    let exceeded = failure.terminal
                        || !spec.tolerates
                        || !within(
                            failures,
                            tolerated_count,
                            tolerated_percentage,
                            length,
                            spec,
                        );
                    if exceeded {
                        // The iterations still running stop: they and what
                        // they were waiting on are cut short.
                        running.abort_all();
                        self.execution
                            .abort_within(&mut at, attempt.key)
                            .map_err(|refused| self.refused(refused))?;
                        cursor.last = self.execution.last_event();
                        let failure = if spec.tolerates && !failure.terminal {
                            Failure::new(
                                PredefinedError::ExceedToleratedFailureThreshold.as_str(),
                                format!(
                                    "{failures} of {length} Map iterations failed, more than the tolerated failures"
                                ),
                            )
                        } else {
                            failure
                        };
                        if spec.distributed {
                            let now = self.now();
                            self.record(cursor, now, EventKind::MapRunFailed(failure.clone()))?;
                        }
                        *unfinished = true;
                        return Err(failure);
                    }
                    let mut error = Object::new();
                    error.insert("Error".into(), Value::from(failure.error.as_str()));
                    error.insert(
                        "Cause".into(),
                        failure.cause.as_deref().map_or(Value::Null, Value::from),
                    );
                    results[index] = Some(Arc::new(Value::Object(error)));
                }
            }
        }
        cursor.last = self.execution.last_event();
        if spec.distributed {
            let now = self.now();
            self.record(cursor, now, EventKind::MapRunSucceeded)?;
        }
        let now = self.now();
        self.record(cursor, now, EventKind::MapSucceeded)?;
        // The outputs kept for a redrive are let go first, so that each
        // moves into the results uncopied.
        self.forget_threads(visit, cursor);
        let results = Value::Array(results.into_iter().flatten().map(owned).collect());
        let frame = self.frame(visit, raw, &context);
        let effective = state.io.effective_input(&frame).map_err(flow)?;
        let outcome = state
            .io
            .complete(&frame, &effective, Some(results), None)
            .map_err(flow)?;
        let output = self.admitted(outcome.output, Admitted::Output(name))?;
        Ok((output, outcome.assigned))
    }
}

/// True while the failures stay within the thresholds of a Map: a threshold
/// left at its default (0) does not apply when the other is set; when
/// neither is, a Distributed Map tolerates no failure.
fn within(failures: usize, count: u64, percentage: f64, length: usize, spec: &MapSpec) -> bool {
    let count_set = spec.count_set || !spec.percentage_set;
    let within_count = !count_set || failures as u64 <= count;
    let within_percentage = !spec.percentage_set
        || length == 0
        || (failures as f64) * 100.0 / (length as f64) <= percentage;
    within_count && within_percentage
}

/// The error a value over a limit fails its state with: a task's result
/// over the payload limit fails the task with `States.DataLimitExceeded`
/// in AWS's words, which a retrier or catcher naming that error handles; a
/// state's input or output over a limit fails the execution.
fn over_limit(what: Admitted<'_>, exceeded: Exceeded) -> Failed {
    let error = PredefinedError::DataLimitExceeded.as_str();
    match (what, exceeded) {
        (Admitted::Result(resource), Exceeded::Bytes { .. }) => Failure::new(
            error,
            format!(
                "The state/task '{resource}' returned a result with a size exceeding the \
                 maximum number of bytes service limit."
            ),
        ),
        (Admitted::Result(resource), Exceeded::Depth { limit }) => Failure::new(
            error,
            format!(
                "The state/task '{resource}' returned a result nested more than {limit} levels \
                 of arrays and objects deep."
            ),
        ),
        (Admitted::Input(state) | Admitted::Output(state), exceeded) => {
            let what = if matches!(what, Admitted::Input(_)) {
                "input"
            } else {
                "output"
            };
            let detail = match exceeded {
                Exceeded::Bytes { limit, .. } => {
                    format!(
                        "has a size exceeding the maximum number of bytes service limit ({limit} bytes)"
                    )
                }
                Exceeded::Depth { limit } => {
                    format!("is nested more than {limit} levels of arrays and objects deep")
                }
            };
            Failure::terminal(
                error,
                format!("The {what} of the state '{state}' {detail}."),
            )
        }
    }
}

/// A thread of an execution's share of the runtime: it yields once its
/// steps have run for [`TIME_SLICE`], the clock being read every
/// [`CLOCK_EVERY`] steps only (a step is bounded by its evaluation budget).
struct Turn {
    started: std::time::Instant,
    steps: u32,
}

/// How many steps go between two readings of the clock.
const CLOCK_EVERY: u32 = 16;

impl Turn {
    fn new() -> Turn {
        Turn {
            started: std::time::Instant::now(),
            steps: 0,
        }
    }

    /// The thread has just waited: its turn starts again.
    fn restart(&mut self) {
        *self = Turn::new();
    }

    /// One step done: lets the others run if the turn is over.
    async fn step(&mut self) {
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(CLOCK_EVERY) && self.started.elapsed() >= TIME_SLICE {
            tokio::task::yield_now().await;
            self.restart();
        }
    }
}

/// Sleeps for `duration`, however long: tokio's timers reach about two
/// years, so a longer wait sleeps in turns.
async fn sleep_for(duration: Duration) {
    let mut left = duration;
    while !left.is_zero() {
        let turn = left.min(LONGEST_SLEEP);
        tokio::time::sleep(turn).await;
        left -= turn;
    }
}

/// The moment `limit` from now, or far in the future when that is beyond
/// what the clock can count.
fn deadline_after(limit: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(limit)
        .or_else(|| now.checked_add(LONGEST_SLEEP))
        .unwrap_or(now)
}
