//! `RedriveExecution` on the local engine.
//!
//! A failed, timed-out or aborted Standard execution may be redriven
//! within 14 days of its stop: it runs again in the same execution, its
//! history going on with an `ExecutionRedriven` event, from the top-level
//! state that did not succeed, entered again with the input it was entered
//! with and the variables it saw. The engine keeps that state, its input
//! and variables as the execution enters each top-level state
//! ([`Resume`]).
//!
//! Not redriven: an execution that failed before entering a state, one
//! whose history has no room left, one run past its year, one whose
//! machine is being deleted, and, for now, one whose unsuccessful state is
//! a Parallel or Map state (AWS reruns only the failed branches and
//! iterations of those, which the engine does not do yet).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;

use super::LocalEngine;
use super::compile::Kind;
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

/// Where a redrive resumes: the last top-level state entered.
#[derive(Clone, Debug)]
pub struct Resume {
    /// The state's index in the machine's top-level scope.
    pub index: usize,
    /// Its raw input.
    pub input: Arc<Value>,
    /// The variables it saw.
    pub variables: ScopeVariables,
}

/// An execution's redrives.
#[derive(Clone, Debug, Default)]
pub struct Redrives {
    /// How many times it has been redriven.
    pub count: u32,
    /// When it was last redriven.
    pub date: Option<OffsetDateTime>,
    /// Where a redrive would resume.
    pub resume: Option<Resume>,
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
    let Some(resume) = resume_point(execution, record) else {
        return Some("Execution failed before entering a state and cannot be redriven".to_owned());
    };
    match execution
        .machine
        .top
        .states
        .get(resume.index)
        .map(|state| &state.kind)
    {
        Some(Kind::Parallel(_) | Kind::Map(_)) => Some(
            "Execution stopped in a Parallel or Map state, which the local engine does not redrive \
             yet"
                .to_owned(),
        ),
        Some(_) => None,
        None => Some("Execution cannot be redriven".to_owned()),
    }
}

/// Where a redrive of `execution` resumes: the last top-level state it
/// entered; its first state, with its input, when it was stopped or timed
/// out before entering one. `None` when it failed before entering one.
fn resume_point(execution: &Execution, record: &Record) -> Option<Resume> {
    match &record.redrives.resume {
        Some(resume) => Some(resume.clone()),
        None if matches!(
            record.status,
            ExecutionStatus::Aborted | ExecutionStatus::TimedOut
        ) =>
        {
            Some(Resume {
                index: execution.machine.top.start,
                input: execution.input.clone(),
                variables: ScopeVariables::default(),
            })
        }
        None => None,
    }
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
        let handle = tokio::spawn(run::resume(
            run,
            resume.index,
            resume.input,
            resume.variables,
            last,
            count,
        ));
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
