//! State machine versions and aliases, kept with their machine.
//!
//! A version is an immutable snapshot of a machine's revision (its
//! definition and role), numbered from 1 and named by the machine's ARN and
//! its number (`...:stateMachine:NAME:3`); numbers are never given twice,
//! even after a version is deleted. Publishing the revision the latest
//! version already holds answers that version. A machine keeps at most
//! [`MAX_VERSIONS`] versions and [`MAX_ALIASES`] aliases.
//!
//! An alias (`...:stateMachine:NAME:PROD`) routes each execution started by
//! its ARN to one of one or two versions, chosen at random by their
//! weights, which sum to 100. A version an alias routes to cannot be
//! deleted. Deleting the machine deletes its versions and aliases.
//! Versions are listed newest first and aliases oldest first, as AWS's
//! recorded answers list them (its reference says newest first for both).

use std::collections::BTreeMap;
use std::sync::Arc;

use indexmap::IndexMap;
use time::OffsetDateTime;

use super::compile::CompiledMachine;
use super::for_execution::MachineAsRun;
use super::names::{ResourceKind, check_arn};
use super::paging::Listing;
use super::{LocalEngine, MachineRecord, Registry};
use crate::api::*;

/// A machine's versions and aliases.
#[derive(Default)]
pub(super) struct Versions {
    /// The number of the last version published.
    last_number: u64,
    /// The versions kept, by number.
    published: BTreeMap<u64, Version>,
    /// The aliases, by name, in creation order.
    aliases: IndexMap<String, Alias>,
    /// The creation number of the next alias, where lists page.
    alias_sequence: u64,
}

/// A published version.
struct Version {
    arn: Arc<str>,
    definition: String,
    role_arn: Arc<str>,
    compiled: Arc<CompiledMachine>,
    as_run: Arc<MachineAsRun>,
    description: Option<String>,
    creation_date: OffsetDateTime,
    /// The machine's revision it was published from.
    revision_id: Option<String>,
}

/// An alias.
struct Alias {
    sequence: u64,
    arn: Arc<str>,
    description: Option<String>,
    /// The versions it routes to, by number, with their weights.
    routing: Vec<(u64, i32)>,
    creation_date: OffsetDateTime,
    update_date: Option<OffsetDateTime>,
}

/// What an execution started by a machine's, a version's or an alias's ARN
/// runs.
pub(super) struct Target {
    pub(super) compiled: Arc<CompiledMachine>,
    pub(super) as_run: Arc<MachineAsRun>,
    pub(super) role_arn: Arc<str>,
    pub(super) version_arn: Option<Arc<str>>,
    pub(super) alias_arn: Option<Arc<str>>,
}

/// What the part of a state machine ARN after its name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Qualifier<'a> {
    /// Nothing: the machine itself.
    Machine,
    /// A version, by number (`u64::MAX` for a number too large to be one).
    Version(u64),
    /// An alias, by name.
    Alias(&'a str),
}

/// The machine's ARN within a state machine ARN, and what follows its name.
/// The ARN must have been checked with [`check_arn`].
pub(super) fn split(arn: &str) -> (&str, Qualifier<'_>) {
    let Some((cut, _)) = arn.match_indices(':').nth(6) else {
        return (arn, Qualifier::Machine);
    };
    let (base, qualifier) = (&arn[..cut], &arn[cut + 1..]);
    if !qualifier.is_empty() && qualifier.bytes().all(|byte| byte.is_ascii_digit()) {
        (
            base,
            Qualifier::Version(qualifier.parse().unwrap_or(u64::MAX)),
        )
    } else {
        (base, Qualifier::Alias(qualifier))
    }
}

fn service(code: &str, message: String) -> SfnError {
    SfnError::Service {
        code: code.to_string(),
        message,
    }
}

/// AWS's `ResourceNotFound`, which says no more; `what` goes to the log.
fn not_found(arn: &str, what: &str) -> SfnError {
    tracing::debug!(arn = %quoted(arn, '`'), "no such {what}");
    SfnError::ResourceNotFound {
        message: "Request references a resource that does not exist.".to_string(),
        resource_name: Some(arn.to_string()),
    }
}

pub(super) fn check_description(description: Option<&str>, member: &str) -> Result<(), SfnError> {
    match description {
        Some(text) if text.chars().nth(MAX_DESCRIPTION_CHARS).is_some() => {
            Err(SfnError::ValidationException(format!(
                "the {member} has {} characters; at most {MAX_DESCRIPTION_CHARS} are allowed",
                text.chars().count()
            )))
        }
        _ => Ok(()),
    }
}

/// The machine of `arn` (its unqualified ARN), if the engine has it.
fn machine_mut<'r>(
    registry: &'r mut Registry,
    base: &str,
) -> Result<&'r mut MachineRecord, SfnError> {
    registry.machines.get_mut(base).ok_or_else(|| {
        SfnError::StateMachineDoesNotExist(format!("no state machine has the ARN `{base}`"))
    })
}

fn refuse_deleting(machine: &MachineRecord) -> Result<(), SfnError> {
    if machine.status == StateMachineStatus::Deleting {
        return Err(SfnError::StateMachineDeleting(format!(
            "the state machine `{}` is being deleted",
            machine.arn
        )));
    }
    Ok(())
}

/// Publishes the machine's current revision, or answers the latest version
/// when it already holds that revision.
pub(super) fn publish(
    machine: &mut MachineRecord,
    description: Option<String>,
    now: OffsetDateTime,
) -> Result<(String, OffsetDateTime), SfnError> {
    check_description(description.as_deref(), "version's description")?;
    // The latest version holds the current revision when it was published
    // from it, or when an update since changed nothing it holds (AWS answers
    // version 1 to an update of a machine published on creation that gives
    // the same definition).
    if let Some(latest) = machine.versions.published.values().next_back()
        && (latest.revision_id == machine.revision_id
            || (latest.definition == machine.definition && latest.role_arn == machine.role_arn))
    {
        return Ok((latest.arn.to_string(), latest.creation_date));
    }
    check_room(machine)?;
    let versions = &mut machine.versions;
    versions.last_number += 1;
    let arn: Arc<str> = Arc::from(format!("{}:{}", machine.arn, versions.last_number));
    versions.published.insert(
        versions.last_number,
        Version {
            arn: arn.clone(),
            definition: machine.definition.clone(),
            role_arn: machine.role_arn.clone(),
            compiled: machine.compiled.clone(),
            as_run: machine.as_run.clone(),
            description,
            creation_date: now,
            revision_id: machine.revision_id.clone(),
        },
    );
    Ok((arn.to_string(), now))
}

/// Refuses a version past the quota.
pub(super) fn check_room(machine: &MachineRecord) -> Result<(), SfnError> {
    if machine.versions.published.len() >= MAX_VERSIONS {
        return Err(service(
            "ServiceQuotaExceededException",
            format!(
                "the state machine `{}` has {MAX_VERSIONS} versions, the most it may have; \
                 delete unused ones with DeleteStateMachineVersion",
                machine.arn
            ),
        ));
    }
    Ok(())
}

/// What an execution started by `arn` (checked, its machine `machine`)
/// runs: an alias picks one of its versions by weight.
pub(super) fn target(machine: &MachineRecord, arn: &str) -> Result<Target, SfnError> {
    let (_, qualifier) = split(arn);
    let (number, alias_arn) = match qualifier {
        Qualifier::Machine => {
            return Ok(Target {
                compiled: machine.compiled.clone(),
                as_run: machine.as_run.clone(),
                role_arn: machine.role_arn.clone(),
                version_arn: None,
                alias_arn: None,
            });
        }
        Qualifier::Version(number) => (number, None),
        Qualifier::Alias(name) => {
            let alias = machine.versions.aliases.get(name).ok_or_else(|| {
                SfnError::StateMachineDoesNotExist(format!(
                    "no state machine alias has the ARN `{arn}`"
                ))
            })?;
            (pick(&alias.routing), Some(alias.arn.clone()))
        }
    };
    let version = machine.versions.published.get(&number).ok_or_else(|| {
        SfnError::StateMachineDoesNotExist(format!(
            "no state machine version has the ARN `{}:{number}`",
            machine.arn
        ))
    })?;
    Ok(Target {
        compiled: version.compiled.clone(),
        as_run: version.as_run.clone(),
        role_arn: version.role_arn.clone(),
        version_arn: Some(version.arn.clone()),
        alias_arn,
    })
}

/// One of an alias's versions, chosen at random by weight.
fn pick(routing: &[(u64, i32)]) -> u64 {
    let roll = i32::try_from(rand::random::<u32>() % 100).unwrap_or(0);
    let mut below = 0;
    for &(number, weight) in routing {
        below += weight;
        if roll < below {
            return number;
        }
    }
    routing.last().map_or(0, |&(number, _)| number)
}

/// `DescribeStateMachine` of a version's ARN.
pub(super) fn describe_version(
    machine: &MachineRecord,
    arn: &str,
    number: u64,
) -> Result<DescribeStateMachineOutput, SfnError> {
    let version = machine.versions.published.get(&number).ok_or_else(|| {
        SfnError::StateMachineDoesNotExist(format!("no state machine version has the ARN `{arn}`"))
    })?;
    Ok(DescribeStateMachineOutput {
        state_machine_arn: version.arn.to_string(),
        name: machine.name.to_string(),
        status: Some(machine.status),
        definition: version.definition.clone(),
        role_arn: version.role_arn.to_string(),
        state_machine_type: machine.machine_type,
        creation_date: version.creation_date,
        logging_configuration: Some(LoggingConfiguration::default()),
        tracing_configuration: Some(TracingConfiguration::default()),
        encryption_configuration: Some(EncryptionConfiguration::default()),
        description: version.description.clone(),
        revision_id: version.revision_id.clone(),
        label: None,
        variable_references: None,
    })
}

/// The checked routing of an alias: its machine's ARN and its versions by
/// number with their weights.
fn check_routing(
    routing: &[RoutingConfigurationListItem],
) -> Result<(String, Vec<(u64, i32)>), SfnError> {
    if routing.is_empty() || routing.len() > 2 {
        return Err(SfnError::ValidationException(format!(
            "an alias routes to one or two versions; the routing configuration has {}",
            routing.len()
        )));
    }
    let mut machine: Option<&str> = None;
    let mut numbers = Vec::with_capacity(routing.len());
    for item in routing {
        let arn = item.state_machine_version_arn.as_str();
        check_arn(arn, ResourceKind::StateMachine)?;
        let (base, qualifier) = split(arn);
        let Qualifier::Version(number) = qualifier else {
            return Err(SfnError::ValidationException(format!(
                "Routing configuration must contain state machine version ARNs. Received: [{}]",
                received(routing)
            )));
        };
        if !(0..=100).contains(&item.weight) {
            return Err(SfnError::ValidationException(format!(
                "the weight {} of {} is not between 0 and 100",
                item.weight,
                quoted(arn, '`')
            )));
        }
        if machine.is_some_and(|machine| machine != base) {
            return Err(SfnError::ValidationException(
                "the versions of an alias must belong to the same state machine".to_string(),
            ));
        }
        if numbers.iter().any(|&(known, _)| known == number) {
            return Err(SfnError::ValidationException(format!(
                "Routing configuration must contain distinct state machine version ARNs. \
                 Received: [{}]",
                received(routing)
            )));
        }
        machine = Some(base);
        numbers.push((number, item.weight));
    }
    let sum: i32 = numbers.iter().map(|&(_, weight)| weight).sum();
    if sum != 100 {
        let weights: Vec<String> = numbers
            .iter()
            .map(|&(_, weight)| weight.to_string())
            .collect();
        return Err(SfnError::ValidationException(format!(
            "Sum of routing configuration weights must equal 100. Received: [{}]",
            weights.join(", ")
        )));
    }
    Ok((machine.unwrap_or_default().to_string(), numbers))
}

/// A caller's value shown unquoted in a message as AWS shows it, cut after
/// [`QUOTED_CHARS`] characters.
pub(super) fn cut(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// The versions of a routing configuration, as AWS's messages list them
/// (each ARN cut to a bounded length).
fn received(routing: &[RoutingConfigurationListItem]) -> String {
    routing
        .iter()
        .map(|item| cut(&item.state_machine_version_arn))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The routing as the API gives it.
fn routing_items(
    machine: &MachineRecord,
    routing: &[(u64, i32)],
) -> Vec<RoutingConfigurationListItem> {
    routing
        .iter()
        .map(|&(number, weight)| RoutingConfigurationListItem {
            state_machine_version_arn: format!("{}:{number}", machine.arn),
            weight,
        })
        .collect()
}

/// Refuses routing to versions the machine does not have.
fn check_versions_exist(machine: &MachineRecord, routing: &[(u64, i32)]) -> Result<(), SfnError> {
    for &(number, _) in routing {
        if !machine.versions.published.contains_key(&number) {
            return Err(not_found(
                &format!("{}:{number}", machine.arn),
                "state machine version",
            ));
        }
    }
    Ok(())
}

/// An alias's ARN split into its machine's and its name.
fn alias_arn(arn: &str) -> Result<(&str, &str), SfnError> {
    check_arn(arn, ResourceKind::StateMachine)?;
    match split(arn) {
        (base, Qualifier::Alias(name)) if !name.is_empty() => Ok((base, name)),
        _ => Err(SfnError::InvalidArn(format!(
            "{} is not a state machine alias's ARN (`...:stateMachine:NAME:ALIAS`)",
            quoted(arn, '`')
        ))),
    }
}

/// The alias name rule: 1 to 80 letters, digits, `-`, `_` and `.`, not
/// digits only (which would read as a version).
fn check_alias_name(name: &str) -> Result<(), SfnError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty()
        || name.chars().nth(80).is_some()
        || !name.chars().all(allowed)
        || name.chars().all(|c| c.is_ascii_digit())
    {
        return Err(SfnError::ValidationException(format!(
            "the alias name {} is not valid: give 1 to 80 letters, digits, `-`, `_` and `.`, \
             not digits only",
            quoted(name, '`')
        )));
    }
    Ok(())
}

impl LocalEngine {
    pub(super) fn publish_version(
        &self,
        input: PublishStateMachineVersionInput,
    ) -> Result<PublishStateMachineVersionOutput, SfnError> {
        check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
        let (base, qualifier) = split(&input.state_machine_arn);
        if qualifier != Qualifier::Machine {
            return Err(SfnError::ValidationException(format!(
                "{} is a version's or an alias's ARN; publish from the state machine's ARN",
                quoted(&input.state_machine_arn, '`')
            )));
        }
        let now = self.shared.clock.now();
        let mut registry = self.shared.lock();
        let machine = machine_mut(&mut registry, base)?;
        refuse_deleting(machine)?;
        if let Some(expected) = &input.revision_id {
            let current = machine.revision_id.as_deref().unwrap_or("INITIAL");
            if expected != current {
                return Err(service(
                    "ConflictException",
                    format!(
                        "Failed to publish the State Machine version for revision {}. The \
                         current State Machine revision is {current}.",
                        cut(expected)
                    ),
                ));
            }
        }
        let (state_machine_version_arn, creation_date) = publish(machine, input.description, now)?;
        Ok(PublishStateMachineVersionOutput {
            creation_date,
            state_machine_version_arn,
        })
    }

    pub(super) fn list_versions(
        &self,
        input: ListStateMachineVersionsInput,
    ) -> Result<ListStateMachineVersionsOutput, SfnError> {
        check_arn(&input.state_machine_arn, ResourceKind::StateMachine)?;
        let mut registry = self.shared.lock();
        let machine = machine_mut(&mut registry, &input.state_machine_arn)?;
        let (state_machine_versions, next_token) = self.shared.pages.page(
            &Listing::versions(&input.state_machine_arn),
            input.max_results,
            input.next_token.as_deref(),
            machine
                .versions
                .published
                .iter()
                .rev()
                .map(|(number, version)| (*number, version)),
            |version| {
                Some(StateMachineVersionListItem {
                    state_machine_version_arn: version.arn.to_string(),
                    creation_date: version.creation_date,
                })
            },
        )?;
        Ok(ListStateMachineVersionsOutput {
            state_machine_versions,
            next_token,
        })
    }

    pub(super) fn delete_version(
        &self,
        input: DeleteStateMachineVersionInput,
    ) -> Result<DeleteStateMachineVersionOutput, SfnError> {
        let arn = input.state_machine_version_arn.as_str();
        check_arn(arn, ResourceKind::StateMachine)?;
        let (base, Qualifier::Version(number)) = split(arn) else {
            return Err(SfnError::InvalidArn(format!(
                "{} is not a state machine version's ARN (`...:stateMachine:NAME:NUMBER`)",
                quoted(arn, '`')
            )));
        };
        let mut registry = self.shared.lock();
        let Some(machine) = registry.machines.get_mut(base) else {
            return Ok(DeleteStateMachineVersionOutput {});
        };
        let routing: Vec<&str> = machine
            .versions
            .aliases
            .iter()
            .filter(|(_, alias)| alias.routing.iter().any(|&(known, _)| known == number))
            .map(|(name, _)| name.as_str())
            .collect();
        if !routing.is_empty() {
            return Err(service(
                "ConflictException",
                format!(
                    "Version to be deleted must not be referenced by an alias. Current list of \
                     aliases referencing this version: [{}]",
                    routing.join(", ")
                ),
            ));
        }
        machine.versions.published.remove(&number);
        Ok(DeleteStateMachineVersionOutput {})
    }

    pub(super) fn create_alias(
        &self,
        input: CreateStateMachineAliasInput,
    ) -> Result<CreateStateMachineAliasOutput, SfnError> {
        check_alias_name(&input.name)?;
        check_description(input.description.as_deref(), "alias's description")?;
        let (base, routing) = check_routing(&input.routing_configuration)?;
        let now = self.shared.clock.now();
        let mut registry = self.shared.lock();
        let machine = registry
            .machines
            .get_mut(base.as_str())
            .ok_or_else(|| not_found(&base, "state machine"))?;
        refuse_deleting(machine)?;
        check_versions_exist(machine, &routing)?;
        if let Some(existing) = machine.versions.aliases.get(&input.name) {
            if existing.description == input.description && existing.routing == routing {
                return Ok(CreateStateMachineAliasOutput {
                    state_machine_alias_arn: existing.arn.to_string(),
                    creation_date: existing.creation_date,
                });
            }
            return Err(service(
                "ConflictException",
                "Failed to create alias because an alias with the same name and a different \
                 routing configuration already exists."
                    .to_string(),
            ));
        }
        if machine.versions.aliases.len() >= MAX_ALIASES {
            return Err(service(
                "ServiceQuotaExceededException",
                format!(
                    "the state machine `{base}` has {MAX_ALIASES} aliases, the most it may \
                     have; delete unused ones with DeleteStateMachineAlias"
                ),
            ));
        }
        let arn: Arc<str> = Arc::from(format!("{base}:{}", input.name));
        let versions = &mut machine.versions;
        let sequence = versions.alias_sequence;
        versions.alias_sequence += 1;
        versions.aliases.insert(
            input.name,
            Alias {
                sequence,
                arn: arn.clone(),
                description: input.description,
                routing,
                creation_date: now,
                update_date: None,
            },
        );
        Ok(CreateStateMachineAliasOutput {
            state_machine_alias_arn: arn.to_string(),
            creation_date: now,
        })
    }

    pub(super) fn describe_alias(
        &self,
        input: DescribeStateMachineAliasInput,
    ) -> Result<DescribeStateMachineAliasOutput, SfnError> {
        let arn = input.state_machine_alias_arn.as_str();
        let (base, name) = alias_arn(arn)?;
        let registry = self.shared.lock();
        let machine = registry
            .machines
            .get(base)
            .ok_or_else(|| not_found(arn, "state machine alias"))?;
        let alias = machine
            .versions
            .aliases
            .get(name)
            .ok_or_else(|| not_found(arn, "state machine alias"))?;
        Ok(DescribeStateMachineAliasOutput {
            state_machine_alias_arn: alias.arn.to_string(),
            name: name.to_string(),
            description: alias.description.clone(),
            routing_configuration: routing_items(machine, &alias.routing),
            creation_date: alias.creation_date,
            update_date: alias.update_date,
        })
    }

    pub(super) fn update_alias(
        &self,
        input: UpdateStateMachineAliasInput,
    ) -> Result<UpdateStateMachineAliasOutput, SfnError> {
        let arn = input.state_machine_alias_arn.as_str();
        let (base, name) = alias_arn(arn)?;
        if input.description.is_none() && input.routing_configuration.is_none() {
            return Err(SfnError::ValidationException(
                "give a new description, a new routing configuration, or both".to_string(),
            ));
        }
        check_description(input.description.as_deref(), "alias's description")?;
        let routing = input
            .routing_configuration
            .as_deref()
            .map(check_routing)
            .transpose()?;
        let now = self.shared.clock.now();
        let mut registry = self.shared.lock();
        let machine = registry
            .machines
            .get_mut(base)
            .ok_or_else(|| not_found(arn, "state machine alias"))?;
        refuse_deleting(machine)?;
        if !machine.versions.aliases.contains_key(name) {
            return Err(not_found(arn, "state machine alias"));
        }
        if let Some((routed, routing)) = &routing {
            if routed != base {
                return Err(SfnError::ValidationException(format!(
                    "the alias `{arn}` can route only to versions of `{base}`"
                )));
            }
            check_versions_exist(machine, routing)?;
        }
        if let Some(alias) = machine.versions.aliases.get_mut(name) {
            if let Some(description) = input.description {
                alias.description = Some(description);
            }
            if let Some((_, routing)) = routing {
                alias.routing = routing;
            }
            alias.update_date = Some(now);
        }
        Ok(UpdateStateMachineAliasOutput { update_date: now })
    }

    pub(super) fn delete_alias(
        &self,
        input: DeleteStateMachineAliasInput,
    ) -> Result<DeleteStateMachineAliasOutput, SfnError> {
        let arn = input.state_machine_alias_arn.as_str();
        let (base, name) = alias_arn(arn)?;
        // As AWS answers it: deleting an alias that does not exist succeeds.
        let mut registry = self.shared.lock();
        let _removed = registry
            .machines
            .get_mut(base)
            .and_then(|machine| machine.versions.aliases.shift_remove(name));
        Ok(DeleteStateMachineAliasOutput {})
    }

    pub(super) fn list_aliases(
        &self,
        input: ListStateMachineAliasesInput,
    ) -> Result<ListStateMachineAliasesOutput, SfnError> {
        let arn = input.state_machine_arn.as_str();
        check_arn(arn, ResourceKind::StateMachine)?;
        let (base, qualifier) = split(arn);
        let version = match qualifier {
            Qualifier::Machine => None,
            Qualifier::Version(number) => Some(number),
            Qualifier::Alias(_) => {
                return Err(SfnError::InvalidArn(format!(
                    "{} is an alias's ARN; list the aliases of a state machine or of a version",
                    quoted(arn, '`')
                )));
            }
        };
        let mut registry = self.shared.lock();
        let machine = machine_mut(&mut registry, base)?;
        if let Some(number) = version
            && !machine.versions.published.contains_key(&number)
        {
            return Err(not_found(arn, "state machine version"));
        }
        let (state_machine_aliases, next_token) = self.shared.pages.page(
            &Listing::aliases(arn),
            input.max_results,
            input.next_token.as_deref(),
            machine
                .versions
                .aliases
                .values()
                .map(|alias| (alias.sequence, alias)),
            |alias| {
                let routes = version
                    .is_none_or(|number| alias.routing.iter().any(|&(known, _)| known == number));
                routes.then(|| StateMachineAliasListItem {
                    state_machine_alias_arn: alias.arn.to_string(),
                    creation_date: alias.creation_date,
                })
            },
        )?;
        Ok(ListStateMachineAliasesOutput {
            state_machine_aliases,
            next_token,
        })
    }
}

#[cfg(test)]
#[path = "versions_tests.rs"]
mod tests;
