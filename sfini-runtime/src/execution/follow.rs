//! Following an execution's history as it grows.

use std::collections::VecDeque;
use std::time::Duration;

use super::poll::Backoff;
use crate::api::{GetExecutionHistoryInput, HistoryEvent, HistoryEventType, SfnError};
use crate::client::Sfn;
use crate::retry::RetryPolicy;

/// The page size of the first read, which may find a long history.
const FIRST_PAGE: i32 = 100;
/// The smallest page size of later reads, which mostly find a few events
/// or none.
const SMALL_PAGE: i32 = 4;
/// The largest page size.
const LARGEST_PAGE: i32 = 1000;

/// The first and longest delays between reads that found nothing new.
const FIRST_DELAY: Duration = Duration::from_millis(50);
const LONGEST_DELAY: Duration = Duration::from_secs(1);

/// Yields each event of an execution's history once, in order, as the
/// history grows, and ends after the execution's closing event
/// (`ExecutionSucceeded`, `ExecutionFailed`, `ExecutionTimedOut` or
/// `ExecutionAborted`). [`Execution::follow_history`](super::Execution::follow_history)
/// makes one.
///
/// Each read asks for the newest events first and stops at the last event
/// already yielded, so a long history is not read again on every poll.
/// While nothing is new, reads come at growing intervals (from 50 ms to a
/// second; see [`poll_interval`](HistoryFollower::poll_interval)), and
/// each asks for a small page. Transient errors (throttling, transport) are retried a
/// few times; another error is yielded and ends the follower.
///
/// ```
/// use sfini_runtime::client::Sfn;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sfn = Sfn::local();
/// let machine = sfn.machine(
///     "nap",
///     r#"{"StartAt": "nap", "States": {"nap": {"Type": "Wait", "Seconds": 1, "End": true}}}"#,
/// );
/// machine.register().await?;
/// let execution = machine.start(&serde_json::json!({})).await?;
/// let mut follower = execution.follow_history();
/// let mut seen = Vec::new();
/// while let Some(event) = follower.next().await {
///     seen.push(event?.event_type().as_str());
/// }
/// assert_eq!(seen, ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct HistoryFollower {
    sfn: Sfn,
    execution_arn: String,
    last_id: i64,
    pending: VecDeque<HistoryEvent>,
    finished: bool,
    page_size: i32,
    backoff: Backoff,
}

impl HistoryFollower {
    pub(super) fn new(sfn: Sfn, execution_arn: String) -> HistoryFollower {
        HistoryFollower {
            sfn,
            execution_arn,
            last_id: 0,
            pending: VecDeque::new(),
            finished: false,
            page_size: FIRST_PAGE,
            backoff: Backoff::new(FIRST_DELAY, LONGEST_DELAY),
        }
    }

    /// The delays between reads that find nothing new: from `first`,
    /// doubling up to `longest`.
    #[must_use]
    pub fn poll_interval(mut self, first: Duration, longest: Duration) -> HistoryFollower {
        self.backoff = Backoff::new(first, longest.max(first));
        self
    }

    /// The id of the last event yielded (0 before the first).
    pub fn last_event_id(&self) -> i64 {
        self.last_id
    }

    /// The next event; `None` once the closing event has been yielded, or
    /// after an error.
    pub async fn next(&mut self) -> Option<Result<HistoryEvent, SfnError>> {
        let retries = RetryPolicy::default();
        let mut failed = 0;
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.last_id = event.id;
                if is_closing(event.event_type()) {
                    self.finished = true;
                    self.pending.clear();
                }
                return Some(Ok(event));
            }
            if self.finished {
                return None;
            }
            match self.read_new().await {
                Ok(0) => tokio::time::sleep(self.backoff.next_delay()).await,
                Ok(_) => self.backoff.reset(),
                Err(error) if error.is_retryable() && failed + 1 < retries.max_attempts() => {
                    tokio::time::sleep(retries.delay(failed)).await;
                    failed += 1;
                }
                Err(error) => {
                    self.finished = true;
                    return Some(Err(error));
                }
            }
        }
    }

    /// Reads the events after the last one yielded, newest first, and
    /// queues them oldest first; gives how many.
    async fn read_new(&mut self) -> Result<usize, SfnError> {
        let mut newer: Vec<HistoryEvent> = Vec::new();
        let mut next_token = None;
        'pages: loop {
            let page = self
                .sfn
                .api()
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: self.execution_arn.clone(),
                    max_results: self.page_size,
                    reverse_order: true,
                    next_token,
                    include_execution_data: None,
                })
                .await?;
            for event in page.events {
                if event.id <= self.last_id {
                    break 'pages;
                }
                // Events recorded between two pages shift the later page:
                // what it repeats is skipped.
                if newer.last().is_some_and(|last| event.id >= last.id) {
                    continue;
                }
                newer.push(event);
            }
            match page.next_token {
                Some(token) => next_token = Some(token),
                None => break,
            }
        }
        // Only events that follow on from the last one yielded are queued;
        // anything after a gap is read again on the next poll.
        let mut queued: usize = 0;
        for (expected, event) in (self.last_id + 1..).zip(newer.into_iter().rev()) {
            if event.id != expected {
                break;
            }
            queued += 1;
            self.pending.push_back(event);
        }
        // The next read asks for about as many events as this one found.
        let wanted = i32::try_from(queued.saturating_mul(2)).unwrap_or(LARGEST_PAGE);
        self.page_size = wanted.clamp(SMALL_PAGE, LARGEST_PAGE);
        Ok(queued)
    }
}

/// True for the events that close an execution.
pub(crate) fn is_closing(event_type: HistoryEventType) -> bool {
    matches!(
        event_type,
        HistoryEventType::ExecutionSucceeded
            | HistoryEventType::ExecutionFailed
            | HistoryEventType::ExecutionTimedOut
            | HistoryEventType::ExecutionAborted
    )
}
