//! The Wait state.

use super::{DataPath, Transition, setters, transition_builders};

/// Waits for a number of seconds or until a time, then goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// A human-readable description.
    pub comment: Option<String>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// How long, or until when, to wait.
    pub until: WaitUntil,
    /// Selects the part of the data that leaves the state.
    pub output_path: DataPath,
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
}

impl WaitUntil {
    /// The field's name in a definition.
    pub fn field_name(&self) -> &'static str {
        match self {
            WaitUntil::Seconds(_) => "Seconds",
            WaitUntil::Timestamp(_) => "Timestamp",
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
            input_path: DataPath::default(),
            until,
            output_path: DataPath::default(),
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
    }

    transition_builders!();
}
