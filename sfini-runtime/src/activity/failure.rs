//! [`TaskFailure`]: a failed task as Step Functions records it, and the
//! error names sfini itself fails tasks with.
//!
//! The names below are stable: workflows catch them by name
//! (`catch ["sfini.InvalidInput"] => ...`), so they do not change between
//! versions of sfini.

use std::any::Any;

use super::error::ActivityError;

/// The task input did not hold the activity's arguments: it was not a JSON
/// object, or required arguments were missing, or some had the wrong type.
/// The cause names every missing and mistyped argument.
pub const INVALID_INPUT_ERROR: &str = "sfini.InvalidInput";

/// The activity panicked; the cause is the panic's message.
pub const PANIC_ERROR: &str = "sfini.ActivityPanicked";

/// The activity's output could not be serialised as JSON (a map with
/// non-string keys, say; the cause is serde's message), or a worker found
/// it larger than the 256 KiB Step Functions accepts (the cause gives its
/// size).
pub const OUTPUT_ERROR: &str = "sfini.InvalidOutput";

/// The runtime shut down before the activity finished.
pub const INTERRUPTED_ERROR: &str = "sfini.ActivityInterrupted";

/// The error name of failures whose error type carries only a message:
/// `String`, `&'static str` and `Box<dyn std::error::Error>` (with or
/// without `Send + Sync`).
pub const FAILED_ERROR: &str = "sfini.ActivityFailed";

/// The error name of a [`std::io::Error`].
pub const IO_ERROR: &str = "std.io.Error";

/// Every error name sfini may fail a task with, whatever the activity (the
/// list `workflow!` checks catchers against).
pub(crate) const SFINI_ERRORS: &[&str] = sfini_core::error_name::SFINI_TASK_ERRORS;

/// A failed task, as Step Functions records it: an error name, which Retry
/// and Catch match, and a human-readable cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct TaskFailure {
    /// The error name (`MyError`, `sfini.InvalidInput`, ...).
    pub error: String,
    /// What went wrong, in words.
    pub cause: String,
}

impl TaskFailure {
    /// A failure with this error name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskFailure {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// The failure an activity's error value stands for: its
    /// [`error_name`](ActivityError::error_name), and its `Display` text as
    /// the cause.
    pub fn from_error<E: ActivityError + ?Sized>(error: &E) -> Self {
        TaskFailure::new(error.error_name(), error.to_string())
    }

    /// A failure named [`INVALID_INPUT_ERROR`].
    pub fn invalid_input(cause: impl Into<String>) -> Self {
        TaskFailure::new(INVALID_INPUT_ERROR, cause)
    }

    /// A failure named [`OUTPUT_ERROR`].
    pub fn invalid_output(cause: impl Into<String>) -> Self {
        TaskFailure::new(OUTPUT_ERROR, cause)
    }

    /// A failure named [`PANIC_ERROR`], with the panic's message as the
    /// cause when the panic carried a string.
    pub fn panicked(payload: &(dyn Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        TaskFailure::new(
            PANIC_ERROR,
            match message {
                Some(message) => format!("the activity panicked: {message}"),
                None => "the activity panicked".to_string(),
            },
        )
    }

    /// A failure named [`INTERRUPTED_ERROR`].
    pub fn interrupted() -> Self {
        TaskFailure::new(
            INTERRUPTED_ERROR,
            "the runtime shut down before the activity finished",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_error_and_cause() {
        let failure = TaskFailure::new("MyError", "it broke");
        assert_eq!(failure.to_string(), "MyError: it broke");
    }

    #[test]
    fn panics_keep_their_message() {
        let failure = TaskFailure::panicked(&"boom");
        assert_eq!(failure.error, PANIC_ERROR);
        assert_eq!(failure.cause, "the activity panicked: boom");
        let failure = TaskFailure::panicked(&String::from("formatted 3"));
        assert_eq!(failure.cause, "the activity panicked: formatted 3");
        let failure = TaskFailure::panicked(&17_u8);
        assert_eq!(failure.cause, "the activity panicked");
    }

    #[test]
    fn sfini_names_are_not_reserved_names() {
        for name in SFINI_ERRORS.iter().chain([&FAILED_ERROR, &IO_ERROR]) {
            assert!(!name.starts_with("States."), "{name}");
        }
    }
}

#[cfg(test)]
mod names {
    use super::*;

    #[test]
    fn the_shared_list_holds_each_name_raised() {
        assert_eq!(
            SFINI_ERRORS,
            [
                INVALID_INPUT_ERROR,
                PANIC_ERROR,
                OUTPUT_ERROR,
                INTERRUPTED_ERROR
            ]
        );
    }
}
