//! Retriers: how a failed Task, Parallel or Map state is tried again.

use super::{setters, string_enum};

/// A retry policy for the errors it names.
///
/// The delay before attempt `n + 1` is `IntervalSeconds * BackoffRate^(n - 1)`,
/// capped at `MaxDelaySeconds`, and randomised below that with
/// `JitterStrategy: FULL`.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    /// The error names this retrier handles (`States.ALL` for any).
    pub error_equals: Vec<String>,
    /// Seconds before the first retry (default 1).
    pub interval_seconds: u64,
    /// How many retries at most (default 3; 0 never retries).
    pub max_attempts: u64,
    /// The factor by which the delay grows at each retry (default 2.0).
    pub backoff_rate: f64,
    /// The longest delay between retries, in seconds.
    pub max_delay_seconds: Option<u64>,
    /// Whether delays are randomised (default `NONE`).
    pub jitter_strategy: JitterStrategy,
    /// A human-readable description.
    pub comment: Option<String>,
}

/// `IntervalSeconds` when not given.
pub const DEFAULT_INTERVAL_SECONDS: u64 = 1;
/// `MaxAttempts` when not given.
pub const DEFAULT_MAX_ATTEMPTS: u64 = 3;
/// `BackoffRate` when not given.
pub const DEFAULT_BACKOFF_RATE: f64 = 2.0;

string_enum! {
    /// How retry delays are randomised.
    #[derive(Default)]
    pub enum JitterStrategy {
        /// Each delay is drawn at random between 0 and the computed delay.
        Full = "FULL",
        /// Delays are exactly as computed.
        #[default]
        None = "NONE",
    }
}

impl Retrier {
    /// A retrier for the given error names, with the default policy.
    pub fn new<I, S>(errors: I) -> Retrier
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Retrier {
            error_equals: errors.into_iter().map(Into::into).collect(),
            interval_seconds: DEFAULT_INTERVAL_SECONDS,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            backoff_rate: DEFAULT_BACKOFF_RATE,
            max_delay_seconds: None,
            jitter_strategy: JitterStrategy::None,
            comment: None,
        }
    }

    setters! {
        /// Sets the seconds before the first retry.
        interval_seconds(interval_seconds = u64);
        /// Sets the number of retries.
        max_attempts(max_attempts = u64);
        /// Sets the growth factor of the delay.
        backoff_rate(backoff_rate = f64);
        /// Caps the delay.
        max_delay_seconds(max_delay_seconds = u64) as Some;
        /// Sets the jitter strategy.
        jitter_strategy(jitter_strategy: JitterStrategy);
        /// Sets the description.
        comment(comment: String) as Some;
    }
}
