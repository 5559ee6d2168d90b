//! The error handling example in JSONata: an activity that first runs
//! past its timeout, is retried, then fails with its own error, which a
//! Catch sends to a Fail state. The catcher keeps the error output
//! (`$states.errorOutput`) in a workflow variable, from which the Fail
//! state writes its cause.
//!
//! `cargo run --example error_handling_jsonata` prints the execution's
//! history. The local engine runs on a virtual clock, so the activity's
//! sleeps, the timeout and the retry interval pass at once, in order.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions, with the region and credentials of the environment,
//! the shared AWS files or the instance (the role is the one executions run
//! as).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sfini::Execution;
use sfini::prelude::*;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;
use time::macros::datetime;

/// The error the activity raises.
#[derive(Debug, ActivityError)]
struct MyError;

impl std::fmt::Display for MyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("foobar")
    }
}

/// Seconds the next run sleeps: 15 (past the 10 s timeout), then 5.
static SLEEP_SECONDS: AtomicU64 = AtomicU64::new(15);

/// Sleeps, then fails.
#[activity(name = "raiseJsonataActivity")]
async fn raise() -> Result<(), MyError> {
    let seconds = SLEEP_SECONDS.fetch_sub(10, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    Err(MyError)
}

workflow! {
    #[workflow(name = "sfiniErrorHandlingJsonata", query_language = jsonata)]
    pub ErrorHandlingJsonata {
        raise: task(raise) {
            timeout: 10,
            retry ["States.Timeout"] { interval: 3 },
            catch [MyError] => fail { assign: { failure: $states.errorOutput } },
            end: true,
        },
        fail: fail { error: "WorkerError", cause: "{% $failure.Error & ' was raised' %}" },
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let sfn = runtime.block_on(Sfn::from_env())?;
    if !sfn.is_local() {
        // AWS runs in real time.
        return runtime.block_on(print_history(sfn));
    }
    // The local engine runs on a virtual clock from a fixed date, in a
    // runtime whose time is paused from its start: the sleeps, the timeout
    // and the retry interval pass at once and to the millisecond, so the
    // history is the same at every run.
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    paused.block_on(async {
        let engine = LocalEngine::builder()
            .clock(Clock::virtual_from(datetime!(2019-06-23 09:27:34 UTC)))
            .build();
        let local = Sfn::from_local(engine);
        print_history(match sfn.role_arn() {
            Some(role_arn) => local.with_role_arn(role_arn),
            None => local,
        })
        .await
    })
}

/// Runs the workflow on `sfn` and prints the execution's history.
async fn print_history(sfn: Sfn) -> Result<(), Box<dyn std::error::Error>> {
    let execution = run(&sfn, json!({})).await?;
    print!("{}", execution.format_history().await?);
    Ok(())
}

/// Registers the workflow on `sfn`, serves its activities with a worker,
/// runs one execution with `input` and returns it once it has ended and
/// the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn
        .worker()
        .workflow::<ErrorHandlingJsonata>()
        .start()
        .await?;
    let machine = sfn.workflow::<ErrorHandlingJsonata>();
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
