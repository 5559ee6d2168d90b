//! Adds two numbers with an activity, on the local engine.
//!
//! `cargo run --example adding` prints `45`.

mod support;

use sfini::prelude::*;
use sfini::runtime::local::LocalEngine;

/// Adds `a` and `b` from the task input.
#[activity(name = "addActivity")]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

workflow! {
    /// Adds `a` and `b` from the execution input
    #[workflow(name = "testAdding")]
    pub Adding {
        add: task(add),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = LocalEngine::new();
    let outcome = support::run::<Adding>(&engine, json!({"a": 3, "b": 42})).await?;
    println!("{}", outcome.output.unwrap_or_default());
    Ok(())
}
