//! The looping example in JSONata: counts up in steps with an activity
//! until a Choice state stops the loop. The counter, the step and the steps
//! taken are workflow variables: the task gives its activity `arguments`
//! read from them and `assign`s its result back, and the Choice's condition
//! reads the counter.
//!
//! `cargo run --example looping_jsonata` prints `{"counter":12,"steps":[3,6,9,12]}`.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions, with the region and credentials of the environment,
//! the shared AWS files or the instance (the role is the one executions run
//! as).

use sfini::Execution;
use sfini::prelude::*;

/// Adds the step to the counter.
#[activity(name = "addToCounter")]
async fn add_to_counter(counter: i64, increment: i64) -> i64 {
    counter + increment
}

workflow! {
    /// The looping example in JSONata: the counter and the steps taken live in workflow variables
    #[workflow(name = "sfiniLoopingJsonata", query_language = jsonata)]
    pub LoopingJsonata {
        initialise: pass {
            assign: {
                counter: 0,
                step: "{% $exists($states.input.increment) ? $states.input.increment : 1 %}",
                steps: [],
            },
        },
        increment: task(add_to_counter) {
            arguments: { counter: $counter, increment: $step },
            assign: {
                counter: $states.result,
                steps: "{% $append($steps, $states.result) %}",
            },
        },
        checkCounter: choice {
            $counter < 10 => increment,
            _ => end,
        },
        end: succeed { output: { counter: $counter, steps: $steps } },
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sfn = Sfn::from_env().await?;
    let execution = run(&sfn, json!({"increment": 3})).await?;
    let output: Value = execution.output().await?;
    println!("{output}");
    Ok(())
}

/// Registers the workflow on `sfn`, serves its activities with a worker,
/// runs one execution with `input` and returns it once it has ended and
/// the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn.worker().workflow::<LoopingJsonata>().start().await?;
    let machine = sfn.workflow::<LoopingJsonata>();
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}
