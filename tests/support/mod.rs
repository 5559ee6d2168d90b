//! What several of the facade's test files share.

pub mod served;
