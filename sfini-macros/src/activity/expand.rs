//! The code `#[activity]` generates: the function as written, a type of the
//! same name implementing `Activity`, and a macro of the same name that
//! hands the activity's metadata to `workflow!`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::export::{identity, metadata_macro, site_tag};
use super::model::{Activity, Output, Role};
use super::type_text::type_text;

/// Everything the activity expands to.
pub fn expand(activity: &Activity) -> TokenStream {
    let function = &activity.function;
    let ident = activity.ident();
    let vis = &function.vis;
    let definition = definition(activity);
    let metadata_macro = metadata_macro(activity);
    // The one place that requires the error type to be an `ActivityError`
    // (placed at the type, so that a type without it is reported there,
    // once): the rest goes through this table.
    let error_table = match &activity.output {
        Output::Fallible { error } => quote_spanned! {super::span_of(error)=>
            impl #ident {
                const __SFINI_ERRORS: ::sfini::__private::ErrorType<#error> =
                    ::sfini::__private::ErrorType::<#error>::of();
            }
        },
        Output::Value => TokenStream::new(),
    };
    quote! {
        #function

        #[allow(non_camel_case_types, dead_code)]
        #[doc(hidden)]
        #vis struct #ident {}

        #error_table

        impl ::sfini::__private::Activity for #ident {
            const DEFINITION: ::sfini::__private::ActivityDefinition = #definition;
        }

        #metadata_macro
    }
}

fn definition(activity: &Activity) -> TokenStream {
    let name = &activity.name;
    let description = &activity.description;
    let arguments = activity.named_arguments().map(|parameter| {
        let name = parameter.field_name();
        let required = parameter.role.is_required();
        quote!(::sfini::__private::Argument { name: #name, required: #required })
    });
    let takes_whole_input = activity.takes_whole_input();
    let field_name = activity.ident().to_string();
    let field_name = field_name.strip_prefix("r#").unwrap_or(&field_name);
    let id = identity(&site_tag(activity.ident().span(), field_name));
    let errors = match &activity.output {
        Output::Fallible { .. } => {
            let ident = activity.ident();
            quote!(#ident::__SFINI_ERRORS.names)
        }
        Output::Value => quote!(&[]),
    };
    let seconds = |seconds: Option<u64>| match seconds {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let heartbeat = seconds(activity.heartbeat.map(|s| s.value));
    let timeout = seconds(activity.timeout.map(|s| s.value));
    let run = run(activity);
    quote! {
        ::sfini::__private::ActivityDefinition {
            name: #name,
            id: #id,
            description: #description,
            arguments: &[#(#arguments),*],
            takes_whole_input: #takes_whole_input,
            errors: #errors,
            heartbeat_seconds: #heartbeat,
            timeout_seconds: #timeout,
            run: #run,
        }
    }
}

/// The `run` function: reads the arguments, calls the function, writes the
/// output. Its own names are hygienic (`Span::mixed_site`), so they cannot
/// clash with the user's.
fn run(activity: &Activity) -> TokenStream {
    let site = Span::mixed_site();
    let input = Ident::new("input", site);
    let context = Ident::new("context", site);
    let arguments = Ident::new("arguments", site);
    let output = Ident::new("output", site);
    let failure = Ident::new("failure", site);
    let ident = activity.ident();

    let mut reads = Vec::new();
    let mut read_values = Vec::new();
    let mut call_arguments = Vec::new();
    let mut whole_input = TokenStream::new();
    for (index, parameter) in activity.parameters.iter().enumerate() {
        let value = format_ident!("argument_{}", index, span = site);
        let field = parameter.field_name();
        let ty = &parameter.ty;
        let type_name = type_text(ty);
        match &parameter.role {
            Role::Required => reads.push(quote! {
                let #value = #arguments.required::<#ty>(#field, #type_name);
            }),
            Role::Optional { inner } => {
                let type_name = type_text(inner);
                reads.push(quote! {
                    let #value = #arguments.optional::<#inner>(#field, #type_name);
                });
            }
            Role::Defaulted { default, .. } => reads.push(quote! {
                let #value = #arguments.or_default::<#ty>(#field, #type_name, || #default);
            }),
            Role::WholeInput { .. } => {
                whole_input = quote! {
                    let #value = match ::sfini::__private::whole_input::<#ty>(
                        #input,
                        &<#ident as ::sfini::__private::Activity>::DEFINITION,
                        #type_name,
                    ) {
                        ::core::result::Result::Ok(value) => value,
                        ::core::result::Result::Err(#failure) => {
                            return ::core::result::Result::Err(#failure);
                        }
                    };
                };
                call_arguments.push(quote!(#value));
                continue;
            }
            Role::Context { by_reference } => {
                call_arguments.push(if *by_reference {
                    quote!(&#context)
                } else {
                    quote!(::core::clone::Clone::clone(&#context))
                });
                continue;
            }
        }
        read_values.push(value.clone());
        call_arguments.push(quote!(#value));
    }

    let read_arguments = if !whole_input.is_empty() {
        TokenStream::new()
    } else if read_values.is_empty() {
        // The input holds nothing the function reads.
        quote!(let _ = #input;)
    } else {
        quote! {
            let mut #arguments = match ::sfini::__private::InputArguments::new(
                #input,
                &<#ident as ::sfini::__private::Activity>::DEFINITION,
            ) {
                ::core::result::Result::Ok(arguments) => arguments,
                ::core::result::Result::Err(#failure) => {
                    return ::core::result::Result::Err(#failure);
                }
            };
            #(#reads)*
            let (#(#read_values,)*) = match (#(#read_values,)*) {
                (#(::core::option::Option::Some(#read_values),)*) => (#(#read_values,)*),
                _ => return ::core::result::Result::Err(#arguments.into_failure()),
            };
        }
    };

    let call = if activity.is_async() {
        quote_spanned!(ident.span()=> #ident(#(#call_arguments),*).await)
    } else {
        let function = if call_arguments.is_empty() {
            quote!(#ident)
        } else {
            quote!(move || #ident(#(#call_arguments),*))
        };
        quote_spanned! {ident.span()=>
            match ::sfini::__private::run_blocking(#function).await {
                ::core::result::Result::Ok(output) => output,
                ::core::result::Result::Err(#failure) => {
                    return ::core::result::Result::Err(#failure);
                }
            }
        }
    };
    let finish = match &activity.output {
        Output::Value => match &activity.function.sig.output {
            // Placed at the return type, so that a type without `Serialize`
            // is reported there.
            syn::ReturnType::Type(_, ty) => {
                let at_output = super::span_of(ty).resolved_at(site);
                let output = Ident::new("output", at_output);
                quote_spanned!(at_output=> ::sfini::__private::output(&#output))
            }
            syn::ReturnType::Default => quote!(::sfini::__private::output(&#output)),
        },
        Output::Fallible { error } => {
            // Placed at `E` (with the hygiene of the other names here), so
            // that an `E` without `ActivityError` is reported there.
            let at_error = super::span_of(error).resolved_at(site);
            let output = Ident::new("output", at_error);
            let ident = activity.ident();
            quote_spanned!(at_error=> ::sfini::__private::fallible_output(#output, &#ident::__SFINI_ERRORS))
        }
    };

    // The task is placed at the function's name, so that a future that is
    // not `Send` is reported there.
    let task = quote_spanned! {ident.span()=>
        async move {
            let _ = &#context;
            #whole_input
            #read_arguments
            let #output = #call;
            #finish
        }
    };
    let run_task = quote_spanned!(ident.span()=> ::sfini::__private::run_task(#task));
    quote! {{
        fn run(
            #input: ::sfini::__private::serde_json::Value,
            #context: ::sfini::__private::ActivityContext,
        ) -> ::sfini::__private::ActivityFuture {
            #run_task
        }
        run
    }}
}
