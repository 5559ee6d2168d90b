//! Every problem found in one macro input, reported together.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The problems found so far, each at the span of the token at fault.
#[derive(Default)]
pub struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    /// A problem at `span`.
    pub fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// A problem covering `tokens` (a whole type or expression).
    pub fn spanning(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// A problem syn already described.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// True when nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.combined.is_none()
    }

    /// The problems as `compile_error!` invocations (nothing if none), in
    /// the order of the tokens they are at.
    pub fn into_compile_errors(self) -> TokenStream {
        let Some(combined) = self.combined else {
            return TokenStream::new();
        };
        let mut errors: Vec<syn::Error> = combined.into_iter().collect();
        if proc_macro::is_available() {
            errors.sort_by_key(|error| {
                let span = error.span().unwrap();
                (span.line(), span.column())
            });
        }
        errors.iter().map(syn::Error::to_compile_error).collect()
    }
}
