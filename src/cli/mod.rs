//! Commands of the `sfini` tool.

mod bounded;
mod definition;
mod graph;
mod limits;
mod local;
mod mock_config;
mod run;
mod tasks;
mod test_state;
mod validate;
mod yaml;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Define, check and run AWS Step Functions workflows.
#[derive(Debug, Parser)]
#[command(name = "sfini", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Amazon States Language definitions (JSON, or YAML by extension).
    ///
    /// Prints every problem with its file and location, a file that cannot
    /// be read, is too large (more than 1,048,576 characters) or is not
    /// JSON or YAML included; exits with 0 when every file is valid and 1
    /// otherwise.
    Validate(validate::Args),
    /// Run a definition on the local engine and print how it ended.
    ///
    /// Exit status: 0 when the execution succeeded; 1 when it ran and did
    /// not succeed (failed, timed out or aborted); 2 when it could not run
    /// at all: the definition could not be read, was too large (more than
    /// 1,048,576 characters), was not JSON or YAML, or was invalid (its
    /// problems are printed as `sfini validate` prints them), or the input
    /// could not be read, was too large (more than 262,144 bytes) or was
    /// not accepted by StartExecution, or the command line was wrong.
    Run(run::Args),
    /// Draw a definition: a Mermaid flowchart, a Graphviz digraph or an
    /// SVG image of its states, transitions, Choice rules, catchers,
    /// branches and processors.
    ///
    /// Exit status: 0 when the graph was written; 1 when it could not be
    /// written; 2 when the definition could not be read or was invalid (its
    /// problems are printed as `sfini validate` prints them).
    Graph(graph::Args),
    /// The local engine, served to other programs.
    Local(local::Args),
    /// Run one state with Step Functions' TestState on the local engine and
    /// print its status, next state, output or error.
    ///
    /// Exit status: 0 when the state succeeded, or a catcher caught its
    /// error, or a retrier retries it; 1 when it failed with an error
    /// nothing handles; 2 when it could not run (see `sfini help
    /// test-state`).
    TestState(test_state::Args),
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Local(args) => local::run(&args),
        Command::TestState(args) => test_state::run(&args),
    }
}
