//! Runtime of [sfini](https://docs.rs/sfini).
//!
//! - [`activity`]: what an activity is to the runtime, as `#[activity]`
//!   generates it;
//! - [`workflow`]: what a workflow is to the runtime, as `workflow!`
//!   generates it;
//! - [`api`]: the Step Functions API as a trait, with its types and errors;
//! - [`local`]: the local engine, an in-process implementation of that trait;
//! - [`clock`]: the real clock, or a virtual one for tests.

pub mod activity;
pub mod api;
pub mod clock;
pub mod local;
pub mod workflow;

#[doc(hidden)]
pub mod macro_support;
