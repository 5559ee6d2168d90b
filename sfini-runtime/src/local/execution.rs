//! An execution of the local engine: what it is, where it stands, and its
//! history, kept compact and rendered as AWS shapes it on request.

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;
use sfini_core::error_name::PredefinedError;
use sfini_core::model::StateType;
use time::OffsetDateTime;
use tokio::sync::Notify;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use crate::api::history::*;
use crate::api::{
    DescribeExecutionOutput, ExecutionListItem, ExecutionRedriveStatus, ExecutionStatus,
};

use super::compile::{CompiledMachine, Kind, Scope, Target};

/// An error and its cause, shared by the events that report them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The error name.
    pub error: String,
    /// Its cause.
    pub cause: Option<String>,
    /// True for a failure that no retrier or catcher handles, whatever it
    /// names: the execution fails (a state's input or output over the
    /// payload limit, the history's event limit).
    pub terminal: bool,
    /// For a JSONata expression that failed, the field it is written in
    /// (`Output/total`), while its `EvaluationFailed` event is still to
    /// be recorded.
    pub location: Option<Box<str>>,
    /// True for a failure of a state's data flow whose cause does not yet
    /// say in which state it happened.
    pub from_data_flow: bool,
}

impl Failure {
    /// A failure.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Arc<Failure> {
        Arc::new(Failure {
            error: error.into(),
            cause: Some(cause.into()),
            terminal: false,
            location: None,
            from_data_flow: false,
        })
    }

    /// A failure with an error name and no cause, as AWS reports a timeout.
    pub fn without_cause(error: impl Into<String>) -> Arc<Failure> {
        Arc::new(Failure {
            error: error.into(),
            cause: None,
            terminal: false,
            location: None,
            from_data_flow: false,
        })
    }

    /// A failure that fails the execution: see [`Failure::terminal`].
    pub fn terminal(error: impl Into<String>, cause: impl Into<String>) -> Arc<Failure> {
        Arc::new(Failure {
            error: error.into(),
            cause: Some(cause.into()),
            terminal: true,
            location: None,
            from_data_flow: false,
        })
    }

    /// The failure of an execution (or of a Distributed Map's child) whose
    /// history reached `limit` events, as AWS reports it.
    pub fn history_limit(limit: u32) -> Arc<Failure> {
        Failure::terminal(
            PredefinedError::Runtime.as_str(),
            format!("The execution reached the maximum number of history events ({limit})."),
        )
    }

    fn details(&self) -> FailureDetails {
        FailureDetails {
            error: self.error_name().map(str::to_owned),
            cause: self.cause.clone(),
        }
    }

    /// The error name; none for a Fail state without `Error`, as AWS
    /// reports it.
    pub fn error_name(&self) -> Option<&str> {
        (!self.error.is_empty()).then_some(self.error.as_str())
    }
}

impl From<sfini_core::dataflow::DataFlowError> for Failure {
    /// Data over a limit fails the execution; the rest fails the state.
    fn from(error: sfini_core::dataflow::DataFlowError) -> Failure {
        Failure {
            terminal: error.error == PredefinedError::DataLimitExceeded,
            error: error.error_name().to_string(),
            cause: Some(error.cause),
            location: error.location.map(String::into_boxed_str),
            from_data_flow: true,
        }
    }
}

/// `at` without its fraction of a millisecond.
pub fn to_the_millisecond(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_nanosecond(at.nanosecond() / 1_000_000 * 1_000_000)
        .unwrap_or(at)
}

/// A time in an execution: nanoseconds since it started.
pub type Elapsed = i64;

/// One recorded event: JSON values are shared with the execution's data,
/// names are state ids; both are rendered only when the history is read.
#[derive(Clone, Debug)]
pub struct Event {
    /// When it happened.
    pub at: Elapsed,
    /// The id of the event it follows.
    pub previous: u32,
    /// What happened.
    pub kind: EventKind,
}

/// What happened, compactly.
#[derive(Clone, Debug)]
pub enum EventKind {
    /// The execution started (its input is the execution's).
    ExecutionStarted,
    /// The execution succeeded.
    ExecutionSucceeded(Arc<Value>),
    /// The execution failed.
    ExecutionFailed(Arc<Failure>),
    /// The execution was stopped.
    ExecutionAborted(Arc<Failure>),
    /// The execution ran out of time.
    ExecutionTimedOut(Arc<Failure>),
    /// The execution was redriven, for the n-th time.
    ExecutionRedriven(u32),
    /// A state was entered with this input.
    Entered(StateType, u32, Arc<Value>),
    /// A state was left with this output.
    Exited(StateType, u32, Arc<Value>),
    /// A state was left with this output, having assigned variables.
    ExitedAssigning(Box<ExitedAssigning>),
    /// A JSONata expression of a state failed.
    EvaluationFailed(Box<EvaluationFailure>),
    /// An activity task, a Lambda function or a service call was scheduled
    /// for the Task state `state` with this input.
    /// (Boxed, as the rarer large events are, so that every event stays at
    /// 32 bytes.)
    Scheduled(Box<ScheduledTask>),
    /// The task could not be scheduled.
    ScheduleFailed(u32, Arc<Failure>),
    /// The task started (for an activity: a worker took it, named here
    /// when it gave its name).
    Started(u32, Option<Arc<String>>),
    /// A callback task was submitted; the service answered this.
    Submitted(u32, Arc<Value>),
    /// The task succeeded with this result.
    Succeeded(u32, Arc<Value>),
    /// The task failed.
    Failed(u32, Arc<Failure>),
    /// The task timed out.
    TimedOut(u32, Arc<Failure>),
    /// A Parallel state started its branches.
    ParallelStarted,
    /// All branches succeeded.
    ParallelSucceeded,
    /// A branch failed.
    ParallelFailed,
    /// A Map state started this many iterations.
    MapStarted(u32),
    /// A Map iteration changed.
    MapIteration(IterationEvent, u32, u32),
    /// A Task, Wait, Parallel or Map state was cut short (AWS's events
    /// carry no details).
    Aborted(StateType),
    /// A Distributed Map state started its Map Run.
    MapRunStarted(u32),
    /// The Map Run succeeded.
    MapRunSucceeded,
    /// The Map Run failed.
    MapRunFailed(Arc<Failure>),
    /// All iterations succeeded.
    MapSucceeded,
    /// The Map failed.
    MapFailed,
}

/// A state left having assigned variables.
#[derive(Clone, Debug)]
pub struct ExitedAssigning {
    /// The state's type.
    pub state_type: StateType,
    /// The state.
    pub state: u32,
    /// Its output.
    pub output: Arc<Value>,
    /// The variables it assigned, in the order written.
    pub assigned: Vec<(String, Value)>,
}

/// A JSONata expression that failed.
#[derive(Clone, Debug)]
pub struct EvaluationFailure {
    /// The state.
    pub state: u32,
    /// The failure (`States.QueryEvaluationError` and its cause).
    pub failure: Arc<Failure>,
    /// The field the expression is written in.
    pub location: Box<str>,
}

/// A task scheduled for a Task state.
#[derive(Clone, Debug)]
pub struct ScheduledTask {
    /// The Task state.
    pub state: u32,
    /// The effective input.
    pub input: Arc<Value>,
    /// Its timeout, when set.
    pub timeout: Option<u32>,
    /// Its heartbeat, when set.
    pub heartbeat: Option<u32>,
}

/// What happened to a Map iteration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterationEvent {
    /// It started.
    Started,
    /// It succeeded.
    Succeeded,
    /// It failed.
    Failed,
    /// It was stopped because the Map failed.
    Aborted,
}

/// Where an execution stands, and its history.
#[derive(Debug)]
pub struct Record {
    /// Running, or how it closed.
    pub status: ExecutionStatus,
    /// When it closed.
    pub stop_date: Option<OffsetDateTime>,
    /// Its output, once succeeded.
    pub output: Option<Arc<Value>>,
    /// Its error, once failed, timed out or stopped.
    pub failure: Option<Arc<Failure>>,
    /// Its events, in order: the event with id `n` is `events[n - 1]`.
    pub events: Vec<Event>,
    /// Stops the task that runs it.
    pub abort: Option<AbortHandle>,
    /// The states and Map iterations in progress that wait (Task, Wait,
    /// Parallel, Map), in the order they began (so by key); an entry that
    /// ended is marked and dropped later, so that ending one costs no more
    /// than finding it.
    pub in_progress: Vec<InProgress>,
    /// How many entries of `in_progress` have ended.
    pub ended: usize,
    /// The key of the last [`InProgress`] begun.
    pub last_key: u32,
    /// The most events the history may hold, the closing event included.
    pub max_events: u32,
    /// Where a redrive resumes, and the redrives so far (`redrive.rs`).
    pub redrives: super::redrive::Redrives,
}

impl Record {
    /// A running execution's record, its history holding at most
    /// `max_events` events.
    pub fn running(max_events: u32) -> Record {
        Record {
            status: ExecutionStatus::Running,
            stop_date: None,
            output: None,
            failure: None,
            events: Vec::new(),
            abort: None,
            in_progress: Vec::new(),
            ended: 0,
            last_key: 0,
            max_events,
            redrives: super::redrive::Redrives::default(),
        }
    }
}

/// A state or Map iteration in progress: stopping the execution, or the
/// failure of a branch or iteration beside it, cuts it short, and the
/// history records that it was aborted.
#[derive(Clone, Copy, Debug)]
pub struct InProgress {
    /// Its key (from 1).
    pub key: u32,
    /// The key of the Parallel state or Map iteration it runs in (0: the
    /// execution's top level).
    pub parent: u32,
    /// What is in progress.
    pub what: Abortable,
    /// True once it has ended (the entry waits to be dropped).
    pub ended: bool,
}

/// Why an event was not recorded.
#[derive(Clone, Debug)]
pub enum Refused {
    /// The execution had closed already; its failure, if it failed.
    Closed(Arc<Failure>),
    /// The event would have passed the history's limit: the execution has
    /// just failed for it, and what follows its closing is to be done.
    LimitReached(Arc<Failure>),
}

impl Refused {
    /// The failure that the thread which tried to record ends with.
    pub fn failure(&self) -> Arc<Failure> {
        match self {
            Refused::Closed(failure) | Refused::LimitReached(failure) => failure.clone(),
        }
    }
}

/// What can be cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Abortable {
    /// A Task, Wait, Parallel or Map state, by type and id.
    State(StateType, u32),
    /// An iteration of the Map state `state`: (state, index).
    Iteration(u32, u32),
}

/// An execution.
#[derive(Debug)]
pub struct Execution {
    /// Its number, in start order across the engine.
    pub number: u64,
    /// Its ARN (shared with the registry's index).
    pub arn: Arc<str>,
    /// Its name.
    pub name: String,
    /// The machine's ARN.
    pub machine_arn: Arc<str>,
    /// The machine's name.
    pub machine_name: Arc<str>,
    /// The role it runs as.
    pub role_arn: Arc<str>,
    /// The machine as it was when the execution started.
    pub machine: Arc<CompiledMachine>,
    /// Its definition, role and revision as it was when the execution
    /// started (`DescribeStateMachineForExecution`).
    pub as_run: Arc<super::for_execution::MachineAsRun>,
    /// The version it runs, when it was started by a version's or an
    /// alias's ARN.
    pub version_arn: Option<Arc<str>>,
    /// The alias it was started by, if one.
    pub alias_arn: Option<Arc<str>>,
    /// Its input.
    pub input: Arc<Value>,
    /// The X-Ray trace header it was started with.
    pub trace_header: Option<String>,
    /// When it started.
    pub start: OffsetDateTime,
    /// When it started, in milliseconds since the epoch (JSONata's clock
    /// counts from it).
    pub start_millis: i64,
    /// When it started on tokio's clock, which times its events: an
    /// event's time is `start` plus the time elapsed since `origin`.
    pub origin: Instant,
    /// Where it stands.
    pub record: Mutex<Record>,
    /// The memory its data has taken so far, in bytes (see
    /// [`EngineLimits`](super::EngineLimits)).
    pub memory: AtomicUsize,
    /// Woken when it closes.
    pub closed: Notify,
    /// The test case it runs: its mocked Task states' answers.
    pub test_case: Option<Arc<crate::mock::TestCase>>,
    /// An execution of an Express machine (`express.rs`): five minutes at
    /// most, neither described nor its history given.
    pub express: bool,
    /// An asynchronous Express execution that runs its workflow twice
    /// (see [`LocalEngineBuilder::rerun_async_express`](super::LocalEngineBuilder::rerun_async_express)).
    pub rerun: bool,
}

/// The position of a thread of events (the execution, a branch, an
/// iteration): the id of its last event.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cursor {
    /// The id of the last event of this thread.
    pub last: u32,
    /// The key of the Parallel state or Map iteration the thread runs in
    /// (see [`InProgress`]; 0 at the top level).
    pub parent: u32,
    /// True for the threads of a Distributed Map's items: they run as
    /// child executions, whose events are not the parent's history.
    pub hidden: bool,
    /// The run of the execution the thread belongs to: how many redrives
    /// came before it. A thread of an earlier run records nothing.
    pub run: u32,
}

impl Cursor {
    /// A thread that continues from the event `last`, hidden as `self` is.
    pub fn at(self, last: u32) -> Cursor {
        Cursor { last, ..self }
    }

    /// A thread within the Parallel state or Map iteration `parent`,
    /// continuing from the event `last`.
    pub fn within(self, parent: u32, last: u32) -> Cursor {
        Cursor {
            last,
            parent,
            ..self
        }
    }
}

impl Execution {
    /// Locks the record. A poisoned lock (a panic while it was held) still
    /// holds a consistent record: every change to it is a single push or
    /// assignment.
    pub fn lock(&self) -> MutexGuard<'_, Record> {
        self.record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records an event of the thread at `cursor` while the execution is
    /// running; returns its id.
    ///
    /// Refused when the execution has closed, or when the event would pass
    /// the history's limit, which fails the execution. The events of a
    /// Distributed Map's items are not recorded but counted, each item's
    /// thread against a limit of its own (on AWS each is a child
    /// execution), and an item that reaches it fails.
    pub fn record(
        &self,
        cursor: &mut Cursor,
        at: Elapsed,
        kind: EventKind,
    ) -> Result<u32, Refused> {
        self.record_then(cursor, at, kind, |_| {})
    }

    /// [`record`](Self::record), then `then` on the record, under the same
    /// lock, once the event is taken.
    pub fn record_then(
        &self,
        cursor: &mut Cursor,
        at: Elapsed,
        kind: EventKind,
        then: impl FnOnce(&mut Record),
    ) -> Result<u32, Refused> {
        let mut record = self.lock();
        if cursor.hidden {
            let limit = record.max_events;
            cursor.last = cursor.last.saturating_add(1);
            if cursor.last.saturating_add(1) >= limit {
                // The child fails; the Map's tolerance decides the rest.
                let failure = Failure::history_limit(limit);
                return Err(Refused::Closed(Arc::new(Failure {
                    terminal: false,
                    ..(*failure).clone()
                })));
            }
            then(&mut record);
            return Ok(cursor.last);
        }
        if record.status != ExecutionStatus::Running || record.redrives.count != cursor.run {
            return Err(Refused::Closed(closed_failure(&record)));
        }
        match self.push(&mut record, cursor.last, at, kind) {
            Some(id) => {
                cursor.last = id;
                then(&mut record);
                Ok(id)
            }
            None => Err(Refused::LimitReached(closed_failure(&record))),
        }
    }

    /// Appends an event to the history; returns its id.
    ///
    /// An event after which the closing event would no longer fit within
    /// the history's limit is not appended: the execution fails instead,
    /// with `States.Runtime` as AWS fails it, its `ExecutionFailed` being
    /// the last event the limit allows. Then `None`: the caller, once it
    /// has let go of the record, finishes the closing
    /// ([`Shared::closed_by_limit`](super::Shared)).
    pub fn push(
        &self,
        record: &mut Record,
        previous: u32,
        at: Elapsed,
        kind: EventKind,
    ) -> Option<u32> {
        let closing = matches!(
            kind,
            EventKind::ExecutionSucceeded(_)
                | EventKind::ExecutionFailed(_)
                | EventKind::ExecutionAborted(_)
                | EventKind::ExecutionTimedOut(_)
        );
        let count = record.events.len();
        let room = usize::try_from(record.max_events).unwrap_or(usize::MAX);
        if closing || count + 1 < room {
            return Some(push(record, previous, at, kind));
        }
        let failure = Failure::history_limit(record.max_events);
        let previous = u32::try_from(count).unwrap_or(u32::MAX);
        push(
            record,
            previous,
            at,
            EventKind::ExecutionFailed(failure.clone()),
        );
        record.failure = Some(failure);
        record.status = ExecutionStatus::Failed;
        record.stop_date = Some(self.time_at(at));
        None
    }

    /// Notes that a state or Map iteration of the thread at `cursor`
    /// begins to wait; returns its key (0 for a thread whose events are not
    /// recorded, or once the execution has closed).
    pub fn begin(&self, cursor: &Cursor, what: Abortable) -> u32 {
        if cursor.hidden {
            return 0;
        }
        let mut record = self.lock();
        if record.status != ExecutionStatus::Running {
            return 0;
        }
        record.last_key += 1;
        let key = record.last_key;
        // Most executions wait on one state at a time: room for one first.
        if record.in_progress.capacity() == 0 {
            record.in_progress.reserve_exact(1);
        }
        record.in_progress.push(InProgress {
            key,
            parent: cursor.parent,
            what,
            ended: false,
        });
        key
    }

    /// Notes that what [`Execution::begin`] gave `key` has ended: the
    /// entry is found by its key (entries are in key order) and marked, and
    /// the marked entries are dropped together once they are half of them.
    pub fn end(&self, key: u32) {
        if key == 0 {
            return;
        }
        let mut record = self.lock();
        let Ok(index) = record
            .in_progress
            .binary_search_by_key(&key, |entry| entry.key)
        else {
            return;
        };
        if std::mem::replace(&mut record.in_progress[index].ended, true) {
            return;
        }
        record.ended += 1;
        if record.ended * 2 >= record.in_progress.len() {
            record.in_progress.retain(|entry| !entry.ended);
            record.ended = 0;
        }
    }

    /// Records that everything in progress within `parent` (a Parallel
    /// state's or a Map iteration's key; 0: the whole execution) was cut
    /// short, innermost first, and forgets it. `Err` when the records pass
    /// the history's limit, which fails the execution.
    pub fn abort_within(&self, cursor: &mut Cursor, parent: u32) -> Result<(), Refused> {
        if cursor.hidden {
            return Ok(());
        }
        let at = self.elapsed();
        let mut record = self.lock();
        if record.status != ExecutionStatus::Running {
            return Err(Refused::Closed(closed_failure(&record)));
        }
        let done = self.abort_records(&mut record, parent, at);
        cursor.last = u32::try_from(record.events.len()).unwrap_or(u32::MAX);
        if done {
            Ok(())
        } else {
            Err(Refused::LimitReached(closed_failure(&record)))
        }
    }

    /// Records an abort event for everything in progress within `parent`
    /// (0: everything), and forgets it: each thing after what runs within
    /// it (its states after a Map iteration, the iterations after their Map
    /// state), siblings in the order they began. False when the history's
    /// limit closed the execution on the way.
    pub fn abort_records(&self, record: &mut Record, parent: u32, at: Elapsed) -> bool {
        let order = cut_order(&record.in_progress, parent);
        if order.is_empty() {
            return true;
        }
        let cut: FxHashSet<u32> = order.iter().map(|entry| entry.key).collect();
        record.in_progress.retain(|entry| !cut.contains(&entry.key));
        record.ended = record
            .in_progress
            .iter()
            .filter(|entry| entry.ended)
            .count();
        for entry in order {
            let previous = u32::try_from(record.events.len()).unwrap_or(u32::MAX);
            let kind = match entry.what {
                Abortable::State(state_type, _) => EventKind::Aborted(state_type),
                Abortable::Iteration(state, index) => {
                    EventKind::MapIteration(IterationEvent::Aborted, state, index)
                }
            };
            if self.push(record, previous, at, kind).is_none() {
                return false;
            }
        }
        true
    }

    /// The time since the execution started.
    pub fn elapsed(&self) -> Elapsed {
        let elapsed = Instant::now().saturating_duration_since(self.origin);
        Elapsed::try_from(elapsed.as_nanos()).unwrap_or(Elapsed::MAX)
    }

    /// The time `elapsed` into the execution, in milliseconds since the
    /// epoch.
    pub fn millis_at(&self, elapsed: Elapsed) -> i64 {
        self.start_millis.saturating_add(elapsed / 1_000_000)
    }

    /// The time `elapsed` after the execution started, to the millisecond,
    /// as AWS records the times of executions and their events.
    pub fn time_at(&self, elapsed: Elapsed) -> OffsetDateTime {
        // A clock run past the calendar's end (a virtual clock told to wait
        // millennia) stops at its last instant rather than overflow.
        let at = self
            .start
            .checked_add(time::Duration::nanoseconds(elapsed))
            .unwrap_or_else(|| time::PrimitiveDateTime::MAX.assume_utc());
        to_the_millisecond(at)
    }

    /// The id of the last event.
    pub fn last_event(&self) -> u32 {
        u32::try_from(self.lock().events.len()).unwrap_or(u32::MAX)
    }

    /// The execution as `DescribeExecution` gives it.
    pub fn describe(&self) -> DescribeExecutionOutput {
        let now = self.time_at(self.elapsed());
        let record = self.lock();
        let (redrive_status, redrive_status_reason) =
            match super::redrive::refusal(self, &record, now) {
                None => (ExecutionRedriveStatus::Redrivable, None),
                Some(reason) => (ExecutionRedriveStatus::NotRedrivable, Some(reason)),
            };
        DescribeExecutionOutput {
            execution_arn: self.arn.to_string(),
            state_machine_arn: self.machine_arn.to_string(),
            name: self.name.clone(),
            status: record.status,
            start_date: self.start,
            stop_date: record.stop_date,
            input: Some(self.input.to_string()),
            output: record.output.as_ref().map(|output| output.to_string()),
            error: record
                .failure
                .as_ref()
                .and_then(|failure| failure.error_name().map(str::to_owned)),
            cause: record
                .failure
                .as_ref()
                .and_then(|failure| failure.cause.clone()),
            trace_header: self.trace_header.clone(),
            state_machine_version_arn: self.version_arn.as_deref().map(str::to_owned),
            state_machine_alias_arn: self.alias_arn.as_deref().map(str::to_owned),
            map_run_arn: None,
            redrive_count: i32::try_from(record.redrives.count).unwrap_or(i32::MAX),
            redrive_date: record.redrives.date,
            redrive_status: Some(redrive_status),
            redrive_status_reason,
        }
    }

    /// The execution as `ListExecutions` gives it.
    pub fn list_item(&self) -> ExecutionListItem {
        let record = self.lock();
        ExecutionListItem {
            execution_arn: self.arn.to_string(),
            state_machine_arn: self.machine_arn.to_string(),
            name: self.name.clone(),
            status: record.status,
            start_date: self.start,
            stop_date: record.stop_date,
            state_machine_version_arn: self.version_arn.as_deref().map(str::to_owned),
            state_machine_alias_arn: self.alias_arn.as_deref().map(str::to_owned),
            redrive_count: i32::try_from(record.redrives.count).unwrap_or(i32::MAX),
            redrive_date: record.redrives.date,
        }
    }

    /// The event with id `id` (from 1), rendered as AWS gives it.
    pub fn render(&self, id: usize, event: &Event, region: &str, with_data: bool) -> HistoryEvent {
        let names = &self.machine.names;
        let name = |state: u32| {
            names
                .get(state as usize)
                .map_or_else(String::new, |name| name.to_string())
        };
        let json = |value: &Arc<Value>| with_data.then(|| value.to_string());
        let entered = |state: u32, input: &Arc<Value>| StateEnteredDetails {
            name: name(state),
            input: json(input),
        };
        let exited = |state: u32, output: &Arc<Value>| StateExitedDetails {
            name: name(state),
            output: json(output),
            ..StateExitedDetails::default()
        };
        let exited_as = |state_type: &StateType, details| match state_type {
            StateType::Task => EventDetails::TaskStateExited(details),
            StateType::Pass => EventDetails::PassStateExited(details),
            StateType::Choice => EventDetails::ChoiceStateExited(details),
            StateType::Wait => EventDetails::WaitStateExited(details),
            StateType::Parallel => EventDetails::ParallelStateExited(details),
            StateType::Map => EventDetails::MapStateExited(details),
            // Succeed and Fail states are not left by a transition.
            StateType::Succeed | StateType::Fail => EventDetails::SucceedStateExited(details),
        };
        let target = |state: u32| self.task_target(state);
        let details = match &event.kind {
            EventKind::ExecutionStarted => {
                EventDetails::ExecutionStarted(ExecutionStartedDetails {
                    input: json(&self.input),
                    role_arn: Some(self.role_arn.to_string()),
                })
            }
            EventKind::ExecutionSucceeded(output) => {
                EventDetails::ExecutionSucceeded(OutputDetails {
                    output: json(output),
                })
            }
            EventKind::ExecutionFailed(failure) => EventDetails::ExecutionFailed(failure.details()),
            EventKind::ExecutionAborted(failure) => {
                EventDetails::ExecutionAborted(failure.details())
            }
            EventKind::ExecutionTimedOut(failure) => {
                EventDetails::ExecutionTimedOut(failure.details())
            }
            EventKind::ExecutionRedriven(count) => {
                EventDetails::ExecutionRedriven(ExecutionRedrivenDetails {
                    redrive_count: i32::try_from(*count).unwrap_or(i32::MAX),
                })
            }
            EventKind::Entered(state_type, state, input) => {
                let details = entered(*state, input);
                match state_type {
                    StateType::Task => EventDetails::TaskStateEntered(details),
                    StateType::Pass => EventDetails::PassStateEntered(details),
                    StateType::Choice => EventDetails::ChoiceStateEntered(details),
                    StateType::Wait => EventDetails::WaitStateEntered(details),
                    StateType::Succeed => EventDetails::SucceedStateEntered(details),
                    StateType::Fail => EventDetails::FailStateEntered(details),
                    StateType::Parallel => EventDetails::ParallelStateEntered(details),
                    StateType::Map => EventDetails::MapStateEntered(details),
                }
            }
            EventKind::Exited(state_type, state, output) => {
                exited_as(state_type, exited(*state, output))
            }
            EventKind::ExitedAssigning(exit) => {
                let mut details = exited(exit.state, &exit.output);
                if with_data {
                    details.assigned_variables = Some(
                        exit.assigned
                            .iter()
                            .map(|(name, value)| (name.clone(), value.to_string()))
                            .collect(),
                    );
                    details.assigned_variables_details =
                        Some(AssignedVariablesDetails { truncated: false });
                }
                exited_as(&exit.state_type, details)
            }
            EventKind::EvaluationFailed(evaluation) => {
                EventDetails::EvaluationFailed(EvaluationFailedDetails {
                    error: evaluation.failure.error.clone(),
                    cause: evaluation.failure.cause.clone(),
                    location: Some(evaluation.location.to_string()),
                    state: name(evaluation.state),
                })
            }
            EventKind::Scheduled(scheduled) => {
                let ScheduledTask {
                    state,
                    input,
                    timeout,
                    heartbeat,
                } = &**scheduled;
                let (resource, target) = target(*state);
                let timeout = timeout.map(i64::from);
                let heartbeat = heartbeat.map(i64::from);
                match target {
                    TargetKind::Activity => {
                        EventDetails::ActivityScheduled(ActivityScheduledDetails {
                            resource,
                            input: json(input),
                            timeout_in_seconds: timeout,
                            heartbeat_in_seconds: heartbeat,
                        })
                    }
                    TargetKind::Lambda => {
                        EventDetails::LambdaFunctionScheduled(LambdaFunctionScheduledDetails {
                            resource,
                            input: json(input),
                            timeout_in_seconds: timeout,
                        })
                    }
                    TargetKind::Service(resource_type, action) => {
                        EventDetails::TaskScheduled(TaskScheduledDetails {
                            resource_type,
                            resource: action,
                            region: region.to_string(),
                            parameters: if with_data {
                                input.to_string()
                            } else {
                                String::new()
                            },
                            timeout_in_seconds: timeout,
                            heartbeat_in_seconds: heartbeat,
                        })
                    }
                }
            }
            EventKind::ScheduleFailed(state, failure) => match target(*state).1 {
                TargetKind::Activity => EventDetails::ActivityScheduleFailed(failure.details()),
                TargetKind::Lambda => EventDetails::LambdaFunctionScheduleFailed(failure.details()),
                TargetKind::Service(resource_type, resource) => {
                    EventDetails::TaskStartFailed(task_failure(resource_type, resource, failure))
                }
            },
            EventKind::Started(state, worker) => match target(*state).1 {
                TargetKind::Activity => EventDetails::ActivityStarted(ActivityStartedDetails {
                    worker_name: worker.as_ref().map(|worker| worker.to_string()),
                }),
                TargetKind::Lambda => EventDetails::LambdaFunctionStarted,
                TargetKind::Service(resource_type, resource) => {
                    EventDetails::TaskStarted(TaskStartedDetails {
                        resource_type,
                        resource,
                    })
                }
            },
            EventKind::Submitted(state, output) => {
                let (resource_type, resource) = match target(*state).1 {
                    TargetKind::Service(resource_type, resource) => (resource_type, resource),
                    _ => (String::new(), target(*state).0),
                };
                EventDetails::TaskSubmitted(TaskOutputDetails {
                    resource_type,
                    resource,
                    output: json(output),
                })
            }
            EventKind::Succeeded(state, output) => match target(*state).1 {
                TargetKind::Activity => EventDetails::ActivitySucceeded(OutputDetails {
                    output: json(output),
                }),
                TargetKind::Lambda => EventDetails::LambdaFunctionSucceeded(OutputDetails {
                    output: json(output),
                }),
                TargetKind::Service(resource_type, resource) => {
                    EventDetails::TaskSucceeded(TaskOutputDetails {
                        resource_type,
                        resource,
                        output: json(output),
                    })
                }
            },
            EventKind::Failed(state, failure) => match target(*state).1 {
                TargetKind::Activity => EventDetails::ActivityFailed(failure.details()),
                TargetKind::Lambda => EventDetails::LambdaFunctionFailed(failure.details()),
                TargetKind::Service(resource_type, resource) => {
                    EventDetails::TaskFailed(task_failure(resource_type, resource, failure))
                }
            },
            EventKind::TimedOut(state, failure) => match target(*state).1 {
                TargetKind::Activity => EventDetails::ActivityTimedOut(failure.details()),
                TargetKind::Lambda => EventDetails::LambdaFunctionTimedOut(failure.details()),
                TargetKind::Service(resource_type, resource) => {
                    EventDetails::TaskTimedOut(task_failure(resource_type, resource, failure))
                }
            },
            EventKind::ParallelStarted => EventDetails::ParallelStateStarted,
            EventKind::ParallelSucceeded => EventDetails::ParallelStateSucceeded,
            EventKind::ParallelFailed => EventDetails::ParallelStateFailed,
            EventKind::MapStarted(length) => {
                EventDetails::MapStateStarted(MapStateStartedDetails {
                    length: i32::try_from(*length).unwrap_or(i32::MAX),
                })
            }
            EventKind::MapIteration(what, state, index) => {
                let details = MapIterationDetails {
                    name: name(*state),
                    index: i32::try_from(*index).unwrap_or(i32::MAX),
                };
                match what {
                    IterationEvent::Started => EventDetails::MapIterationStarted(details),
                    IterationEvent::Succeeded => EventDetails::MapIterationSucceeded(details),
                    IterationEvent::Failed => EventDetails::MapIterationFailed(details),
                    IterationEvent::Aborted => EventDetails::MapIterationAborted(details),
                }
            }
            EventKind::MapRunStarted(state) => EventDetails::MapRunStarted(MapRunStartedDetails {
                map_run_arn: self.map_run_arn(&name(*state), id),
            }),
            EventKind::MapRunSucceeded => EventDetails::MapRunSucceeded,
            EventKind::MapRunFailed(failure) => EventDetails::MapRunFailed(failure.details()),
            EventKind::Aborted(state_type) => match state_type {
                StateType::Task => EventDetails::TaskStateAborted,
                StateType::Wait => EventDetails::WaitStateAborted,
                StateType::Parallel => EventDetails::ParallelStateAborted,
                // Only these four wait; the others are never in progress.
                _ => EventDetails::MapStateAborted,
            },
            EventKind::MapSucceeded => EventDetails::MapStateSucceeded,
            EventKind::MapFailed => EventDetails::MapStateFailed,
        };
        HistoryEvent {
            id: i64::try_from(id).unwrap_or(i64::MAX),
            previous_event_id: i64::from(event.previous),
            timestamp: self.time_at(event.at),
            details,
        }
    }

    /// The ARN of the Map Run that the event `id` started for the Map state
    /// `state`: `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/STATE:RUN`,
    /// the run named after the execution and the event.
    fn map_run_arn(&self, state: &str, id: usize) -> String {
        let prefix = self
            .arn
            .split_once(":execution:")
            .map_or(&*self.arn, |(prefix, _)| prefix);
        format!(
            "{prefix}:mapRun:{}/{state}:{}-{id}",
            self.machine_name, self.name
        )
    }

    /// The resource of the Task state with id `state`, and what it is.
    fn task_target(&self, state: u32) -> (String, TargetKind) {
        match find_state(&self.machine.top, state) {
            Some(Kind::Task(spec)) => {
                let kind = match &spec.target {
                    Target::Activity => TargetKind::Activity,
                    Target::Lambda => TargetKind::Lambda,
                    Target::Service {
                        resource_type,
                        action,
                        ..
                    } => TargetKind::Service(resource_type.clone(), action.clone()),
                };
                (spec.resource.clone(), kind)
            }
            _ => (
                String::new(),
                TargetKind::Service(String::new(), String::new()),
            ),
        }
    }
}

/// The entries in progress within `parent` (0: all), innermost first and
/// siblings in the order they began: each Parallel state or Map iteration
/// after what runs within it. Linear in the entries.
fn cut_order(active: &[InProgress], parent: u32) -> Vec<InProgress> {
    let mut children: FxHashMap<u32, Vec<InProgress>> = FxHashMap::default();
    for entry in active.iter().filter(|entry| !entry.ended) {
        children.entry(entry.parent).or_default().push(*entry);
    }
    let mut order = Vec::new();
    // Depth first without recursion: an entry is written once all the
    // entries within it are.
    let mut pending: Vec<(InProgress, bool)> = children
        .remove(&parent)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|entry| (entry, false))
        .collect();
    while let Some((entry, expanded)) = pending.pop() {
        if expanded {
            order.push(entry);
            continue;
        }
        pending.push((entry, true));
        if let Some(within) = children.remove(&entry.key) {
            pending.extend(within.into_iter().rev().map(|entry| (entry, false)));
        }
    }
    order
}

/// The failure a closed execution reports to a thread still running in it.
fn closed_failure(record: &Record) -> Arc<Failure> {
    match &record.failure {
        Some(failure) if failure.terminal => failure.clone(),
        Some(failure) => Arc::new(Failure {
            terminal: true,
            ..(**failure).clone()
        }),
        None => Failure::terminal(
            PredefinedError::Runtime.as_str(),
            "The execution has closed",
        ),
    }
}

/// Appends an event, whatever the limit; returns its id.
fn push(record: &mut Record, previous: u32, at: Elapsed, kind: EventKind) -> u32 {
    record.events.push(Event { at, previous, kind });
    u32::try_from(record.events.len()).unwrap_or(u32::MAX)
}

enum TargetKind {
    Activity,
    Lambda,
    Service(String, String),
}

fn task_failure(resource_type: String, resource: String, failure: &Failure) -> TaskFailureDetails {
    TaskFailureDetails {
        resource_type,
        resource,
        error: Some(failure.error.clone()),
        cause: failure.cause.clone(),
    }
}

/// The state with id `id` anywhere in the machine.
fn find_state(scope: &Scope, id: u32) -> Option<&Kind> {
    for state in &scope.states {
        if state.id == id {
            return Some(&state.kind);
        }
        let nested: Vec<&Arc<Scope>> = match &state.kind {
            Kind::Parallel(branches) => branches.iter().collect(),
            Kind::Map(map) => vec![&map.processor],
            _ => continue,
        };
        if let Some(found) = nested.into_iter().find_map(|scope| find_state(scope, id)) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_stay_small() {
        // The history of a long loop is mostly these: each costs its size.
        assert_eq!(std::mem::size_of::<EventKind>(), 16);
        assert_eq!(std::mem::size_of::<Event>(), 32);
    }
}
