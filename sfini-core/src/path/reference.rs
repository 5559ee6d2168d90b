//! Reference paths: paths that name exactly one node, and so can be written to.

use std::fmt;

use serde_json::{Map, Value};

use super::eval::{NoMatch, Selection, kind_of, render};
use super::parse::{Mode, check_path, parse_path};
use super::{Path, PathSyntaxError, Root, Roots, Selector, Step};
use crate::budget::Budget;

/// A path limited to `.name`, `['name']` and `[n]` (`n >= 0`), which names
/// at most one node. ResultPath, Choice variables and the `...Path` fields
/// of Task, Wait and Map are reference paths.
///
/// ```
/// use serde_json::json;
/// use sfini_core::path::ReferencePath;
///
/// let path = ReferencePath::parse("$.result.sum")?;
/// let mut data = json!({"a": 1});
/// path.write(&mut data, json!(3))?;
/// assert_eq!(data, json!({"a": 1, "result": {"sum": 3}}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReferencePath {
    path: Path,
}

/// One step of a reference path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceStep<'p> {
    /// A field of an object.
    Name(&'p str),
    /// An element of an array.
    Index(usize),
}

/// Why a value could not be written at a reference path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot write at `{path}`: {reason}")]
pub struct WriteError {
    /// The path, as written.
    pub path: String,
    /// What stood in the way.
    pub reason: String,
}

impl ReferencePath {
    /// Parses a reference path.
    pub fn parse(text: &str) -> Result<ReferencePath, PathSyntaxError> {
        let (path, _) = parse_path(text, Mode::Reference)?;
        Ok(ReferencePath { path })
    }

    /// Checks that `text` is a reference path, without building it;
    /// returns where the path starts.
    pub fn check(text: &str) -> Result<Root, PathSyntaxError> {
        check_path(text, Mode::Reference).map(|(root, _)| root)
    }

    /// The path as a general [`Path`].
    pub fn as_path(&self) -> &Path {
        &self.path
    }

    /// The text of the path.
    pub fn as_str(&self) -> &str {
        self.path.as_str()
    }

    /// Where the path starts.
    pub fn root(&self) -> Root {
        self.path.root
    }

    /// The steps after the root.
    pub fn steps(&self) -> impl ExactSizeIterator<Item = ReferenceStep<'_>> + '_ {
        self.path.steps.iter().map(|step| match step {
            Step::Child(Selector::Name(name)) => ReferenceStep::Name(name),
            Step::Child(Selector::Index(index)) => ReferenceStep::Index(*index as usize),
            // Construction admits only names and non-negative indexes.
            _ => unreachable!("reference paths hold only names and indexes"),
        })
    }

    /// The node the path names: `$` is `data`, `$$` is `context`.
    pub fn get<'v>(&self, data: &'v Value, context: &'v Value) -> Result<&'v Value, NoMatch> {
        self.get_in(Roots::new(data, context))
    }

    /// [`ReferencePath::get`] with the workflow variables in scope.
    pub fn get_in<'v>(&self, roots: Roots<'v>) -> Result<&'v Value, NoMatch> {
        match self.path.select_in(roots, &Budget::default())? {
            Selection::One(value) => Ok(value),
            // A reference path is definite, so selection gives one node.
            Selection::Many(_) => unreachable!("reference paths are definite"),
        }
    }

    /// Puts `value` at this path inside `target`, creating the objects on
    /// the way that do not exist yet. Fails when a node on the way is not an
    /// object (or, for an index step, when the array is too short), and for
    /// a path on the context object or a variable, which cannot be written.
    pub fn write(&self, target: &mut Value, value: Value) -> Result<(), WriteError> {
        match self.root() {
            Root::Data => {}
            Root::Context => {
                return Err(self.write_error("the context object cannot be written".to_string()));
            }
            Root::Variable => {
                return Err(self.write_error(
                    "a variable cannot be written by a path; assign it with `Assign`".to_string(),
                ));
            }
        }
        let mut node = target;
        let mut steps = self.steps().enumerate().peekable();
        if steps.peek().is_none() {
            *node = value;
            return Ok(());
        }
        self.check_writable(node)?;
        let mut value = Some(value);
        while let Some((_, step)) = steps.next() {
            let last = steps.peek().is_none();
            node = match (step, node) {
                (ReferenceStep::Name(name), Value::Object(fields)) => {
                    if last {
                        fields.insert(name.to_string(), value.take().unwrap_or_default());
                        return Ok(());
                    }
                    fields
                        .entry(name.to_string())
                        .or_insert_with(|| Value::Object(Map::new()))
                }
                (ReferenceStep::Index(index), Value::Array(items)) => {
                    if last {
                        items[index] = value.take().unwrap_or_default();
                        return Ok(());
                    }
                    &mut items[index]
                }
                // `check_writable` admitted only the two shapes above.
                _ => unreachable!("write path checked before writing"),
            };
        }
        Ok(())
    }

    /// Checks, without changing anything, that every step of a write can be
    /// taken: existing nodes on the way are objects (or long enough arrays),
    /// and only field names follow a node that does not exist yet.
    fn check_writable(&self, target: &Value) -> Result<(), WriteError> {
        let mut node = Some(target);
        for (position, step) in self.steps().enumerate() {
            match (node, step) {
                (Some(existing), _) => {
                    self.check_step(position, step, existing)?;
                    node = match step {
                        ReferenceStep::Name(name) => existing.get(name),
                        ReferenceStep::Index(index) => existing.get(index),
                    };
                }
                (None, ReferenceStep::Name(_)) => {}
                (None, ReferenceStep::Index(index)) => {
                    return Err(self.write_error(format!(
                        "`{}` does not exist, so it has no element {index}",
                        self.prefix(position)
                    )));
                }
            }
        }
        Ok(())
    }

    /// Whether `step` can be taken from `node` when writing.
    fn check_step(
        &self,
        position: usize,
        step: ReferenceStep<'_>,
        node: &Value,
    ) -> Result<(), WriteError> {
        let reason = match (step, node) {
            (ReferenceStep::Name(_), Value::Object(_)) => return Ok(()),
            (ReferenceStep::Index(index), Value::Array(items)) if index < items.len() => {
                return Ok(());
            }
            (ReferenceStep::Index(index), Value::Array(items)) => format!(
                "index {index} is out of range for `{}`, an array of {} elements",
                self.prefix(position),
                items.len()
            ),
            (ReferenceStep::Name(name), other) => format!(
                "`{}` is {}, not an object that can hold a field `{name}`",
                self.prefix(position),
                kind_of(other)
            ),
            (ReferenceStep::Index(index), other) => format!(
                "`{}` is {}, not an array with an element {index}",
                self.prefix(position),
                kind_of(other)
            ),
        };
        Err(self.write_error(reason))
    }

    fn prefix(&self, steps: usize) -> String {
        render(self.root(), self.path.variable(), &self.path.steps[..steps])
    }

    fn write_error(&self, reason: String) -> WriteError {
        WriteError {
            path: self.as_str().to_string(),
            reason,
        }
    }
}

impl TryFrom<Path> for ReferencePath {
    type Error = PathSyntaxError;

    fn try_from(path: Path) -> Result<Self, Self::Error> {
        ReferencePath::parse(path.as_str())
    }
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.path.fmt(f)
    }
}

impl std::str::FromStr for ReferencePath {
    type Err = PathSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ReferencePath::parse(text)
    }
}
