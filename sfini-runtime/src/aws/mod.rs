//! The AWS engine: [`StepFunctions`] on AWS Step Functions, through the AWS
//! SDK for Rust (`aws-sdk-sfn`). Feature `aws`.
//!
//! [`AwsEngine::from_env`] takes its region, credentials and settings where
//! the AWS command line and every SDK take them: environment variables
//! (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`,
//! `AWS_ENDPOINT_URL_SFN`...), the shared `~/.aws/config` and
//! `~/.aws/credentials` files (profiles, SSO, `credential_process`), and the
//! roles of a container or an EC2 instance. [`AwsEngine::from_config`] and
//! [`AwsEngine::from_client`] take a configuration or a client made by the
//! program.
//!
//! ```no_run
//! use sfini_runtime::aws::AwsEngine;
//! use sfini_runtime::client::Sfn;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sfn = Sfn::from_aws(AwsEngine::from_env().await?)
//!     .with_role_arn("arn:aws:iam::123456789012:role/workflows");
//! # Ok(())
//! # }
//! ```
//!
//! # How calls map
//!
//! Each call sends the fields of its input one to one (`max_results: 0`
//! and empty tag lists are not sent, leaving the service's defaults) and
//! reads the fields of the answer that sfini's types hold, timestamps to
//! the microsecond. The SDK reads a few fields that sfini's types have no
//! place for, and they are not carried: the encryption, logging and
//! tracing settings, labels and variable references of a state machine;
//! the redrive, version, alias, Map Run and trace-header fields of an
//! execution; and in history events the `truncated` flags (always false in
//! API answers), task credentials and assigned variables.
//!
//! Errors keep AWS's codes: an error the service answers becomes the
//! [`SfnError`] variant of its code, or [`SfnError::Service`] with the code
//! for the others (throttling among them, which stays
//! [retryable](SfnError::is_retryable)). A request that is not sent, times
//! out, or whose answer cannot be read is [`SfnError::Transport`], with the
//! SDK's chain of causes. An answer sfini cannot represent (a status, type
//! or history event type it does not know, a date beyond year 9999) is
//! [`SfnError::Service`] with the code [`UNEXPECTED_RESPONSE`], which is not
//! retryable, and a message naming the value: sfini's types are closed, and
//! leaving the value out would misreport what the service said.
//!
//! # Long polls
//!
//! AWS holds a `GetActivityTask` call up to 60 seconds when no task is
//! waiting. The engine gives that call alone a read timeout and an attempt
//! timeout of [`LONG_POLL_TIMEOUT`] and no overall operation timeout (its
//! attempts stay bounded), so that no timeout of the configuration cuts a
//! poll short; every other call keeps the configuration's timeouts. Polls
//! are not safe to drop ([`StepFunctions::cancel_safe_polls`] is false): a
//! task the service hands to a request whose answer is never read is lost
//! until it times out.
//!
//! The SDK retries calls that fail for a passing reason as its retry
//! configuration says (three attempts by default) before the error reaches
//! sfini, whose own [`RetryPolicy`](crate::retry::RetryPolicy) may retry
//! again.

mod convert;
mod error;
mod history;
mod sync_execution;
mod tags_and_validation;
mod test_state;
mod versions;

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::SdkConfig;
use aws_sdk_sfn::config::timeout::TimeoutConfig;

use crate::api::*;
use convert::{
    execution_status, max_results, optional_timestamp, sdk_execution_status,
    sdk_state_machine_type, sdk_tags, state_machine_status, state_machine_type, timestamp,
};
use error::from_sdk;

/// The code of the [`SfnError::Service`] for an answer sfini cannot
/// represent: a keyword or history event type it does not know, or a date
/// beyond its range. The message names the value.
pub const UNEXPECTED_RESPONSE: &str = "sfini.UnexpectedResponse";

/// The read and attempt timeout of `GetActivityTask`, which AWS holds up to
/// 60 seconds: long enough for the longest poll and a slow answer.
pub const LONG_POLL_TIMEOUT: Duration = Duration::from_secs(80);

/// An error configuring the AWS engine from the environment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AwsConfigError {
    /// No region was found where the SDK looks for one.
    #[error(
        "no AWS region is configured: set AWS_REGION (such as `AWS_REGION=eu-west-1`), \
         give `region` in the profile of ~/.aws/config (AWS_PROFILE chooses the profile), \
         or run where the instance metadata gives one"
    )]
    NoRegion,
    /// An endpoint variable is set to nothing.
    #[error(
        "{variable} is set but empty: give the URL of the Step Functions endpoint \
         (such as `http://localhost:8083`), or unset it to use AWS's"
    )]
    EmptyEndpoint {
        /// The variable.
        variable: &'static str,
    },
}

/// The environment variables that give the endpoint, the service's first.
const ENDPOINT_VARIABLES: [&str; 2] = ["AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL"];

/// The AWS engine: [`StepFunctions`] through an `aws-sdk-sfn` client.
/// Cheap to clone: clones share the client.
#[derive(Clone, Debug)]
pub struct AwsEngine {
    client: aws_sdk_sfn::Client,
}

impl AwsEngine {
    /// An engine configured as the AWS SDKs are: region, credentials,
    /// endpoint (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SFN`), retries and
    /// timeouts from the environment, the shared configuration files and
    /// the instance or container metadata, with the latest behaviour
    /// version. An error when no region is found, or when an endpoint
    /// variable is set but empty.
    pub async fn from_env() -> Result<AwsEngine, AwsConfigError> {
        for variable in ENDPOINT_VARIABLES {
            if std::env::var_os(variable).is_some_and(|value| value.is_empty()) {
                return Err(AwsConfigError::EmptyEndpoint { variable });
            }
        }
        let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
        if config.region().is_none() {
            return Err(AwsConfigError::NoRegion);
        }
        Ok(AwsEngine::from_config(&config))
    }

    /// An engine with the given configuration (region, credentials,
    /// endpoint, retries, timeouts), such as one made with
    /// `aws_config::defaults(...)` and changed.
    pub fn from_config(config: &SdkConfig) -> AwsEngine {
        AwsEngine::from_client(aws_sdk_sfn::Client::new(config))
    }

    /// An engine for a Step Functions endpoint that is not AWS's and takes
    /// any signature, such as `sfini local serve` (`http://127.0.0.1:8083`)
    /// or a test server: region `us-east-1`, fixed placeholder
    /// credentials, and the SDK's defaults otherwise. Nothing is read from
    /// the environment.
    ///
    /// ```
    /// use sfini_runtime::aws::AwsEngine;
    /// use sfini_runtime::client::Sfn;
    ///
    /// let sfn = Sfn::from_aws(AwsEngine::for_endpoint("http://127.0.0.1:8083"));
    /// assert!(!sfn.is_local());
    /// ```
    pub fn for_endpoint(url: impl Into<String>) -> AwsEngine {
        let credentials = aws_sdk_sfn::config::Credentials::new(
            "SFINILOCALENDPOINT",
            "sfini-local-endpoint",
            None,
            None,
            "sfini-for-endpoint",
        );
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(url)
            .credentials_provider(aws_sdk_sfn::config::SharedCredentialsProvider::new(
                credentials,
            ))
            .build();
        AwsEngine::from_config(&config)
    }

    /// An engine calling through the given client.
    pub fn from_client(client: aws_sdk_sfn::Client) -> AwsEngine {
        AwsEngine { client }
    }

    /// The SDK client, for the calls sfini does not make.
    pub fn client(&self) -> &aws_sdk_sfn::Client {
        &self.client
    }

    /// The region the client calls, if it has one.
    pub fn region(&self) -> Option<&str> {
        self.client.config().region().map(|region| region.as_ref())
    }
}

/// The timeouts of `GetActivityTask`, laid over the configuration's.
fn long_poll_timeouts() -> aws_sdk_sfn::config::Builder {
    aws_sdk_sfn::config::Builder::default().timeout_config(
        TimeoutConfig::builder()
            .read_timeout(LONG_POLL_TIMEOUT)
            .operation_attempt_timeout(LONG_POLL_TIMEOUT)
            .disable_operation_timeout()
            .build(),
    )
}

/// The name of an execution from its ARN
/// (`arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`), for an answer
/// that leaves the name out.
fn name_from_arn(arn: &str) -> String {
    arn.rsplit(':').next().unwrap_or_default().to_string()
}

impl StepFunctions for AwsEngine {
    fn create_activity(&self, input: CreateActivityInput) -> ApiFuture<'_, CreateActivityOutput> {
        Box::pin(async move {
            let output = self
                .client
                .create_activity()
                .name(input.name)
                .set_tags(sdk_tags(input.tags))
                .send()
                .await
                .map_err(|error| from_sdk("CreateActivity", error))?;
            Ok(CreateActivityOutput {
                creation_date: timestamp(output.creation_date(), "creationDate")?,
                activity_arn: output.activity_arn,
            })
        })
    }

    fn describe_activity(
        &self,
        input: DescribeActivityInput,
    ) -> ApiFuture<'_, DescribeActivityOutput> {
        Box::pin(async move {
            let output = self
                .client
                .describe_activity()
                .activity_arn(input.activity_arn)
                .send()
                .await
                .map_err(|error| from_sdk("DescribeActivity", error))?;
            Ok(DescribeActivityOutput {
                creation_date: timestamp(output.creation_date(), "creationDate")?,
                activity_arn: output.activity_arn,
                name: output.name,
            })
        })
    }

    fn list_activities(&self, input: ListActivitiesInput) -> ApiFuture<'_, ListActivitiesOutput> {
        Box::pin(async move {
            let output = self
                .client
                .list_activities()
                .set_max_results(max_results(input.max_results))
                .set_next_token(input.next_token)
                .send()
                .await
                .map_err(|error| from_sdk("ListActivities", error))?;
            let activities = output
                .activities
                .into_iter()
                .map(|item| {
                    Ok(ActivityListItem {
                        creation_date: timestamp(item.creation_date(), "creationDate")?,
                        activity_arn: item.activity_arn,
                        name: item.name,
                    })
                })
                .collect::<Result<_, SfnError>>()?;
            Ok(ListActivitiesOutput {
                activities,
                next_token: output.next_token,
            })
        })
    }

    fn delete_activity(&self, input: DeleteActivityInput) -> ApiFuture<'_, DeleteActivityOutput> {
        Box::pin(async move {
            self.client
                .delete_activity()
                .activity_arn(input.activity_arn)
                .send()
                .await
                .map_err(|error| from_sdk("DeleteActivity", error))?;
            Ok(DeleteActivityOutput {})
        })
    }

    fn create_state_machine(
        &self,
        input: CreateStateMachineInput,
    ) -> ApiFuture<'_, CreateStateMachineOutput> {
        Box::pin(async move {
            let output = self
                .client
                .create_state_machine()
                .name(input.name)
                .definition(input.definition)
                .role_arn(input.role_arn)
                .set_type(input.state_machine_type.map(sdk_state_machine_type))
                .set_tags(sdk_tags(input.tags))
                .publish(input.publish)
                .set_version_description(input.version_description)
                .send()
                .await
                .map_err(|error| from_sdk("CreateStateMachine", error))?;
            Ok(CreateStateMachineOutput {
                creation_date: timestamp(output.creation_date(), "creationDate")?,
                state_machine_arn: output.state_machine_arn,
                state_machine_version_arn: output.state_machine_version_arn,
            })
        })
    }

    fn update_state_machine(
        &self,
        input: UpdateStateMachineInput,
    ) -> ApiFuture<'_, UpdateStateMachineOutput> {
        Box::pin(async move {
            let output = self
                .client
                .update_state_machine()
                .state_machine_arn(input.state_machine_arn)
                .set_definition(input.definition)
                .set_role_arn(input.role_arn)
                .publish(input.publish)
                .set_version_description(input.version_description)
                .send()
                .await
                .map_err(|error| from_sdk("UpdateStateMachine", error))?;
            Ok(UpdateStateMachineOutput {
                update_date: timestamp(output.update_date(), "updateDate")?,
                revision_id: output.revision_id,
                state_machine_version_arn: output.state_machine_version_arn,
            })
        })
    }

    fn describe_state_machine(
        &self,
        input: DescribeStateMachineInput,
    ) -> ApiFuture<'_, DescribeStateMachineOutput> {
        Box::pin(async move {
            let output = self
                .client
                .describe_state_machine()
                .state_machine_arn(input.state_machine_arn)
                .send()
                .await
                .map_err(|error| from_sdk("DescribeStateMachine", error))?;
            Ok(DescribeStateMachineOutput {
                status: output
                    .status()
                    .map(|status| state_machine_status(status, "status"))
                    .transpose()?,
                state_machine_type: state_machine_type(output.r#type(), "type")?,
                creation_date: timestamp(output.creation_date(), "creationDate")?,
                state_machine_arn: output.state_machine_arn,
                name: output.name,
                definition: output.definition,
                role_arn: output.role_arn,
                logging_configuration: output.logging_configuration.map(|logging| {
                    LoggingConfiguration {
                        level: logging
                            .level
                            .as_ref()
                            .and_then(|level| LogLevel::from_name(level.as_str()))
                            .unwrap_or(LogLevel::Off),
                        include_execution_data: logging.include_execution_data,
                        destinations: logging
                            .destinations
                            .unwrap_or_default()
                            .into_iter()
                            .filter_map(|destination| {
                                destination.cloud_watch_logs_log_group?.log_group_arn
                            })
                            .collect(),
                    }
                }),
                tracing_configuration: output.tracing_configuration.map(|tracing| {
                    TracingConfiguration {
                        enabled: tracing.enabled,
                    }
                }),
                encryption_configuration: output.encryption_configuration.and_then(|encryption| {
                    Some(EncryptionConfiguration {
                        encryption_type: EncryptionType::from_name(encryption.r#type.as_str())?,
                        kms_key_id: encryption.kms_key_id,
                        kms_data_key_reuse_period_seconds: encryption
                            .kms_data_key_reuse_period_seconds,
                    })
                }),
                description: output.description,
                revision_id: output.revision_id,
                label: output.label,
                variable_references: output.variable_references.map(|references| {
                    let mut references: Vec<(String, Vec<String>)> =
                        references.into_iter().collect();
                    references.sort();
                    references
                }),
            })
        })
    }

    fn list_state_machines(
        &self,
        input: ListStateMachinesInput,
    ) -> ApiFuture<'_, ListStateMachinesOutput> {
        Box::pin(async move {
            let output = self
                .client
                .list_state_machines()
                .set_max_results(max_results(input.max_results))
                .set_next_token(input.next_token)
                .send()
                .await
                .map_err(|error| from_sdk("ListStateMachines", error))?;
            let state_machines = output
                .state_machines
                .into_iter()
                .map(|item| {
                    Ok(StateMachineListItem {
                        state_machine_type: state_machine_type(item.r#type(), "type")?,
                        creation_date: timestamp(item.creation_date(), "creationDate")?,
                        state_machine_arn: item.state_machine_arn,
                        name: item.name,
                    })
                })
                .collect::<Result<_, SfnError>>()?;
            Ok(ListStateMachinesOutput {
                state_machines,
                next_token: output.next_token,
            })
        })
    }

    fn delete_state_machine(
        &self,
        input: DeleteStateMachineInput,
    ) -> ApiFuture<'_, DeleteStateMachineOutput> {
        Box::pin(async move {
            self.client
                .delete_state_machine()
                .state_machine_arn(input.state_machine_arn)
                .send()
                .await
                .map_err(|error| from_sdk("DeleteStateMachine", error))?;
            Ok(DeleteStateMachineOutput {})
        })
    }

    fn start_execution(&self, input: StartExecutionInput) -> ApiFuture<'_, StartExecutionOutput> {
        Box::pin(async move {
            let output = self
                .client
                .start_execution()
                .state_machine_arn(input.state_machine_arn)
                .set_name(input.name)
                .set_input(input.input)
                .set_trace_header(input.trace_header)
                .send()
                .await
                .map_err(|error| from_sdk("StartExecution", error))?;
            Ok(StartExecutionOutput {
                start_date: timestamp(output.start_date(), "startDate")?,
                execution_arn: output.execution_arn,
            })
        })
    }

    fn describe_execution(
        &self,
        input: DescribeExecutionInput,
    ) -> ApiFuture<'_, DescribeExecutionOutput> {
        Box::pin(async move {
            let output = self
                .client
                .describe_execution()
                .execution_arn(input.execution_arn)
                .send()
                .await
                .map_err(|error| from_sdk("DescribeExecution", error))?;
            Ok(DescribeExecutionOutput {
                status: execution_status(output.status(), "status")?,
                redrive_date: optional_timestamp(output.redrive_date(), "redriveDate")?,
                redrive_status: output
                    .redrive_status()
                    .and_then(|status| ExecutionRedriveStatus::from_name(status.as_str())),
                start_date: timestamp(output.start_date(), "startDate")?,
                stop_date: optional_timestamp(output.stop_date(), "stopDate")?,
                name: output
                    .name
                    .unwrap_or_else(|| name_from_arn(&output.execution_arn)),
                execution_arn: output.execution_arn,
                state_machine_arn: output.state_machine_arn,
                input: output.input,
                output: output.output,
                error: output.error,
                cause: output.cause,
                trace_header: output.trace_header,
                state_machine_version_arn: output.state_machine_version_arn,
                state_machine_alias_arn: output.state_machine_alias_arn,
                map_run_arn: output.map_run_arn,
                redrive_count: output.redrive_count.unwrap_or(0),
                redrive_status_reason: output.redrive_status_reason,
            })
        })
    }

    fn list_executions(&self, input: ListExecutionsInput) -> ApiFuture<'_, ListExecutionsOutput> {
        Box::pin(async move {
            let output = self
                .client
                .list_executions()
                .state_machine_arn(input.state_machine_arn)
                .set_status_filter(input.status_filter.map(sdk_execution_status))
                .set_redrive_filter(input.redrive_filter.map(|filter| {
                    aws_sdk_sfn::types::ExecutionRedriveFilter::from(filter.as_str())
                }))
                .set_max_results(max_results(input.max_results))
                .set_next_token(input.next_token)
                .send()
                .await
                .map_err(|error| from_sdk("ListExecutions", error))?;
            let executions = output
                .executions
                .into_iter()
                .map(|item| {
                    Ok(ExecutionListItem {
                        status: execution_status(item.status(), "status")?,
                        start_date: timestamp(item.start_date(), "startDate")?,
                        stop_date: optional_timestamp(item.stop_date(), "stopDate")?,
                        redrive_date: optional_timestamp(item.redrive_date(), "redriveDate")?,
                        redrive_count: item.redrive_count.unwrap_or(0),
                        execution_arn: item.execution_arn,
                        state_machine_arn: item.state_machine_arn,
                        name: item.name,
                        state_machine_version_arn: item.state_machine_version_arn,
                        state_machine_alias_arn: item.state_machine_alias_arn,
                    })
                })
                .collect::<Result<_, SfnError>>()?;
            Ok(ListExecutionsOutput {
                executions,
                next_token: output.next_token,
            })
        })
    }

    fn stop_execution(&self, input: StopExecutionInput) -> ApiFuture<'_, StopExecutionOutput> {
        Box::pin(async move {
            let output = self
                .client
                .stop_execution()
                .execution_arn(input.execution_arn)
                .set_error(input.error)
                .set_cause(input.cause)
                .send()
                .await
                .map_err(|error| from_sdk("StopExecution", error))?;
            Ok(StopExecutionOutput {
                stop_date: timestamp(output.stop_date(), "stopDate")?,
            })
        })
    }

    fn redrive_execution(
        &self,
        input: RedriveExecutionInput,
    ) -> ApiFuture<'_, RedriveExecutionOutput> {
        Box::pin(async move {
            let output = self
                .client
                .redrive_execution()
                .execution_arn(input.execution_arn)
                .set_client_token(input.client_token)
                .send()
                .await
                .map_err(|error| from_sdk("RedriveExecution", error))?;
            Ok(RedriveExecutionOutput {
                redrive_date: timestamp(output.redrive_date(), "redriveDate")?,
            })
        })
    }

    fn get_execution_history(
        &self,
        input: GetExecutionHistoryInput,
    ) -> ApiFuture<'_, GetExecutionHistoryOutput> {
        Box::pin(async move {
            let output = self
                .client
                .get_execution_history()
                .execution_arn(input.execution_arn)
                .set_max_results(max_results(input.max_results))
                .reverse_order(input.reverse_order)
                .set_next_token(input.next_token)
                .set_include_execution_data(input.include_execution_data)
                .send()
                .await
                .map_err(|error| from_sdk("GetExecutionHistory", error))?;
            let events = output
                .events
                .iter()
                .map(history::event)
                .collect::<Result<_, SfnError>>()?;
            Ok(GetExecutionHistoryOutput {
                events,
                next_token: output.next_token,
            })
        })
    }

    fn get_activity_task(
        &self,
        input: GetActivityTaskInput,
    ) -> ApiFuture<'_, GetActivityTaskOutput> {
        Box::pin(async move {
            let output = self
                .client
                .get_activity_task()
                .activity_arn(input.activity_arn)
                .set_worker_name(input.worker_name)
                .customize()
                .config_override(long_poll_timeouts())
                .send()
                .await
                .map_err(|error| from_sdk("GetActivityTask", error))?;
            Ok(GetActivityTaskOutput {
                task_token: output.task_token,
                input: output.input,
            })
        })
    }

    fn send_task_success(
        &self,
        input: SendTaskSuccessInput,
    ) -> ApiFuture<'_, SendTaskSuccessOutput> {
        Box::pin(async move {
            self.client
                .send_task_success()
                .task_token(input.task_token)
                .output(input.output)
                .send()
                .await
                .map_err(|error| from_sdk("SendTaskSuccess", error))?;
            Ok(SendTaskSuccessOutput {})
        })
    }

    fn send_task_failure(
        &self,
        input: SendTaskFailureInput,
    ) -> ApiFuture<'_, SendTaskFailureOutput> {
        Box::pin(async move {
            self.client
                .send_task_failure()
                .task_token(input.task_token)
                .set_error(input.error)
                .set_cause(input.cause)
                .send()
                .await
                .map_err(|error| from_sdk("SendTaskFailure", error))?;
            Ok(SendTaskFailureOutput {})
        })
    }

    fn send_task_heartbeat(
        &self,
        input: SendTaskHeartbeatInput,
    ) -> ApiFuture<'_, SendTaskHeartbeatOutput> {
        Box::pin(async move {
            self.client
                .send_task_heartbeat()
                .task_token(input.task_token)
                .send()
                .await
                .map_err(|error| from_sdk("SendTaskHeartbeat", error))?;
            Ok(SendTaskHeartbeatOutput {})
        })
    }

    fn test_state(&self, input: TestStateInput) -> ApiFuture<'_, TestStateOutput> {
        Box::pin(test_state::test_state(&self.client, input))
    }

    fn publish_state_machine_version(
        &self,
        input: PublishStateMachineVersionInput,
    ) -> ApiFuture<'_, PublishStateMachineVersionOutput> {
        Box::pin(versions::publish_state_machine_version(&self.client, input))
    }

    fn list_state_machine_versions(
        &self,
        input: ListStateMachineVersionsInput,
    ) -> ApiFuture<'_, ListStateMachineVersionsOutput> {
        Box::pin(versions::list_state_machine_versions(&self.client, input))
    }

    fn delete_state_machine_version(
        &self,
        input: DeleteStateMachineVersionInput,
    ) -> ApiFuture<'_, DeleteStateMachineVersionOutput> {
        Box::pin(versions::delete_state_machine_version(&self.client, input))
    }

    fn create_state_machine_alias(
        &self,
        input: CreateStateMachineAliasInput,
    ) -> ApiFuture<'_, CreateStateMachineAliasOutput> {
        Box::pin(versions::create_state_machine_alias(&self.client, input))
    }

    fn describe_state_machine_alias(
        &self,
        input: DescribeStateMachineAliasInput,
    ) -> ApiFuture<'_, DescribeStateMachineAliasOutput> {
        Box::pin(versions::describe_state_machine_alias(&self.client, input))
    }

    fn update_state_machine_alias(
        &self,
        input: UpdateStateMachineAliasInput,
    ) -> ApiFuture<'_, UpdateStateMachineAliasOutput> {
        Box::pin(versions::update_state_machine_alias(&self.client, input))
    }

    fn delete_state_machine_alias(
        &self,
        input: DeleteStateMachineAliasInput,
    ) -> ApiFuture<'_, DeleteStateMachineAliasOutput> {
        Box::pin(versions::delete_state_machine_alias(&self.client, input))
    }

    fn list_state_machine_aliases(
        &self,
        input: ListStateMachineAliasesInput,
    ) -> ApiFuture<'_, ListStateMachineAliasesOutput> {
        Box::pin(versions::list_state_machine_aliases(&self.client, input))
    }

    fn start_sync_execution(
        &self,
        input: StartSyncExecutionInput,
    ) -> ApiFuture<'_, StartSyncExecutionOutput> {
        Box::pin(sync_execution::start_sync_execution(&self.client, input))
    }

    fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> ApiFuture<'_, ListTagsForResourceOutput> {
        Box::pin(tags_and_validation::list_tags_for_resource(
            &self.client,
            input,
        ))
    }

    fn tag_resource(&self, input: TagResourceInput) -> ApiFuture<'_, TagResourceOutput> {
        Box::pin(tags_and_validation::tag_resource(&self.client, input))
    }

    fn untag_resource(&self, input: UntagResourceInput) -> ApiFuture<'_, UntagResourceOutput> {
        Box::pin(tags_and_validation::untag_resource(&self.client, input))
    }

    fn describe_state_machine_for_execution(
        &self,
        input: DescribeStateMachineForExecutionInput,
    ) -> ApiFuture<'_, DescribeStateMachineForExecutionOutput> {
        Box::pin(tags_and_validation::describe_state_machine_for_execution(
            &self.client,
            input,
        ))
    }

    fn validate_state_machine_definition(
        &self,
        input: ValidateStateMachineDefinitionInput,
    ) -> ApiFuture<'_, ValidateStateMachineDefinitionOutput> {
        Box::pin(tags_and_validation::validate_state_machine_definition(
            &self.client,
            input,
        ))
    }
}

#[cfg(test)]
mod tests;
