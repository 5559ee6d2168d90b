//! Filter expressions: the predicate inside `[?( ... )]`.

use std::borrow::Cow;

use serde_json::Value;

use super::eval::{Selection, select_steps};
use super::{Root, Roots, Step};
use crate::budget::Budget;
use crate::value::same;

/// A filter predicate.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `a || b || ...`
    Or(Vec<Filter>),
    /// `a && b && ...`
    And(Vec<Filter>),
    /// `!a`
    Not(Box<Filter>),
    /// `@.x`: the operand exists (for a path) or is `true` (for a literal).
    Exists(Operand),
    /// `left operator right`
    Compare {
        /// The left-hand side.
        left: Operand,
        /// The comparison.
        operator: ComparisonOperator,
        /// The right-hand side.
        right: Operand,
    },
}

/// A value in a filter: a path from the current node (`@`), a path from the
/// data or context root (`$`, `$$`), or a literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `@...`: relative to the node being tested.
    Current(Vec<Step>),
    /// `$...` or `$$...`: relative to the data or to the context object.
    Absolute(Root, Vec<Step>),
    /// A number, string, boolean, null, or list of those.
    Literal(Value),
}

/// The comparisons a filter can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComparisonOperator {
    /// `==`: same type and value (numbers compare by value).
    Equal,
    /// `!=`: not `==`.
    NotEqual,
    /// `<`: numbers by value, strings by code point.
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `in`: the left value is an element of the right list.
    In,
    /// `nin`: the left value is not an element of the right list.
    NotIn,
    /// `subsetof`: every element of the left list is in the right list.
    SubsetOf,
    /// `anyof`: the two lists share an element.
    AnyOf,
    /// `noneof`: the two lists share no element.
    NoneOf,
    /// `size`: the left string or list has the length given on the right.
    Size,
    /// `empty`: the left string or list is empty exactly when the right is `true`.
    Empty,
}

/// The documents a filter can refer to, and the budget of the evaluation.
pub(super) struct Walk<'v, 'b> {
    pub roots: Roots<'v>,
    pub budget: &'b Budget,
}

impl Filter {
    /// Whether `node` passes this filter.
    pub(super) fn test<'a>(&'a self, node: &'a Value, roots: &Walk<'a, '_>) -> bool {
        if !roots.budget.step(1) {
            return false;
        }
        match self {
            Filter::Or(terms) => terms.iter().any(|t| t.test(node, roots)),
            Filter::And(terms) => terms.iter().all(|t| t.test(node, roots)),
            Filter::Not(inner) => !inner.test(node, roots),
            Filter::Exists(operand) => match operand {
                Operand::Literal(value) => value == &Value::Bool(true),
                path => path.resolve(node, roots).is_some(),
            },
            Filter::Compare {
                left,
                operator,
                right,
            } => {
                let left = left.resolve(node, roots);
                let right = right.resolve(node, roots);
                operator.holds(left.as_deref(), right.as_deref())
            }
        }
    }
}

impl Operand {
    /// The operand's value, or `None` when its path matches nothing.
    fn resolve<'v>(&'v self, node: &'v Value, roots: &Walk<'v, '_>) -> Option<Cow<'v, Value>> {
        let (start, steps) = match self {
            Operand::Literal(value) => return Some(Cow::Borrowed(value)),
            Operand::Current(steps) => (node, steps),
            Operand::Absolute(Root::Data, steps) => (roots.roots.data, steps),
            Operand::Absolute(Root::Context, steps) => (roots.roots.context, steps),
            // Filters do not read variables: the parser does not make one.
            Operand::Absolute(Root::Variable, _) => return None,
        };
        match select_steps(start, steps, roots).ok()? {
            Selection::One(value) => Some(Cow::Borrowed(value)),
            Selection::Many(values) if values.is_empty() => None,
            // A budget run out gives a value; the evaluation's result is
            // thrown away all the same.
            many => Some(Cow::Owned(
                many.into_value_within(roots.budget).unwrap_or(Value::Null),
            )),
        }
    }
}

impl ComparisonOperator {
    fn holds(self, left: Option<&Value>, right: Option<&Value>) -> bool {
        use ComparisonOperator::*;
        match self {
            Equal => equal_operands(left, right),
            NotEqual => !equal_operands(left, right),
            Less | LessOrEqual | Greater | GreaterOrEqual => {
                let (Some(left), Some(right)) = (left, right) else {
                    return false;
                };
                let Some(ordering) = compare(left, right) else {
                    return false;
                };
                match self {
                    Less => ordering.is_lt(),
                    LessOrEqual => ordering.is_le(),
                    Greater => ordering.is_gt(),
                    _ => ordering.is_ge(),
                }
            }
            In | NotIn => {
                let found = match (left, right) {
                    (Some(left), Some(Value::Array(list))) => list.iter().any(|v| same(left, v)),
                    _ => false,
                };
                (self == In) == found
            }
            SubsetOf | AnyOf | NoneOf => {
                let (Some(Value::Array(left)), Some(Value::Array(right))) = (left, right) else {
                    return false;
                };
                let in_right = |item: &Value| right.iter().any(|r| same(item, r));
                match self {
                    SubsetOf => left.iter().all(in_right),
                    AnyOf => left.iter().any(in_right),
                    _ => !left.iter().any(in_right),
                }
            }
            Size => {
                let expected = right.and_then(Value::as_u64);
                match (length(left), expected) {
                    (Some(len), Some(expected)) => len as u64 == expected,
                    _ => false,
                }
            }
            Empty => match (length(left), right) {
                (Some(len), Some(Value::Bool(expect_empty))) => (len == 0) == *expect_empty,
                _ => false,
            },
        }
    }
}

fn equal_operands(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (Some(left), Some(right)) => same(left, right),
        (None, None) => true,
        _ => false,
    }
}

fn compare(left: &Value, right: &Value) -> Option<std::cmp::Ordering> {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
        },
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn length(value: Option<&Value>) -> Option<usize> {
    match value? {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(items) => Some(items.len()),
        _ => None,
    }
}
