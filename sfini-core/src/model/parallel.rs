//! The Parallel state and its branches.

use serde_json::Value;

use super::{
    Catcher, DataPath, QueryLanguage, Retrier, States, Transition, error_handling_builders,
    setters, state_builder, transition_builders,
};

/// Runs every branch on the same input at once; its result is the array
/// of the branches' outputs, in branch order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Parallel {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The query language, when the state names its own (`QueryLanguage`).
    pub query_language: Option<QueryLanguage>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// A payload template that builds the branches' input.
    pub parameters: Option<Value>,
    /// The branches.
    pub branches: Vec<Branch>,
    /// A payload template that reshapes the array of branch outputs.
    pub result_selector: Option<Value>,
    /// Where the result goes in the state's input to make its output.
    pub result_path: DataPath,
    /// Selects the part of the combined data that leaves the state.
    pub output_path: DataPath,
    /// JSONata: the input of the work (`Arguments`), a value in which
    /// `{% ... %}` strings are expressions.
    pub arguments: Option<Value>,
    /// JSONata: the state's output (`Output`), a value in which
    /// `{% ... %}` strings are expressions.
    pub output: Option<Value>,
    /// Workflow variables to assign (`Assign`): names and the values,
    /// templates or expressions that give them.
    pub assign: Option<Value>,
    /// Retry policies, tried in order.
    pub retry: Vec<Retrier>,
    /// Fallback transitions on errors, tried in order.
    pub catch: Vec<Catcher>,
    /// Where the state goes when it completes.
    pub transition: Transition,
}

impl Parallel {
    /// A Parallel state with no branches yet, which ends its scope.
    pub fn new() -> Parallel {
        Parallel::default()
    }

    /// Adds a branch.
    #[must_use]
    pub fn branch(mut self, branch: Branch) -> Self {
        self.branches.push(branch);
        self
    }

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
        /// Sets InputPath.
        input_path(input_path: DataPath);
        /// Sets Parameters.
        parameters(parameters: Value) as Some;
        /// Sets ResultSelector.
        result_selector(result_selector: Value) as Some;
        /// Sets ResultPath.
        result_path(result_path: DataPath);
        /// Sets OutputPath.
        output_path(output_path: DataPath);
        /// Sets the state's own query language.
        query_language(query_language = QueryLanguage) as Some;
        /// Sets Arguments (JSONata).
        arguments(arguments: Value) as Some;
        /// Sets Output (JSONata).
        output(output: Value) as Some;
        /// Sets Assign: the workflow variables the state assigns.
        assign(assign: Value) as Some;
    }

    error_handling_builders!();

    transition_builders!();
}

/// A branch of a Parallel state: a scope of its own, whose states can only
/// go to each other.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// A human-readable description.
    pub comment: Option<String>,
    /// The state the branch starts in.
    pub start_at: String,
    /// The branch's states.
    pub states: States,
}

impl Branch {
    /// A branch that starts at `start_at`, with no states yet.
    pub fn new(start_at: impl Into<String>) -> Branch {
        Branch {
            comment: None,
            start_at: start_at.into(),
            states: States::new(),
        }
    }

    state_builder!();

    setters! {
        /// Sets the description.
        comment(comment: String) as Some;
    }
}
