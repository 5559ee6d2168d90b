//! Handlers: what a Task state with a resource other than an activity
//! (a Lambda function, a service integration) runs on the local engine.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

/// A task that failed: an error name and its cause, as a Lambda function
/// or a service reports them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct TaskFailure {
    /// The error name Retry and Catch match (`ErrorEquals`).
    pub error: String,
    /// What went wrong.
    pub cause: String,
}

impl TaskFailure {
    /// A failure with this error name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> TaskFailure {
        TaskFailure {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

impl<E: Into<String>, C: Into<String>> From<(E, C)> for TaskFailure {
    fn from((error, cause): (E, C)) -> TaskFailure {
        TaskFailure::new(error, cause)
    }
}

/// The future a handler returns.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Value, TaskFailure>> + Send>>;

/// A handler as the engine keeps it.
pub type Handler = Arc<dyn Fn(Value, Value) -> HandlerFuture + Send + Sync>;

/// Wraps an async closure as a [`Handler`].
pub fn handler<F, Fut>(function: F) -> Handler
where
    F: Fn(Value, Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    Arc::new(move |input, context| Box::pin(function(input, context)))
}
