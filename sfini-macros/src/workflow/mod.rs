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
mod warning;

use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::quote;

use activity_meta::{ActivityMeta, ErrorTypeMeta};
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

/// What one metadata macro answered.
pub enum Answer {
    /// An activity's metadata and its error names, as JSON.
    Activity {
        meta: (String, Span),
        errors: Option<(String, Span)>,
    },
    /// An error type's names, as JSON.
    ErrorType((String, Span)),
}

/// An invocation split into what earlier expansions learnt and the
/// workflow as the user wrote it.
struct Invocation {
    /// What the metadata macros answered, most recent first.
    answers: Vec<Answer>,
    /// Metadata macros still to call, when the calls have started.
    pending: Option<Vec<TokenStream>>,
    workflow: TokenStream,
}

/// A string literal's value and span, after `@marker`.
fn marked_literal(token: Option<TokenTree>) -> Option<(String, Span)> {
    let literal = match token? {
        TokenTree::Literal(literal) => literal,
        // A literal passed on by a `macro_rules!` as a `$x:literal` comes in
        // an invisible group.
        TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
            let mut inner = group.stream().into_iter();
            match (inner.next(), inner.next()) {
                (Some(TokenTree::Literal(literal)), None) => literal,
                _ => return None,
            }
        }
        _ => return None,
    };
    let span = literal.span();
    let text = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal).into())
        .map(|text| text.value())
        .unwrap_or_default();
    Some((text, span))
}

fn split(input: TokenStream) -> Invocation {
    let mut tokens = input.into_iter().peekable();
    let mut answers = Vec::new();
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
                let meta = marked_literal(tokens.next())
                    .unwrap_or_else(|| (String::new(), Span::call_site()));
                let mut ahead = tokens.clone();
                let errors = match (ahead.next(), ahead.next()) {
                    (Some(TokenTree::Punct(punct)), Some(TokenTree::Ident(ident)))
                        if punct.as_char() == '@' && ident == "errors" =>
                    {
                        tokens.next();
                        tokens.next();
                        marked_literal(tokens.next())
                    }
                    _ => None,
                };
                answers.push(Answer::Activity { meta, errors });
            }
            "error_type" => {
                tokens.next();
                answers.push(Answer::ErrorType(
                    marked_literal(tokens.next())
                        .unwrap_or_else(|| (String::new(), Span::call_site())),
                ));
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
        answers,
        pending,
        workflow: rest.into_iter().collect(),
    }
}

fn expand_invocation(input: TokenStream) -> Result<TokenStream, Vec<syn::Error>> {
    let invocation = split(input);
    let workflow: Workflow =
        syn::parse2(invocation.workflow.clone()).map_err(|error| vec![error])?;
    let queries = queries(&workflow);
    let pending = match invocation.pending {
        Some(pending) => pending,
        None => queries.iter().map(Query::macro_path).collect(),
    };
    if let Some((next, rest)) = pending.split_first() {
        return Ok(ask(next, rest, &invocation.answers, &invocation.workflow));
    }
    let mut known = Known::default();
    let mut errors = Vec::new();
    for (query, answer) in queries.iter().zip(invocation.answers.iter().rev()) {
        match (query, answer) {
            (
                Query::Activity(path),
                Answer::Activity {
                    meta,
                    errors: names,
                },
            ) => {
                match ActivityMeta::parse(&meta.0, names.as_ref().map(|(text, _)| text.as_str())) {
                    Ok(meta) => {
                        known.activities.insert(lower::path_key(path), meta);
                    }
                    Err(message) => errors.push(unreadable(meta.1, &message)),
                }
            }
            (Query::ErrorType(path), Answer::ErrorType(meta)) => {
                match ErrorTypeMeta::parse(&meta.0) {
                    Ok(meta) => {
                        known.error_types.insert(lower::path_key(path), meta);
                    }
                    Err(message) => errors.push(unreadable(meta.1, &message)),
                }
            }
            (query, _) => errors.push(syn::Error::new(
                query.span(),
                "this path answered as another kind of item than expected: an activity's \
                 function in `task(..)`, an error type deriving `ActivityError` in `catch` \
                 and `retry`",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (lowered, errors) = lower::lower(&workflow, &known);
    let (machine, warnings) =
        check::check(&lowered, errors, workflow.ident.span()).map_err(in_source_order)?;
    let definition = machine.to_json();
    let paths: Vec<syn::Path> = queries
        .iter()
        .filter_map(|query| match query {
            Query::Activity(path) => Some(path.clone()),
            Query::ErrorType(_) => None,
        })
        .collect();
    let mut tokens = emit(
        &workflow,
        &lowered,
        &paths,
        &known.activities,
        &machine,
        &definition,
        warning::emit(&warnings.iter().collect::<Vec<_>>()),
    )?;
    if let Some(dir) = output::directory()
        && let Err(error) = output::write(&dir, &lowered.machine_name, &definition).and_then(|_| {
            match output::source_of(workflow.ident.span(), &workflow.ident.to_string()) {
                Some(source) => output::record_and_clean(&dir, &lowered.machine_name, &source),
                None => Ok(()),
            }
        })
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

/// Errors in the order of the tokens they are at, so that they read from
/// top to bottom as the source does.
fn in_source_order(mut errors: Vec<syn::Error>) -> Vec<syn::Error> {
    if proc_macro::is_available() {
        errors.sort_by_key(|error| {
            let span = error.span().unwrap();
            (span.line(), span.column())
        });
    }
    errors
}

fn unreadable(span: Span, message: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!("unreadable metadata ({message}); are sfini's crates of one version?"),
    )
}

/// What the metadata macros said, by the path as written.
#[derive(Default)]
pub struct Known {
    pub activities: HashMap<String, ActivityMeta>,
    pub error_types: HashMap<String, ErrorTypeMeta>,
}

/// A metadata macro to call.
enum Query {
    /// The activity a `task(..)` names.
    Activity(syn::Path),
    /// The error type a `catch` or `retry` names by path.
    ErrorType(syn::Path),
}

impl Query {
    fn macro_path(&self) -> TokenStream {
        match self {
            Query::Activity(path) | Query::ErrorType(path) => quote!(#path),
        }
    }

    fn span(&self) -> Span {
        match self {
            Query::Activity(path) | Query::ErrorType(path) => syn::spanned::Spanned::span(path),
        }
    }
}

/// Calls the next metadata macro, passing on what is known.
fn ask(
    next: &TokenStream,
    rest: &[TokenStream],
    answers: &[Answer],
    workflow: &TokenStream,
) -> TokenStream {
    let literal = |(text, span): &(String, Span)| syn::LitStr::new(text, *span);
    let answers = answers.iter().map(|answer| match answer {
        Answer::Activity { meta, errors } => {
            let meta = literal(meta);
            let errors = errors.as_ref().map(|errors| {
                let errors = literal(errors);
                quote!(@errors #errors)
            });
            quote!(@activity #meta #errors)
        }
        Answer::ErrorType(meta) => {
            let meta = literal(meta);
            quote!(@error_type #meta)
        }
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
        #next! { [::sfini::workflow] { #(#answers)* @sfini_pending #pending #workflow } }
    }
}

/// Every metadata macro to call, once each, in order of appearance: the
/// activities of `task(..)`, then the error types named by path in `catch`
/// and `retry`.
fn queries(workflow: &Workflow) -> Vec<Query> {
    fn walk(list: &StateList, activities: &mut Vec<syn::Path>, errors: &mut Vec<syn::Path>) {
        let add = |out: &mut Vec<syn::Path>, path: &syn::Path| {
            if !out
                .iter()
                .any(|seen| lower::path_key(seen) == lower::path_key(path))
            {
                out.push(path.clone());
            }
        };
        for state in &list.states {
            if let Kind::Task(TaskTarget::Activity(path)) = &state.kind {
                add(activities, path);
            }
            for item in &state.body {
                match item {
                    Item::Branch { states, .. } | Item::Processor { states, .. } => {
                        walk(states, activities, errors)
                    }
                    Item::Retry(syntax::Retrier { errors: names, .. })
                    | Item::Catch(syntax::Catcher { errors: names, .. }) => {
                        for name in names {
                            if let syntax::ErrorName::Path { type_path, .. } = name {
                                add(errors, type_path);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut activities = Vec::new();
    let mut errors = Vec::new();
    walk(&workflow.states, &mut activities, &mut errors);
    activities
        .into_iter()
        .map(Query::Activity)
        .chain(errors.into_iter().map(Query::ErrorType))
        .collect()
}

fn emit(
    workflow: &Workflow,
    lowered: &lower::Lowered,
    paths: &[syn::Path],
    activities: &HashMap<String, ActivityMeta>,
    machine: &sfini_core::StateMachine,
    definition: &str,
    warnings: TokenStream,
) -> Result<TokenStream, Vec<syn::Error>> {
    let Workflow {
        attrs, vis, ident, ..
    } = workflow;
    let name = &lowered.machine_name;
    // One entry per activity: two paths may lead to one activity.
    let mut seen: HashMap<&str, &syn::Path> = HashMap::new();
    let mut listed = Vec::new();
    for path in paths {
        let meta = &activities[&lower::path_key(path)];
        if seen.insert(&meta.id, path).is_none() {
            listed.push(path);
        }
    }
    let doc_name = format!("The state machine `{name}`.");
    let has_docs = !workflow.docs.is_empty();
    let default_doc = (!has_docs).then(|| quote!(#[doc = #doc_name]));
    // The graph, after the user's docs: an HTML block, which ends at the
    // first blank line, and the SVG has none.
    let picture = format!(
        "<div class=\"sfini-workflow-graph\" style=\"overflow-x:auto\">{}</div>",
        machine.graph().to_svg().trim_end()
    );
    Ok(quote! {
        #default_doc
        #(#attrs)*
        #[doc = ""]
        #[doc = #picture]
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

        #warnings
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workflow in the form `workflow!` expands once its activity's
    /// metadata is known.
    fn known(body: &str) -> TokenStream {
        let meta = r#"{"name":"work","arguments":[],"takes_whole_input":true,"heartbeat_seconds":null,"timeout_seconds":null}"#;
        format!("@activity {meta:?} @sfini_pending [] {body}")
            .parse()
            .expect("tokens")
    }

    #[test]
    fn the_type_s_documentation_shows_its_graph_after_the_user_s() {
        let expanded = expand(known(
            "/// Works, then checks.\npub Checked { work: task(work), done: succeed }",
        ))
        .to_string();
        assert!(!expanded.contains("compile_error"), "{expanded}");
        let user = expanded
            .find("Works, then checks.")
            .expect("the user's docs");
        let graph = expanded
            .find("sfini-workflow-graph")
            .expect("the graph in the docs");
        assert!(user < graph, "the graph comes after the user's docs");
        assert!(
            expanded.contains(r#"data-state=\"work\""#),
            "every state drawn: {expanded}"
        );
    }
}
