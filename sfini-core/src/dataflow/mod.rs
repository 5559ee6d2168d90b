//! How data flows through a state, as pure functions.
//!
//! Each state reads its raw input and produces an output through the same
//! pipeline, of which each state type uses a part:
//!
//! ```text
//! raw input ─ InputPath ─ Parameters / ItemSelector ─▶ (the work) ─▶ result
//! result ─ ResultSelector ─ ResultPath (into the raw input) ─ OutputPath ─▶ output
//! ```
//!
//! [`StateIo`] compiles a state's fields once and runs both halves. The rest
//! of the module evaluates what else a state reads from its data: Choice
//! rules ([`choose`]), waits ([`wait_for`]), `...Path` settings
//! ([`resolve_count`]), a Fail state's error and cause ([`fail_output`]),
//! the items of a Map ([`map_items`]), and which retrier or catcher handles an
//! error ([`retry_delay`], [`find_catcher`]).
//!
//! A failure is a [`DataFlowError`]: the error name AWS Step Functions
//! raises in the same case, and a cause that says what went wrong:
//!
//! | Failure | Error name |
//! |---|---|
//! | InputPath, OutputPath, ItemsPath or a `...Path` setting matches nothing or the wrong kind of value | `States.Runtime` |
//! | A path in Parameters, ItemSelector or ResultSelector matches nothing | `States.Runtime` (the specification names `States.ParameterPathFailure`, but the service raises `States.Runtime`) |
//! | An intrinsic function gets an argument it cannot use | `States.IntrinsicFailure` |
//! | ResultPath cannot place the result (the input is not an object) | `States.ResultPathMatchFailure` |
//! | No Choice rule matches and there is no Default | `States.NoChoiceMatched` |
//! | A Choice rule's Variable matches nothing (other than for `IsPresent`) | `States.Runtime` |
//!
//! ```
//! use serde_json::json;
//! use sfini_core::dataflow::StateIo;
//! use sfini_core::model::{State, Task};
//!
//! let task: State = Task::new("arn:aws:states:::lambda:invoke")
//!     .input_path("$.order")
//!     .parameters(json!({"id.$": "$.id", "count.$": "States.ArrayLength($.items)"}))
//!     .result_path("$.shipping")
//!     .into();
//! let io = StateIo::compile(&task)?;
//!
//! let raw = json!({"order": {"id": 7, "items": ["a", "b"]}});
//! let context = json!({});
//! assert_eq!(io.effective_input(&raw, &context)?, json!({"id": 7, "count": 2}));
//! let output = io.output(raw, json!({"carrier": "post"}), &context)?;
//! assert_eq!(output, json!({"order": {"id": 7, "items": ["a", "b"]}, "shipping": {"carrier": "post"}}));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod choice;
mod io;
mod recovery;
mod settings;
#[cfg(test)]
mod tests;

use crate::error_name::PredefinedError;

pub use choice::{ChoiceRules, choose, evaluate_condition};
pub use io::{CompileError, StateIo};
pub use recovery::{error_output, find_catcher, find_retrier, retry_delay};
pub use settings::{WaitFor, fail_output, map_items, resolve_count, wait_for};

/// A state failing on its data: the error name and its cause.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {cause}", error.as_str())]
pub struct DataFlowError {
    /// The predefined error AWS raises in this case.
    pub error: PredefinedError,
    /// What went wrong.
    pub cause: String,
}

impl DataFlowError {
    /// A failure with the given error name.
    pub fn new(error: PredefinedError, cause: impl Into<String>) -> DataFlowError {
        DataFlowError {
            error,
            cause: cause.into(),
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
