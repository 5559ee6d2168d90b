//! The Python sfini's looping example, written with sfini-core's builders:
//! validated, then printed as canonical Amazon States Language.
//!
//! ```text
//! cargo run --example definition_by_hand
//! ```

use std::process::ExitCode;

use sfini::prelude::*;

fn main() -> ExitCode {
    let increment = "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:increment";
    let machine = StateMachine::new("initialise")
        .state(
            "initialise",
            Pass::new()
                .result(0)
                .result_path("$.counter")
                .next("increment"),
        )
        .state(
            "increment",
            Task::new(increment)
                .result_path("$.counter")
                .next("checkCounter"),
        )
        .state(
            "checkCounter",
            Choice::new()
                .when(
                    Condition::numeric("$.counter", Operator::LessThan, 10),
                    "increment",
                )
                .otherwise("end"),
        )
        .state("end", Succeed::new().output_path("$.counter"));

    let diagnostics = machine.validate();
    if !diagnostics.is_empty() {
        eprintln!("{diagnostics}");
    }
    if !diagnostics.is_valid() {
        return ExitCode::FAILURE;
    }
    println!("{}", machine.to_json());
    ExitCode::SUCCESS
}
