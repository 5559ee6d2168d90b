//! An application with a command line: the workflow's activities, its state
//! machine, and subcommands to register it, start and inspect executions,
//! and serve its activities.
//!
//! ```text
//! cargo run --example cli -- --help
//! cargo run --example cli -- start --input '{"greeting": "hello"}'
//! cargo run --example cli -- diff
//! ```
//!
//! On the local engine (the default) the engine lives in the process, so
//! `start` registers the workflow, serves its activity and waits for the
//! execution, printing its events as they happen.

use std::process::ExitCode;

use sfini::cli::Cli;
use sfini::prelude::*;
use sfini::runtime::client::Sfn;

/// Prints the task input.
#[activity(name = "printActivity")]
async fn print_activity(#[input] data: Value) {
    println!("{data}");
}

workflow! {
    #[workflow(name = "sfiniSM")]
    pub Printing {
        print: task(print_activity),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let sfn = match Sfn::from_env().await {
        Ok(sfn) => sfn.with_activity_prefix("sfiniActs"),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    command_line(sfn).run().await
}

/// The application's command line, on the engine `sfn`.
pub fn command_line(sfn: Sfn) -> Cli {
    Cli::new()
        .workflow::<Printing>()
        .sfn(sfn)
        .role_arn("arn:aws:iam::123456789012:role/sfini-cli-example")
        .version("1.0")
        .about("Prints its input, in a Step Functions activity")
}
