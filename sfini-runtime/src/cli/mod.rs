//! The command line of an application: one call in `main` gives it
//! subcommands to register, deregister and diff its workflow, start
//! executions (waiting for them and showing their progress), stop and list
//! them, print their history, and run a worker.
//!
//! ```no_run
//! # use sfini_runtime::workflow::Workflow;
//! # fn print_workflow<W: Workflow>() {}
//! use sfini_runtime::cli::Cli;
//! # struct Printing;
//! # impl Workflow for Printing {
//! #     const NAME: &'static str = "printing";
//! #     const DEFINITION: &'static str = r#"{"StartAt":"p","States":{"p":{"Type":"Pass","End":true}}}"#;
//! #     const ACTIVITIES: &'static [&'static sfini_runtime::activity::ActivityDefinition] = &[];
//! #     fn state_machine() -> &'static sfini_core::StateMachine { unimplemented!() }
//! # }
//!
//! #[tokio::main]
//! async fn main() -> std::process::ExitCode {
//!     Cli::new()
//!         .workflow::<Printing>()
//!         .role_arn("arn:aws:iam::123456789012:role/printing")
//!         .version("1.0")
//!         .run()
//!         .await
//! }
//! ```
//!
//! ```text
//! app register [--allow-update]
//! app deregister [--activities]
//! app diff
//! app start [--input JSON | --input-file FILE] [--name NAME] [--wait [--timeout SECONDS]]
//! app stop EXECUTION [--error ERROR] [--cause CAUSE]
//! app executions [--status STATUS] [--since TIME] [--until TIME] [--prefix PREFIX] [--limit N] [--count]
//! app history EXECUTION [--follow]
//! app worker [--pollers N] [--concurrency N] [--name NAME]
//! ```
//!
//! The engine is [`Sfn::from_env`]'s unless [`Cli::sfn`] gives one.
//!
//! **On the local engine**, the engine lives in the program's process and
//! ends with it, so each command starts from an empty engine: every command
//! registers the workflow first, and `start` serves the workflow's
//! activities itself and waits for the execution to end.

mod args;
mod commands;

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::client::Sfn;
use crate::registration::Machine;
use crate::worker::WorkerBuilder;
use crate::workflow::Workflow;

pub use commands::CliError;

/// One workflow the command line acts on.
#[derive(Clone, Copy)]
struct WorkflowEntry {
    name: &'static str,
    machine: fn(&Sfn) -> Machine,
    serve: fn(WorkerBuilder) -> WorkerBuilder,
}

/// The command line of an application: its workflows, the role their state
/// machines run as, and how it presents itself.
#[derive(Default)]
pub struct Cli {
    workflows: Vec<WorkflowEntry>,
    sfn: Option<Sfn>,
    role_arn: Option<String>,
    version: Option<String>,
    program: Option<String>,
    about: Option<String>,
}

impl fmt::Debug for Cli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cli")
            .field(
                "workflows",
                &self
                    .workflows
                    .iter()
                    .map(|entry| entry.name)
                    .collect::<Vec<_>>(),
            )
            .field("role_arn", &self.role_arn)
            .field("version", &self.version)
            .field("program", &self.program)
            .finish_non_exhaustive()
    }
}

impl Cli {
    /// A command line with no workflow yet.
    pub fn new() -> Cli {
        Cli::default()
    }

    /// Adds a workflow: its state machine and its activities. With more
    /// than one, commands choose with `--workflow NAME`.
    pub fn workflow<W: Workflow>(mut self) -> Cli {
        self.workflows.push(WorkflowEntry {
            name: W::NAME,
            machine: |sfn| sfn.workflow::<W>(),
            serve: |builder| builder.workflow::<W>(),
        });
        self
    }

    /// The engine to use, instead of [`Sfn::from_env`]'s.
    pub fn sfn(mut self, sfn: Sfn) -> Cli {
        self.sfn = Some(sfn);
        self
    }

    /// The IAM role the state machines run as, used by `register` and
    /// `diff` unless the engine's handle has one (see
    /// [`Sfn::with_role_arn`] and `SFINI_ROLE_ARN`).
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Cli {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// The version `--version` prints (without one, there is no
    /// `--version`).
    pub fn version(mut self, version: impl Into<String>) -> Cli {
        self.version = Some(version.into());
        self
    }

    /// What the program does, shown at the top of `--help`.
    pub fn about(mut self, about: impl Into<String>) -> Cli {
        self.about = Some(about.into());
        self
    }

    /// The program's name in help and messages (the first argument by
    /// default).
    pub fn program(mut self, program: impl Into<String>) -> Cli {
        self.program = Some(program.into());
        self
    }

    /// Reads the process's arguments, runs the command, and returns the
    /// exit status: 0 on success, 1 when the command failed (an execution
    /// that did not succeed, a definition that differs), 2 for a command
    /// line that could not be read. Messages go to standard error, results
    /// to standard output.
    pub async fn run(self) -> ExitCode {
        let mut out = std::io::stdout();
        let code = self.run_with(std::env::args_os(), &mut out).await;
        ExitCode::from(code)
    }

    /// Runs the command line `args` (the program's name first), writing
    /// results to `out`, and returns the exit status [`run`](Self::run)
    /// would (errors are written to standard error).
    pub async fn run_with<I, T>(self, args: I, out: &mut (dyn Write + Send)) -> u8
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        match self.try_run(args, out).await {
            Ok(code) => code,
            Err(CliError::Usage(error)) => {
                // Help and version are "errors" of clap that succeed.
                let code = u8::try_from(error.exit_code()).unwrap_or(2);
                if error.use_stderr() {
                    let _ = error.print();
                } else {
                    let _ = write!(out, "{}", error.render());
                }
                code
            }
            Err(error) => {
                eprintln!("error: {error}");
                1
            }
        }
    }

    /// Runs the command line `args` and returns the exit status, or the
    /// error that stopped the command.
    pub async fn try_run<I, T>(self, args: I, out: &mut (dyn Write + Send)) -> Result<u8, CliError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let command = self.command();
        let matches = command
            .try_get_matches_from(args)
            .map_err(CliError::Usage)?;
        let arguments = args::Arguments::from_arg_matches(&matches).map_err(CliError::Usage)?;
        if arguments.version {
            return match &self.version {
                Some(version) => {
                    writeln!(out, "{version}").map_err(CliError::Output)?;
                    Ok(0)
                }
                None => Err(CliError::NoVersion),
            };
        }
        let Some(command) = arguments.command else {
            write!(out, "{}", self.command().render_help()).map_err(CliError::Output)?;
            return Ok(2);
        };
        let entry = self.choose(arguments.workflow.as_deref())?;
        let mut sfn = match self.sfn {
            Some(sfn) => sfn,
            None => Sfn::from_env().await.map_err(CliError::Client)?,
        };
        // A role set on the handle (or by SFINI_ROLE_ARN) wins over the
        // program's default.
        if let (None, Some(role_arn)) = (sfn.role_arn(), self.role_arn) {
            sfn = sfn.with_role_arn(role_arn);
        }
        let context = commands::Context {
            machine: (entry.machine)(&sfn),
            sfn,
            serve: entry.serve,
        };
        context.execute(command, out).await
    }

    /// The command-line parser, named and described as the program is.
    fn command(&self) -> clap::Command {
        let mut command = args::Arguments::command();
        if let Some(program) = &self.program {
            command = command.bin_name(program.clone());
        }
        if let Some(about) = &self.about {
            command = command.about(about.clone());
        }
        command
    }

    fn choose(&self, name: Option<&str>) -> Result<WorkflowEntry, CliError> {
        let names = || {
            self.workflows
                .iter()
                .map(|entry| entry.name.to_string())
                .collect()
        };
        match (name, self.workflows.as_slice()) {
            (_, []) => Err(CliError::NoWorkflow),
            (None, [only]) => Ok(*only),
            (None, _) => Err(CliError::ChooseWorkflow(names())),
            (Some(name), workflows) => workflows
                .iter()
                .find(|entry| entry.name == name)
                .copied()
                .ok_or_else(|| CliError::UnknownWorkflow(name.to_string(), names())),
        }
    }
}
