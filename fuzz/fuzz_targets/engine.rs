//! The local engine over definitions: a definition created on a fresh
//! engine with small limits and, when it validates, run on an input on a
//! paused clock with a Lambda handler registered, within a wall-clock
//! watchdog (see `check_run` for what must hold: the execution closes, and
//! its history and heap keep to the limits).
//!
//! The first byte chooses where the definition comes from: the bytes up to
//! the first zero byte as text, or generated (mostly valid machines that
//! loop, wait, build large data, and hold Parallel and Map states); the
//! input and the limits are generated from the remaining bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfini_fuzz::engine_check::check_run;
use sfini_fuzz::machines::{engine_input, runnable_definition, small_engine_limits};
use sfini_fuzz::{generate, text_and_rest};

fuzz_target!(|bytes: &[u8]| {
    let Some((&mode, rest)) = bytes.split_first() else {
        return;
    };
    let generated = if mode % 2 == 0 {
        let (definition, rest) = text_and_rest(rest);
        generate(rest, &(engine_input(), small_engine_limits()))
            .map(|(input, limits)| (definition, input, limits))
    } else {
        generate(
            rest,
            &(runnable_definition(), engine_input(), small_engine_limits()),
        )
        .map(|(definition, input, limits)| (definition.to_string(), input, limits))
    };
    let Some((definition, input, limits)) = generated else {
        return;
    };
    check_run(&definition, &input.to_string(), limits);
    sfini_core::limits::drop_deep(input);
});
