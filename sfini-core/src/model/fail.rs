//! The Fail state.

use super::{QueryLanguage, ValueOrPath, setters};

/// Ends the execution with an error name and a cause.
///
/// Each of the error and the cause is a fixed string (`Error`, `Cause`) or a
/// reference path or intrinsic function call evaluated on the state's input
/// (`ErrorPath`, `CausePath`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fail {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
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
        /// Sets Error: the error name.
        error(error: String) as SomeValue;
        /// Sets ErrorPath: a reference path or intrinsic call giving the error name.
        error_path(error: String) as SomePath;
        /// Sets Cause: a description of the error.
        cause(cause: String) as SomeValue;
        /// Sets CausePath: a reference path or intrinsic call giving the cause.
        cause_path(cause: String) as SomePath;
        /// Sets Error to a JSONata expression (the text between `{%` and `%}`).
        error_expression(error: String) as SomeExpression;
        /// Sets Cause to a JSONata expression (the text between `{%` and `%}`).
        cause_expression(cause: String) as SomeExpression;
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
    }
}
