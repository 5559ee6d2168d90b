//! Polling: growing delays between calls that found nothing new, and which
//! errors are worth another try.

use std::time::Duration;

use crate::api::SfnError;

/// How many transient errors in a row a poll loop tries past.
pub const TRANSIENT_ATTEMPTS: u32 = 5;

/// Delays that double from `first` up to `max`, back to `first` on reset.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            first,
            max,
            next: first,
        }
    }

    /// The next delay.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(self.max);
        delay
    }

    /// Start again from the first delay.
    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

/// True for errors that a later call may not meet: the request did not
/// reach the service, or the service asked to slow down or was busy.
pub fn is_transient(error: &SfnError) -> bool {
    match error {
        SfnError::Transport(_) => true,
        SfnError::Service { code, .. } => matches!(
            code.as_str(),
            "ThrottlingException"
                | "Throttling"
                | "TooManyRequestsException"
                | "RequestLimitExceeded"
                | "ServiceUnavailable"
                | "InternalServerError"
                | "InternalFailure"
                | "RequestTimeout"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_limit_and_reset() {
        let mut backoff = Backoff::new(Duration::from_millis(10), Duration::from_millis(35));
        let delays: Vec<u128> = (0..4).map(|_| backoff.next_delay().as_millis()).collect();
        assert_eq!(delays, [10, 20, 35, 35]);
        backoff.reset();
        assert_eq!(backoff.next_delay(), Duration::from_millis(10));
    }

    #[test]
    fn only_transport_and_busy_service_errors_are_transient() {
        assert!(is_transient(&SfnError::Transport("reset".into())));
        assert!(is_transient(&SfnError::Service {
            code: "ThrottlingException".into(),
            message: "slow down".into()
        }));
        assert!(!is_transient(&SfnError::ExecutionDoesNotExist("x".into())));
    }
}
