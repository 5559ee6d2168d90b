//! How long the local engine keeps closed executions.
//!
//! AWS keeps a closed Standard execution, and its history, for 90 days;
//! after that `DescribeExecution` and `GetExecutionHistory` answer
//! `ExecutionDoesNotExist`, `ListExecutions` no longer lists it, and its
//! name may be used again. The engine does the same on its own clock
//! (virtual clocks included), and also keeps at most a number of closed
//! executions (10,000 by default), so that an engine served for days under
//! steady load holds bounded memory: past either bound, the oldest closed
//! execution goes first. Running executions are never dropped.
//!
//! The closed executions wait in a queue in the order they closed. An
//! execution is queued when it closes; each close, start and lookup of an
//! execution looks at the front of the queue only, dropping what is past
//! a bound, so that each closed execution is dropped once and pruning costs
//! a constant amount per execution, never a walk over all of them. Ageing
//! drops at most [`PRUNE_BATCH`] executions per call (an engine idle for 90
//! days may find many expired at once); one still queued past its age is
//! answered as dropped all the same ([`expired`]).
//!
//! Dropping an execution removes it from the engine's index and from its
//! machine's list. Its open tasks closed with it; the closed task slots
//! that still wait in an activity's queue (no worker took them) are dropped
//! as the queue grows ([`compact_queue`]). Page tokens hold only a position,
//! so nothing of them is kept: a `ListExecutions` page read after a drop
//! simply lacks the dropped executions, and repeats none. A Distributed
//! Map's items are not executions of the engine and are dropped with their
//! parent.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::execution::Execution;
use super::tasks::TaskSlot;
use super::{EngineLimits, LocalEngine, Registry};

/// How many closed executions an engine keeps by default: 10,000, about
/// 400 MiB for the soak's mix of executions, hostile ones among them, at
/// 41 KB each (see `benches/README.md`, "Soak").
pub const RETAIN_CLOSED_EXECUTIONS: usize = 10_000;

/// How long an engine keeps a closed execution by default: 90 days, as
/// AWS keeps a Standard execution's history.
pub const RETAIN_CLOSED_FOR: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// The most executions one call drops for their age.
pub(super) const PRUNE_BATCH: usize = 1024;

/// The closed executions an engine keeps, oldest closed first.
#[derive(Default)]
pub(super) struct Retention {
    closed: VecDeque<Closed>,
}

/// A closed execution and when it closed.
struct Closed {
    execution: Arc<Execution>,
    at: OffsetDateTime,
}

impl Retention {
    /// How many closed executions wait to be dropped (some may have gone
    /// already with their machine).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.closed.len()
    }
}

/// What a prune took out of the registry, to be dropped once its lock is
/// released (an execution's history may be large).
#[must_use]
pub(super) struct Dropped {
    _executions: Vec<Arc<Execution>>,
}

impl Dropped {
    /// How many executions were dropped.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self._executions.len()
    }
}

/// True when a closed execution that closed at `stop` is past the age
/// `limits` keep it for, at `now`.
pub(super) fn expired(
    stop: Option<OffsetDateTime>,
    limits: &EngineLimits,
    now: OffsetDateTime,
) -> bool {
    let Some(stop) = stop else {
        return false;
    };
    let age = now - stop;
    age.is_positive() && age.unsigned_abs() >= limits.retained_closed_for()
}

/// Queues an execution that has just closed at `stop`, then drops what is
/// past the bounds.
pub(super) fn closed(
    registry: &mut Registry,
    execution: &Arc<Execution>,
    stop: Option<OffsetDateTime>,
    limits: &EngineLimits,
    now: OffsetDateTime,
) -> Dropped {
    let at = stop.unwrap_or(now);
    registry.retention.closed.push_back(Closed {
        execution: execution.clone(),
        at,
    });
    prune(registry, limits, now)
}

/// Drops the oldest closed executions while there are more than `limits`
/// keep, and those older than it keeps them (at most [`PRUNE_BATCH`] of
/// these).
pub(super) fn prune(
    registry: &mut Registry,
    limits: &EngineLimits,
    now: OffsetDateTime,
) -> Dropped {
    let mut dropped = Vec::new();
    let mut aged = 0;
    while let Some(front) = registry.retention.closed.front() {
        let over = registry.retention.closed.len() > limits.retained_closed_executions();
        let old = aged < PRUNE_BATCH && expired(Some(front.at), limits, now);
        if !over && !old {
            break;
        }
        if !over {
            aged += 1;
        }
        let Some(Closed { execution, at }) = registry.retention.closed.pop_front() else {
            break;
        };
        // A redriven execution's entry from an earlier close is stale: the
        // execution runs again, or waits under its later close.
        if execution.lock().stop_date != Some(at) {
            continue;
        }
        forget(registry, &execution);
        dropped.push(execution);
    }
    Dropped {
        _executions: dropped,
    }
}

/// Removes an execution from the engine's index and its machine's list,
/// where it is still there (not replaced by a new execution of the same
/// name, nor gone with its machine).
pub(super) fn forget(registry: &mut Registry, execution: &Arc<Execution>) {
    if registry
        .executions
        .get(&execution.arn)
        .is_some_and(|kept| Arc::ptr_eq(kept, execution))
    {
        registry.executions.remove(&execution.arn);
    }
    if let Some(machine) = registry.machines.get_mut(&*execution.machine_arn)
        && machine
            .executions
            .get(&execution.number)
            .is_some_and(|kept| Arc::ptr_eq(kept, execution))
    {
        machine.executions.remove(&execution.number);
    }
}

/// Drops the closed task slots of an activity's queue once it has doubled
/// since it was last compacted, so that slots whose execution closed with
/// no worker to take them do not keep it: each slot is looked at a
/// constant number of times on average.
pub(super) fn compact_queue(queue: &mut VecDeque<Arc<TaskSlot>>, compact_at: &mut usize) {
    if queue.len() < *compact_at {
        return;
    }
    queue.retain(|slot| slot.is_open());
    *compact_at = queue.len().saturating_mul(2).max(COMPACT_MIN);
}

/// How many executions an engine keeps (see
/// [`LocalEngine::execution_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExecutionCounts {
    /// Executions running.
    pub running: usize,
    /// Closed executions kept: `DescribeExecution` answers them.
    pub closed: usize,
    /// Executions in the state machines' lists (`ListExecutions`), running
    /// or closed.
    pub listed: usize,
}

impl LocalEngine {
    /// How many executions the engine keeps, running and closed: closed
    /// ones are dropped past the limits' retention (see
    /// [`EngineLimits::retain_closed_executions`]). Takes time in the
    /// number of state machines.
    pub fn execution_counts(&self) -> ExecutionCounts {
        let now = self.shared.clock.now();
        let mut registry = self.shared.lock();
        let dropped = prune(&mut registry, &self.shared.limits, now);
        let running = registry
            .machines
            .values()
            .map(|machine| machine.running)
            .sum();
        let listed = registry
            .machines
            .values()
            .map(|machine| machine.executions.len())
            .sum();
        let kept = registry.executions.len();
        drop(registry);
        drop(dropped);
        ExecutionCounts {
            running,
            closed: kept.saturating_sub(running),
            listed,
        }
    }
}

/// The queue length below which closed slots are left for workers to skip.
pub(super) const COMPACT_MIN: usize = 64;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use time::macros::datetime;

    use super::*;
    use crate::api::*;
    use crate::clock::Clock;

    const ROLE: &str = "arn:aws:iam::123456789012:role/run";

    fn engine(limits: EngineLimits) -> LocalEngine {
        LocalEngine::builder()
            .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
            .limits(limits)
            .build()
    }

    async fn machine(engine: &LocalEngine, name: &str, definition: serde_json::Value) -> String {
        engine
            .create_state_machine(CreateStateMachineInput {
                name: name.into(),
                definition: definition.to_string(),
                role_arn: ROLE.into(),
                ..Default::default()
            })
            .await
            .expect("a valid machine")
            .state_machine_arn
    }

    fn passing() -> serde_json::Value {
        json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}})
    }

    fn waiting() -> serde_json::Value {
        json!({"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 31_536_000, "End": true}}})
    }

    async fn run(engine: &LocalEngine, machine: &str, name: &str) -> String {
        let arn = start(engine, machine, name).await;
        engine.wait_for_execution(&arn).await.expect("it closes");
        arn
    }

    async fn start(engine: &LocalEngine, machine: &str, name: &str) -> String {
        engine
            .start_execution(StartExecutionInput {
                state_machine_arn: machine.into(),
                name: Some(name.into()),
                ..Default::default()
            })
            .await
            .expect("it starts")
            .execution_arn
    }

    async fn describe(
        engine: &LocalEngine,
        arn: &str,
    ) -> Result<DescribeExecutionOutput, SfnError> {
        engine
            .describe_execution(DescribeExecutionInput {
                execution_arn: arn.into(),
            })
            .await
    }

    fn does_not_exist<T: std::fmt::Debug>(answer: Result<T, SfnError>) {
        match answer {
            Err(error) => assert_eq!(error.code(), "ExecutionDoesNotExist", "{error}"),
            Ok(found) => panic!("a dropped execution was found: {found:?}"),
        }
    }

    async fn listed(engine: &LocalEngine, machine: &str) -> Vec<String> {
        engine
            .list_executions(ListExecutionsInput {
                state_machine_arn: machine.into(),
                max_results: 1000,
                ..Default::default()
            })
            .await
            .expect("a list")
            .executions
            .into_iter()
            .map(|item| item.name)
            .collect()
    }

    #[test]
    fn defaults_are_aws_retention_and_ten_thousand() {
        let limits = EngineLimits::default();
        assert_eq!(limits.retained_closed_for(), Duration::from_secs(7_776_000));
        assert_eq!(limits.retained_closed_executions(), 10_000);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_drops_executions_past_their_age() {
        let engine = engine(EngineLimits::default().retain_closed_for(Duration::from_secs(3600)));
        let machine = machine(&engine, "pass", passing()).await;
        let old = run(&engine, &machine, "old").await;
        tokio::time::sleep(Duration::from_secs(1800)).await;
        let younger = run(&engine, &machine, "younger").await;
        assert!(describe(&engine, &old).await.is_ok());
        tokio::time::sleep(Duration::from_secs(1800)).await;
        // An hour after it closed, the first is gone; the second is kept.
        does_not_exist(describe(&engine, &old).await);
        does_not_exist(
            engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: old.clone(),
                    ..Default::default()
                })
                .await,
        );
        assert!(describe(&engine, &younger).await.is_ok());
        assert_eq!(listed(&engine, &machine).await, ["younger"]);
        // Its name may be used again, as on AWS once it has expired.
        let again = run(&engine, &machine, "old").await;
        assert_eq!(again, old);
        assert_eq!(engine.execution_counts().closed, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_by_default_keeps_ninety_days() {
        let engine = engine(EngineLimits::default());
        let machine = machine(&engine, "pass", passing()).await;
        let arn = run(&engine, &machine, "kept").await;
        tokio::time::sleep(Duration::from_secs(89 * 86_400)).await;
        assert!(describe(&engine, &arn).await.is_ok());
        tokio::time::sleep(Duration::from_secs(86_400)).await;
        does_not_exist(describe(&engine, &arn).await);
        assert_eq!(engine.execution_counts().closed, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_cap_keeps_the_newest_closed() {
        let engine = engine(EngineLimits::default().retain_closed_executions(3));
        let machine = machine(&engine, "pass", passing()).await;
        let mut arns = Vec::new();
        for index in 0..10 {
            arns.push(run(&engine, &machine, &format!("e{index}")).await);
        }
        for arn in &arns[..7] {
            does_not_exist(describe(&engine, arn).await);
        }
        for arn in &arns[7..] {
            assert!(describe(&engine, arn).await.is_ok());
        }
        assert_eq!(listed(&engine, &machine).await, ["e9", "e8", "e7"]);
        let counts = engine.execution_counts();
        assert_eq!((counts.running, counts.closed, counts.listed), (0, 3, 3));
    }

    #[tokio::test(start_paused = true)]
    async fn retention_never_drops_running_executions() {
        let engine = engine(
            EngineLimits::default()
                .retain_closed_executions(1)
                .retain_closed_for(Duration::from_secs(60)),
        );
        let slow = machine(&engine, "slow", waiting()).await;
        let fast = machine(&engine, "fast", passing()).await;
        let running = start(&engine, &slow, "running").await;
        // Many closings, and far more time than the age kept, pass by.
        for index in 0..20 {
            run(&engine, &fast, &format!("f{index}")).await;
            tokio::time::sleep(Duration::from_secs(86_400)).await;
        }
        let described = describe(&engine, &running).await.expect("kept");
        assert_eq!(described.status, ExecutionStatus::Running);
        assert_eq!(listed(&engine, &slow).await, ["running"]);
        let counts = engine.execution_counts();
        assert_eq!((counts.running, counts.closed), (1, 0));
        // Stopped, it is closed, and goes in its turn.
        engine
            .stop_execution(StopExecutionInput {
                execution_arn: running.clone(),
                ..Default::default()
            })
            .await
            .expect("stopped");
        assert!(describe(&engine, &running).await.is_ok());
        run(&engine, &fast, "last").await;
        does_not_exist(describe(&engine, &running).await);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_keeps_list_pages_whole_across_a_prune() {
        let engine = engine(EngineLimits::default().retain_closed_executions(10));
        let machine = machine(&engine, "pass", passing()).await;
        for index in 0..10 {
            run(&engine, &machine, &format!("e{index}")).await;
        }
        let first = engine
            .list_executions(ListExecutionsInput {
                state_machine_arn: machine.clone(),
                max_results: 4,
                ..Default::default()
            })
            .await
            .expect("a page");
        let names: Vec<_> = first
            .executions
            .iter()
            .map(|item| item.name.clone())
            .collect();
        assert_eq!(names, ["e9", "e8", "e7", "e6"]);
        // Five more close: e0 to e4 are dropped, among them none of the
        // first page's, and the page after it goes on where it ended.
        for index in 10..15 {
            run(&engine, &machine, &format!("e{index}")).await;
        }
        let mut rest = Vec::new();
        let mut token = first.next_token;
        while let Some(next) = token {
            let page = engine
                .list_executions(ListExecutionsInput {
                    state_machine_arn: machine.clone(),
                    max_results: 4,
                    next_token: Some(next),
                    ..Default::default()
                })
                .await
                .expect("a page");
            rest.extend(page.executions.into_iter().map(|item| item.name));
            token = page.next_token;
        }
        assert_eq!(rest, ["e5"]);
        // The first page's own items dropped between pages: the next page
        // from its token is whatever older ones remain, here none.
        let first = engine
            .list_executions(ListExecutionsInput {
                state_machine_arn: machine.clone(),
                max_results: 2,
                ..Default::default()
            })
            .await
            .expect("a page");
        for index in 15..30 {
            run(&engine, &machine, &format!("e{index}")).await;
        }
        let next = engine
            .list_executions(ListExecutionsInput {
                state_machine_arn: machine.clone(),
                max_results: 2,
                next_token: first.next_token,
                ..Default::default()
            })
            .await
            .expect("a page");
        assert!(next.executions.is_empty(), "{:?}", next.executions);
        assert_eq!(next.next_token, None);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_history_pages_of_a_dropped_execution_answer_does_not_exist() {
        let engine = engine(EngineLimits::default().retain_closed_executions(1));
        let machine = machine(&engine, "pass", passing()).await;
        let arn = run(&engine, &machine, "first").await;
        let page = engine
            .get_execution_history(GetExecutionHistoryInput {
                execution_arn: arn.clone(),
                max_results: 1,
                ..Default::default()
            })
            .await
            .expect("a page");
        run(&engine, &machine, "second").await;
        does_not_exist(
            engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: arn.clone(),
                    max_results: 1,
                    next_token: page.next_token,
                    ..Default::default()
                })
                .await,
        );
        does_not_exist(
            engine
                .stop_execution(StopExecutionInput {
                    execution_arn: arn,
                    ..Default::default()
                })
                .await,
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retention_drops_closed_task_slots_from_queues() {
        let engine = engine(EngineLimits::default().retain_closed_executions(1));
        let activity = engine
            .create_activity(CreateActivityInput {
                name: "nobody".into(),
                ..Default::default()
            })
            .await
            .expect("an activity")
            .activity_arn;
        let machine = machine(
            &engine,
            "task",
            json!({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": activity, "End": true}}}),
        )
        .await;
        // No worker: each task is queued, and its execution stopped.
        for index in 0..1_000 {
            let arn = start(&engine, &machine, &format!("t{index}")).await;
            tokio::task::yield_now().await;
            engine
                .stop_execution(StopExecutionInput {
                    execution_arn: arn,
                    ..Default::default()
                })
                .await
                .expect("stopped");
        }
        let queue = engine.shared.lock().activities[&activity].queue.len();
        assert!(queue <= 2 * COMPACT_MIN, "{queue} closed slots kept");
        assert_eq!(engine.execution_counts().closed, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_hostile_many_tiny_executions_stay_bounded() {
        let engine = engine(EngineLimits::default().retain_closed_executions(100));
        let machine = machine(&engine, "pass", passing()).await;
        let mut peak = 0;
        for batch in 0..100 {
            let mut arns = Vec::with_capacity(1000);
            for index in 0..1000 {
                arns.push(start(&engine, &machine, &format!("h{batch}-{index}")).await);
            }
            for arn in &arns {
                // Dropped before it could be waited on, or closed.
                let _ = engine.wait_for_execution(arn).await;
            }
            let counts = engine.execution_counts();
            peak = peak.max(counts.closed);
            assert!(counts.closed <= 100, "{counts:?}");
            assert!(counts.listed <= 100 + counts.running, "{counts:?}");
            assert!(engine.shared.lock().retention.len() <= 100);
        }
        let counts = engine.execution_counts();
        assert_eq!(
            (counts.running, counts.closed, counts.listed),
            (0, 100, 100)
        );
        assert_eq!(peak, 100);
        assert_eq!(listed(&engine, &machine).await.len(), 100);
    }

    #[tokio::test(start_paused = true)]
    async fn retention_ageing_is_done_in_batches() {
        let engine = engine(EngineLimits::default().retain_closed_for(Duration::from_secs(60)));
        let machine = machine(&engine, "pass", passing()).await;
        for index in 0..(PRUNE_BATCH + 10) {
            run(&engine, &machine, &format!("b{index}")).await;
        }
        tokio::time::sleep(Duration::from_secs(61)).await;
        let now = engine.clock().now();
        let dropped = {
            let mut registry = engine.shared.lock();
            prune(&mut registry, engine.limits(), now)
        };
        assert_eq!(dropped.len(), PRUNE_BATCH);
        // The ones left beyond the batch are answered as dropped, and go
        // with the next call.
        does_not_exist(
            describe(
                &engine,
                &format!("{machine}:b{}", PRUNE_BATCH + 5).replace(":stateMachine:", ":execution:"),
            )
            .await,
        );
        assert!(listed(&engine, &machine).await.is_empty());
        assert_eq!(engine.execution_counts().closed, 0);
    }
}
