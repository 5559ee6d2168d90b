//! What each subcommand does.

use std::io::Write;
use std::time::Duration;

use serde_json::Value;

use crate::api::{ExecutionStatus, SfnError};
use crate::client::{ClientError, Sfn};
use crate::execution::{Execution, ExecutionError, History};
use crate::registration::{Machine, RegisterOptions, RegistrationError, RegistrationOutcome};
use crate::worker::{Worker, WorkerBuilder, WorkerError};

use super::args::Command;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The command line could not be read (or asked for help).
    #[error("{0}")]
    Usage(clap::Error),
    /// Writing the results failed.
    #[error("could not write the output: {0}")]
    Output(std::io::Error),
    /// `--version` was given but the application set no version.
    #[error("this program has no version")]
    NoVersion,
    /// The application gave the command line no workflow.
    #[error("this program has no workflow: add one with Cli::workflow")]
    NoWorkflow,
    /// Several workflows and no `--workflow`.
    #[error("this program has several workflows; choose one with --workflow: {}", .0.join(", "))]
    ChooseWorkflow(Vec<String>),
    /// `--workflow` named none of the workflows.
    #[error("no workflow is named `{0}`; the workflows are: {list}", list = .1.join(", "))]
    UnknownWorkflow(String, Vec<String>),
    /// The engine could not be chosen.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// Registering, diffing or deregistering failed.
    #[error(transparent)]
    Registration(#[from] RegistrationError),
    /// Starting, waiting for or stopping an execution failed.
    #[error(transparent)]
    Execution(#[from] ExecutionError),
    /// A call to the engine failed.
    #[error(transparent)]
    Api(#[from] SfnError),
    /// The worker could not start or stop.
    #[error(transparent)]
    Worker(#[from] WorkerError),
    /// The execution input is not JSON, or its file cannot be read.
    #[error("the execution input {what}: {message}")]
    Input {
        /// Where the input came from.
        what: String,
        /// What is wrong with it.
        message: String,
    },
}

/// What a command acts on.
pub(super) struct Context {
    pub sfn: Sfn,
    pub machine: Machine,
    pub serve: fn(WorkerBuilder) -> WorkerBuilder,
}

type Out<'a> = &'a mut (dyn Write + Send);

macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).map_err(CliError::Output)?
    };
}

impl Context {
    pub async fn execute(self, command: Command, out: Out<'_>) -> Result<u8, CliError> {
        let local = self.sfn.is_local();
        if local && !matches!(command, Command::Register { .. }) {
            // A fresh local engine knows nothing yet.
            self.register(false).await?;
        }
        match command {
            Command::Register { allow_update } => {
                let registration = self.register(allow_update).await?;
                for activity in &registration.activities {
                    say!(out, "activity {}: {}", activity.name, activity.arn);
                }
                let outcome = match registration.outcome {
                    RegistrationOutcome::Created => "created",
                    RegistrationOutcome::Updated => "updated",
                    RegistrationOutcome::Unchanged => "unchanged",
                };
                say!(
                    out,
                    "state machine {}: {outcome} ({})",
                    self.machine.name(),
                    registration.machine_arn
                );
                for change in &registration.changes {
                    say!(out, "  {change}");
                }
                Ok(0)
            }
            Command::Deregister { activities } => {
                if self.machine.deregister().await? {
                    say!(out, "state machine {}: deregistered", self.machine.name());
                } else {
                    say!(
                        out,
                        "state machine {}: was not registered",
                        self.machine.name()
                    );
                }
                if activities {
                    for name in self.machine.deregister_activities().await? {
                        say!(out, "activity {name}: deregistered");
                    }
                }
                Ok(0)
            }
            Command::Diff => {
                let diff = self.machine.diff().await?;
                say!(out, "{diff}");
                Ok(if diff.in_sync() { 0 } else { 1 })
            }
            Command::Start {
                input,
                input_file,
                name,
                wait,
                timeout,
            } => {
                let input = read_input(input, input_file)?;
                let worker = if local {
                    Some((self.serve)(self.sfn.worker()).start().await?)
                } else {
                    None
                };
                let execution = match name {
                    Some(name) => self.machine.start_named(&name, &input).await?,
                    None => self.machine.start(&input).await?,
                };
                say!(out, "{}", execution.arn());
                let code = if wait || local {
                    follow(&execution, timeout.map(Duration::from_secs), out).await?
                } else {
                    0
                };
                if let Some(worker) = worker {
                    worker.shutdown().await?;
                }
                Ok(code)
            }
            Command::Stop {
                execution,
                error,
                cause,
            } => {
                let execution = self.open(&execution).await?;
                execution
                    .stop(error.unwrap_or_default(), cause.unwrap_or_default())
                    .await?;
                say!(out, "{}: stopped", execution.arn());
                Ok(0)
            }
            Command::Executions {
                status,
                since,
                until,
                prefix,
                limit,
                count,
            } => {
                let mut query = self.machine.executions();
                if let Some(status) = status {
                    query = query.status(status);
                }
                if let Some(since) = since {
                    query = query.started_after(since);
                }
                if let Some(until) = until {
                    query = query.started_before(until);
                }
                if let Some(prefix) = prefix {
                    query = query.name_prefix(prefix);
                }
                if let Some(limit) = limit {
                    query = query.limit(limit);
                }
                if count {
                    say!(out, "{}", query.count().await?);
                } else {
                    for item in query.list().await? {
                        say!(
                            out,
                            "{}  {}  {}  {}",
                            item.name,
                            item.status,
                            timestamp(item.start_date),
                            item.stop_date.map(timestamp).unwrap_or_else(|| "-".into())
                        );
                    }
                }
                Ok(0)
            }
            Command::History { execution, follow } => {
                let execution = self.open(&execution).await?;
                if follow {
                    let mut events = execution.follow_history();
                    while let Some(event) = events.next().await {
                        write!(out, "{}", History::from(vec![event?]).format())
                            .map_err(CliError::Output)?;
                    }
                } else {
                    write!(out, "{}", execution.history().await?.format())
                        .map_err(CliError::Output)?;
                }
                Ok(0)
            }
            Command::Worker {
                pollers,
                concurrency,
                name,
            } => {
                let mut builder = (self.serve)(self.sfn.worker());
                if let Some(pollers) = pollers {
                    builder = builder.pollers(pollers);
                }
                if let Some(concurrency) = concurrency {
                    builder = builder.concurrency(concurrency);
                }
                if let Some(name) = name {
                    builder = builder.name(name);
                }
                let worker: Worker = builder.start().await?;
                eprintln!("worker {} serving; Ctrl-C stops it", worker.name());
                let stats = worker.run_until_ctrl_c().await?;
                say!(
                    out,
                    "tasks: {} received, {} succeeded, {} failed, {} panicked, {} interrupted, \
                     {} cancelled, {} unconfirmed, {} not reported",
                    stats.received,
                    stats.succeeded,
                    stats.failed,
                    stats.panicked,
                    stats.interrupted,
                    stats.cancelled,
                    stats.unconfirmed,
                    stats.report_failures
                );
                Ok(0)
            }
        }
    }

    async fn register(
        &self,
        allow_update: bool,
    ) -> Result<crate::registration::Registration, CliError> {
        let options = RegisterOptions::new().allow_update(allow_update);
        Ok(self.machine.register_with(options).await?)
    }

    /// The execution named by `text`: an execution ARN, or the name of an
    /// execution of the machine.
    async fn open(&self, text: &str) -> Result<Execution, CliError> {
        if text.starts_with("arn:") {
            return Ok(self.sfn.execution(text));
        }
        let machine_arn = self.machine.arn().await?;
        let arn = format!(
            "{}:{text}",
            machine_arn.replacen(":stateMachine:", ":execution:", 1)
        );
        Ok(self.sfn.execution(arn))
    }
}

/// Prints the events of `execution` as they happen, then its output or
/// how it failed; the exit status is 0 when it succeeded.
async fn follow(
    execution: &Execution,
    timeout: Option<Duration>,
    out: Out<'_>,
) -> Result<u8, CliError> {
    let printing = async {
        let mut events = execution.follow_history();
        while let Some(event) = events.next().await {
            let event = event?;
            write!(out, "{}", History::from(vec![event]).format()).map_err(CliError::Output)?;
        }
        Ok::<_, CliError>(())
    };
    match timeout {
        Some(limit) => {
            if tokio::time::timeout(limit, printing).await.is_err() {
                return Err(ExecutionError::StillRunning {
                    execution: execution.arn().to_string(),
                    waited: limit,
                }
                .into());
            }
        }
        None => printing.await?,
    }
    let described = execution.describe().await?;
    match described.status {
        ExecutionStatus::Succeeded => {
            say!(out, "{}", described.output.unwrap_or_else(|| "null".into()));
            Ok(0)
        }
        status => {
            eprintln!(
                "execution {} {}: {}: {}",
                execution.arn(),
                status.as_str().to_ascii_lowercase().replace('_', " "),
                described.error.as_deref().unwrap_or("(no error)"),
                described.cause.as_deref().unwrap_or("(no cause)")
            );
            Ok(1)
        }
    }
}

fn read_input(
    input: Option<String>,
    input_file: Option<std::path::PathBuf>,
) -> Result<Value, CliError> {
    let (what, text) = match (input, input_file) {
        (Some(text), _) => ("given with --input".to_string(), text),
        (None, Some(path)) => {
            let what = format!("in `{}`", path.display());
            let text = std::fs::read_to_string(&path).map_err(|error| CliError::Input {
                what: what.clone(),
                message: error.to_string(),
            })?;
            (what, text)
        }
        (None, None) => return Ok(Value::Object(Default::default())),
    };
    serde_json::from_str(&text).map_err(|error| CliError::Input {
        what,
        message: format!("it is not JSON ({error})"),
    })
}

fn timestamp(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}
