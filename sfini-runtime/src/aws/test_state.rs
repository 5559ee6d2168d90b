//! `TestState` through the SDK: the request's members sent one to one, the
//! answer's read back, an answer sfini cannot represent (a status it does
//! not know) refused as [`UNEXPECTED_RESPONSE`](super::UNEXPECTED_RESPONSE).
//!
//! AWS's model sends `TestState` to the endpoint's host with the prefix
//! `sync-`, which the SDK adds. An endpoint that is a loopback or literal
//! address, or `localhost` (such as `sfini local serve`), has no such host:
//! the prefix is taken off again for it, so that the call reaches it.

use aws_sdk_sfn::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_sfn::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_sfn::error::BoxError;
use aws_sdk_sfn::types as sdk;

use super::convert::unexpected;
use super::error::from_sdk;
use crate::api::*;

/// The host prefix of `TestState` in AWS's model.
const SYNC_PREFIX: &str = "sync-";

/// Calls `TestState`.
pub(super) async fn test_state(
    client: &aws_sdk_sfn::Client,
    input: TestStateInput,
) -> Result<TestStateOutput, SfnError> {
    let output = client
        .test_state()
        .definition(input.definition)
        .set_role_arn(input.role_arn)
        .set_input(input.input)
        .set_inspection_level(
            input
                .inspection_level
                .map(|level| sdk::InspectionLevel::from(level.as_str())),
        )
        .set_reveal_secrets(input.reveal_secrets)
        .set_variables(input.variables)
        .set_state_name(input.state_name)
        .set_mock(input.mock.map(sdk_mock))
        .set_context(input.context)
        .set_state_configuration(input.state_configuration.map(sdk_configuration))
        .customize()
        .interceptor(LocalSyncHost)
        .send()
        .await
        .map_err(|error| from_sdk("TestState", error))?;
    let status = match output.status() {
        None => None,
        Some(status) => Some(
            TestExecutionStatus::from_name(status.as_str()).ok_or_else(|| {
                unexpected(format!(
                    "TestState answered the status `{}`, which sfini does not know",
                    status.as_str()
                ))
            })?,
        ),
    };
    Ok(TestStateOutput {
        output: output.output,
        error: output.error,
        cause: output.cause,
        inspection_data: output.inspection_data.map(inspection_data),
        next_state: output.next_state,
        status,
    })
}

fn sdk_mock(mock: MockInput) -> sdk::MockInput {
    sdk::MockInput::builder()
        .set_result(mock.result)
        .set_error_output(mock.error_output.map(|error| {
            sdk::MockErrorOutput::builder()
                .set_error(error.error)
                .set_cause(error.cause)
                .build()
        }))
        .set_field_validation_mode(
            mock.field_validation_mode
                .map(|mode| sdk::MockResponseValidationMode::from(mode.as_str())),
        )
        .build()
}

/// A count as the API's 32-bit integer (the largest one beyond it).
fn sdk_count(count: u32) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}

fn sdk_configuration(configuration: TestStateConfiguration) -> sdk::TestStateConfiguration {
    sdk::TestStateConfiguration::builder()
        .set_retrier_retry_count(configuration.retrier_retry_count.map(sdk_count))
        .set_error_caused_by_state(configuration.error_caused_by_state)
        .set_map_iteration_failure_count(configuration.map_iteration_failure_count.map(sdk_count))
        .set_map_item_reader_data(configuration.map_item_reader_data)
        .build()
}

/// A count the service answered; never negative in its model.
fn count(count: Option<i32>) -> Option<u64> {
    count.and_then(|count| u64::try_from(count).ok())
}

fn inspection_data(data: sdk::InspectionData) -> InspectionData {
    InspectionData {
        input: data.input,
        after_arguments: data.after_arguments,
        after_input_path: data.after_input_path,
        after_parameters: data.after_parameters,
        result: data.result,
        after_result_selector: data.after_result_selector,
        after_result_path: data.after_result_path,
        request: data.request.map(|request| InspectionDataRequest {
            protocol: request.protocol,
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: request.body,
        }),
        response: data.response.map(|response| InspectionDataResponse {
            protocol: response.protocol,
            status_code: response.status_code,
            status_message: response.status_message,
            headers: response.headers,
            body: response.body,
        }),
        variables: data.variables,
        error_details: data.error_details.map(|details| InspectionErrorDetails {
            catch_index: details
                .catch_index
                .and_then(|index| u32::try_from(index).ok()),
            retry_index: details
                .retry_index
                .and_then(|index| u32::try_from(index).ok()),
            retry_backoff_interval_seconds: count(details.retry_backoff_interval_seconds),
        }),
        after_items_path: data.after_items_path,
        after_item_selector: data.after_item_selector,
        after_item_batcher: data.after_item_batcher,
        after_items_pointer: data.after_items_pointer,
        tolerated_failure_count: count(data.tolerated_failure_count),
        tolerated_failure_percentage: data.tolerated_failure_percentage.map(f64::from),
        max_concurrency: count(data.max_concurrency),
    }
}

/// Takes the `sync-` prefix off a host that cannot have it: `localhost`,
/// or a literal IP address.
#[derive(Debug)]
pub(super) struct LocalSyncHost;

impl Intercept for LocalSyncHost {
    fn name(&self) -> &'static str {
        "sfini.LocalSyncHost"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = without_local_prefix(request.uri()) {
            request.set_uri(uri)?;
        }
        Ok(())
    }
}

/// `uri` without the `sync-` prefix of its host, when the host is
/// `localhost` or a literal address once it is taken off.
fn without_local_prefix(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(host_end);
    let bare = authority.strip_prefix(SYNC_PREFIX)?;
    let host = match bare.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => bare,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let local = host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok();
    local.then(|| format!("{scheme}://{bare}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sync_prefix_is_taken_off_local_hosts_only() {
        assert_eq!(
            without_local_prefix("http://sync-127.0.0.1:8083/"),
            Some("http://127.0.0.1:8083/".into())
        );
        assert_eq!(
            without_local_prefix("http://sync-localhost:8083/?x=1"),
            Some("http://localhost:8083/?x=1".into())
        );
        assert_eq!(
            without_local_prefix("http://sync-[::1]:8083/"),
            Some("http://[::1]:8083/".into())
        );
        assert_eq!(
            without_local_prefix("https://sync-states.us-east-1.amazonaws.com/"),
            None
        );
        assert_eq!(without_local_prefix("http://127.0.0.1:8083/"), None);
    }

    #[test]
    fn members_are_carried_both_ways() {
        let mock = sdk_mock(MockInput {
            result: None,
            error_output: Some(MockErrorOutput {
                error: Some("E".into()),
                cause: Some("C".into()),
            }),
            field_validation_mode: Some(MockResponseValidationMode::Present),
        });
        assert_eq!(
            mock.error_output().and_then(|error| error.error()),
            Some("E")
        );
        assert_eq!(
            mock.field_validation_mode(),
            Some(&sdk::MockResponseValidationMode::Present)
        );
        let configuration = sdk_configuration(TestStateConfiguration {
            retrier_retry_count: Some(u32::MAX),
            ..Default::default()
        });
        assert_eq!(configuration.retrier_retry_count(), Some(i32::MAX));
        let data = inspection_data(
            sdk::InspectionData::builder()
                .input("{}")
                .max_concurrency(3)
                .tolerated_failure_percentage(12.5)
                .error_details(
                    sdk::InspectionErrorDetails::builder()
                        .retry_index(1)
                        .retry_backoff_interval_seconds(4)
                        .build(),
                )
                .build(),
        );
        assert_eq!(data.input.as_deref(), Some("{}"));
        assert_eq!(data.max_concurrency, Some(3));
        assert_eq!(data.tolerated_failure_percentage, Some(12.5));
        assert_eq!(
            data.error_details,
            Some(InspectionErrorDetails {
                catch_index: None,
                retry_index: Some(1),
                retry_backoff_interval_seconds: Some(4),
            })
        );
    }
}
