//! What the worker, reliability and redrive tests share: an engine on the virtual
//! clock, hand-written activity definitions, one-task machines, executions
//! and their histories.

#![allow(dead_code)]

use serde_json::{Value, json};
use sfini_runtime::activity::{ActivityContext, ActivityDefinition, ActivityFuture};
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::LocalEngine;
use time::macros::datetime;

pub const ROLE: &str = "arn:aws:iam::123456789012:role/test";

pub fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(datetime!(2024-01-01 0:00 UTC)))
        .build()
}

pub const fn definition(
    name: &'static str,
    heartbeat_seconds: Option<u64>,
    run: fn(Value, ActivityContext) -> ActivityFuture,
) -> ActivityDefinition {
    ActivityDefinition {
        name,
        id: name,
        description: "",
        arguments: &[],
        takes_whole_input: true,
        errors: &[],
        heartbeat_seconds,
        timeout_seconds: None,
        run,
    }
}

/// A machine of one Task state running `activity`, with `state`'s extra
/// fields on the state; returns its ARN and the activity's.
pub async fn machine_with_activity(
    engine: &LocalEngine,
    activity: &str,
    state: Value,
) -> (String, String) {
    let activity_arn = engine
        .create_activity(CreateActivityInput {
            name: activity.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn;
    let mut task = json!({"Type": "Task", "Resource": activity_arn, "End": true});
    for (key, value) in state.as_object().unwrap() {
        task[key] = value.clone();
    }
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: format!("{activity}-machine"),
            definition: json!({"StartAt": "work", "States": {"work": task}}).to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .state_machine_arn;
    (machine, activity_arn)
}

pub async fn start(engine: &LocalEngine, machine: &str, input: Value) -> String {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            input: Some(input.to_string()),
            ..Default::default()
        })
        .await
        .unwrap()
        .execution_arn
}

pub async fn history(engine: &LocalEngine, execution: &str) -> Vec<HistoryEvent> {
    engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: execution.into(),
            max_results: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .events
}

/// [`machine_with_activity`]'s machine ARN alone.
pub async fn machine(engine: &LocalEngine, activity: &str, state: Value) -> String {
    machine_with_activity(engine, activity, state).await.0
}
