//! What an expression may read, found once when it is compiled: the parts
//! of `$states` and the variables to bind, whether it reads the context
//! value, and the shapes simple enough to answer without the engine.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jlens_core::HostFunction;
use jlens_core::ast::{Attrs, FallbackOp, Node, NodeKind};
use jlens_core::reads::{Read, Reads};

use super::error::{SyntaxError, char_offset};
use super::functions::{EVAL, STEP_FUNCTIONS, base_bindings};

/// The names of JSONata's built-in functions, without the `$`.
pub(crate) fn builtins() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        jlens_core::function_catalog()
            .iter()
            .map(|function| function.name)
            .collect()
    })
}

/// Whether `$name` names a function rather than a variable: a built-in or
/// one of the Step Functions functions.
pub(crate) fn is_function_name(name: &str) -> bool {
    builtins().contains(name) || STEP_FUNCTIONS.contains(&name)
}

/// Which parts of `$states` an expression may read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatesReads {
    /// `$states.input`.
    pub input: bool,
    /// `$states.result`.
    pub result: bool,
    /// `$states.errorOutput`.
    pub error_output: bool,
    /// `$states.context`.
    pub context: bool,
    /// `$states` itself, or a field of it named by a value: any field may
    /// be read, and those the state does not offer are simply absent (the
    /// others are set too).
    pub whole: bool,
}

impl StatesReads {
    fn all() -> StatesReads {
        StatesReads {
            input: true,
            result: true,
            error_output: true,
            context: true,
            whole: true,
        }
    }
}

/// One of the four fields of `$states`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatesField {
    Input,
    Result,
    ErrorOutput,
    Context,
}

impl StatesField {
    pub(crate) const ALL: [StatesField; 4] = [
        StatesField::Input,
        StatesField::Result,
        StatesField::ErrorOutput,
        StatesField::Context,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            StatesField::Input => "input",
            StatesField::Result => "result",
            StatesField::ErrorOutput => "errorOutput",
            StatesField::Context => "context",
        }
    }

    fn named(name: &str) -> Option<StatesField> {
        StatesField::ALL
            .into_iter()
            .find(|field| field.name() == name)
    }
}

/// An expression simple enough to be answered by walking the data, with
/// the result JSONata gives (see `evaluate::fast`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Anything else: evaluated by the engine.
    General,
    /// `$states.field` followed by field names.
    States(StatesField, Vec<String>),
    /// `$name` followed by field names, `name` a workflow variable.
    Variable(String, Vec<String>),
    /// An arithmetic or comparison operator between two selections or
    /// literals: `$i + 1`, `$states.input.total > 100`.
    Binary(Operator, Box<Operand>, Box<Operand>),
}

/// The operators [`Shape::Binary`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operator {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// An operand of [`Shape::Binary`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    /// A selection: [`Shape::States`] or [`Shape::Variable`].
    Selection(Shape),
    /// A number, string, boolean or `null`.
    Literal(serde_json::Value),
}

/// What the evaluation binds: `$states` cut by its read, and each variable
/// by its own.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    /// How `$states` is read, when it is.
    pub(crate) states: Option<Read>,
    /// The workflow variables read, each with what is read of it.
    pub(crate) variables: Vec<(String, Read)>,
}

/// Everything found about one expression.
#[derive(Clone, Debug)]
pub(crate) struct Analysis {
    /// The expression with `$states` read as the root input (`$$`), when
    /// that means the same (see [`states_as_input`]): the text, and where
    /// each `$$` put in starts, in characters.
    pub(crate) states_as_input: Option<(String, Vec<usize>)>,
    /// The host functions the expression names (sfini's, and `$eval`
    /// refused): an evaluation binds these only.
    pub(crate) functions: Vec<String>,
    pub(crate) reads_context: bool,
    pub(crate) variables: Vec<String>,
    pub(crate) states: StatesReads,
    pub(crate) calls_eval: bool,
    pub(crate) plan: Plan,
    pub(crate) shape: Shape,
    /// The functions it calls by name.
    pub(crate) calls: super::calls::Calls,
}

/// Analyses a compiled expression.
pub(crate) fn analyse(expression: &jlens_core::Expression) -> Analysis {
    let root = &expression.ast().root;
    let mut named: Vec<(usize, &str)> = Vec::new();
    let mut called: HashSet<&str> = HashSet::new();
    walk(root, |node| match &node.kind {
        NodeKind::Variable { name } => named.push((node.span.start, name)),
        NodeKind::Function { procedure, .. } | NodeKind::Partial { procedure, .. } => {
            if let NodeKind::Variable { name } = &procedure.kind {
                called.insert(name);
            }
        }
        _ => {}
    });
    named.sort_by_key(|(start, _)| *start);
    let calls_eval = named.iter().any(|(_, name)| *name == EVAL);
    let mut functions: Vec<String> = named
        .iter()
        .map(|(_, name)| *name)
        .filter(|name| base_bindings().get_function(name).is_some())
        .map(str::to_owned)
        .collect();
    functions.sort();
    functions.dedup();

    // A variable called as a function and that is no function's name can
    // only hold JSON in Step Functions, so calling it fails whatever the
    // context: analysed as a function that does not read it, rather than
    // as one that may read the whole context.
    let mut bindings = base_bindings().clone();
    for name in called {
        if !is_function_name(name) && name != EVAL && !name.is_empty() && name != "$" {
            bindings = bindings.function(name, placeholder());
        }
    }
    let reads = expression.reads_with(&bindings);

    let states = match reads.binding("states") {
        None => StatesReads::default(),
        Some(Read::Whole) => StatesReads::all(),
        Some(Read::Fields(fields)) => StatesReads {
            input: fields.contains_key("input"),
            result: fields.contains_key("result"),
            error_output: fields.contains_key("errorOutput"),
            context: fields.contains_key("context"),
            whole: false,
        },
    };

    let free: Box<dyn Fn(&str) -> bool> = if reads.every_binding() {
        Box::new(|_| true)
    } else {
        Box::new(|name| reads.bindings().contains_key(name))
    };
    let mut variables: Vec<String> = Vec::new();
    // Names of functions read where a workflow variable of the same name,
    // when one is assigned, shadows the function, as bindings do in
    // JSONata.
    let mut shadowing: Vec<String> = Vec::new();
    for (_, name) in &named {
        let name = *name;
        if name.is_empty()
            || name == "$"
            || name == "states"
            || name == EVAL
            || (!free(name) && !is_function_name(name))
            || variables
                .iter()
                .chain(&shadowing)
                .any(|known| known == name)
        {
            continue;
        }
        if is_function_name(name) {
            shadowing.push(name.to_owned());
        } else {
            variables.push(name.to_owned());
        }
    }

    let bound: Vec<String> = variables.iter().chain(&shadowing).cloned().collect();
    let plan = plan(&reads, &bound);
    // An object constructor needs its context to exist, and reads none of
    // it: with `$states` as the context it builds the same object, unless
    // a function there would take the context for an argument left out.
    let needs_only = reads
        .input()
        .is_some_and(|read| read.fields().is_some_and(|fields| fields.is_empty()));
    let root_unread = reads.input().is_none() || needs_only && !takes_context(root);
    let states_as_input = (reads.binding("states").is_some()
        && root_unread
        && !calls_eval
        && !named
            .iter()
            .any(|(_, name)| *name == "$" || name.is_empty()))
    .then(|| states_as_input(expression))
    .flatten();
    Analysis {
        states_as_input,
        functions,
        // A path without a variable, or `$` used as a value, reads the
        // context, and `$$` always does. An object constructor only needs
        // its context to exist (without one it builds one object, as Step
        // Functions evaluates it), as a function that takes its context as
        // an argument only passes it on (and gets nothing in Step
        // Functions): neither reads it.
        reads_context: reads
            .input()
            .is_some_and(|read| read.fields().is_none_or(|fields| !fields.is_empty()))
            || named.iter().any(|(_, name)| *name == "$"),
        variables,
        states,
        calls_eval,
        shape: shape(root),
        plan,
        calls: super::calls::find(root, expression.source()),
    }
}

/// What to bind: `$states` and each variable with what is read of it;
/// every variable whole when the analysis could not follow them (`$eval`).
fn plan(reads: &Reads, variables: &[String]) -> Plan {
    let whole_everything = reads.every_binding();
    let states = if whole_everything {
        Some(Read::Whole)
    } else {
        reads.binding("states").cloned()
    };
    let variables = variables
        .iter()
        .map(|name| {
            let read = if whole_everything {
                Read::Whole
            } else {
                reads.binding(name).cloned().unwrap_or(Read::Whole)
            };
            (name.clone(), read)
        })
        .collect();
    Plan { states, variables }
}

/// Refuses the operators JSONata 2.1 added, `?:` and `??`, which
/// jsonata-js 2.0.6 (the version Step Functions runs) reads as a `?` with
/// a missing operand: it fails with `S0211` at the operator's second
/// character, and so does this, at the first such operator.
pub(crate) fn refuse_newer_operators(
    expression: &jlens_core::Expression,
    text: &str,
) -> Result<(), SyntaxError> {
    let mut first: Option<usize> = None;
    walk(&expression.ast().root, |node| {
        if let NodeKind::Fallback { op, lhs, rhs } = &node.kind {
            let symbol = match op {
                FallbackOp::Default => "?:",
                FallbackOp::Coalesce => "??",
            };
            let between = text.get(lhs.span.end..rhs.span.start).unwrap_or_default();
            let at = between
                .find(symbol)
                .map_or(lhs.span.end, |found| lhs.span.end + found)
                + 1;
            first = Some(first.map_or(at, |earlier| earlier.min(at)));
        }
    });
    match first {
        None => Ok(()),
        Some(byte) => {
            let token = text.get(byte..byte + 1).unwrap_or("?").to_owned();
            Err(SyntaxError {
                code: "S0211".to_owned(),
                message: format!(
                    "The symbol {} cannot be used as a unary operator \
                     (Step Functions runs JSONata 2.0, which has no ?: or ?? operator)",
                    serde_json::Value::from(token.as_str())
                ),
                offset: char_offset(text, byte),
                token: Some(token),
            })
        }
    }
}

/// A function of no effect, standing for a variable called as a function
/// in the analysis.
fn placeholder() -> HostFunction {
    static PLACEHOLDER: OnceLock<HostFunction> = OnceLock::new();
    PLACEHOLDER
        .get_or_init(|| HostFunction::new(0, |_args, _call| Ok(None)).without_input())
        .clone()
}

/// Calls `visit` on every node of the tree, parents before their
/// children, without recursion.
pub(super) fn walk<'a>(root: &'a Node, mut visit: impl FnMut(&'a Node)) {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        visit(node);
        node.for_each_child(|child| pending.push(child));
    }
}

/// Whether a node carries none of the attributes that change how a step
/// or a value is evaluated (predicates, bindings, grouping, `[]`).
fn plain(attrs: &Attrs) -> bool {
    !attrs.keep_array
        && !attrs.cons_array
        && !attrs.tuple
        && attrs.focus.is_none()
        && attrs.index.is_none()
        && attrs.stages.is_empty()
        && attrs.predicate.is_empty()
        && attrs.group.is_none()
        && attrs.ancestor.is_none()
        && attrs.ancestor_label.is_none()
        && attrs.seeking_parent.is_empty()
}

/// The shape of an expression: `$states.field.a.b`, `$name.a.b` or
/// anything else.
fn shape(root: &Node) -> Shape {
    if !plain(&root.attrs) || root.annotation.is_some() {
        return Shape::General;
    }
    if let NodeKind::Binary { op, lhs, rhs } = &root.kind {
        return binary(*op, lhs, rhs);
    }
    let steps: &[Node] = match &root.kind {
        NodeKind::Variable { .. } => std::slice::from_ref(root),
        NodeKind::Path {
            steps,
            keep_singleton_array: false,
        } => steps,
        _ => return Shape::General,
    };
    let Some((first, rest)) = steps.split_first() else {
        return Shape::General;
    };
    let NodeKind::Variable { name } = &first.kind else {
        return Shape::General;
    };
    let mut fields = Vec::with_capacity(rest.len());
    for step in std::iter::once(first).chain(rest) {
        if !plain(&step.attrs) || step.annotation.is_some() {
            return Shape::General;
        }
    }
    for step in rest {
        match &step.kind {
            NodeKind::Name { name } => fields.push(name.clone()),
            _ => return Shape::General,
        }
    }
    if name == "states" {
        let Some((field, path)) = fields.split_first() else {
            return Shape::General;
        };
        match StatesField::named(field) {
            Some(field) => Shape::States(field, path.to_vec()),
            None => Shape::General,
        }
    } else if name.is_empty() || name == "$" || name == EVAL || is_function_name(name) {
        Shape::General
    } else {
        Shape::Variable(name.clone(), fields)
    }
}

/// The expression's text with every `$states` written `$$`, so that the
/// evaluation reads the states' values in place, as its root input, rather
/// than copies of them bound to a variable. The same meaning when nothing
/// else reads the root input (the caller checks that the expression reads
/// no context and names neither `$` nor `$$`) and no name `states` is
/// bound inside the expression (`:=`, a lambda's parameter, `@` or `#`).
fn states_as_input(expression: &jlens_core::Expression) -> Option<(String, Vec<usize>)> {
    let source = expression.source();
    let mut spans = Vec::new();
    let mut rebound = false;
    walk(&expression.ast().root, |node| {
        let names = [node.attrs.focus.as_deref(), node.attrs.index.as_deref()];
        rebound |= names.contains(&Some("states"));
        match &node.kind {
            NodeKind::Variable { name } if name == "states" => spans.push(node.span),
            NodeKind::Bind { lhs, .. } => {
                rebound |= matches!(&lhs.kind, NodeKind::Variable { name } if name == "states");
            }
            NodeKind::Lambda(definition) => {
                rebound |= definition.params.iter().any(|param| param == "states");
            }
            _ => {}
        }
    });
    if rebound || spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|span| span.start);
    let mut text = String::with_capacity(source.len());
    let mut starts = Vec::with_capacity(spans.len());
    let mut position = 0;
    for span in spans {
        if source.get(span.start..span.end) != Some("$states") || span.start < position {
            return None;
        }
        text.push_str(&source[position..span.start]);
        starts.push(text.chars().count());
        text.push_str("$$");
        position = span.end;
    }
    text.push_str(&source[position..]);
    Some((text, starts))
}

/// Whether some call may give a function its context value for an argument:
/// a call of a built-in whose signature lets its first argument come from
/// the context (`<s-...>`) with fewer arguments than it requires, a partial
/// application, or a call of anything but a built-in named directly.
fn takes_context(root: &Node) -> bool {
    let mut takes = false;
    walk(root, |node| match &node.kind {
        NodeKind::Function { procedure, args } => {
            takes |= match &procedure.kind {
                NodeKind::Variable { name } => match builtin_signature(name) {
                    Some(signature) => {
                        signature.contains('-') && args.len() < required_arguments(&signature)
                    }
                    None => true,
                },
                _ => true,
            };
        }
        NodeKind::Partial { .. } => takes = true,
        _ => {}
    });
    takes
}

/// The signature of the built-in function `name`.
fn builtin_signature(name: &str) -> Option<String> {
    static SIGNATURES: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    SIGNATURES
        .get_or_init(|| {
            jlens_core::function_catalog()
                .into_iter()
                .map(|function| (function.name, function.signature))
                .collect()
        })
        .get(name)
        .cloned()
}

/// How many arguments a signature (`<s-nn?:s>`) requires: its parameters
/// not marked optional (`?`).
pub(super) fn required_arguments(signature: &str) -> usize {
    let parameters = signature
        .trim_start_matches('<')
        .split(':')
        .next()
        .unwrap_or_default();
    let mut required = 0_usize;
    let mut depth = 0_usize;
    for character in parameters.chars() {
        match character {
            '(' | '<' => {
                if depth == 0 && character == '(' {
                    required += 1;
                }
                depth += 1;
            }
            ')' | '>' => depth = depth.saturating_sub(1),
            '?' if depth == 0 => required = required.saturating_sub(1),
            '-' | '+' => {}
            _ if depth == 0 => required += 1,
            _ => {}
        }
    }
    required
}

/// A binary operation the evaluation can do without the engine.
fn binary(op: jlens_core::ast::BinaryOp, lhs: &Node, rhs: &Node) -> Shape {
    use jlens_core::ast::BinaryOp;
    let operator = match op {
        BinaryOp::Add => Operator::Add,
        BinaryOp::Sub => Operator::Subtract,
        BinaryOp::Mul => Operator::Multiply,
        BinaryOp::Div => Operator::Divide,
        BinaryOp::Mod => Operator::Remainder,
        BinaryOp::Eq => Operator::Equal,
        BinaryOp::Ne => Operator::NotEqual,
        BinaryOp::Lt => Operator::Less,
        BinaryOp::Le => Operator::LessOrEqual,
        BinaryOp::Gt => Operator::Greater,
        BinaryOp::Ge => Operator::GreaterOrEqual,
        _ => return Shape::General,
    };
    match (operand(lhs), operand(rhs)) {
        (Some(lhs), Some(rhs)) => Shape::Binary(operator, Box::new(lhs), Box::new(rhs)),
        _ => Shape::General,
    }
}

fn operand(node: &Node) -> Option<Operand> {
    if !plain(&node.attrs) || node.annotation.is_some() {
        return None;
    }
    let literal = match &node.kind {
        NodeKind::Number { value } => serde_json::Value::from(*value),
        NodeKind::String { value } => serde_json::Value::from(value.as_str()),
        NodeKind::Bool { value } => serde_json::Value::Bool(*value),
        NodeKind::Null => serde_json::Value::Null,
        _ => {
            return match shape(node) {
                selection @ (Shape::States(..) | Shape::Variable(..)) => {
                    Some(Operand::Selection(selection))
                }
                _ => None,
            };
        }
    };
    Some(Operand::Literal(literal))
}

/// The read of `$states` restricted to one field, for building it.
pub(crate) fn field_read(states: &Read, field: StatesField) -> Option<&Read> {
    match states {
        Read::Whole => {
            static WHOLE: Read = Read::Whole;
            Some(&WHOLE)
        }
        Read::Fields(fields) => fields.get(field.name()),
    }
}
#[cfg(test)]
mod shadowing_tests {
    use serde_json::{Map, json};

    use crate::jsonata::{Environment, Expression, Limits};

    #[test]
    fn a_variable_named_as_a_function_shadows_it_only_when_assigned() {
        let expression = Expression::compile("$sum + $n").unwrap();
        let mut variables = Map::new();
        variables.insert("sum".into(), json!(3));
        variables.insert("n".into(), json!(4));
        let input = json!({});
        let environment = Environment::new(&input, &variables);
        assert_eq!(
            expression
                .evaluate(&environment, &Limits::default())
                .unwrap(),
            Some(json!(7))
        );
        assert_eq!(expression.variables(), ["n"]);
        let call = Expression::compile("$sum([1, 2])").unwrap();
        let none = Map::new();
        let environment = Environment::new(&input, &none);
        assert_eq!(
            call.evaluate(&environment, &Limits::default()).unwrap(),
            Some(json!(3))
        );
    }
}
