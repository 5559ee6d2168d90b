//! Names, scopes and transitions: where every state can go, and whether
//! every state can be reached and every scope can end.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostics};
use crate::location::Location;
use crate::model::{Scope, State, StateMachine, States, Successor};
use crate::suggest::closest;

use super::MAX_STATE_NAME_LENGTH;

/// A scope (the machine, a Parallel branch, a Map processor) and where it is.
struct ScopeInfo<'m> {
    location: Location,
    start_at: &'m str,
    states: &'m States,
}

pub(super) fn check_machine(machine: &StateMachine, out: &mut Diagnostics) {
    let mut scopes = Vec::new();
    collect_scopes(machine, Location::root(), &mut scopes);

    // Which scope each name is defined in; names are unique machine-wide.
    let mut owner: HashMap<&str, usize> = HashMap::with_capacity(machine.states.len());
    for (index, scope) in scopes.iter().enumerate() {
        for name in scope.states.keys() {
            check_name(name, scope, out);
            if let Some(first) = owner.get(name.as_str()) {
                out.error(
                    Code::DuplicateStateName,
                    state_location(scope, name),
                    format!(
                        "a state named `{name}` is already defined at {}; state names must be unique across the whole machine, branches and processors included",
                        state_location(&scopes[*first], name)
                    ),
                );
            } else {
                owner.insert(name, index);
            }
        }
    }
    for (index, scope) in scopes.iter().enumerate() {
        check_scope(index, scope, &scopes, &owner, out);
    }
}

fn collect_scopes<'m>(scope: &'m dyn Scope, location: Location, out: &mut Vec<ScopeInfo<'m>>) {
    out.push(ScopeInfo {
        location: location.clone(),
        start_at: scope.start_at(),
        states: scope.states(),
    });
    for (name, state) in scope.states() {
        match state {
            State::Parallel(parallel) => {
                let branches = location
                    .field("States")
                    .field(name.as_str())
                    .field("Branches");
                for (index, branch) in parallel.branches.iter().enumerate() {
                    collect_scopes(branch, branches.index(index), out);
                }
            }
            State::Map(map) => {
                let processor = location
                    .field("States")
                    .field(name.as_str())
                    .field("ItemProcessor");
                collect_scopes(&map.item_processor, processor, out);
            }
            _ => {}
        }
    }
}

fn state_location(scope: &ScopeInfo<'_>, name: &str) -> Location {
    scope.location.field("States").field(name)
}

fn check_name(name: &str, scope: &ScopeInfo<'_>, out: &mut Diagnostics) {
    let length = name.chars().count();
    if length == 0 {
        out.error(
            Code::InvalidStateName,
            state_location(scope, name),
            "a state name cannot be empty",
        );
    } else if length > MAX_STATE_NAME_LENGTH {
        out.error(
            Code::InvalidStateName,
            state_location(scope, name),
            format!(
                "the state name `{name}` has {length} characters; the most allowed is {MAX_STATE_NAME_LENGTH}"
            ),
        );
    }
}

/// Says why `target` is not a state of `scope`, at `location`. Returns the
/// state the target was probably meant to be, if one is close.
fn report_missing<'s>(
    target: &str,
    location: Location,
    scope_index: usize,
    scopes: &[ScopeInfo<'s>],
    owner: &HashMap<&str, usize>,
    out: &mut Diagnostics,
) -> Option<usize> {
    let scope = &scopes[scope_index];
    let guess = closest(target, scope.states.keys().map(String::as_str));
    match owner.get(target) {
        Some(other) => out.error(
            Code::CrossScopeTransition,
            location,
            format!(
                "`{target}` is defined at {}, outside this {}; a transition stays within its {}",
                state_location(&scopes[*other], target),
                scope_kind(scope),
                scope_kind(scope),
            ),
        ),
        None => out.error(
            Code::UnknownState,
            location,
            format!(
                "no state named `{target}`{}",
                guess
                    .map(|name| format!("; did you mean `{name}`?"))
                    .unwrap_or_default()
            ),
        ),
    }
    guess.and_then(|name| scope.states.get_index_of(name))
}

fn scope_kind(scope: &ScopeInfo<'_>) -> &'static str {
    match scope.location.segments().last() {
        None => "state machine",
        Some(crate::location::Segment::Index(_)) => "Parallel branch",
        Some(_) => "Map processor",
    }
}

fn check_scope(
    index: usize,
    scope: &ScopeInfo<'_>,
    scopes: &[ScopeInfo<'_>],
    owner: &HashMap<&str, usize>,
    out: &mut Diagnostics,
) {
    let states = scope.states;
    if states.is_empty() {
        out.error(
            Code::MissingField,
            scope.location.field("States"),
            format!("a {} needs at least one state", scope_kind(scope)),
        );
    }
    let mut start = states.get_index_of(scope.start_at);
    if start.is_none() && !states.is_empty() {
        start = report_missing(
            scope.start_at,
            scope.location.field("StartAt"),
            index,
            scopes,
            owner,
            out,
        );
    }

    // Successors as indexes into `states`, checking every named target. A
    // misspelled target counts as the state it was likely meant to be, so
    // that one typo is reported once; a target that cannot be guessed
    // leaves the scope's ending unknown.
    let mut unresolved = false;
    let mut successors: Vec<Vec<usize>> = Vec::with_capacity(states.len());
    for (name, state) in states {
        let mut targets = Vec::new();
        for (field, target) in state.successors() {
            match states.get_index_of(target) {
                Some(position) => targets.push(position),
                None => {
                    let at = state_location(scope, name);
                    let location = match field {
                        Successor::Next => at.field("Next"),
                        Successor::Default => at.field("Default"),
                        Successor::ChoiceRule(rule) => {
                            at.field("Choices").index(rule).field("Next")
                        }
                        Successor::Catcher(catcher) => {
                            at.field("Catch").index(catcher).field("Next")
                        }
                    };
                    match report_missing(target, location, index, scopes, owner, out) {
                        Some(guess) => targets.push(guess),
                        None => unresolved = true,
                    }
                }
            }
        }
        successors.push(targets);
    }

    let Some(start) = start else {
        return;
    };
    let mut reached = vec![false; states.len()];
    let mut stack = vec![start];
    reached[start] = true;
    while let Some(current) = stack.pop() {
        for &next in &successors[current] {
            if !reached[next] {
                reached[next] = true;
                stack.push(next);
            }
        }
    }
    for (position, (name, _)) in states.iter().enumerate() {
        if !reached[position] {
            out.error(
                Code::UnreachableState,
                state_location(scope, name),
                format!(
                    "no transition leads to `{name}`: it cannot be reached from StartAt `{}`",
                    scope.start_at
                ),
            );
        }
    }
    let can_end = states
        .values()
        .enumerate()
        .any(|(position, state)| reached[position] && state.is_terminal());
    if !can_end && !unresolved {
        out.error(
            Code::NoTerminalState,
            scope.location.field("States"),
            format!(
                "this {} can never end: no state reachable from `{}` is a Succeed or Fail state or has `\"End\": true`",
                scope_kind(scope),
                scope.start_at
            ),
        );
    }
}
