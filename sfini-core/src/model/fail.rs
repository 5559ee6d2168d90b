//! The Fail state.

use super::{ValueOrPath, setters};

/// Ends the execution with an error name and a cause.
///
/// Each of the error and the cause is a fixed string (`Error`, `Cause`) or a
/// reference path or intrinsic function call evaluated on the state's input
/// (`ErrorPath`, `CausePath`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fail {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The error name (`Error` or `ErrorPath`).
    pub error: Option<ValueOrPath<String>>,
    /// A description of the error (`Cause` or `CausePath`).
    pub cause: Option<ValueOrPath<String>>,
}

impl Fail {
    /// A Fail state with no error name or cause.
    pub fn new() -> Fail {
        Fail::default()
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets the error name (a `&str` or `String` for `Error`; `ValueOrPath::Path` for `ErrorPath`).
        error(error: ValueOrPath<String>) as Some;
        /// Sets the cause (a `&str` or `String` for `Cause`; `ValueOrPath::Path` for `CausePath`).
        cause(cause: ValueOrPath<String>) as Some;
    }
}
