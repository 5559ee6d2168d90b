//! Executions: waiting for them, reading their output, stopping them, and
//! their history.
//!
//! An [`Execution`] is a handle to one execution, by its ARN:
//! [`Machine::start`](crate::registration::Machine::start) gives one,
//! [`Sfn::execution`](crate::client::Sfn::execution) opens one.
//! [`Execution::wait`] gives the output of an execution that succeeded and
//! an [`ExecutionError`] naming the execution, the error and the cause of
//! one that failed, timed out or was stopped. [`History`] is a whole
//! history with its readable form; [`HistoryFollower`] yields the events as
//! they happen.
//!
//! ```
//! use sfini_runtime::client::Sfn;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sfn = Sfn::local();
//! let machine = sfn.machine(
//!     "refuse",
//!     r#"{"StartAt": "no", "States": {"no": {"Type": "Fail", "Error": "Refused", "Cause": "not today"}}}"#,
//! );
//! machine.register().await?;
//! let execution = machine.start_named("monday", &serde_json::json!({})).await?;
//! let error = execution.wait().await.unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     "the execution `arn:aws:states:us-east-1:123456789012:execution:refuse:monday` failed \
//!      with error `Refused` and cause: not today"
//! );
//! # Ok(())
//! # }
//! ```

mod error;
mod follow;
pub(crate) mod history;
mod poll;

use std::time::Duration;

use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use tokio::time::Instant;

pub use self::error::ExecutionError;
pub use self::follow::HistoryFollower;
pub use self::history::History;
use self::poll::Backoff;
use crate::api::{
    ApiFuture, DescribeExecutionInput, DescribeExecutionOutput, ExecutionStatus,
    GetExecutionHistoryInput, RedriveExecutionInput, SfnError, StopExecutionInput,
};
use crate::client::Sfn;
use crate::retry::RetryPolicy;

/// The first and longest delays between `DescribeExecution` calls while
/// waiting.
const FIRST_DELAY: Duration = Duration::from_millis(50);
const LONGEST_DELAY: Duration = Duration::from_secs(2);

/// A handle to one execution. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Execution {
    sfn: Sfn,
    arn: String,
}

/// An execution that succeeded, with its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succeeded {
    description: DescribeExecutionOutput,
}

impl Succeeded {
    /// The output read as `T`.
    pub fn output<T: DeserializeOwned>(&self) -> Result<T, ExecutionError> {
        serde_json::from_str(self.output_json()).map_err(|source| ExecutionError::Output {
            execution: self.description.execution_arn.clone(),
            source,
        })
    }

    /// The output as JSON text.
    pub fn output_json(&self) -> &str {
        self.description.output.as_deref().unwrap_or("null")
    }

    /// The execution as `DescribeExecution` gave it.
    pub fn description(&self) -> &DescribeExecutionOutput {
        &self.description
    }

    /// When it started.
    pub fn start_date(&self) -> OffsetDateTime {
        self.description.start_date
    }

    /// When it closed.
    pub fn stop_date(&self) -> Option<OffsetDateTime> {
        self.description.stop_date
    }
}

impl Execution {
    pub(crate) fn open(sfn: Sfn, arn: String) -> Execution {
        Execution { sfn, arn }
    }

    /// The execution's ARN.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// The execution's name: the last part of its ARN
    /// (`arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`).
    pub fn name(&self) -> &str {
        self.arn.splitn(8, ':').nth(7).unwrap_or(&self.arn)
    }

    fn api_error(&self, call: &'static str, source: SfnError) -> ExecutionError {
        ExecutionError::Api {
            execution: self.arn.clone(),
            call,
            source,
        }
    }

    /// Calls the API, trying again past retryable errors with the default
    /// [`RetryPolicy`].
    async fn call<'a, T>(
        &'a self,
        name: &'static str,
        call: impl Fn() -> ApiFuture<'a, T>,
    ) -> Result<T, ExecutionError> {
        RetryPolicy::default()
            .run(call)
            .await
            .map_err(|error| self.api_error(name, error))
    }

    /// The execution as `DescribeExecution` gives it.
    pub async fn describe(&self) -> Result<DescribeExecutionOutput, ExecutionError> {
        self.call("DescribeExecution", || {
            self.sfn.api().describe_execution(DescribeExecutionInput {
                execution_arn: self.arn.clone(),
            })
        })
        .await
    }

    /// Where the execution stands.
    pub async fn status(&self) -> Result<ExecutionStatus, ExecutionError> {
        Ok(self.describe().await?.status)
    }

    /// The output of the execution, read as `T`; an error if it has not
    /// succeeded (yet): this does not wait.
    pub async fn output<T: DeserializeOwned>(&self) -> Result<T, ExecutionError> {
        outcome(self.describe().await?)?.output()
    }

    /// Waits until the execution closes: its output if it succeeded, an
    /// error with its error and cause if it failed, timed out or was
    /// stopped.
    ///
    /// `DescribeExecution` is called at growing intervals (50 ms doubling
    /// up to 2 s); on the local engine the wait ends as the execution
    /// closes.
    pub async fn wait(&self) -> Result<Succeeded, ExecutionError> {
        outcome(self.wait_closed(None).await?)
    }

    /// [`Execution::wait`], giving up after `timeout` with
    /// [`ExecutionError::StillRunning`] (the execution goes on).
    pub async fn wait_timeout(&self, timeout: Duration) -> Result<Succeeded, ExecutionError> {
        outcome(self.wait_closed(Some(timeout)).await?)
    }

    /// Waits until the execution closes, however it ends, and gives its
    /// description (status, output or error and cause); `timeout` bounds
    /// the wait ([`ExecutionError::StillRunning`] after it).
    pub async fn wait_closed(
        &self,
        timeout: Option<Duration>,
    ) -> Result<DescribeExecutionOutput, ExecutionError> {
        let deadline = timeout.map(|timeout| Instant::now() + timeout);
        let still_running = || ExecutionError::StillRunning {
            execution: self.arn.clone(),
            waited: timeout.unwrap_or_default(),
        };
        if let Some(engine) = self.sfn.local_engine() {
            let closed = engine.wait_for_execution(&self.arn);
            let described = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, closed)
                    .await
                    .map_err(|_| still_running())?,
                None => closed.await,
            };
            return described.map_err(|source| self.api_error("DescribeExecution", source));
        }
        let mut backoff = Backoff::new(FIRST_DELAY, LONGEST_DELAY);
        loop {
            let described = self.describe().await?;
            if is_closed(described.status) {
                return Ok(described);
            }
            let delay = backoff.next_delay();
            match deadline {
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(still_running());
                    }
                    tokio::time::sleep(delay.min(deadline - now)).await;
                }
                None => tokio::time::sleep(delay).await,
            }
        }
    }

    /// Stops the execution with this error and cause (either may be
    /// empty); gives the time it stopped. Stopping a closed execution
    /// changes nothing.
    pub async fn stop(
        &self,
        error: impl Into<String>,
        cause: impl Into<String>,
    ) -> Result<OffsetDateTime, ExecutionError> {
        let (error, cause) = (error.into(), cause.into());
        let stopped = self
            .sfn
            .api()
            .stop_execution(StopExecutionInput {
                execution_arn: self.arn.clone(),
                error: (!error.is_empty()).then_some(error),
                cause: (!cause.is_empty()).then_some(cause),
            })
            .await
            .map_err(|source| self.api_error("StopExecution", source))?;
        tracing::info!(execution = %self.arn, "execution stopped");
        Ok(stopped.stop_date)
    }

    /// Redrives the failed, timed-out or aborted execution: it runs again
    /// from the state that did not succeed (`RedriveExecution`); gives the
    /// time it was redriven.
    pub async fn redrive(&self) -> Result<OffsetDateTime, ExecutionError> {
        let redriven = self
            .sfn
            .api()
            .redrive_execution(RedriveExecutionInput {
                execution_arn: self.arn.clone(),
                client_token: None,
            })
            .await
            .map_err(|source| self.api_error("RedriveExecution", source))?;
        tracing::info!(execution = %self.arn, "execution redriven");
        Ok(redriven.redrive_date)
    }

    /// The whole history so far, read page by page.
    pub async fn history(&self) -> Result<History, ExecutionError> {
        let mut events = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .call("GetExecutionHistory", || {
                    self.sfn
                        .api()
                        .get_execution_history(GetExecutionHistoryInput {
                            execution_arn: self.arn.clone(),
                            max_results: 1000,
                            reverse_order: false,
                            next_token: next_token.clone(),
                            include_execution_data: None,
                        })
                })
                .await?;
            events.extend(page.events);
            match page.next_token {
                Some(token) => next_token = Some(token),
                None => return Ok(History::new(events)),
            }
        }
    }

    /// The history so far, as [`History::format`] prints it.
    pub async fn format_history(&self) -> Result<String, ExecutionError> {
        Ok(self.history().await?.format())
    }

    /// Yields the history's events as they happen, each once, ending after
    /// the execution closes.
    pub fn follow_history(&self) -> HistoryFollower {
        HistoryFollower::new(self.sfn.clone(), self.arn.clone())
    }
}

/// True once the execution has closed.
fn is_closed(status: ExecutionStatus) -> bool {
    !matches!(
        status,
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive
    )
}

/// The described execution as a result: its output, or why it has none.
fn outcome(described: DescribeExecutionOutput) -> Result<Succeeded, ExecutionError> {
    let execution = described.execution_arn.clone();
    let (error, cause) = (described.error.clone(), described.cause.clone());
    match described.status {
        ExecutionStatus::Succeeded => Ok(Succeeded {
            description: described,
        }),
        ExecutionStatus::Failed => Err(ExecutionError::Failed {
            execution,
            error,
            cause,
        }),
        ExecutionStatus::TimedOut => Err(ExecutionError::TimedOut {
            execution,
            error,
            cause,
        }),
        ExecutionStatus::Aborted => Err(ExecutionError::Aborted {
            execution,
            error,
            cause,
        }),
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => {
            Err(ExecutionError::Running { execution })
        }
    }
}
