//! The Step Functions API as a trait, with its requests, responses, history
//! events and errors.
//!
//! [`StepFunctions`] is the part of the AWS Step Functions API that sfini
//! uses: activities, state machines, executions, execution history and the
//! calls a worker makes to serve activity tasks. Programs hold an engine as
//! `Arc<dyn StepFunctions>` and choose at run time which one: the local
//! engine ([`crate::local::LocalEngine`]) or AWS. Requests and responses
//! follow the AWS API reference field by field ([`types`]), history events
//! are typed ([`history`]) and errors carry AWS's names ([`SfnError`]).
//!
//! ```
//! use std::sync::Arc;
//! use sfini_runtime::api::{CreateActivityInput, StepFunctions};
//! use sfini_runtime::local::LocalEngine;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sfini_runtime::api::SfnError> {
//! let sfn: Arc<dyn StepFunctions> = Arc::new(LocalEngine::new());
//! let created = sfn
//!     .create_activity(CreateActivityInput { name: "resize".into(), ..Default::default() })
//!     .await?;
//! assert_eq!(created.activity_arn, "arn:aws:states:us-east-1:123456789012:activity:resize");
//! # Ok(())
//! # }
//! ```

mod error;
pub mod history;
pub mod types;

use std::future::Future;
use std::pin::Pin;

pub use error::SfnError;
pub use history::{EventDetails, HistoryEvent, HistoryEventType};
pub use types::*;

/// The start of a task token, enough to recognise it in a message or a log
/// line. Whole tokens are never written out: anyone who reads one can
/// answer the task.
pub(crate) fn shorten_token(token: &str) -> String {
    let start: String = token.chars().take(8).collect();
    if token.chars().count() > 8 {
        format!("{start}…")
    } else {
        start
    }
}

/// The future a [`StepFunctions`] call returns.
pub type ApiFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, SfnError>> + Send + 'a>>;

/// The Step Functions API surface sfini uses, implemented by each engine.
///
/// Every method answers as AWS answers the call of the same name, with the
/// same errors. The trait is object safe: hold an engine as
/// `Arc<dyn StepFunctions>`.
pub trait StepFunctions: Send + Sync {
    /// `CreateActivity`: idempotent on the name.
    fn create_activity(&self, input: CreateActivityInput) -> ApiFuture<'_, CreateActivityOutput>;

    /// `DescribeActivity`.
    fn describe_activity(
        &self,
        input: DescribeActivityInput,
    ) -> ApiFuture<'_, DescribeActivityOutput>;

    /// `ListActivities`.
    fn list_activities(&self, input: ListActivitiesInput) -> ApiFuture<'_, ListActivitiesOutput>;

    /// `DeleteActivity`.
    fn delete_activity(&self, input: DeleteActivityInput) -> ApiFuture<'_, DeleteActivityOutput>;

    /// `CreateStateMachine`: idempotent when the definition and role are
    /// the same.
    fn create_state_machine(
        &self,
        input: CreateStateMachineInput,
    ) -> ApiFuture<'_, CreateStateMachineOutput>;

    /// `UpdateStateMachine`: running executions keep the definition they
    /// started with.
    fn update_state_machine(
        &self,
        input: UpdateStateMachineInput,
    ) -> ApiFuture<'_, UpdateStateMachineOutput>;

    /// `DescribeStateMachine`.
    fn describe_state_machine(
        &self,
        input: DescribeStateMachineInput,
    ) -> ApiFuture<'_, DescribeStateMachineOutput>;

    /// `ListStateMachines`.
    fn list_state_machines(
        &self,
        input: ListStateMachinesInput,
    ) -> ApiFuture<'_, ListStateMachinesOutput>;

    /// `DeleteStateMachine`.
    fn delete_state_machine(
        &self,
        input: DeleteStateMachineInput,
    ) -> ApiFuture<'_, DeleteStateMachineOutput>;

    /// `StartExecution`: idempotent for a running execution of the same
    /// name and input.
    fn start_execution(&self, input: StartExecutionInput) -> ApiFuture<'_, StartExecutionOutput>;

    /// `DescribeExecution`.
    fn describe_execution(
        &self,
        input: DescribeExecutionInput,
    ) -> ApiFuture<'_, DescribeExecutionOutput>;

    /// `ListExecutions`: newest first.
    fn list_executions(&self, input: ListExecutionsInput) -> ApiFuture<'_, ListExecutionsOutput>;

    /// `StopExecution`.
    fn stop_execution(&self, input: StopExecutionInput) -> ApiFuture<'_, StopExecutionOutput>;

    /// `GetExecutionHistory`.
    fn get_execution_history(
        &self,
        input: GetExecutionHistoryInput,
    ) -> ApiFuture<'_, GetExecutionHistoryOutput>;

    /// `GetActivityTask`: waits up to 60 seconds for a task; answers with
    /// no token when none came.
    fn get_activity_task(
        &self,
        input: GetActivityTaskInput,
    ) -> ApiFuture<'_, GetActivityTaskOutput>;

    /// True when dropping a [`get_activity_task`](Self::get_activity_task)
    /// future never loses a task: a task the engine had already handed to
    /// the dropped call goes back to its activity's queue, to be handed out
    /// again.
    ///
    /// The local engine says true. An engine reached over HTTP must say
    /// false (the default): the service may have handed a task to a request
    /// whose answer is never read, and that task is then lost until it times
    /// out. A worker aborts a poll in flight only when this is true, and
    /// otherwise lets it finish.
    fn cancel_safe_polls(&self) -> bool {
        false
    }

    /// `SendTaskSuccess`.
    fn send_task_success(
        &self,
        input: SendTaskSuccessInput,
    ) -> ApiFuture<'_, SendTaskSuccessOutput>;

    /// `SendTaskFailure`.
    fn send_task_failure(
        &self,
        input: SendTaskFailureInput,
    ) -> ApiFuture<'_, SendTaskFailureOutput>;

    /// `SendTaskHeartbeat`.
    fn send_task_heartbeat(
        &self,
        input: SendTaskHeartbeatInput,
    ) -> ApiFuture<'_, SendTaskHeartbeatOutput>;
}
