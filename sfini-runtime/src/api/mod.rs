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
mod redrive;
pub mod sync_execution;
pub mod tags_and_validation;
mod test_state;
pub mod types;
pub mod versions;

use std::future::Future;
use std::pin::Pin;

pub use error::SfnError;
pub use history::{EventDetails, HistoryEvent, HistoryEventType};
pub use redrive::{RedriveExecutionInput, RedriveExecutionOutput};
pub use sync_execution::{
    BillingDetails, STATE_MACHINE_TYPE_NOT_SUPPORTED, StartSyncExecutionInput,
    StartSyncExecutionOutput, SyncExecutionStatus,
};
pub use tags_and_validation::{
    DescribeStateMachineForExecutionInput, DescribeStateMachineForExecutionOutput,
    ListTagsForResourceInput, ListTagsForResourceOutput, TagResourceInput, TagResourceOutput,
    UntagResourceInput, UntagResourceOutput, ValidateStateMachineDefinitionInput,
    ValidateStateMachineDefinitionOutput, ValidationDiagnostic, ValidationResultCode,
    ValidationSeverity,
};
pub use test_state::*;
pub use types::*;
pub use versions::*;

/// A short label for a task token in messages and logs: `#` and eight
/// hexadecimal digits of a hash of the whole token (FNV-1a), the same for
/// the engine's messages and the worker's logs. Tokens share long common
/// starts (the local engine's begin with the task's zero-padded number,
/// AWS's with a fixed header), so a hash tells tasks apart where a prefix
/// does not; and whole tokens are never written out, since anyone who reads
/// one can answer the task. Text of 8 characters or fewer is no token and is
/// shown as it is.
pub(crate) fn token_label(token: &str) -> String {
    if token.chars().count() <= 8 {
        return token.to_string();
    }
    let hash = token.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("#{:08x}", hash >> 32)
}

/// The most characters of a caller's value that a message quotes.
pub(crate) const QUOTED_CHARS: usize = 100;

/// A caller's value quoted between `mark`s in a message, such as
/// `` `arn:aws:states:…` ``. A value longer than [`QUOTED_CHARS`]
/// characters is cut there and its length said after the closing mark
/// (`'aaaa…' (2097152 characters)`), so that no message grows with what
/// a caller sends.
pub(crate) fn quoted(text: &str, mark: char) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => format!("{mark}{text}{mark}"),
        Some((cut, _)) => format!(
            "{mark}{}…{mark} ({} characters)",
            &text[..cut],
            text.chars().count()
        ),
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

    /// The tasks waiting for `SendTaskSuccess` or `SendTaskFailure`, a page
    /// at a time: sfini's own call (`SfiniListWaitingTasks` when served),
    /// which Step Functions does not have. The local engine answers it
    /// ([`LocalEngine::waiting_tasks_page`](crate::local::LocalEngine::waiting_tasks_page));
    /// other engines answer `UnsupportedOperation`, the default.
    fn list_waiting_tasks(
        &self,
        input: crate::local::ListWaitingTasksInput,
    ) -> ApiFuture<'_, crate::local::ListWaitingTasksOutput> {
        let _ = input;
        Box::pin(std::future::ready(Err(SfnError::Service {
            code: "UnsupportedOperation".to_string(),
            message: "this engine does not list waiting tasks: SfiniListWaitingTasks is the \
                      local engine's own call, which Step Functions does not have"
                .to_string(),
        })))
    }

    /// `TestState`: runs one state with the given input and answers what
    /// it produced, without a state machine or an execution. The local
    /// engine ([`LocalEngine::test_state`](crate::local::LocalEngine::test_state))
    /// and the AWS engine answer it; other engines answer
    /// `UnsupportedOperation`, the default.
    fn test_state(&self, input: TestStateInput) -> ApiFuture<'_, TestStateOutput> {
        let _ = input;
        Box::pin(std::future::ready(Err(SfnError::Service {
            code: "UnsupportedOperation".to_string(),
            message: "this engine does not test states (TestState)".to_string(),
        })))
    }

    /// `RedriveExecution`: resumes a failed, timed-out or aborted Standard
    /// execution from the state that did not succeed. The local engine
    /// ([`LocalEngine`](crate::local::LocalEngine)) and the AWS engine
    /// answer it; other engines answer `UnsupportedOperation`, the default.
    fn redrive_execution(
        &self,
        input: RedriveExecutionInput,
    ) -> ApiFuture<'_, RedriveExecutionOutput> {
        let _ = input;
        Box::pin(std::future::ready(Err(SfnError::Service {
            code: "UnsupportedOperation".to_string(),
            message: "this engine does not redrive executions (RedriveExecution)".to_string(),
        })))
    }

    /// `StartSyncExecution`: runs an execution of an Express machine and
    /// answers when it closes (`StateMachineTypeNotSupported` for a
    /// Standard machine). The local and AWS engines answer it; others
    /// answer `UnsupportedOperation`, the default.
    fn start_sync_execution(
        &self,
        input: StartSyncExecutionInput,
    ) -> ApiFuture<'_, StartSyncExecutionOutput> {
        let _ = input;
        unsupported("StartSyncExecution")
    }

    /// `ListTagsForResource`: a state machine's or activity's tags. The
    /// local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> ApiFuture<'_, ListTagsForResourceOutput> {
        let _ = input;
        unsupported("ListTagsForResource")
    }

    /// `TagResource`: adds tags to a state machine or an activity (at most
    /// 50 a resource). The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn tag_resource(&self, input: TagResourceInput) -> ApiFuture<'_, TagResourceOutput> {
        let _ = input;
        unsupported("TagResource")
    }

    /// `UntagResource`: removes tags by key. The local and AWS engines
    /// answer it; others answer `UnsupportedOperation`, the default.
    fn untag_resource(&self, input: UntagResourceInput) -> ApiFuture<'_, UntagResourceOutput> {
        let _ = input;
        unsupported("UntagResource")
    }

    /// `DescribeStateMachineForExecution`: the state machine as it was
    /// when the execution started. The local and AWS engines answer it;
    /// others answer `UnsupportedOperation`, the default.
    fn describe_state_machine_for_execution(
        &self,
        input: DescribeStateMachineForExecutionInput,
    ) -> ApiFuture<'_, DescribeStateMachineForExecutionOutput> {
        let _ = input;
        unsupported("DescribeStateMachineForExecution")
    }

    /// `ValidateStateMachineDefinition`: the problems of a definition, as
    /// diagnostics. The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn validate_state_machine_definition(
        &self,
        input: ValidateStateMachineDefinitionInput,
    ) -> ApiFuture<'_, ValidateStateMachineDefinitionOutput> {
        let _ = input;
        unsupported("ValidateStateMachineDefinition")
    }

    /// `PublishStateMachineVersion`: a version of the machine's current revision (the latest version when it is already published).
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn publish_state_machine_version(
        &self,
        input: PublishStateMachineVersionInput,
    ) -> ApiFuture<'_, PublishStateMachineVersionOutput> {
        let _ = input;
        unsupported("PublishStateMachineVersion")
    }

    /// `ListStateMachineVersions`: a machine's versions, newest first.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn list_state_machine_versions(
        &self,
        input: ListStateMachineVersionsInput,
    ) -> ApiFuture<'_, ListStateMachineVersionsOutput> {
        let _ = input;
        unsupported("ListStateMachineVersions")
    }

    /// `DeleteStateMachineVersion`: refused while an alias routes to the version.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn delete_state_machine_version(
        &self,
        input: DeleteStateMachineVersionInput,
    ) -> ApiFuture<'_, DeleteStateMachineVersionOutput> {
        let _ = input;
        unsupported("DeleteStateMachineVersion")
    }

    /// `CreateStateMachineAlias`: an alias routing to one or two versions by weight.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn create_state_machine_alias(
        &self,
        input: CreateStateMachineAliasInput,
    ) -> ApiFuture<'_, CreateStateMachineAliasOutput> {
        let _ = input;
        unsupported("CreateStateMachineAlias")
    }

    /// `DescribeStateMachineAlias`.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn describe_state_machine_alias(
        &self,
        input: DescribeStateMachineAliasInput,
    ) -> ApiFuture<'_, DescribeStateMachineAliasOutput> {
        let _ = input;
        unsupported("DescribeStateMachineAlias")
    }

    /// `UpdateStateMachineAlias`: a new description or routing.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn update_state_machine_alias(
        &self,
        input: UpdateStateMachineAliasInput,
    ) -> ApiFuture<'_, UpdateStateMachineAliasOutput> {
        let _ = input;
        unsupported("UpdateStateMachineAlias")
    }

    /// `DeleteStateMachineAlias`.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn delete_state_machine_alias(
        &self,
        input: DeleteStateMachineAliasInput,
    ) -> ApiFuture<'_, DeleteStateMachineAliasOutput> {
        let _ = input;
        unsupported("DeleteStateMachineAlias")
    }

    /// `ListStateMachineAliases`: a machine's aliases (or a version's), oldest first, as AWS answers.
    /// The local and AWS engines answer it; others answer
    /// `UnsupportedOperation`, the default.
    fn list_state_machine_aliases(
        &self,
        input: ListStateMachineAliasesInput,
    ) -> ApiFuture<'_, ListStateMachineAliasesOutput> {
        let _ = input;
        unsupported("ListStateMachineAliases")
    }
}

/// The answer of an engine that does not make the call `operation`.
fn unsupported<'a, T: Send + 'a>(operation: &str) -> ApiFuture<'a, T> {
    Box::pin(std::future::ready(Err(SfnError::Service {
        code: "UnsupportedOperation".to_string(),
        message: format!("this engine does not answer {operation}"),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_cut_with_their_length() {
        assert_eq!(quoted("abc", '`'), "`abc`");
        let exact = "é".repeat(QUOTED_CHARS);
        assert_eq!(quoted(&exact, '\''), format!("'{exact}'"));
        let long = format!("{exact}ü{}", "x".repeat(2 * 1024 * 1024));
        let shown = quoted(&long, '\'');
        assert_eq!(
            shown,
            format!(
                "'{exact}…' ({} characters)",
                QUOTED_CHARS + 1 + 2 * 1024 * 1024
            )
        );
    }
}
