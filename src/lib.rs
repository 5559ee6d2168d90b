//! sfini: define, check and run AWS Step Functions workflows from Rust.

pub use sfini_core as core;
