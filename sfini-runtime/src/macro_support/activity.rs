//! Support for the expansion of `#[activity]`.

pub use crate::activity::{Activity, ActivityContext, ActivityDefinition};

/// True when an activity can fail with `error`.
pub const fn raises(definition: &ActivityDefinition, error: &str) -> bool {
    let mut index = 0;
    while index < definition.errors.len() {
        if eq(definition.errors[index], error) {
            return true;
        }
        index += 1;
    }
    false
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}
