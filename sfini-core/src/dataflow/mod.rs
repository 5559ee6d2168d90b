//! How data flows through a state, as pure functions.
//!
//! Each state reads its raw input and produces an output through the
//! pipeline of its query language, of which each state type uses a part:
//!
//! ```text
//! JSONPath: raw input ─ InputPath ─ Parameters / ItemSelector ─▶ (the work) ─▶ result
//!           result ─ ResultSelector ─ ResultPath (into the raw input) ─ OutputPath ─▶ output
//!                    └─ Assign (name.$ templates on the result) ─▶ variables
//! JSONata:  $states.input ─ Arguments / ItemSelector ─▶ (the work) ─▶ $states.result
//!           Output ($states.result when absent) ─▶ output;  Assign ─▶ variables
//! ```
//!
//! [`StateIo`] compiles a state's fields once, in the pipeline of its query
//! language, and runs it against a [`Frame`]: the raw input, the context
//! object and the workflow variables as they were when the state was
//! entered; what a state leaves is an [`Outcome`], its output and the
//! variables it assigns. The same interface reads what else a state takes
//! from its data: Choice rules, waits, timeouts, a Map's items and
//! thresholds, a Fail state's error and cause, and a catcher's output.
//! The functions beside it say which retrier or catcher handles an error
//! ([`find_retrier`], [`find_catcher`]) and how long a retry waits
//! ([`retry_delay`]); [`choose`] evaluates a Choice state's rules on their
//! own.
//!
//! A failure is a [`DataFlowError`]: the error name AWS Step Functions
//! raises in the same case, and a cause that says what went wrong:
//!
//! | Failure | Error name |
//! |---|---|
//! | InputPath, OutputPath, ItemsPath or a `...Path` setting matches nothing or the wrong kind of value | `States.Runtime` |
//! | A path in Parameters, ItemSelector or ResultSelector matches nothing | `States.Runtime` (the specification names `States.ParameterPathFailure`, but the service raises `States.Runtime`) |
//! | An intrinsic function gets an argument it cannot use | `States.Runtime` |
//! | ResultPath cannot place the result (the input is not an object) | `States.ResultPathMatchFailure` |
//! | No Choice rule matches and there is no Default | `States.NoChoiceMatched` |
//! | A Choice rule's Variable matches nothing (other than for `IsPresent`) | `States.Runtime` |
//! | A JSONata expression fails, gives nothing, or gives the wrong kind of value | `States.QueryEvaluationError` |
//!
//! ```
//! use serde_json::json;
//! use sfini_core::dataflow::{Frame, StateIo};
//! use sfini_core::model::{QueryLanguage, State, Task};
//!
//! let task: State = Task::new("arn:aws:states:::lambda:invoke")
//!     .input_path("$.order")
//!     .parameters(json!({"id.$": "$.id", "count.$": "States.ArrayLength($.items)"}))
//!     .result_path("$.shipping")
//!     .assign(json!({"carrier.$": "$.carrier"}))
//!     .into();
//! let io = StateIo::compile(&task, QueryLanguage::JsonPath)?;
//!
//! let raw = json!({"order": {"id": 7, "items": ["a", "b"]}});
//! let context = json!({});
//! let frame = Frame::new(&raw, &context);
//! let effective = io.effective_input(&frame)?;
//! assert_eq!(*effective, json!({"id": 7, "count": 2}));
//! let outcome = io.complete(&frame, &effective, Some(json!({"carrier": "post"})), None)?;
//! assert_eq!(outcome.output, json!({"order": {"id": 7, "items": ["a", "b"]}, "shipping": {"carrier": "post"}}));
//! assert_eq!(outcome.assigned, vec![("carrier".to_string(), json!("post"))]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod choice;
mod io;
mod jsonata_io;
mod jsonata_value;
mod jsonpath;
mod recovery;
#[cfg(test)]
mod tests;

use crate::error_name::PredefinedError;

pub use choice::{ChoiceRules, choose, evaluate_condition};
pub use io::{CompileError, Frame, Outcome, StateIo, WaitFor};
pub use recovery::{find_catcher, find_retrier, retry_delay};

/// A state failing on its data: the error name and its cause.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {cause}", error.as_str())]
pub struct DataFlowError {
    /// The predefined error AWS raises in this case.
    pub error: PredefinedError,
    /// What went wrong.
    pub cause: String,
    /// For `States.QueryEvaluationError`, the field whose JSONata
    /// expression failed, as Step Functions names it (`Output/order/id`,
    /// `Choices[1]/Condition`).
    pub location: Option<String>,
}

impl DataFlowError {
    /// A failure with the given error name.
    pub fn new(error: PredefinedError, cause: impl Into<String>) -> DataFlowError {
        DataFlowError {
            error,
            cause: cause.into(),
            location: None,
        }
    }

    /// `States.Runtime`: data the execution cannot process.
    pub fn runtime(cause: impl Into<String>) -> DataFlowError {
        DataFlowError::new(PredefinedError::Runtime, cause)
    }

    /// The error name as a string.
    pub fn error_name(&self) -> &'static str {
        self.error.as_str()
    }
}

impl From<crate::payload::PayloadError> for DataFlowError {
    fn from(error: crate::payload::PayloadError) -> Self {
        DataFlowError::new(error.error(), error.cause())
    }
}

impl From<crate::intrinsic::IntrinsicError> for DataFlowError {
    fn from(error: crate::intrinsic::IntrinsicError) -> Self {
        DataFlowError::new(error.error(), error.cause())
    }
}
