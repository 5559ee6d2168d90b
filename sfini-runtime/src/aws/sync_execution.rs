//! `StartSyncExecution` through the SDK: the request's members sent one to
//! one, the answer's read back, a status sfini does not know refused as
//! [`UNEXPECTED_RESPONSE`](super::UNEXPECTED_RESPONSE).
//!
//! Like `TestState`, AWS's model sends the call to the endpoint's host with
//! the prefix `sync-`; the prefix is taken off again for a loopback or
//! literal address or `localhost` (such as `sfini local serve`), with
//! `TestState`'s interceptor.

use super::convert::{timestamp, unexpected};
use super::error::from_sdk;
use super::test_state::LocalSyncHost;
use crate::api::*;

/// Calls `StartSyncExecution`.
pub(super) async fn start_sync_execution(
    client: &aws_sdk_sfn::Client,
    input: StartSyncExecutionInput,
) -> Result<StartSyncExecutionOutput, SfnError> {
    let output = client
        .start_sync_execution()
        .state_machine_arn(input.state_machine_arn)
        .set_name(input.name)
        .set_input(input.input)
        .set_trace_header(input.trace_header)
        .customize()
        .interceptor(LocalSyncHost)
        .send()
        .await
        .map_err(|error| from_sdk("StartSyncExecution", error))?;
    let status = SyncExecutionStatus::from_name(output.status().as_str()).ok_or_else(|| {
        unexpected(format!(
            "StartSyncExecution answered the status `{}`, which sfini does not know",
            output.status().as_str()
        ))
    })?;
    Ok(StartSyncExecutionOutput {
        start_date: timestamp(output.start_date(), "startDate")?,
        stop_date: timestamp(output.stop_date(), "stopDate")?,
        status,
        input_included: output.input_details().map(|details| details.included()),
        output_included: output.output_details().map(|details| details.included()),
        billing_details: output.billing_details().map(|billing| BillingDetails {
            billed_memory_used_in_mb: billing.billed_memory_used_in_mb(),
            billed_duration_in_milliseconds: billing.billed_duration_in_milliseconds(),
        }),
        execution_arn: output.execution_arn,
        state_machine_arn: output.state_machine_arn,
        name: output.name,
        error: output.error,
        cause: output.cause,
        input: output.input,
        output: output.output,
        trace_header: output.trace_header,
    })
}
