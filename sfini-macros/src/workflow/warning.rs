//! Warnings of `workflow!`, shown on stable Rust as deprecation warnings at
//! the token at fault, each kind silenced by `allow` on the workflow
//! (`#[workflow(allow = [choice_without_default])]`) or on a state
//! (`allow: [unraised_error]`).

use proc_macro_warning::FormattedWarning;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use sfini_core::Location;

/// What a warning is about; its name is what `allow` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarningKind {
    /// A Choice state without a default.
    ChoiceWithoutDefault,
    /// An error name in the `States.` namespace the language does not
    /// define.
    ReservedErrorName,
    /// A field only a Distributed Map honours, on an inline Map.
    DistributedOnly,
    /// A string that reads like a path or an intrinsic function in a field
    /// whose key lacks `.$`: it is passed on as text.
    PathLikeText,
    /// An ordering comparison with a string that reads like a number: it
    /// compares text, not numbers.
    NumericText,
    /// A `catch` or `retry` on a Parallel or Map state for an error that
    /// none of its activities raises.
    UnraisedError,
    /// A Parallel branch or Map iteration assigning a variable that the
    /// scope around it assigns: the new value stays inside.
    ShadowedVariable,
}

impl WarningKind {
    /// Every kind.
    pub const ALL: [WarningKind; 7] = [
        WarningKind::ChoiceWithoutDefault,
        WarningKind::ReservedErrorName,
        WarningKind::DistributedOnly,
        WarningKind::PathLikeText,
        WarningKind::NumericText,
        WarningKind::UnraisedError,
        WarningKind::ShadowedVariable,
    ];

    /// The name `allow` takes.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::ChoiceWithoutDefault => "choice_without_default",
            WarningKind::ReservedErrorName => "reserved_error_name",
            WarningKind::DistributedOnly => "distributed_only",
            WarningKind::PathLikeText => "path_like_text",
            WarningKind::NumericText => "numeric_text",
            WarningKind::UnraisedError => "unraised_error",
            WarningKind::ShadowedVariable => "shadowed_variable",
        }
    }

    /// The kind of a name, if it names one.
    pub fn from_name(name: &str) -> Option<WarningKind> {
        WarningKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }

    /// The kind of a validator's warning.
    pub fn of_code(code: sfini_core::Code) -> Option<WarningKind> {
        match code {
            sfini_core::Code::ChoiceWithoutDefault => Some(WarningKind::ChoiceWithoutDefault),
            sfini_core::Code::ReservedErrorName => Some(WarningKind::ReservedErrorName),
            sfini_core::Code::DistributedOnly => Some(WarningKind::DistributedOnly),
            sfini_core::Code::InvalidVariable => Some(WarningKind::ShadowedVariable),
            _ => None,
        }
    }
}

/// One warning.
pub struct Warning {
    pub kind: WarningKind,
    pub span: Span,
    pub message: String,
    /// The state it is about, whose `allow` may silence it.
    pub state: Option<Location>,
}

/// The warnings as code that makes the compiler show them.
pub fn emit(warnings: &[&Warning]) -> TokenStream {
    let shown = warnings.iter().enumerate().map(|(index, warning)| {
        let name = format!("{}_{index}", warning.kind.name());
        let note = format!(
            "{} (silence it with `allow: [{}]` on the state, or `#[workflow(allow = [{}])]`)",
            warning.message,
            warning.kind.name(),
            warning.kind.name()
        );
        FormattedWarning::new_deprecated(name.as_str(), note, warning.span)
    });
    if warnings.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const _: () = {
            #(#shown)*
        };
    }
}
