//! Workers: programs that take activity tasks from Step Functions, run
//! them, and report their results, without ever losing one.
//!
//! A [`Worker`] serves any number of activities. For each it keeps
//! [`pollers`](WorkerBuilder::pollers) long polls (`GetActivityTask`)
//! waiting, and runs every task it receives in a tokio task of its own,
//! inside a tracing span (`activity_task`) naming the activity, the task
//! (a hash of its token, `#` and eight hexadecimal digits; never the token)
//! and the worker:
//!
//! - **Concurrency.** At most [`concurrency`](WorkerBuilder::concurrency)
//!   tasks run at once, all activities together. A poller takes its place
//!   before it polls, so a task is received only when it can start at once,
//!   never left waiting in the worker while its heartbeat timeout runs.
//! - **Heartbeats.** While a task runs, the worker heartbeats twice per
//!   heartbeat timeout of its activity, or every
//!   [`idle_heartbeat`](WorkerBuilder::idle_heartbeat) (60 s by default)
//!   when it has none. When a heartbeat (the worker's or the activity's own,
//!   through [`ActivityContext::heartbeat`]) is answered that the task is
//!   over (it timed out, or its execution was stopped), the context is
//!   cancelled, the activity's future dropped, and nothing is reported.
//! - **Reports.** `Ok(output)` becomes `SendTaskSuccess`; `Err(failure)`
//!   becomes `SendTaskFailure` with the failure's error and cause, cut to
//!   Step Functions' limits (256 characters of error name, 32,768 of cause).
//!   An output larger than 256 KiB of JSON fails the task with
//!   [`OUTPUT_ERROR`](crate::activity::OUTPUT_ERROR) (`sfini.InvalidOutput`),
//!   whose cause gives its size. A panic, in the activity's future or in its
//!   `run` function, fails the task with
//!   [`PANIC_ERROR`](crate::activity::PANIC_ERROR) (`sfini.ActivityPanicked`)
//!   and the worker goes on. A task input that is not JSON fails it with
//!   [`INVALID_INPUT_ERROR`](crate::activity::INVALID_INPUT_ERROR).
//! - **Retries.** Every call is retried on retryable errors
//!   ([`SfnError::is_retryable`](crate::api::SfnError::is_retryable)) with
//!   the worker's [`RetryPolicy`]. A report is retried beyond the policy's
//!   attempts for as long as the task may still accept it: until it is
//!   answered that the task is closed, or the activity's timeout (or its
//!   heartbeat timeout since the last accepted heartbeat) has certainly
//!   passed. A report refused for good is logged and counted
//!   ([`WorkerStats::report_failures`]). A poll that fails is made again
//!   after a pause that grows with each failure in a row.
//! - **Shutdown.** [`Worker::shutdown`] stops polling. Polls in flight are
//!   abandoned when the engine says dropping them loses no task
//!   ([`cancel_safe_polls`](crate::api::StepFunctions::cancel_safe_polls));
//!   otherwise they are awaited, and a task they bring is run and reported.
//!   Tasks in hand run to their end and are reported. With a
//!   [`shutdown_timeout`](WorkerBuilder::shutdown_timeout), tasks still
//!   running at the deadline are cancelled and reported as failed with
//!   [`INTERRUPTED_ERROR`](crate::activity::INTERRUPTED_ERROR)
//!   (`sfini.ActivityInterrupted`), as are tasks that awaited polls bring
//!   after it; a report still failing after the deadline is given the
//!   policy's attempts, no more. Dropping a `Worker` stops its polling too;
//!   the tasks it has in hand still run to their end in the background.
//!
//! ```
//! use std::sync::Arc;
//! use serde_json::{Value, json};
//! use sfini_runtime::activity::{ActivityContext, ActivityDefinition, ActivityFuture};
//! use sfini_runtime::local::LocalEngine;
//! use sfini_runtime::worker::WorkerBuilder;
//!
//! fn double(input: Value, _context: ActivityContext) -> ActivityFuture {
//!     Box::pin(async move { Ok(json!(input["n"].as_i64().unwrap_or(0) * 2)) })
//! }
//!
//! static DOUBLE: ActivityDefinition = ActivityDefinition {
//!     name: "double",
//!     id: "double",
//!     description: "Doubles `n`.",
//!     arguments: &[],
//!     takes_whole_input: true,
//!     errors: &[],
//!     heartbeat_seconds: None,
//!     timeout_seconds: None,
//!     run: double,
//! };
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = LocalEngine::new();
//! let worker = WorkerBuilder::new(Arc::new(engine.clone()))
//!     .definition(&DOUBLE)
//!     .name("doubler-1")
//!     .concurrency(4)
//!     .start()
//!     .await?;
//! // ... start executions whose tasks run `double` ...
//! let stats = worker.shutdown().await?;
//! assert_eq!(stats.received, 0);
//! # Ok(())
//! # }
//! ```
//!
//! [`ActivityContext::heartbeat`]: crate::activity::ActivityContext::heartbeat

mod builder;
mod error;
mod name;
mod poll;
mod report;
mod stats;
mod task;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use crate::activity::{ActivityDefinition, Cancellation};
use crate::api::StepFunctions;
use crate::retry::RetryPolicy;

pub use builder::{DEFAULT_CONCURRENCY, DEFAULT_IDLE_HEARTBEAT, MAX_CONCURRENCY, WorkerBuilder};
pub use error::WorkerError;
pub use name::{MAX_WORKER_NAME_LENGTH, default_worker_name};
pub use report::{MAX_CAUSE_LENGTH, MAX_ERROR_LENGTH, MAX_OUTPUT_BYTES};
pub use stats::WorkerStats;

/// A running worker; from [`WorkerBuilder::start`]. See the
/// [module documentation](self) for what it does.
pub struct Worker {
    shared: Arc<Shared>,
    activities: Vec<Arc<ServedActivity>>,
    pollers: Vec<JoinHandle<()>>,
    shutdown_timeout: Option<Duration>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("name", &self.shared.name)
            .field("activities", &self.activity_arns().collect::<Vec<_>>())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// What the parts of a worker share.
struct Shared {
    api: Arc<dyn StepFunctions>,
    name: String,
    retry: RetryPolicy,
    idle_heartbeat: Duration,
    /// One permit per task that may run at once; pollers take theirs before
    /// they poll, and the task keeps it until it is reported.
    permits: Arc<Semaphore>,
    concurrency: u32,
    /// Cancelled when the worker stops polling.
    stopping: Cancellation,
    /// Cancelled when the shutdown deadline has passed.
    interrupting: Cancellation,
    stats: stats::Counters,
}

/// An activity a worker serves.
struct ServedActivity {
    /// Its name with the prefix.
    name: String,
    arn: String,
    definition: &'static ActivityDefinition,
}

impl Worker {
    /// The worker's name, as `ActivityStarted` events show it.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// The activities served, each as its (prefixed) name and its ARN.
    pub fn activity_arns(&self) -> impl Iterator<Item = (&str, &str)> {
        self.activities
            .iter()
            .map(|activity| (activity.name.as_str(), activity.arn.as_str()))
    }

    /// What the worker has done so far.
    pub fn stats(&self) -> WorkerStats {
        self.shared.stats.snapshot()
    }

    /// Stops gracefully (see the [module documentation](self)): returns
    /// once every task received has been reported, with the final counts.
    ///
    /// Fails only if a poll loop panicked, which is a bug; the tasks it
    /// had started are still run and reported first.
    pub async fn shutdown(mut self) -> Result<WorkerStats, WorkerError> {
        let shared = self.shared.clone();
        tracing::info!(worker = %shared.name, "worker shutting down");
        shared.stopping.cancel();
        let pollers = std::mem::take(&mut self.pollers);
        let finished = {
            let shared = shared.clone();
            async move {
                let mut panicked = None;
                for poller in pollers {
                    if let Err(error) = poller.await {
                        panicked = Some(error.to_string());
                    }
                }
                // Every task holds a permit until it is reported.
                let all = shared.permits.acquire_many(shared.concurrency).await;
                drop(all);
                panicked
            }
        };
        tokio::pin!(finished);
        let panicked = match self.shutdown_timeout {
            None => finished.await,
            Some(timeout) => {
                tokio::select! {
                    panicked = &mut finished => panicked,
                    () = tokio::time::sleep(timeout) => {
                        tracing::warn!(
                            worker = %shared.name,
                            running = shared.stats.snapshot().running,
                            "the shutdown deadline has passed; interrupting the tasks still running"
                        );
                        shared.interrupting.cancel();
                        finished.await
                    }
                }
            }
        };
        let stats = shared.stats.snapshot();
        tracing::info!(worker = %shared.name, ?stats, "worker stopped");
        match panicked {
            Some(error) => Err(WorkerError::PollerPanicked(error)),
            None => Ok(stats),
        }
    }

    /// Runs until the process receives Ctrl-C (`SIGINT`) or, on Unix,
    /// `SIGTERM` (what container runtimes and service managers send to
    /// stop a program), then shuts down gracefully; gives the final counts.
    /// The tokio runtime needs its I/O driver (`#[tokio::main]` and
    /// `Builder::enable_all` have it).
    pub async fn run_until_ctrl_c(self) -> Result<WorkerStats, WorkerError> {
        let signal = stop_signal().await;
        tracing::info!(worker = %self.shared.name, "stop signal received");
        let stats = self.shutdown().await?;
        signal.map_err(WorkerError::Signal)?;
        Ok(stats)
    }
}

/// Resolves on Ctrl-C, or on `SIGTERM` on Unix.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shared.stopping.cancel();
    }
}
