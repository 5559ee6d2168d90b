//! The looping example in JSONata: the counter is a workflow variable that
//! each task's `Assign` updates and a Choice `Condition` reads; the
//! definition is Amazon States Language written by hand
//! (`examples/asl/looping_jsonata.asl.json`), its activity a Rust function.
//!
//! `cargo run --example looping_jsonata` prints `{"counter":12,"steps":[3,6,9,12]}`.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions.

use sfini::Execution;
use sfini::prelude::*;
use sfini::runtime::activity::Activity;

/// The definition, as reviewed.
pub const DEFINITION: &str = include_str!("asl/looping_jsonata.asl.json");

/// Adds the step to the counter.
#[activity(name = "addToCounter")]
async fn add_to_counter(counter: i64, increment: i64) -> i64 {
    counter + increment
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sfn = Sfn::from_env().await?;
    let execution = run(&sfn, json!({"increment": 3})).await?;
    let output: Value = execution.output().await?;
    println!("{output}");
    Ok(())
}

/// Registers the definition on `sfn` with its activity, serves the
/// activity with a worker, runs one execution with `input` and returns it
/// once it has ended and the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn.worker().activity::<add_to_counter>().start().await?;
    let machine = sfn
        .machine("sfiniLoopingJsonata", DEFINITION)
        .with_activities(&[&<add_to_counter as Activity>::DEFINITION]);
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
