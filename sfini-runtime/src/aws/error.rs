//! The SDK's errors as [`SfnError`]s.

use aws_sdk_sfn::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::api::SfnError;

/// The [`SfnError`] of a failed call of `operation`.
///
/// An error the service answered with becomes the variant of its code
/// ([`SfnError::from_code`]: a known code its variant, another
/// [`SfnError::Service`] keeping the code). A request that could not be
/// built or sent, timed out, or whose answer could not be read (an error
/// answer without a code among them) becomes [`SfnError::Transport`], with
/// the SDK's whole chain of causes in its message.
pub(crate) fn from_sdk<E>(operation: &str, error: SdkError<E>) -> SfnError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let SdkError::ServiceError(service) = &error {
        let answer = service.err();
        // An empty code is no code (a service that names no error).
        if let Some(code) = answer.code().filter(|code| !code.is_empty()) {
            let message = match answer.message() {
                Some(message) if !message.is_empty() => message.to_string(),
                _ => format!("{operation} failed with {code}; the service gave no message"),
            };
            return SfnError::from_code(code, message);
        }
    }
    let kind = match &error {
        SdkError::ConstructionFailure(_) => "could not be built".to_string(),
        SdkError::TimeoutError(_) => "timed out".to_string(),
        SdkError::DispatchFailure(_) => "could not be sent".to_string(),
        SdkError::ResponseError(_) => "got an answer that could not be read".to_string(),
        SdkError::ServiceError(service) => format!(
            "got an error answer (HTTP {}) without an error code",
            service.raw().status().as_u16()
        ),
        _ => "failed".to_string(),
    };
    SfnError::Transport(format!(
        "{operation} {kind}: {}",
        DisplayErrorContext(&error)
    ))
}
