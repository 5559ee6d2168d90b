//! Counts up in steps with an activity until a Choice state stops the loop.
//!
//! `cargo run --example looping` prints `12`.

mod support;

use sfini::prelude::*;
use sfini::runtime::local::LocalEngine;

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
    let engine = LocalEngine::new();
    let outcome = support::run::<Looping>(&engine, json!({"increment": 3})).await?;
    println!("{}", outcome.output.unwrap_or_default());
    Ok(())
}
