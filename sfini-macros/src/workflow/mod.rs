//! `workflow!`: parse → resolve the activities → lower to ASL → validate →
//! expand.
//!
//! A workflow names its activities by Rust path. Their names and arguments
//! are known only to `#[activity]`, so `workflow!` asks each activity's
//! metadata macro in turn (see [`activity_meta`]) and expands for real once
//! it knows them all.

mod activity_meta;
mod check;
mod condition;
mod fields;
mod literal;
mod lower;
mod output;
mod spans;
mod syntax;

use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

use activity_meta::ActivityMeta;
use syntax::{Item, Kind, StateList, TaskTarget, Workflow};

/// Expands one invocation of `workflow!`.
pub fn expand(input: TokenStream) -> TokenStream {
    match expand_invocation(input) {
        Ok(tokens) => tokens,
        Err(errors) => errors
            .into_iter()
            .map(|error| error.to_compile_error())
            .collect(),
    }
}

/// An invocation split into what earlier expansions learnt and the
/// workflow as the user wrote it.
struct Invocation {
    /// Metadata of resolved activities, most recent first.
    metas: Vec<(String, Span)>,
    /// Activity paths still to resolve, when resolution has started.
    pending: Option<Vec<TokenStream>>,
    workflow: TokenStream,
}

fn split(input: TokenStream) -> Invocation {
    let mut tokens = input.into_iter().peekable();
    let mut metas = Vec::new();
    let mut pending = None;
    let mut rest = Vec::new();
    while let Some(token) = tokens.next() {
        let marker = match (&token, tokens.peek()) {
            (TokenTree::Punct(punct), Some(TokenTree::Ident(ident))) if punct.as_char() == '@' => {
                ident.to_string()
            }
            _ => {
                rest.push(token);
                rest.extend(tokens);
                break;
            }
        };
        match marker.as_str() {
            "activity" => {
                tokens.next();
                if let Some(TokenTree::Literal(literal)) = tokens.next() {
                    let span = literal.span();
                    let text = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal).into())
                        .map(|text| text.value())
                        .unwrap_or_default();
                    metas.push((text, span));
                }
            }
            "sfini_pending" => {
                tokens.next();
                if let Some(TokenTree::Group(group)) = tokens.next() {
                    let mut paths = Vec::new();
                    let mut current = TokenStream::new();
                    for token in group.stream() {
                        match &token {
                            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                                paths.push(std::mem::take(&mut current));
                            }
                            _ => current.extend([token]),
                        }
                    }
                    if !current.is_empty() {
                        paths.push(current);
                    }
                    pending = Some(paths);
                }
            }
            _ => {
                rest.push(token);
                rest.extend(tokens);
                break;
            }
        }
    }
    Invocation {
        metas,
        pending,
        workflow: rest.into_iter().collect(),
    }
}

fn expand_invocation(input: TokenStream) -> Result<TokenStream, Vec<syn::Error>> {
    let invocation = split(input);
    let workflow: Workflow =
        syn::parse2(invocation.workflow.clone()).map_err(|error| vec![error])?;
    let paths = activity_paths(&workflow);
    let pending = match invocation.pending {
        Some(pending) => pending,
        None => paths.iter().map(|path| quote!(#path)).collect(),
    };
    if let Some((next, rest)) = pending.split_first() {
        return Ok(ask_activity(
            next,
            rest,
            &invocation.metas,
            &invocation.workflow,
        ));
    }
    let mut activities = HashMap::new();
    let mut errors = Vec::new();
    for (path, (meta, span)) in paths.iter().zip(invocation.metas.iter().rev()) {
        match ActivityMeta::parse(meta) {
            Ok(meta) => {
                activities.insert(lower::path_key(path), meta);
            }
            Err(message) => errors.push(syn::Error::new(
                *span,
                format!(
                    "unreadable activity metadata ({message}); are sfini's crates of one version?"
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (lowered, errors) = lower::lower(&workflow, &activities);
    let machine = check::check(&lowered, errors, workflow.ident.span())?;
    let definition = machine.to_json();
    let mut tokens = emit(&workflow, &lowered, &paths, &activities, &definition)?;
    if let Some(dir) = output::directory()
        && let Err(error) = output::write(&dir, &lowered.machine_name, &definition)
    {
        let message = format!(
            "cannot write the definition of `{}` to {}: {error}; set SFINI_DEFINITIONS_DIR to a writable directory, or to an empty value to write no file",
            lowered.machine_name,
            dir.display()
        );
        tokens.extend(syn::Error::new(workflow.ident.span(), message).to_compile_error());
    }
    Ok(tokens)
}

/// Calls the metadata macro of the next activity, passing on what is known.
fn ask_activity(
    next: &TokenStream,
    rest: &[TokenStream],
    metas: &[(String, Span)],
    workflow: &TokenStream,
) -> TokenStream {
    let metas = metas.iter().map(|(text, span)| {
        let literal = syn::LitStr::new(text, *span);
        quote!(@activity #literal)
    });
    let mut pending = TokenStream::new();
    for (index, path) in rest.iter().enumerate() {
        if index > 0 {
            pending.extend(quote!(,));
        }
        pending.extend(path.clone());
    }
    let pending = Group::new(Delimiter::Bracket, pending);
    quote! {
        #next! { [::sfini::workflow] { #(#metas)* @sfini_pending #pending #workflow } }
    }
}

/// Every activity the workflow names, once each, in order of appearance.
fn activity_paths(workflow: &Workflow) -> Vec<syn::Path> {
    fn walk(list: &StateList, out: &mut Vec<syn::Path>) {
        for state in &list.states {
            if let Kind::Task(TaskTarget::Activity(path)) = &state.kind
                && !out
                    .iter()
                    .any(|seen| lower::path_key(seen) == lower::path_key(path))
            {
                out.push(path.clone());
            }
            for item in &state.body {
                match item {
                    Item::Branch { states, .. } | Item::Processor { states, .. } => {
                        walk(states, out)
                    }
                    _ => {}
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&workflow.states, &mut out);
    out
}

fn emit(
    workflow: &Workflow,
    lowered: &lower::Lowered,
    paths: &[syn::Path],
    activities: &HashMap<String, ActivityMeta>,
    definition: &str,
) -> Result<TokenStream, Vec<syn::Error>> {
    let Workflow {
        attrs, vis, ident, ..
    } = workflow;
    let name = &lowered.machine_name;
    // One entry per activity name: two paths may lead to one activity.
    let mut seen: HashMap<&str, &syn::Path> = HashMap::new();
    let mut listed = Vec::new();
    for path in paths {
        let meta = &activities[&lower::path_key(path)];
        if seen.insert(&meta.name, path).is_none() {
            listed.push(path);
        }
    }
    let checks = lowered.caught.iter().map(|caught| {
        let activity = &caught.activity;
        let error = &caught.error;
        let message = format!(
            "the activity `{}` never fails with `{error}`: it is not among the errors its function returns, so this {} can never match",
            caught.activity_name, caught.clause
        );
        quote_spanned! {caught.span=>
            if !::sfini::__private::raises(
                &<#activity as ::sfini::__private::Activity>::DEFINITION,
                #error,
            ) {
                ::core::panic!(#message);
            }
        }
    });
    let doc_name = format!("The state machine `{name}`.");
    let has_docs = !workflow.docs.is_empty();
    let default_doc = (!has_docs).then(|| quote!(#[doc = #doc_name]));
    Ok(quote! {
        #default_doc
        #(#attrs)*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        #vis struct #ident;

        impl #ident {
            /// The state machine's name.
            pub const NAME: &'static str = #name;
            /// The state machine's Amazon States Language definition, in
            /// canonical form. Activity ARNs hold `${AWS::Region}` and
            /// `${AWS::AccountId}` placeholders, filled in at registration.
            pub const DEFINITION: &'static str = #definition;
        }

        impl ::sfini::__private::Workflow for #ident {
            const NAME: &'static str = #name;
            const DEFINITION: &'static str = #definition;
            const ACTIVITIES: &'static [&'static ::sfini::__private::ActivityDefinition] = &[
                #(&<#listed as ::sfini::__private::Activity>::DEFINITION),*
            ];
            fn state_machine() -> &'static ::sfini::core::StateMachine {
                static MACHINE: ::std::sync::OnceLock<::sfini::core::StateMachine> =
                    ::std::sync::OnceLock::new();
                MACHINE.get_or_init(|| ::sfini::__private::read_definition(#definition))
            }
        }

        const _: () = {
            #(#checks)*
        };
    })
}
