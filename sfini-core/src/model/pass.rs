//! The Pass state.

use serde_json::Value;

use super::{DataPath, Transition, setters, transition_builders};

/// Passes its input on, optionally injecting a fixed result or reshaping it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Pass {
    /// A human-readable description.
    pub comment: Option<String>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// A payload template that builds the state's effective input.
    pub parameters: Option<Value>,
    /// A fixed result, used in place of the effective input.
    pub result: Option<Value>,
    /// Where the result goes in the state's input to make its output.
    pub result_path: DataPath,
    /// Selects the part of the combined data that leaves the state.
    pub output_path: DataPath,
    /// Where the state goes when it completes.
    pub transition: Transition,
}

impl Pass {
    /// A Pass state that ends its scope.
    pub fn new() -> Pass {
        Pass::default()
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets Parameters.
        parameters(parameters: Value) as Some;
        /// Sets Result.
        result(result: Value) as Some;
        /// Sets ResultPath.
        result_path(result_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
    }

    transition_builders!();
}
