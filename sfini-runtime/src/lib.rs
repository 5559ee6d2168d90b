//! Runtime of [sfini](https://docs.rs/sfini).
//!
//! - [`activity`]: what an activity is to the runtime, as `#[activity]`
//!   generates it;
//! - [`workflow`]: what a workflow is to the runtime, as `workflow!`
//!   generates it;
//! - [`api`]: the Step Functions API as a trait, with its types and errors;
//! - [`local`]: the local engine, an in-process implementation of that trait;
//! - [`mock`]: mocked task answers, in AWS's mock configuration format;
//! - `testing` (feature `testing`): a workflow run in a test on a virtual clock, its tasks
//!   answered by real activities, closures or mocked responses, and a report
//!   to assert on;
//! - `aws` (feature `aws`): the AWS engine, the same trait on AWS Step
//!   Functions through the AWS SDK;
//! - [`clock`]: the real clock, or a virtual one for tests;
//! - [`client`]: [`Sfn`](client::Sfn), the handle a program holds: an
//!   engine, the activity prefix, the IAM role;
//! - [`callback`]: answering a task that waits for its token
//!   (`.waitForTaskToken`) with a result, a failure or a heartbeat;
//! - [`registration`]: registering state machines and their activities,
//!   comparing them with what is registered, starting and listing
//!   executions;
//! - [`execution`]: waiting for an execution, its output, stopping it, its
//!   history;
//! - [`worker`]: workers that take activity tasks, run them and report
//!   their results;
//! - [`retry`]: how calls are retried when they fail for a passing reason;
//! - [`faults`]: an engine wrapper that injects faults, to test workers;
//! - `cli` (feature `cli`): the command line of an application;
//! - `serve` (feature `serve`): an engine served over the HTTP API of Step
//!   Functions, for the AWS CLI, boto3 and the AWS SDKs.

pub mod activity;
pub mod api;
#[cfg(feature = "aws")]
pub mod aws;
pub mod callback;
#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod clock;
pub mod execution;
pub mod faults;
pub mod local;
pub mod mock;
pub mod registration;
pub mod retry;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;
pub mod workflow;

#[doc(hidden)]
pub mod macro_support;
