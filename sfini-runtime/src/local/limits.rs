//! The bounds the local engine holds every execution to.

use std::time::Duration;

use sfini_core::budget::{EvaluationLimits, MAX_EVALUATION_STEPS};
use sfini_core::limits::{DEPTH_CEILING, MAX_DEPTH, MAX_PAYLOAD_BYTES};

use super::retention::{RETAIN_CLOSED_EXECUTIONS, RETAIN_CLOSED_FOR};

/// The most events an execution's history holds, as on AWS: the event that
/// would pass it fails the execution with `States.Runtime`.
pub const MAX_HISTORY_EVENTS: u32 = 25_000;

/// The most memory one execution's data may take, by default (512 MiB).
pub const MAX_EXECUTION_MEMORY: usize = 512 * 1024 * 1024;

/// The bounds the local engine holds every execution to.
///
/// Two are AWS's quotas, enforced as AWS enforces them:
///
/// - **history events** (25,000): the event that would pass the limit is
///   replaced by `ExecutionFailed` with `States.Runtime` and the cause
///   `The execution reached the maximum number of history events (25000).`
///   Each item of a Distributed Map counts its own events, as the child
///   execution it is on AWS, and fails at the same limit.
/// - **payload bytes** (256 KiB, as compact JSON text): an execution input
///   or a `SendTaskSuccess` output over it is refused by the call
///   (`InvalidExecutionInput`, `InvalidOutput`); a task result over it fails
///   the task with `States.DataLimitExceeded`, which a retrier or catcher
///   naming that error handles (`States.ALL` does not match it); a state's
///   input after Parameters or ItemSelector, or its output, over it fails
///   the execution with `States.DataLimitExceeded`, which nothing catches.
///
/// The others are sfini's own, where AWS's are not documented or where the
/// engine shares a process that must not go down with one execution:
///
/// - **nesting depth** (256 levels of arrays and objects; at most
///   [`DEPTH_CEILING`]): JSON text deeper is refused where it comes in, as
///   if it were over the payload limit, and data built deeper fails as data
///   over the payload limit does. Every walk over JSON in the engine
///   recurses at most this deep.
/// - **evaluation steps** (2^24): one evaluation of a state's paths, payload
///   templates and intrinsic functions that visits more nodes fails the
///   state with `States.Runtime`; one that builds more than eight payloads'
///   worth of data on the way fails with `States.DataLimitExceeded`.
/// - **execution memory** (512 MiB): the data an execution has made (its
///   states' inputs, results and outputs, which its history keeps) is
///   counted as it is made; past the bound the execution fails with
///   `States.Runtime`.
///
/// And how long the engine keeps executions once they have closed
/// ([`retain_closed_for`](Self::retain_closed_for),
/// [`retain_closed_executions`](Self::retain_closed_executions)): AWS's
/// 90 days, and at most [`RETAIN_CLOSED_EXECUTIONS`] closed executions, the
/// oldest closed dropped first; running executions are always kept.
///
/// Raise them for tests that need more:
///
/// ```
/// use sfini_runtime::local::{EngineLimits, LocalEngine};
///
/// let engine = LocalEngine::builder()
///     .limits(EngineLimits::default().history_events(500_000))
///     .build();
/// # let _ = engine;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineLimits {
    history_events: u32,
    payload_bytes: usize,
    depth: usize,
    evaluation_steps: u64,
    execution_memory: usize,
    closed_executions: usize,
    closed_for: Duration,
}

impl Default for EngineLimits {
    fn default() -> Self {
        EngineLimits {
            history_events: MAX_HISTORY_EVENTS,
            payload_bytes: MAX_PAYLOAD_BYTES,
            depth: MAX_DEPTH,
            evaluation_steps: MAX_EVALUATION_STEPS,
            execution_memory: MAX_EXECUTION_MEMORY,
            closed_executions: RETAIN_CLOSED_EXECUTIONS,
            closed_for: RETAIN_CLOSED_FOR,
        }
    }
}

impl EngineLimits {
    /// The most events a history holds, its closing event included (at
    /// least 2: the start and the end).
    #[must_use]
    pub fn history_events(mut self, events: u32) -> Self {
        self.history_events = events.max(2);
        self
    }

    /// The largest payload, in bytes of compact JSON text.
    #[must_use]
    pub fn payload_bytes(mut self, bytes: usize) -> Self {
        self.payload_bytes = bytes;
        self
    }

    /// How many levels of arrays and objects data may nest (capped at
    /// [`DEPTH_CEILING`]).
    #[must_use]
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth.min(DEPTH_CEILING);
        self
    }

    /// How many steps one evaluation of a state's paths, templates and
    /// functions may take.
    #[must_use]
    pub fn evaluation_steps(mut self, steps: u64) -> Self {
        self.evaluation_steps = steps;
        self
    }

    /// How much memory, in bytes, the data of one execution may take.
    #[must_use]
    pub fn execution_memory(mut self, bytes: usize) -> Self {
        self.execution_memory = bytes;
        self
    }

    /// How many closed executions the engine keeps (default
    /// [`RETAIN_CLOSED_EXECUTIONS`]): past it, the oldest closed are
    /// dropped, and answered `ExecutionDoesNotExist` as AWS answers an
    /// expired one. Running executions are always kept.
    #[must_use]
    pub fn retain_closed_executions(mut self, executions: usize) -> Self {
        self.closed_executions = executions;
        self
    }

    /// How long the engine keeps an execution once it has closed, on its
    /// clock (default [`RETAIN_CLOSED_FOR`], AWS's 90 days).
    #[must_use]
    pub fn retain_closed_for(mut self, age: Duration) -> Self {
        self.closed_for = age;
        self
    }

    /// How many closed executions the engine keeps.
    pub fn retained_closed_executions(&self) -> usize {
        self.closed_executions
    }

    /// How long the engine keeps a closed execution.
    pub fn retained_closed_for(&self) -> Duration {
        self.closed_for
    }

    /// The history event bound.
    pub fn max_history_events(&self) -> u32 {
        self.history_events
    }

    /// The payload bound, in bytes.
    pub fn max_payload_bytes(&self) -> usize {
        self.payload_bytes
    }

    /// The nesting bound.
    pub fn max_depth(&self) -> usize {
        self.depth
    }

    /// The step bound of one evaluation.
    pub fn max_evaluation_steps(&self) -> u64 {
        self.evaluation_steps
    }

    /// The memory bound of one execution, in bytes.
    pub fn max_execution_memory(&self) -> usize {
        self.execution_memory
    }

    /// The bounds of one evaluation of a state's paths and templates.
    pub fn evaluation(&self) -> EvaluationLimits {
        EvaluationLimits::default()
            .steps(self.evaluation_steps)
            .bytes(self.payload_bytes.saturating_mul(8))
            .depth(self.depth)
    }
}
