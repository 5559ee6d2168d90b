//! Reporting a task's result: `SendTaskSuccess` or `SendTaskFailure`
//! within AWS's limits, retried while the task may still accept it.

use std::sync::Arc;

use serde_json::Value;
use tokio::time::Instant;

use crate::activity::{INTERRUPTED_ERROR, OUTPUT_ERROR, PANIC_ERROR, TaskFailure};
use crate::api::{SendTaskFailureInput, SendTaskSuccessInput, SfnError};

use super::Shared;

/// The longest error name `SendTaskFailure` accepts, in characters.
pub const MAX_ERROR_LENGTH: usize = 256;
/// The longest cause `SendTaskFailure` accepts, in characters.
pub const MAX_CAUSE_LENGTH: usize = 32_768;
/// The largest output `SendTaskSuccess` accepts, in bytes (256 KiB).
pub const MAX_OUTPUT_BYTES: usize = 262_144;

/// What became of a task once its activity stopped running.
#[derive(Debug)]
pub(super) enum Outcome {
    /// The activity returned (or panicked, as a failure named
    /// [`PANIC_ERROR`]).
    Finished(Result<Value, TaskFailure>),
    /// The shutdown deadline passed first.
    Interrupted,
    /// The engine gave up on the task (a heartbeat said so).
    Gone,
}

/// The report to send.
enum Report {
    Success(String),
    Failure(TaskFailure),
}

/// Sends the report of a task and counts how it ended. `expiry` is when the
/// task has certainly timed out, if that is known.
pub(super) async fn report(
    shared: &Arc<Shared>,
    token: &str,
    outcome: Outcome,
    expiry: impl Fn() -> Option<Instant>,
) {
    let stats = &shared.stats;
    let (report, counter) = match outcome {
        Outcome::Gone => {
            tracing::info!("the engine gave up on the task; it was cancelled, nothing is reported");
            stats.finish(&stats.cancelled);
            return;
        }
        Outcome::Interrupted => (
            Report::Failure(TaskFailure::interrupted()),
            &stats.interrupted,
        ),
        Outcome::Finished(Ok(output)) => match success(&output) {
            Ok(text) => (Report::Success(text), &stats.succeeded),
            Err(failure) => (Report::Failure(failure), &stats.failed),
        },
        Outcome::Finished(Err(failure)) => {
            let counter = match failure.error.as_str() {
                PANIC_ERROR => &stats.panicked,
                INTERRUPTED_ERROR => &stats.interrupted,
                _ => &stats.failed,
            };
            (Report::Failure(within_limits(failure)), counter)
        }
    };
    if let Report::Failure(failure) = &report {
        tracing::info!(error = %failure.error, "the task failed");
    }
    let mut retry = 0;
    let mut answer_lost = false;
    let mut attempts_past_deadline = 0;
    loop {
        let answer = match &report {
            Report::Success(output) => shared
                .api
                .send_task_success(SendTaskSuccessInput {
                    task_token: token.to_owned(),
                    output: output.clone(),
                })
                .await
                .map(drop),
            Report::Failure(failure) => shared
                .api
                .send_task_failure(SendTaskFailureInput {
                    task_token: token.to_owned(),
                    error: Some(failure.error.clone()),
                    cause: Some(failure.cause.clone()),
                })
                .await
                .map(drop),
        };
        let error = match answer {
            Ok(()) => {
                tracing::debug!("the task's result was reported");
                stats.finish(counter);
                return;
            }
            Err(error) => error,
        };
        if !error.is_retryable() {
            let closed = matches!(
                error,
                SfnError::TaskTimedOut(_) | SfnError::TaskDoesNotExist(_)
            );
            if closed && answer_lost {
                tracing::info!(
                    %error,
                    "an earlier report got no answer and the task is now closed: it was most likely accepted"
                );
                stats.finish(&stats.unconfirmed);
            } else {
                tracing::warn!(%error, "the task's result was refused");
                stats.finish(&stats.report_failures);
            }
            return;
        }
        answer_lost |= matches!(error, SfnError::Transport(_));
        if expiry().is_some_and(|expiry| Instant::now() >= expiry) {
            tracing::warn!(%error, "the task has timed out while its report was retried; giving up");
            stats.finish(&stats.report_failures);
            return;
        }
        if shared.interrupting.is_cancelled() {
            attempts_past_deadline += 1;
            if attempts_past_deadline >= shared.retry.max_attempts() {
                tracing::warn!(%error, "the shutdown deadline has passed and the report still fails; giving up");
                stats.finish(&stats.report_failures);
                return;
            }
        }
        super::stats::bump(&stats.report_retries);
        let delay = shared.retry.delay(retry);
        tracing::debug!(%error, ?delay, "retrying the task's report");
        tokio::time::sleep(delay).await;
        retry = retry.saturating_add(1);
    }
}

/// The output as JSON text, or the failure to report instead when it is
/// larger than Step Functions accepts.
fn success(output: &Value) -> Result<String, TaskFailure> {
    let text = output.to_string();
    if text.len() > MAX_OUTPUT_BYTES {
        return Err(TaskFailure::new(
            OUTPUT_ERROR,
            format!(
                "the activity's output is {} bytes of JSON; Step Functions accepts at most \
                 {MAX_OUTPUT_BYTES} (256 KiB): return a reference to the data (an S3 key, say) \
                 instead of the data",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// The failure with its error name and cause cut to what `SendTaskFailure`
/// accepts (a cut cause ends with `…`).
fn within_limits(failure: TaskFailure) -> TaskFailure {
    TaskFailure {
        error: cut(failure.error, MAX_ERROR_LENGTH),
        cause: cut(failure.cause, MAX_CAUSE_LENGTH),
    }
}

fn cut(text: String, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text,
        Some(_) => {
            let mut cut: String = text.chars().take(limit - 1).collect();
            cut.push('…');
            cut
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_cut_to_the_limits() {
        let failure = within_limits(TaskFailure::new("E".repeat(300), "é".repeat(40_000)));
        assert_eq!(failure.error.chars().count(), MAX_ERROR_LENGTH);
        assert!(failure.error.ends_with('…'));
        assert_eq!(failure.cause.chars().count(), MAX_CAUSE_LENGTH);
        let kept = within_limits(TaskFailure::new("E".repeat(256), "short"));
        assert_eq!(kept, TaskFailure::new("E".repeat(256), "short"));
    }

    #[test]
    fn an_output_too_large_becomes_a_failure() {
        let large = Value::String("x".repeat(MAX_OUTPUT_BYTES));
        let failure = success(&large).unwrap_err();
        assert_eq!(failure.error, OUTPUT_ERROR);
        assert!(failure.cause.contains("262146 bytes"), "{}", failure.cause);
        assert_eq!(success(&serde_json::json!({"a": 1})).unwrap(), r#"{"a":1}"#);
    }
}
