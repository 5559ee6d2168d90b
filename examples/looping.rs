//! Counts up in steps with an activity until a Choice state stops the loop.
//!
//! `cargo run --example looping` prints `12`.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions, with the region and credentials of the environment,
//! the shared AWS files or the instance (the role is the one executions run
//! as).

use sfini::Execution;
use sfini::prelude::*;

/// Adds the step to the counter.
#[activity]
async fn increment(counter: i64, increment: i64) -> i64 {
    counter + increment
}

workflow! {
    #[workflow(name = "sfiniLooping")]
    pub Looping {
        initialise: pass { result: 0, result_path: "$.counter" },
        increment: task(increment) { result_path: "$.counter" },
        checkCounter: choice {
            "$.counter" < 10 => increment,
            _ => end,
        },
        end: succeed { output_path: "$.counter" },
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sfn = Sfn::from_env().await?;
    let execution = run(&sfn, json!({"increment": 3})).await?;
    let counter: i64 = execution.output().await?;
    println!("{counter}");
    Ok(())
}

/// Registers the workflow on `sfn`, serves its activities with a worker,
/// runs one execution with `input` and returns it once it has ended and
/// the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn.worker().workflow::<Looping>().start().await?;
    let machine = sfn.workflow::<Looping>();
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
