//! Validation of the lowered definition by sfini-core, with each problem
//! reported at the token that caused it.

use proc_macro2::Span;
use sfini_core::StateMachine;

use super::lower::Lowered;

/// The machine, when sfini-core finds no error in it; otherwise every
/// error, each at its span. Warnings are not reported: a macro cannot emit
/// them on stable Rust.
pub fn check(
    lowered: &Lowered,
    mut errors: Vec<syn::Error>,
    fallback: Span,
) -> Result<StateMachine, Vec<syn::Error>> {
    let checked = sfini_core::validate::check_value(&lowered.definition);
    errors.extend(
        checked
            .diagnostics
            .errors()
            .filter(|diagnostic| {
                !lowered
                    .broken
                    .iter()
                    .any(|broken| diagnostic.location.starts_with(broken))
            })
            .map(|diagnostic| {
                let span = lowered.spans.find(&diagnostic.location).unwrap_or(fallback);
                syn::Error::new(span, &diagnostic.message)
            }),
    );
    match checked.machine {
        Some(machine) if errors.is_empty() => Ok(machine),
        _ if errors.is_empty() => Err(vec![syn::Error::new(
            fallback,
            "the definition could not be read back; this is a bug in sfini",
        )]),
        _ => Err(errors),
    }
}
