//! sfini-core's reader and validator: `check_json` on any text and
//! `check_value` on any JSON value (see `check_definition_text` and
//! `check_definition_value` for what must hold).
//!
//! The first byte chooses the input: the rest as text; a definition text
//! generated from the rest (near misses of valid definitions, cut short or
//! with text put in); or a definition value generated from the rest
//! (shaped like a definition, nested deep, or any data).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfini_fuzz::generate;
use sfini_fuzz::invariants::{check_definition_text, check_definition_value, on_small_stack};
use sfini_fuzz::strategies::{definition_text, definition_value};

fuzz_target!(|bytes: &[u8]| {
    let Some((&mode, rest)) = bytes.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let text = String::from_utf8_lossy(rest);
            on_small_stack(|| check_definition_text(&text));
        }
        1 => {
            if let Some(text) = generate(rest, &definition_text()) {
                on_small_stack(|| check_definition_text(&text));
            }
        }
        _ => {
            if let Some(value) = generate(rest, &definition_value()) {
                on_small_stack(|| check_definition_value(&value));
                sfini_core::limits::drop_deep(value);
            }
        }
    }
});
