//! The activity the worker benchmarks serve: it does nothing and returns
//! `null`, so that what is measured is the serving.

use serde_json::Value;
use sfini_runtime::activity::{ActivityContext, ActivityDefinition, ActivityFuture};

fn noop(_input: Value, _context: ActivityContext) -> ActivityFuture {
    Box::pin(async { Ok(Value::Null) })
}

/// The no-op activity, named `noop`.
pub static NOOP: ActivityDefinition = ActivityDefinition {
    name: "noop",
    id: "noop",
    description: "Does nothing.",
    arguments: &[],
    takes_whole_input: true,
    errors: &[],
    heartbeat_seconds: None,
    timeout_seconds: None,
    run: noop,
};
