//! Support for the expansion of `workflow!`.

pub use crate::workflow::Workflow;
use sfini_core::StateMachine;

/// Reads a definition that `workflow!` wrote and validated.
pub fn read_definition(definition: &str) -> StateMachine {
    // `workflow!` only emits definitions it has read back and validated
    // with this same crate, so reading cannot fail.
    StateMachine::from_json(definition).unwrap_or_else(|diagnostics| {
        panic!("a definition written by workflow! is unreadable: {diagnostics:?}")
    })
}
