//! `RedriveExecution` over HTTP: its request read and its answer written
//! as the Step Functions API reference (2016-11-23) defines them; the
//! engine of the request's region answers it with
//! [`StepFunctions::redrive_execution`](crate::api::StepFunctions::redrive_execution).
//!
//! Request members: `executionArn` (required, 1 to 256 characters) and
//! `clientToken` (1 to 64 characters). Answer member: `redriveDate`.

use serde_json::Value;

use super::read::{self, Reader};
use super::write::Object;
use crate::api::*;

/// A client token: 1 to 64 characters.
const CLIENT_TOKEN: read::Length = read::Length {
    min: Some(1),
    max: Some(64),
};

/// Reads a `RedriveExecution` request.
pub(crate) fn read_redrive_execution(request: &mut Reader) -> (RedriveExecutionInput, ()) {
    let input = RedriveExecutionInput {
        execution_arn: request.required_string("executionArn", read::ARN),
        client_token: request.string("clientToken", CLIENT_TOKEN),
    };
    (input, ())
}

/// Writes a `RedriveExecution` answer.
pub(crate) fn write_redrive_execution(output: RedriveExecutionOutput, (): ()) -> Value {
    Object::new()
        .date("redriveDate", output.redrive_date)
        .build()
}
