//! `#[derive(ActivityError)]`: an enum's variants, or a struct, named as
//! Amazon States Language errors, and the metadata macro through which
//! `#[activity]` and `workflow!` learn those names (see [`export`]).
//!
//! A variant's name is the variant's identifier, or what
//! `#[activity_error(name = "Payment.Declined")]` says; an enum's
//! `#[activity_error(prefix = "Payment.")]` goes before each name that no
//! attribute sets, so that the errors of enums from different crates keep
//! apart.
//!
//! [`export`]: super::export

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, Data, DeriveInput, Ident, LitStr};

use super::errors::Errors;
use super::export::{errors_json, site_tag};

/// The longest error name Step Functions takes (`SendTaskFailure`'s
/// `error`).
const MAX_ERROR_NAME: usize = 256;

/// The `ActivityError` implementation for `input`, and its metadata macro.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let mut errors = Errors::default();
    let own = options(&input.attrs, &mut errors);
    let (entries, error_name) = match &input.data {
        Data::Enum(data) => {
            if own.name.is_some() {
                errors.at(
                    own.name_span,
                    "`name` goes on each variant of an enum; on the enum, `prefix` puts \
                     text before every variant's name",
                );
            }
            let mut entries: Vec<(Option<String>, String, Span)> = Vec::new();
            for variant in &data.variants {
                let variant_options = options(&variant.attrs, &mut errors);
                if variant_options.prefix.is_some() {
                    errors.at(
                        variant_options.prefix_span,
                        "`prefix` goes on the enum; a variant takes `name`",
                    );
                }
                let (name, span) = match variant_options.name {
                    Some(name) => (name, variant_options.name_span),
                    None => (
                        format!(
                            "{}{}",
                            own.prefix.as_deref().unwrap_or(""),
                            unraw(&variant.ident)
                        ),
                        variant.ident.span(),
                    ),
                };
                entries.push((Some(unraw(&variant.ident)), name, span));
            }
            let arms: Vec<TokenStream> = data
                .variants
                .iter()
                .zip(&entries)
                .map(|(variant, (_, name, _))| {
                    let variant = &variant.ident;
                    quote!(Self::#variant { .. } => #name,)
                })
                .collect();
            (entries, quote!(match self { #(#arms)* }))
        }
        Data::Struct(_) => {
            if own.prefix.is_some() {
                errors.at(
                    own.prefix_span,
                    "`prefix` goes on an enum; a struct's whole name is set with `name`",
                );
            }
            let (name, span) = match own.name {
                Some(name) => (name, own.name_span),
                None => (unraw(ident), ident.span()),
            };
            let body = quote!(#name);
            (vec![(None, name, span)], body)
        }
        Data::Union(data) => {
            return Err(syn::Error::new(
                data.union_token.span,
                "`ActivityError` names the errors of an enum (one per variant) or of a struct; a union has no way to tell its errors apart",
            ));
        }
    };
    for (index, (_, name, span)) in entries.iter().enumerate() {
        if let Some(problem) = name_problem(name) {
            errors.at(*span, problem);
        }
        if let Some((_, _, first)) = entries[..index]
            .iter()
            .find(|(_, earlier, _)| earlier == name)
        {
            let _ = first;
            errors.at(
                *span,
                format!(
                    "two errors of `{ident}` are named `{name}`: Retry and Catch could not tell \
                     them apart; give one of them another name with \
                     `#[activity_error(name = \"...\")]`"
                ),
            );
        }
    }
    if !errors.is_empty() {
        return Ok(errors.into_compile_errors());
    }
    let names: Vec<&String> = entries.iter().map(|(_, name, _)| name).collect();
    let metadata = metadata_macro(
        &input.ident,
        &input.vis,
        &entries
            .iter()
            .map(|(variant, name, _)| (variant.clone(), name.clone()))
            .collect::<Vec<_>>(),
    );
    Ok(quote! {
        impl #impl_generics ::sfini::__private::ActivityError for #ident #type_generics #where_clause {
            const NAMES: &'static [&'static str] = &[#(#names),*];

            fn error_name(&self) -> &'static str {
                #error_name
            }
        }

        #metadata
    })
}

/// The options of `#[activity_error(...)]` on one item.
struct Options {
    name: Option<String>,
    name_span: Span,
    prefix: Option<String>,
    prefix_span: Span,
}

fn options(attributes: &[Attribute], errors: &mut Errors) -> Options {
    let mut options = Options {
        name: None,
        name_span: Span::call_site(),
        prefix: None,
        prefix_span: Span::call_site(),
    };
    for attribute in attributes {
        if !attribute.path().is_ident("activity_error") {
            continue;
        }
        let parsed = attribute.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "name" => {
                    let value: LitStr = meta.value()?.parse()?;
                    options.name = Some(value.value());
                    options.name_span = value.span();
                    Ok(())
                }
                "prefix" => {
                    let value: LitStr = meta.value()?.parse()?;
                    options.prefix = Some(value.value());
                    options.prefix_span = value.span();
                    Ok(())
                }
                other => {
                    let hint = sfini_core::suggest::did_you_mean(other, ["name", "prefix"]);
                    Err(meta.error(format!(
                        "`#[activity_error]` has no option `{other}`{hint} (it takes `name = \"...\"` on a variant or a struct, `prefix = \"...\"` on an enum)"
                    )))
                }
            }
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
    options
}

/// What is wrong with an error name, if anything.
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("an error name cannot be empty".to_string());
    }
    if name.starts_with("States.") {
        return Some(format!(
            "`{name}` starts with `States.`, which the language keeps for its own errors; choose another name"
        ));
    }
    if name.chars().count() > MAX_ERROR_NAME {
        return Some(format!(
            "the error name has {} characters; Step Functions takes at most {MAX_ERROR_NAME}",
            name.chars().count()
        ));
    }
    None
}

/// The type's metadata macro, exported, and its import beside the type:
/// called by `workflow!` for the names of its errors (`[callback] { .. }`),
/// and by `#[activity]` to define an activity's metadata macro with those
/// names in it (`@sfini_activity ..`).
pub fn metadata_macro(
    ident: &Ident,
    vis: &syn::Visibility,
    entries: &[(Option<String>, String)],
) -> TokenStream {
    let type_name = unraw(ident);
    let tag = site_tag(ident.span(), &type_name);
    let exported = format_ident!("__sfini_errors_{}_{}", type_name, tag);
    let errors = LitStr::new(
        &errors_json(Some(&type_name), Some(entries)),
        Span::call_site(),
    );
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #exported {
            (@sfini_activity ($d:tt) [$($export:tt)*] $exported:ident $alias:ident ($($vis:tt)*) $metadata:literal) => {
                #[doc(hidden)]
                $($export)*
                macro_rules! $exported {
                    ([$d($d callback:tt)*] { $d($d input:tt)* }) => {
                        $d($d callback)*! { @activity $metadata @errors #errors $d($d input)* }
                    };
                }
                #[doc(hidden)]
                #[allow(unused_imports)]
                $($vis)* use $exported as $alias;
            };
            ([$($callback:tt)*] { $($input:tt)* }) => {
                $($callback)*! { @error_type #errors $($input)* }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        #vis use #exported as #ident;
    }
}

/// `activity_error_names!(pub Type { Variant = "Name", .. })`, or
/// `activity_error_names!(pub Type = "Name")` for a struct: the metadata
/// macro of an error type that implements `ActivityError` by hand, so that
/// `workflow!` knows its names as it knows a derived type's.
pub fn names(input: TokenStream) -> syn::Result<TokenStream> {
    use syn::parse::Parser;
    type Entries = Vec<(Option<String>, String, Span)>;
    let parser =
        |stream: syn::parse::ParseStream| -> syn::Result<(syn::Visibility, Ident, Entries)> {
            let vis: syn::Visibility = stream.parse()?;
            let ident: Ident = stream.parse()?;
            let mut entries = Vec::new();
            if stream.peek(syn::Token![=]) {
                stream.parse::<syn::Token![=]>()?;
                let name: LitStr = stream.parse()?;
                entries.push((None, name.value(), name.span()));
            } else {
                let content;
                syn::braced!(content in stream);
                while !content.is_empty() {
                    let variant: Ident = content.parse()?;
                    content.parse::<syn::Token![=]>()?;
                    let name: LitStr = content.parse()?;
                    entries.push((Some(unraw(&variant)), name.value(), name.span()));
                    if !content.is_empty() {
                        content.parse::<syn::Token![,]>()?;
                    }
                }
            }
            if !stream.is_empty() {
                return Err(stream.error("expected the end: one error type a time, as in `pub MyError { Variant = \"Name\" }`"));
            }
            Ok((vis, ident, entries))
        };
    let (vis, ident, entries) = parser.parse2(input)?;
    let mut errors = Errors::default();
    for (index, (_, name, span)) in entries.iter().enumerate() {
        if let Some(problem) = name_problem(name) {
            errors.at(*span, problem);
        }
        if entries[..index]
            .iter()
            .any(|(_, earlier, _)| earlier == name)
        {
            errors.at(*span, format!("`{name}` is given twice"));
        }
    }
    if !errors.is_empty() {
        return Ok(errors.into_compile_errors());
    }
    let entries: Vec<(Option<String>, String)> = entries
        .into_iter()
        .map(|(variant, name, _)| (variant, name))
        .collect();
    Ok(metadata_macro(&ident, &vis, &entries))
}

/// An identifier's name without `r#`.
fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_string).unwrap_or(name)
}
