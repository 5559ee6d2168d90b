//! Tasks that wait for an answer from outside the engine (activity tasks,
//! `.waitForTaskToken` callbacks): their tokens, their state, and how they
//! are answered.
//!
//! A task token is the task's number and a tag of that number made with the
//! engine's random [`Key`], each as 16 hexadecimal digits. The engine checks
//! a token without looking it up: one that is malformed, made up or altered,
//! or issued by another engine is refused with `InvalidToken`, as AWS
//! refuses a token it did not issue; one it issued whose task has been
//! answered, timed out or closed with its execution gets `TaskTimedOut`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rustc_hash::FxHashMap;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::api::{SfnError, token_label};

use super::execution::{Execution, Failure};
use super::mac::Key;

/// How a task ended.
#[derive(Debug)]
pub enum Outcome {
    /// `SendTaskSuccess` with this output.
    Success(Value),
    /// `SendTaskFailure`, or a timeout.
    Failure(Arc<Failure>),
}

/// A task waiting for its answer.
#[derive(Debug)]
pub struct TaskSlot {
    /// The task token.
    pub token: String,
    /// The execution it belongs to.
    pub execution: Arc<Execution>,
    /// The Task state's id.
    pub state: u32,
    /// True when the task belongs to a Distributed Map's item, whose
    /// events are not recorded in the execution's history.
    pub hidden: bool,
    /// The task's input.
    pub input: Arc<Value>,
    /// What changes while it waits.
    pub inner: Mutex<SlotState>,
}

/// The changing part of a [`TaskSlot`].
#[derive(Debug)]
pub struct SlotState {
    /// Where the answer goes; `None` once answered, timed out or cancelled.
    pub sender: Option<oneshot::Sender<Outcome>>,
    /// The id of the last event of the task's thread.
    pub previous: u32,
    /// When the task times out for want of a heartbeat.
    pub heartbeat_deadline: Option<Instant>,
    /// The longest time between heartbeats.
    pub heartbeat: Option<Duration>,
}

impl TaskSlot {
    /// Locks the slot's state (every change to it is a single assignment,
    /// so a poisoned lock still holds a consistent state).
    pub fn lock(&self) -> MutexGuard<'_, SlotState> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// True while the task can still be answered.
    pub fn is_open(&self) -> bool {
        self.lock().sender.is_some()
    }
}

/// Every open task, by its number (the start of its token).
#[derive(Debug, Default)]
pub struct Tasks {
    open: Mutex<OpenTasks>,
    issued: AtomicU64,
    /// What tokens are tagged with.
    key: Key,
}

/// The open tasks, by number and by execution, so that closing an
/// execution touches its own tasks only. By number in order, so that the
/// list of waiting tasks pages from a number without reading the tasks
/// before it.
#[derive(Debug, Default)]
struct OpenTasks {
    by_number: BTreeMap<u64, Arc<TaskSlot>>,
    by_execution: FxHashMap<u64, Vec<u64>>,
}

impl OpenTasks {
    fn remove(&mut self, id: u64) -> Option<Arc<TaskSlot>> {
        let slot = self.by_number.remove(&id)?;
        let execution = slot.execution.number;
        if let Some(ids) = self.by_execution.get_mut(&execution) {
            if let Some(at) = ids.iter().position(|open| *open == id) {
                ids.swap_remove(at);
            }
            if ids.is_empty() {
                self.by_execution.remove(&execution);
            }
        }
        Some(slot)
    }
}

/// The length of a task token: two 64-bit numbers in hexadecimal.
const TOKEN_LENGTH: usize = 32;
/// What the tags of task tokens are made for.
const TAG_DOMAIN: &str = "task token";

impl Tasks {
    fn lock(&self) -> MutexGuard<'_, OpenTasks> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new task number and its token: the number, then its tag.
    pub fn new_token(&self) -> (u64, String) {
        let id = self.issued.fetch_add(1, Ordering::Relaxed);
        (id, format!("{id:016x}{:016x}", self.tag(id)))
    }

    /// The tag of task number `id`.
    fn tag(&self, id: u64) -> u64 {
        self.key.tag(TAG_DOMAIN, &[&id.to_be_bytes()])
    }

    /// The task number of a token this engine issued.
    fn check(&self, token: &str) -> Result<u64, SfnError> {
        let Some((id, tag)) = split_token(token) else {
            return Err(SfnError::InvalidToken(format!(
                "`{}` is not a task token of this engine: a token is {TOKEN_LENGTH} lower-case \
                 hexadecimal digits, as GetActivityTask or `$$.Task.Token` gives it",
                token_label(token)
            )));
        };
        if tag != self.tag(id) {
            return Err(SfnError::InvalidToken(format!(
                "the task token `{}` was not issued by this engine: it was altered, or issued \
                 by another engine or by this one before it restarted",
                token_label(token)
            )));
        }
        Ok(id)
    }

    /// Makes a task answerable by its token.
    pub fn open(&self, slot: Arc<TaskSlot>) {
        // The engine's own tokens always split.
        if let Some((id, _)) = split_token(&slot.token) {
            let mut open = self.lock();
            open.by_execution
                .entry(slot.execution.number)
                .or_default()
                .push(id);
            open.by_number.insert(id, slot);
        }
    }

    /// Closes a task: it can no longer be answered.
    pub fn close(&self, slot: &TaskSlot) {
        slot.lock().sender = None;
        if let Some((id, _)) = split_token(&slot.token) {
            self.lock().remove(id);
        }
    }

    /// Closes every open task of an execution.
    pub fn close_execution(&self, execution: &Execution) {
        let mut open = self.lock();
        let ids = open
            .by_execution
            .remove(&execution.number)
            .unwrap_or_default();
        for id in ids {
            if let Some(slot) = open.by_number.remove(&id) {
                slot.lock().sender = None;
            }
        }
    }

    /// The open task with this token.
    pub fn find(&self, token: &str) -> Result<Arc<TaskSlot>, SfnError> {
        let id = self.check(token)?;
        if let Some(slot) = self.lock().by_number.get(&id) {
            return Ok(slot.clone());
        }
        Err(SfnError::TaskTimedOut(format!(
            "the task of token `{}` has timed out or was closed",
            token_label(token)
        )))
    }

    /// Answers a task: it closes and its execution goes on.
    pub fn answer(&self, token: &str, outcome: Outcome) -> Result<(), SfnError> {
        let slot = self.find(token)?;
        let sender = slot.lock().sender.take();
        self.close(&slot);
        match sender.map(|sender| sender.send(outcome)) {
            Some(Ok(())) => Ok(()),
            _ => Err(SfnError::TaskTimedOut(format!(
                "the task of token `{}` has timed out or was closed",
                token_label(token)
            ))),
        }
    }

    /// The task number of a token this engine issued, whether its task is
    /// open or not; `InvalidToken` for any other text.
    pub fn number(&self, token: &str) -> Result<u64, SfnError> {
        self.check(token)
    }

    /// Up to `count` open tasks numbered after `after` (from the first
    /// when `None`), in the order they were issued; only those of the
    /// execution numbered `execution` when one is given. Reads the tasks
    /// it gives and no others, however many are open.
    pub fn open_after(
        &self,
        after: Option<u64>,
        execution: Option<u64>,
        count: usize,
    ) -> Vec<Arc<TaskSlot>> {
        let open = self.lock();
        let start = match after {
            Some(after) => std::ops::Bound::Excluded(after),
            None => std::ops::Bound::Unbounded,
        };
        let Some(execution) = execution else {
            return open
                .by_number
                .range((start, std::ops::Bound::Unbounded))
                .map(|(_, slot)| slot)
                .filter(|slot| slot.is_open())
                .take(count)
                .cloned()
                .collect();
        };
        // An execution's own tasks: few, kept unordered.
        let mut ids: Vec<u64> = open
            .by_execution
            .get(&execution)
            .map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|id| after.is_none_or(|after| *id > after))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort_unstable();
        ids.iter()
            .filter_map(|id| open.by_number.get(id))
            .filter(|slot| slot.is_open())
            .take(count)
            .cloned()
            .collect()
    }

    /// Records a heartbeat: the task's heartbeat timeout starts again.
    pub fn heartbeat(&self, token: &str) -> Result<(), SfnError> {
        let slot = self.find(token)?;
        let mut state = slot.lock();
        if let Some(heartbeat) = state.heartbeat {
            state.heartbeat_deadline = Some(Instant::now() + heartbeat);
        }
        Ok(())
    }
}

/// A token's task number and tag, if it is shaped as the engine writes
/// tokens (lower-case digits only, so that a token has one spelling).
fn split_token(token: &str) -> Option<(u64, u64)> {
    let digit = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if token.len() != TOKEN_LENGTH || !token.bytes().all(digit) {
        return None;
    }
    let (id, tag) = token.split_at(TOKEN_LENGTH / 2);
    Some((
        u64::from_str_radix(id, 16).ok()?,
        u64::from_str_radix(tag, 16).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        let tasks = Tasks::default();
        let (id, token) = tasks.new_token();
        assert_eq!(id, 0);
        assert_eq!(tasks.check(&token).unwrap(), 0);
        let malformed = tasks.find("nope").unwrap_err();
        assert_eq!(malformed.code(), "InvalidToken");
        assert!(
            malformed
                .message()
                .contains("is not a task token of this engine"),
            "{malformed}"
        );
        // Issued but not open (here: never opened; else answered, timed
        // out or closed).
        assert_eq!(tasks.find(&token).unwrap_err().code(), "TaskTimedOut");
        // Well-formed, with a number issued, but a tag of its own making:
        // not issued by this engine.
        let forged = format!("{}{}", &token[..16], "0123456789abcdef");
        assert_ne!(forged, token);
        let refused = tasks.find(&forged).unwrap_err();
        assert_eq!(refused.code(), "InvalidToken");
        assert!(
            refused.message().contains("was not issued by this engine"),
            "{refused}"
        );
        // Nor a number not issued yet, nor another engine's token.
        let never = format!("{:016x}{:016x}", 99, 1);
        assert_eq!(tasks.find(&never).unwrap_err().code(), "InvalidToken");
        let (_, elsewhere) = Tasks::default().new_token();
        assert_eq!(tasks.find(&elsewhere).unwrap_err().code(), "InvalidToken");
        // A token has one spelling (a tag may have no letter to change).
        let upper = token.to_uppercase();
        if upper != token {
            assert_eq!(tasks.find(&upper).unwrap_err().code(), "InvalidToken");
        }
        // Tokens of consecutive tasks share their first 16 digits; their
        // labels differ all the same.
        let (_, next) = tasks.new_token();
        assert_eq!(token[..8], next[..8]);
        let (label, next_label) = (token_label(&token), token_label(&next));
        assert_eq!(label.len(), 9);
        assert!(label.starts_with('#'), "{label}");
        assert_ne!(label, next_label);
        assert_eq!(token_label("nope"), "nope");
    }
}
