//! Runtime of [sfini](https://docs.rs/sfini).
//!
//! This crate will hold the Step Functions API as a trait, its local and AWS
//! engines, registration, workers and executions. It holds nothing yet: the
//! model, validation and data-flow functions it will stand on live in
//! `sfini-core`.
