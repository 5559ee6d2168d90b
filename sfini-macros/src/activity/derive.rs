//! `#[derive(ActivityError)]`: an enum's variants, or a struct, named as
//! Amazon States Language errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput};

/// The `ActivityError` implementation for `input`.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let (names, error_name) = match &input.data {
        Data::Enum(data) => {
            let names: Vec<String> = data
                .variants
                .iter()
                .map(|variant| unraw(&variant.ident))
                .collect();
            let arms: Vec<TokenStream> = data
                .variants
                .iter()
                .zip(&names)
                .map(|(variant, name)| {
                    let variant = &variant.ident;
                    quote!(Self::#variant { .. } => #name,)
                })
                .collect();
            (names, quote!(match self { #(#arms)* }))
        }
        Data::Struct(_) => {
            let name = unraw(ident);
            let body = quote!(#name);
            (vec![name], body)
        }
        Data::Union(data) => {
            return Err(syn::Error::new(
                data.union_token.span,
                "`ActivityError` names the errors of an enum (one per variant) or of a struct; a union has no way to tell its errors apart",
            ));
        }
    };
    Ok(quote! {
        impl #impl_generics ::sfini::__private::ActivityError for #ident #type_generics #where_clause {
            const NAMES: &'static [&'static str] = &[#(#names),*];

            fn error_name(&self) -> &'static str {
                #error_name
            }
        }
    })
}

/// An identifier's name without `r#`.
fn unraw(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_string).unwrap_or(name)
}
