//! Procedural macros of [sfini](https://docs.rs/sfini): `#[activity]`,
//! `#[derive(ActivityError)]` and `workflow!`.
//!
//! Use them through the `sfini` crate, which re-exports them and the items
//! their expansions refer to. Each macro parses its input into a small syntax
//! tree, lowers it into the sfini-core model, validates it, and reports every
//! problem at once at the span of the token at fault.

extern crate proc_macro;

mod activity;
mod workflow;

use proc_macro::TokenStream;

/// Turns a function into a Step Functions activity. See `sfini::activity`.
#[proc_macro_attribute]
pub fn activity(args: TokenStream, item: TokenStream) -> TokenStream {
    activity::expand(args.into(), item.into()).into()
}

/// Gives an error type its Amazon States Language error names. See
/// `sfini::ActivityError`.
#[proc_macro_derive(ActivityError, attributes(activity_error))]
pub fn derive_activity_error(item: TokenStream) -> TokenStream {
    activity::derive_error(item.into()).into()
}

/// Declares the error names of a type that implements `ActivityError` by
/// hand, for `workflow!`. See `sfini::activity_error_names`.
#[proc_macro]
pub fn activity_error_names(input: TokenStream) -> TokenStream {
    activity::error_names(input.into()).into()
}

/// Describes a state machine, checked at compile time. The guide to its
/// grammar is the documentation of `sfini::workflow`.
#[proc_macro]
pub fn workflow(input: TokenStream) -> TokenStream {
    workflow::expand(input.into()).into()
}
