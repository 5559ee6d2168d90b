//! Names, scopes and transitions: where every state can go, and whether
//! every state can be reached and every scope can end.

use rustc_hash::FxHashMap;

use crate::diagnostic::{Code, Diagnostics};
use crate::location::Location;
use crate::model::{Scope, State, StateMachine, States, Successor};
use crate::suggest::closest;

use super::MAX_STATE_NAME_LENGTH;

/// Every state name: the scope it is defined in and its position there.
type Owners<'m> = FxHashMap<&'m str, (usize, usize)>;

/// A scope (the machine, a Parallel branch, a Map processor) and where it is.
struct ScopeInfo<'m> {
    location: Location,
    start_at: &'m str,
    states: &'m States,
}

pub(super) fn check_machine(machine: &StateMachine, out: &mut Diagnostics) {
    let mut scopes = Vec::new();
    collect_scopes(machine, Location::root(), &mut scopes);

    // Where each name is defined (scope, position); names are unique
    // machine-wide, so the first definition is the one that counts.
    let total = scopes.iter().map(|scope| scope.states.len()).sum();
    let mut owner: Owners<'_> = FxHashMap::with_capacity_and_hasher(total, Default::default());
    for (index, scope) in scopes.iter().enumerate() {
        for (position, name) in scope.states.keys().enumerate() {
            check_name(name, scope, out);
            if let Some((first, _)) = owner.get(name.as_str()) {
                out.error(
                    Code::DuplicateStateName,
                    state_location(scope, name),
                    format!(
                        "a state named `{name}` is already defined at {}; state names must be unique across the whole machine, branches and processors included",
                        state_location(&scopes[*first], name)
                    ),
                );
            } else {
                owner.insert(name, (index, position));
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
    // A name of at most 80 bytes has at most 80 characters: count only longer ones.
    if !name.is_empty() && name.len() <= MAX_STATE_NAME_LENGTH {
        return;
    }
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
    owner: &Owners<'_>,
    out: &mut Diagnostics,
) -> Option<usize> {
    let scope = &scopes[scope_index];
    let guess = closest(target, scope.states.keys().map(String::as_str));
    match owner.get(target) {
        Some((other, _)) => out.error(
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
    owner: &Owners<'_>,
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
    // A name's position in this scope: one lookup in the machine-wide
    // table, and the scope's own map only for a name defined twice.
    let position_of = |name: &str| match owner.get(name) {
        Some((owner_scope, position)) if *owner_scope == index => Some(*position),
        Some(_) => states.get_index_of(name),
        None => None,
    };
    let mut start = position_of(scope.start_at);
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
    // The successors of state `i` are `edges[offsets[i]..offsets[i + 1]]`.
    let mut edges: Vec<usize> = Vec::with_capacity(states.len() * 2);
    let mut offsets: Vec<usize> = Vec::with_capacity(states.len() + 1);
    for (name, state) in states {
        offsets.push(edges.len());
        for (field, target) in state.successors() {
            match position_of(target) {
                Some(position) => edges.push(position),
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
                        Some(guess) => edges.push(guess),
                        None => unresolved = true,
                    }
                }
            }
        }
    }
    offsets.push(edges.len());

    let Some(start) = start else {
        return;
    };
    let mut reached = vec![false; states.len()];
    let mut stack = vec![start];
    reached[start] = true;
    while let Some(current) = stack.pop() {
        for &next in &edges[offsets[current]..offsets[current + 1]] {
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
