//! The Succeed state.

use super::{DataPath, setters};

/// Ends its scope successfully: the execution, a Parallel branch, or a Map iteration.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Succeed {
    /// A human-readable description.
    pub comment: Option<String>,
    /// Selects the part of the input the state works on.
    pub input_path: DataPath,
    /// Selects the part of the data that leaves the state.
    pub output_path: DataPath,
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
    }
}
