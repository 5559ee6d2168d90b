//! Choice conditions written as Rust-like expressions, and their lowering
//! to the Amazon States Language's comparison operators.
//!
//! ```text
//! "$.count" < 10 && !is_null("$.name") || matches("$.file", "*.csv")
//! ```
//!
//! A string that starts with `$` is a path; anything else is a value. The
//! kind of a comparison (string, numeric, boolean, timestamp) comes from the
//! value compared with, or from a `number(..)`, `string(..)`, `boolean(..)`
//! or `timestamp(..)` around either operand; comparing two paths picks the
//! `...Path` operator.

use proc_macro2::Span;
use serde_json::{Map, Value};
use sfini_core::Location;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Token, parenthesized};

use super::literal::Literal;
use super::spans::Spans;

/// A condition as written.
pub enum Condition {
    /// A `"{% ... %}"` string or a `$reference` standing alone: a JSONata
    /// condition, or (a reference, in a JSONPath state) a boolean variable.
    Expression(Literal),
    And(Vec<Condition>, Span),
    Or(Vec<Condition>, Span),
    Not(Box<Condition>, Span),
    /// `is_present("$.x")` and the other type tests.
    Test {
        test: &'static str,
        path: Literal,
        keyword: Span,
    },
    /// `matches("$.x", "*.csv")`
    Matches {
        path: Literal,
        pattern: Literal,
        keyword: Span,
    },
    /// `left op right`
    Compare {
        left: Operand,
        op: Op,
        op_span: Span,
        right: Operand,
    },
}

impl Condition {
    /// Where the condition starts.
    pub fn span(&self) -> Span {
        match self {
            Condition::Expression(value) => value.span(),
            Condition::And(_, span) | Condition::Or(_, span) | Condition::Not(_, span) => *span,
            Condition::Test { keyword, .. } | Condition::Matches { keyword, .. } => *keyword,
            Condition::Compare { left, .. } => left.value.span(),
        }
    }

    /// Where the condition ends, as far as its tokens tell.
    pub fn end(&self) -> Span {
        match self {
            Condition::Expression(value) => value.end(),
            Condition::And(all, _) | Condition::Or(all, _) => {
                all.last().map_or_else(|| self.span(), Condition::end)
            }
            Condition::Not(inner, _) => inner.end(),
            Condition::Test { path, .. } => path.end(),
            Condition::Matches { pattern, .. } => pattern.end(),
            Condition::Compare { right, .. } => right.value.end(),
        }
    }
}

/// A side of a comparison, with the kind it was declared to have.
#[derive(Clone)]
pub struct Operand {
    pub value: Literal,
    pub declared: Option<(Kind, Span)>,
}

/// A comparison operator.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn flipped(self) -> Op {
        match self {
            Op::Lt => Op::Gt,
            Op::Le => Op::Ge,
            Op::Gt => Op::Lt,
            Op::Ge => Op::Le,
            other => other,
        }
    }

    fn asl(self) -> &'static str {
        match self {
            Op::Eq | Op::Ne => "Equals",
            Op::Lt => "LessThan",
            Op::Le => "LessThanEquals",
            Op::Gt => "GreaterThan",
            Op::Ge => "GreaterThanEquals",
        }
    }

    fn token(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// What a comparison compares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

impl Kind {
    fn asl(self) -> &'static str {
        match self {
            Kind::String => "String",
            Kind::Numeric => "Numeric",
            Kind::Boolean => "Boolean",
            Kind::Timestamp => "Timestamp",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Numeric => "a number",
            Kind::Boolean => "a boolean",
            Kind::Timestamp => "a timestamp",
        }
    }
}

const TESTS: &[(&str, &str)] = &[
    ("is_present", "IsPresent"),
    ("is_null", "IsNull"),
    ("is_string", "IsString"),
    ("is_numeric", "IsNumeric"),
    ("is_boolean", "IsBoolean"),
    ("is_timestamp", "IsTimestamp"),
];

const KIND_WRAPPERS: &[(&str, Kind)] = &[
    ("string", Kind::String),
    ("number", Kind::Numeric),
    ("boolean", Kind::Boolean),
    ("timestamp", Kind::Timestamp),
];

impl Parse for Condition {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        parse_or(input)
    }
}

fn parse_or(input: ParseStream) -> syn::Result<Condition> {
    let first = parse_and(input)?;
    if !input.peek(Token![||]) {
        return Ok(first);
    }
    let span = input.span();
    let mut all = vec![first];
    while input.peek(Token![||]) {
        input.parse::<Token![||]>()?;
        all.push(parse_and(input)?);
    }
    Ok(Condition::Or(all, span))
}

fn parse_and(input: ParseStream) -> syn::Result<Condition> {
    let first = parse_unary(input)?;
    if !input.peek(Token![&&]) {
        return Ok(first);
    }
    let span = input.span();
    let mut all = vec![first];
    while input.peek(Token![&&]) {
        input.parse::<Token![&&]>()?;
        all.push(parse_unary(input)?);
    }
    Ok(Condition::And(all, span))
}

fn parse_unary(input: ParseStream) -> syn::Result<Condition> {
    if input.peek(Token![!]) && !input.peek(Token![!=]) {
        let bang = input.parse::<Token![!]>()?;
        let inner = parse_unary(input)?;
        return Ok(Condition::Not(Box::new(inner), bang.span));
    }
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let inner = parse_or(&content)?;
        if !content.is_empty() {
            return Err(content.error("expected `)`"));
        }
        return Ok(inner);
    }
    if input.peek(syn::LitStr) || input.peek(Token![$]) {
        let fork = input.fork();
        let value: Literal = fork.parse()?;
        let alone = fork.is_empty()
            || fork.peek(Token![=>])
            || fork.peek(Token![&&])
            || fork.peek(Token![||]);
        let expression = match &value {
            Literal::String(text, _) => sfini_core::jsonata::expression_text(text).is_some(),
            Literal::Reference(..) => true,
            _ => false,
        };
        if alone && expression {
            let value: Literal = input.parse()?;
            return Ok(Condition::Expression(value));
        }
    }
    if input.peek(Ident::peek_any) && input.peek2(syn::token::Paren) {
        let fork = input.fork();
        let word = fork.call(Ident::parse_any)?.to_string();
        if let Some((_, asl)) = TESTS.iter().find(|(name, _)| *name == word) {
            let keyword = input.call(Ident::parse_any)?.span();
            let content;
            parenthesized!(content in input);
            let path = content.parse()?;
            if !content.is_empty() {
                return Err(content.error(format!("`{word}` takes one path")));
            }
            return Ok(Condition::Test {
                test: asl,
                path,
                keyword,
            });
        }
        if word == "matches" {
            let keyword = input.call(Ident::parse_any)?.span();
            let content;
            parenthesized!(content in input);
            let path = content.parse()?;
            content.parse::<Token![,]>().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "`matches` takes a path and a pattern, as in `matches(\"$.file\", \"*.csv\")`",
                )
            })?;
            let pattern = content.parse()?;
            if !content.is_empty() {
                return Err(content.error("`matches` takes a path and a pattern"));
            }
            return Ok(Condition::Matches {
                path,
                pattern,
                keyword,
            });
        }
        if !KIND_WRAPPERS.iter().any(|(name, _)| *name == word) {
            let known: Vec<&str> = TESTS
                .iter()
                .map(|(name, _)| *name)
                .chain(["matches"])
                .chain(KIND_WRAPPERS.iter().map(|(name, _)| *name))
                .collect();
            let hint = sfini_core::suggest::did_you_mean(&word, known.iter().copied());
            return Err(syn::Error::new(
                input.span(),
                format!(
                    "unknown function `{word}` in a condition{hint} (conditions use {})",
                    known.join(", ")
                ),
            ));
        }
    }
    let left = parse_operand(input)?;
    let op_span = input.span();
    let op = parse_op(input)?;
    let right = parse_operand(input)?;
    Ok(Condition::Compare {
        left,
        op,
        op_span,
        right,
    })
}

fn parse_op(input: ParseStream) -> syn::Result<Op> {
    macro_rules! try_op {
        ($token:tt, $op:expr) => {
            if input.peek(Token![$token]) {
                input.parse::<Token![$token]>()?;
                return Ok($op);
            }
        };
    }
    try_op!(==, Op::Eq);
    try_op!(!=, Op::Ne);
    try_op!(<=, Op::Le);
    try_op!(>=, Op::Ge);
    try_op!(<, Op::Lt);
    try_op!(>, Op::Gt);
    if input.peek(Token![=]) {
        return Err(input.error("expected a comparison; write `==` to compare for equality"));
    }
    Err(input.error(
        "expected a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`) after the operand",
    ))
}

fn parse_operand(input: ParseStream) -> syn::Result<Operand> {
    if input.peek(Ident::peek_any) && input.peek2(syn::token::Paren) {
        let fork = input.fork();
        let word = fork.call(Ident::parse_any)?.to_string();
        if let Some((_, kind)) = KIND_WRAPPERS.iter().find(|(name, _)| *name == word) {
            let span = input.call(Ident::parse_any)?.span();
            let content;
            parenthesized!(content in input);
            let value = content.parse()?;
            if !content.is_empty() {
                return Err(content.error(format!("`{word}(..)` takes one value or path")));
            }
            return Ok(Operand {
                value,
                declared: Some((*kind, span)),
            });
        }
    }
    let value: Literal = input.parse()?;
    if let Literal::Word(word) = &value {
        return Err(syn::Error::new(
            word.span(),
            format!(
                "expected a path such as \"$.{word}\" or a value; a bare name is not an operand"
            ),
        ));
    }
    Ok(Operand {
        value,
        declared: None,
    })
}

fn path_of(literal: &Literal) -> Option<&str> {
    match literal {
        Literal::String(text, _) if text.starts_with('$') => Some(text),
        Literal::Reference(text, ..) => Some(text),
        _ => None,
    }
}

/// Lowers a condition into its ASL object, recording spans under
/// `location` and collecting every error.
pub fn lower(
    condition: &Condition,
    location: &Location,
    spans: &mut Spans,
    errors: &mut Vec<syn::Error>,
) -> Map<String, Value> {
    let mut out = Map::new();
    match condition {
        Condition::Expression(Literal::Reference(text, span, end)) => {
            spans.record(location, *span);
            spans.record_range(&location.field("Variable"), *span, *end);
            out.insert("Variable".into(), Value::String(text.clone()));
            out.insert("BooleanEquals".into(), Value::Bool(true));
        }
        Condition::Expression(other) => errors.push(syn::Error::new(
            other.span(),
            "a `{% ... %}` condition is JSONata, and this choice's query language is JSONPath: \
             write the condition with paths, as in `\"$.count\" < 10`, or make the state \
             JSONata with `query_language: jsonata`",
        )),
        Condition::And(all, span) | Condition::Or(all, span) => {
            let name = if matches!(condition, Condition::And(..)) {
                "And"
            } else {
                "Or"
            };
            spans.record(location, *span);
            let list = location.field(name);
            let items = all
                .iter()
                .enumerate()
                .map(|(index, inner)| {
                    Value::Object(lower(inner, &list.index(index), spans, errors))
                })
                .collect();
            out.insert(name.into(), Value::Array(items));
        }
        Condition::Not(inner, span) => {
            if let Condition::Test {
                test,
                path,
                keyword,
            } = inner.as_ref()
            {
                return lower_test(test, path, *keyword, false, location, spans, errors);
            }
            spans.record(location, *span);
            let not = location.field("Not");
            out.insert(
                "Not".into(),
                Value::Object(lower(inner, &not, spans, errors)),
            );
        }
        Condition::Test {
            test,
            path,
            keyword,
        } => return lower_test(test, path, *keyword, true, location, spans, errors),
        Condition::Matches {
            path,
            pattern,
            keyword,
        } => {
            spans.record(location, *keyword);
            variable(path, "matches", location, spans, errors, &mut out);
            match pattern {
                Literal::String(text, span) => {
                    spans.record(&location.field("StringMatches"), *span);
                    out.insert("StringMatches".into(), Value::String(text.clone()));
                }
                other => errors.push(syn::Error::new(
                    other.span(),
                    format!(
                        "`matches` takes a pattern string such as \"*.csv\", not {}",
                        other.kind()
                    ),
                )),
            }
        }
        Condition::Compare {
            left,
            op,
            op_span,
            right,
        } => {
            if *op == Op::Ne {
                spans.record(location, *op_span);
                let not = location.field("Not");
                let equals = Condition::Compare {
                    left: left.clone(),
                    op: Op::Eq,
                    op_span: *op_span,
                    right: right.clone(),
                };
                out.insert(
                    "Not".into(),
                    Value::Object(lower(&equals, &not, spans, errors)),
                );
                return out;
            }
            lower_comparison(
                left, *op, *op_span, right, location, spans, errors, &mut out,
            );
        }
    }
    out
}

fn lower_test(
    test: &str,
    path: &Literal,
    keyword: Span,
    expected: bool,
    location: &Location,
    spans: &mut Spans,
    errors: &mut Vec<syn::Error>,
) -> Map<String, Value> {
    let mut out = Map::new();
    spans.record(location, keyword);
    let name = TESTS
        .iter()
        .find(|(_, asl)| *asl == test)
        .map_or(test, |(name, _)| name);
    variable(path, name, location, spans, errors, &mut out);
    spans.record(&location.field(test), keyword);
    out.insert(test.into(), Value::Bool(expected));
    out
}

/// Writes `Variable` from an operand that must be a path.
fn variable(
    path: &Literal,
    function: &str,
    location: &Location,
    spans: &mut Spans,
    errors: &mut Vec<syn::Error>,
    out: &mut Map<String, Value>,
) {
    match path_of(path) {
        Some(text) => {
            spans.record(&location.field("Variable"), path.span());
            out.insert("Variable".into(), Value::String(text.to_owned()));
        }
        None => errors.push(syn::Error::new(
            path.span(),
            format!("`{function}` takes a path starting with `$`, as in `{function}(\"$.field\")`"),
        )),
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_comparison(
    left: &Operand,
    op: Op,
    op_span: Span,
    right: &Operand,
    location: &Location,
    spans: &mut Spans,
    errors: &mut Vec<syn::Error>,
    out: &mut Map<String, Value>,
) {
    spans.record(location, op_span);
    let (variable, op, other) = match (path_of(&left.value), path_of(&right.value)) {
        (Some(_), _) => (left, op, right),
        (None, Some(_)) => (right, op.flipped(), left),
        (None, None) => {
            errors.push(syn::Error::new(
                op_span,
                "a comparison needs a path on one side, as in `\"$.count\" < 10`",
            ));
            return;
        }
    };
    let declared = match (variable.declared, other.declared) {
        (Some((a, _)), Some((b, span))) if a != b => {
            errors.push(syn::Error::new(
                span,
                format!(
                    "the two sides are declared as {} and {}; compare values of one kind",
                    a.noun(),
                    b.noun()
                ),
            ));
            return;
        }
        (Some(kind), _) | (None, Some(kind)) => Some(kind),
        (None, None) => None,
    };
    let path_text = path_of(&variable.value).unwrap_or_default().to_owned();
    spans.record(&location.field("Variable"), variable.value.span());
    out.insert("Variable".into(), Value::String(path_text.clone()));
    let (kind, value, other_is_path) = if let Some(other_path) = path_of(&other.value) {
        let Some((kind, _)) = declared else {
            errors.push(syn::Error::new(
                op_span,
                format!(
                    "cannot tell what kind of values `{path_text}` and `{other_path}` are; \
                     write `number(\"{other_path}\")`, `string(..)`, `boolean(..)` or `timestamp(..)`"
                ),
            ));
            return;
        };
        (kind, Value::String(other_path.to_owned()), true)
    } else {
        match kind_of_value(&other.value, declared, &path_text, errors) {
            Some((kind, value)) => (kind, value, false),
            None => return,
        }
    };
    if kind == Kind::Boolean && op != Op::Eq {
        errors.push(syn::Error::new(
            op_span,
            format!(
                "booleans are compared only with `==` or `!=`, not `{}`",
                op.token()
            ),
        ));
        return;
    }
    let name = format!(
        "{}{}{}",
        kind.asl(),
        op.asl(),
        if other_is_path { "Path" } else { "" }
    );
    spans.record(&location.field(&name), other.value.span());
    out.insert(name, value);
}

/// The kind and JSON value of a literal operand.
fn kind_of_value(
    value: &Literal,
    declared: Option<(Kind, Span)>,
    path: &str,
    errors: &mut Vec<syn::Error>,
) -> Option<(Kind, Value)> {
    let found = match value {
        Literal::String(text, span) => {
            if let Some((Kind::Timestamp, _)) = declared {
                if !sfini_core::timestamp::is_timestamp(text) {
                    errors.push(syn::Error::new(
                        *span,
                        format!(
                            "`{text}` is not a timestamp; write one as RFC 3339 with an uppercase T and Z or an offset, such as \"2024-01-31T12:00:00Z\""
                        ),
                    ));
                    return None;
                }
                return Some((Kind::Timestamp, Value::String(text.clone())));
            }
            Kind::String
        }
        Literal::Number(..) => Kind::Numeric,
        Literal::Bool(..) => Kind::Boolean,
        other => {
            errors.push(syn::Error::new(
                other.span(),
                format!(
                    "cannot compare `{path}` with {}; conditions compare strings, numbers, booleans and timestamps",
                    other.kind()
                ),
            ));
            return None;
        }
    };
    if let Some((kind, _)) = declared
        && kind != found
    {
        errors.push(syn::Error::new(
            value.span(),
            format!(
                "`{path}` is compared as {}, but this value is {}",
                kind.noun(),
                found.noun()
            ),
        ));
        return None;
    }
    Some((found, value.to_json()))
}

/// The text of an operand in a JSONata condition: a reference as written,
/// a `{% ... %}` string's expression in parentheses, a value as JSONata
/// writes it. `None` (with an error) for a JSONPath path.
fn jsonata_operand(value: &Literal, errors: &mut Vec<syn::Error>) -> Option<String> {
    match value {
        Literal::Reference(text, ..) => Some(text.clone()),
        Literal::String(text, span) => {
            if let Some(inner) = sfini_core::jsonata::expression_text(text) {
                return Some(format!("({})", inner.trim()));
            }
            if text.starts_with('$') {
                let instead = jsonpath_to_jsonata(text);
                errors.push(syn::Error::new(
                    *span,
                    format!(
                        "\"{text}\" is a JSONPath path, and this choice's query language is \
                         JSONata: write the reference `{instead}` without quotes"
                    ),
                ));
                return None;
            }
            Some(Value::String(text.clone()).to_string())
        }
        Literal::Number(number, _) => Some(number.to_string()),
        Literal::Bool(value, _) => Some(value.to_string()),
        Literal::Null(_) => Some("null".to_owned()),
        other => {
            errors.push(syn::Error::new(
                other.span(),
                format!(
                    "cannot compare {}; conditions compare references, expressions, strings, \
                     numbers, booleans and null",
                    other.kind()
                ),
            ));
            None
        }
    }
}

/// A JSONPath path of the input written as the JSONata reference that
/// reads the same: `$.order.id` → `$states.input.order.id`, `$$.x` →
/// `$states.context.x`; a variable's path stays as it is.
pub fn jsonpath_to_jsonata(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("$$") {
        format!("$states.context{rest}")
    } else if path == "$" || path.starts_with("$.") || path.starts_with("$[") {
        format!("$states.input{}", &path[1..])
    } else {
        path.to_owned()
    }
}

/// True when the operand is a reference or an expression, not a value.
fn is_dynamic(value: &Literal) -> bool {
    match value {
        Literal::Reference(..) => true,
        Literal::String(text, _) => {
            text.starts_with('$') || sfini_core::jsonata::expression_text(text).is_some()
        }
        _ => false,
    }
}

/// A StringMatches pattern (`*` any text, `\*` a star, `\\` a backslash)
/// as a JSONata regular expression matching the whole string.
fn glob_to_regex(pattern: &str) -> String {
    let mut out = String::from("/^");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(".*"),
            '\\' => match chars.next() {
                Some(escaped) => escape_regex(escaped, &mut out),
                None => escape_regex('\\', &mut out),
            },
            other => escape_regex(other, &mut out),
        }
    }
    out.push_str("$/");
    out
}

fn escape_regex(c: char, out: &mut String) {
    if "\\^$.|?*+()[]{}/".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// Lowers a condition written in Rust's manner to the text of a JSONata
/// expression (without `{%` `%}`), collecting every error.
pub fn to_jsonata(condition: &Condition, errors: &mut Vec<syn::Error>) -> Option<String> {
    let joined = |all: &[Condition], word: &str, errors: &mut Vec<syn::Error>| {
        let parts: Vec<Option<String>> = all
            .iter()
            .map(|inner| {
                to_jsonata(inner, errors).map(|text| match inner {
                    Condition::And(..) | Condition::Or(..) => format!("({text})"),
                    _ => text,
                })
            })
            .collect();
        let parts: Option<Vec<String>> = parts.into_iter().collect();
        Some(parts?.join(&format!(" {word} ")))
    };
    match condition {
        Condition::Expression(Literal::String(text, _))
            if let Some(inner) = sfini_core::jsonata::expression_text(text) =>
        {
            Some(inner.trim().to_owned())
        }
        Condition::Expression(value) => jsonata_operand(value, errors),
        Condition::And(all, _) => joined(all, "and", errors),
        Condition::Or(all, _) => joined(all, "or", errors),
        Condition::Not(inner, _) => Some(format!("$not({})", to_jsonata(inner, errors)?)),
        Condition::Test {
            test,
            path,
            keyword,
        } => {
            let text = jsonata_operand(path, errors)?;
            if !is_dynamic(path) {
                errors.push(syn::Error::new(
                    path.span(),
                    "a test takes a reference such as `$states.input.name` or an expression",
                ));
                return None;
            }
            Some(match *test {
                "IsPresent" => format!("$exists({text})"),
                "IsNull" => format!("{text} = null"),
                "IsString" => format!("$type({text}) = \"string\""),
                "IsNumeric" => format!("$type({text}) = \"number\""),
                "IsBoolean" => format!("$type({text}) = \"boolean\""),
                _ => {
                    errors.push(syn::Error::new(
                        *keyword,
                        "`is_timestamp` has no JSONata form; write the test as a `\"{% ... %}\"` \
                         condition",
                    ));
                    return None;
                }
            })
        }
        Condition::Matches { path, pattern, .. } => {
            let text = jsonata_operand(path, errors);
            let pattern = match pattern {
                Literal::String(pattern, _) => Some(glob_to_regex(pattern)),
                other => {
                    errors.push(syn::Error::new(
                        other.span(),
                        format!(
                            "`matches` takes a pattern string such as \"*.csv\", not {}",
                            other.kind()
                        ),
                    ));
                    None
                }
            };
            Some(format!("$contains({}, {})", text?, pattern?))
        }
        Condition::Compare {
            left,
            op,
            op_span,
            right,
        } => {
            if !is_dynamic(&left.value) && !is_dynamic(&right.value) {
                errors.push(syn::Error::new(
                    *op_span,
                    "a comparison needs a reference or an expression on one side, as in \
                     `$states.input.count < 10`",
                ));
                return None;
            }
            let boolean = |operand: &Operand| {
                matches!(operand.value, Literal::Bool(..))
                    || matches!(operand.declared, Some((Kind::Boolean, _)))
            };
            if (boolean(left) || boolean(right)) && !matches!(op, Op::Eq | Op::Ne) {
                errors.push(syn::Error::new(
                    *op_span,
                    format!(
                        "booleans are compared only with `==` or `!=`, not `{}`",
                        op.token()
                    ),
                ));
                return None;
            }
            let timestamps = [left, right]
                .iter()
                .any(|operand| matches!(operand.declared, Some((Kind::Timestamp, _))));
            let side = |operand: &Operand, errors: &mut Vec<syn::Error>| {
                let text = jsonata_operand(&operand.value, errors)?;
                Some(match timestamps {
                    true => {
                        if let Literal::String(value, span) = &operand.value
                            && !is_dynamic(&operand.value)
                            && !sfini_core::timestamp::is_timestamp(value)
                        {
                            errors.push(syn::Error::new(
                                *span,
                                format!(
                                    "`{value}` is not a timestamp; write one as RFC 3339, such \
                                     as \"2024-01-31T12:00:00Z\""
                                ),
                            ));
                            return None;
                        }
                        format!("$toMillis({text})")
                    }
                    _ => text,
                })
            };
            let left = side(left, errors);
            let right = side(right, errors);
            let op = match op {
                Op::Eq => "=",
                other => other.token(),
            };
            Some(format!("{} {op} {}", left?, right?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_become_whole_string_regexes() {
        assert_eq!(glob_to_regex("*.csv"), r"/^.*\.csv$/");
        // `\*` is a star itself, `\\` a backslash; regex and JSONata
        // delimiters are escaped.
        assert_eq!(glob_to_regex(r"a\*b\\c/(d)"), r"/^a\*b\\c\/\(d\)$/");
        assert_eq!(glob_to_regex(""), "/^$/");
    }

    #[test]
    fn jsonpath_paths_are_suggested_as_references() {
        assert_eq!(jsonpath_to_jsonata("$.order.id"), "$states.input.order.id");
        assert_eq!(jsonpath_to_jsonata("$"), "$states.input");
        assert_eq!(jsonpath_to_jsonata("$[0]"), "$states.input[0]");
        assert_eq!(
            jsonpath_to_jsonata("$$.Execution.Id"),
            "$states.context.Execution.Id"
        );
        assert_eq!(jsonpath_to_jsonata("$total.x"), "$total.x");
    }

    #[test]
    fn lowered_conditions_compile_as_jsonata() {
        for text in [
            r#"matches($states.input.file, "a\\*b*.csv") && !is_null($x)"#,
            r#"timestamp($states.input.at) < "2026-01-01T00:00:00Z" || $n != 3"#,
        ] {
            let condition: Condition = syn::parse_str(text).unwrap();
            let mut errors = Vec::new();
            let lowered = to_jsonata(&condition, &mut errors).unwrap();
            assert!(errors.is_empty());
            sfini_core::jsonata::Expression::compile(&lowered)
                .unwrap_or_else(|error| panic!("{lowered}: {error}"));
        }
    }
}
