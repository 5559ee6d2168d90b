//! The syntax tree of a `workflow!` invocation, and its parser.
//!
//! Parsing only checks the shape of the tokens; what the states mean (which
//! fields a state takes, where transitions lead) is checked when the tree is
//! lowered into Amazon States Language.

use proc_macro2::Span;
use sfini_core::model::StateType;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitStr, Token, Visibility, braced, bracketed, parenthesized};

use super::condition::Condition;
use super::literal::{Literal, Text};

/// `workflow! { /// docs  #[workflow(options)] pub Name { states } }`
pub struct Workflow {
    /// The doc comment's lines, which become the machine's `Comment`.
    pub docs: Vec<String>,
    /// Other attributes, copied onto the generated type.
    pub attrs: Vec<Attribute>,
    /// The options of `#[workflow(...)]`.
    pub options: Vec<Setting>,
    pub vis: Visibility,
    pub ident: Ident,
    pub states: StateList,
}

/// The states of a machine, a Parallel branch or a Map processor, in order.
pub struct StateList {
    pub states: Vec<StateDecl>,
    /// The braces around the list.
    pub span: Span,
}

/// `name: kind(argument) { body }`
pub struct StateDecl {
    pub name: Text,
    pub kind: Kind,
    /// The kind's keyword.
    pub kind_span: Span,
    pub body: Vec<Item>,
}

/// The type of a state, with the argument some kinds take.
pub enum Kind {
    /// `task(path::to::activity)` or `task("arn:...")`.
    Task(TaskTarget),
    /// `lambda("function name or ARN")`.
    Lambda(LitStr),
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl Kind {
    /// The keyword, as written.
    pub fn keyword(&self) -> &'static str {
        match self {
            Kind::Task(_) => "task",
            Kind::Lambda(_) => "lambda",
            Kind::Pass => "pass",
            Kind::Choice => "choice",
            Kind::Wait => "wait",
            Kind::Succeed => "succeed",
            Kind::Fail => "fail",
            Kind::Parallel => "parallel",
            Kind::Map => "map",
        }
    }

    /// The ASL state type.
    pub fn state_type(&self) -> StateType {
        match self {
            Kind::Task(_) | Kind::Lambda(_) => StateType::Task,
            Kind::Pass => StateType::Pass,
            Kind::Choice => StateType::Choice,
            Kind::Wait => StateType::Wait,
            Kind::Succeed => StateType::Succeed,
            Kind::Fail => StateType::Fail,
            Kind::Parallel => StateType::Parallel,
            Kind::Map => StateType::Map,
        }
    }

    /// The ASL `Type`.
    pub fn asl_type(&self) -> &'static str {
        self.state_type().as_str()
    }
}

const KINDS: &[&str] = &[
    "task", "lambda", "pass", "choice", "wait", "succeed", "fail", "parallel", "map",
];

/// What a Task state runs.
pub enum TaskTarget {
    /// An activity, named by the Rust path of its function.
    Activity(syn::Path),
    /// Any resource, by ARN.
    Resource(LitStr),
}

/// One entry of a state's body.
pub enum Item {
    /// `key: value`
    Field(Setting),
    /// `retry [errors] { fields }`
    Retry(Retrier),
    /// `catch [errors] => target { fields }`
    Catch(Catcher),
    /// `condition => target { fields }` (Choice)
    Rule {
        condition: Condition,
        next: Text,
        /// `assign`, `output` and `comment` of the rule.
        fields: Vec<Setting>,
    },
    /// `_ => target` (Choice)
    Default { underscore: Span, next: Text },
    /// `branch { states }` (Parallel)
    Branch { keyword: Span, states: StateList },
    /// `processor(options) { states }` (Map)
    Processor {
        keyword: Span,
        options: Vec<Setting>,
        states: StateList,
    },
}

/// `key: value` or, in an attribute, `key = value`.
pub struct Setting {
    pub key: Ident,
    pub value: Literal,
}

/// `retry [errors] { fields }`
pub struct Retrier {
    pub keyword: Span,
    pub errors: Vec<ErrorName>,
    /// The brackets around the error names.
    pub errors_span: Span,
    pub fields: Vec<Setting>,
}

/// `catch [errors] => target { fields }`
pub struct Catcher {
    pub keyword: Span,
    pub errors: Vec<ErrorName>,
    pub errors_span: Span,
    pub next: Text,
    pub fields: Vec<Setting>,
}

/// An error name in a retrier or catcher: `"States.Timeout"`, or a Rust
/// path to an error type deriving `ActivityError`: an enum's variant
/// (`OrderError::Declined`) or a struct (`errors::Timeout`).
pub enum ErrorName {
    /// The name itself, as a string.
    Text { name: String, span: Span },
    /// An error type and, for an enum, the variant.
    Path {
        type_path: syn::Path,
        variant: Option<Ident>,
        span: Span,
    },
}

impl ErrorName {
    /// Where the name was written (the variant, for an enum's).
    pub fn span(&self) -> Span {
        match self {
            ErrorName::Text { span, .. } | ErrorName::Path { span, .. } => *span,
        }
    }
}

impl Parse for Workflow {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut docs = Vec::new();
        let mut attrs = Vec::new();
        let mut options = Vec::new();
        for attr in input.call(Attribute::parse_outer)? {
            if attr.path().is_ident("doc") {
                if let syn::Meta::NameValue(meta) = &attr.meta
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) = &meta.value
                {
                    docs.push(text.value());
                }
                attrs.push(attr);
            } else if attr.path().is_ident("workflow") {
                let parsed = attr
                    .parse_args_with(Punctuated::<AttributeSetting, Token![,]>::parse_terminated)?;
                options.extend(parsed.into_iter().map(|setting| setting.0));
            } else {
                attrs.push(attr);
            }
        }
        let vis = input.parse()?;
        let ident: Ident = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected the workflow's name, as in `pub Adding { ... }`",
            )
        })?;
        let states = input.parse()?;
        if !input.is_empty() {
            return Err(input
                .error("unexpected tokens after the workflow; a `workflow!` holds one workflow"));
        }
        Ok(Workflow {
            docs,
            attrs,
            options,
            vis,
            ident,
            states,
        })
    }
}

/// `key = value` inside `#[workflow(...)]`.
struct AttributeSetting(Setting);

impl Parse for AttributeSetting {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = input.call(Ident::parse_any)?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(AttributeSetting(Setting { key, value }))
    }
}

impl Parse for StateList {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let content;
        let brace = braced!(content in input);
        let mut states = Vec::new();
        while !content.is_empty() {
            states.push(content.parse()?);
            if !content.is_empty() {
                content.parse::<Token![,]>().map_err(|error| {
                    syn::Error::new(error.span(), "expected `,` after the state")
                })?;
            }
        }
        Ok(StateList {
            states,
            span: brace.span.join(),
        })
    }
}

impl Parse for StateDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = parse_name(input, "a state name")?;
        input.parse::<Token![:]>().map_err(|error| {
            syn::Error::new(
                error.span(),
                format!(
                    "expected `:` after the state name `{}`, as in `{}: pass {{}}`",
                    name.text, name.text
                ),
            )
        })?;
        let keyword = input.call(Ident::parse_any).map_err(|error| {
            syn::Error::new(
                error.span(),
                format!("expected the state's type: one of {}", KINDS.join(", ")),
            )
        })?;
        let kind_span = keyword.span();
        let kind = match keyword.to_string().as_str() {
            "task" => {
                let content;
                parenthesized!(content in input);
                let target = if content.peek(LitStr) {
                    TaskTarget::Resource(content.parse()?)
                } else {
                    TaskTarget::Activity(content.parse().map_err(|error| {
                        syn::Error::new(
                            error.span(),
                            "expected an activity's function, as in `task(add)`, or a resource ARN as a string",
                        )
                    })?)
                };
                if !content.is_empty() {
                    return Err(content.error("a task runs one activity or resource"));
                }
                Kind::Task(target)
            }
            "lambda" => {
                let content;
                parenthesized!(content in input);
                let function = content.parse().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        "expected the function's name or ARN as a string, as in `lambda(\"my-function\")`",
                    )
                })?;
                if !content.is_empty() {
                    return Err(content.error("a lambda state invokes one function"));
                }
                Kind::Lambda(function)
            }
            "pass" => Kind::Pass,
            "choice" => Kind::Choice,
            "wait" => Kind::Wait,
            "succeed" => Kind::Succeed,
            "fail" => Kind::Fail,
            "parallel" => Kind::Parallel,
            "map" => Kind::Map,
            other => {
                let hint = sfini_core::suggest::did_you_mean(other, KINDS.iter().copied());
                return Err(syn::Error::new(
                    kind_span,
                    format!(
                        "unknown state type `{other}`{hint} (a state is one of {})",
                        KINDS.join(", ")
                    ),
                ));
            }
        };
        if matches!(kind, Kind::Task(_) | Kind::Lambda(_)) && input.peek(syn::token::Paren) {
            return Err(input.error("a task takes one argument"));
        }
        let body = if input.peek(syn::token::Brace) {
            parse_body(input, &kind)?
        } else {
            Vec::new()
        };
        Ok(StateDecl {
            name,
            kind,
            kind_span,
            body,
        })
    }
}

/// A state name: an identifier or a string.
pub fn parse_name(input: ParseStream, what: &str) -> syn::Result<Text> {
    if input.peek(LitStr) {
        let text: LitStr = input.parse()?;
        Ok(Text {
            text: text.value(),
            span: text.span(),
        })
    } else if input.peek(Ident::peek_any) {
        let ident = input.call(Ident::parse_any)?;
        Ok(Text {
            text: ident.unraw().to_string(),
            span: ident.span(),
        })
    } else {
        Err(input.error(format!("expected {what}: an identifier or a string")))
    }
}

fn parse_body(input: ParseStream, kind: &Kind) -> syn::Result<Vec<Item>> {
    let content;
    braced!(content in input);
    let mut items = Vec::new();
    while !content.is_empty() {
        items.push(parse_item(&content, kind)?);
        if !content.is_empty() {
            content
                .parse::<Token![,]>()
                .map_err(|error| syn::Error::new(error.span(), "expected `,`"))?;
        }
    }
    Ok(items)
}

fn parse_item(input: ParseStream, kind: &Kind) -> syn::Result<Item> {
    if input.peek(Token![_]) && input.peek2(Token![=>]) {
        let underscore = input.parse::<Token![_]>()?.span;
        input.parse::<Token![=>]>()?;
        let next = parse_name(input, "the default state")?;
        return Ok(Item::Default { underscore, next });
    }
    if input.peek(Ident::peek_any) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
        let key = input.call(Ident::parse_any)?;
        input.parse::<Token![:]>()?;
        let value = input.parse()?;
        return Ok(Item::Field(Setting { key, value }));
    }
    if input.peek(Ident) {
        let fork = input.fork();
        let word = fork.call(Ident::parse_any)?.to_string();
        match word.as_str() {
            "retry" if fork.peek(syn::token::Bracket) => {
                let keyword = input.call(Ident::parse_any)?.span();
                let (errors, errors_span) = parse_error_names(input)?;
                let fields = parse_settings_block(input)?;
                return Ok(Item::Retry(Retrier {
                    keyword,
                    errors,
                    errors_span,
                    fields,
                }));
            }
            "catch" if fork.peek(syn::token::Bracket) => {
                let keyword = input.call(Ident::parse_any)?.span();
                let (errors, errors_span) = parse_error_names(input)?;
                input.parse::<Token![=>]>().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        "expected `=>` and the state to go to, as in `catch [\"States.ALL\"] => recover`",
                    )
                })?;
                let next = parse_name(input, "the state to go to")?;
                let fields = parse_settings_block(input)?;
                return Ok(Item::Catch(Catcher {
                    keyword,
                    errors,
                    errors_span,
                    next,
                    fields,
                }));
            }
            "branch" if fork.peek(syn::token::Brace) => {
                let keyword = input.call(Ident::parse_any)?.span();
                let states = input.parse()?;
                return Ok(Item::Branch { keyword, states });
            }
            "processor" if fork.peek(syn::token::Brace) || fork.peek(syn::token::Paren) => {
                let keyword = input.call(Ident::parse_any)?.span();
                let mut options = Vec::new();
                if input.peek(syn::token::Paren) {
                    let content;
                    parenthesized!(content in input);
                    let parsed =
                        Punctuated::<AttributeSetting, Token![,]>::parse_terminated(&content)?;
                    options.extend(parsed.into_iter().map(|setting| setting.0));
                }
                let states = input.parse()?;
                return Ok(Item::Processor {
                    keyword,
                    options,
                    states,
                });
            }
            _ => {}
        }
    }
    if matches!(kind, Kind::Choice) {
        let condition: Condition = input.parse()?;
        input.parse::<Token![=>]>().map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected `=>` and the state to go to when the condition holds",
            )
        })?;
        let next = parse_name(input, "the state to go to")?;
        let fields = parse_settings_block(input)?;
        return Ok(Item::Rule {
            condition,
            next,
            fields,
        });
    }
    Err(input.error(format!(
        "expected a field (`name: value`){}",
        match kind {
            Kind::Parallel => ", `branch { ... }`, `retry [...]` or `catch [...] => state`",
            Kind::Map => ", `processor { ... }`, `retry [...]` or `catch [...] => state`",
            Kind::Task(_) | Kind::Lambda(_) => ", `retry [...]` or `catch [...] => state`",
            _ => "",
        }
    )))
}

fn parse_error_names(input: ParseStream) -> syn::Result<(Vec<ErrorName>, Span)> {
    let content;
    let bracket = bracketed!(content in input);
    let mut errors = Vec::new();
    while !content.is_empty() {
        if content.peek(LitStr) {
            let text: LitStr = content.parse()?;
            errors.push(ErrorName::Text {
                name: text.value(),
                span: text.span(),
            });
        } else {
            let path: syn::Path = content.parse().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "expected an error name: a string such as \"States.ALL\" or an error type such as `OrderError::Declined`",
                )
            })?;
            errors.push(error_path(path)?);
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok((errors, bracket.span.join()))
}

/// An error named by path: `Type::Variant` when the segment before the
/// last is a type's name (capitalised, as Rust names types), else a struct
/// error type.
fn error_path(path: syn::Path) -> syn::Result<ErrorName> {
    let Some(last) = path.segments.last() else {
        return Err(syn::Error::new(path.span(), "expected an error name"));
    };
    let span = last.ident.span();
    let segments = path.segments.len();
    let enum_variant = segments >= 2
        && path.segments[segments - 2]
            .ident
            .to_string()
            .starts_with(|c: char| c.is_ascii_uppercase());
    if !enum_variant {
        return Ok(ErrorName::Path {
            type_path: path,
            variant: None,
            span,
        });
    }
    let variant = last.ident.clone();
    let mut type_path = path;
    type_path.segments.pop();
    // `Type::` left with its separator: drop it.
    let last = type_path
        .segments
        .pop()
        .map(syn::punctuated::Pair::into_value);
    if let Some(last) = last {
        type_path.segments.push(last);
    }
    Ok(ErrorName::Path {
        type_path,
        variant: Some(variant),
        span,
    })
}

fn parse_settings_block(input: ParseStream) -> syn::Result<Vec<Setting>> {
    let mut settings = Vec::new();
    if !input.peek(syn::token::Brace) {
        return Ok(settings);
    }
    let content;
    braced!(content in input);
    while !content.is_empty() {
        let key = content.call(Ident::parse_any)?;
        content.parse::<Token![:]>()?;
        let value = content.parse()?;
        settings.push(Setting { key, value });
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok(settings)
}
