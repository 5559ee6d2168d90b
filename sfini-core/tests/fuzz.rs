//! Hostile input for sfini-core, as the cargo-fuzz targets in `fuzz/` give
//! it, run as property tests so that every test run exercises it.
//!
//! Each property generates input with the strategies of
//! `support/strategies.rs` (definitions broken or nested deep, paths and
//! intrinsic calls that do a lot of work, templates that copy their input
//! over and over, data nested beyond the depth ceiling or thousands of
//! members wide, budgets small enough to run out) and checks it with
//! `support/invariants.rs` on a thread with tokio's default 2 MiB stack,
//! with this binary's allocator measuring the heap each evaluation takes.
//!
//! A short run by default; `SFINI_FUZZ_CASES=N` runs N cases of each (the
//! cargo-fuzz targets run the same checks for as long as one likes).

#[path = "support/alloc_meter.rs"]
mod alloc_meter;
#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/strategies.rs"]
mod strategies;

use proptest::prelude::*;

use invariants::*;
use strategies::*;

#[global_allocator]
static METER: alloc_meter::Meter = alloc_meter::Meter;

/// Cases per property when `SFINI_FUZZ_CASES` is not set.
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
    fn reading_text(text in definition_text()) {
        on_small_stack(|| check_definition_text(&text));
    }

    #[test]
    fn reading_values(value in definition_value()) {
        on_small_stack(|| check_definition_value(&value));
    }

    #[test]
    fn selecting_paths(
        path in hostile_path(),
        data in hostile_json(),
        context in hostile_json(),
        limits in evaluation_limits(),
    ) {
        on_small_stack(|| check_path(&path, &data, &context, limits));
    }

    #[test]
    fn evaluating_intrinsic_calls(
        call in hostile_call(),
        data in hostile_json(),
        context in hostile_json(),
        limits in evaluation_limits(),
    ) {
        on_small_stack(|| check_intrinsic(&call, &data, &context, limits));
    }

    #[test]
    fn filling_templates(
        template in hostile_template(),
        data in hostile_json(),
        context in hostile_json(),
        limits in evaluation_limits(),
    ) {
        on_small_stack(|| check_template(&template, &data, &context, limits));
    }
}

// ----- what the targets found -----

/// `States.ArrayRange` builds up to 1,000 items: it pays for them, so that
/// a template of many such calls (here about 24 MB of JSON unpaid) stops at
/// the default budget of 2 MiB.
#[test]
fn array_range_is_paid_for_from_the_byte_budget() {
    use serde_json::{Value, json};
    use sfini_core::budget::{Budget, EvaluationLimits, Exhausted};
    use sfini_core::intrinsic::{IntrinsicCall, IntrinsicError};
    use sfini_core::payload::{PayloadError, Template};

    let call = IntrinsicCall::parse("States.ArrayRange(0, 999, 1)").unwrap();
    let budget = Budget::new(EvaluationLimits::default().bytes(100));
    let result = call.evaluate_within(&json!({}), &json!({}), &budget);
    assert!(
        matches!(
            result,
            Err(IntrinsicError::Exhausted {
                exhausted: Exhausted::Bytes { limit: 100 },
                ..
            })
        ),
        "{} bytes built within a budget of 100",
        result.map(|value| value.to_string().len()).unwrap_or(0)
    );

    let fields = (0..2_000).map(|index| {
        let call = "States.ArrayRange(-2147483648, -2147482649, 1)";
        (format!("f{index}.$"), Value::String(call.into()))
    });
    let template = Template::compile(&Value::Object(fields.collect())).unwrap();
    let budget = Budget::default();
    let result = template.evaluate_within(&json!({}), &json!({}), &budget);
    assert!(
        matches!(result, Err(PayloadError::Exhausted { .. })),
        "{} bytes built within a budget of {}",
        result.map(|value| value.to_string().len()).unwrap_or(0),
        budget.limits().max_bytes()
    );
}
