//! `StartSyncExecution` over HTTP: its request read member for member, and
//! its answer written, as the Step Functions API reference (2016-11-23)
//! defines them; the engine of the request's region answers it with
//! [`StepFunctions::start_sync_execution`](crate::api::StepFunctions::start_sync_execution).
//!
//! Request members: `stateMachineArn` (required), `name`, `input`,
//! `traceHeader`, `includedData` (`ALL_DATA`, `METADATA_ONLY`: the input
//! and output left out). Answer members: `executionArn`, `stateMachineArn`,
//! `name`, `startDate`, `stopDate`, `status`, `error`, `cause`, `input`,
//! `inputDetails`, `output`, `outputDetails`, `traceHeader`,
//! `billingDetails`, each left out when absent.
//!
//! AWS's model gives `StartSyncExecution` the host prefix `sync-`: SDKs
//! send it to `sync-<endpoint host>`. The server answers whatever the
//! `Host` header says; the client must still reach it: turn the prefix off
//! (botocore: `Config(inject_host_prefix=False)`), or use an endpoint
//! whose `sync-` name resolves to the server (`http://localhost:PORT`,
//! where the resolver answers `*.localhost` with the loopback address).

use serde_json::{Number, Value};

use super::operation::{IncludedData, included_data};
use super::read::{self, Reader};
use super::write::Object;
use crate::api::*;

/// Reads a `StartSyncExecution` request.
pub(crate) fn read_start_sync_execution(
    request: &mut Reader,
) -> (StartSyncExecutionInput, IncludedData) {
    let input = StartSyncExecutionInput {
        state_machine_arn: request.required_string("stateMachineArn", read::ARN),
        name: request.string("name", read::NAME),
        input: request.string("input", read::DATA),
        trace_header: request.string("traceHeader", read::TRACE_HEADER),
    };
    let included = included_data(request);
    (input, included)
}

/// Writes a `StartSyncExecution` answer.
pub(crate) fn write_start_sync_execution(
    output: StartSyncExecutionOutput,
    included: IncludedData,
) -> Value {
    let all = included == IncludedData::All;
    let details = |included: bool| {
        Object::new()
            .value("included", Value::Bool(included))
            .build()
    };
    let mut object = Object::new()
        .string("executionArn", output.execution_arn)
        .optional("stateMachineArn", output.state_machine_arn)
        .optional("name", output.name)
        .date("startDate", output.start_date)
        .date("stopDate", output.stop_date)
        .string("status", output.status.as_str())
        .optional("error", output.error)
        .optional("cause", output.cause);
    if all {
        object = object.optional("input", output.input);
    }
    if let Some(included) = output.input_included {
        object = object.value("inputDetails", details(included && all));
    }
    if all {
        object = object.optional("output", output.output);
    }
    if let Some(included) = output.output_included {
        object = object.value("outputDetails", details(included && all));
    }
    object = object.optional("traceHeader", output.trace_header);
    if let Some(billing) = output.billing_details {
        object = object.value(
            "billingDetails",
            Object::new()
                .value(
                    "billedMemoryUsedInMB",
                    Value::Number(Number::from(billing.billed_memory_used_in_mb)),
                )
                .value(
                    "billedDurationInMilliseconds",
                    Value::Number(Number::from(billing.billed_duration_in_milliseconds)),
                )
                .build(),
        );
    }
    object.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_has_aws_members_and_metadata_only_leaves_data_out() {
        let start = time::macros::datetime!(2026-01-02 03:04:05.678 UTC);
        let output = StartSyncExecutionOutput {
            execution_arn: "arn:aws:states:us-east-1:1:express:m:n:i".into(),
            state_machine_arn: Some("arn:aws:states:us-east-1:1:stateMachine:m".into()),
            name: Some("n".into()),
            start_date: start,
            stop_date: start,
            status: SyncExecutionStatus::Failed,
            error: Some("E".into()),
            cause: Some("C".into()),
            input: Some("{}".into()),
            input_included: Some(true),
            output: None,
            output_included: Some(true),
            trace_header: None,
            billing_details: Some(BillingDetails {
                billed_memory_used_in_mb: 64,
                billed_duration_in_milliseconds: 100,
            }),
        };
        let all = write_start_sync_execution(output.clone(), IncludedData::All);
        assert_eq!(
            all,
            serde_json::json!({
                "executionArn": "arn:aws:states:us-east-1:1:express:m:n:i",
                "stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:m",
                "name": "n",
                "startDate": 1_767_323_045.678,
                "stopDate": 1_767_323_045.678,
                "status": "FAILED",
                "error": "E",
                "cause": "C",
                "input": "{}",
                "inputDetails": {"included": true},
                "outputDetails": {"included": true},
                "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100}
            })
        );
        let metadata = write_start_sync_execution(output, IncludedData::MetadataOnly);
        assert!(metadata.get("input").is_none());
        assert_eq!(
            metadata["inputDetails"],
            serde_json::json!({"included": false})
        );
    }

    #[test]
    fn the_request_is_read_member_for_member() {
        let mut request = Reader::from_body(
            br#"{"stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:m", "name": "n", "input": "{}", "includedData": "METADATA_ONLY"}"#,
        )
        .expect("a JSON object");
        let (input, included) = read_start_sync_execution(&mut request);
        assert_eq!(input.name.as_deref(), Some("n"));
        assert_eq!(included, IncludedData::MetadataOnly);
    }
}
