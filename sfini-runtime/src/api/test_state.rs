//! `TestState`: the request and the answer of the call that runs one state
//! with a given input and says what it produced, shaped as the AWS API
//! reference defines them (fields in snake_case, optional fields as
//! `Option`).
//!
//! JSON data (the input, the output, the variables, a mocked result, each
//! stage of the inspection data) travels as JSON text, as in the API.

macro_rules! test_state_keyword {
    ($(#[$doc:meta])* pub enum $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $text:literal ),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
            /// Every value, in the order the API lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name as the API writes it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The value the API writes as `text`.
            pub fn from_name(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

test_state_keyword! {
    /// How much `TestState` tells of what the state did.
    pub enum InspectionLevel {
        /// The status, the next state, the output or the error (the
        /// default): no inspection data.
        Info = "INFO",
        /// Also the data at each stage of the state's data flow, the
        /// variables, and which retrier or catcher handled an error.
        Debug = "DEBUG",
        /// Also the HTTP request and response of an HTTP Task.
        Trace = "TRACE",
    }
}

test_state_keyword! {
    /// How the state under test ended.
    pub enum TestExecutionStatus {
        /// It completed: its output goes to the next state.
        Succeeded = "SUCCEEDED",
        /// It failed, and nothing handled the error.
        Failed = "FAILED",
        /// It failed with an error a retrier of the state retries: the
        /// state would run again.
        Retriable = "RETRIABLE",
        /// It failed with an error a catcher of the state catches: the
        /// catcher's output goes to its `Next` state.
        CaughtError = "CAUGHT_ERROR",
    }
}

test_state_keyword! {
    /// How strictly a mocked result is checked against the API of the
    /// service the state calls.
    pub enum MockResponseValidationMode {
        /// Every required field present, every field of the right shape
        /// (the default).
        Strict = "STRICT",
        /// Every field present of the right shape.
        Present = "PRESENT",
        /// No check.
        None = "NONE",
    }
}

/// What the state under test returns instead of doing its work: a result,
/// or an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MockInput {
    /// The result, as JSON text.
    pub result: Option<String>,
    /// The error.
    pub error_output: Option<MockErrorOutput>,
    /// How strictly the result is checked (`STRICT` by default).
    pub field_validation_mode: Option<MockResponseValidationMode>,
}

/// A mocked error: its name, which Retry and Catch match, and its cause.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MockErrorOutput {
    /// The error name (required when an error is mocked).
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
}

/// Where the state under test stands when it runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestStateConfiguration {
    /// How many retries of the retrier that matches the mocked error have
    /// already happened.
    pub retrier_retry_count: Option<u32>,
    /// The state, inside the Map or Parallel state under test, that the
    /// mocked error comes from.
    pub error_caused_by_state: Option<String>,
    /// How many of a Map state's iterations failed.
    pub map_iteration_failure_count: Option<u32>,
    /// What a Distributed Map's `ItemReader` reads, as JSON text.
    pub map_item_reader_data: Option<String>,
}

/// `TestState`'s request. Data (the input, the variables, a mocked
/// result, a context object) travels as JSON text, as in the API:
///
/// ```
/// use sfini_runtime::api::{InspectionLevel, TestExecutionStatus, TestStateInput};
/// use sfini_runtime::local::LocalEngine;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), sfini_runtime::api::SfnError> {
/// let engine = LocalEngine::new();
/// let tested = engine
///     .test_state(TestStateInput {
///         definition: r#"{"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "Next": "Done"}"#.into(),
///         input: Some(r#"{"a": 1, "b": 2}"#.into()),
///         inspection_level: Some(InspectionLevel::Debug),
///         ..Default::default()
///     })
///     .await?;
/// assert_eq!(tested.status, Some(TestExecutionStatus::Succeeded));
/// assert_eq!(tested.output.as_deref(), Some(r#"{"sum":3}"#));
/// assert_eq!(tested.next_state.as_deref(), Some("Done"));
/// let inspection = tested.inspection_data.expect("DEBUG inspects");
/// assert_eq!(inspection.after_parameters.as_deref(), Some(r#"{"sum":3}"#));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestStateInput {
    /// One state's definition, or with `state_name` a whole state machine's.
    pub definition: String,
    /// The IAM role the state runs as (required for a Task state that is
    /// not mocked).
    pub role_arn: Option<String>,
    /// The state's input, as JSON text (`{}` when absent).
    pub input: Option<String>,
    /// How much to tell (`INFO` when absent).
    pub inspection_level: Option<InspectionLevel>,
    /// Whether to show what an HTTP Task's connection adds to its request.
    pub reveal_secrets: Option<bool>,
    /// The workflow variables the state sees, as a JSON object's text.
    pub variables: Option<String>,
    /// The state of `definition`, a whole state machine, to test.
    pub state_name: Option<String>,
    /// What the state returns instead of doing its work.
    pub mock: Option<MockInput>,
    /// The context object (`$$`) the state sees, as JSON text; only with a
    /// mock.
    pub context: Option<String>,
    /// Where the state stands when it runs.
    pub state_configuration: Option<TestStateConfiguration>,
}

/// The HTTP request an HTTP Task sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InspectionDataRequest {
    /// Its protocol.
    pub protocol: Option<String>,
    /// Its method.
    pub method: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its headers.
    pub headers: Option<String>,
    /// Its body.
    pub body: Option<String>,
}

/// The HTTP response an HTTP Task received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InspectionDataResponse {
    /// Its protocol.
    pub protocol: Option<String>,
    /// Its status code.
    pub status_code: Option<String>,
    /// The status's message.
    pub status_message: Option<String>,
    /// Its headers.
    pub headers: Option<String>,
    /// Its body.
    pub body: Option<String>,
}

/// Which retrier or catcher handled the state's error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InspectionErrorDetails {
    /// The index of the catcher that caught it.
    pub catch_index: Option<u32>,
    /// The index of the retrier that matched it.
    pub retry_index: Option<u32>,
    /// How long, in seconds, the retrier waits before the next attempt.
    pub retry_backoff_interval_seconds: Option<u64>,
}

/// What the state did, stage by stage (at the `DEBUG` and `TRACE`
/// inspection levels). Data is JSON text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InspectionData {
    /// The state's raw input.
    pub input: Option<String>,
    /// The input after `Arguments` (JSONata).
    pub after_arguments: Option<String>,
    /// The input after `InputPath` (JSONPath).
    pub after_input_path: Option<String>,
    /// The input after `Parameters` (JSONPath).
    pub after_parameters: Option<String>,
    /// The state's result.
    pub result: Option<String>,
    /// The result after `ResultSelector` (JSONPath).
    pub after_result_selector: Option<String>,
    /// The raw input with the result after `ResultPath` (JSONPath).
    pub after_result_path: Option<String>,
    /// An HTTP Task's request.
    pub request: Option<InspectionDataRequest>,
    /// An HTTP Task's response.
    pub response: Option<InspectionDataResponse>,
    /// The workflow variables after the state: those given and those it
    /// assigned, as a JSON object's text.
    pub variables: Option<String>,
    /// Which retrier or catcher handled an error.
    pub error_details: Option<InspectionErrorDetails>,
    /// A Map's input after `ItemsPath` (JSONPath): its items.
    pub after_items_path: Option<String>,
    /// The inputs of a Map's iterations, after `ItemSelector`.
    pub after_item_selector: Option<String>,
    /// A Map's items after `ItemBatcher`.
    pub after_item_batcher: Option<String>,
    /// A Map's items after `ItemsPointer`.
    pub after_items_pointer: Option<String>,
    /// A Map's `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<u64>,
    /// A Map's `ToleratedFailurePercentage`.
    pub tolerated_failure_percentage: Option<f64>,
    /// A Map's `MaxConcurrency`.
    pub max_concurrency: Option<u64>,
}

/// `TestState`'s answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestStateOutput {
    /// The state's output, as JSON text, when it completed or a catcher
    /// caught its error.
    pub output: Option<String>,
    /// The error it failed with.
    pub error: Option<String>,
    /// The error's cause.
    pub cause: Option<String>,
    /// What it did, stage by stage (`DEBUG`, `TRACE`).
    pub inspection_data: Option<InspectionData>,
    /// The state it goes to next, when there is one.
    pub next_state: Option<String>,
    /// How it ended.
    pub status: Option<TestExecutionStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_read_as_the_api_writes_them() {
        for level in InspectionLevel::ALL {
            assert_eq!(InspectionLevel::from_name(level.as_str()), Some(*level));
        }
        for status in TestExecutionStatus::ALL {
            assert_eq!(
                TestExecutionStatus::from_name(status.as_str()),
                Some(*status)
            );
        }
        for mode in MockResponseValidationMode::ALL {
            assert_eq!(
                MockResponseValidationMode::from_name(&mode.to_string()),
                Some(*mode)
            );
        }
        assert_eq!(TestExecutionStatus::CaughtError.as_str(), "CAUGHT_ERROR");
        assert_eq!(InspectionLevel::from_name("debug"), None);
    }
}
