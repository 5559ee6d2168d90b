//! `SfiniListWaitingTasks`: sfini's own operation, which Step Functions
//! does not have, listing the tasks that wait for `SendTaskSuccess` or
//! `SendTaskFailure`, so that a person (or `sfini local tasks`) can find
//! their tokens and answer them by hand.
//!
//! It is asked for as the others are (`POST /`, `X-Amz-Target:
//! AWSStepFunctions.SfiniListWaitingTasks`, a JSON body) and answered by the
//! engine of the request's region, with
//! [`StepFunctions::list_waiting_tasks`](crate::api::StepFunctions::list_waiting_tasks).
//!
//! Request members, all optional: `executionArn` (only that execution's
//! tasks), `maxResults` (0 to 1000; 0 or none for 100), `nextToken` (the
//! page before's). Response: `tasks`, each with `taskToken`,
//! `executionArn`, `stateName`, `kind` (`ACTIVITY_QUEUED`,
//! `ACTIVITY_STARTED` or `CALLBACK`), `resource`, `input` (JSON text), and
//! when known `workerName`, `scheduledDate`, `heartbeatDeadline` and
//! `timeoutDeadline` (epoch seconds, as the protocol writes timestamps);
//! and `nextToken` when more may follow. A page holds at most 1000 tasks
//! and about 4 MiB of inputs (see [`crate::local::MAX_WAITING_PAGE`] and
//! [`crate::local::MAX_WAITING_PAGE_INPUT_BYTES`]).
//!
//! ```text
//! $ curl -s http://127.0.0.1:8083/ \
//!     -H 'X-Amz-Target: AWSStepFunctions.SfiniListWaitingTasks' \
//!     -H 'Content-Type: application/x-amz-json-1.0' -d '{}'
//! {"tasks":[{"taskToken":"0000000000000000…","executionArn":"arn:aws:states:…",
//!   "stateName":"Approve","kind":"CALLBACK",…}]}
//! ```

use serde_json::Value;

use super::read::{self, Reader};
use super::write::Object;
use crate::local::{ListWaitingTasksInput, ListWaitingTasksOutput, MAX_WAITING_PAGE};

/// The operations the server answers that are sfini's own, not Step
/// Functions'.
#[cfg(test)]
pub(crate) const SFINI_OPERATIONS: &[&str] = &["SfiniListWaitingTasks"];

/// Reads an `SfiniListWaitingTasks` request.
pub(crate) fn read_list_waiting_tasks(request: &mut Reader) -> (ListWaitingTasksInput, ()) {
    let input = ListWaitingTasksInput {
        execution_arn: request.string("executionArn", read::ARN),
        max_results: request
            .integer("maxResults", 0, MAX_WAITING_PAGE as i64)
            .and_then(|count| i32::try_from(count).ok())
            .unwrap_or(0),
        next_token: request.string("nextToken", read::PAGE_TOKEN),
    };
    (input, ())
}

/// Writes an `SfiniListWaitingTasks` answer.
pub(crate) fn write_list_waiting_tasks(output: ListWaitingTasksOutput, (): ()) -> Value {
    let tasks = output.tasks.into_iter().map(|task| {
        Object::new()
            .string("taskToken", task.task_token)
            .string("executionArn", task.execution_arn)
            .string("stateName", task.state_name)
            .string("kind", task.kind.as_str())
            .string("resource", task.resource)
            .string("input", task.input)
            .optional("workerName", task.worker_name)
            .optional_date("scheduledDate", task.scheduled_date)
            .optional_date("heartbeatDeadline", task.heartbeat_deadline)
            .optional_date("timeoutDeadline", task.timeout_deadline)
            .build()
    });
    Object::new()
        .list("tasks", tasks)
        .optional("nextToken", output.next_token)
        .build()
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::datetime;

    use super::*;
    use crate::local::{WaitingTask, WaitingTaskKind};

    #[test]
    fn requests_are_read_with_their_bounds() {
        let mut request = Reader::from_body(
            br#"{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e", "maxResults": 5, "nextToken": "t"}"#,
        )
        .expect("an object");
        let (input, ()) = read_list_waiting_tasks(&mut request);
        request.finish("SfiniListWaitingTasks").expect("accepted");
        assert_eq!(
            input,
            ListWaitingTasksInput {
                execution_arn: Some("arn:aws:states:us-east-1:123456789012:execution:m:e".into()),
                max_results: 5,
                next_token: Some("t".into()),
            }
        );
        let mut empty = Reader::from_body(b"{}").expect("an object");
        assert_eq!(
            read_list_waiting_tasks(&mut empty).0,
            ListWaitingTasksInput::default()
        );
        empty.finish("SfiniListWaitingTasks").expect("accepted");
        let mut wrong = Reader::from_body(br#"{"maxResults": 1001, "stateMachineArn": "x"}"#)
            .expect("an object");
        read_list_waiting_tasks(&mut wrong);
        let error = wrong.finish("SfiniListWaitingTasks").expect_err("refused");
        assert!(
            error
                .message
                .contains("Member must have value less than or equal to 1000"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("stateMachineArn"),
            "{}",
            error.message
        );
    }

    #[test]
    fn tasks_are_written_in_camel_case_with_epoch_dates() {
        let output = ListWaitingTasksOutput {
            tasks: vec![WaitingTask {
                task_token: "tok".into(),
                execution_arn: "arn:e".into(),
                state_name: "Approve".into(),
                kind: WaitingTaskKind::ActivityStarted,
                resource: "arn:a".into(),
                input: r#"{"a":1}"#.into(),
                worker_name: Some("w".into()),
                scheduled_date: Some(datetime!(2026-03-01 12:00:00.5 UTC)),
                heartbeat_deadline: None,
                timeout_deadline: Some(datetime!(2026-03-01 13:00:00.5 UTC)),
            }],
            next_token: Some("next".into()),
        };
        assert_eq!(
            write_list_waiting_tasks(output, ()),
            json!({
                "tasks": [{
                    "taskToken": "tok",
                    "executionArn": "arn:e",
                    "stateName": "Approve",
                    "kind": "ACTIVITY_STARTED",
                    "resource": "arn:a",
                    "input": "{\"a\":1}",
                    "workerName": "w",
                    "scheduledDate": 1_772_366_400.5,
                    "timeoutDeadline": 1_772_370_000.5
                }],
                "nextToken": "next"
            })
        );
    }
}
