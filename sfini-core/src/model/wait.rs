//! The Wait state.

use serde_json::Value;

use super::{DataPath, QueryLanguage, Transition, setters, transition_builders};

/// Waits for a number of seconds or until a time, then goes on.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// How long, or until when, to wait.
    pub until: WaitUntil,
    /// Selects the part of the data that leaves the state.
    pub output_path: DataPath,
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
    /// Workflow variables to assign (`Assign`): names and the values,
    /// templates or expressions that give them.
    pub assign: Option<Value>,
    /// Where the state goes when it is done waiting.
    pub transition: Transition,
}

/// What a Wait state waits for: exactly one of its four fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WaitUntil {
    /// `Seconds`: a number of seconds.
    Seconds(u64),
    /// `Timestamp`: an RFC 3339 time such as `2026-03-14T01:59:00Z`.
    Timestamp(String),
    /// `SecondsPath`: a reference path to a number of seconds in the input.
    SecondsPath(String),
    /// `TimestampPath`: a reference path to a timestamp in the input.
    TimestampPath(String),
    /// `Seconds` as a JSONata expression: the text between `{%` and `%}`.
    SecondsExpression(String),
    /// `Timestamp` as a JSONata expression: the text between `{%` and `%}`.
    TimestampExpression(String),
}

impl WaitUntil {
    /// The field's name in a definition.
    pub fn field_name(&self) -> &'static str {
        match self {
            WaitUntil::Seconds(_) | WaitUntil::SecondsExpression(_) => "Seconds",
            WaitUntil::Timestamp(_) | WaitUntil::TimestampExpression(_) => "Timestamp",
            WaitUntil::SecondsPath(_) => "SecondsPath",
            WaitUntil::TimestampPath(_) => "TimestampPath",
        }
    }
}

impl Wait {
    /// Waits `seconds` seconds.
    pub fn seconds(seconds: u64) -> Wait {
        Wait::new(WaitUntil::Seconds(seconds))
    }

    /// Waits until an RFC 3339 timestamp.
    pub fn timestamp(timestamp: impl Into<String>) -> Wait {
        Wait::new(WaitUntil::Timestamp(timestamp.into()))
    }

    /// Waits the number of seconds found at a reference path of the input.
    pub fn seconds_path(path: impl Into<String>) -> Wait {
        Wait::new(WaitUntil::SecondsPath(path.into()))
    }

    /// Waits until the timestamp found at a reference path of the input.
    pub fn timestamp_path(path: impl Into<String>) -> Wait {
        Wait::new(WaitUntil::TimestampPath(path.into()))
    }

    /// A Wait state that ends its scope.
    pub fn new(until: WaitUntil) -> Wait {
        Wait {
            comment: None,
            query_language: None,
            input_path: DataPath::default(),
            until,
            output_path: DataPath::default(),
            output: None,
            assign: None,
            transition: Transition::End,
        }
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the workflow variables the state assigns.
        assign(assign: Value) as Some;
    }

    /// Waits the number of seconds a JSONata expression gives (the text
    /// between `{%` and `%}`).
    pub fn seconds_expression(expression: impl Into<String>) -> Wait {
        Wait::new(WaitUntil::SecondsExpression(expression.into()))
    }

    /// Waits until the timestamp a JSONata expression gives (the text
    /// between `{%` and `%}`).
    pub fn timestamp_expression(expression: impl Into<String>) -> Wait {
        Wait::new(WaitUntil::TimestampExpression(expression.into()))
    }

    transition_builders!();
}
