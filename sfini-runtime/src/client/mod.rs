//! The client handle: one engine and the settings every part of a program
//! shares (the activity prefix, the IAM role, the region and account).
//!
//! [`Sfn`] is what a program holds to register workflows, start and watch
//! executions: [`Sfn::workflow`] and [`Sfn::machine`] give a [`Machine`] to
//! register and start, [`Sfn::execution`] opens an [`Execution`] by its
//! ARN, [`Sfn::callback`] answers a task waiting for its token. It is cheap
//! to clone: clones share the engine.
//!
//! The engine is the local one ([`Sfn::local`]), AWS (`Sfn::aws`, feature
//! `aws`), any other [`StepFunctions`] ([`Sfn::new`]), or the one
//! `SFINI_ENGINE` names ([`Sfn::from_env`]).
//!
//! ```
//! use sfini_runtime::client::Sfn;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sfn = Sfn::local().with_activity_prefix("dev-");
//! let machine = sfn.machine(
//!     "greet",
//!     r#"{"StartAt": "hello", "States": {"hello": {"Type": "Pass", "Result": "hi", "End": true}}}"#,
//! );
//! machine.register().await?;
//! let done = machine.start(&serde_json::json!({})).await?.wait().await?;
//! assert_eq!(done.output::<String>()?, "hi");
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;

use crate::activity::ActivityDefinition;
use crate::api::StepFunctions;
#[cfg(feature = "aws")]
use crate::aws::AwsEngine;
use crate::callback::Callback;
use crate::execution::Execution;
use crate::local::LocalEngine;
use crate::registration::Machine;
use crate::worker::WorkerBuilder;
use crate::workflow::Workflow;

/// The environment variable naming the engine [`Sfn::from_env`] uses.
pub const ENGINE_VARIABLE: &str = "SFINI_ENGINE";
/// The environment variable giving [`Sfn::from_env`] the default IAM role.
pub const ROLE_ARN_VARIABLE: &str = "SFINI_ROLE_ARN";
/// The engines [`Sfn::from_env`] accepts in [`ENGINE_VARIABLE`]: `local`,
/// and `aws` with the feature `aws`.
#[cfg(feature = "aws")]
pub const ENGINES: &[&str] = &["local", "aws"];
/// The engines [`Sfn::from_env`] accepts in [`ENGINE_VARIABLE`]: `local`,
/// and `aws` with the feature `aws`.
#[cfg(not(feature = "aws"))]
pub const ENGINES: &[&str] = &["local"];

/// The name of the role used on the local engine when none is set: the
/// role ARN is `arn:aws:iam::ACCOUNT:role/sfini-local`, in the engine's
/// account.
pub const LOCAL_ROLE_NAME: &str = "sfini-local";

/// An error making a client handle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// `SFINI_ENGINE` names no engine sfini has.
    #[error(
        "{variable} is `{value}`, which is not an engine sfini knows; accepted values: {accepted} (unset means `local`)",
        variable = ENGINE_VARIABLE,
        accepted = ENGINES.iter().map(|engine| format!("`{engine}`")).collect::<Vec<_>>().join(", ")
    )]
    UnknownEngine {
        /// The value given.
        value: String,
    },
    /// `SFINI_ENGINE` names an engine this build of sfini leaves out.
    #[error(
        "{variable} is `{engine}`, but this build of sfini has no {engine} engine: \
         enable the feature `{feature}` of sfini (on by default) or of sfini-runtime",
        variable = ENGINE_VARIABLE
    )]
    EngineNotBuilt {
        /// The engine named.
        engine: &'static str,
        /// The feature that builds it.
        feature: &'static str,
    },
    /// The AWS engine cannot be configured from the environment (no region).
    #[error("cannot configure the AWS engine: {reason}")]
    AwsConfig {
        /// What is missing and how to give it.
        reason: String,
    },
    /// A setting read from the environment is malformed.
    #[error("{variable} is `{value}`: {reason}")]
    InvalidSetting {
        /// The environment variable.
        variable: &'static str,
        /// Its value.
        value: String,
        /// What is wrong and what would be right.
        reason: String,
    },
}

/// The region and account that fill `${AWS::Region}` and
/// `${AWS::AccountId}` when the engine cannot tell them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The region, such as `eu-west-1`.
    pub region: String,
    /// The twelve-digit account id.
    pub account_id: String,
}

/// Settings shared by every clone of a handle.
#[derive(Debug, Clone, Default)]
struct Settings {
    activity_prefix: String,
    role_arn: Option<String>,
    account: Option<Account>,
}

/// The client handle: an engine and the settings registration, executions
/// and workers share. Cheap to clone.
///
/// ```
/// use sfini_runtime::client::Sfn;
///
/// let sfn = Sfn::local()
///     .with_activity_prefix("staging-")
///     .with_role_arn("arn:aws:iam::123456789012:role/workflows");
/// assert!(sfn.is_local());
/// assert_eq!(sfn.activity_prefix(), "staging-");
/// assert_eq!(sfn.role_arn(), Some("arn:aws:iam::123456789012:role/workflows"));
/// ```
#[derive(Clone)]
pub struct Sfn {
    api: Arc<dyn StepFunctions>,
    local: Option<LocalEngine>,
    settings: Arc<Settings>,
}

impl fmt::Debug for Sfn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sfn")
            .field("local", &self.local)
            .field("activity_prefix", &self.settings.activity_prefix)
            .field("role_arn", &self.settings.role_arn)
            .field("account", &self.settings.account)
            .finish_non_exhaustive()
    }
}

impl Sfn {
    /// A handle to a fresh local engine (`us-east-1`, account
    /// `123456789012`, real clock).
    pub fn local() -> Sfn {
        Sfn::from_local(LocalEngine::new())
    }

    /// A handle to the given local engine (one built with its own region,
    /// account or virtual clock).
    pub fn from_local(engine: LocalEngine) -> Sfn {
        Sfn {
            api: Arc::new(engine.clone()),
            local: Some(engine),
            settings: Arc::default(),
        }
    }

    /// A handle to AWS Step Functions, configured as the AWS SDKs are
    /// ([`AwsEngine::from_env`]: region, credentials and endpoint from the
    /// environment, the shared files and the instance metadata). On AWS
    /// there is no default role: give one with [`Sfn::with_role_arn`] (or
    /// `SFINI_ROLE_ARN` through [`Sfn::from_env`]) before registering.
    #[cfg(feature = "aws")]
    pub async fn aws() -> Result<Sfn, ClientError> {
        let engine = AwsEngine::from_env()
            .await
            .map_err(|error| ClientError::AwsConfig {
                reason: error.to_string(),
            })?;
        Ok(Sfn::from_aws(engine))
    }

    /// A handle to the given AWS engine.
    ///
    /// ```
    /// use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
    /// use sfini_runtime::aws::AwsEngine;
    /// use sfini_runtime::client::Sfn;
    ///
    /// let config = aws_sdk_sfn::Config::builder()
    ///     .behavior_version(BehaviorVersion::latest())
    ///     .region(Region::new("eu-west-1"))
    ///     .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "example"))
    ///     .build();
    /// let sfn = Sfn::from_aws(AwsEngine::from_client(aws_sdk_sfn::Client::from_conf(config)))
    ///     .with_role_arn("arn:aws:iam::123456789012:role/workflows");
    /// assert!(!sfn.is_local());
    /// assert_eq!(sfn.default_role_arn().as_deref(), Some("arn:aws:iam::123456789012:role/workflows"));
    /// ```
    #[cfg(feature = "aws")]
    pub fn from_aws(engine: AwsEngine) -> Sfn {
        Sfn::new(std::sync::Arc::new(engine))
    }

    /// A handle to any engine.
    pub fn new(api: Arc<dyn StepFunctions>) -> Sfn {
        Sfn {
            api,
            local: None,
            settings: Arc::default(),
        }
    }

    /// A handle chosen by the environment: `SFINI_ENGINE` names the engine
    /// (`local`, the default when unset or empty, or `aws` with the feature
    /// `aws`: `Sfn::aws`) and `SFINI_ROLE_ARN` the default role for
    /// registration (required on AWS, which has no default role).
    pub async fn from_env() -> Result<Sfn, ClientError> {
        Sfn::from_variables(|name| std::env::var(name).ok()).await
    }

    /// [`Sfn::from_env`] with the variables read through `variable`.
    async fn from_variables(variable: impl Fn(&str) -> Option<String>) -> Result<Sfn, ClientError> {
        let engine = variable(ENGINE_VARIABLE).unwrap_or_default();
        let role = match variable(ROLE_ARN_VARIABLE) {
            Some(role) if role.trim().is_empty() => None,
            Some(role) if role.trim().starts_with("arn:") => Some(role.trim().to_string()),
            Some(role) => {
                return Err(ClientError::InvalidSetting {
                    variable: ROLE_ARN_VARIABLE,
                    value: role,
                    reason: "it is not an ARN; give the IAM role executions run as, such as \
                             `arn:aws:iam::123456789012:role/NAME`"
                        .to_string(),
                });
            }
            None => None,
        };
        let sfn = match engine.trim() {
            "" | "local" => Sfn::local(),
            #[cfg(feature = "aws")]
            "aws" => Sfn::aws().await?,
            #[cfg(not(feature = "aws"))]
            "aws" => {
                return Err(ClientError::EngineNotBuilt {
                    engine: "aws",
                    feature: "aws",
                });
            }
            other => {
                return Err(ClientError::UnknownEngine {
                    value: other.to_string(),
                });
            }
        };
        Ok(match role {
            Some(role) => sfn.with_role_arn(role),
            None => sfn,
        })
    }

    /// The engine's API.
    pub fn api(&self) -> &Arc<dyn StepFunctions> {
        &self.api
    }

    /// The local engine, when the handle runs on one.
    pub fn local_engine(&self) -> Option<&LocalEngine> {
        self.local.as_ref()
    }

    /// True when the handle runs on the local engine.
    pub fn is_local(&self) -> bool {
        self.local.is_some()
    }

    fn with_settings(&self, change: impl FnOnce(&mut Settings)) -> Sfn {
        let mut settings = Settings::clone(&self.settings);
        change(&mut settings);
        Sfn {
            api: self.api.clone(),
            local: self.local.clone(),
            settings: Arc::new(settings),
        }
    }

    /// A handle whose activities are named `prefix + name` (to keep the
    /// activities of several stages or developers apart in one account).
    /// Registration, workers and the command line all use it.
    #[must_use]
    pub fn with_activity_prefix(&self, prefix: impl Into<String>) -> Sfn {
        let prefix = prefix.into();
        self.with_settings(|settings| settings.activity_prefix = prefix)
    }

    /// A handle that registers state machines with this IAM role unless
    /// told otherwise.
    #[must_use]
    pub fn with_role_arn(&self, role_arn: impl Into<String>) -> Sfn {
        let role_arn = role_arn.into();
        self.with_settings(|settings| settings.role_arn = Some(role_arn))
    }

    /// A handle that fills `${AWS::Region}` and `${AWS::AccountId}` with
    /// these when the engine cannot tell them (no activity or state machine
    /// exists yet to learn them from).
    #[must_use]
    pub fn with_account(&self, region: impl Into<String>, account_id: impl Into<String>) -> Sfn {
        let account = Account {
            region: region.into(),
            account_id: account_id.into(),
        };
        self.with_settings(|settings| settings.account = Some(account))
    }

    /// The activity prefix (empty by default).
    pub fn activity_prefix(&self) -> &str {
        &self.settings.activity_prefix
    }

    /// The role set with [`Sfn::with_role_arn`] or `SFINI_ROLE_ARN`.
    pub fn role_arn(&self) -> Option<&str> {
        self.settings.role_arn.as_deref()
    }

    /// The role registration uses by default: the one set, or on the local
    /// engine `arn:aws:iam::ACCOUNT:role/sfini-local`.
    pub fn default_role_arn(&self) -> Option<String> {
        self.settings.role_arn.clone().or_else(|| {
            self.local.as_ref().map(|engine| {
                format!(
                    "arn:aws:iam::{}:role/{LOCAL_ROLE_NAME}",
                    engine.account_id()
                )
            })
        })
    }

    /// The region and account set with [`Sfn::with_account`].
    pub fn account(&self) -> Option<&Account> {
        self.settings.account.as_ref()
    }

    /// The name an activity has on the engine: the prefix, then its name.
    ///
    /// ```
    /// use sfini_runtime::activity::{ActivityContext, ActivityDefinition, ActivityFuture};
    /// use sfini_runtime::client::Sfn;
    ///
    /// fn run(input: serde_json::Value, _: ActivityContext) -> ActivityFuture {
    ///     Box::pin(async move { Ok(input) })
    /// }
    /// // What `#[activity] async fn resize(..)` defines.
    /// static RESIZE: ActivityDefinition = ActivityDefinition {
    ///     name: "resize",
    ///     id: "resize",
    ///     description: "",
    ///     arguments: &[],
    ///     takes_whole_input: true,
    ///     errors: &[],
    ///     heartbeat_seconds: None,
    ///     timeout_seconds: None,
    ///     run,
    /// };
    /// let sfn = Sfn::local().with_activity_prefix("dev-");
    /// assert_eq!(sfn.activity_name(&RESIZE), "dev-resize");
    /// ```
    pub fn activity_name(&self, activity: &ActivityDefinition) -> String {
        self.prefixed(activity.name)
    }

    /// `prefix + name`.
    pub(crate) fn prefixed(&self, name: &str) -> String {
        format!("{}{name}", self.settings.activity_prefix)
    }

    /// The state machine of a workflow type, to register and start.
    pub fn workflow<W: Workflow>(&self) -> Machine {
        Machine::new(self.clone(), W::NAME, W::DEFINITION).with_activities(W::ACTIVITIES)
    }

    /// A state machine given by its name and its definition (Amazon States
    /// Language as JSON text, which may hold the placeholders
    /// `${AWS::Region}` and `${AWS::AccountId}`).
    pub fn machine(
        &self,
        name: impl Into<String>,
        definition: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Machine {
        Machine::new(self.clone(), name, definition)
    }

    /// The execution with this ARN.
    pub fn execution(&self, execution_arn: impl Into<String>) -> Execution {
        Execution::open(self.clone(), execution_arn.into())
    }

    /// The answer to the task waiting on `task_token`: a Task state on a
    /// `.waitForTaskToken` resource, which handed the token out through its
    /// Parameters (`"token.$": "$$.Task.Token"`), or an activity task.
    /// [`Callback::succeed`], [`Callback::fail`] and
    /// [`Callback::heartbeat`] send it; see the
    /// [`callback`](crate::callback) module for an example.
    pub fn callback(&self, task_token: impl Into<String>) -> Callback {
        Callback::new(self.clone(), task_token.into())
    }

    /// A worker on this engine, serving activities under the handle's
    /// prefix: add the activities (or workflows) to serve, then
    /// [`start`](WorkerBuilder::start) it.
    pub fn worker(&self) -> WorkerBuilder {
        WorkerBuilder::new(self.api.clone()).activity_prefix(self.activity_prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(variables: &[(&str, &str)]) -> Result<Sfn, ClientError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(Sfn::from_variables(|name| {
            variables
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }))
    }

    #[test]
    fn the_environment_chooses_the_local_engine_by_default() {
        let sfn = from(&[]).unwrap();
        assert!(sfn.is_local());
        assert_eq!(sfn.role_arn(), None);
        assert_eq!(
            sfn.default_role_arn().as_deref(),
            Some("arn:aws:iam::123456789012:role/sfini-local")
        );
        assert!(from(&[("SFINI_ENGINE", "local")]).unwrap().is_local());
    }

    #[test]
    fn an_unknown_engine_is_refused_with_the_accepted_values() {
        let error = from(&[("SFINI_ENGINE", "lokal")]).unwrap_err();
        #[cfg(feature = "aws")]
        let accepted = "`local`, `aws`";
        #[cfg(not(feature = "aws"))]
        let accepted = "`local`";
        assert_eq!(
            error.to_string(),
            format!(
                "SFINI_ENGINE is `lokal`, which is not an engine sfini knows; accepted values: {accepted} (unset means `local`)"
            )
        );
    }

    #[cfg(not(feature = "aws"))]
    #[test]
    fn the_aws_engine_needs_its_feature() {
        let error = from(&[("SFINI_ENGINE", "aws")]).unwrap_err();
        assert_eq!(
            error,
            ClientError::EngineNotBuilt {
                engine: "aws",
                feature: "aws"
            }
        );
        assert_eq!(
            error.to_string(),
            "SFINI_ENGINE is `aws`, but this build of sfini has no aws engine: enable the \
             feature `aws` of sfini (on by default) or of sfini-runtime"
        );
    }

    #[test]
    fn a_malformed_role_is_refused_before_the_engine_is_made() {
        let error = from(&[("SFINI_ENGINE", "aws"), ("SFINI_ROLE_ARN", "workflows")]).unwrap_err();
        assert!(
            matches!(
                error,
                ClientError::InvalidSetting {
                    variable: "SFINI_ROLE_ARN",
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn the_role_comes_from_the_environment() {
        let sfn = from(&[("SFINI_ROLE_ARN", "arn:aws:iam::1:role/r")]).unwrap();
        assert_eq!(sfn.role_arn(), Some("arn:aws:iam::1:role/r"));
        assert_eq!(
            sfn.default_role_arn().as_deref(),
            Some("arn:aws:iam::1:role/r")
        );
        let error = from(&[("SFINI_ROLE_ARN", "workflows")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "SFINI_ROLE_ARN is `workflows`: it is not an ARN; give the IAM role executions run as, such as `arn:aws:iam::123456789012:role/NAME`"
        );
    }

    #[test]
    fn settings_make_new_handles_and_leave_the_old_one() {
        let sfn = Sfn::local();
        let prefixed = sfn
            .with_activity_prefix("dev-")
            .with_account("eu-west-1", "1");
        assert_eq!(sfn.activity_prefix(), "");
        assert_eq!(prefixed.activity_prefix(), "dev-");
        assert_eq!(prefixed.prefixed("add"), "dev-add");
        assert_eq!(
            prefixed.account(),
            Some(&Account {
                region: "eu-west-1".into(),
                account_id: "1".into()
            })
        );
        assert!(Arc::ptr_eq(sfn.api(), prefixed.api()));
    }
}
