//! [`WorkerError`]: why a worker could not start or stop cleanly.

use crate::api::SfnError;

/// Why a worker could not start, or did not stop cleanly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// The worker was given no activity to serve.
    #[error(
        "the worker serves no activity: add some with `.activity::<A>()`, `.definition(..)` or \
         `.workflow::<W>()` before starting it"
    )]
    NoActivities,
    /// A setting of the builder cannot be used.
    #[error("invalid worker setting: {0}")]
    InvalidSetting(String),
    /// Two different activities have the same (prefixed) name.
    #[error(
        "two different activities are named `{0}`: Step Functions would hand the tasks of one to \
         the other; rename one (`#[activity(name = \"...\")]`)"
    )]
    DuplicateActivity(String),
    /// `CreateActivity` failed for an activity, after retries.
    #[error("the activity `{activity}` could not be created: {source}")]
    CreateActivity {
        /// The activity's (prefixed) name.
        activity: String,
        /// The engine's answer.
        #[source]
        source: SfnError,
    },
    /// A poll loop of the worker panicked (a bug in sfini or in the
    /// engine). The tasks it had started were still run and reported.
    #[error("a poll loop of the worker panicked: {0}")]
    PollerPanicked(String),
    /// Waiting for Ctrl-C failed (no signal handler could be installed).
    #[error("cannot wait for Ctrl-C: {0}")]
    Signal(#[source] std::io::Error),
}
