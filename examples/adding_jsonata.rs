//! The adding example in JSONata: adds two numbers with an activity, its
//! `arguments` read from the execution input.
//!
//! `cargo run --example adding_jsonata` prints `45`.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions, with the region and credentials of the environment,
//! the shared AWS files or the instance (the role is the one executions run
//! as).

use sfini::Execution;
use sfini::prelude::*;

/// Adds `a` and `b`.
#[activity(name = "addJsonataActivity")]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

workflow! {
    /// Adds `a` and `b` from the execution input
    #[workflow(name = "testAddingJsonata", query_language = jsonata)]
    pub AddingJsonata {
        add: task(add) {
            arguments: { a: $states.input.a, b: $states.input.b },
        },
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sfn = Sfn::from_env().await?;
    let execution = run(&sfn, json!({"a": 3, "b": 42})).await?;
    let sum: i64 = execution.output().await?;
    println!("{sum}");
    Ok(())
}

/// Registers the workflow on `sfn`, serves its activities with a worker,
/// runs one execution with `input` and returns it once it has ended and
/// the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn.worker().workflow::<AddingJsonata>().start().await?;
    let machine = sfn.workflow::<AddingJsonata>();
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
