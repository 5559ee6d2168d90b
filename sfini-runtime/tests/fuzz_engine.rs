//! The local engine over generated definitions, as the cargo-fuzz target
//! `engine` (`fuzz/`) runs it, as property tests so that every test run
//! exercises it.
//!
//! Each case creates a generated machine (`support/machines.rs`: loops of
//! Pass and Choice states, Waits, deep and copying templates, intrinsic
//! functions, Parallel and Map states, Tasks on a Lambda handler that
//! fails, sleeps or answers too much) on a fresh engine with small
//! [`EngineLimits`](sfini_runtime::local::EngineLimits), runs it on a
//! generated input on a paused clock, and checks with
//! `support/engine_check.rs` that the execution closes within a wall-clock
//! watchdog with a history and a heap within the limits. JSONata machines
//! (loops that assign variables, expressions of the wrong kind and hostile
//! ones: recursion, large ranges, strings and arrays built to exhaust) are
//! checked the same way.
//!
//! A short run by default; `SFINI_FUZZ_CASES=N` runs N cases.

#[path = "../../sfini-core/tests/support/alloc_meter.rs"]
mod alloc_meter;
#[path = "support/engine_check.rs"]
mod engine_check;
#[path = "support/machines.rs"]
mod machines;
#[path = "../../sfini-core/tests/support/strategies.rs"]
mod strategies;

use proptest::prelude::*;

use engine_check::check_run;
use machines::{engine_input, jsonata_definition, runnable_definition, small_engine_limits};

#[global_allocator]
static METER: alloc_meter::Meter = alloc_meter::Meter;

/// Cases when `SFINI_FUZZ_CASES` is not set.
const DEFAULT_CASES: u32 = 48;

fn config() -> ProptestConfig {
    let cases = std::env::var("SFINI_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn executions_close_within_their_limits(
        definition in runnable_definition(),
        input in engine_input(),
        limits in small_engine_limits(),
    ) {
        check_run(&definition.to_string(), &input.to_string(), limits);
    }

    #[test]
    fn jsonata_executions_close_within_their_limits(
        definition in jsonata_definition(),
        input in engine_input(),
        limits in small_engine_limits(),
    ) {
        check_run(&definition.to_string(), &input.to_string(), limits);
    }
}

#[test]
fn the_generated_jsonata_machines_are_valid() {
    // Otherwise the engine refuses them and runs nothing.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    for _ in 0..100 {
        let definition = jsonata_definition()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let checked = sfini_core::validate::check_value(&definition);
        assert!(
            checked.diagnostics.is_valid(),
            "{definition}\n{}",
            checked.diagnostics
        );
    }
}
