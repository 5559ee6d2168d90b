//! Registering state machines and their activities, comparing them with
//! what is registered, and starting and listing their executions.
//!
//! A [`Machine`] is a state machine the program knows a definition for:
//! [`Sfn::workflow`] gives one from a `workflow!` type,
//! [`Sfn::machine`] from Amazon States Language text. [`Machine::register`]
//! creates its activities (idempotently, with the handle's prefix), fills
//! the definition's placeholders and creates the machine, or finds it
//! registered already: in sync, nothing is done; with another definition or
//! role, it is updated only when [`RegisterOptions::allow_update`] says so.
//! [`Machine::diff`] says how the registered machine differs, field by
//! field.
//!
//! ```
//! use sfini_runtime::client::Sfn;
//! use sfini_runtime::registration::{RegisterOptions, RegistrationOutcome};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sfn = Sfn::local();
//! let v1 = sfn.machine("greet", r#"{"StartAt": "a", "States": {"a": {"Type": "Pass", "Result": 1, "End": true}}}"#);
//! assert_eq!(v1.register().await?.outcome, RegistrationOutcome::Created);
//! assert_eq!(v1.register().await?.outcome, RegistrationOutcome::Unchanged);
//!
//! let v2 = sfn.machine("greet", r#"{"StartAt": "a", "States": {"a": {"Type": "Pass", "Result": 2, "End": true}}}"#);
//! println!("{}", v2.diff().await?); // States.a.Result: registered 1, compiled 2
//! assert!(v2.register().await.is_err()); // it differs: updating must be allowed
//! let updated = v2.register_with(RegisterOptions::new().allow_update(true)).await?;
//! assert_eq!(updated.outcome, RegistrationOutcome::Updated);
//! # Ok(())
//! # }
//! ```
//!
//! [`Sfn::workflow`]: crate::client::Sfn::workflow
//! [`Sfn::machine`]: crate::client::Sfn::machine

mod diff;
mod error;
mod placeholders;
mod query;
mod sync;
mod versions;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use serde_json::Value;
use sfini_core::resource_name::{MAX_NAME_LENGTH, check_resource_name};
use time::OffsetDateTime;

pub use self::diff::{Difference, MachineDiff};
pub use self::error::RegistrationError;
pub use self::placeholders::{ACCOUNT_PLACEHOLDER, ACTIVITY_ARN_PLACEHOLDER, REGION_PLACEHOLDER};
use self::placeholders::{ArnScope, fill, needs_scope, placeholder_activities};
pub use self::query::ExecutionQuery;
use crate::activity::ActivityDefinition;
use crate::api::{
    CreateActivityInput, CreateStateMachineInput, DeleteActivityInput, DeleteStateMachineInput,
    DescribeStateMachineInput, DescribeStateMachineOutput, ListActivitiesInput,
    ListStateMachinesInput, SfnError, StartExecutionInput, StateMachineStatus,
    UpdateStateMachineInput,
};
use crate::client::Sfn;
use crate::execution::{Execution, ExecutionError};

/// How to register a machine: [`Machine::register_with`] takes it.
///
/// ```
/// use sfini_runtime::registration::RegisterOptions;
///
/// let options = RegisterOptions::new()
///     .role_arn("arn:aws:iam::123456789012:role/workflows")
///     .allow_update(true);
/// assert!(options.allow_update);
/// let same = RegisterOptions { allow_update: true, ..Default::default() };
/// assert_eq!(same.role_arn, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterOptions {
    /// The IAM role executions run as; the handle's default role when
    /// `None` (see [`Sfn::default_role_arn`]).
    pub role_arn: Option<String>,
    /// Update a machine registered with another definition or role (by
    /// default that is an error).
    pub allow_update: bool,
    /// Tags for the machine, given when registration creates it (a machine
    /// that exists keeps its tags: change them with `TagResource`).
    pub tags: Vec<crate::api::Tag>,
    /// The machine's type when registration creates it (Standard when
    /// `None`); a machine that exists keeps its type. An Express machine
    /// runs with [`Machine::start_sync`].
    pub machine_type: Option<crate::api::StateMachineType>,
    /// Publish a version when registration creates the machine or changes
    /// it (a machine left unchanged publishes nothing).
    pub publish: bool,
    /// Point this alias (created if need be) at the version registration
    /// publishes, with all executions; implies `publish`.
    pub alias: Option<String>,
}

impl RegisterOptions {
    /// The defaults: the handle's role, no update.
    pub fn new() -> RegisterOptions {
        RegisterOptions::default()
    }

    /// Register with this role.
    #[must_use]
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// Whether to update a machine registered with another definition or
    /// role.
    #[must_use]
    pub fn allow_update(mut self, allow: bool) -> Self {
        self.allow_update = allow;
        self
    }

    /// Tags the machine is created with (at most 50; keys of 1 to 128
    /// characters, values of at most 256). A machine that exists already
    /// keeps the tags it has.
    ///
    /// ```
    /// use sfini_runtime::api::{ListTagsForResourceInput, Tag};
    /// use sfini_runtime::client::Sfn;
    /// use sfini_runtime::registration::RegisterOptions;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sfn = Sfn::local().with_role_arn("arn:aws:iam::123456789012:role/run");
    /// let tag = Tag { key: "team".into(), value: "data".into() };
    /// let registered = sfn
    ///     .machine("tagged", r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#)
    ///     .register_with(RegisterOptions::new().tags(vec![tag.clone()]))
    ///     .await?;
    /// let listed = sfn
    ///     .api()
    ///     .list_tags_for_resource(ListTagsForResourceInput {
    ///         resource_arn: registered.machine_arn,
    ///     })
    ///     .await?;
    /// assert_eq!(listed.tags, vec![tag]);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn tags(mut self, tags: Vec<crate::api::Tag>) -> Self {
        self.tags = tags;
        self
    }

    /// Publish a version when registration creates or changes the machine.
    ///
    /// ```
    /// use sfini_runtime::client::Sfn;
    /// use sfini_runtime::registration::RegisterOptions;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sfn = Sfn::local().with_role_arn("arn:aws:iam::123456789012:role/run");
    /// let registered = sfn
    ///     .machine("versioned", r#"{"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}"#)
    ///     .register_with(RegisterOptions::new().publish(true).alias("live"))
    ///     .await?;
    /// let version = registered.version_arn.expect("published");
    /// assert_eq!(version, format!("{}:1", registered.machine_arn));
    /// assert_eq!(registered.alias_arn, Some(format!("{}:live", registered.machine_arn)));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn publish(mut self, publish: bool) -> Self {
        self.publish = publish;
        self
    }

    /// Point the alias `name` at the version registration publishes
    /// (which turns `publish` on). A machine left unchanged publishes
    /// nothing, and its alias is left as it is.
    #[must_use]
    pub fn alias(mut self, name: impl Into<String>) -> Self {
        self.alias = Some(name.into());
        self.publish = true;
        self
    }

    /// Create the machine as an Express one (see [`Machine::start_sync`]).
    #[must_use]
    pub fn express(mut self) -> Self {
        self.machine_type = Some(crate::api::StateMachineType::Express);
        self
    }
}

/// What registration did to the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationOutcome {
    /// The machine did not exist and was created.
    Created,
    /// The machine existed with another definition or role and was
    /// updated.
    Updated,
    /// The machine existed with this definition and role.
    Unchanged,
}

/// A registered activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredActivity {
    /// Its name on the engine (with the handle's prefix).
    pub name: String,
    /// Its ARN.
    pub arn: String,
}

/// The result of registering a machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The machine's ARN.
    pub machine_arn: String,
    /// Its activities, in the order the machine names them.
    pub activities: Vec<RegisteredActivity>,
    /// What was done.
    pub outcome: RegistrationOutcome,
    /// What an update changed (empty unless the outcome is `Updated`).
    pub changes: Vec<Difference>,
    /// The version published, when [`RegisterOptions::publish`] asked for
    /// one and registration created or changed the machine.
    pub version_arn: Option<String>,
    /// The alias pointed at that version, when [`RegisterOptions::alias`]
    /// named one.
    pub alias_arn: Option<String>,
}

/// A state machine the program knows a definition for, on one engine.
///
/// Activities named in the definition
/// (`arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:NAME`) are
/// the machine's activities, with those given to
/// [`with_activities`](Machine::with_activities) (a workflow type's
/// `ACTIVITIES`). Cheap to clone; clones share what they learn of the
/// machine's ARN.
#[derive(Clone)]
pub struct Machine {
    sfn: Sfn,
    name: String,
    definition: Cow<'static, str>,
    activities: Vec<&'static ActivityDefinition>,
    arn: Arc<Mutex<Option<String>>>,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("name", &self.name)
            .field(
                "activities",
                &self.activities.iter().map(|a| a.name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// A definition ready to register: placeholders filled, checked.
struct Compiled {
    definition: String,
    value: Value,
}

impl Machine {
    pub(crate) fn new(
        sfn: Sfn,
        name: impl Into<String>,
        definition: impl Into<Cow<'static, str>>,
    ) -> Machine {
        Machine {
            sfn,
            name: name.into(),
            definition: definition.into(),
            activities: Vec::new(),
            arn: Arc::default(),
        }
    }

    /// The machine with these activities too (for definitions written by
    /// hand whose tasks name activities that have Rust definitions).
    #[must_use]
    pub fn with_activities(mut self, activities: &[&'static ActivityDefinition]) -> Machine {
        for activity in activities {
            if !self
                .activities
                .iter()
                .any(|known| known.name == activity.name)
            {
                self.activities.push(activity);
            }
        }
        self
    }

    /// The machine's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its definition as given, placeholders unfilled.
    pub fn definition(&self) -> &str {
        &self.definition
    }

    /// The handle it registers with.
    pub fn sfn(&self) -> &Sfn {
        &self.sfn
    }

    /// Its activities' names on the engine (with the handle's prefix): the
    /// given activities, then those only the definition names.
    pub fn activity_names(&self) -> Vec<String> {
        self.activities_by_name()
            .into_iter()
            .map(|(_, registered)| registered)
            .collect()
    }

    /// Each activity's name in the definition and on the engine.
    fn activities_by_name(&self) -> Vec<(&str, String)> {
        let mut names: Vec<&str> = self.activities.iter().map(|a| a.name).collect();
        for name in placeholder_activities(&self.definition) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
            .into_iter()
            .map(|name| (name, self.sfn.prefixed(name)))
            .collect()
    }

    fn cached_arn(&self) -> MutexGuard<'_, Option<String>> {
        // The cache holds a plain `Option<String>`, whole after any panic.
        self.arn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the version published, and points the alias at it.
    async fn published(
        &self,
        done: &mut Registration,
        version_arn: Option<String>,
        alias: &Option<String>,
    ) -> Result<(), RegistrationError> {
        if let (Some(version), Some(alias)) = (&version_arn, alias) {
            done.alias_arn = Some(self.point_alias(&done.machine_arn, alias, version).await?);
        }
        done.version_arn = version_arn;
        Ok(())
    }

    pub(crate) fn api_error(&self, call: &'static str, source: SfnError) -> RegistrationError {
        RegistrationError::Api {
            machine: self.name.clone(),
            call,
            source,
        }
    }

    fn check_names(&self) -> Result<(), RegistrationError> {
        let invalid = |kind, name: &str, reason| RegistrationError::InvalidName {
            kind,
            name: name.to_string(),
            reason,
        };
        check_resource_name("state machine", &self.name)
            .map_err(|reason| invalid("state machine", &self.name, reason))?;
        for (_, name) in self.activities_by_name() {
            check_resource_name("activity", &name)
                .map_err(|reason| invalid("activity", &name, reason))?;
        }
        Ok(())
    }

    /// The engine's partition, region and account: the local engine's own,
    /// those of an ARN the engine gave, those set with
    /// [`Sfn::with_account`], or those of any machine or activity listed.
    async fn scope(&self, known: Option<&str>) -> Result<Option<ArnScope>, RegistrationError> {
        if let Some(engine) = self.sfn.local_engine() {
            return Ok(Some(ArnScope {
                partition: "aws".to_string(),
                region: engine.region().to_string(),
                account: engine.account_id().to_string(),
            }));
        }
        if let Some(scope) = known.and_then(ArnScope::of) {
            return Ok(Some(scope));
        }
        if let Some(account) = self.sfn.account() {
            return Ok(Some(ArnScope {
                partition: "aws".to_string(),
                region: account.region.clone(),
                account: account.account_id.clone(),
            }));
        }
        let api = self.sfn.api();
        let machines = api
            .list_state_machines(ListStateMachinesInput {
                max_results: 1,
                next_token: None,
            })
            .await
            .map_err(|source| self.api_error("ListStateMachines", source))?;
        if let Some(scope) = machines
            .state_machines
            .first()
            .and_then(|machine| ArnScope::of(&machine.state_machine_arn))
        {
            return Ok(Some(scope));
        }
        let activities = api
            .list_activities(ListActivitiesInput {
                max_results: 1,
                next_token: None,
            })
            .await
            .map_err(|source| self.api_error("ListActivities", source))?;
        Ok(activities
            .activities
            .first()
            .and_then(|activity| ArnScope::of(&activity.activity_arn)))
    }

    /// The definition with its activity ARNs (by name in the definition)
    /// and the engine's region and account filled in, checked.
    fn compile(
        &self,
        arns: &HashMap<&str, String>,
        scope: Option<&ArnScope>,
    ) -> Result<Compiled, RegistrationError> {
        if scope.is_none() && needs_scope(&self.definition) {
            let without_activities = self.definition.replace(ACTIVITY_ARN_PLACEHOLDER, "");
            return Err(RegistrationError::UnknownAccount {
                machine: self.name.clone(),
                placeholder: if without_activities.contains(REGION_PLACEHOLDER) {
                    REGION_PLACEHOLDER
                } else {
                    ACCOUNT_PLACEHOLDER
                },
            });
        }
        let definition = fill(&self.definition, arns, scope);
        let checked = sfini_core::validate::check_json(&definition);
        let invalid = |diagnostics| RegistrationError::InvalidDefinition {
            machine: self.name.clone(),
            diagnostics,
        };
        if !checked.diagnostics.is_valid() {
            return Err(invalid(checked.diagnostics));
        }
        // check_json has read the text as JSON already.
        let value = serde_json::from_str(&definition).map_err(|_| invalid(checked.diagnostics))?;
        Ok(Compiled { definition, value })
    }

    /// The registered machine's ARN, found by name (and remembered).
    async fn find_arn(&self) -> Result<Option<String>, RegistrationError> {
        if let Some(arn) = self.cached_arn().clone() {
            return Ok(Some(arn));
        }
        let api = self.sfn.api();
        let mut next_token = None;
        loop {
            let page = api
                .list_state_machines(ListStateMachinesInput {
                    max_results: 1000,
                    next_token,
                })
                .await
                .map_err(|source| self.api_error("ListStateMachines", source))?;
            if let Some(found) = page
                .state_machines
                .into_iter()
                .find(|machine| machine.name == self.name)
            {
                *self.cached_arn() = Some(found.state_machine_arn.clone());
                return Ok(Some(found.state_machine_arn));
            }
            match page.next_token {
                Some(token) => next_token = Some(token),
                None => return Ok(None),
            }
        }
    }

    /// The registered machine, or `None` when it is not registered.
    async fn describe_registered(
        &self,
    ) -> Result<Option<DescribeStateMachineOutput>, RegistrationError> {
        let Some(arn) = self.find_arn().await? else {
            return Ok(None);
        };
        match self
            .sfn
            .api()
            .describe_state_machine(DescribeStateMachineInput {
                state_machine_arn: arn,
            })
            .await
        {
            Ok(described) => Ok(Some(described)),
            Err(SfnError::StateMachineDoesNotExist(_)) => {
                // Deleted since it was found: look again.
                *self.cached_arn() = None;
                match self.find_arn().await? {
                    Some(arn) => self
                        .sfn
                        .api()
                        .describe_state_machine(DescribeStateMachineInput {
                            state_machine_arn: arn,
                        })
                        .await
                        .map(Some)
                        .map_err(|source| self.api_error("DescribeStateMachine", source)),
                    None => Ok(None),
                }
            }
            Err(source) => Err(self.api_error("DescribeStateMachine", source)),
        }
    }

    /// How the registered machine differs in definition and role.
    fn differences(
        &self,
        registered: &DescribeStateMachineOutput,
        compiled: &Compiled,
        role: Option<&str>,
    ) -> Result<Vec<Difference>, RegistrationError> {
        let registered_value: Value =
            serde_json::from_str(&registered.definition).map_err(|source| {
                RegistrationError::UnreadableRegisteredDefinition {
                    machine: self.name.clone(),
                    source,
                }
            })?;
        let mut differences = diff::compare(&registered_value, &compiled.value);
        if let Some(role) = role.filter(|role| *role != registered.role_arn) {
            differences.push(Difference::Role {
                registered: registered.role_arn.clone(),
                compiled: role.to_string(),
            });
        }
        Ok(differences)
    }

    /// Registers the activities and the machine with the handle's role; an
    /// error if the machine is registered with another definition or role.
    pub async fn register(&self) -> Result<Registration, RegistrationError> {
        self.register_with(RegisterOptions::default()).await
    }

    /// Registers the activities (idempotent `CreateActivity`, with the
    /// handle's prefix), then the machine with its placeholders filled.
    ///
    /// A machine registered already with this definition and role is left
    /// as it is ([`RegistrationOutcome::Unchanged`]); with another, it is
    /// updated when `options.allow_update` says so and otherwise the error
    /// is [`RegistrationError::OutOfSync`].
    pub async fn register_with(
        &self,
        options: RegisterOptions,
    ) -> Result<Registration, RegistrationError> {
        self.check_names()?;
        let role = options
            .role_arn
            .or_else(|| self.sfn.default_role_arn())
            .ok_or_else(|| RegistrationError::NoRole {
                machine: self.name.clone(),
            })?;
        let api = self.sfn.api();
        let mut activities = Vec::new();
        let mut arns = HashMap::new();
        for (plain, name) in self.activities_by_name() {
            let created = api
                .create_activity(CreateActivityInput {
                    name: name.clone(),
                    ..Default::default()
                })
                .await
                .map_err(|source| RegistrationError::Activity {
                    activity: name.clone(),
                    call: "CreateActivity",
                    source,
                })?;
            arns.insert(plain, created.activity_arn.clone());
            activities.push(RegisteredActivity {
                name,
                arn: created.activity_arn,
            });
        }
        let scope = if needs_scope(&self.definition) {
            self.scope(activities.first().map(|activity| activity.arn.as_str()))
                .await?
        } else {
            None
        };
        let compiled = self.compile(&arns, scope.as_ref())?;
        let publish = options.publish || options.alias.is_some();
        let registration = |machine_arn, outcome, changes| Registration {
            machine_arn,
            activities: activities.clone(),
            outcome,
            changes,
            version_arn: None,
            alias_arn: None,
        };
        if let Some(registered) = self.describe_registered().await? {
            if registered.status == Some(StateMachineStatus::Deleting) {
                return Err(self.api_error(
                    "DescribeStateMachine",
                    SfnError::StateMachineDeleting(format!(
                        "the state machine `{}` is being deleted; register it again once its \
                         running executions have closed",
                        registered.state_machine_arn
                    )),
                ));
            }
            let changes = self.differences(&registered, &compiled, Some(&role))?;
            if changes.is_empty() {
                return Ok(registration(
                    registered.state_machine_arn,
                    RegistrationOutcome::Unchanged,
                    changes,
                ));
            }
            if !options.allow_update {
                return Err(RegistrationError::OutOfSync {
                    diff: Box::new(MachineDiff {
                        machine: self.name.clone(),
                        arn: Some(registered.state_machine_arn),
                        differences: changes,
                    }),
                });
            }
            let definition_changed = changes
                .iter()
                .any(|change| matches!(change, Difference::Definition { .. }));
            let updated = api
                .update_state_machine(UpdateStateMachineInput {
                    state_machine_arn: registered.state_machine_arn.clone(),
                    definition: definition_changed.then_some(compiled.definition),
                    role_arn: (role != registered.role_arn).then_some(role),
                    publish,
                    ..Default::default()
                })
                .await
                .map_err(|source| self.api_error("UpdateStateMachine", source))?;
            tracing::info!(machine = %self.name, changes = changes.len(), "state machine updated");
            let mut done = registration(
                registered.state_machine_arn,
                RegistrationOutcome::Updated,
                changes,
            );
            self.published(&mut done, updated.state_machine_version_arn, &options.alias)
                .await?;
            return Ok(done);
        }
        let created = api
            .create_state_machine(CreateStateMachineInput {
                name: self.name.clone(),
                definition: compiled.definition,
                role_arn: role,
                tags: options.tags.clone(),
                state_machine_type: options.machine_type,
                publish,
                ..Default::default()
            })
            .await
            .map_err(|source| self.api_error("CreateStateMachine", source))?;
        *self.cached_arn() = Some(created.state_machine_arn.clone());
        tracing::info!(machine = %self.name, arn = %created.state_machine_arn, "state machine created");
        let mut done = registration(
            created.state_machine_arn,
            RegistrationOutcome::Created,
            Vec::new(),
        );
        self.published(&mut done, created.state_machine_version_arn, &options.alias)
            .await?;
        Ok(done)
    }

    /// How the registered machine differs from this one: whether it
    /// exists, and each change to its definition (placeholders filled as
    /// registration would), its role (against the handle's default role)
    /// and activities that are not registered. Changes nothing.
    pub async fn diff(&self) -> Result<MachineDiff, RegistrationError> {
        self.check_names()?;
        let names = self.activities_by_name();
        let mut registered_activities = HashMap::new();
        if !names.is_empty() {
            let mut next_token = None;
            loop {
                let page = self
                    .sfn
                    .api()
                    .list_activities(ListActivitiesInput {
                        max_results: 1000,
                        next_token,
                    })
                    .await
                    .map_err(|source| self.api_error("ListActivities", source))?;
                for activity in page.activities {
                    registered_activities.insert(activity.name, activity.activity_arn);
                }
                match page.next_token {
                    Some(token) => next_token = Some(token),
                    None => break,
                }
            }
        }
        let missing: Vec<&String> = names
            .iter()
            .map(|(_, name)| name)
            .filter(|name| !registered_activities.contains_key(*name))
            .collect();
        let missing_activities = missing
            .iter()
            .map(|name| Difference::MissingActivity {
                name: (*name).clone(),
            })
            .collect::<Vec<_>>();
        let not_registered = |differences| MachineDiff {
            machine: self.name.clone(),
            arn: None,
            differences,
        };
        let scope = if needs_scope(&self.definition) || !missing.is_empty() {
            let known = names
                .iter()
                .find_map(|(_, name)| registered_activities.get(name))
                .map(String::as_str);
            match self.scope(known).await? {
                Some(scope) => Some(scope),
                // The engine holds no state machine and no activity from
                // which to learn the region and account: this machine is
                // not registered either.
                None => return Ok(not_registered(missing_activities)),
            }
        } else {
            None
        };
        let mut arns = HashMap::new();
        for (plain, name) in &names {
            let arn = match (registered_activities.get(name), &scope) {
                (Some(arn), _) => arn.clone(),
                (None, Some(scope)) => scope.activity_arn(name),
                (None, None) => {
                    return Err(RegistrationError::UnknownAccount {
                        machine: self.name.clone(),
                        placeholder: REGION_PLACEHOLDER,
                    });
                }
            };
            arns.insert(*plain, arn);
        }
        let compiled = self.compile(&arns, scope.as_ref())?;
        let Some(registered) = self.describe_registered().await? else {
            return Ok(not_registered(missing_activities));
        };
        let role = self.sfn.default_role_arn();
        let mut differences = self.differences(&registered, &compiled, role.as_deref())?;
        differences.extend(missing_activities);
        Ok(MachineDiff {
            machine: self.name.clone(),
            arn: Some(registered.state_machine_arn),
            differences,
        })
    }

    /// The registered machine's ARN ([`RegistrationError::NotRegistered`]
    /// when it is not registered).
    pub async fn arn(&self) -> Result<String, RegistrationError> {
        self.find_arn()
            .await?
            .ok_or_else(|| RegistrationError::NotRegistered {
                machine: self.name.clone(),
            })
    }

    /// Deletes the machine (executions running keep running); true when
    /// there was one to delete. Its activities stay.
    pub async fn deregister(&self) -> Result<bool, RegistrationError> {
        let Some(arn) = self.find_arn().await? else {
            return Ok(false);
        };
        self.sfn
            .api()
            .delete_state_machine(DeleteStateMachineInput {
                state_machine_arn: arn,
            })
            .await
            .map_err(|source| self.api_error("DeleteStateMachine", source))?;
        *self.cached_arn() = None;
        tracing::info!(machine = %self.name, "state machine deleted");
        Ok(true)
    }

    /// Deletes the machine's activities that are registered; gives their
    /// names.
    pub async fn deregister_activities(&self) -> Result<Vec<String>, RegistrationError> {
        let names = self.activity_names();
        let api = self.sfn.api();
        let mut found = Vec::new();
        let mut next_token = None;
        loop {
            let page = api
                .list_activities(ListActivitiesInput {
                    max_results: 1000,
                    next_token,
                })
                .await
                .map_err(|source| self.api_error("ListActivities", source))?;
            found.extend(
                page.activities
                    .into_iter()
                    .filter(|activity| names.contains(&activity.name)),
            );
            match page.next_token {
                Some(token) => next_token = Some(token),
                None => break,
            }
        }
        let mut deleted = Vec::new();
        for activity in found {
            api.delete_activity(DeleteActivityInput {
                activity_arn: activity.activity_arn,
            })
            .await
            .map_err(|source| RegistrationError::Activity {
                activity: activity.name.clone(),
                call: "DeleteActivity",
                source,
            })?;
            tracing::info!(activity = %activity.name, "activity deleted");
            deleted.push(activity.name);
        }
        Ok(deleted)
    }

    /// Starts an execution with a generated name,
    /// `<machine>_<time>_<8 hex digits>` (such as
    /// `adding_2026-11-21T10-30-00_3f2a9c01`; the machine's name is cut to
    /// keep it within 80 characters).
    pub async fn start<T: Serialize + ?Sized>(
        &self,
        input: &T,
    ) -> Result<Execution, ExecutionError> {
        let now = match self.sfn.local_engine() {
            Some(engine) => engine.clock().now(),
            None => OffsetDateTime::now_utc(),
        };
        self.start_named(execution_name(&self.name, now, rand::random()), input)
            .await
    }

    /// Starts an execution with this name and input.
    pub async fn start_named<T: Serialize + ?Sized>(
        &self,
        name: impl Into<String>,
        input: &T,
    ) -> Result<Execution, ExecutionError> {
        let name = name.into();
        let input = serde_json::to_string(input).map_err(|source| ExecutionError::Input {
            machine: self.name.clone(),
            source,
        })?;
        let arn = self.arn().await.map_err(Box::new)?;
        let started = self
            .sfn
            .api()
            .start_execution(StartExecutionInput {
                state_machine_arn: arn,
                name: Some(name.clone()),
                input: Some(input),
                trace_header: None,
            })
            .await
            .map_err(|source| ExecutionError::Start {
                machine: self.name.clone(),
                name,
                source,
            })?;
        Ok(self.sfn.execution(started.execution_arn))
    }

    /// Runs an execution of this Express machine with this input and
    /// answers when it closes (`StartSyncExecution`), its failure or
    /// timeout in the answer's `status`, `error` and `cause`; see
    /// [`sync_execution`](crate::api::sync_execution). A Standard machine is
    /// refused (`StateMachineTypeNotSupported`): register with
    /// [`RegisterOptions::express`].
    pub async fn start_sync<T: Serialize + ?Sized>(
        &self,
        input: &T,
    ) -> Result<crate::api::StartSyncExecutionOutput, ExecutionError> {
        sync::start_sync(self, input).await
    }

    /// The machine's executions, to filter, list and count.
    pub fn executions(&self) -> ExecutionQuery {
        ExecutionQuery::new(self.clone())
    }
}

/// `<machine>_<time>_<8 hex digits>`, the machine's name cut so that the
/// whole holds at most 80 characters.
fn execution_name(machine: &str, now: OffsetDateTime, random: u32) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    let suffix = format!(
        "_{:04}-{:02}-{:02}T{:02}-{:02}-{:02}_{random:08x}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let room = MAX_NAME_LENGTH.saturating_sub(suffix.chars().count());
    let machine: String = machine.chars().take(room).collect();
    format!("{machine}{suffix}")
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn execution_names_carry_the_machine_the_time_and_random_digits() {
        let at = datetime!(2026-11-21 10:30:00.5 UTC);
        assert_eq!(
            execution_name("adding", at, 0x3f2a_9c01),
            "adding_2026-11-21T10-30-00_3f2a9c01"
        );
        let long = "m".repeat(80);
        let name = execution_name(&long, at, 1);
        assert_eq!(name.chars().count(), 80);
        assert_eq!(
            name,
            format!("{}_2026-11-21T10-30-00_00000001", "m".repeat(51))
        );
        assert!(check_resource_name("execution", &name).is_ok());
    }
}
