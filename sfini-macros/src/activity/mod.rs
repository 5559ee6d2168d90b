//! `#[activity]` and `#[derive(ActivityError)]`.
//!
//! `#[activity]` goes through four steps: the options and the function are
//! read into a small model ([`options`], [`signature`], [`model`]),
//! checked as a whole ([`validate`]), and expanded ([`expand`], with the
//! metadata of [`meta`]). Every problem is collected and reported at once,
//! each at the span of the token at fault.

mod derive;
mod errors;
mod expand;
mod export;
mod meta;
mod model;
mod options;
mod signature;
#[cfg(test)]
mod tests;
mod type_text;
mod validate;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{DeriveInput, Item};

use errors::Errors;

/// Expands `#[activity(args)] item`.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = options::parse(args, &mut errors);
    let function = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(function)) => function,
        Ok(other) => {
            errors.at(
                item_keyword_span(&other),
                format!(
                    "`#[activity]` goes on a function (`async fn` or `fn`), not on {}",
                    item_kind(&other)
                ),
            );
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
        Err(error) => {
            errors.push(error);
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
    };
    let activity = signature::read(function, options, &mut errors);
    validate::validate(&activity, &mut errors);
    if errors.is_empty() {
        expand::expand(&activity)
    } else {
        // The function is kept, without sfini's attributes, so that its
        // callers do not report errors of their own.
        let errors = errors.into_compile_errors();
        let function = activity.function.into_token_stream();
        quote!(#errors #function)
    }
}

/// Expands `#[derive(ActivityError)]`.
pub fn derive_error(item: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(item).and_then(derive::derive) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

/// Expands `activity_error_names!(..)`.
pub fn error_names(input: TokenStream) -> TokenStream {
    derive::names(input).unwrap_or_else(|error| error.to_compile_error())
}

/// The span of the first token of `tokens`, so that an error points at
/// one place rather than a whole type.
fn span_of(tokens: impl ToTokens) -> Span {
    tokens
        .into_token_stream()
        .into_iter()
        .next()
        .map(|token| token.span())
        .unwrap_or_else(Span::call_site)
}

/// The keyword that says what an item is (`struct`, `impl`, ...).
fn item_keyword_span(item: &Item) -> Span {
    match item {
        Item::Const(item) => item.const_token.span,
        Item::Enum(item) => item.enum_token.span,
        Item::ExternCrate(item) => item.extern_token.span,
        Item::ForeignMod(item) => item.abi.extern_token.span,
        Item::Impl(item) => item.impl_token.span,
        Item::Macro(item) => item.mac.path.span(),
        Item::Mod(item) => item.mod_token.span,
        Item::Static(item) => item.static_token.span,
        Item::Struct(item) => item.struct_token.span,
        Item::Trait(item) => item.trait_token.span,
        Item::TraitAlias(item) => item.trait_token.span,
        Item::Type(item) => item.type_token.span,
        Item::Union(item) => item.union_token.span,
        Item::Use(item) => item.use_token.span,
        other => span_of(other),
    }
}

fn item_kind(item: &Item) -> &'static str {
    match item {
        Item::Const(_) => "a constant",
        Item::Enum(_) => "an enum",
        Item::ExternCrate(_) => "an `extern crate`",
        Item::ForeignMod(_) => "an `extern` block",
        Item::Impl(_) => "an `impl` block (put it on a free function instead)",
        Item::Macro(_) => "a macro invocation",
        Item::Mod(_) => "a module",
        Item::Static(_) => "a static",
        Item::Struct(_) => "a struct",
        Item::Trait(_) => "a trait",
        Item::TraitAlias(_) => "a trait alias",
        Item::Type(_) => "a type alias",
        Item::Union(_) => "a union",
        Item::Use(_) => "a `use` declaration",
        _ => "this item",
    }
}
