//! Machines and helpers shared by the engine benchmarks.

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::local::LocalEngine;

pub const ROLE: &str = "arn:aws:iam::123456789012:role/bench";

/// A loop of three states per iteration (Pass, Pass, Choice) that counts
/// `$.i` up to `$.n`, then succeeds: the machine of
/// `tests/differential/harness.py --loop`, state for state.
#[allow(dead_code)] // The memory bench does not loop.
pub fn loop_machine() -> Value {
    json!({
        "Comment": "Benchmark loop: three state transitions per iteration",
        "StartAt": "Increment",
        "States": {
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "Carry"},
            "Carry": {"Type": "Pass", "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Increment"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }
    })
}

/// The same loop in JSONata, its counter and bound in variables: a Pass
/// that assigns the counter, a Pass, a Choice on a Condition; the Succeed
/// state outputs the counter.
#[allow(dead_code)] // The memory bench does not loop.
pub fn jsonata_loop_machine() -> Value {
    json!({
        "Comment": "Benchmark loop in JSONata: three state transitions per iteration, variables assigned",
        "QueryLanguage": "JSONata",
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"i": "{% $states.input.i %}", "n": "{% $states.input.n %}"}, "Next": "Increment"},
            "Increment": {"Type": "Pass", "Assign": {"i": "{% $i + 1 %}"}, "Next": "Carry"},
            "Carry": {"Type": "Pass", "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $i < $n %}", "Next": "Increment"}], "Default": "Done"},
            "Done": {"Type": "Succeed", "Output": "{% $i %}"}
        }
    })
}

/// Nine Pass states, then a Task on the activity `work`.
pub fn waiting_machine() -> Value {
    let mut states = serde_json::Map::new();
    for index in 0..9 {
        states.insert(
            format!("step{index}"),
            json!({"Type": "Pass", "Next": format!("step{}", index + 1)}),
        );
    }
    states.insert(
        "step9".into(),
        json!({"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": true}),
    );
    json!({"StartAt": "step0", "States": states})
}

pub async fn create(engine: &LocalEngine, name: &str, definition: &Value) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .expect("the machine is valid")
        .state_machine_arn
}

pub async fn start(engine: &LocalEngine, machine: &str, input: &str) -> String {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            input: Some(input.into()),
            ..Default::default()
        })
        .await
        .expect("the execution starts")
        .execution_arn
}
