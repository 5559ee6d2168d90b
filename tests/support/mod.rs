//! What several of the facade's test files share.

// Each test file uses the helpers it needs, not all of them.
#[allow(dead_code)]
pub mod cli;
#[allow(dead_code)]
pub mod outcome;
#[allow(dead_code)]
pub mod served;
