//! The Pass state.

use serde_json::Value;

use super::{DataPath, QueryLanguage, Transition, setters, transition_builders};

/// Passes its input on, optionally injecting a fixed result or reshaping it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Pass {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
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
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
    /// Workflow variables to assign (`Assign`): names and the values,
    /// templates or expressions that give them.
    pub assign: Option<Value>,
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
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the workflow variables the state assigns.
        assign(assign: Value) as Some;
    }

    transition_builders!();
}
