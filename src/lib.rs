//! sfini: define, check and run AWS Step Functions workflows from Rust.
//!
//! This is the crate applications depend on. It re-exports:
//!
//! - [`activity`] and [`workflow!`]: activities from async functions, and
//!   state machines checked at compile time;
//! - [`Sfn`], the handle on an engine (the local engine by default): it
//!   registers workflows, starts and inspects executions, and makes
//!   [`Worker`]s that serve activities;
//! - [`core`] (the `sfini-core` crate): the Amazon States Language as typed
//!   Rust, canonical JSON, validation with located diagnostics, JSONPath,
//!   intrinsic functions, payload templates, and the data flow of a state;
//! - [`runtime`] (the `sfini-runtime` crate): the Step Functions API as a
//!   trait, the local engine, registration, executions, workers;
//! - `AwsEngine` (feature `aws`, on by default): the same API on AWS Step
//!   Functions, through the AWS SDK;
//! - [`cli`] (feature `cli`): the command line of an application;
//! - [`prelude`]: what a program writing state machines usually needs.
//!
//! ```
//! use sfini::prelude::*;
//!
//! let machine = StateMachine::new("greet")
//!     .state("greet", Pass::new().result(json!({"greeting": "hello"})).next("done"))
//!     .state("done", Succeed::new());
//! assert!(machine.validate().is_valid());
//! println!("{}", machine.to_json());
//! ```
//!
//! The `sfini` command-line tool (feature `cli`, on by default) checks
//! definition files: `sfini validate machine.asl.json`.

extern crate self as sfini;

pub use sfini_core as core;
pub use sfini_macros::ActivityError;
#[doc = include_str!("docs/activity.md")]
pub use sfini_macros::activity;
#[doc = include_str!("docs/workflow.md")]
pub use sfini_macros::workflow;
pub use sfini_runtime as runtime;
pub use sfini_runtime::activity::{
    Activity, ActivityContext, ActivityDefinition, ActivityError, ActivityFuture, Argument,
    Cancellation, HeartbeatError, HeartbeatSender, TaskFailure,
};

pub use sfini_core::{Diagnostic, Diagnostics, StateMachine};
#[cfg(feature = "aws")]
pub use sfini_runtime::aws::AwsEngine;
pub use sfini_runtime::callback::{Callback, CallbackError};
#[cfg(feature = "cli")]
pub use sfini_runtime::cli;
pub use sfini_runtime::client::Sfn;
pub use sfini_runtime::execution::{Execution, ExecutionError, History};
#[doc(hidden)]
pub use sfini_runtime::macro_support as __private;
pub use sfini_runtime::registration::{Machine, RegisterOptions, RegistrationError};
pub use sfini_runtime::worker::{Worker, WorkerBuilder, WorkerError};

/// What a program writing state machines usually needs: the macros, the
/// model and its builders, diagnostics, the [`Sfn`] handle, and
/// `serde_json`'s `json!` macro and `Value`.
pub mod prelude {
    pub use serde_json::{Value, json};
    pub use sfini_core::dataflow::{DataFlowError, StateIo};
    pub use sfini_core::model::*;
    pub use sfini_core::validate::check_json;
    pub use sfini_core::{Code, Diagnostic, Diagnostics, Location, Severity};
    pub use sfini_macros::{ActivityError, activity, workflow};
    pub use sfini_runtime::activity::{Activity, ActivityContext, ActivityError};
    pub use sfini_runtime::client::Sfn;
    pub use sfini_runtime::workflow::Workflow;
}

/// The examples of README.md, compiled and run as tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;
