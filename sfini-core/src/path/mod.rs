//! JSONPath as the Amazon States Language uses it.
//!
//! Two kinds of path appear in a state machine:
//!
//! - a [`Path`] selects data: `$` for the state's input, `$$` for the context
//!   object, `$name` for the workflow variable `name`, then any of `.name`, `['name']`, `[n]` (negative counts from the
//!   end), `[*]`, `.*`, unions `[0,2]` / `['a','b']`, slices `[1:3]`, the deep
//!   scan `..name` and filters `[?(@.price < 10 && @.tags)]`;
//! - a [`ReferencePath`] names exactly one node: only `.name`, `['name']` and
//!   `[n]` with `n >= 0`. ResultPath, Choice variables and the `...Path`
//!   fields of Task, Wait and Map take reference paths.
//!
//! A path is *definite* when it can only name one node (names and indexes
//! only). A definite path selects that value or fails with [`NoMatch`]; any
//! other path selects every match, in document order, as a list that may be
//! empty. These are the rules of the Jayway implementation that AWS Step
//! Functions uses.
//!
//! ```
//! use serde_json::json;
//! use sfini_core::path::Path;
//!
//! let doc = json!({"books": [{"title": "A", "price": 8}, {"title": "B", "price": 12}]});
//! let cheap = Path::parse("$.books[?(@.price < 10)].title")?;
//! assert_eq!(cheap.select(&doc, &json!(null))?.into_value(), json!(["A"]));
//!
//! let first = Path::parse("$.books[0].title")?;
//! assert_eq!(first.select(&doc, &json!(null))?.into_value(), json!("A"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod eval;
mod filter;
mod parse;
mod reference;

use std::fmt;

pub(crate) use eval::kind_of;
pub use eval::{NoMatch, Selection};
pub use filter::{ComparisonOperator, Filter, Operand};
pub use reference::{ReferencePath, ReferenceStep, WriteError};

use serde_json::Value;

use crate::variables::{NoVariables, Variables};

/// Where a path starts: the state's data (`$`), the context object (`$$`)
/// or a workflow variable (`$name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// `$`: the data the path is applied to (a state's input, say).
    Data,
    /// `$$`: the context object (execution, state, state machine, task, map item).
    Context,
    /// `$name`: a workflow variable; [`Path::variable`] names it.
    Variable,
}

/// What the roots of a path stand for when it is applied: the data, the
/// context object and the workflow variables in scope.
#[derive(Clone, Copy)]
pub struct Roots<'v> {
    /// `$`.
    pub data: &'v Value,
    /// `$$`.
    pub context: &'v Value,
    /// `$name`.
    pub variables: &'v dyn Variables,
}

impl<'v> Roots<'v> {
    /// The data and the context object, with no variables.
    pub fn new(data: &'v Value, context: &'v Value) -> Roots<'v> {
        Roots {
            data,
            context,
            variables: &NoVariables,
        }
    }

    /// The same roots with `variables` in scope.
    pub fn with_variables(self, variables: &'v dyn Variables) -> Roots<'v> {
        Roots { variables, ..self }
    }
}

impl std::fmt::Debug for Roots<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Roots")
            .field("data", self.data)
            .field("context", self.context)
            .finish_non_exhaustive()
    }
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `.x`, `[...]`: applies the selector to the current nodes.
    Child(Selector),
    /// `..x`, `..[...]`: applies the selector to the current nodes and all their descendants.
    Descendants(Selector),
}

/// What a step picks out of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    /// `.name` or `['name']`: one field of an object.
    Name(String),
    /// `[n]`: one element of an array; negative counts from the end.
    Index(i64),
    /// `.*` or `[*]`: every field value of an object or element of an array.
    Wildcard,
    /// `['a','b']` or `[0,2]`: several fields or elements.
    Union(Vec<UnionMember>),
    /// `[start:end:step]`: a range of array elements.
    Slice(Slice),
    /// `[?(...)]`: the nodes for which a predicate holds.
    Filter(Box<Filter>),
}

/// A member of a union selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnionMember {
    /// A field name.
    Name(String),
    /// An array index; negative counts from the end.
    Index(i64),
}

/// An array slice `[start:end:step]`; bounds may be negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Slice {
    /// First index, inclusive (default: the start of the array).
    pub start: Option<i64>,
    /// Last index, exclusive (default: the end of the array).
    pub end: Option<i64>,
    /// Distance between picked elements (default 1; never 0).
    pub step: Option<i64>,
}

/// A parsed JSONPath expression.
///
/// Equality and display use the text the path was parsed from.
#[derive(Clone, Debug)]
pub struct Path {
    text: Box<str>,
    root: Root,
    /// The variable's name, for [`Root::Variable`].
    variable: Option<Box<str>>,
    steps: Vec<Step>,
}

/// Why a path does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid path `{path}`: {message} (at character {offset})")]
pub struct PathSyntaxError {
    /// The text that failed to parse.
    pub path: String,
    /// Character offset of the problem within `path`.
    pub offset: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

impl Path {
    /// Parses a complete path.
    pub fn parse(text: &str) -> Result<Path, PathSyntaxError> {
        let (path, used) = parse::parse_path(text, parse::Mode::Whole)?;
        debug_assert_eq!(used, text.len());
        Ok(path)
    }

    /// Checks that `text` is a path, without building it; returns where
    /// the path starts. Cheaper than [`Path::parse`] where only the
    /// verdict matters (validation).
    pub fn check(text: &str) -> Result<Root, PathSyntaxError> {
        parse::check_path(text, parse::Mode::Whole).map(|(root, _)| root)
    }

    /// Like [`Path::parse_prefix`], without building the path: returns the
    /// number of bytes the path takes.
    pub(crate) fn check_prefix(text: &str) -> Result<usize, PathSyntaxError> {
        parse::check_path(text, parse::Mode::Prefix).map(|(_, used)| used)
    }

    /// A stand-in for a path that was only checked, not built; it costs no
    /// allocation and is never evaluated.
    pub(crate) fn unbuilt() -> Path {
        Path {
            text: Box::default(),
            root: Root::Data,
            variable: None,
            steps: Vec::new(),
        }
    }

    /// Parses the longest path at the start of `text`, returning it and the
    /// number of bytes it took. Used where a path is embedded in a larger
    /// expression (an intrinsic function's arguments): the path ends before
    /// the first character that cannot continue it, such as `,` or `)`.
    pub fn parse_prefix(text: &str) -> Result<(Path, usize), PathSyntaxError> {
        parse::parse_path(text, parse::Mode::Prefix)
    }

    /// The root this path starts from.
    pub fn root(&self) -> Root {
        self.root
    }

    /// The variable the path starts from (`total` for `$total.net`).
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// The steps after the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The text of the path, as it was parsed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the path can only name one node: every step picks one field
    /// by name or one element by index.
    pub fn is_definite(&self) -> bool {
        self.steps.iter().all(|step| {
            matches!(
                step,
                Step::Child(Selector::Name(_)) | Step::Child(Selector::Index(_))
            )
        })
    }

    /// A definite path on the data as AWS writes it in its messages, each
    /// step in brackets: `$['order']['items'][0]` for `$.order.items[0]`;
    /// `None` for any other path.
    ///
    /// ```
    /// use sfini_core::path::Path;
    ///
    /// assert_eq!(
    ///     Path::parse("$.order['a b'].items[0]")?.normalized().as_deref(),
    ///     Some("$['order']['a b']['items'][0]")
    /// );
    /// assert_eq!(Path::parse("$.items[*]")?.normalized(), None);
    /// # Ok::<(), sfini_core::path::PathSyntaxError>(())
    /// ```
    pub fn normalized(&self) -> Option<String> {
        if self.root != Root::Data || !self.is_definite() {
            return None;
        }
        let mut text = String::from("$");
        for step in &self.steps {
            match step {
                Step::Child(Selector::Name(name)) => {
                    text.push_str("['");
                    text.push_str(name);
                    text.push_str("']");
                }
                Step::Child(Selector::Index(index)) => {
                    text.push('[');
                    text.push_str(&index.to_string());
                    text.push(']');
                }
                _ => return None,
            }
        }
        Some(text)
    }

    /// The path as AWS writes it in its messages, each name and index step
    /// in brackets after the root as written: `$['order']['items'][0]` for
    /// `$.order.items[0]`, `$$['Execution']['Input']` for
    /// `$$.Execution.Input`. Steps of other kinds are written as they were
    /// parsed; only a definite path can fail to match, so messages need
    /// no more.
    pub fn normalized_any(&self) -> String {
        let mut text = match self.root {
            Root::Data => String::from("$"),
            Root::Context => String::from("$$"),
            Root::Variable => format!("${}", self.variable.as_deref().unwrap_or_default()),
        };
        for step in &self.steps {
            match step {
                Step::Child(Selector::Name(name)) => {
                    text.push_str("['");
                    text.push_str(name);
                    text.push_str("']");
                }
                Step::Child(Selector::Index(index)) => {
                    text.push('[');
                    text.push_str(&index.to_string());
                    text.push(']');
                }
                _ => return self.text.to_string(),
            }
        }
        text
    }

    /// True when the path is exactly `$` (or `$$`, or a variable).
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Path {}

impl std::hash::Hash for Path {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Path {
    type Err = PathSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Path::parse(text)
    }
}

#[cfg(test)]
mod tests;
