//! [`WorkerStats`]: what a worker has done so far, and the counters behind
//! it.

use std::sync::atomic::{AtomicU64, Ordering};

/// What a worker has done so far.
///
/// Every task the worker received ends in exactly one of `succeeded`,
/// `failed`, `panicked`, `interrupted`, `cancelled`, `unconfirmed` and
/// `report_failures`, and is counted in `running` until then: once
/// [`Worker::shutdown`](super::Worker::shutdown) has returned,
/// `received` is the sum of those seven (see [`finished`](Self::finished)).
/// Read while the worker runs, the counters are each up to date but not
/// taken at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// Tasks received from `GetActivityTask`.
    pub received: u64,
    /// Tasks received and not finished yet: running, or being reported.
    pub running: u64,
    /// Tasks reported with `SendTaskSuccess`, accepted.
    pub succeeded: u64,
    /// Tasks reported with `SendTaskFailure`, accepted: the activity
    /// returned an error, its input or output was invalid.
    pub failed: u64,
    /// Tasks whose activity panicked, reported with `SendTaskFailure`
    /// ([`PANIC_ERROR`](crate::activity::PANIC_ERROR)), accepted.
    pub panicked: u64,
    /// Tasks still running when the shutdown deadline passed, reported with
    /// `SendTaskFailure` ([`INTERRUPTED_ERROR`](crate::activity::INTERRUPTED_ERROR)),
    /// accepted.
    pub interrupted: u64,
    /// Tasks the engine gave up on while they ran (a heartbeat was answered
    /// `TaskTimedOut`: the task timed out or its execution stopped): the
    /// activity was cancelled and nothing was reported.
    pub cancelled: u64,
    /// Tasks whose report got no answer (a transport error) and whose next
    /// attempt was answered that the task is closed: most likely the first
    /// attempt was accepted, but the task may also have timed out meanwhile.
    pub unconfirmed: u64,
    /// Tasks whose report was refused (an error that is not retryable), or
    /// retried in vain until the task had certainly timed out, or past the
    /// shutdown deadline.
    pub report_failures: u64,
    /// Reports made again after a retryable error.
    pub report_retries: u64,
    /// `GetActivityTask` calls that failed (each is followed by a backoff
    /// and a new poll).
    pub poll_errors: u64,
    /// Heartbeats the engine accepted.
    pub heartbeats: u64,
    /// Heartbeats that could not be delivered, retries included.
    pub heartbeat_errors: u64,
}

impl WorkerStats {
    /// Tasks that have ended one way or another: the sum of `succeeded`,
    /// `failed`, `panicked`, `interrupted`, `cancelled`, `unconfirmed` and
    /// `report_failures`.
    pub fn finished(&self) -> u64 {
        self.succeeded
            + self.failed
            + self.panicked
            + self.interrupted
            + self.cancelled
            + self.unconfirmed
            + self.report_failures
    }
}

/// The live counters behind [`WorkerStats`].
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub received: AtomicU64,
    pub running: AtomicU64,
    pub succeeded: AtomicU64,
    pub failed: AtomicU64,
    pub panicked: AtomicU64,
    pub interrupted: AtomicU64,
    pub cancelled: AtomicU64,
    pub unconfirmed: AtomicU64,
    pub report_failures: AtomicU64,
    pub report_retries: AtomicU64,
    pub poll_errors: AtomicU64,
    pub heartbeats: AtomicU64,
    pub heartbeat_errors: AtomicU64,
}

/// Adds one to a counter.
pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    /// The counters as they are now.
    pub fn snapshot(&self) -> WorkerStats {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        WorkerStats {
            received: read(&self.received),
            running: read(&self.running),
            succeeded: read(&self.succeeded),
            failed: read(&self.failed),
            panicked: read(&self.panicked),
            interrupted: read(&self.interrupted),
            cancelled: read(&self.cancelled),
            unconfirmed: read(&self.unconfirmed),
            report_failures: read(&self.report_failures),
            report_retries: read(&self.report_retries),
            poll_errors: read(&self.poll_errors),
            heartbeats: read(&self.heartbeats),
            heartbeat_errors: read(&self.heartbeat_errors),
        }
    }

    /// A task was received: it runs until [`finish`](Self::finish).
    pub fn start(&self) {
        bump(&self.received);
        bump(&self.running);
    }

    /// A task has ended; `outcome` is the counter of how.
    pub fn finish(&self, outcome: &AtomicU64) {
        // Counted before `running` goes down, so that `received` never
        // exceeds `running` plus the finished tasks.
        bump(outcome);
        self.running.fetch_sub(1, Ordering::Relaxed);
    }
}
