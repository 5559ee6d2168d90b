//! Errors as the Step Functions JSON protocol sends them: an HTTP status and
//! a body `{"__type": "<namespace>#<code>", "message": "..."}`.
//!
//! The namespace depends on who, on AWS, raises the error: the Step
//! Functions service itself (`com.amazonaws.swf.service.v2.model`), the
//! request validation in front of it (`com.amazon.coral.validate`, for
//! `ValidationException`), or the service framework
//! (`com.amazon.coral.service`, for an unknown operation, a request too
//! slow to arrive, or an internal failure). SDKs keep only what follows `#`
//! as the error's code.
//!
//! Messages quote what the request held only in part (see
//! [`quoted`](crate::api::quoted)), and every message is cut at
//! [`MAX_MESSAGE_BYTES`] besides, so that no answer grows with the request.

use std::time::Duration;

use hyper::StatusCode;
use serde_json::json;

use crate::api::SfnError;

/// The namespace of the errors of Step Functions itself.
const SERVICE_NAMESPACE: &str = "com.amazonaws.swf.service.v2.model";
/// The namespace of request validation errors.
const VALIDATE_NAMESPACE: &str = "com.amazon.coral.validate";
/// The namespace of the service framework's own errors.
const FRAMEWORK_NAMESPACE: &str = "com.amazon.coral.service";

/// The longest message an error answer carries, in bytes; a longer one is
/// cut (at a character's start) and ends with [`CUT_MARKER`].
pub(crate) const MAX_MESSAGE_BYTES: usize = 4096;
/// What ends a message that was cut.
const CUT_MARKER: &str = " … (message cut)";

/// An error answer: its status, `__type` and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The namespace of the `__type`.
    namespace: &'static str,
    /// The error's code, such as `StateMachineDoesNotExist`.
    pub(crate) code: String,
    /// What was wrong.
    pub(crate) message: String,
    /// The resource a `ResourceNotFound` or `TooManyTags` error names
    /// (`resourceName`).
    pub(crate) resource_name: Option<String>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        namespace: &'static str,
        code: impl Into<String>,
        message: String,
    ) -> ApiError {
        ApiError {
            status,
            namespace,
            code: code.into(),
            message: capped(message),
            resource_name: None,
        }
    }

    /// A `ValidationException` listing every problem of a request, as AWS
    /// words it: `1 validation error detected: <problem>` or
    /// `2 validation errors detected: <problem>; <problem>`.
    pub(crate) fn validation(problems: &[String]) -> ApiError {
        let noun = if problems.len() == 1 {
            "error"
        } else {
            "errors"
        };
        ApiError::new(
            StatusCode::BAD_REQUEST,
            VALIDATE_NAMESPACE,
            "ValidationException",
            format!(
                "{} validation {noun} detected: {}",
                problems.len(),
                problems.join("; ")
            ),
        )
    }

    /// An `UnknownOperationException`: the request names no operation, or
    /// one this server does not answer.
    pub(crate) fn unknown_operation(message: String) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            FRAMEWORK_NAMESPACE,
            "UnknownOperationException",
            message,
        )
    }

    /// An `InvalidSignatureException` (HTTP 400): the request's signature
    /// is scoped to a region this server does not serve.
    pub(crate) fn invalid_signature(message: String) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            FRAMEWORK_NAMESPACE,
            "InvalidSignatureException",
            message,
        )
    }

    /// A body larger than the server reads: HTTP 413 with a
    /// `ValidationException`.
    pub(crate) fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            VALIDATE_NAMESPACE,
            "ValidationException",
            format!(
                "the request body is larger than {limit} bytes, the most this server reads \
                 (Step Functions' largest members are a 1 MiB definition and a 256 KiB input)"
            ),
        )
    }

    /// A body that did not arrive within `limit` of the request's headers:
    /// HTTP 408 with a `RequestTimeoutException`, which SDKs retry.
    pub(crate) fn body_too_slow(limit: Duration) -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            FRAMEWORK_NAMESPACE,
            "RequestTimeoutException",
            format!(
                "the request body did not arrive within {limit:?} of the request's headers; \
                 send the whole body at once"
            ),
        )
    }

    /// True when the connection is closed after this answer: the rest of
    /// the request's body was not read, so the next request cannot be found
    /// on it.
    pub(crate) fn closes_connection(&self) -> bool {
        matches!(
            self.status,
            StatusCode::REQUEST_TIMEOUT | StatusCode::PAYLOAD_TOO_LARGE
        )
    }

    /// A body that could not be read off the connection.
    pub(crate) fn unreadable_body(reason: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            VALIDATE_NAMESPACE,
            "ValidationException",
            format!("the request body could not be read: {reason}"),
        )
    }

    /// The engine's error: HTTP 400 with the error's code, or HTTP 500
    /// `InternalFailure` when the engine itself could not be reached.
    pub(crate) fn from_engine(error: &SfnError) -> ApiError {
        match error {
            SfnError::Transport(message) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                FRAMEWORK_NAMESPACE,
                "InternalFailure",
                format!("the engine could not answer: {message}"),
            ),
            SfnError::ValidationException(message) => ApiError::new(
                StatusCode::BAD_REQUEST,
                VALIDATE_NAMESPACE,
                "ValidationException",
                message.clone(),
            ),
            other => ApiError {
                resource_name: other.resource_name().map(|name| capped(name.to_string())),
                ..ApiError::new(
                    if matches!(
                        other.code(),
                        "InternalFailure" | "InternalServerError" | "InternalServerException"
                    ) {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else if matches!(
                        other.code(),
                        "ServiceUnavailable" | "ServiceUnavailableException"
                    ) {
                        StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        StatusCode::BAD_REQUEST
                    },
                    SERVICE_NAMESPACE,
                    capped(other.code().to_string()),
                    other.message().to_string(),
                )
            },
        }
    }

    /// The `__type` member: namespace, `#`, code.
    pub(crate) fn type_name(&self) -> String {
        format!("{}#{}", self.namespace, self.code)
    }

    /// The body: `{"__type", "message"}`, and `resourceName` for the
    /// errors that name a resource.
    pub(crate) fn body(&self) -> serde_json::Value {
        let mut body = json!({"__type": self.type_name(), "message": self.message});
        if let Some(resource_name) = &self.resource_name {
            body["resourceName"] = json!(resource_name);
        }
        body
    }
}

/// `message`, cut to [`MAX_MESSAGE_BYTES`] at a character's start and
/// marked as cut if it is longer.
fn capped(mut message: String) -> String {
    if message.len() > MAX_MESSAGE_BYTES {
        let cut = message.floor_char_boundary(MAX_MESSAGE_BYTES - CUT_MARKER.len());
        message.truncate(cut);
        message.push_str(CUT_MARKER);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_code_in_the_service_namespace() {
        let error = ApiError::from_engine(&SfnError::StateMachineDoesNotExist("gone".into()));
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            error.body(),
            json!({
                "__type": "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist",
                "message": "gone"
            })
        );
        let throttled = ApiError::from_engine(&SfnError::Service {
            code: "ThrottlingException".into(),
            message: "slow down".into(),
        });
        assert_eq!(
            throttled.type_name(),
            "com.amazonaws.swf.service.v2.model#ThrottlingException"
        );
        let lost = ApiError::from_engine(&SfnError::Transport("reset".into()));
        assert_eq!(lost.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(lost.type_name(), "com.amazon.coral.service#InternalFailure");
    }

    #[test]
    fn long_messages_are_cut_at_a_character() {
        let short = ApiError::unknown_operation("short".into());
        assert_eq!(short.message, "short");
        for filler in ["x", "é", "€", "😀"] {
            let error = ApiError::from_engine(&SfnError::InvalidArn(filler.repeat(1 << 20)));
            assert!(error.message.len() <= MAX_MESSAGE_BYTES, "{filler}");
            assert!(
                error.message.len() > MAX_MESSAGE_BYTES - CUT_MARKER.len() - 4,
                "{filler}"
            );
            assert!(error.message.ends_with(CUT_MARKER), "{filler}");
            let kept = error.message.strip_suffix(CUT_MARKER).expect("marked");
            assert!(kept.chars().all(|c| c.to_string() == filler), "{filler}");
        }
        let exact = "y".repeat(MAX_MESSAGE_BYTES);
        assert_eq!(capped(exact.clone()), exact);
        let many = ApiError::validation(&vec!["a problem".to_string(); 100_000]);
        assert!(many.message.len() <= MAX_MESSAGE_BYTES);
        assert!(many.body().to_string().len() < MAX_MESSAGE_BYTES + 200);
    }

    #[test]
    fn validation_messages_count_their_problems() {
        assert_eq!(
            ApiError::validation(&["a".into()]).message,
            "1 validation error detected: a"
        );
        let two = ApiError::validation(&["a".into(), "b".into()]);
        assert_eq!(two.message, "2 validation errors detected: a; b");
        assert_eq!(
            two.type_name(),
            "com.amazon.coral.validate#ValidationException"
        );
    }
}
