//! Running one task: the activity in its own tokio task and tracing span,
//! heartbeats while it runs, then its report.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;
use tracing::Instrument;

use crate::activity::{
    ActivityContext, Cancellation, HeartbeatError, HeartbeatFuture, HeartbeatSender, TaskFailure,
};
use crate::api::{SendTaskHeartbeatInput, SfnError, token_label};

use super::report::{Outcome, report};
use super::stats::bump;
use super::{ServedActivity, Shared};

/// Starts a task received from `GetActivityTask` in a tokio task of its
/// own, which holds `permit` until the task is reported.
pub(super) fn spawn(
    shared: Arc<Shared>,
    activity: Arc<ServedActivity>,
    token: String,
    input: Option<String>,
    permit: OwnedSemaphorePermit,
) {
    shared.stats.start();
    let span = tracing::info_span!(
        "activity_task",
        activity = %activity.name,
        task = %token_label(&token),
        worker = %shared.name,
    );
    tokio::spawn(
        async move {
            let received = Instant::now();
            let heartbeats = Arc::new(TaskHeartbeats {
                shared: shared.clone(),
                gone: Cancellation::new(),
                last_accepted: Mutex::new(received),
            });
            let outcome = run(&shared, &activity, &token, input, &heartbeats).await;
            let expiry = || {
                let timeout = activity
                    .definition
                    .timeout_seconds
                    .map(|seconds| received + Duration::from_secs(seconds));
                let heartbeat = activity
                    .definition
                    .heartbeat_seconds
                    .map(|seconds| heartbeats.last_accepted() + Duration::from_secs(seconds));
                match (timeout, heartbeat) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            };
            report(&shared, &token, outcome, expiry).await;
            drop(permit);
        }
        .instrument(span),
    );
}

/// Runs the activity until it returns, the engine gives up on the task, or
/// the shutdown deadline passes; heartbeats meanwhile.
async fn run(
    shared: &Arc<Shared>,
    activity: &ServedActivity,
    token: &str,
    input: Option<String>,
    heartbeats: &Arc<TaskHeartbeats>,
) -> Outcome {
    if shared.interrupting.is_cancelled() {
        return Outcome::Interrupted;
    }
    let input = match read_input(input.as_deref()) {
        Ok(input) => input,
        Err(failure) => return Outcome::Finished(Err(failure)),
    };
    tracing::debug!("running the activity");
    let cancellation = Cancellation::new();
    let context = ActivityContext::new(token, heartbeats.clone(), cancellation.clone());
    let run = activity.definition.run;
    let task = match catch_unwind(AssertUnwindSafe(|| run(input, context.clone()))) {
        Ok(task) => crate::macro_support::run_task(task),
        Err(payload) => return Outcome::Finished(Err(TaskFailure::panicked(&*payload))),
    };
    let interval = heartbeat_interval(activity, shared.idle_heartbeat);
    let outcome = tokio::select! {
        biased;
        () = shared.interrupting.cancelled() => Outcome::Interrupted,
        () = heartbeats.gone.cancelled() => Outcome::Gone,
        result = task => Outcome::Finished(result),
        () = keep_alive(&context, interval) => Outcome::Gone,
    };
    // The activity's future is dropped by now; whatever it handed its
    // context to learns that the task is over.
    if !matches!(outcome, Outcome::Finished(_)) {
        cancellation.cancel();
    }
    outcome
}

/// The task input as JSON.
fn read_input(input: Option<&str>) -> Result<Value, TaskFailure> {
    let text = input.ok_or_else(|| {
        TaskFailure::invalid_input("the engine handed out the task without an input")
    })?;
    // Read within the nesting an engine lets task inputs have, not only the
    // shallower default of the JSON reader.
    sfini_core::limits::parse_json(text, sfini_core::limits::DEPTH_CEILING)
        .map_err(|error| TaskFailure::invalid_input(format!("the task input is not JSON: {error}")))
}

/// How often a running task heartbeats: twice per heartbeat timeout of its
/// activity, or every `idle` when it has none (so that a stopped execution
/// is noticed all the same).
fn heartbeat_interval(activity: &ServedActivity, idle: Duration) -> Duration {
    match activity.definition.heartbeat_seconds {
        Some(seconds) => Duration::from_millis(seconds.saturating_mul(500)).max(MIN_INTERVAL),
        None => idle.max(MIN_INTERVAL),
    }
}

/// The shortest time between two heartbeats of the worker.
const MIN_INTERVAL: Duration = Duration::from_millis(10);

/// Heartbeats every `interval`; returns once the engine has answered that
/// the task is over.
async fn keep_alive(context: &ActivityContext, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        match context.heartbeat().await {
            Ok(()) => {}
            Err(HeartbeatError::TaskTimedOut) => return,
            Err(error) => tracing::warn!(%error, "a heartbeat failed; the next one may succeed"),
        }
    }
}

/// The heartbeats of one task, through the API with retries. Learns when
/// the engine gives up on the task, whether the worker or the activity
/// sent the heartbeat.
struct TaskHeartbeats {
    shared: Arc<Shared>,
    /// Cancelled when a heartbeat was answered that the task is over.
    gone: Cancellation,
    last_accepted: Mutex<Instant>,
}

impl TaskHeartbeats {
    fn last_accepted(&self) -> Instant {
        // An `Instant` is replaced whole: a poisoned lock holds a valid one.
        *self
            .last_accepted
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl HeartbeatSender for TaskHeartbeats {
    fn send_heartbeat<'a>(&'a self, task_token: &'a str) -> HeartbeatFuture<'a> {
        Box::pin(async move {
            let stats = &self.shared.stats;
            let answer = self
                .shared
                .retry
                .run(|| {
                    let call = self.shared.api.send_task_heartbeat(SendTaskHeartbeatInput {
                        task_token: task_token.to_owned(),
                    });
                    Box::pin(async {
                        let answer = call.await;
                        if answer.as_ref().is_err_and(SfnError::is_retryable) {
                            bump(&stats.heartbeat_errors);
                        }
                        answer
                    })
                })
                .await;
            match answer {
                Ok(_) => {
                    bump(&stats.heartbeats);
                    *self
                        .last_accepted
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Instant::now();
                    Ok(())
                }
                Err(
                    SfnError::TaskTimedOut(_)
                    | SfnError::TaskDoesNotExist(_)
                    | SfnError::InvalidToken(_),
                ) => {
                    self.gone.cancel();
                    Err(HeartbeatError::TaskTimedOut)
                }
                Err(error) => {
                    if !error.is_retryable() {
                        bump(&stats.heartbeat_errors);
                    }
                    Err(HeartbeatError::Unsent(error.to_string()))
                }
            }
        })
    }
}
