//! Where the local engine reads the time: the real clock, or a virtual one
//! for tests.
//!
//! The engine waits (Wait states, retry intervals, timeouts, heartbeats)
//! with tokio's timers and stamps history events with [`Clock::now`]. On
//! the virtual clock, `now` is a fixed start time plus the time elapsed on
//! tokio's clock. Run the engine on a runtime whose clock is paused
//! (`#[tokio::test(start_paused = true)]`, or `tokio::time::pause()`, both
//! from tokio's `test-util` feature, a dev-dependency of the program under
//! test): tokio then moves its clock forward whenever every task is
//! waiting on a timer, so waits, retry intervals and timeouts complete at
//! once, in the order they would have completed in real time, and the
//! history's timestamps are exact and the same on every run.
//!
//! ```
//! use std::time::Duration;
//! use sfini_runtime::clock::Clock;
//! use time::macros::datetime;
//!
//! #[tokio::main(flavor = "current_thread", start_paused = true)]
//! async fn main() {
//!     let clock = Clock::virtual_from(datetime!(2024-01-01 0:00 UTC));
//!     assert_eq!(clock.now(), datetime!(2024-01-01 0:00 UTC));
//!     // A day passes at once, and exactly.
//!     tokio::time::sleep(Duration::from_secs(86_400)).await;
//!     assert_eq!(clock.now(), datetime!(2024-01-02 0:00 UTC));
//! }
//! ```

use std::sync::OnceLock;

use time::OffsetDateTime;
use tokio::time::Instant;

/// A source of the current time.
#[derive(Clone, Debug)]
pub struct Clock {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Real,
    Virtual {
        start: OffsetDateTime,
        // Read on first use, so that it is read inside the runtime whose
        // clock it follows.
        origin: OnceLock<Instant>,
    },
}

impl Clock {
    /// The system's clock.
    pub fn real() -> Clock {
        Clock { kind: Kind::Real }
    }

    /// A clock that reads `start` when first read, and then moves with
    /// tokio's clock (see the module's documentation).
    pub fn virtual_from(start: OffsetDateTime) -> Clock {
        Clock {
            kind: Kind::Virtual {
                start,
                origin: OnceLock::new(),
            },
        }
    }

    /// True for a virtual clock.
    pub fn is_virtual(&self) -> bool {
        matches!(self.kind, Kind::Virtual { .. })
    }

    /// The current time.
    pub fn now(&self) -> OffsetDateTime {
        match &self.kind {
            Kind::Real => OffsetDateTime::now_utc(),
            Kind::Virtual { start, origin } => {
                let origin = *origin.get_or_init(Instant::now);
                let elapsed = Instant::now().saturating_duration_since(origin);
                time::Duration::try_from(elapsed)
                    .ok()
                    .and_then(|elapsed| start.checked_add(elapsed))
                    .unwrap_or_else(|| time::PrimitiveDateTime::MAX.assume_utc())
            }
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::real()
    }
}
