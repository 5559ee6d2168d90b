//! The functions an expression calls by name, and the calls that fail
//! whenever they run: a name that is no function, or a number of
//! arguments that the function's signature does not take.
//!
//! Step Functions accepts a definition holding such a call; the state
//! fails with `States.QueryEvaluationError` when the call is evaluated.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use jlens_core::ast::{Node, NodeId, NodeKind};

use super::analysis::{builtins, walk};
use super::error::char_offset;
use super::functions::{EVAL, STEP_FUNCTIONS, signature};

/// What the name of a called function stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// One of JSONata's built-in functions (`$length`, `$substring`...).
    Builtin,
    /// One of the functions Step Functions adds (`$partition`, `$range`,
    /// `$hash`, `$random`, `$uuid`, `$parse`); `$random` takes a seed there.
    StepFunctions,
    /// `$eval`, which Step Functions does not offer.
    Refused,
    /// A name the expression binds itself: a function it defines
    /// (`$f := function($x) { ... }`), a function's parameter, a name bound
    /// with `:=`, or by `@` or `#` in a path. Such a call is not checked.
    Bound,
    /// None of those. A workflow variable holds JSON, never a function, so
    /// calling one fails too.
    Unknown,
}

/// How many arguments a function takes, read from its signature.
///
/// In a signature such as `<s-nn?:s>` each letter is a parameter; `?`
/// makes the one before it optional, `+` lets it repeat, and `-` lets the
/// context value stand for it when it is left out (`$states.input.name.$uppercase()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arity {
    /// The fewest arguments a call may give: the parameters that are
    /// neither optional nor taken from the context value.
    pub min: usize,
    /// The fewest arguments when none is taken from the context value.
    pub explicit_min: usize,
    /// The most arguments; `None` when the last parameter repeats (`+`).
    pub max: Option<usize>,
}

impl Arity {
    /// The arity a signature such as `<s-nn?:s>` gives.
    fn of(signature: &str) -> Arity {
        #[derive(Default)]
        struct Parameter {
            optional: bool,
            context: bool,
            repeats: bool,
        }
        let mut parameters: Vec<Parameter> = Vec::new();
        let mut chars = signature.chars().skip(1).peekable();
        while let Some(symbol) = chars.next() {
            match symbol {
                ':' | '>' => break,
                '(' => {
                    // A choice of types, `(sf)`: one parameter.
                    for inner in chars.by_ref() {
                        if inner == ')' {
                            break;
                        }
                    }
                    parameters.push(Parameter::default());
                }
                '<' => {
                    // The type of an array's items or a function's
                    // signature: part of the parameter before it.
                    let mut depth = 1_usize;
                    for inner in chars.by_ref() {
                        match inner {
                            '<' => depth += 1,
                            '>' => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 {
                            break;
                        }
                    }
                }
                '?' | '-' | '+' => {
                    if let Some(last) = parameters.last_mut() {
                        match symbol {
                            '?' => last.optional = true,
                            '-' => last.context = true,
                            _ => last.repeats = true,
                        }
                    }
                }
                _ => parameters.push(Parameter::default()),
            }
        }
        Arity {
            min: parameters
                .iter()
                .filter(|p| !p.optional && !p.context)
                .count(),
            explicit_min: parameters.iter().filter(|p| !p.optional).count(),
            max: (!parameters.iter().any(|p| p.repeats)).then_some(parameters.len()),
        }
    }

    /// Whether a call with `count` arguments fits.
    pub fn accepts(self, count: usize) -> bool {
        count >= self.min && self.max.is_none_or(|max| count <= max)
    }

    /// "2 to 3 arguments", "1 argument", "no arguments", "at least 1
    /// argument": how many arguments a call gives when none comes from the
    /// context value.
    fn describe(self) -> String {
        let plural = |count: usize| if count == 1 { "argument" } else { "arguments" };
        match self.max {
            Some(0) => "no arguments".to_owned(),
            Some(max) if max == self.explicit_min => format!("{max} {}", plural(max)),
            Some(max) => format!("{} to {max} arguments", self.explicit_min),
            None => format!(
                "at least {} {}",
                self.explicit_min,
                plural(self.explicit_min)
            ),
        }
    }
}

/// The arity of the function Step Functions binds to `$name` (`name`
/// without the `$`): its own functions first, then JSONata's built-ins.
fn arity(name: &str) -> Option<Arity> {
    static ARITIES: OnceLock<HashMap<&'static str, Arity>> = OnceLock::new();
    ARITIES
        .get_or_init(|| {
            let mut arities: HashMap<&'static str, Arity> = jlens_core::function_catalog()
                .into_iter()
                .map(|function| (function.name, Arity::of(&function.signature)))
                .collect();
            for name in STEP_FUNCTIONS {
                if let Some(signature) = signature(name) {
                    arities.insert(name, Arity::of(signature));
                }
            }
            arities
        })
        .get(name)
        .copied()
}

/// A call of a function named directly, `$name(...)`, or its partial
/// application, `$name(?, 2)`. Calls of anything else (`$f(1)(2)`, a
/// function read from a path) are not listed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FunctionCall {
    /// The function's name, without the `$`.
    pub name: String,
    /// How many arguments the call gives: the placeholders `?` of a partial
    /// application included, and the value before `~>` when the call is
    /// the right side of one (`$s ~> $substring(1)` gives two).
    pub arguments: usize,
    /// True for a partial application (`$substring(?, 0, 2)`).
    pub partial: bool,
    /// Where the call starts (its `$`), in characters (not bytes) from the
    /// start of the expression's text, starting at 0.
    pub offset: usize,
    /// What the name stands for.
    pub kind: FunctionKind,
    /// How many arguments the function takes, for a built-in or Step
    /// Functions function.
    pub arity: Option<Arity>,
}

/// A call that fails whenever it is evaluated, or, for a partial
/// application (`$substring(?, 1, 2, 3)`), that gives the function more
/// arguments than it takes (ignored) or fewer than it needs (left undefined).
///
/// ```
/// use sfini_core::jsonata::Expression;
///
/// let expression = Expression::compile("$lenght($states.input.name) + $power(2, 3, 4)")?;
/// let problems: Vec<String> = expression.call_problems().iter().map(ToString::to_string).collect();
/// assert_eq!(
///     problems,
///     [
///         "unknown function `$lenght`; did you mean `$length`? (at character 1 of the expression)",
///         "`$power` takes 2 arguments, given 3 (at character 31 of the expression)",
///     ]
/// );
/// # Ok::<(), sfini_core::jsonata::SyntaxError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CallProblem {
    /// A name that no function has and that the expression does not bind.
    UnknownFunction {
        /// The name, without the `$`.
        name: String,
        /// Where the call starts, in characters from 0.
        offset: usize,
        /// The known function whose name is closest, without the `$`.
        suggestion: Option<String>,
    },
    /// A built-in or Step Functions function given more arguments than its
    /// signature takes, or fewer than it needs (placeholders `?` counted).
    WrongArguments {
        /// The function's name, without the `$`.
        name: String,
        /// How many arguments the call gives.
        given: usize,
        /// How many the function takes.
        arity: Arity,
        /// True for a partial application, whose placeholders are counted.
        partial: bool,
        /// Where the call starts, in characters from 0.
        offset: usize,
    },
}

impl CallProblem {
    /// Where the call starts, in characters from the start of the
    /// expression's text, starting at 0.
    pub fn offset(&self) -> usize {
        match self {
            CallProblem::UnknownFunction { offset, .. }
            | CallProblem::WrongArguments { offset, .. } => *offset,
        }
    }
}

impl fmt::Display for CallProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallProblem::UnknownFunction {
                name,
                suggestion: Some(suggestion),
                ..
            } => write!(
                f,
                "unknown function `${name}`; did you mean `${suggestion}`?"
            )?,
            CallProblem::UnknownFunction { name, .. } => write!(
                f,
                "unknown function `${name}`: neither JSONata nor Step Functions has it, the \
                 expression does not define it, and a workflow variable holds JSON, not a function"
            )?,
            CallProblem::WrongArguments {
                name,
                given,
                arity,
                partial,
                ..
            } => {
                write!(f, "`${name}` takes {}", arity.describe())?;
                if *given < arity.min && arity.min < arity.explicit_min {
                    f.write_str(
                        " (the first may be left out in a path step, whose value stands for it)",
                    )?;
                }
                write!(f, ", given {given}")?;
                if *partial {
                    // A partial application calls the function with
                    // exactly its parameters: the arguments past them are
                    // dropped, and those missing are undefined.
                    if arity.max.is_some_and(|max| *given > max) {
                        f.write_str(" in a partial application, which ignores the extra ones")?;
                    } else {
                        f.write_str(
                            " in a partial application, which leaves the missing ones undefined",
                        )?;
                    }
                }
            }
        }
        write!(f, " (at character {} of the expression)", self.offset() + 1)
    }
}

/// What the calls of an expression are, found once when it is compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct Calls {
    /// Every call of a function named directly, in the order written.
    pub(crate) calls: Vec<FunctionCall>,
    /// The names the expression binds itself.
    pub(crate) bound: Vec<String>,
    /// The names of unknown functions that the expression only calls, and
    /// never reads as a value.
    pub(crate) called_only: Vec<String>,
    /// The names of functions (built-in or Step Functions) that the
    /// expression reads as values without binding them: a workflow
    /// variable of the same name, where one is assigned, is read instead.
    pub(crate) function_values: Vec<String>,
}

/// Finds the calls of the expression whose tree is `root`, written `source`.
pub(crate) fn find(root: &Node, source: &str) -> Calls {
    let mut bound: HashSet<&str> = HashSet::new();
    // The calls on the right of `~>`, which receive its left as their first
    // argument.
    let mut applied: HashSet<NodeId> = HashSet::new();
    // The variables named as the function of a call.
    let mut procedures: HashSet<NodeId> = HashSet::new();
    let mut values: HashSet<&str> = HashSet::new();
    // (name, arguments, partial, byte offset), before the names are known.
    let mut found: Vec<(&str, usize, bool, usize)> = Vec::new();
    let mut variables: Vec<(NodeId, &str)> = Vec::new();
    walk(root, |node| {
        bound.extend(node.attrs.focus.as_deref());
        bound.extend(node.attrs.index.as_deref());
        match &node.kind {
            NodeKind::Apply { rhs, .. } if matches!(rhs.kind, NodeKind::Function { .. }) => {
                applied.insert(rhs.id);
            }
            NodeKind::Bind { lhs, .. } => {
                if let NodeKind::Variable { name } = &lhs.kind {
                    bound.insert(name);
                }
            }
            NodeKind::Lambda(definition) => {
                bound.extend(definition.params.iter().map(String::as_str));
            }
            NodeKind::Function { procedure, args } | NodeKind::Partial { procedure, args } => {
                if let NodeKind::Variable { name } = &procedure.kind {
                    procedures.insert(procedure.id);
                    if !name.is_empty() && name != "$" {
                        let partial = matches!(node.kind, NodeKind::Partial { .. });
                        let arguments = args.len() + usize::from(applied.contains(&node.id));
                        found.push((name, arguments, partial, procedure.span.start));
                    }
                }
            }
            NodeKind::Variable { name } => variables.push((node.id, name)),
            _ => {}
        }
    });
    let mut function_values: Vec<String> = Vec::new();
    for (id, name) in variables {
        if !procedures.contains(&id) && values.insert(name) {
            let function = builtins().contains(name) || STEP_FUNCTIONS.contains(&name);
            if function && name != EVAL && !bound.contains(name) {
                function_values.push(name.to_owned());
            }
        }
    }
    found.sort_by_key(|(.., start)| *start);
    let mut called_only: Vec<String> = Vec::new();
    let calls = found
        .into_iter()
        .map(|(name, arguments, partial, start)| {
            let kind = if bound.contains(name) {
                FunctionKind::Bound
            } else if name == EVAL {
                FunctionKind::Refused
            } else if STEP_FUNCTIONS.contains(&name) {
                FunctionKind::StepFunctions
            } else if builtins().contains(name) {
                FunctionKind::Builtin
            } else {
                if !values.contains(name) && !called_only.iter().any(|known| known == name) {
                    called_only.push(name.to_owned());
                }
                FunctionKind::Unknown
            };
            let arity = matches!(kind, FunctionKind::Builtin | FunctionKind::StepFunctions)
                .then(|| arity(name))
                .flatten();
            FunctionCall {
                name: name.to_owned(),
                arguments,
                partial,
                offset: char_offset(source, start),
                kind,
                arity,
            }
        })
        .collect();
    let mut bound: Vec<String> = bound.into_iter().map(str::to_owned).collect();
    bound.sort();
    Calls {
        calls,
        bound,
        called_only,
        function_values,
    }
}

/// The calls among `calls` that fail whenever they run; `bound` are the
/// names the expression binds, offered as suggestions with the functions.
pub(crate) fn problems(calls: &[FunctionCall], bound: &[String]) -> Vec<CallProblem> {
    /// How many unknown names get a suggestion searched for: each search
    /// compares the name with every function and every name bound.
    const SUGGESTED: usize = 32;
    let mut problems = Vec::new();
    let mut suggestions: HashMap<&str, Option<String>> = HashMap::new();
    for call in calls {
        match call.kind {
            FunctionKind::Unknown => {
                let searched = suggestions.len();
                let suggestion = suggestions
                    .entry(call.name.as_str())
                    .or_insert_with(|| {
                        if searched >= SUGGESTED {
                            return None;
                        }
                        let known = builtins()
                            .iter()
                            .copied()
                            .filter(|name| *name != EVAL)
                            .chain(STEP_FUNCTIONS)
                            .chain(bound.iter().map(String::as_str));
                        crate::suggest::closest(&call.name, known).map(str::to_owned)
                    })
                    .clone();
                problems.push(CallProblem::UnknownFunction {
                    name: call.name.clone(),
                    offset: call.offset,
                    suggestion,
                });
            }
            FunctionKind::Builtin | FunctionKind::StepFunctions => {
                if let Some(arity) = call.arity.filter(|arity| !arity.accepts(call.arguments)) {
                    problems.push(CallProblem::WrongArguments {
                        name: call.name.clone(),
                        given: call.arguments,
                        arity,
                        partial: call.partial,
                        offset: call.offset,
                    });
                }
            }
            FunctionKind::Refused | FunctionKind::Bound => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arities_follow_the_signatures() {
        let cases = [
            ("<s-nn?:s>", (1, 2, Some(3))),
            ("<a+>", (1, 1, None)),
            ("<af>", (2, 2, Some(2))),
            ("<:n>", (0, 0, Some(0))),
            ("<s-f<s:o>n?:a<o>>", (1, 2, Some(3))),
            ("<s-(sf)(sf)n?:s>", (2, 3, Some(4))),
            ("<x-b?:s>", (0, 1, Some(2))),
            ("<afj?:j>", (2, 2, Some(3))),
            ("<nnn:a<n>>", (3, 3, Some(3))),
        ];
        for (signature, (min, explicit_min, max)) in cases {
            assert_eq!(
                Arity::of(signature),
                Arity {
                    min,
                    explicit_min,
                    max
                },
                "{signature}"
            );
        }
        // Step Functions' `$random` takes a seed, JSONata's does not.
        assert_eq!(arity("random").map(|arity| arity.max), Some(Some(1)));
    }
}
