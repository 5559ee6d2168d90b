//! What can go wrong registering, comparing or listing a state machine.

use sfini_core::Diagnostics;

use super::diff::MachineDiff;
use crate::api::SfnError;

/// An error registering, comparing, deregistering or listing the executions
/// of a state machine; each says which machine or activity, and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationError {
    /// A state machine or activity name that Step Functions refuses.
    #[error("cannot register the {kind} `{name}`: {reason}")]
    InvalidName {
        /// `state machine` or `activity`.
        kind: &'static str,
        /// The name.
        name: String,
        /// What is wrong with it and what would be right.
        reason: String,
    },
    /// No IAM role to register the state machine with.
    #[error(
        "cannot register the state machine `{machine}`: no IAM role is set for its executions; \
         give one with `Sfn::with_role_arn`, `RegisterOptions::role_arn` or the SFINI_ROLE_ARN \
         environment variable"
    )]
    NoRole {
        /// The machine.
        machine: String,
    },
    /// The definition holds a placeholder whose value is unknown.
    #[error(
        "cannot fill `{placeholder}` in the definition of the state machine `{machine}`: the \
         engine's region and account could not be learned (no activity or state machine exists \
         on it yet); give them with `Sfn::with_account(region, account_id)`"
    )]
    UnknownAccount {
        /// The machine.
        machine: String,
        /// `${AWS::Region}` or `${AWS::AccountId}`.
        placeholder: &'static str,
    },
    /// The definition, placeholders filled, is not valid Amazon States
    /// Language.
    #[error("the definition of the state machine `{machine}` is not valid:\n{diagnostics}")]
    InvalidDefinition {
        /// The machine.
        machine: String,
        /// Every problem, each with its location in the definition.
        diagnostics: Diagnostics,
    },
    /// The registered definition could not be read as JSON.
    #[error(
        "the definition registered for the state machine `{machine}` is not JSON ({source}); \
         register with `allow_update` to replace it"
    )]
    UnreadableRegisteredDefinition {
        /// The machine.
        machine: String,
        /// Why it could not be read.
        source: serde_json::Error,
    },
    /// The machine is registered with another definition or role, and
    /// updating it was not allowed.
    #[error(
        "the state machine `{machine}` is registered with another definition or role ({summary}); \
         register with `allow_update` to update it, or see every change with `Machine::diff`",
        machine = diff.machine,
        summary = diff.summary()
    )]
    OutOfSync {
        /// How the registered machine differs from this one.
        diff: Box<MachineDiff>,
    },
    /// The machine is not registered.
    #[error("the state machine `{machine}` is not registered; register it first")]
    NotRegistered {
        /// The machine.
        machine: String,
    },
    /// A call about an activity failed.
    #[error("{call} of the activity `{activity}` failed: {source}")]
    Activity {
        /// The activity's name (with its prefix).
        activity: String,
        /// The API call, such as `CreateActivity`.
        call: &'static str,
        /// The engine's error.
        source: SfnError,
    },
    /// A call about the state machine failed.
    #[error("{call} for the state machine `{machine}` failed: {source}")]
    Api {
        /// The machine.
        machine: String,
        /// The API call, such as `CreateStateMachine`.
        call: &'static str,
        /// The engine's error.
        source: SfnError,
    },
}
