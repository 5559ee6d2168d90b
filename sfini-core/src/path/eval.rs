//! Applying a path to JSON data.

use serde_json::Value;

use super::filter::Walk;
use super::{Path, Root, Roots, Selector, Slice, Step, UnionMember};
use crate::budget::{Budget, Exhausted};

/// What a path selected.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection<'v> {
    /// The one node a definite path names.
    One(&'v Value),
    /// Every node an indefinite path matched, in document order; maybe none.
    Many(Vec<&'v Value>),
}

impl Selection<'_> {
    /// The selection as a JSON value: the node itself for a definite path,
    /// an array of the matches otherwise.
    pub fn into_value(self) -> Value {
        match self {
            Selection::One(value) => value.clone(),
            Selection::Many(values) => Value::Array(values.into_iter().cloned().collect()),
        }
    }

    /// [`Selection::into_value`], each copied node paid for from `budget`;
    /// `Err` when the copy does not fit.
    pub fn into_value_within(self, budget: &Budget) -> Result<Value, Exhausted> {
        match self {
            Selection::One(value) => budget.copy(value).ok_or_else(|| exhausted(budget)),
            Selection::Many(values) => {
                let mut items = Vec::with_capacity(values.len());
                for value in values {
                    // Each element costs its text and a separator.
                    if !budget.spend_bytes(1) {
                        break;
                    }
                    match budget.copy(value) {
                        Some(copy) => items.push(copy),
                        None => break,
                    }
                }
                budget.check()?;
                Ok(Value::Array(items))
            }
        }
    }
}

fn exhausted(budget: &Budget) -> Exhausted {
    budget.exhausted().unwrap_or(Exhausted::Bytes {
        limit: budget.limits().max_bytes(),
    })
}

/// A definite path that names no node of the data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the path `{path}` matches nothing: {reason}")]
pub struct NoMatch {
    /// The path, as written.
    pub path: String,
    /// Which step failed and why (`$.a` has no field `b`, ...).
    pub reason: String,
}

impl Path {
    /// Applies the path: `$` is `data`, `$$` is `context`.
    ///
    /// A definite path gives [`Selection::One`] or fails with [`NoMatch`];
    /// any other path gives [`Selection::Many`], possibly empty.
    ///
    /// The work is bounded only by the default [`Budget`]: a selection cut
    /// short by it is given as it stands. To know, or to set the bounds, use
    /// [`Path::select_within`].
    pub fn select<'v>(
        &self,
        data: &'v Value,
        context: &'v Value,
    ) -> Result<Selection<'v>, NoMatch> {
        self.select_within(data, context, &Budget::default())
    }

    /// [`Path::select`] within a budget: each node visited costs a step,
    /// and each value a filter copies costs its bytes. When the budget runs
    /// out the selection is cut short and `budget.check()` says why: what
    /// was selected must then be thrown away.
    pub fn select_within<'v>(
        &self,
        data: &'v Value,
        context: &'v Value,
        budget: &Budget,
    ) -> Result<Selection<'v>, NoMatch> {
        self.select_in(Roots::new(data, context), budget)
    }

    /// [`Path::select_within`] with the workflow variables in scope: `$`
    /// is `roots.data`, `$$` is `roots.context`, `$name` the variable
    /// `name` (a variable that is not assigned matches nothing).
    pub fn select_in<'v>(
        &self,
        roots: Roots<'v>,
        budget: &Budget,
    ) -> Result<Selection<'v>, NoMatch> {
        let start = match self.root {
            Root::Data => roots.data,
            Root::Context => roots.context,
            Root::Variable => {
                let name = self.variable.as_deref().unwrap_or_default();
                match roots.variables.variable(name) {
                    Some(value) => value,
                    None => {
                        return Err(NoMatch {
                            path: self.text.to_string(),
                            reason: format!("the variable `${name}` is not assigned"),
                        });
                    }
                }
            }
        };
        let walk = Walk { roots, budget };
        select_steps(start, &self.steps, &walk).map_err(|failure| NoMatch {
            path: self.text.to_string(),
            reason: failure.describe(self.root, self.variable.as_deref(), &self.steps),
        })
    }
}

impl Path {
    /// How the service's JSONPath library says that this definite path
    /// names nothing in `roots`: `Missing property in path $['a']` when a
    /// field before the last step is missing (the path through that
    /// field), `No results for path: $['a']['b']` otherwise (the whole
    /// path). Messages of InputPath, OutputPath and `...Path` settings
    /// quote it after the path as written.
    pub fn not_found_reason(&self, roots: Roots<'_>) -> String {
        let start = match self.root {
            Root::Data => Some(roots.data),
            Root::Context => Some(roots.context),
            Root::Variable => roots
                .variables
                .variable(self.variable.as_deref().unwrap_or_default()),
        };
        let mut node = start;
        for (position, step) in self.steps.iter().enumerate() {
            let last = position + 1 == self.steps.len();
            node = match (step, node) {
                (Step::Child(Selector::Name(name)), Some(Value::Object(fields))) => {
                    match fields.get(name) {
                        Some(next) => Some(next),
                        None if !last => {
                            let through = Path {
                                steps: self.steps[..=position].to_vec(),
                                ..self.clone()
                            };
                            return format!(
                                "Missing property in path {}",
                                through.normalized_any()
                            );
                        }
                        None => None,
                    }
                }
                (Step::Child(Selector::Index(index)), Some(Value::Array(items))) => {
                    resolve_index(*index, items.len()).map(|i| &items[i])
                }
                _ => None,
            };
            if node.is_none() {
                break;
            }
        }
        format!("No results for path: {}", self.normalized_any())
    }
}

/// Why a definite walk stopped: the step that failed and the node it met.
pub(super) struct Failure {
    step: usize,
    found: Found,
}

enum Found {
    NotAnObject(&'static str),
    NotAnArray(&'static str),
    MissingField,
    IndexOutOfRange(usize),
}

impl Failure {
    fn describe(&self, root: Root, variable: Option<&str>, steps: &[Step]) -> String {
        let at = render(root, variable, &steps[..self.step]);
        match (&steps[self.step], &self.found) {
            (Step::Child(Selector::Name(name)), Found::MissingField) => {
                format!("`{at}` has no field `{name}`")
            }
            (Step::Child(Selector::Name(name)), Found::NotAnObject(kind)) => {
                format!("`{at}` is {kind}, not an object with a field `{name}`")
            }
            (Step::Child(Selector::Index(index)), Found::NotAnArray(kind)) => {
                format!("`{at}` is {kind}, not an array to take element {index} of")
            }
            (Step::Child(Selector::Index(index)), Found::IndexOutOfRange(len)) => {
                format!("index {index} is out of range for `{at}`, an array of {len} elements")
            }
            _ => format!("nothing at `{at}`"),
        }
    }
}

/// A JSON type's name with its article, for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Writes a root and steps back as path text, for messages.
pub(super) fn render(root: Root, variable: Option<&str>, steps: &[Step]) -> String {
    let mut out = match root {
        Root::Data => "$".to_string(),
        Root::Context => "$$".to_string(),
        Root::Variable => format!("${}", variable.unwrap_or_default()),
    };
    for step in steps {
        if let Step::Child(Selector::Name(name)) = step {
            if name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                out.push('.');
                out.push_str(name);
            } else {
                out.push_str("['");
                out.push_str(&name.replace('\\', "\\\\").replace('\'', "\\'"));
                out.push_str("']");
            }
        } else if let Step::Child(Selector::Index(index)) = step {
            out.push_str(&format!("[{index}]"));
        }
    }
    out
}

/// Resolves a possibly negative index against a length.
fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let resolved = if index < 0 { len + index } else { index };
    (0..len).contains(&resolved).then_some(resolved as usize)
}

pub(super) fn select_steps<'v>(
    start: &'v Value,
    steps: &[Step],
    roots: &Walk<'v, '_>,
) -> Result<Selection<'v>, Failure> {
    let definite = steps.iter().all(|step| {
        matches!(
            step,
            Step::Child(Selector::Name(_)) | Step::Child(Selector::Index(_))
        )
    });
    if definite {
        return walk_definite(start, steps).map(Selection::One);
    }
    let mut nodes = vec![start];
    for step in steps {
        let mut next = Vec::new();
        for node in nodes {
            match step {
                Step::Child(selector) => apply(selector, node, roots, &mut next),
                Step::Descendants(selector) => {
                    let mut all = Vec::new();
                    collect_descendants(node, &mut all, roots.budget);
                    for inner in all {
                        apply(selector, inner, roots, &mut next);
                    }
                }
            }
            // Every node a step yields is a step of work; a budget run out
            // ends the walk with what it has.
            if !roots.budget.step(next.len() as u64 + 1) {
                return Ok(Selection::Many(Vec::new()));
            }
        }
        nodes = next;
    }
    Ok(Selection::Many(nodes))
}

fn walk_definite<'v>(start: &'v Value, steps: &[Step]) -> Result<&'v Value, Failure> {
    let mut node = start;
    for (position, step) in steps.iter().enumerate() {
        let fail = |found| Failure {
            step: position,
            found,
        };
        node = match step {
            Step::Child(Selector::Name(name)) => match node {
                Value::Object(fields) => fields.get(name).ok_or(fail(Found::MissingField))?,
                other => return Err(fail(Found::NotAnObject(kind_of(other)))),
            },
            Step::Child(Selector::Index(index)) => match node {
                Value::Array(items) => resolve_index(*index, items.len())
                    .map(|i| &items[i])
                    .ok_or(fail(Found::IndexOutOfRange(items.len())))?,
                other => return Err(fail(Found::NotAnArray(kind_of(other)))),
            },
            // Only names and indexes reach this walk.
            _ => return Err(fail(Found::MissingField)),
        };
    }
    Ok(node)
}

/// The node and all nodes below it, parents before children, in document
/// order; without recursion, each node a step of `budget`.
fn collect_descendants<'v>(node: &'v Value, out: &mut Vec<&'v Value>, budget: &Budget) {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        if !budget.step(1) {
            return;
        }
        out.push(node);
        match node {
            Value::Object(fields) => pending.extend(fields.values().rev()),
            Value::Array(items) => pending.extend(items.iter().rev()),
            _ => {}
        }
    }
}

fn apply<'v>(selector: &Selector, node: &'v Value, roots: &Walk<'v, '_>, out: &mut Vec<&'v Value>) {
    match selector {
        Selector::Name(name) => out.extend(node.as_object().and_then(|o| o.get(name))),
        Selector::Index(index) => out.extend(element(node, *index)),
        Selector::Wildcard => match node {
            Value::Object(fields) => out.extend(fields.values()),
            Value::Array(items) => out.extend(items.iter()),
            _ => {}
        },
        Selector::Union(members) => {
            for member in members {
                match member {
                    UnionMember::Name(name) => {
                        out.extend(node.as_object().and_then(|o| o.get(name)))
                    }
                    UnionMember::Index(index) => out.extend(element(node, *index)),
                }
            }
        }
        Selector::Slice(slice) => {
            if let Value::Array(items) = node {
                out.extend(slice_indexes(*slice, items.len()).map(|i| &items[i]));
            }
        }
        Selector::Filter(filter) => match node {
            Value::Array(items) => out.extend(items.iter().filter(|item| filter.test(item, roots))),
            // As in Jayway JsonPath, a filter on an object tests the object itself.
            Value::Object(_) if filter.test(node, roots) => out.push(node),
            _ => {}
        },
    }
}

fn element(node: &Value, index: i64) -> Option<&Value> {
    let items = node.as_array()?;
    resolve_index(index, items.len()).map(|i| &items[i])
}

/// The indexes a slice picks from an array of `len` elements, in order.
fn slice_indexes(slice: Slice, len: usize) -> impl Iterator<Item = usize> {
    let len = len as i64;
    let step = slice.step.unwrap_or(1);
    let normalize = |bound: i64| if bound < 0 { len + bound } else { bound };
    let (lower, upper) = if step > 0 {
        let start = slice.start.map(normalize).unwrap_or(0).clamp(0, len);
        let end = slice.end.map(normalize).unwrap_or(len).clamp(0, len);
        (start, end)
    } else {
        let start = slice
            .start
            .map(normalize)
            .unwrap_or(len - 1)
            .clamp(-1, len - 1);
        let end = slice.end.map(normalize).unwrap_or(-1).clamp(-1, len - 1);
        (start, end)
    };
    let mut current = lower;
    std::iter::from_fn(move || {
        let inside = if step > 0 {
            current < upper
        } else {
            current > upper
        };
        if !inside {
            return None;
        }
        let index = current as usize;
        current = current.saturating_add(step);
        Some(index)
    })
}
