//! The Parallel state and its branches.

use serde_json::Value;

use super::{
    Catcher, DataPath, Retrier, States, Transition, error_handling_builders, setters,
    state_builder, transition_builders,
};

/// Runs every branch on the same input at once; its result is the array
/// of the branches' outputs, in branch order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Parallel {
    /// A human-readable description.
    pub comment: Option<String>,
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
