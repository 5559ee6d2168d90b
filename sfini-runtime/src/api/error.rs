//! The errors of the Step Functions API.

use sfini_core::Diagnostics;

/// An error of a Step Functions API call, named as AWS names it.
///
/// Every variant carries a message saying what was wrong;
/// [`SfnError::code`] gives AWS's name of the error, the same for both
/// engines, so that a program handles a missing state machine the same way
/// locally and on AWS.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SfnError {
    /// The activity named by an ARN does not exist.
    #[error("ActivityDoesNotExist: {0}")]
    ActivityDoesNotExist(String),
    /// The account has reached its limit of activities.
    #[error("ActivityLimitExceeded: {0}")]
    ActivityLimitExceeded(String),
    /// An execution of that name exists with another input, or has closed.
    #[error("ExecutionAlreadyExists: {0}")]
    ExecutionAlreadyExists(String),
    /// The execution named by an ARN does not exist.
    #[error("ExecutionDoesNotExist: {0}")]
    ExecutionDoesNotExist(String),
    /// The engine runs as many executions as it may.
    #[error("ExecutionLimitExceeded: {0}")]
    ExecutionLimitExceeded(String),
    /// A malformed ARN, or one of the wrong resource type.
    #[error("InvalidArn: {0}")]
    InvalidArn(String),
    /// A state machine definition that is not valid Amazon States Language.
    #[error("InvalidDefinition: {message}")]
    InvalidDefinition {
        /// A summary: the first problems, one a line.
        message: String,
        /// Every problem, each with its location in the definition.
        diagnostics: Diagnostics,
    },
    /// An execution input that is not JSON, or too large.
    #[error("InvalidExecutionInput: {0}")]
    InvalidExecutionInput(String),
    /// A name that is empty, too long or holds a forbidden character.
    #[error("InvalidName: {0}")]
    InvalidName(String),
    /// A task output that is not JSON, or too large.
    #[error("InvalidOutput: {0}")]
    InvalidOutput(String),
    /// A task token or pagination token that is malformed.
    #[error("InvalidToken: {0}")]
    InvalidToken(String),
    /// A state machine of that name exists with another definition or role.
    #[error("StateMachineAlreadyExists: {0}")]
    StateMachineAlreadyExists(String),
    /// The state machine is being deleted.
    #[error("StateMachineDeleting: {0}")]
    StateMachineDeleting(String),
    /// The state machine named by an ARN does not exist.
    #[error("StateMachineDoesNotExist: {0}")]
    StateMachineDoesNotExist(String),
    /// The resource a tag call names does not exist.
    #[error("ResourceNotFound: {message}")]
    ResourceNotFound {
        /// What was wrong.
        message: String,
        /// The resource's ARN, when the service gave it (`resourceName`).
        resource_name: Option<String>,
    },
    /// A tag call would leave a resource with more than 50 tags.
    #[error("TooManyTags: {message}")]
    TooManyTags {
        /// What was wrong.
        message: String,
        /// The resource's ARN, when the service gave it (`resourceName`).
        resource_name: Option<String>,
    },
    /// The task named by a token does not exist.
    #[error("TaskDoesNotExist: {0}")]
    TaskDoesNotExist(String),
    /// The task named by a token has timed out or was closed otherwise.
    #[error("TaskTimedOut: {0}")]
    TaskTimedOut(String),
    /// A request that breaks a constraint of the API (a field out of range).
    #[error("ValidationException: {0}")]
    ValidationException(String),
    /// An error the service returned that has no variant of its own.
    #[error("{code}: {message}")]
    Service {
        /// The error code the service gave.
        code: String,
        /// Its message.
        message: String,
    },
    /// The request did not reach the service, or its answer was unreadable.
    #[error("transport error: {0}")]
    Transport(String),
}

impl SfnError {
    /// AWS's name of the error, such as `StateMachineDoesNotExist`
    /// (`Transport` for a request that did not reach the service).
    ///
    /// ```
    /// use sfini_runtime::api::SfnError;
    ///
    /// let error = SfnError::InvalidArn("`x` is not an ARN".into());
    /// assert_eq!(error.code(), "InvalidArn");
    /// assert_eq!(error.to_string(), "InvalidArn: `x` is not an ARN");
    /// ```
    pub fn code(&self) -> &str {
        match self {
            SfnError::ActivityDoesNotExist(_) => "ActivityDoesNotExist",
            SfnError::ActivityLimitExceeded(_) => "ActivityLimitExceeded",
            SfnError::ExecutionAlreadyExists(_) => "ExecutionAlreadyExists",
            SfnError::ExecutionDoesNotExist(_) => "ExecutionDoesNotExist",
            SfnError::ExecutionLimitExceeded(_) => "ExecutionLimitExceeded",
            SfnError::InvalidArn(_) => "InvalidArn",
            SfnError::InvalidDefinition { .. } => "InvalidDefinition",
            SfnError::InvalidExecutionInput(_) => "InvalidExecutionInput",
            SfnError::InvalidName(_) => "InvalidName",
            SfnError::InvalidOutput(_) => "InvalidOutput",
            SfnError::InvalidToken(_) => "InvalidToken",
            SfnError::StateMachineAlreadyExists(_) => "StateMachineAlreadyExists",
            SfnError::StateMachineDeleting(_) => "StateMachineDeleting",
            SfnError::StateMachineDoesNotExist(_) => "StateMachineDoesNotExist",
            SfnError::ResourceNotFound { .. } => "ResourceNotFound",
            SfnError::TooManyTags { .. } => "TooManyTags",
            SfnError::TaskDoesNotExist(_) => "TaskDoesNotExist",
            SfnError::TaskTimedOut(_) => "TaskTimedOut",
            SfnError::ValidationException(_) => "ValidationException",
            SfnError::Service { code, .. } => code,
            SfnError::Transport(_) => "Transport",
        }
    }

    /// The error AWS names `code`, with `message`: the inverse of
    /// [`SfnError::code`]. A code without a variant of its own becomes
    /// [`SfnError::Service`], keeping the code (so that throttling stays
    /// [retryable](Self::is_retryable)); `InvalidDefinition` carries the
    /// message and no diagnostics, since the service gives none; the code
    /// `Transport` is sfini's own and becomes [`SfnError::Transport`].
    ///
    /// ```
    /// use sfini_runtime::api::SfnError;
    ///
    /// let error = SfnError::from_code("ExecutionDoesNotExist", "no such execution");
    /// assert!(matches!(error, SfnError::ExecutionDoesNotExist(_)));
    /// assert_eq!(error.to_string(), "ExecutionDoesNotExist: no such execution");
    /// let throttled = SfnError::from_code("ThrottlingException", "Rate exceeded");
    /// assert_eq!(throttled.code(), "ThrottlingException");
    /// assert!(throttled.is_retryable());
    /// ```
    pub fn from_code(code: &str, message: impl Into<String>) -> SfnError {
        let message = message.into();
        match code {
            "ActivityDoesNotExist" => SfnError::ActivityDoesNotExist(message),
            "ActivityLimitExceeded" => SfnError::ActivityLimitExceeded(message),
            "ExecutionAlreadyExists" => SfnError::ExecutionAlreadyExists(message),
            "ExecutionDoesNotExist" => SfnError::ExecutionDoesNotExist(message),
            "ExecutionLimitExceeded" => SfnError::ExecutionLimitExceeded(message),
            "InvalidArn" => SfnError::InvalidArn(message),
            "InvalidDefinition" => SfnError::InvalidDefinition {
                message,
                diagnostics: Diagnostics::default(),
            },
            "InvalidExecutionInput" => SfnError::InvalidExecutionInput(message),
            "InvalidName" => SfnError::InvalidName(message),
            "InvalidOutput" => SfnError::InvalidOutput(message),
            "InvalidToken" => SfnError::InvalidToken(message),
            "StateMachineAlreadyExists" => SfnError::StateMachineAlreadyExists(message),
            "StateMachineDeleting" => SfnError::StateMachineDeleting(message),
            "StateMachineDoesNotExist" => SfnError::StateMachineDoesNotExist(message),
            "ResourceNotFound" => SfnError::ResourceNotFound {
                message,
                resource_name: None,
            },
            "TooManyTags" => SfnError::TooManyTags {
                message,
                resource_name: None,
            },
            "TaskDoesNotExist" => SfnError::TaskDoesNotExist(message),
            "TaskTimedOut" => SfnError::TaskTimedOut(message),
            "ValidationException" => SfnError::ValidationException(message),
            "Transport" => SfnError::Transport(message),
            code => SfnError::Service {
                code: code.to_string(),
                message,
            },
        }
    }

    /// True when the same call may succeed if made again later: the request
    /// did not reach the service or its answer was lost (`Transport`), or
    /// the service asked to slow down or is unavailable for a while
    /// ([`RETRYABLE_CODES`](Self::RETRYABLE_CODES)). Every other error is the
    /// service's answer to the request, which making it again would not
    /// change.
    ///
    /// ```
    /// use sfini_runtime::api::SfnError;
    ///
    /// let throttled = SfnError::Service {
    ///     code: "ThrottlingException".into(),
    ///     message: "Rate exceeded".into(),
    /// };
    /// assert!(throttled.is_retryable());
    /// assert!(SfnError::Transport("connection reset".into()).is_retryable());
    /// assert!(!SfnError::TaskTimedOut("closed".into()).is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            SfnError::Transport(_) => true,
            SfnError::Service { code, .. } => Self::RETRYABLE_CODES.contains(&code.as_str()),
            _ => false,
        }
    }

    /// The error codes of the service that ask the caller to try again
    /// later: throttling, and the service being briefly unavailable.
    pub const RETRYABLE_CODES: &'static [&'static str] = &[
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestThrottled",
        "RequestThrottledException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalFailure",
        "InternalServerError",
        "InternalServerException",
        "RequestTimeout",
        "RequestTimeoutException",
    ];

    /// The message, without the code.
    pub fn message(&self) -> &str {
        match self {
            SfnError::ActivityDoesNotExist(message)
            | SfnError::ActivityLimitExceeded(message)
            | SfnError::ExecutionAlreadyExists(message)
            | SfnError::ExecutionDoesNotExist(message)
            | SfnError::ExecutionLimitExceeded(message)
            | SfnError::InvalidArn(message)
            | SfnError::InvalidExecutionInput(message)
            | SfnError::InvalidName(message)
            | SfnError::InvalidOutput(message)
            | SfnError::InvalidToken(message)
            | SfnError::StateMachineAlreadyExists(message)
            | SfnError::StateMachineDeleting(message)
            | SfnError::StateMachineDoesNotExist(message)
            | SfnError::TaskDoesNotExist(message)
            | SfnError::TaskTimedOut(message)
            | SfnError::ValidationException(message)
            | SfnError::Transport(message)
            | SfnError::InvalidDefinition { message, .. }
            | SfnError::ResourceNotFound { message, .. }
            | SfnError::TooManyTags { message, .. }
            | SfnError::Service { message, .. } => message,
        }
    }

    /// The ARN of the resource a `ResourceNotFound` or `TooManyTags` error
    /// names (AWS's `resourceName` member), when known.
    pub fn resource_name(&self) -> Option<&str> {
        match self {
            SfnError::ResourceNotFound { resource_name, .. }
            | SfnError::TooManyTags { resource_name, .. } => resource_name.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of every variant.
    fn every_variant() -> Vec<SfnError> {
        let message = || "what went wrong".to_string();
        vec![
            SfnError::ActivityDoesNotExist(message()),
            SfnError::ActivityLimitExceeded(message()),
            SfnError::ExecutionAlreadyExists(message()),
            SfnError::ExecutionDoesNotExist(message()),
            SfnError::ExecutionLimitExceeded(message()),
            SfnError::InvalidArn(message()),
            SfnError::InvalidDefinition {
                message: message(),
                diagnostics: Diagnostics::default(),
            },
            SfnError::InvalidExecutionInput(message()),
            SfnError::InvalidName(message()),
            SfnError::InvalidOutput(message()),
            SfnError::InvalidToken(message()),
            SfnError::StateMachineAlreadyExists(message()),
            SfnError::StateMachineDeleting(message()),
            SfnError::StateMachineDoesNotExist(message()),
            SfnError::ResourceNotFound {
                message: message(),
                resource_name: None,
            },
            SfnError::TooManyTags {
                message: message(),
                resource_name: None,
            },
            SfnError::TaskDoesNotExist(message()),
            SfnError::TaskTimedOut(message()),
            SfnError::ValidationException(message()),
            SfnError::Service {
                code: "ThrottlingException".into(),
                message: message(),
            },
            SfnError::Transport(message()),
        ]
    }

    #[test]
    fn every_code_reads_back_as_its_variant() {
        for error in every_variant() {
            let read = SfnError::from_code(error.code(), error.message());
            assert_eq!(
                std::mem::discriminant(&read),
                std::mem::discriminant(&error),
                "{} read back as {read:?}",
                error.code()
            );
            assert_eq!(read.code(), error.code());
            assert_eq!(read.message(), "what went wrong");
            assert_eq!(read.to_string(), error.to_string());
            assert_eq!(read.is_retryable(), error.is_retryable());
        }
    }

    #[test]
    fn an_unknown_code_is_kept_as_a_service_error() {
        let error = SfnError::from_code("KmsThrottlingException", "slow down");
        assert!(matches!(
            &error,
            SfnError::Service { code, message } if code == "KmsThrottlingException" && message == "slow down"
        ));
        assert!(!error.is_retryable());
        for code in SfnError::RETRYABLE_CODES {
            assert!(SfnError::from_code(code, "").is_retryable(), "{code}");
        }
        let SfnError::InvalidDefinition {
            message,
            diagnostics,
        } = SfnError::from_code("InvalidDefinition", "Invalid State Machine Definition")
        else {
            panic!("InvalidDefinition reads as its variant");
        };
        assert_eq!(message, "Invalid State Machine Definition");
        assert!(diagnostics.is_empty());
    }
}
