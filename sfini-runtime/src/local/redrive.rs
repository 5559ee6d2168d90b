//! `RedriveExecution` on the local engine.
//!
//! A failed, timed-out or aborted Standard execution may be redriven
//! within 14 days of its stop: it runs again in the same execution, its
//! history going on with an `ExecutionRedriven` event, from the state that
//! did not succeed, entered again with the input it was entered with and
//! the variables it saw. When that state is a Parallel or Map state, only
//! its branches and iterations that did not succeed run again, each from
//! its own state that did not succeed; those that succeeded give the
//! output they gave.
//!
//! To know where to resume, the engine keeps a [`Memo`] for each thread of
//! the execution (its top level, each branch, each iteration): the last
//! state the thread entered, with its input and variables ([`Resume`]), and
//! the output of a branch or iteration that succeeded. A thread's memo
//! holds its children (the branches or iterations of the Parallel or Map
//! state it is in) only for the last state it entered, so that what is
//! kept is bounded by what one visit of each state runs.
//!
//! Not redriven: an execution that failed before entering a state, one
//! whose history has no room left, one run past its year, one whose
//! machine is being deleted.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;

use super::LocalEngine;
use super::execution::{EventKind, Execution, Record};
use super::run::{self, Run};
use super::variables::ScopeVariables;
use crate::api::{
    ExecutionStatus, RedriveExecutionInput, RedriveExecutionOutput, SfnError, StateMachineStatus,
};

/// How long after its stop an execution may be redriven: 14 days.
pub const REDRIVABLE_FOR: Duration = Duration::from_secs(14 * 24 * 3600);

/// The most times an execution may be redriven, as AWS bounds it.
pub const MAX_REDRIVES: u32 = 1000;

/// The longest a Standard execution may run, counted from its start
/// across its redrives: one year.
const LONGEST_RUN: Duration = Duration::from_secs(365 * 24 * 3600);

/// Where a thread resumes: the last state it entered, with the input and
/// the variables it was entered with (also where a thread starts).
#[derive(Clone, Debug)]
pub struct Resume {
    /// The state's index in its scope.
    pub index: usize,
    /// Its raw input.
    pub input: Arc<Value>,
    /// The variables it saw.
    pub variables: ScopeVariables,
}

/// A thread of an execution: its top level (no steps), or a branch or
/// iteration, named by the Parallel or Map states it runs within, each as
/// the state's id and the branch's or item's index.
pub type ThreadPath = Arc<[(u32, u32)]>;

/// The thread of the execution's top level.
pub fn top_thread() -> ThreadPath {
    Arc::from(Vec::new())
}

/// The thread of the branch or item `index` of the Parallel or Map state
/// `state`, run within `parent`.
pub fn child_thread(parent: &ThreadPath, state: u32, index: u32) -> ThreadPath {
    let mut path = Vec::with_capacity(parent.len() + 1);
    path.extend_from_slice(parent);
    path.push((state, index));
    Arc::from(path)
}

/// What the engine keeps of one thread for a redrive.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    /// The last state the thread entered.
    pub resume: Option<Resume>,
    /// The output of the thread, a branch or iteration that succeeded.
    pub output: Option<Arc<Value>>,
    /// The branches or iterations of the Parallel or Map state the thread
    /// last entered, by (state id, index).
    pub children: HashMap<(u32, u32), Memo>,
}

impl Memo {
    /// The memo of the thread at `path` below this one, if kept.
    fn at(&self, path: &[(u32, u32)]) -> Option<&Memo> {
        path.iter()
            .try_fold(self, |memo, step| memo.children.get(step))
    }

    /// The memo of the thread at `path` below this one, if kept.
    fn at_existing_mut(&mut self, path: &[(u32, u32)]) -> Option<&mut Memo> {
        path.iter()
            .try_fold(self, |memo, step| memo.children.get_mut(step))
    }

    /// The memo of the thread at `path` below this one, made if missing.
    fn at_mut(&mut self, path: &[(u32, u32)]) -> &mut Memo {
        path.iter()
            .fold(self, |memo, step| memo.children.entry(*step).or_default())
    }
}

/// How a branch or iteration begins in a redrive.
#[derive(Clone, Debug)]
pub enum ThreadStart {
    /// It succeeded before: its output stands.
    Done(Arc<Value>),
    /// It resumes at the state it did not finish.
    From(Resume),
    /// It runs from its start.
    Fresh,
}

/// Records that the thread `path` of the run `run` entered a state, unless
/// the execution is no longer in that run. What was kept of the branches or
/// iterations of the state it left is forgotten, unless a redrive
/// `resuming` at this state needs it.
pub(super) fn entered(
    record: &mut Record,
    run: u32,
    path: &[(u32, u32)],
    resuming: bool,
    resume: Resume,
) {
    if !current(record, run) {
        return;
    }
    let memo = record.redrives.memo.at_mut(path);
    memo.resume = Some(resume);
    if !resuming {
        memo.children.clear();
    }
}

/// Records that the thread `path` succeeded with `output`.
pub(super) fn finished(record: &mut Record, run: u32, path: &[(u32, u32)], output: Arc<Value>) {
    if !current(record, run) {
        return;
    }
    let memo = record.redrives.memo.at_mut(path);
    memo.resume = None;
    memo.children.clear();
    memo.output = Some(output);
}

/// How each of the `count` branches or iterations of the Parallel or Map
/// state `state` begins, run by the thread `path`: when `resuming` (the
/// first attempt of the state a redrive resumes at), from what was kept;
/// otherwise every one from its start, what was kept of an earlier attempt
/// forgotten (`None`).
pub(super) fn thread_starts(
    record: &mut Record,
    run: u32,
    path: &[(u32, u32)],
    state: u32,
    count: usize,
    resuming: bool,
) -> Option<Vec<ThreadStart>> {
    if !resuming {
        forget_children(record, run, path);
        return None;
    }
    let memo = record.redrives.memo.at(path);
    let starts = (0..count)
        .map(|index| {
            let child = u32::try_from(index)
                .ok()
                .and_then(|index| memo?.children.get(&(state, index)));
            match child {
                Some(Memo {
                    output: Some(output),
                    ..
                }) => ThreadStart::Done(output.clone()),
                Some(Memo {
                    resume: Some(resume),
                    ..
                }) => ThreadStart::From(resume.clone()),
                _ => ThreadStart::Fresh,
            }
        })
        .collect();
    Some(starts)
}

/// Forgets what was kept of the branches or iterations run by the thread
/// `path`: the state that ran them succeeded, or runs them all again.
pub(super) fn forget_children(record: &mut Record, run: u32, path: &[(u32, u32)]) {
    if current(record, run)
        && let Some(memo) = record.redrives.memo.at_existing_mut(path)
    {
        memo.children.clear();
    }
}

/// True while the execution runs its `run`-th run.
fn current(record: &Record, run: u32) -> bool {
    record.status == ExecutionStatus::Running && record.redrives.count == run
}

/// An execution's redrives.
#[derive(Clone, Debug, Default)]
pub struct Redrives {
    /// How many times it has been redriven.
    pub count: u32,
    /// When it was last redriven.
    pub date: Option<OffsetDateTime>,
    /// What is kept of each thread, from the top level down, for where a
    /// redrive resumes.
    pub memo: Memo,
    /// The client tokens of the last redrives, with their dates: a
    /// request that repeats one is answered as it was.
    pub tokens: VecDeque<(String, OffsetDateTime)>,
}

/// How many client tokens of an execution's redrives are remembered, as
/// AWS remembers them: the last 10.
const REMEMBERED_TOKENS: usize = 10;

/// Why `execution` cannot be redriven at `now`, as `DescribeExecution`'s
/// `redriveStatusReason` says it; `None` when it can.
pub(super) fn refusal(
    execution: &Execution,
    record: &Record,
    now: OffsetDateTime,
) -> Option<String> {
    let status = record.status;
    match status {
        ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted => {}
        _ => return Some(format!("Execution is {status} and cannot be redriven")),
    }
    if execution.express {
        return Some("Express executions cannot be redriven".to_owned());
    }
    if record
        .stop_date
        .is_some_and(|stop| (now - stop).unsigned_abs() > REDRIVABLE_FOR)
    {
        return Some("Execution redrivable period exceeded".to_owned());
    }
    // The history needs room for the redrive's event, a state's and the
    // closing event.
    if record.events.len() + 3 > record.max_events as usize {
        return Some("Execution history event limit exceeded".to_owned());
    }
    if (now - execution.start).unsigned_abs() >= LONGEST_RUN {
        return Some("Execution has exceeded the max execution time".to_owned());
    }
    if record
        .failure
        .as_ref()
        .is_some_and(|failure| failure.terminal)
    {
        return Some(
            "Execution failed on a limit of the local engine and cannot be redriven".to_owned(),
        );
    }
    if record.redrives.memo.resume.is_none() && !stopped_before_a_state(record) {
        return Some("Execution failed before entering a state and cannot be redriven".to_owned());
    }
    None
}

/// Where a redrive of `execution` resumes: the last top-level state it
/// entered; its first state, with its input, when it was stopped or timed
/// out before entering one. `None` when it failed before entering one.
fn resume_point(execution: &Execution, record: &Record) -> Option<Resume> {
    match &record.redrives.memo.resume {
        Some(resume) => Some(resume.clone()),
        None if stopped_before_a_state(record) => Some(Resume {
            index: execution.machine.top.start,
            input: execution.input.clone(),
            variables: ScopeVariables::default(),
        }),
        None => None,
    }
}

/// True for an execution stopped or timed out (not failed): one that
/// entered no state resumes at its first.
fn stopped_before_a_state(record: &Record) -> bool {
    matches!(
        record.status,
        ExecutionStatus::Aborted | ExecutionStatus::TimedOut
    )
}

impl LocalEngine {
    /// `RedriveExecution`: resumes a failed, timed-out or aborted Standard
    /// execution from its top-level state that did not succeed, within 14
    /// days of its stop (`ExecutionNotRedrivable` otherwise;
    /// `ExecutionLimitExceeded` past 1,000 redrives).
    pub async fn redrive_execution(
        &self,
        input: RedriveExecutionInput,
    ) -> Result<RedriveExecutionOutput, SfnError> {
        if let Some(token) = &input.client_token
            && !(1..=64).contains(&token.chars().count())
        {
            return Err(SfnError::ValidationException(
                "1 validation error detected: Value at 'clientToken' failed to satisfy \
                 constraint: Member must have length between 1 and 64"
                    .to_owned(),
            ));
        }
        let shared = &self.shared;
        let execution = shared.execution(&input.execution_arn)?;
        let now = shared.clock.now();
        let not_redrivable = |reason: String| SfnError::Service {
            code: "ExecutionNotRedrivable".to_owned(),
            message: format!(
                "Execution with arn {} cannot be redriven: {reason}",
                input.execution_arn
            ),
        };
        let mut registry = shared.lock();
        let deleting = registry
            .machines
            .get(&*execution.machine_arn)
            .is_none_or(|machine| machine.status == StateMachineStatus::Deleting);
        if deleting {
            return Err(not_redrivable(
                "State machine is in DELETING status".to_owned(),
            ));
        }
        let (resume, last, count) = {
            let mut record = execution.lock();
            if let Some(token) = &input.client_token
                && let Some((_, date)) = record
                    .redrives
                    .tokens
                    .iter()
                    .find(|(known, _)| known == token)
            {
                return Ok(RedriveExecutionOutput {
                    redrive_date: *date,
                });
            }
            if let Some(reason) = refusal(&execution, &record, now) {
                return Err(not_redrivable(reason));
            }
            if record.redrives.count >= MAX_REDRIVES {
                return Err(SfnError::ExecutionLimitExceeded(format!(
                    "Execution with arn {} has been redriven {MAX_REDRIVES} times, the most \
                     allowed",
                    input.execution_arn
                )));
            }
            let Some(resume) = resume_point(&execution, &record) else {
                return Err(not_redrivable("Execution cannot be redriven".to_owned()));
            };
            record.redrives.count += 1;
            record.redrives.date = Some(now);
            if let Some(token) = input.client_token.clone() {
                if record.redrives.tokens.len() == REMEMBERED_TOKENS {
                    record.redrives.tokens.pop_front();
                }
                record.redrives.tokens.push_back((token, now));
            }
            let count = record.redrives.count;
            let at = execution.elapsed();
            let previous = u32::try_from(record.events.len()).unwrap_or(u32::MAX);
            let Some(last) = execution.push(
                &mut record,
                previous,
                at,
                EventKind::ExecutionRedriven(count),
            ) else {
                return Err(not_redrivable(
                    "Execution history event limit exceeded".to_owned(),
                ));
            };
            record.status = ExecutionStatus::Running;
            record.stop_date = None;
            record.failure = None;
            record.output = None;
            (resume, last, count)
        };
        if let Some(machine) = registry.machines.get_mut(&*execution.machine_arn) {
            machine.running += 1;
        }
        drop(registry);
        let run = Arc::new(Run {
            shared: shared.clone(),
            execution: execution.clone(),
        });
        let handle = tokio::spawn(run::resume(run, resume, last, count));
        {
            let mut record = execution.lock();
            if record.status == ExecutionStatus::Running {
                record.abort = Some(handle.abort_handle());
            }
        }
        tracing::debug!(execution = %execution.arn, "execution redriven");
        Ok(RedriveExecutionOutput { redrive_date: now })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::api::*;
    use crate::local::LocalEngine;

    /// Starts a one-state execution of `state` and waits for it to close;
    /// gives whether the engine still keeps where a redrive would resume.
    async fn keeps_a_resume_point(state: serde_json::Value) -> bool {
        let engine = LocalEngine::new();
        let machine = engine
            .create_state_machine(CreateStateMachineInput {
                name: "kept".into(),
                definition: json!({"StartAt": "s", "States": {"s": state}}).to_string(),
                role_arn: "arn:aws:iam::123456789012:role/r".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .state_machine_arn;
        let arn = engine
            .start_execution(StartExecutionInput {
                state_machine_arn: machine,
                ..Default::default()
            })
            .await
            .unwrap()
            .execution_arn;
        engine.wait_for_execution(&arn).await.unwrap();
        let execution = engine.shared.execution(&arn).unwrap();
        execution.lock().redrives.memo.resume.is_some()
    }

    #[tokio::test]
    async fn what_a_redrive_needs_is_kept_only_while_one_may_come() {
        assert!(keeps_a_resume_point(json!({"Type": "Fail", "Error": "E"})).await);
        assert!(!keeps_a_resume_point(json!({"Type": "Pass", "End": true})).await);
    }
}
