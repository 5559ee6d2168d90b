//! The command line an application's [`Cli`](super::Cli) reads.

use std::path::PathBuf;

use crate::api::ExecutionStatus;

// The options before the subcommand, and the subcommand. (A plain comment:
// a doc comment would become the program's description in --help.)
#[derive(Debug, clap::Parser)]
#[command(disable_version_flag = true)]
pub struct Arguments {
    /// The workflow to act on, by its state machine name (needed when the
    /// application has more than one).
    #[arg(short, long, global = true, value_name = "NAME")]
    pub workflow: Option<String>,

    /// Print the version and exit.
    #[arg(short = 'V', long)]
    pub version: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Register the workflow's activities and state machine.
    Register {
        /// Update the state machine when one of the same name differs.
        #[arg(long)]
        allow_update: bool,
    },
    /// Remove the state machine (and, with --activities, its activities).
    Deregister {
        /// Also remove the workflow's activities.
        #[arg(long)]
        activities: bool,
    },
    /// Show what differs between this program's definition and the
    /// registered one (exit status 1 when they differ).
    Diff,
    /// Start an execution.
    Start {
        /// The execution's input, as JSON.
        #[arg(long, value_name = "JSON", conflicts_with = "input_file")]
        input: Option<String>,
        /// A file holding the execution's input, as JSON.
        #[arg(long, value_name = "FILE")]
        input_file: Option<PathBuf>,
        /// The execution's name (generated when not given).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Wait for the execution to end, printing its events as they
        /// happen, then its output (exit status 1 unless it succeeded).
        #[arg(long)]
        wait: bool,
        /// With --wait: give up waiting after this many seconds.
        #[arg(long, value_name = "SECONDS", requires = "wait")]
        timeout: Option<u64>,
    },
    /// Stop a running execution.
    Stop {
        /// The execution: its ARN, or its name.
        #[arg(value_name = "EXECUTION")]
        execution: String,
        /// The error to record.
        #[arg(long, value_name = "ERROR")]
        error: Option<String>,
        /// The cause to record.
        #[arg(long, value_name = "CAUSE")]
        cause: Option<String>,
    },
    /// List the state machine's executions, newest first.
    Executions {
        /// Only executions with this status.
        #[arg(long, value_parser = parse_status, value_name = "STATUS")]
        status: Option<ExecutionStatus>,
        /// Only executions started at or after this time (RFC 3339).
        #[arg(long, value_parser = parse_time, value_name = "TIME")]
        since: Option<time::OffsetDateTime>,
        /// Only executions started before this time (RFC 3339).
        #[arg(long, value_parser = parse_time, value_name = "TIME")]
        until: Option<time::OffsetDateTime>,
        /// Only executions whose name starts with this.
        #[arg(long, value_name = "PREFIX")]
        prefix: Option<String>,
        /// At most this many executions.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print only how many there are.
        #[arg(long)]
        count: bool,
    },
    /// Print an execution's history.
    History {
        /// The execution: its ARN, or its name.
        #[arg(value_name = "EXECUTION")]
        execution: String,
        /// Keep printing events as they happen, until the execution ends.
        #[arg(long)]
        follow: bool,
    },
    /// Serve the workflow's activities until Ctrl-C.
    Worker {
        /// Long polls per activity.
        #[arg(long, value_name = "N")]
        pollers: Option<usize>,
        /// Tasks run at once, across all activities.
        #[arg(long, value_name = "N")]
        concurrency: Option<usize>,
        /// The worker's name, recorded in the history (host name and a
        /// short id when not given).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
}

fn parse_status(text: &str) -> Result<ExecutionStatus, String> {
    ExecutionStatus::from_name(&text.to_ascii_uppercase()).ok_or_else(|| {
        "expected one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE"
            .to_string()
    })
}

fn parse_time(text: &str) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).map_err(
        |error| format!("expected an RFC 3339 time such as 2026-11-21T10:30:00Z ({error})"),
    )
}
