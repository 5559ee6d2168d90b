//! Requests and responses of the Step Functions API, shaped as the AWS API
//! reference defines them (fields in snake_case, optional fields as
//! `Option`, timestamps as `time::OffsetDateTime`).
//!
//! Each call `X` takes an `XInput` and answers an `XOutput`, as in the AWS
//! SDKs. List calls page with `max_results` (0 for the default of 100, at
//! most 1000) and `next_token` (given back by the previous page).

use time::OffsetDateTime;

use super::history::HistoryEvent;

macro_rules! keyword {
    ($(#[$doc:meta])* pub enum $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $text:literal ),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
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

keyword! {
    /// Where an execution stands.
    pub enum ExecutionStatus {
        /// Still running.
        Running = "RUNNING",
        /// Reached a Succeed state or the end of the machine.
        Succeeded = "SUCCEEDED",
        /// Failed with an error no catcher handled, or reached a Fail state.
        Failed = "FAILED",
        /// Ran longer than the machine's `TimeoutSeconds`.
        TimedOut = "TIMED_OUT",
        /// Stopped by `StopExecution`.
        Aborted = "ABORTED",
        /// Waiting to be run again after a redrive.
        PendingRedrive = "PENDING_REDRIVE",
    }
}

keyword! {
    /// Whether a state machine can start executions.
    pub enum StateMachineStatus {
        /// It can.
        Active = "ACTIVE",
        /// It is being deleted: it goes once its executions have closed.
        Deleting = "DELETING",
    }
}

keyword! {
    /// The kind of workflow.
    pub enum StateMachineType {
        /// Long-running, exactly-once workflows with a full history.
        Standard = "STANDARD",
        /// Short, high-volume workflows.
        Express = "EXPRESS",
    }
}

keyword! {
    /// Which execution history events a state machine logs.
    pub enum LogLevel {
        /// Every event.
        All = "ALL",
        /// Errors only.
        Error = "ERROR",
        /// Fatal errors only.
        Fatal = "FATAL",
        /// None (the default).
        Off = "OFF",
    }
}

keyword! {
    /// Which key encrypts a state machine's or activity's data.
    pub enum EncryptionType {
        /// A key AWS owns (the default).
        AwsOwnedKey = "AWS_OWNED_KEY",
        /// A customer-managed KMS key.
        CustomerManagedKmsKey = "CUSTOMER_MANAGED_KMS_KEY",
    }
}

keyword! {
    /// Whether an execution can be redriven now.
    pub enum ExecutionRedriveStatus {
        /// `RedriveExecution` would redrive it.
        Redrivable = "REDRIVABLE",
        /// `RedriveExecution` would refuse it (`redrive_status_reason` says why).
        NotRedrivable = "NOT_REDRIVABLE",
        /// A Map Run's child workflow that the Map Run can redrive.
        RedrivableByMapRun = "REDRIVABLE_BY_MAP_RUN",
    }
}

/// What a state machine logs and where (`loggingConfiguration`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggingConfiguration {
    /// Which events are logged.
    pub level: LogLevel,
    /// Whether the logs hold the executions' data.
    pub include_execution_data: bool,
    /// The CloudWatch Logs log groups' ARNs (at most one).
    pub destinations: Vec<String>,
}

impl Default for LoggingConfiguration {
    /// What AWS answers for a machine created without one: `OFF`, without
    /// execution data or destinations.
    fn default() -> Self {
        LoggingConfiguration {
            level: LogLevel::Off,
            include_execution_data: false,
            destinations: Vec::new(),
        }
    }
}

/// Whether X-Ray traces a state machine's executions
/// (`tracingConfiguration`; by default not).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TracingConfiguration {
    /// Whether tracing is on.
    pub enabled: bool,
}

/// How a resource's data is encrypted at rest (`encryptionConfiguration`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptionConfiguration {
    /// The kind of key.
    pub encryption_type: EncryptionType,
    /// The customer-managed key, for that kind.
    pub kms_key_id: Option<String>,
    /// How long a data key is reused, in seconds, for a customer-managed key.
    pub kms_data_key_reuse_period_seconds: Option<i32>,
}

impl Default for EncryptionConfiguration {
    /// A key AWS owns, AWS's default.
    fn default() -> Self {
        EncryptionConfiguration {
            encryption_type: EncryptionType::AwsOwnedKey,
            kms_key_id: None,
            kms_data_key_reuse_period_seconds: None,
        }
    }
}

/// A tag on a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The tag's key.
    pub key: String,
    /// The tag's value.
    pub value: String,
}

/// `CreateActivity`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateActivityInput {
    /// The activity's name (1–80 characters, no whitespace, brackets,
    /// wildcards, special or control characters).
    pub name: String,
    /// Tags for the activity.
    pub tags: Vec<Tag>,
}

/// The answer to `CreateActivity`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateActivityOutput {
    /// The activity's ARN.
    pub activity_arn: String,
    /// When the activity was created.
    pub creation_date: OffsetDateTime,
}

/// `DescribeActivity`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeActivityInput {
    /// The activity's ARN.
    pub activity_arn: String,
}

/// The answer to `DescribeActivity`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeActivityOutput {
    /// The activity's ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: OffsetDateTime,
}

/// `ListActivities`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListActivitiesInput {
    /// The most activities on one page (0 for the default of 100).
    pub max_results: i32,
    /// The token of the previous page, to read the next.
    pub next_token: Option<String>,
}

/// One activity in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityListItem {
    /// The activity's ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: OffsetDateTime,
}

/// The answer to `ListActivities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListActivitiesOutput {
    /// The activities on this page.
    pub activities: Vec<ActivityListItem>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

/// `DeleteActivity`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteActivityInput {
    /// The activity's ARN.
    pub activity_arn: String,
}

/// The answer to `DeleteActivity` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteActivityOutput {}

/// `CreateStateMachine`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateStateMachineInput {
    /// The machine's name (the rules of activity names).
    pub name: String,
    /// The Amazon States Language definition, as JSON text.
    pub definition: String,
    /// The IAM role executions run as.
    pub role_arn: String,
    /// Standard (the default) or Express.
    pub state_machine_type: Option<StateMachineType>,
    /// Tags for the machine.
    pub tags: Vec<Tag>,
    /// Publish its first version too.
    pub publish: bool,
    /// The description of the version published (only with `publish`).
    pub version_description: Option<String>,
}

/// The answer to `CreateStateMachine`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateStateMachineOutput {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// When it was created.
    pub creation_date: OffsetDateTime,
    /// The ARN of the version published with it, if one was.
    pub state_machine_version_arn: Option<String>,
}

/// `UpdateStateMachine`: a new definition, role, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateStateMachineInput {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// The new definition.
    pub definition: Option<String>,
    /// The new role.
    pub role_arn: Option<String>,
    /// Publish a version of the machine as updated.
    pub publish: bool,
    /// The description of the version published (only with `publish`).
    pub version_description: Option<String>,
}

/// The answer to `UpdateStateMachine`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateStateMachineOutput {
    /// When the machine was updated.
    pub update_date: OffsetDateTime,
    /// The machine's new revision.
    pub revision_id: Option<String>,
    /// The ARN of the version published with the update, if one was.
    pub state_machine_version_arn: Option<String>,
}

/// `DescribeStateMachine`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeStateMachineInput {
    /// The machine's ARN.
    pub state_machine_arn: String,
}

/// The answer to `DescribeStateMachine`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeStateMachineOutput {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Active, or being deleted.
    pub status: Option<StateMachineStatus>,
    /// Its definition, as given.
    pub definition: String,
    /// The role executions run as.
    pub role_arn: String,
    /// Standard or Express.
    pub state_machine_type: StateMachineType,
    /// When it was created (or last updated).
    pub creation_date: OffsetDateTime,
    /// What it logs (AWS answers `OFF` without execution data for a machine
    /// created without a logging configuration).
    pub logging_configuration: Option<LoggingConfiguration>,
    /// Whether X-Ray traces it.
    pub tracing_configuration: Option<TracingConfiguration>,
    /// The key its data is encrypted with.
    pub encryption_configuration: Option<EncryptionConfiguration>,
    /// The description of a version, when the ARN described is a version's.
    pub description: Option<String>,
    /// The revision, once the machine has been updated (none before: AWS
    /// gives one from the first update on).
    pub revision_id: Option<String>,
    /// The label of the Distributed Map state a labelled ARN named.
    pub label: Option<String>,
    /// The workflow variables each state reads, by state name, when known.
    pub variable_references: Option<Vec<(String, Vec<String>)>>,
}

/// `ListStateMachines`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListStateMachinesInput {
    /// The most machines on one page (0 for the default of 100).
    pub max_results: i32,
    /// The token of the previous page, to read the next.
    pub next_token: Option<String>,
}

/// One state machine in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMachineListItem {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Standard or Express.
    pub state_machine_type: StateMachineType,
    /// When it was created.
    pub creation_date: OffsetDateTime,
}

/// The answer to `ListStateMachines`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStateMachinesOutput {
    /// The machines on this page.
    pub state_machines: Vec<StateMachineListItem>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

/// `DeleteStateMachine`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteStateMachineInput {
    /// The machine's ARN.
    pub state_machine_arn: String,
}

/// The answer to `DeleteStateMachine` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteStateMachineOutput {}

/// `StartExecution`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartExecutionInput {
    /// The machine to run.
    pub state_machine_arn: String,
    /// The execution's name; a unique one is made up when absent.
    pub name: Option<String>,
    /// The input as JSON text; `{}` when absent.
    pub input: Option<String>,
    /// An X-Ray trace header (kept, not used).
    pub trace_header: Option<String>,
}

/// The answer to `StartExecution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartExecutionOutput {
    /// The execution's ARN.
    pub execution_arn: String,
    /// When it started.
    pub start_date: OffsetDateTime,
}

/// `DescribeExecution`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeExecutionInput {
    /// The execution's ARN.
    pub execution_arn: String,
}

/// The answer to `DescribeExecution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeExecutionOutput {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The machine it runs.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: OffsetDateTime,
    /// When it closed, once it has.
    pub stop_date: Option<OffsetDateTime>,
    /// Its input, as JSON text.
    pub input: Option<String>,
    /// Its output as JSON text, once it has succeeded.
    pub output: Option<String>,
    /// The error it failed, timed out or was stopped with.
    pub error: Option<String>,
    /// The cause of that error.
    pub cause: Option<String>,
    /// The X-Ray trace header it was started with.
    pub trace_header: Option<String>,
    /// The version it runs, when it was started by a version's or alias's ARN.
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started by, if one.
    pub state_machine_alias_arn: Option<String>,
    /// The Map Run that dispatched it, for a Distributed Map's child.
    pub map_run_arn: Option<String>,
    /// How many times it has been redriven.
    pub redrive_count: i32,
    /// When it was last redriven.
    pub redrive_date: Option<OffsetDateTime>,
    /// Whether it can be redriven now.
    pub redrive_status: Option<ExecutionRedriveStatus>,
    /// Why it cannot, when it cannot.
    pub redrive_status_reason: Option<String>,
}

/// `ListExecutions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListExecutionsInput {
    /// The machine whose executions to list.
    pub state_machine_arn: String,
    /// Only executions with this status.
    pub status_filter: Option<ExecutionStatus>,
    /// The most executions on one page (0 for the default of 100).
    pub max_results: i32,
    /// The token of the previous page, to read the next.
    pub next_token: Option<String>,
    /// Only executions redriven at least once, or only those never
    /// redriven.
    pub redrive_filter: Option<ExecutionRedriveFilter>,
}

keyword! {
    /// Which executions `ListExecutions` gives by whether they were
    /// redriven.
    pub enum ExecutionRedriveFilter {
        /// Executions redriven at least once.
        Redriven = "REDRIVEN",
        /// Executions never redriven.
        NotRedriven = "NOT_REDRIVEN",
    }
}

/// One execution in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutionListItem {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The machine it runs.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: OffsetDateTime,
    /// When it closed, once it has.
    pub stop_date: Option<OffsetDateTime>,
    /// The version it runs, when it was started by a version's or alias's ARN.
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started by, if one.
    pub state_machine_alias_arn: Option<String>,
    /// How many times it has been redriven.
    pub redrive_count: i32,
    /// When it was last redriven, if it has been.
    pub redrive_date: Option<OffsetDateTime>,
}

/// The answer to `ListExecutions`: newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListExecutionsOutput {
    /// The executions on this page.
    pub executions: Vec<ExecutionListItem>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

/// `StopExecution`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StopExecutionInput {
    /// The execution to stop.
    pub execution_arn: String,
    /// The error to record.
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
}

/// The answer to `StopExecution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopExecutionOutput {
    /// When the execution stopped.
    pub stop_date: OffsetDateTime,
}

/// `GetExecutionHistory`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetExecutionHistoryInput {
    /// The execution whose history to read.
    pub execution_arn: String,
    /// The most events on one page (0 for the default of 100).
    pub max_results: i32,
    /// Newest event first.
    pub reverse_order: bool,
    /// The token of the previous page, to read the next.
    pub next_token: Option<String>,
    /// Whether to include inputs and outputs (the default, `None`, does).
    pub include_execution_data: Option<bool>,
}

/// The answer to `GetExecutionHistory`.
#[derive(Clone, Debug, PartialEq)]
pub struct GetExecutionHistoryOutput {
    /// The events on this page.
    pub events: Vec<HistoryEvent>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

/// `GetActivityTask`: waits up to 60 seconds for a task of the activity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetActivityTaskInput {
    /// The activity to serve.
    pub activity_arn: String,
    /// The worker's name, recorded in the history.
    pub worker_name: Option<String>,
}

/// The answer to `GetActivityTask`: a task, or nothing when none came
/// within 60 seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetActivityTaskOutput {
    /// The token to answer the task with.
    pub task_token: Option<String>,
    /// The task's input, as JSON text.
    pub input: Option<String>,
}

/// `SendTaskSuccess`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskSuccessInput {
    /// The task's token.
    pub task_token: String,
    /// Its output, as JSON text.
    pub output: String,
}

/// The answer to `SendTaskSuccess` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskSuccessOutput {}

/// `SendTaskFailure`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskFailureInput {
    /// The task's token.
    pub task_token: String,
    /// The error name.
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
}

/// The answer to `SendTaskFailure` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskFailureOutput {}

/// `SendTaskHeartbeat`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskHeartbeatInput {
    /// The task's token.
    pub task_token: String,
}

/// The answer to `SendTaskHeartbeat` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskHeartbeatOutput {}
