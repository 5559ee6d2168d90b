//! sfini: define, check and run AWS Step Functions workflows from Rust.
//!
//! This is the crate applications depend on. An [`#[activity]`](activity)
//! is an async (or plain) function a worker runs for a Task state; a
//! [`workflow!`] is a state machine written next to it and checked when the
//! crate compiles; an [`Sfn`] handle registers both on an engine (the
//! embedded local engine by default, or AWS Step Functions), serves the
//! activities with [`Worker`]s and starts and inspects [`Execution`]s.
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
//! The guides are the pages of the two macros: [`activity`] (arguments,
//! errors, what is generated) and [`workflow!`] (the grammar, callbacks,
//! and a whole order-processing workflow run on the local engine, with
//! Maps, a Parallel, a retry, a catcher and a callback).
//!
//! # Where things are
//!
//! The runtime ([`runtime`], the `sfini-runtime` crate) and the language
//! ([`core`], the `sfini-core` crate) are documented here in full; the
//! names used most are also at the top of this crate.
//!
//! | To | Look at |
//! |---|---|
//! | write an activity | [`activity`], [`ActivityContext`] (task token, heartbeats, cancellation), [`ActivityError`] (the derive and the trait), [`TaskFailure`] |
//! | write a workflow | [`workflow!`]; what it implements: [`Workflow`](runtime::workflow::Workflow) |
//! | hold an engine | [`Sfn`]: [`Sfn::local`], [`Sfn::from_env`], [`Sfn::new`] for any [`StepFunctions`](runtime::api::StepFunctions) |
//! | run workflows without AWS | [`LocalEngine`]: handlers for Lambda and service resources ([`register_handler`](LocalEngine::register_handler)), [`EngineLimits`](runtime::local::EngineLimits), a virtual [`Clock`](runtime::clock::Clock) for tests |
//! | register a workflow, start executions | [`Machine`] (from [`Sfn::workflow`] or [`Sfn::machine`]), [`RegisterOptions`], [`MachineDiff`](runtime::registration::MachineDiff), [`ExecutionQuery`](runtime::registration::ExecutionQuery) to list executions |
//! | wait for an execution, read its output and history | [`Execution`], [`ExecutionError`], [`History`] ([`History::format`]), [`HistoryFollower`](runtime::execution::HistoryFollower) |
//! | serve activities | [`Sfn::worker`], [`WorkerBuilder`], [`Worker`], [`WorkerStats`](runtime::worker::WorkerStats) |
//! | answer a task waiting for its token (`.waitForTaskToken`) | [`Sfn::callback`], [`Callback`], [`CallbackError`] |
//! | call the Step Functions API directly | [`runtime::api`]: the [`StepFunctions`](runtime::api::StepFunctions) trait, its [requests and responses](runtime::api::types), [history events](runtime::api::history), [`SfnError`](runtime::api::SfnError) |
//! | retry calls, test against faults | [`RetryPolicy`](runtime::retry::RetryPolicy), [`FaultInjector`](runtime::faults::FaultInjector) |
#![cfg_attr(
    feature = "aws",
    doc = "| run on AWS Step Functions | [`AwsEngine`], [`Sfn::aws`], [`Sfn::from_aws`] |"
)]
#![cfg_attr(
    feature = "cli",
    doc = "| give an application a command line | [`cli::Cli`] |"
)]
#![cfg_attr(
    feature = "cli",
    doc = "| serve an engine over the HTTP API of Step Functions | [`Server`](runtime::serve::Server) |"
)]
//! | build or read a definition by hand | [`StateMachine`] and the states of [`core::model`] (also in the [`prelude`]), [`core::json`] |
//! | validate a definition | [`StateMachine::validate`], [`core::validate::check_json`], [`Diagnostics`] |
//! | evaluate the language's parts | [`core::path`] (JSONPath), [`core::intrinsic`] (`States.*` functions), [`core::payload`] (payload templates), [`core::dataflow`] (a state's input and output) |
//!
//! # Features
//!
//! - `aws` (on by default): the AWS engine, `AwsEngine`, through the AWS
//!   SDK for Rust; `SFINI_ENGINE=aws`.
//! - `cli` (on by default): the `sfini` tool, `sfini::cli` (an
//!   application's command line) and the served engine
//!   (`runtime::serve`).
//!
//! With `default-features = false` sfini builds without the AWS SDK, clap
//! or hyper: the macros, the local engine, workers and executions remain.
//! `features = ["cli"]` turns the command line back on without the SDK.
//!
//! The `sfini` command-line tool checks and runs definition files:
//! `sfini validate machine.asl.json`, `sfini run machine.asl.json`,
//! `sfini local serve`.

extern crate self as sfini;

/// The Amazon States Language: the `sfini-core` crate.
#[doc(inline)]
pub use sfini_core as core;
pub use sfini_macros::ActivityError;
#[doc = include_str!("docs/activity.md")]
pub use sfini_macros::activity;
/// Declares the error names of a type that implements
/// [`ActivityError`] by hand, for the checks of
/// `workflow!` (a type that derives it needs nothing more).
///
/// ```
/// use std::fmt;
///
/// /// A failure of a payment service, named by hand.
/// #[derive(Debug)]
/// pub enum Declined {
///     Card,
///     Fraud,
/// }
///
/// impl fmt::Display for Declined {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         f.write_str("declined")
///     }
/// }
///
/// impl sfini::ActivityError for Declined {
///     const NAMES: &'static [&'static str] = &["Declined.Card", "Declined.Fraud"];
///     fn error_name(&self) -> &'static str {
///         match self {
///             Declined::Card => "Declined.Card",
///             Declined::Fraud => "Declined.Fraud",
///         }
///     }
/// }
///
/// sfini::activity_error_names!(pub Declined { Card = "Declined.Card", Fraud = "Declined.Fraud" });
///
/// #[sfini::activity]
/// async fn pay(card: String) -> Result<String, Declined> {
///     if card.ends_with('0') { Err(Declined::Card) } else { Ok(card) }
/// }
///
/// sfini::workflow! {
///     pub Paying {
///         pay: task(pay) { catch [Declined::Fraud] => refused },
///         refused: fail { error: "Refused" },
///     }
/// }
///
/// assert!(Paying::DEFINITION.contains("\"Declined.Fraud\""));
/// ```
pub use sfini_macros::activity_error_names;
#[doc = include_str!("docs/workflow.md")]
pub use sfini_macros::workflow;
/// Engines, registration, executions and workers: the `sfini-runtime`
/// crate.
#[doc(inline)]
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
pub use sfini_runtime::local::LocalEngine;
#[doc(hidden)]
pub use sfini_runtime::macro_support as __private;
pub use sfini_runtime::mock;
pub use sfini_runtime::registration::{Machine, RegisterOptions, RegistrationError};
#[cfg(feature = "testing")]
pub use sfini_runtime::testing;
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
