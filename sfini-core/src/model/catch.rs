//! Catchers: where a failed Task, Parallel or Map state goes instead.

use super::{DataPath, setters};

/// A fallback transition for the errors it names. The error output
/// (`{"Error": ..., "Cause": ...}`) is placed at `result_path` in the
/// state's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catcher {
    /// The error names this catcher handles (`States.ALL` for any).
    pub error_equals: Vec<String>,
    /// The state to go to.
    pub next: String,
    /// Where the error output goes (default `$`: it replaces the input).
    pub result_path: DataPath,
    /// A human-readable description.
    pub comment: Option<String>,
}

impl Catcher {
    /// A catcher that sends the given errors to `next`.
    pub fn new<I, S>(errors: I, next: impl Into<String>) -> Catcher
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Catcher {
            error_equals: errors.into_iter().map(Into::into).collect(),
            next: next.into(),
            result_path: DataPath::default(),
            comment: None,
        }
    }

    setters! {
        /// Sets where the error output goes.
        result_path(result_path: DataPath);
        /// Sets the description.
        comment(comment: String) as Some;
    }
}
