//! Catchers: where a failed Task, Parallel or Map state goes instead.

use serde_json::Value;

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
    /// JSONata: the state's output when the catcher handles the error
    /// (`Output`; the error output when absent).
    pub output: Option<Value>,
    /// Workflow variables to assign when the catcher handles the error (`Assign`).
    pub assign: Option<Value>,
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
            output: None,
            assign: None,
        }
    }

    setters! {
        /// Sets where the error output goes.
        result_path(result_path: DataPath);
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the variables assigned when the catcher handles the error.
        assign(assign: Value) as Some;
    }
}
