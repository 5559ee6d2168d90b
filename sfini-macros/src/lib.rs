//! Procedural macros of [sfini](https://docs.rs/sfini).
//!
//! This crate will hold `#[activity]` and `workflow!`. It holds no macro yet:
//! state machines are written with the constructors of `sfini-core` or as
//! Amazon States Language JSON for now.
