//! Items the expansions of sfini's macros refer to. Not a public API.

mod activity;
mod workflow;

pub use activity::*;
#[allow(unused_imports)]
pub use workflow::*;
