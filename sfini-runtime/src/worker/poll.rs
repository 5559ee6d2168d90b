//! The long-poll loop: one per activity and poller.

use std::sync::Arc;

use crate::api::{GetActivityTaskInput, GetActivityTaskOutput};

use super::stats::bump;
use super::{ServedActivity, Shared, task};

/// Polls for tasks of `activity` until the worker stops: takes a permit of
/// the worker's concurrency first, so that a task it receives starts at
/// once; starts each task it receives; backs off after a failed poll.
pub(super) async fn poll_loop(shared: Arc<Shared>, activity: Arc<ServedActivity>) {
    let cancel_safe = shared.api.cancel_safe_polls();
    let mut failures: u32 = 0;
    loop {
        let permit = tokio::select! {
            biased;
            () = shared.stopping.cancelled() => return,
            permit = shared.permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                // The worker never closes its semaphore.
                Err(_) => return,
            },
        };
        let request = GetActivityTaskInput {
            activity_arn: activity.arn.clone(),
            worker_name: Some(shared.name.clone()),
        };
        let polled = if cancel_safe {
            // Dropping the poll loses no task: stop at once.
            tokio::select! {
                biased;
                () = shared.stopping.cancelled() => return,
                polled = shared.api.get_activity_task(request) => polled,
            }
        } else {
            // The engine may hand a task to a poll whose answer is never
            // read: let it finish, and run what it brings.
            shared.api.get_activity_task(request).await
        };
        match polled {
            Ok(GetActivityTaskOutput {
                task_token: Some(token),
                input,
            }) => {
                failures = 0;
                task::spawn(shared.clone(), activity.clone(), token, input, permit);
            }
            Ok(_) => failures = 0,
            Err(error) => {
                drop(permit);
                bump(&shared.stats.poll_errors);
                let delay = shared.retry.delay(failures);
                failures = failures.saturating_add(1);
                tracing::warn!(activity = %activity.name, %error, ?delay, "polling for a task failed; polling again after a pause");
                tokio::select! {
                    biased;
                    () = shared.stopping.cancelled() => return,
                    () = tokio::time::sleep(delay) => {}
                }
            }
        }
    }
}
