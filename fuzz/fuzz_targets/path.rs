//! JSONPath: any path text, parsed, then selected within a budget on
//! generated data and context, deep and wide ones included (see
//! `check_path` for what must hold).
//!
//! The first byte chooses where the path comes from: the bytes up to the
//! first zero byte as text, or generated (paths that do a lot of work, or
//! any path text); the data, the context and the budget's limits are
//! generated from the remaining bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfini_fuzz::invariants::{check_path, on_small_stack};
use sfini_fuzz::strategies::{evaluation_limits, hostile_json, hostile_path};
use sfini_fuzz::{generate, text_and_rest};

fuzz_target!(|bytes: &[u8]| {
    let Some((&mode, rest)) = bytes.split_first() else {
        return;
    };
    let (path, rest) = if mode % 2 == 0 {
        text_and_rest(rest)
    } else {
        (String::new(), rest)
    };
    let generated = if mode % 2 == 0 {
        generate(rest, &(hostile_json(), hostile_json(), evaluation_limits()))
            .map(|(data, context, limits)| (path, data, context, limits))
    } else {
        generate(
            rest,
            &(
                hostile_path(),
                hostile_json(),
                hostile_json(),
                evaluation_limits(),
            ),
        )
    };
    let Some((path, data, context, limits)) = generated else {
        return;
    };
    on_small_stack(|| check_path(&path, &data, &context, limits));
    sfini_core::limits::drop_deep(data);
    sfini_core::limits::drop_deep(context);
});
