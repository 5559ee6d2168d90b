//! One HTTP request of the Step Functions JSON protocol: its operation
//! (from `X-Amz-Target`), its body (read up to a size and within a time),
//! the engine's answer, and the response with its headers.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::Value;
use tracing::Instrument;

use super::MAX_REQUEST_BYTES;
use super::console;
use super::error::ApiError;
use super::operation::{Operation, UNANSWERED};
use super::read::Reader;
use super::region::Engines;
use crate::api::quoted;

/// The content type of the protocol's requests and responses.
const CONTENT_TYPE_JSON: &str = "application/x-amz-json-1.0";
/// The header naming the operation.
const TARGET: HeaderName = HeaderName::from_static("x-amz-target");
/// The header carrying the request's id in the response.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
/// What `X-Amz-Target` starts with for Step Functions.
const TARGET_PREFIX: &str = "AWSStepFunctions.";
/// The longest unknown operation name for which a known one is suggested.
const SUGGESTED_UP_TO: usize = 64;

/// Answers one request, whose body must arrive within `body_read_timeout`
/// of its headers, with the engine of its region.
pub(crate) async fn answer(
    engines: Arc<Engines>,
    request: Request<Incoming>,
    body_read_timeout: Duration,
) -> Response<Full<Bytes>> {
    // The console's pages: `/console/...` without an X-Amz-Target.
    if console::is_console_request(&request) {
        return console::answer(engines, request, body_read_timeout).await;
    }
    let request_id = request_id();
    let target = request
        .headers()
        .get(TARGET)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let span = tracing::info_span!(
        "request",
        operation = target
            .as_deref()
            .and_then(|target| target.strip_prefix(TARGET_PREFIX))
            .unwrap_or("-"),
        request_id = %request_id,
        region = tracing::field::Empty,
    );
    async move {
        // The body is read first, even for a request refused for its
        // target or its region, so that the connection is ready for the
        // next request.
        let operation = operation(&request, target.as_deref());
        let engine = engines.for_request(request.headers());
        if let Ok((_, Some(region))) = &engine {
            tracing::Span::current().record("region", region.as_str());
        }
        let result = match read_body(request, body_read_timeout).await {
            Ok(body) => match (operation, engine) {
                (Ok(operation), Ok((engine, _))) => match Reader::from_body(&body) {
                    Ok(reader) => operation.call(engine.as_ref(), reader).await,
                    Err(error) => Err(error),
                },
                (Err(error), _) | (_, Err(error)) => Err(error),
            },
            Err(error) => Err(error),
        };
        match result {
            Ok(body) => {
                tracing::debug!(status = 200, "answered");
                response(StatusCode::OK, &body, &request_id, false)
            }
            Err(error) => {
                if error.status.is_server_error() {
                    tracing::warn!(status = error.status.as_u16(), code = %error.code, reason = %error.message, "failed");
                } else {
                    tracing::debug!(status = error.status.as_u16(), code = %error.code, reason = %error.message, "refused");
                }
                response(
                    error.status,
                    &error.body(),
                    &request_id,
                    error.closes_connection(),
                )
            }
        }
    }
    .instrument(span)
    .await
}

/// The operation a request asks for: `POST` with `X-Amz-Target:
/// AWSStepFunctions.<Operation>`.
fn operation<B>(request: &Request<B>, target: Option<&str>) -> Result<Operation, ApiError> {
    let Some(target) = target else {
        return Err(ApiError::unknown_operation(
            "the request has no X-Amz-Target header; Step Functions requests are `POST /` \
             naming their operation as `X-Amz-Target: AWSStepFunctions.<Operation>`"
                .into(),
        ));
    };
    let Some(name) = target.strip_prefix(TARGET_PREFIX) else {
        return Err(ApiError::unknown_operation(format!(
            "X-Amz-Target {} is not a Step Functions operation; Step Functions operations are \
             named `AWSStepFunctions.<Operation>`",
            quoted(target, '`')
        )));
    };
    let Some(operation) = Operation::from_name(name) else {
        let answered = Operation::ALL
            .iter()
            .map(|operation| operation.name())
            .collect::<Vec<_>>();
        let message = if UNANSWERED.contains(&name) {
            format!(
                "`{name}` is an operation of Step Functions that the local engine does not \
                 answer; it answers {}",
                answered.join(", ")
            )
        } else {
            let suggestion = if name.chars().nth(SUGGESTED_UP_TO).is_none() {
                sfini_core::suggest::did_you_mean(name, answered.iter().copied())
            } else {
                String::new()
            };
            format!(
                "{} is not an operation of Step Functions{suggestion} (the local engine \
                 answers {})",
                quoted(name, '`'),
                answered.join(", ")
            )
        };
        return Err(ApiError::unknown_operation(message));
    };
    if request.method() != Method::POST {
        return Err(ApiError::unknown_operation(format!(
            "Step Functions requests are `POST /`; this one is {}",
            quoted(
                &format!("{} {}", request.method(), request.uri().path()),
                '`'
            )
        )));
    }
    Ok(operation)
}

/// The request's body, refused without being read past
/// [`MAX_REQUEST_BYTES`] or for longer than `timeout`.
async fn read_body(request: Request<Incoming>, timeout: Duration) -> Result<Bytes, ApiError> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_REQUEST_BYTES as u64) {
        return Err(ApiError::too_large(MAX_REQUEST_BYTES));
    }
    let body = Limited::new(request.into_body(), MAX_REQUEST_BYTES).collect();
    // A client that sends its headers and then its body slowly, or not at
    // all, would hold its connection (and what was read so far) forever.
    let Ok(read) = tokio::time::timeout(timeout, body).await else {
        return Err(ApiError::body_too_slow(timeout));
    };
    match read {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ApiError::too_large(MAX_REQUEST_BYTES))
        }
        Err(error) => Err(ApiError::unreadable_body(&error.to_string())),
    }
}

/// A response with the protocol's headers; `close` ends the connection
/// after it.
fn response(
    status: StatusCode,
    body: &Value,
    request_id: &str,
    close: bool,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
    if close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    // The id is made of hexadecimal digits and dashes, always a valid
    // header value.
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID, value);
    }
    response
}

/// A random request id shaped as a UUID (version 4).
fn request_id() -> String {
    let bits: u128 = rand::random();
    let bits = (bits & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_version_4_uuids() {
        let id = request_id();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|part| part.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'), "{id}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
        assert_ne!(request_id(), id);
    }

    fn target(name: Option<&str>, method: Method) -> Result<Operation, ApiError> {
        let request = Request::builder()
            .method(method)
            .uri("/")
            .body(())
            .expect("a valid request");
        operation(&request, name)
    }

    #[test]
    fn operations_are_named_by_their_target() {
        assert_eq!(
            target(Some("AWSStepFunctions.StartExecution"), Method::POST),
            Ok(Operation::StartExecution)
        );
        let missing = target(None, Method::POST).expect_err("no target");
        assert_eq!(missing.code, "UnknownOperationException");
        let foreign =
            target(Some("DynamoDB_20120810.GetItem"), Method::POST).expect_err("another service");
        assert!(
            foreign
                .message
                .contains("`DynamoDB_20120810.GetItem` is not a Step Functions operation"),
            "{}",
            foreign.message
        );
        let typo =
            target(Some("AWSStepFunctions.StartExecutoin"), Method::POST).expect_err("misspelled");
        assert!(
            typo.message.contains("did you mean `StartExecution`?"),
            "{}",
            typo.message
        );
        let unanswered =
            target(Some("AWSStepFunctions.ListMapRuns"), Method::POST).expect_err("not answered");
        assert!(unanswered.message.starts_with("`ListMapRuns` is an operation of Step Functions that the local engine does not answer"), "{}", unanswered.message);
        let get = target(Some("AWSStepFunctions.StartExecution"), Method::GET)
            .expect_err("GET is refused");
        assert!(
            get.message.contains("this one is `GET /`"),
            "{}",
            get.message
        );
        let huge = format!("AWSStepFunctions.{}", "StartExecution".repeat(30_000));
        let long = target(Some(&huge), Method::POST).expect_err("no such operation");
        assert!(long.message.len() < 1000, "{}", long.message.len());
        assert!(
            long.message
                .contains("…` (420000 characters) is not an operation"),
            "{}",
            long.message
        );
        let foreign = target(Some(&"x".repeat(100_000)), Method::POST).expect_err("foreign");
        assert!(foreign.message.len() < 400, "{}", foreign.message.len());
    }
}
