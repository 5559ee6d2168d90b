//! How an activity's metadata reaches `workflow!`, in its own crate and in
//! others.
//!
//! `#[activity]` on `fn price_order` defines a `#[macro_export]` macro with
//! a name of its own (`__sfini_activity_price_order_<tag>`, unique in the
//! crate) and imports it beside the function as `price_order`, with the
//! function's visibility. A path that reaches the function (`task(orders::
//! price_order)`, or a `use` of it, glob or not) therefore reaches the macro
//! too, from any crate, and `workflow!` calls it to learn the activity's
//! name, arguments and error names.
//!
//! The error names come from the activity's error type. For the types sfini
//! knows (`String`, `&str`, `Box<dyn Error>`, `std::io::Error`,
//! `Infallible`) `#[activity]` writes them itself. For a type that derives
//! `ActivityError`, the derive has made a metadata macro of the type's name
//! in the same way; `#[activity]` calls it, at the function's side where
//! the type's path resolves, and it defines the activity's macro with the
//! type's error names in it.

use std::hash::{DefaultHasher, Hash, Hasher};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use serde_json::json;
use syn::{GenericArgument, LitStr, PathArguments, Type, TypeParamBound};

use super::meta::metadata;
use super::model::{Activity, Output};

/// A tag that tells one `#[activity]` or `#[derive(ActivityError)]` apart
/// from every other of its crate: a hash of where it is written (file,
/// line, column) and of the item's name. The file counts from the
/// package's directory, so that the tag is the same wherever the package is
/// checked out.
pub fn site_tag(span: Span, name: &str) -> String {
    let mut hasher = DefaultHasher::new();
    name.hash(&mut hasher);
    if proc_macro::is_available() {
        let span = span.unwrap();
        let file = span.local_file().unwrap_or_else(|| span.file().into());
        let package = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
        let file = match &package {
            Some(package) => file.strip_prefix(package).map_or_else(
                // Outside the package: its name alone.
                |_| {
                    file.file_name()
                        .map(std::path::PathBuf::from)
                        .unwrap_or_default()
                },
                std::path::Path::to_path_buf,
            ),
            None => file,
        };
        file.hash(&mut hasher);
        span.line().hash(&mut hasher);
        span.column().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// The identity of an activity: its crate and its tag, the same however it
/// is reached, different for two functions that share an ASL name.
pub fn identity(tag: &str) -> String {
    let krate = std::env::var("CARGO_CRATE_NAME").unwrap_or_default();
    format!("{krate}#{tag}")
}

/// Where an activity's error names come from.
pub enum ErrorSource {
    /// Known here: the names, with the type's text.
    Known(String),
    /// From the metadata macro of an error type that derives
    /// `ActivityError`, at this path (generic arguments dropped).
    Derived(syn::Path),
}

/// The error names of an activity, as `workflow!` reads them:
/// `{"type": .., "names": [{"variant": .., "name": ..}]}`; `names` is
/// `null` when they cannot be known.
pub fn errors_json(type_name: Option<&str>, names: Option<&[(Option<String>, String)]>) -> String {
    let names = names.map(|names| {
        names
            .iter()
            .map(|(variant, name)| json!({"variant": variant, "name": name}))
            .collect::<Vec<_>>()
    });
    json!({"type": type_name, "names": names}).to_string()
}

/// Where the activity's error names come from, read from its signature.
pub fn error_source(activity: &Activity) -> ErrorSource {
    let Output::Fallible { error } = &activity.output else {
        return ErrorSource::Known(errors_json(None, Some(&[])));
    };
    let failed = |type_name: &str, name: &str| {
        ErrorSource::Known(errors_json(
            Some(type_name),
            Some(&[(None, name.to_string())]),
        ))
    };
    match &**error {
        Type::Reference(reference) if is_path_named(&reference.elem, "str") => {
            failed("&str", "sfini.ActivityFailed")
        }
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return ErrorSource::Known(errors_json(None, None));
            };
            let name = last.ident.to_string();
            let module = path
                .path
                .segments
                .iter()
                .rev()
                .nth(1)
                .map(|segment| segment.ident.to_string());
            match (name.as_str(), module.as_deref()) {
                ("String", None | Some("string")) => failed("String", "sfini.ActivityFailed"),
                ("Box", None | Some("boxed")) if boxes_an_error(&last.arguments) => {
                    failed("Box<dyn Error>", "sfini.ActivityFailed")
                }
                ("Error", Some("io")) => failed("std::io::Error", "std.io.Error"),
                ("Infallible", None | Some("convert")) => {
                    ErrorSource::Known(errors_json(Some("Infallible"), Some(&[])))
                }
                _ => {
                    let mut macro_path = path.path.clone();
                    if let Some(last) = macro_path.segments.last_mut() {
                        last.arguments = PathArguments::None;
                    }
                    ErrorSource::Derived(macro_path)
                }
            }
        }
        // A tuple, an array, a trait object...: no names to check against.
        _ => ErrorSource::Known(errors_json(None, None)),
    }
}

fn is_path_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident(name))
}

/// `Box<dyn Error ...>`: the arguments of a `Box` holding an error.
fn boxes_an_error(arguments: &PathArguments) -> bool {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return false;
    };
    arguments.args.iter().any(|argument| {
        matches!(argument, GenericArgument::Type(Type::TraitObject(object))
            if object.bounds.iter().any(|bound| matches!(bound,
                TypeParamBound::Trait(bound) if bound.path.segments.last().is_some_and(|last| last.ident == "Error"))))
    })
}

/// The activity's metadata macro, exported, and its import beside the
/// function.
pub fn metadata_macro(activity: &Activity) -> TokenStream {
    let ident = activity.ident();
    let field_name = ident.to_string();
    let field_name = field_name.strip_prefix("r#").unwrap_or(&field_name);
    let tag = site_tag(ident.span(), field_name);
    let exported = format_ident!("__sfini_activity_{}_{}", field_name, tag);
    let metadata = LitStr::new(&metadata(activity, &identity(&tag)), Span::call_site());
    let vis = &activity.function.vis;
    // Exported when the function is public: other crates reach it then.
    // A function of its crate only keeps its macro there too, so that no
    // crate is offered a path to it.
    let export = match vis {
        syn::Visibility::Public(_) => quote!(#[macro_export]),
        _ => TokenStream::new(),
    };
    match error_source(activity) {
        ErrorSource::Known(errors) => {
            let errors = LitStr::new(&errors, Span::call_site());
            quote! {
                #[doc(hidden)]
                #export
                macro_rules! #exported {
                    ([$($callback:tt)*] { $($input:tt)* }) => {
                        $($callback)*! { @activity #metadata @errors #errors $($input)* }
                    };
                }
                #[doc(hidden)]
                #[allow(unused_imports)]
                #vis use #exported as #ident;
            }
        }
        ErrorSource::Derived(path) => {
            // Placed at the error type, so that a type without the derive's
            // macro is reported there, once: the import comes from the
            // derive's macro too, so that it does not fail as well.
            let span = super::span_of(&path);
            quote_spanned! {span=>
                #path! { @sfini_activity ($) [#export] #exported #ident (#vis) #metadata }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::activity::errors::Errors;
    use crate::activity::meta::json_kind;

    fn source(output: TokenStream) -> serde_json::Value {
        let function = syn::parse2(quote!(async fn f() -> #output { todo!() })).unwrap();
        let activity =
            crate::activity::signature::read(function, Default::default(), &mut Errors::default());
        match error_source(&activity) {
            ErrorSource::Known(text) => serde_json::from_str(&text).unwrap(),
            ErrorSource::Derived(path) => json!(format!("derived {}", quote!(#path))),
        }
    }

    #[test]
    fn error_names_come_from_where_they_are_known() {
        let failed =
            |ty: &str, name: &str| json!({"type": ty, "names": [{"variant": null, "name": name}]});
        assert_eq!(source(quote!(i64)), json!({"type": null, "names": []}));
        assert_eq!(
            source(quote!(Result<i64, String>)),
            failed("String", "sfini.ActivityFailed")
        );
        assert_eq!(
            source(quote!(Result<i64, Box<dyn std::error::Error + Send + Sync>>)),
            failed("Box<dyn Error>", "sfini.ActivityFailed")
        );
        assert_eq!(
            source(quote!(Result<i64, std::io::Error>)),
            failed("std::io::Error", "std.io.Error")
        );
        assert_eq!(
            source(quote!(Result<i64, errors::OrderError<u8>>)),
            json!("derived errors :: OrderError")
        );
        assert_eq!(
            source(quote!(Result<i64, (u8, u8)>)),
            json!({"type": null, "names": null})
        );
    }

    #[test]
    fn json_kinds_of_common_types() {
        let kind = |ty: TokenStream| json_kind(&syn::parse2(ty).unwrap());
        assert_eq!(kind(quote!(u32)), "integer");
        assert_eq!(kind(quote!(f64)), "number");
        assert_eq!(kind(quote!(&str)), "string");
        assert_eq!(kind(quote!(std::borrow::Cow<'static, str>)), "string");
        assert_eq!(kind(quote!(Vec<String>)), "array");
        assert_eq!(kind(quote!(&[u8])), "array");
        assert_eq!(kind(quote!(HashMap<String, i64>)), "object");
        assert_eq!(kind(quote!(Box<bool>)), "boolean");
        assert_eq!(kind(quote!(Order)), "any");
        assert_eq!(kind(quote!(serde_json::Value)), "any");
    }
}
