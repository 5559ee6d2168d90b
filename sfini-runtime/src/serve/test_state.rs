//! `TestState` over HTTP: its request read member for member, and its
//! answer written, as the Step Functions API reference (2016-11-23) defines
//! them; the engine of the request's region answers it with
//! [`StepFunctions::test_state`](crate::api::StepFunctions::test_state).
//!
//! Request members: `definition` (required, 1 to 1,048,576 characters),
//! `roleArn`, `input`, `inspectionLevel` (`INFO`, `DEBUG`, `TRACE`),
//! `revealSecrets`, `variables`, `stateName`, `mock` (`result`,
//! `errorOutput` with `error` and `cause`, `fieldValidationMode`),
//! `context` and `stateConfiguration` (`retrierRetryCount`,
//! `errorCausedByState`, `mapIterationFailureCount`, `mapItemReaderData`).
//! Answer members: `output`, `error`, `cause`, `inspectionData` (each stage
//! as JSON text, `errorDetails`, a Map's settings as numbers), `nextState`
//! and `status`, each left out when absent.
//!
//! AWS's model gives `TestState` the host prefix `sync-`: SDKs send it to
//! `sync-<endpoint host>`. Against a local endpoint turn the prefix off
//! (botocore: `Config(inject_host_prefix=False)`).

use serde_json::{Number, Value};

use super::read::{self, Reader};
use super::write::Object;
use crate::api::*;

/// The most retries or failed iterations a request may count (the API's
/// integers are 32-bit).
const MAX_COUNT: i64 = i32::MAX as i64;

/// Reads a `TestState` request.
pub(crate) fn read_test_state(request: &mut Reader) -> (TestStateInput, ()) {
    let input = TestStateInput {
        definition: request.required_string("definition", read::DEFINITION),
        role_arn: request.string("roleArn", read::ARN),
        input: request.string("input", read::DATA),
        inspection_level: request.keyword(
            "inspectionLevel",
            &["INFO", "DEBUG", "TRACE"],
            InspectionLevel::from_name,
        ),
        reveal_secrets: request.boolean("revealSecrets"),
        variables: request.string("variables", read::DATA),
        state_name: request.string("stateName", read::NAME),
        mock: request.structure("mock", |mock| MockInput {
            result: mock.string("mock.result", read::DATA),
            error_output: mock.structure("mock.errorOutput", |error| MockErrorOutput {
                error: error.string("mock.errorOutput.error", read::ERROR),
                cause: error.string("mock.errorOutput.cause", read::CAUSE),
            }),
            field_validation_mode: mock.keyword(
                "mock.fieldValidationMode",
                &["STRICT", "PRESENT", "NONE"],
                MockResponseValidationMode::from_name,
            ),
        }),
        context: request.string("context", read::DATA),
        state_configuration: request.structure("stateConfiguration", |configuration| {
            TestStateConfiguration {
                retrier_retry_count: count(configuration, "stateConfiguration.retrierRetryCount"),
                error_caused_by_state: configuration
                    .string("stateConfiguration.errorCausedByState", read::NAME),
                map_iteration_failure_count: count(
                    configuration,
                    "stateConfiguration.mapIterationFailureCount",
                ),
                map_item_reader_data: configuration
                    .string("stateConfiguration.mapItemReaderData", read::DATA),
            }
        }),
    };
    (input, ())
}

/// A count: a whole number from 0.
fn count(request: &mut Reader, name: &'static str) -> Option<u32> {
    request
        .integer(name, 0, MAX_COUNT)
        .and_then(|count| u32::try_from(count).ok())
}

/// Writes a `TestState` answer.
pub(crate) fn write_test_state(output: TestStateOutput, (): ()) -> Value {
    let mut object = Object::new()
        .optional("output", output.output)
        .optional("error", output.error)
        .optional("cause", output.cause);
    if let Some(data) = output.inspection_data {
        object = object.value("inspectionData", inspection_data(data));
    }
    object
        .optional("nextState", output.next_state)
        .optional("status", output.status.map(TestExecutionStatus::as_str))
        .build()
}

/// `inspectionData`: its members in the API reference's order.
fn inspection_data(data: InspectionData) -> Value {
    let mut object = Object::new()
        .optional("input", data.input)
        .optional("afterArguments", data.after_arguments)
        .optional("afterInputPath", data.after_input_path)
        .optional("afterParameters", data.after_parameters)
        .optional("result", data.result)
        .optional("afterResultSelector", data.after_result_selector)
        .optional("afterResultPath", data.after_result_path);
    if let Some(request) = data.request {
        object = object.value(
            "request",
            Object::new()
                .optional("protocol", request.protocol)
                .optional("method", request.method)
                .optional("url", request.url)
                .optional("headers", request.headers)
                .optional("body", request.body)
                .build(),
        );
    }
    if let Some(response) = data.response {
        object = object.value(
            "response",
            Object::new()
                .optional("protocol", response.protocol)
                .optional("statusCode", response.status_code)
                .optional("statusMessage", response.status_message)
                .optional("headers", response.headers)
                .optional("body", response.body)
                .build(),
        );
    }
    object = object.optional("variables", data.variables);
    if let Some(details) = data.error_details {
        let mut error = Object::new();
        if let Some(index) = details.catch_index {
            error = error.value("catchIndex", Value::from(index));
        }
        if let Some(index) = details.retry_index {
            error = error.value("retryIndex", Value::from(index));
        }
        if let Some(seconds) = details.retry_backoff_interval_seconds {
            error = error.value("retryBackoffIntervalSeconds", Value::from(seconds));
        }
        object = object.value("errorDetails", error.build());
    }
    object = object
        .optional("afterItemsPath", data.after_items_path)
        .optional("afterItemSelector", data.after_item_selector)
        .optional("afterItemBatcher", data.after_item_batcher)
        .optional("afterItemsPointer", data.after_items_pointer);
    if let Some(count) = data.tolerated_failure_count {
        object = object.value("toleratedFailureCount", Value::from(count));
    }
    if let Some(percentage) = data.tolerated_failure_percentage
        && let Some(number) = Number::from_f64(percentage)
    {
        object = object.value("toleratedFailurePercentage", Value::Number(number));
    }
    if let Some(count) = data.max_concurrency {
        object = object.value("maxConcurrency", Value::from(count));
    }
    object.build()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(body: Value) -> Result<TestStateInput, String> {
        let mut request = Reader::from_body(body.to_string().as_bytes())
            .map_err(|error| error.message.clone())?;
        let (input, ()) = read_test_state(&mut request);
        request
            .finish("TestState")
            .map(|()| input)
            .map_err(|error| error.message)
    }

    #[test]
    fn every_member_is_read_under_its_name() {
        let input = read(json!({
            "definition": "{}",
            "roleArn": "arn:aws:iam::1:role/r",
            "input": "{\"a\": 1}",
            "inspectionLevel": "DEBUG",
            "revealSecrets": false,
            "variables": "{}",
            "stateName": "S",
            "mock": {
                "errorOutput": {"error": "E", "cause": "C"},
                "fieldValidationMode": "NONE"
            },
            "context": "{}",
            "stateConfiguration": {
                "retrierRetryCount": 2,
                "errorCausedByState": "Inner",
                "mapIterationFailureCount": 1
            }
        }))
        .expect("read");
        assert_eq!(input.inspection_level, Some(InspectionLevel::Debug));
        assert_eq!(
            input.mock,
            Some(MockInput {
                result: None,
                error_output: Some(MockErrorOutput {
                    error: Some("E".into()),
                    cause: Some("C".into())
                }),
                field_validation_mode: Some(MockResponseValidationMode::None),
            })
        );
        assert_eq!(
            input.state_configuration,
            Some(TestStateConfiguration {
                retrier_retry_count: Some(2),
                error_caused_by_state: Some("Inner".into()),
                map_iteration_failure_count: Some(1),
                map_item_reader_data: None,
            })
        );
    }

    #[test]
    fn nested_problems_are_named_by_their_whole_member() {
        let message = read(json!({
            "inspectionLevel": "LOUD",
            "mock": {"reslt": "1", "errorOutput": 3},
            "stateConfiguration": {"retrierRetryCount": -1}
        }))
        .expect_err("refused");
        assert!(
            message.starts_with("5 validation errors detected: "),
            "{message}"
        );
        for part in [
            "Value null at 'definition' failed to satisfy constraint: Member must not be null",
            "Value 'LOUD' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy \
             enum value set: [INFO, DEBUG, TRACE]",
            "Value 3 at 'mock.errorOutput' failed to satisfy constraint: Member must be an object",
            "'mock.reslt' is not a member of 'mock'; did you mean `mock.result`?",
            "Value '-1' at 'stateConfiguration.retrierRetryCount' failed to satisfy constraint: \
             Member must have value greater than or equal to 0",
        ] {
            assert!(message.contains(part), "{part}\n{message}");
        }
        let message = read(json!({"definition": "{}", "mock": []})).expect_err("refused");
        assert!(
            message.contains("at 'mock' failed to satisfy constraint: Member must be an object"),
            "{message}"
        );
    }

    #[test]
    fn answers_are_written_in_camel_case_without_absent_members() {
        let written = write_test_state(
            TestStateOutput {
                output: None,
                error: Some("E".into()),
                cause: None,
                inspection_data: Some(InspectionData {
                    input: Some("{}".into()),
                    error_details: Some(InspectionErrorDetails {
                        catch_index: None,
                        retry_index: Some(0),
                        retry_backoff_interval_seconds: Some(16),
                    }),
                    tolerated_failure_percentage: Some(1.0),
                    max_concurrency: Some(0),
                    ..Default::default()
                }),
                next_state: None,
                status: Some(TestExecutionStatus::Retriable),
            },
            (),
        );
        assert_eq!(
            written,
            json!({
                "error": "E",
                "inspectionData": {
                    "input": "{}",
                    "errorDetails": {"retryIndex": 0, "retryBackoffIntervalSeconds": 16},
                    "toleratedFailurePercentage": 1.0,
                    "maxConcurrency": 0
                },
                "status": "RETRIABLE"
            })
        );
    }
}
