//! Items the expansions of sfini's macros refer to. Not a public API.

mod activity;
mod workflow;

pub use activity::*;
pub use workflow::*;
