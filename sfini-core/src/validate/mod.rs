//! The rules AWS Step Functions applies to a definition, checked all at once.
//!
//! [`StateMachine::validate`] walks the whole machine and reports every
//! problem with its location: transitions that land nowhere or cross into
//! another scope, duplicate and overlong names, unreachable states, scopes
//! that cannot end, misplaced `States.ALL`, numbers out of range, paths,
//! payload templates and intrinsic calls that do not parse, malformed
//! timestamps, fields of the other query language, JSONata expressions that
//! do not parse or read what Step Functions does not give them there, and
//! variable names. Warnings (a Choice without Default, say) come apart from
//! errors: [`Diagnostics::is_valid`] ignores them. Among the warnings are
//! the problems AWS accepts in a definition and that fail a state only
//! when it runs:
//!
//! - a JSONata call of a function that neither JSONata nor Step Functions
//!   has and the expression does not define, or with a number of arguments
//!   the function's signature does not take (`invalid-function-call`, with
//!   the character where the call starts);
//! - a workflow variable read where no state may have assigned it yet
//!   (`unassigned-variable`): no state assigns it (with the closest name
//!   that is assigned), some path from the start of its scope reaches the
//!   read before any state assigns it (the shortest such path is shown),
//!   only states inside a Parallel or Map state assign it (their
//!   assignments stay in their branches and iterations), or only states
//!   around a Distributed Map whose items read it (they start with no
//!   variables). The data flow follows the graph of each scope: a state
//!   reads the variables as they were when it was entered, its `Assign` (a
//!   Choice rule's, `Default`'s, a catcher's) takes effect on the
//!   transition, loops included;
//! - a Parallel branch or Map iteration assigning a name the scope around
//!   it assigns too (`invalid-variable`): the new value stays inside it.
//!
//! [`check_json`] reads and validates JSON text in one pass, reporting the
//! structural problems of reading together with the rules broken by what
//! could be read.
//!
//! A definition is checked in one of two [forms](DefinitionForm): as a
//! template (a file, or what `workflow!` writes), whose Resource may hold
//! `${Name}` placeholders that a deployment tool fills, or as deployed (sent
//! to Step Functions' CreateStateMachine or UpdateStateMachine, as the local
//! engine takes it), where every Resource must be an ARN with no
//! placeholder left. Both check a Lambda function ARN as Lambda defines it:
//! a name, then at most one version or alias, never empty.
//!
//! ```
//! use sfini_core::validate::check_json;
//!
//! let checked = check_json(r#"{
//!   "StartAt": "increment",
//!   "States": {
//!     "increment": {"Type": "Pass", "Next": "check_counter"},
//!     "check_counter": {
//!       "Type": "Choice",
//!       "Choices": [{"Variable": "$.counter", "NumericLessThan": 10, "Next": "incremnt"}],
//!       "Default": "done"
//!     },
//!     "done": {"Type": "Succeed"}
//!   }
//! }"#);
//! assert_eq!(
//!     checked.diagnostics.to_string(),
//!     "error[unknown-state] States.check_counter.Choices[0].Next: no state named `incremnt`; did you mean `increment`?"
//! );
//! ```

mod choice;
mod error_handling;
mod graph;
mod jsonata;
mod literal_text;
mod state;
#[cfg(test)]
mod tests;
mod variable_flow;
#[cfg(test)]
mod variable_flow_tests;

use crate::diagnostic::Diagnostics;
use crate::json::{parse_text, read_machine};
use crate::model::StateMachine;

pub(crate) use crate::location_trail::Here;

/// The longest a state name may be, in characters.
pub const MAX_STATE_NAME_LENGTH: usize = 80;
/// The largest number of seconds a timeout, interval or wait may be.
pub const MAX_SECONDS: u64 = 99_999_999;

/// What a definition is checked as: where `${...}` placeholders may stand
/// in its Resource ARNs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DefinitionForm {
    /// A template, as written in a file or by `workflow!`: a Resource may
    /// be a whole `${Name}` placeholder, or an ARN holding some (such as
    /// `${AWS::Region}`), which a deployment tool (CloudFormation's
    /// `DefinitionSubstitutions`, sfini's registration) fills.
    #[default]
    Template,
    /// As sent to Step Functions, which checks each Resource as an ARN: a
    /// `${...}` left in one is an error (AWS answers `InvalidDefinition`,
    /// `Value is not a valid resource ARN`). Elsewhere (a Parameters value,
    /// a Comment) `${...}` is text like any other, in both forms.
    Deployed,
}

impl StateMachine {
    /// Checks the machine, as a [template](DefinitionForm::Template),
    /// against every rule of the language; returns all problems found,
    /// errors and warnings.
    pub fn validate(&self) -> Diagnostics {
        self.validate_as(DefinitionForm::Template)
    }

    /// Checks the machine in the given form against every rule of the
    /// language; returns all problems found, errors and warnings.
    pub fn validate_as(&self, form: DefinitionForm) -> Diagnostics {
        let mut out = Diagnostics::new();
        graph::check_machine(self, &mut out);
        let mut expressions = state::check_states(self, form, &mut out);
        variable_flow::check(self, &mut expressions, &mut out);
        out
    }
}

/// What [`check_json`] found.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The machine, when the text could be read without error.
    pub machine: Option<StateMachine>,
    /// Every problem: structural ones first, then broken rules.
    pub diagnostics: Diagnostics,
}

/// Reads and validates a JSON definition as a
/// [template](DefinitionForm::Template), reporting every problem at once.
pub fn check_json(text: &str) -> Checked {
    check_json_as(text, DefinitionForm::Template)
}

/// Reads and validates a JSON definition in the given form, reporting every
/// problem at once.
pub fn check_json_as(text: &str, form: DefinitionForm) -> Checked {
    match parse_text(text) {
        Ok(value) => check_value_as(&value, form),
        Err(diagnostics) => Checked {
            machine: None,
            diagnostics,
        },
    }
}

/// Reads and validates a definition given as a JSON value, as a
/// [template](DefinitionForm::Template).
///
/// Where reading met a problem, it went on with a best guess; a rule that
/// the guess breaks at the same place is not reported again.
pub fn check_value(value: &serde_json::Value) -> Checked {
    check_value_as(value, DefinitionForm::Template)
}

/// Reads and validates a definition given as a JSON value, in the given
/// form (see [`check_value`]).
pub fn check_value_as(value: &serde_json::Value, form: DefinitionForm) -> Checked {
    let read = read_machine(value);
    let readable = read.diagnostics.is_valid();
    let mut diagnostics = read.diagnostics;
    let already_reported: Vec<_> = diagnostics.iter().map(|d| d.location.clone()).collect();
    for diagnostic in read.machine.validate_as(form) {
        if !already_reported
            .iter()
            .any(|location| diagnostic.location.starts_with(location))
        {
            diagnostics.push(diagnostic);
        }
    }
    Checked {
        machine: readable.then_some(read.machine),
        diagnostics,
    }
}
