//! The requests and answers of state machine versions and aliases:
//! `PublishStateMachineVersion`, `ListStateMachineVersions`,
//! `DeleteStateMachineVersion`, and `CreateStateMachineAlias`,
//! `DescribeStateMachineAlias`, `UpdateStateMachineAlias`,
//! `DeleteStateMachineAlias`, `ListStateMachineAliases`, member for member
//! as the Step Functions API reference defines them.
//!
//! A version is an immutable snapshot of a machine's definition and role,
//! named by the machine's ARN and its number (`...:stateMachine:NAME:1`);
//! an alias routes executions to one or two versions by weight
//! (`...:stateMachine:NAME:PROD`).

use time::OffsetDateTime;

/// The most versions a state machine keeps (AWS's quota).
pub const MAX_VERSIONS: usize = 1000;
/// The most aliases a state machine keeps (AWS's quota).
pub const MAX_ALIASES: usize = 100;
/// The longest description of a version or an alias, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 256;

/// `PublishStateMachineVersion`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishStateMachineVersionInput {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// Publish only if the machine's current revision is this one
    /// (`INITIAL` for a machine never updated).
    pub revision_id: Option<String>,
    /// The version's description (at most 256 characters).
    pub description: Option<String>,
}

/// The answer to `PublishStateMachineVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishStateMachineVersionOutput {
    /// When the version was published.
    pub creation_date: OffsetDateTime,
    /// The version's ARN.
    pub state_machine_version_arn: String,
}

/// `ListStateMachineVersions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListStateMachineVersionsInput {
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// The most versions on one page (0 for the default of 100).
    pub max_results: i32,
    /// The token of the previous page, to read the next.
    pub next_token: Option<String>,
}

/// One version in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMachineVersionListItem {
    /// The version's ARN.
    pub state_machine_version_arn: String,
    /// When it was published.
    pub creation_date: OffsetDateTime,
}

/// The answer to `ListStateMachineVersions`: newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStateMachineVersionsOutput {
    /// The versions on this page.
    pub state_machine_versions: Vec<StateMachineVersionListItem>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

/// `DeleteStateMachineVersion`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteStateMachineVersionInput {
    /// The version's ARN.
    pub state_machine_version_arn: String,
}

/// The answer to `DeleteStateMachineVersion` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteStateMachineVersionOutput {}

/// Where an alias sends a share of its executions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutingConfigurationListItem {
    /// The version's ARN.
    pub state_machine_version_arn: String,
    /// The percentage of executions it runs (0 to 100; the weights of an
    /// alias sum to 100).
    pub weight: i32,
}

/// `CreateStateMachineAlias`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateStateMachineAliasInput {
    /// The alias's name: 1 to 80 letters, digits, `-`, `_` and `.`, not
    /// digits only.
    pub name: String,
    /// Its description (at most 256 characters).
    pub description: Option<String>,
    /// One or two versions of the same machine, with weights summing to 100.
    pub routing_configuration: Vec<RoutingConfigurationListItem>,
}

/// The answer to `CreateStateMachineAlias`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateStateMachineAliasOutput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// When it was created.
    pub creation_date: OffsetDateTime,
}

/// `DescribeStateMachineAlias`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeStateMachineAliasInput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
}

/// The answer to `DescribeStateMachineAlias`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeStateMachineAliasOutput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Where it routes executions.
    pub routing_configuration: Vec<RoutingConfigurationListItem>,
    /// When it was created.
    pub creation_date: OffsetDateTime,
    /// When it was last updated, if it was.
    pub update_date: Option<OffsetDateTime>,
}

/// `UpdateStateMachineAlias`: a new description, routing, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateStateMachineAliasInput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// The new description.
    pub description: Option<String>,
    /// The new routing.
    pub routing_configuration: Option<Vec<RoutingConfigurationListItem>>,
}

/// The answer to `UpdateStateMachineAlias`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateStateMachineAliasOutput {
    /// When the alias was updated.
    pub update_date: OffsetDateTime,
}

/// `DeleteStateMachineAlias`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteStateMachineAliasInput {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
}

/// The answer to `DeleteStateMachineAlias` (nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteStateMachineAliasOutput {}

/// `ListStateMachineAliases`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListStateMachineAliasesInput {
    /// The machine's ARN, or a version's to list the aliases routing to it.
    pub state_machine_arn: String,
    /// The most aliases on one page (0 for the default of 100).
    pub max_results: i32,
    /// The token of the previous page, to read the next.
    pub next_token: Option<String>,
}

/// One alias in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMachineAliasListItem {
    /// The alias's ARN.
    pub state_machine_alias_arn: String,
    /// When it was created.
    pub creation_date: OffsetDateTime,
}

/// The answer to `ListStateMachineAliases`: oldest first, as AWS answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStateMachineAliasesOutput {
    /// The aliases on this page.
    pub state_machine_aliases: Vec<StateMachineAliasListItem>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}
