//! The parallel example in JSONata: logs and prints a message in two
//! parallel branches, each giving its activity its `arguments`; the print
//! branch keeps the time its activity computed in a workflow variable and
//! waits until it.
//!
//! `cargo run --example parallel_jsonata` prints the two branches' outputs.
//! The local engine runs on a virtual clock, so the wait passes at once.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions, with the region and credentials of the environment,
//! the shared AWS files or the instance (the role is the one executions run
//! as).

use sfini::Execution;
use sfini::prelude::*;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Logs `message` at `level` (10 debug, 20 info, 30 warning, 40 error).
#[activity(name = "logJsonataActivity")]
async fn log_message(level: u8, message: String) {
    let level = match level {
        0..=10 => "DEBUG",
        11..=20 => "INFO",
        21..=30 => "WARNING",
        _ => "ERROR",
    };
    println!("[{level}] {message}");
}

/// Prints its input, and returns a time five seconds later per input field.
#[activity(name = "printJsonataActivity")]
async fn print_message(#[input] message: Value) -> String {
    println!("{message}");
    let fields = message.as_object().map_or(1, |fields| fields.len());
    let until = OffsetDateTime::now_utc() + time::Duration::seconds(5 * fields as i64);
    until
        .format(&Rfc3339)
        .expect("a current time formats as RFC 3339")
}

workflow! {
    /// The parallel example in JSONata: each branch gives its activity its Arguments, and the print branch keeps the time to wait until in a variable
    #[workflow(name = "sfiniParallelJsonata", query_language = jsonata)]
    pub PrintAndLogJsonata {
        printAndLog: parallel {
            branch {
                log: task(log_message) {
                    arguments: { level: $states.input.level, message: $states.input.message },
                    output: $states.input,
                },
            },
            branch {
                print: task(print_message) {
                    assign: { until: $states.result },
                    output: "{% $merge([$states.input, {'until': $states.result}]) %}",
                },
                wait: wait { timestamp: $until },
            },
        },
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let sfn = runtime.block_on(Sfn::from_env())?;
    if !sfn.is_local() {
        // AWS waits in real time.
        return runtime.block_on(print_output(sfn));
    }
    // The local engine runs on a virtual clock, in a runtime whose time is
    // paused from its start: the wait passes at once.
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    paused.block_on(async {
        let engine = LocalEngine::builder()
            .clock(Clock::virtual_from(OffsetDateTime::now_utc()))
            .build();
        let local = Sfn::from_local(engine);
        print_output(match sfn.role_arn() {
            Some(role_arn) => local.with_role_arn(role_arn),
            None => local,
        })
        .await
    })
}

/// Runs the workflow on `sfn` and prints the branches' outputs.
async fn print_output(sfn: Sfn) -> Result<(), Box<dyn std::error::Error>> {
    let execution = run(&sfn, json!({"level": 20, "message": "foo"})).await?;
    let output: Value = execution.output().await?;
    println!("{}", serde_json::to_string_pretty(&output)?);
    Ok(())
}

/// Registers the workflow on `sfn`, serves its activities with a worker,
/// runs one execution with `input` and returns it once it has ended and
/// the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn
        .worker()
        .workflow::<PrintAndLogJsonata>()
        .start()
        .await?;
    let machine = sfn.workflow::<PrintAndLogJsonata>();
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
