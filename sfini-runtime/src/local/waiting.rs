//! The tasks that wait for an answer from outside the engine, listed: what
//! a person needs to answer them by hand, their tokens first.
//!
//! Three kinds of task wait for `SendTaskSuccess`, `SendTaskFailure` (and
//! heartbeats): an activity task no worker has taken yet
//! ([`WaitingTaskKind::ActivityQueued`]), one a worker took with
//! `GetActivityTask` ([`WaitingTaskKind::ActivityStarted`]), and the
//! callback of a `.waitForTaskToken` service integration
//! ([`WaitingTaskKind::Callback`]). Step Functions has no call that lists
//! them; [`LocalEngine::waiting_tasks`] and
//! [`LocalEngine::waiting_tasks_page`] are the local engine's own, served
//! as `SfiniListWaitingTasks` by `sfini local serve` and listed by `sfini
//! local tasks`.
//!
//! A queued activity task's token is answered as a taken one's is: the
//! task closes, the execution goes on (its history shows
//! `ActivityScheduled`, then `ActivitySucceeded` or `ActivityFailed`, with
//! no `ActivityStarted`), and no worker is handed it afterwards. On AWS no
//! one knows that token before a worker takes the task, so only the local
//! engine allows it.
//!
//! Lists are bounded: a page holds at most [`MAX_WAITING_PAGE`] tasks
//! ([`DEFAULT_WAITING_PAGE`] unless asked), and stops early once the inputs
//! it holds reach [`MAX_WAITING_PAGE_INPUT_BYTES`], so that no answer grows
//! with the number of tasks waiting or their size. Tasks are listed in the
//! order they began to wait; a page's `next_token` starts the next page
//! after its last task, so tasks that close meanwhile do not shift the
//! list, and tasks that begin to wait meanwhile come at its end.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::api::{SfnError, quoted, token_label};

use super::LocalEngine;
use super::compile::{CompiledMachine, Kind, Scope, Target};
use super::execution::{Elapsed, EventKind, Execution};
use super::tasks::TaskSlot;

/// The page size of [`LocalEngine::waiting_tasks_page`] when `max_results`
/// is 0.
pub const DEFAULT_WAITING_PAGE: usize = 100;
/// The most tasks one page lists (and [`LocalEngine::waiting_tasks`]
/// gives).
pub const MAX_WAITING_PAGE: usize = 1000;
/// The most bytes of task inputs one page holds, give or take one input:
/// a page ends with the task whose input reaches it (4 MiB, at least 16
/// inputs of the largest size).
pub const MAX_WAITING_PAGE_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// What a page token of the list of waiting tasks starts with; the task
/// token of the page's last task follows.
const PAGE_TOKEN_PREFIX: &str = "waiting-after-";

/// What a waiting task waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitingTaskKind {
    /// An activity task queued on its activity: no worker has taken it with
    /// `GetActivityTask` yet (`ACTIVITY_QUEUED`).
    ActivityQueued,
    /// An activity task a worker took: it waits for the worker's answer
    /// (`ACTIVITY_STARTED`).
    ActivityStarted,
    /// The callback of a `.waitForTaskToken` service integration: the
    /// service was called with the token and the task waits for an answer
    /// with it (`CALLBACK`).
    Callback,
}

impl WaitingTaskKind {
    /// The kind's name on the wire: `ACTIVITY_QUEUED`, `ACTIVITY_STARTED`
    /// or `CALLBACK`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitingTaskKind::ActivityQueued => "ACTIVITY_QUEUED",
            WaitingTaskKind::ActivityStarted => "ACTIVITY_STARTED",
            WaitingTaskKind::Callback => "CALLBACK",
        }
    }

    /// The kind named `name` (see [`as_str`](Self::as_str)).
    pub fn from_name(name: &str) -> Option<WaitingTaskKind> {
        [
            WaitingTaskKind::ActivityQueued,
            WaitingTaskKind::ActivityStarted,
            WaitingTaskKind::Callback,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for WaitingTaskKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A task waiting for `SendTaskSuccess` or `SendTaskFailure` with its
/// token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingTask {
    /// The task token, which `SendTaskSuccess`, `SendTaskFailure` and
    /// `SendTaskHeartbeat` take. Anyone who reads it can answer the task.
    pub task_token: String,
    /// The execution the task belongs to.
    pub execution_arn: String,
    /// The Task state that scheduled it.
    pub state_name: String,
    /// What it waits for.
    pub kind: WaitingTaskKind,
    /// The state's resource: the activity's ARN, or the service
    /// integration's (`arn:aws:states:::sqs:sendMessage.waitForTaskToken`).
    pub resource: String,
    /// The task's input as JSON text: what a worker gets from
    /// `GetActivityTask`, or what the service integration was called with
    /// (the state's effective input, after `Parameters` or `Arguments`).
    pub input: String,
    /// The name the worker that took an activity task gave, if it gave one.
    pub worker_name: Option<String>,
    /// When the task was scheduled, as its `...Scheduled` event records it;
    /// `None` for the tasks of a Distributed Map's items, whose events are
    /// not recorded.
    pub scheduled_date: Option<OffsetDateTime>,
    /// When the task times out unless a heartbeat comes first, for a state
    /// with `HeartbeatSeconds`.
    pub heartbeat_deadline: Option<OffsetDateTime>,
    /// When the task times out, for a state with `TimeoutSeconds` (`None`
    /// otherwise, and for the tasks of a Distributed Map's items).
    pub timeout_deadline: Option<OffsetDateTime>,
}

/// Which waiting tasks to list: [`LocalEngine::waiting_tasks_page`]'s
/// request, and `SfiniListWaitingTasks`'.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListWaitingTasksInput {
    /// Only the tasks of this execution.
    pub execution_arn: Option<String>,
    /// The most tasks on the page: 1 to [`MAX_WAITING_PAGE`], or 0 for
    /// [`DEFAULT_WAITING_PAGE`].
    pub max_results: i32,
    /// Where the page starts: the `next_token` of the page before.
    pub next_token: Option<String>,
}

/// One page of waiting tasks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListWaitingTasksOutput {
    /// The tasks, in the order they began to wait.
    pub tasks: Vec<WaitingTask>,
    /// Where the next page starts, when more tasks may follow.
    pub next_token: Option<String>,
}

impl LocalEngine {
    /// The tasks waiting for an answer, in the order they began to wait:
    /// the first [`MAX_WAITING_PAGE`] of them at most (fewer when their
    /// inputs reach [`MAX_WAITING_PAGE_INPUT_BYTES`]). To read more, page
    /// with [`waiting_tasks_page`](Self::waiting_tasks_page).
    ///
    /// ```
    /// use serde_json::json;
    /// use sfini_runtime::api::*;
    /// use sfini_runtime::local::{LocalEngine, WaitingTaskKind};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), SfnError> {
    /// let engine = LocalEngine::new();
    /// let activity = engine
    ///     .create_activity(CreateActivityInput { name: "approve".into(), ..Default::default() })
    ///     .await?
    ///     .activity_arn;
    /// let machine = engine
    ///     .create_state_machine(CreateStateMachineInput {
    ///         name: "approval".into(),
    ///         definition: json!({"StartAt": "Approve", "States": {
    ///             "Approve": {"Type": "Task", "Resource": activity, "End": true}
    ///         }})
    ///         .to_string(),
    ///         role_arn: "arn:aws:iam::123456789012:role/run".into(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// let mut queued = engine.watch_queued_activity_tasks();
    /// let started = engine
    ///     .start_execution(StartExecutionInput {
    ///         state_machine_arn: machine.state_machine_arn,
    ///         input: Some(r#"{"order": 7}"#.into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// queued.changed().await.expect("the engine is alive");
    ///
    /// let waiting = engine.waiting_tasks();
    /// assert_eq!(waiting.len(), 1);
    /// assert_eq!(waiting[0].state_name, "Approve");
    /// assert_eq!(waiting[0].kind, WaitingTaskKind::ActivityQueued);
    /// assert_eq!(waiting[0].input, r#"{"order":7}"#);
    ///
    /// // Answered by hand: the execution goes on.
    /// engine
    ///     .send_task_success(SendTaskSuccessInput {
    ///         task_token: waiting[0].task_token.clone(),
    ///         output: r#"{"approved": true}"#.into(),
    ///     })
    ///     .await?;
    /// let done = engine.wait_for_execution(&started.execution_arn).await?;
    /// assert_eq!(done.output.as_deref(), Some(r#"{"approved":true}"#));
    /// assert!(engine.waiting_tasks().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn waiting_tasks(&self) -> Vec<WaitingTask> {
        let input = ListWaitingTasksInput {
            max_results: MAX_WAITING_PAGE as i32,
            ..ListWaitingTasksInput::default()
        };
        // Without a token or an execution, nothing can be refused.
        self.waiting_tasks_page(input)
            .map(|page| page.tasks)
            .unwrap_or_default()
    }

    /// The tasks of one execution waiting for an answer, as
    /// [`waiting_tasks`](Self::waiting_tasks) gives them;
    /// `ExecutionDoesNotExist` (or `InvalidArn`) when no execution has this
    /// ARN. A closed execution has none.
    pub fn waiting_tasks_of(&self, execution_arn: &str) -> Result<Vec<WaitingTask>, SfnError> {
        let input = ListWaitingTasksInput {
            execution_arn: Some(execution_arn.to_string()),
            max_results: MAX_WAITING_PAGE as i32,
            next_token: None,
        };
        self.waiting_tasks_page(input).map(|page| page.tasks)
    }

    /// One page of the tasks waiting for an answer (of one execution, when
    /// `execution_arn` is given), in the order they began to wait, with a
    /// `next_token` when more may follow.
    ///
    /// Refused with `ValidationException` for a `max_results` outside 0 to
    /// [`MAX_WAITING_PAGE`], `InvalidToken` for a `next_token` this engine
    /// did not give, and `ExecutionDoesNotExist` or `InvalidArn` for an
    /// execution it does not have.
    pub fn waiting_tasks_page(
        &self,
        input: ListWaitingTasksInput,
    ) -> Result<ListWaitingTasksOutput, SfnError> {
        let size = match usize::try_from(input.max_results) {
            Ok(0) => DEFAULT_WAITING_PAGE,
            Ok(size) if size <= MAX_WAITING_PAGE => size,
            _ => {
                return Err(SfnError::ValidationException(format!(
                    "maxResults is {}; give 1 to {MAX_WAITING_PAGE}, or 0 for a page of \
                     {DEFAULT_WAITING_PAGE}",
                    input.max_results
                )));
            }
        };
        let after = input
            .next_token
            .as_deref()
            .map(|token| self.page_position(token))
            .transpose()?;
        let execution = input
            .execution_arn
            .as_deref()
            .map(|arn| self.shared.execution(arn))
            .transpose()?;
        let tasks = &self.shared.tasks;
        // One more than the page, to know whether more follow.
        let slots = tasks.open_after(
            after,
            execution.as_ref().map(|execution| execution.number),
            size + 1,
        );
        let queued = self.queued_hidden(&slots);
        let mut targets = Targets::default();
        let mut page = Vec::new();
        let mut input_bytes = 0;
        let mut last = None;
        // A page ends early at its size or its bytes; when it takes every
        // task found, more may follow if more than a page was found.
        let mut cut = slots.len() > size;
        for slot in &slots {
            if page.len() == size || input_bytes >= MAX_WAITING_PAGE_INPUT_BYTES {
                cut = true;
                break;
            }
            last = Some(slot);
            let (resource, target) = targets.of(&slot.execution.machine, slot.state);
            let Some(task) = describe(slot, resource, target, &queued) else {
                // Closed since it was found: no longer waiting.
                continue;
            };
            input_bytes += task.input.len();
            page.push(task);
        }
        let next_token = match last {
            Some(last) if cut => Some(format!("{PAGE_TOKEN_PREFIX}{}", last.token)),
            _ => None,
        };
        Ok(ListWaitingTasksOutput {
            tasks: page,
            next_token,
        })
    }

    /// The task number a page token starts after.
    fn page_position(&self, token: &str) -> Result<u64, SfnError> {
        let refused = || {
            SfnError::InvalidToken(format!(
                "{} is not a page token of this engine's list of waiting tasks; give the \
                 nextToken of the page before, from this engine since it started",
                quoted(token, '`')
            ))
        };
        let task_token = token.strip_prefix(PAGE_TOKEN_PREFIX).ok_or_else(refused)?;
        self.shared.tasks.number(task_token).map_err(|_| refused())
    }

    /// The activity tasks of Distributed Map items among `slots` that are
    /// still queued, by address: their taking is not recorded in a history,
    /// so their activities' queues are read (each once).
    fn queued_hidden(&self, slots: &[Arc<TaskSlot>]) -> FxHashSet<*const TaskSlot> {
        let mut targets = Targets::default();
        let activities: FxHashSet<String> = slots
            .iter()
            .filter(|slot| slot.hidden)
            .filter_map(|slot| {
                let (resource, target) = targets.of(&slot.execution.machine, slot.state);
                (target == TargetKind::Activity).then(|| resource.to_string())
            })
            .collect();
        if activities.is_empty() {
            return FxHashSet::default();
        }
        let registry = self.shared.lock();
        activities
            .iter()
            .filter_map(|arn| registry.activities.get(arn))
            .flat_map(|activity| activity.queue.iter().map(Arc::as_ptr))
            .collect()
    }
}

/// What a waiting task's state calls, as far as listing cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TargetKind {
    Activity,
    Callback,
}

/// The resources of the Task states of the machines met while listing,
/// each machine read once.
#[derive(Default)]
struct Targets {
    machines: FxHashMap<*const CompiledMachine, FxHashMap<u32, (Arc<str>, TargetKind)>>,
}

impl Targets {
    /// The resource of the Task state `state` of `machine`, and what it
    /// is. A slot's state is always a Task state of its execution's
    /// machine, which calls an activity or waits for a callback.
    fn of(&mut self, machine: &Arc<CompiledMachine>, state: u32) -> (Arc<str>, TargetKind) {
        let tasks = self
            .machines
            .entry(Arc::as_ptr(machine))
            .or_insert_with(|| task_states(machine));
        tasks
            .get(&state)
            .cloned()
            .unwrap_or_else(|| (Arc::from(""), TargetKind::Callback))
    }
}

/// Every Task state of a machine that opens a task to wait on: its
/// resource and kind, by state id. Walks the machine without recursion.
fn task_states(machine: &CompiledMachine) -> FxHashMap<u32, (Arc<str>, TargetKind)> {
    let mut found = FxHashMap::default();
    let mut pending: Vec<&Scope> = vec![&machine.top];
    while let Some(scope) = pending.pop() {
        for state in &scope.states {
            match &state.kind {
                Kind::Task(spec) => {
                    let kind = match spec.target {
                        Target::Activity => TargetKind::Activity,
                        Target::Service { callback: true, .. } => TargetKind::Callback,
                        _ => continue,
                    };
                    found.insert(state.id, (Arc::from(spec.resource.as_str()), kind));
                }
                Kind::Parallel(branches) => pending.extend(branches.iter().map(Arc::as_ref)),
                Kind::Map(map) => pending.push(&map.processor),
                _ => {}
            }
        }
    }
    found
}

/// The time of `at` in `execution`'s clock.
fn date_at(execution: &Execution, at: Instant) -> OffsetDateTime {
    let elapsed = at.saturating_duration_since(execution.origin).as_nanos();
    execution.time_at(Elapsed::try_from(elapsed).unwrap_or(Elapsed::MAX))
}

/// A waiting task as listed; `None` once it has closed.
fn describe(
    slot: &TaskSlot,
    resource: Arc<str>,
    target: TargetKind,
    queued_hidden: &FxHashSet<*const TaskSlot>,
) -> Option<WaitingTask> {
    let execution = &slot.execution;
    // The execution's record before the slot, as the engine locks them.
    let record = execution.lock();
    let (open, previous, heartbeat_deadline) = {
        let state = slot.lock();
        (
            state.sender.is_some(),
            state.previous,
            state.heartbeat_deadline,
        )
    };
    if !open {
        return None;
    }
    // The task's thread of events, back from its last one: `...Submitted`
    // or `...Started`, then `...Scheduled`.
    let mut scheduled = None;
    let mut started = None;
    if !slot.hidden {
        let mut id = previous;
        for _ in 0..4 {
            let Some(event) = (id as usize)
                .checked_sub(1)
                .and_then(|index| record.events.get(index))
            else {
                break;
            };
            match &event.kind {
                EventKind::Scheduled(task) if task.state == slot.state => {
                    scheduled = Some((event.at, task.timeout));
                    break;
                }
                EventKind::Started(state, worker) if *state == slot.state => {
                    started = Some(worker.clone());
                }
                EventKind::Submitted(state, _) if *state == slot.state => {}
                _ => break,
            }
            id = event.previous;
        }
    }
    drop(record);
    let (kind, worker_name) = match target {
        TargetKind::Callback => (WaitingTaskKind::Callback, None),
        TargetKind::Activity if slot.hidden => {
            let kind = if queued_hidden.contains(&std::ptr::from_ref(slot)) {
                WaitingTaskKind::ActivityQueued
            } else {
                WaitingTaskKind::ActivityStarted
            };
            (kind, None)
        }
        TargetKind::Activity => match started {
            Some(worker) => (
                WaitingTaskKind::ActivityStarted,
                worker.map(|name| name.to_string()),
            ),
            None => (WaitingTaskKind::ActivityQueued, None),
        },
    };
    let scheduled_date = scheduled.map(|(at, _)| execution.time_at(at));
    let timeout_deadline = scheduled.and_then(|(at, timeout)| {
        let timeout = Elapsed::from(timeout?).saturating_mul(1_000_000_000);
        Some(execution.time_at(at.saturating_add(timeout)))
    });
    Some(WaitingTask {
        task_token: slot.token.clone(),
        execution_arn: execution.arn.to_string(),
        state_name: execution
            .machine
            .names
            .get(slot.state as usize)
            .map_or_else(String::new, ToString::to_string),
        kind,
        resource: resource.to_string(),
        input: slot.input.to_string(),
        worker_name,
        scheduled_date,
        heartbeat_deadline: heartbeat_deadline.map(|at| date_at(execution, at)),
        timeout_deadline,
    })
}

impl std::fmt::Display for WaitingTask {
    /// One line: the token's label (not the token), the execution, the
    /// state and the kind.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "task {} of {} in state `{}` ({})",
            token_label(&self.task_token),
            self.execution_arn,
            self.state_name,
            self.kind
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::{Value, json};
    use time::macros::datetime;

    use super::*;
    use crate::api::*;
    use crate::clock::Clock;

    const START: OffsetDateTime = datetime!(2026-03-01 12:00:00 UTC);
    const ROLE: &str = "arn:aws:iam::123456789012:role/run";
    const QUEUE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

    fn engine() -> LocalEngine {
        LocalEngine::builder()
            .clock(Clock::virtual_from(START))
            .activity_poll_wait(Duration::from_secs(1))
            .build()
    }

    async fn activity(engine: &LocalEngine, name: &str) -> String {
        engine
            .create_activity(CreateActivityInput {
                name: name.into(),
                ..Default::default()
            })
            .await
            .expect("the activity")
            .activity_arn
    }

    async fn machine(engine: &LocalEngine, name: &str, definition: Value) -> String {
        engine
            .create_state_machine(CreateStateMachineInput {
                name: name.into(),
                definition: definition.to_string(),
                role_arn: ROLE.into(),
                ..Default::default()
            })
            .await
            .expect("the machine")
            .state_machine_arn
    }

    async fn start(engine: &LocalEngine, machine: &str, input: Value) -> String {
        engine
            .start_execution(StartExecutionInput {
                state_machine_arn: machine.into(),
                input: Some(input.to_string()),
                ..Default::default()
            })
            .await
            .expect("started")
            .execution_arn
    }

    /// Lets the executions run until `count` tasks wait (the clock is
    /// paused: each sleep runs what is ready).
    async fn until_waiting(engine: &LocalEngine, count: usize) -> Vec<WaitingTask> {
        for _ in 0..1000 {
            let waiting = engine.waiting_tasks();
            if waiting.len() >= count {
                return waiting;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("{count} tasks never waited: {:?}", engine.waiting_tasks());
    }

    #[tokio::test(start_paused = true)]
    async fn queued_and_taken_activity_tasks_are_listed_with_their_deadlines() {
        let engine = engine();
        let approve = activity(&engine, "approve").await;
        let machine = machine(
            &engine,
            "approval",
            json!({"StartAt": "Approve", "States": {"Approve": {
                "Type": "Task", "Resource": approve,
                "TimeoutSeconds": 3600, "HeartbeatSeconds": 60, "End": true
            }}}),
        )
        .await;
        let execution = start(&engine, &machine, json!({"order": 7})).await;
        let waiting = until_waiting(&engine, 1).await;
        let queued = &waiting[0];
        assert_eq!(queued.kind, WaitingTaskKind::ActivityQueued);
        assert_eq!(queued.execution_arn, execution);
        assert_eq!(queued.state_name, "Approve");
        assert_eq!(queued.resource, approve);
        assert_eq!(queued.input, r#"{"order":7}"#);
        assert_eq!(queued.worker_name, None);
        let scheduled = queued.scheduled_date.expect("recorded");
        assert!(scheduled >= START && scheduled < START + Duration::from_secs(1));
        assert_eq!(
            queued.timeout_deadline,
            Some(scheduled + Duration::from_secs(3600))
        );
        assert_eq!(
            queued.heartbeat_deadline,
            Some(scheduled + Duration::from_secs(60))
        );

        // A worker takes it, later: the same token, now started, with the
        // worker's name; a heartbeat moves its heartbeat deadline.
        tokio::time::sleep(Duration::from_secs(10)).await;
        let taken = engine
            .get_activity_task(GetActivityTaskInput {
                activity_arn: approve.clone(),
                worker_name: Some("clerk".into()),
            })
            .await
            .expect("a task");
        assert_eq!(
            taken.task_token.as_deref(),
            Some(queued.task_token.as_str())
        );
        let waiting = engine.waiting_tasks_of(&execution).expect("the execution");
        assert_eq!(waiting.len(), 1);
        let started = &waiting[0];
        assert_eq!(started.kind, WaitingTaskKind::ActivityStarted);
        assert_eq!(started.worker_name.as_deref(), Some("clerk"));
        assert_eq!(started.scheduled_date, queued.scheduled_date);
        assert_eq!(started.heartbeat_deadline, queued.heartbeat_deadline);
        engine
            .send_task_heartbeat(SendTaskHeartbeatInput {
                task_token: started.task_token.clone(),
            })
            .await
            .expect("a heartbeat");
        let beaten = engine.waiting_tasks()[0]
            .heartbeat_deadline
            .expect("a deadline");
        // 60 seconds after the heartbeat, sent some 10 seconds in.
        assert!(
            beaten >= scheduled + Duration::from_secs(70)
                && beaten < scheduled + Duration::from_secs(71),
            "{beaten}"
        );

        // Answered: gone.
        engine
            .send_task_success(SendTaskSuccessInput {
                task_token: started.task_token.clone(),
                output: "true".into(),
            })
            .await
            .expect("answered");
        assert!(engine.waiting_tasks().is_empty());
        assert_eq!(
            engine.waiting_tasks_of(&execution).expect("known"),
            Vec::new()
        );
        let done = engine.wait_for_execution(&execution).await.expect("done");
        assert_eq!(done.output.as_deref(), Some("true"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_queued_activity_task_answered_by_its_listed_token_is_never_handed_out() {
        let engine = engine();
        let approve = activity(&engine, "approve").await;
        let machine = machine(
            &engine,
            "approval",
            json!({"StartAt": "Approve", "States": {"Approve": {
                "Type": "Task", "Resource": approve, "End": true
            }}}),
        )
        .await;
        let execution = start(&engine, &machine, json!({})).await;
        let waiting = until_waiting(&engine, 1).await;
        assert_eq!(waiting[0].kind, WaitingTaskKind::ActivityQueued);
        // No TimeoutSeconds: no deadline is said.
        assert_eq!(waiting[0].timeout_deadline, None);
        assert_eq!(waiting[0].heartbeat_deadline, None);
        engine
            .send_task_failure(SendTaskFailureInput {
                task_token: waiting[0].task_token.clone(),
                error: Some("Rejected".into()),
                cause: Some("by hand".into()),
            })
            .await
            .expect("answered while queued");
        let done = engine.wait_for_execution(&execution).await.expect("done");
        assert_eq!(done.status, ExecutionStatus::Failed);
        assert_eq!(done.error.as_deref(), Some("Rejected"));
        let polled = engine
            .get_activity_task(GetActivityTaskInput {
                activity_arn: approve,
                worker_name: None,
            })
            .await
            .expect("a poll");
        assert_eq!(
            polled.task_token, None,
            "the answered task is not handed out"
        );
        let history = engine
            .get_execution_history(GetExecutionHistoryInput {
                execution_arn: execution,
                ..Default::default()
            })
            .await
            .expect("the history");
        let types: Vec<HistoryEventType> = history
            .events
            .iter()
            .map(|event| event.details.event_type())
            .collect();
        assert!(types.contains(&HistoryEventType::ActivityScheduled));
        assert!(types.contains(&HistoryEventType::ActivityFailed));
        assert!(!types.contains(&HistoryEventType::ActivityStarted));
    }

    #[tokio::test(start_paused = true)]
    async fn callbacks_are_listed_until_answered_and_closed_executions_leave_none() {
        let engine = engine();
        engine.register_handler(QUEUE, |_input, _context| async {
            Ok(json!({"MessageId": "m"}))
        });
        let machine = machine(
            &engine,
            "callback",
            json!({"StartAt": "Notify", "States": {"Notify": {
                "Type": "Task", "Resource": QUEUE,
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
                "TimeoutSeconds": 300, "End": true
            }}}),
        )
        .await;
        let first = start(&engine, &machine, json!({"order": 1})).await;
        let second = start(&engine, &machine, json!({"order": 2})).await;
        let waiting = until_waiting(&engine, 2).await;
        assert_eq!(waiting.len(), 2);
        for (task, (execution, order)) in waiting.iter().zip([(&first, 1), (&second, 2)]) {
            assert_eq!(task.kind, WaitingTaskKind::Callback);
            assert_eq!(&task.execution_arn, execution);
            assert_eq!(task.state_name, "Notify");
            assert_eq!(task.resource, QUEUE);
            let input: Value = serde_json::from_str(&task.input).expect("JSON");
            assert_eq!(
                input,
                json!({"QueueUrl": "q", "MessageBody": {"token": task.task_token, "order": order}})
            );
            let scheduled = task.scheduled_date.expect("recorded");
            assert_eq!(
                task.timeout_deadline,
                Some(scheduled + Duration::from_secs(300))
            );
        }
        assert_eq!(
            engine.waiting_tasks_of(&second).expect("known"),
            waiting[1..].to_vec()
        );
        // Stopping an execution closes its tasks.
        engine
            .stop_execution(StopExecutionInput {
                execution_arn: second.clone(),
                ..Default::default()
            })
            .await
            .expect("stopped");
        assert_eq!(engine.waiting_tasks(), waiting[..1].to_vec());
        assert_eq!(engine.waiting_tasks_of(&second).expect("known"), Vec::new());
        // A timeout does too.
        tokio::time::sleep(Duration::from_secs(301)).await;
        assert!(engine.waiting_tasks().is_empty());
        let timed_out = engine.wait_for_execution(&first).await.expect("closed");
        assert_eq!(timed_out.status, ExecutionStatus::Failed);
        // Unknown executions are refused.
        let unknown = engine
            .waiting_tasks_of("arn:aws:states:us-east-1:123456789012:execution:callback:nope")
            .expect_err("no such execution");
        assert_eq!(unknown.code(), "ExecutionDoesNotExist");
        assert_eq!(
            engine.waiting_tasks_of("nope").expect_err("no ARN").code(),
            "InvalidArn"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn pages_are_bounded_and_follow_each_other() {
        let engine = engine();
        let work = activity(&engine, "work").await;
        let machine = machine(
            &engine,
            "many",
            json!({"StartAt": "Work", "States": {"Work": {
                "Type": "Task", "Resource": work, "End": true
            }}}),
        )
        .await;
        let mut executions = Vec::new();
        for n in 0..25 {
            executions.push(start(&engine, &machine, json!({ "n": n })).await);
        }
        let all = until_waiting(&engine, 25).await;
        assert_eq!(all.len(), 25);
        let order: Vec<&str> = all.iter().map(|task| task.execution_arn.as_str()).collect();
        assert_eq!(
            order,
            executions.iter().map(String::as_str).collect::<Vec<_>>()
        );

        // Pages of 10, each after the one before; one closed meanwhile is
        // skipped without shifting the rest.
        let page = |next_token: Option<String>| ListWaitingTasksInput {
            max_results: 10,
            next_token,
            ..Default::default()
        };
        let first = engine.waiting_tasks_page(page(None)).expect("a page");
        assert_eq!(first.tasks, all[..10].to_vec());
        let token = first.next_token.expect("more follow");
        engine
            .send_task_success(SendTaskSuccessInput {
                task_token: all[10].task_token.clone(),
                output: "{}".into(),
            })
            .await
            .expect("answered");
        let second = engine
            .waiting_tasks_page(page(Some(token)))
            .expect("a page");
        assert_eq!(second.tasks, all[11..21].to_vec());
        let third = engine
            .waiting_tasks_page(page(second.next_token))
            .expect("a page");
        assert_eq!(third.tasks, all[21..].to_vec());
        assert_eq!(third.next_token, None);
        // Exactly a page: no token.
        let exact = engine
            .waiting_tasks_page(ListWaitingTasksInput {
                max_results: 24,
                ..Default::default()
            })
            .expect("a page");
        assert_eq!(exact.tasks.len(), 24);
        assert_eq!(exact.next_token, None);
        // The default page, and the bounds.
        let default = engine
            .waiting_tasks_page(ListWaitingTasksInput::default())
            .expect("a page");
        assert_eq!(default.tasks.len(), 24);
        for refused in [-1, 1001] {
            let error = engine
                .waiting_tasks_page(ListWaitingTasksInput {
                    max_results: refused,
                    ..Default::default()
                })
                .expect_err("out of range");
            assert_eq!(error.code(), "ValidationException", "{refused}");
        }
        // Tokens not given by this engine's list are refused.
        let other = LocalEngine::new();
        for token in [
            "nope".to_string(),
            all[0].task_token.clone(),
            format!("{PAGE_TOKEN_PREFIX}{}", "0".repeat(32)),
        ] {
            let error = other
                .waiting_tasks_page(page(Some(token.clone())))
                .expect_err("not a page token");
            assert_eq!(error.code(), "InvalidToken", "{token}");
        }
        // Filtered by execution, paged the same way.
        let of_one = engine
            .waiting_tasks_page(ListWaitingTasksInput {
                execution_arn: Some(executions[3].clone()),
                max_results: 1,
                next_token: None,
            })
            .expect("a page");
        assert_eq!(of_one.tasks, all[3..4].to_vec());
        assert_eq!(of_one.next_token, None);
    }

    #[tokio::test(start_paused = true)]
    async fn the_whole_list_is_capped_and_large_inputs_end_a_page_early() {
        let engine = engine();
        let work = activity(&engine, "work").await;
        let machine = machine(
            &engine,
            "large",
            json!({"StartAt": "Work", "States": {"Work": {
                "Type": "Task", "Resource": work, "End": true
            }}}),
        )
        .await;
        // Inputs of 200 KB: a page holds 21 of them (the one reaching
        // 4 MiB last), whatever the page size.
        let text = "x".repeat(200_000);
        for _ in 0..30 {
            start(&engine, &machine, json!({ "text": text })).await;
        }
        for _ in 0..1000 {
            if engine.queued_activity_tasks(&work) == 30 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let first = engine
            .waiting_tasks_page(ListWaitingTasksInput {
                max_results: 1000,
                ..Default::default()
            })
            .expect("a page");
        let per_input = first.tasks[0].input.len();
        let fit = MAX_WAITING_PAGE_INPUT_BYTES.div_ceil(per_input);
        assert_eq!(first.tasks.len(), fit);
        let rest = engine
            .waiting_tasks_page(ListWaitingTasksInput {
                max_results: 1000,
                next_token: first.next_token,
                ..Default::default()
            })
            .expect("a page");
        assert_eq!(rest.tasks.len(), 30 - fit);
        assert_eq!(rest.next_token, None);
        assert_eq!(engine.waiting_tasks().len(), fit);
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_tasks_gives_at_most_a_full_page() {
        let engine = engine();
        engine.register_handler(QUEUE, |_input, _context| async { Ok(json!({})) });
        let machine = machine(
            &engine,
            "fan-out",
            json!({"StartAt": "Each", "States": {"Each": {
                "Type": "Map", "ItemsPath": "$.items",
                "ItemProcessor": {"StartAt": "Notify", "States": {"Notify": {
                    "Type": "Task", "Resource": QUEUE,
                    "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                    "End": true
                }}},
                "End": true
            }}}),
        )
        .await;
        let items: Vec<u32> = (0..1100).collect();
        let execution = start(&engine, &machine, json!({ "items": items })).await;
        for _ in 0..10_000 {
            let page = engine
                .waiting_tasks_page(ListWaitingTasksInput {
                    max_results: 1000,
                    next_token: None,
                    execution_arn: None,
                })
                .expect("a page");
            if page.next_token.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let capped = engine.waiting_tasks();
        assert_eq!(capped.len(), MAX_WAITING_PAGE);
        assert!(capped.iter().all(|task| task.execution_arn == execution));
        let of_it = engine.waiting_tasks_of(&execution).expect("known");
        assert_eq!(of_it.len(), MAX_WAITING_PAGE);
        engine
            .stop_execution(StopExecutionInput {
                execution_arn: execution,
                ..Default::default()
            })
            .await
            .expect("stopped");
        assert!(engine.waiting_tasks().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn the_tasks_of_distributed_map_items_are_listed_without_a_history() {
        let engine = engine();
        let work = activity(&engine, "item-work").await;
        let machine = machine(
            &engine,
            "distributed",
            json!({"StartAt": "Each", "States": {"Each": {
                "Type": "Map", "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Work", "States": {"Work": {
                        "Type": "Task", "Resource": work, "HeartbeatSeconds": 30, "End": true
                    }}
                },
                "End": true
            }}}),
        )
        .await;
        let execution = start(&engine, &machine, json!({"items": [1, 2]})).await;
        let waiting = until_waiting(&engine, 2).await;
        for task in &waiting {
            assert_eq!(task.kind, WaitingTaskKind::ActivityQueued);
            assert_eq!(task.execution_arn, execution);
            assert_eq!(task.state_name, "Work");
            assert_eq!(task.scheduled_date, None);
            assert_eq!(task.timeout_deadline, None);
            assert!(task.heartbeat_deadline.is_some());
        }
        let taken = engine
            .get_activity_task(GetActivityTaskInput {
                activity_arn: work,
                worker_name: None,
            })
            .await
            .expect("a task")
            .task_token
            .expect("a token");
        let kinds: Vec<(bool, WaitingTaskKind)> = engine
            .waiting_tasks()
            .iter()
            .map(|task| (task.task_token == taken, task.kind))
            .collect();
        assert_eq!(kinds.len(), 2);
        for (is_taken, kind) in kinds {
            let expected = if is_taken {
                WaitingTaskKind::ActivityStarted
            } else {
                WaitingTaskKind::ActivityQueued
            };
            assert_eq!(kind, expected);
        }
    }

    #[test]
    fn kinds_are_named_on_the_wire() {
        for kind in [
            WaitingTaskKind::ActivityQueued,
            WaitingTaskKind::ActivityStarted,
            WaitingTaskKind::Callback,
        ] {
            assert_eq!(WaitingTaskKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(WaitingTaskKind::from_name("callback"), None);
    }
}
