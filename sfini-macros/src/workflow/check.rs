//! Validation of the lowered definition by sfini-core, with each problem
//! reported once, at the token that caused it.
//!
//! Some problems show in the definition as many: a state that ends the
//! workflow before the states written after it leaves each of them
//! unreachable. They are reported as one, at what cuts the flow.

use proc_macro2::Span;
use sfini_core::{Code, Location, Severity, StateMachine};

use super::lower::Lowered;
use super::warning::{Warning, WarningKind};

/// The machine and its warnings, when sfini-core finds no error in it;
/// otherwise every error, each at its span.
pub fn check(
    lowered: &Lowered,
    mut errors: Vec<syn::Error>,
    fallback: Span,
) -> Result<(StateMachine, Vec<Warning>), Vec<syn::Error>> {
    let checked = sfini_core::validate::check_value(&lowered.definition);
    let in_broken = |location: &Location| {
        lowered
            .broken
            .iter()
            .any(|broken| location.starts_with(broken))
    };
    // A transition to a state that does not exist, or a state left out,
    // breaks the flow: where it can end or what it reaches follows from
    // that mistake, and is not reported as another.
    let flow_broken = lowered.flow_broken
        || checked
            .diagnostics
            .errors()
            .any(|diagnostic| diagnostic.code == Code::UnknownState);
    // For each cut, the unreachable states written after it.
    let mut cut_off: Vec<Vec<String>> = vec![Vec::new(); lowered.cut_after.len()];
    for diagnostic in checked.diagnostics.iter().filter(|diagnostic| {
        diagnostic.severity == Severity::Error || compile_error(diagnostic.code)
    }) {
        if in_broken(&diagnostic.location) {
            continue;
        }
        if flow_broken
            && matches!(
                diagnostic.code,
                Code::NoTerminalState | Code::UnreachableState
            )
        {
            continue;
        }
        if diagnostic.code == Code::UnreachableState
            && let Some(index) = lowered
                .cut_after
                .iter()
                .position(|cut| cut.following.contains(&diagnostic.location))
        {
            cut_off[index].push(state_name(&diagnostic.location));
            continue;
        }
        let message = match diagnostic.code {
            Code::DuplicateStateName => duplicate(lowered, &diagnostic.location)
                .unwrap_or_else(|| diagnostic.message.clone()),
            _ => diagnostic.message.clone(),
        };
        errors.push(lowered.spans.error(&diagnostic.location, fallback, message));
    }
    for (cut, names) in lowered.cut_after.iter().zip(&cut_off) {
        if names.is_empty() {
            continue;
        }
        let listed = match names.as_slice() {
            [one] => format!("the state `{one}`"),
            [first, rest @ ..] if rest.len() == 1 => {
                format!("the states `{first}` and `{}`", rest[0])
            }
            [first, second, rest @ ..] => {
                format!("the states `{first}`, `{second}` and {} more", rest.len())
            }
            [] => continue,
        };
        errors.push(syn::Error::new(
            cut.span,
            format!(
                "{}, so nothing leads to {listed} written after it: lead to them with a \
                 `next`, a choice rule or a catch, or remove them",
                cut.why
            ),
        ));
    }
    let warnings = checked
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            diagnostic.severity == Severity::Warning && !compile_error(diagnostic.code)
        })
        .filter_map(|diagnostic| {
            let kind = WarningKind::of_code(diagnostic.code)?;
            Some(Warning {
                kind,
                span: lowered.spans.find(&diagnostic.location).unwrap_or(fallback),
                message: diagnostic.message.clone(),
                state: state_of(&diagnostic.location),
            })
        })
        .chain(lowered.warnings.iter().map(|warning| Warning {
            kind: warning.kind,
            span: warning.span,
            message: warning.message.clone(),
            state: warning.state.clone(),
        }))
        .filter(|warning| !lowered.allowed.contains(&warning.kind))
        .filter(|warning| {
            !warning.state.as_ref().is_some_and(|state| {
                lowered
                    .allowed_on
                    .get(state)
                    .is_some_and(|allowed| allowed.contains(&warning.kind))
            })
        })
        .collect();
    match checked.machine {
        Some(machine) if errors.is_empty() => Ok((machine, warnings)),
        _ if errors.is_empty() => Err(vec![syn::Error::new(
            fallback,
            "the definition could not be read back; this is a bug in sfini",
        )]),
        _ => Err(errors),
    }
}

/// The problems sfini-core reports as warnings, since AWS accepts such a
/// definition, that are certain to fail the state that meets them: a
/// workflow made by `workflow!` does not compile with them.
fn compile_error(code: Code) -> bool {
    matches!(
        code,
        Code::UnassignedVariable | Code::InvalidFunctionCall | Code::InvalidExpression
    )
}

/// The name of the state a location names (`States.x` → `x`).
fn state_name(location: &Location) -> String {
    match location.segments().last() {
        Some(sfini_core::location::Segment::Field(name)) => name.clone(),
        _ => location.to_string(),
    }
}

/// The location of the state a location is in: the longest prefix that
/// ends in `States.<name>`.
fn state_of(location: &Location) -> Option<Location> {
    let segments = location.segments();
    let end = segments
        .windows(2)
        .rposition(|pair| {
            matches!(&pair[0], sfini_core::location::Segment::Field(field) if field == "States")
        })
        .map(|at| at + 2)?;
    Some(segments[..end].iter().cloned().collect())
}

/// A duplicate state name's message, pointing at where the name is first
/// used.
fn duplicate(lowered: &Lowered, location: &Location) -> Option<String> {
    let name = state_name(location);
    let (first_location, first_span) = lowered
        .state_spans
        .iter()
        .find(|(other_name, other, _)| *other_name == name && other != location)
        .map(|(_, other, span)| (other, *span))?;
    Some(format!(
        "a state named `{name}` is already defined {} (at `{first_location}`); state names \
         are unique across the whole workflow, branches and processors included",
        super::lower::where_written(first_span)
    ))
}
