//! Which retrier or catcher handles an error, and how long to wait before
//! a retry. What a catcher passes on is its state's data flow's
//! ([`StateIo::catch`](super::StateIo::catch)).

use std::time::Duration;

use crate::error_name::error_matches;
use crate::model::{Catcher, JitterStrategy, Retrier};

/// The position of the first retrier whose `ErrorEquals` matches `error`.
pub fn find_retrier(retriers: &[Retrier], error: &str) -> Option<usize> {
    retriers.iter().position(|retrier| {
        retrier
            .error_equals
            .iter()
            .any(|pattern| error_matches(pattern, error))
    })
}

/// The index of the first catcher whose `ErrorEquals` matches `error`.
pub fn find_catcher(catchers: &[Catcher], error: &str) -> Option<usize> {
    catchers.iter().position(|catcher| {
        catcher
            .error_equals
            .iter()
            .any(|pattern| error_matches(pattern, error))
    })
}

/// How long to wait before retry number `retry` (1 for the first) under
/// `retrier`, or `None` when its attempts are used up.
///
/// The delay is `IntervalSeconds × BackoffRate^(retry − 1)`, capped at
/// `MaxDelaySeconds`; with `JitterStrategy: FULL` it is then scaled by
/// `random`, a number in `[0, 1)` that the caller draws.
///
/// ```
/// use std::time::Duration;
/// use sfini_core::dataflow::retry_delay;
/// use sfini_core::model::Retrier;
///
/// let retrier = Retrier::new(["States.Timeout"]).interval_seconds(3).max_delay_seconds(10);
/// assert_eq!(retry_delay(&retrier, 1, 0.5), Some(Duration::from_secs(3)));
/// assert_eq!(retry_delay(&retrier, 2, 0.5), Some(Duration::from_secs(6)));
/// assert_eq!(retry_delay(&retrier, 3, 0.5), Some(Duration::from_secs(10)));
/// assert_eq!(retry_delay(&retrier, 4, 0.5), None);
/// ```
pub fn retry_delay(retrier: &Retrier, retry: u64, random: f64) -> Option<Duration> {
    if retry == 0 || retry > retrier.max_attempts {
        return None;
    }
    let exponent = i32::try_from(retry - 1).unwrap_or(i32::MAX);
    let mut seconds = retrier.interval_seconds as f64 * retrier.backoff_rate.powi(exponent);
    if let Some(max) = retrier.max_delay_seconds {
        seconds = seconds.min(max as f64);
    }
    if retrier.jitter_strategy == JitterStrategy::Full {
        seconds *= random.clamp(0.0, 1.0);
    }
    // Durations beyond what `Duration` holds are capped rather than wrapped.
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}
