//! The parallel example in JSONata: logs and prints a message in two
//! parallel branches, each giving its activity its `Arguments`; the print
//! branch keeps the time its activity computed in a workflow variable and
//! waits until it. The definition is ASL written by hand
//! (`examples/asl/parallel_jsonata.asl.json`), its activities Rust functions.
//!
//! `cargo run --example parallel_jsonata` prints the two branches' outputs.
//! The local engine runs on a virtual clock, so the wait passes at once.

use sfini::Execution;
use sfini::prelude::*;
use sfini::runtime::activity::Activity;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The definition, as reviewed.
pub const DEFINITION: &str = include_str!("asl/parallel_jsonata.asl.json");

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The local engine on a virtual clock, in a runtime whose time is paused
    // from its start: the wait passes at once.
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    paused.block_on(async {
        let engine = LocalEngine::builder()
            .clock(Clock::virtual_from(OffsetDateTime::now_utc()))
            .build();
        let execution = run(
            &Sfn::from_local(engine),
            json!({"level": 20, "message": "foo"}),
        )
        .await?;
        let output: Value = execution.output().await?;
        println!("{}", serde_json::to_string_pretty(&output)?);
        Ok(())
    })
}

/// Registers the definition on `sfn` with its activities, serves them with
/// a worker, runs one execution with `input` and returns it once it has
/// ended and the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn
        .worker()
        .activity::<log_message>()
        .activity::<print_message>()
        .start()
        .await?;
    let machine = sfn
        .machine("sfiniParallelJsonata", DEFINITION)
        .with_activities(&[
            &<log_message as Activity>::DEFINITION,
            &<print_message as Activity>::DEFINITION,
        ]);
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
