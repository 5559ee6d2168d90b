//! Payload templates: any template, compiled, then filled in within a
//! budget on generated data and context, deep and wide ones included (see
//! `check_template` for what must hold).
//!
//! The first byte chooses where the template comes from: the bytes up to
//! the first zero byte read as JSON text, or generated (templates that
//! copy their input over and over, nest deep, or any template); the data,
//! the context and the budget's limits are generated from the remaining
//! bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfini_core::limits::{DEPTH_CEILING, parse_json};
use sfini_fuzz::invariants::{check_template, on_small_stack};
use sfini_fuzz::strategies::{evaluation_limits, hostile_json, hostile_template};
use sfini_fuzz::{generate, text_and_rest};

fuzz_target!(|bytes: &[u8]| {
    let Some((&mode, rest)) = bytes.split_first() else {
        return;
    };
    let generated = if mode % 2 == 0 {
        let (text, rest) = text_and_rest(rest);
        let Ok(template) = parse_json(&text, DEPTH_CEILING) else {
            return;
        };
        generate(rest, &(hostile_json(), hostile_json(), evaluation_limits()))
            .map(|(data, context, limits)| (template, data, context, limits))
    } else {
        generate(
            rest,
            &(
                hostile_template(),
                hostile_json(),
                hostile_json(),
                evaluation_limits(),
            ),
        )
    };
    let Some((template, data, context, limits)) = generated else {
        return;
    };
    on_small_stack(|| check_template(&template, &data, &context, limits));
    for value in [template, data, context] {
        sfini_core::limits::drop_deep(value);
    }
});
