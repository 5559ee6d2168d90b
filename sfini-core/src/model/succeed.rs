//! The Succeed state.

use serde_json::Value;

use super::{DataPath, QueryLanguage, setters};

/// Ends its scope successfully: the execution, a Parallel branch, or a Map iteration.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Succeed {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// Selects the part of the data that leaves the state.
    pub output_path: DataPath,
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
}

impl Succeed {
    /// A Succeed state.
    pub fn new() -> Succeed {
        Succeed::default()
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
    }
}
