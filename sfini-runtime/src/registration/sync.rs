//! [`Machine::start_sync`]: `StartSyncExecution` of a registered Express
//! machine.

use serde::Serialize;

use super::Machine;
use crate::api::{StartSyncExecutionInput, StartSyncExecutionOutput};
use crate::execution::ExecutionError;

/// Runs an execution of `machine` and answers when it closes.
pub(super) async fn start_sync<T: Serialize + ?Sized>(
    machine: &Machine,
    input: &T,
) -> Result<StartSyncExecutionOutput, ExecutionError> {
    let input = serde_json::to_string(input).map_err(|source| ExecutionError::Input {
        machine: machine.name.clone(),
        source,
    })?;
    let now = match machine.sfn.local_engine() {
        Some(engine) => engine.clock().now(),
        None => time::OffsetDateTime::now_utc(),
    };
    let name = super::execution_name(&machine.name, now, rand::random());
    let arn = machine.arn().await.map_err(Box::new)?;
    machine
        .sfn
        .api()
        .start_sync_execution(StartSyncExecutionInput {
            state_machine_arn: arn,
            name: Some(name.clone()),
            input: Some(input),
            trace_header: None,
        })
        .await
        .map_err(|source| ExecutionError::Start {
            machine: machine.name.clone(),
            name,
            source,
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::api::{StateMachineType, SyncExecutionStatus};
    use crate::client::Sfn;
    use crate::registration::RegisterOptions;

    const PASS: &str = r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#;

    #[tokio::test]
    async fn an_express_machine_runs_synchronously_and_a_standard_one_is_refused() {
        let sfn = Sfn::local().with_role_arn("arn:aws:iam::123456789012:role/run");
        let express = sfn.machine("quick", PASS);
        let registered = express
            .register_with(RegisterOptions::new().express())
            .await
            .unwrap();
        let described = sfn
            .api()
            .describe_state_machine(crate::api::DescribeStateMachineInput {
                state_machine_arn: registered.machine_arn,
            })
            .await
            .unwrap();
        assert_eq!(described.state_machine_type, StateMachineType::Express);
        let done = express.start_sync(&json!({"a": 1})).await.unwrap();
        assert_eq!(done.status, SyncExecutionStatus::Succeeded);
        assert_eq!(done.output.as_deref(), Some(r#"{"a":1}"#));
        assert!(done.name.is_some_and(|name| name.starts_with("quick_")));

        let standard = sfn.machine("standard", PASS);
        standard.register().await.unwrap();
        let refused = standard.start_sync(&json!({})).await.unwrap_err();
        assert!(
            refused.to_string().contains("StateMachineTypeNotSupported"),
            "{refused}"
        );
    }
}
