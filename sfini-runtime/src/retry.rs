//! [`RetryPolicy`]: how often and how patiently a Step Functions call is
//! tried again when it fails for a passing reason.
//!
//! A call is retried only when its error is retryable
//! ([`SfnError::is_retryable`]): the request did not reach the service or
//! its answer was lost (`Transport`), or the service asked the caller to
//! slow down or try later (`ThrottlingException`, `ServiceUnavailable`,
//! ...). Every other error is an answer, and is returned at once.
//!
//! Between attempts the policy waits with exponential backoff and full
//! jitter: before retry `n` (from 0) it waits a random time between zero
//! and `min(max_delay, base_delay × 2ⁿ)`, so that many callers throttled at
//! the same moment do not all come back at the same moment.
//!
//! ```
//! use std::time::Duration;
//! use std::sync::Arc;
//! use sfini_runtime::api::{ListActivitiesInput, StepFunctions};
//! use sfini_runtime::local::LocalEngine;
//! use sfini_runtime::retry::RetryPolicy;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sfini_runtime::api::SfnError> {
//! let sfn: Arc<dyn StepFunctions> = Arc::new(LocalEngine::new());
//! let policy = RetryPolicy::default()
//!     .attempts(5)
//!     .base_delay(Duration::from_millis(20))
//!     .max_delay(Duration::from_secs(2));
//! let listed = policy
//!     .run(|| sfn.list_activities(ListActivitiesInput::default()))
//!     .await?;
//! assert!(listed.activities.is_empty());
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use rand::Rng;

use crate::api::{ApiFuture, SfnError};

/// How a failing call is retried: how many attempts at most, and how long
/// to wait between them (exponential backoff with full jitter, see the
/// [module documentation](self)).
///
/// The default makes 6 attempts, waiting at most 100 ms, 200 ms, 400 ms,
/// 800 ms and 1.6 s between them (never more than 10 s, the default
/// `max_delay`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// A policy that tries each call once.
    pub fn never() -> Self {
        RetryPolicy::default().attempts(1)
    }

    /// At most `attempts` attempts in all, the first included (at least 1:
    /// 0 is taken as 1).
    #[must_use]
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// The longest wait before the first retry; each later retry may wait
    /// twice as long as the one before, up to
    /// [`max_delay`](Self::max_delay).
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two attempts.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How many attempts a call gets in all.
    pub fn max_attempts(&self) -> u32 {
        self.attempts
    }

    /// The upper bound of the wait before retry `retry` (0 for the first
    /// retry): `min(max_delay, base_delay × 2^retry)`.
    pub fn delay_bound(&self, retry: u32) -> Duration {
        let factor = 1_u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wait before retry `retry` (0 for the first retry): a random time
    /// from zero to [`delay_bound`](Self::delay_bound).
    pub fn delay(&self, retry: u32) -> Duration {
        let bound = self.delay_bound(retry);
        if bound.is_zero() {
            return bound;
        }
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }

    /// Calls `call` until it succeeds, fails with an error that is not
    /// retryable, or has been attempted [`max_attempts`](Self::max_attempts)
    /// times; gives the last answer. Each retry is logged at debug level.
    pub async fn run<'a, T, F>(&self, mut call: F) -> Result<T, SfnError>
    where
        F: FnMut() -> ApiFuture<'a, T>,
    {
        let mut retry = 0;
        loop {
            match call().await {
                Err(error) if error.is_retryable() && retry + 1 < self.attempts => {
                    let delay = self.delay(retry);
                    tracing::debug!(%error, retry, ?delay, "retrying a Step Functions call");
                    tokio::time::sleep(delay).await;
                    retry += 1;
                }
                answer => return answer,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn delays_double_up_to_the_maximum() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(70));
        let bounds: Vec<u128> = (0..5)
            .map(|retry| policy.delay_bound(retry).as_millis())
            .collect();
        assert_eq!(bounds, [10, 20, 40, 70, 70]);
        assert_eq!(policy.delay_bound(1000), Duration::from_millis(70));
        for retry in 0..8 {
            assert!(policy.delay(retry) <= policy.delay_bound(retry));
        }
        assert_eq!(RetryPolicy::default().attempts(0).max_attempts(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn retries_only_retryable_errors_and_stops_after_the_attempts() {
        let calls = AtomicU32::new(0);
        let policy = RetryPolicy::default().attempts(4);
        let answer: Result<(), SfnError> = policy
            .run(|| {
                calls.fetch_add(1, Ordering::Relaxed);
                Box::pin(async { Err(SfnError::Transport("connection reset".into())) })
            })
            .await;
        assert_eq!(answer.unwrap_err().code(), "Transport");
        assert_eq!(calls.swap(0, Ordering::Relaxed), 4);

        let answer: Result<(), SfnError> = policy
            .run(|| {
                calls.fetch_add(1, Ordering::Relaxed);
                Box::pin(async { Err(SfnError::TaskTimedOut("gone".into())) })
            })
            .await;
        assert_eq!(answer.unwrap_err().code(), "TaskTimedOut");
        assert_eq!(calls.swap(0, Ordering::Relaxed), 1);

        let answer = policy
            .run(|| {
                let attempt = calls.fetch_add(1, Ordering::Relaxed);
                Box::pin(async move {
                    if attempt < 2 {
                        Err(SfnError::Service {
                            code: "ThrottlingException".into(),
                            message: "Rate exceeded".into(),
                        })
                    } else {
                        Ok(attempt)
                    }
                })
            })
            .await;
        assert_eq!(answer.unwrap(), 2);
    }
}
