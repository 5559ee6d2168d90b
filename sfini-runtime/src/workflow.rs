//! What a workflow is to the runtime: the type `workflow!` generates.

use sfini_core::StateMachine;
use sfini_core::graph::Graph;

use crate::activity::ActivityDefinition;

/// A state machine described with `workflow!`, known by its type.
///
/// The runtime registers and serves a workflow from its type alone: its
/// name, its definition and the activities its tasks run.
///
/// Activity tasks name their activity by an ARN that is unknown when the
/// workflow is compiled, so the definition holds it in the form AWS
/// CloudFormation's `DefinitionSubstitutions` fill in:
/// `arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:NAME`.
/// Registration replaces `${AWS::Region}` and `${AWS::AccountId}` with the
/// region and account of the engine it registers with (and the activity
/// name with its registered name, when a prefix is used).
pub trait Workflow: 'static {
    /// The state machine's name.
    const NAME: &'static str;
    /// The canonical Amazon States Language definition.
    const DEFINITION: &'static str;
    /// The activities the workflow's tasks run, once each.
    const ACTIVITIES: &'static [&'static ActivityDefinition];

    /// The definition as sfini-core's model, read once.
    fn state_machine() -> &'static StateMachine;

    /// The workflow's graph, to draw it as Mermaid, Graphviz or SVG.
    fn graph() -> Graph {
        Self::state_machine().graph()
    }
}

/// The start of an activity ARN written with placeholders; the activity's
/// name follows.
pub const ACTIVITY_ARN_PLACEHOLDER: &str =
    "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:";
/// The region placeholder.
pub const REGION_PLACEHOLDER: &str = "${AWS::Region}";
/// The account placeholder.
pub const ACCOUNT_PLACEHOLDER: &str = "${AWS::AccountId}";

/// `definition` with every `${AWS::Region}` and `${AWS::AccountId}`
/// replaced by `region` and `account`.
///
/// ```
/// use sfini_runtime::workflow::fill_region_and_account;
///
/// let filled = fill_region_and_account(
///     "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:add",
///     "eu-west-1",
///     "210987654321",
/// );
/// assert_eq!(filled, "arn:aws:states:eu-west-1:210987654321:activity:add");
/// ```
pub fn fill_region_and_account(definition: &str, region: &str, account: &str) -> String {
    if !definition.contains("${AWS::") {
        return definition.to_string();
    }
    definition
        .replace(REGION_PLACEHOLDER, region)
        .replace(ACCOUNT_PLACEHOLDER, account)
}
