//! Choice rules, compiled and evaluated.

use std::cmp::Ordering;

use serde_json::{Number, Value};
use time::OffsetDateTime;

use crate::error_name::PredefinedError;
use crate::model::{Choice, Comparison, Condition, ConditionKind, Operator, TypeTest, ValueOrPath};
use crate::path::{ReferencePath, Roots};
use crate::timestamp::parse_timestamp;

use super::{CompileError, DataFlowError};

/// A Choice state's rules with their paths, timestamps and patterns parsed.
#[derive(Clone, Debug)]
pub struct ChoiceRules {
    rules: Vec<(Test, String)>,
    default: Option<String>,
}

#[derive(Clone, Debug)]
enum Test {
    And(Vec<Test>),
    Or(Vec<Test>),
    Not(Box<Test>),
    Compare {
        variable: ReferencePath,
        comparison: Compare,
    },
}

#[derive(Clone, Debug)]
enum Compare {
    Ordering(Operator, Operand),
    /// `StringMatches`: the pattern's literal pieces, split at its stars.
    Matches(Vec<String>),
    Is(TypeTest, bool),
}

/// The other side of an ordering comparison.
#[derive(Clone, Debug)]
enum Operand {
    String(String),
    Number(Number),
    Timestamp(OffsetDateTime),
    Boolean(bool),
    /// A `...Path` operator: the other side is read from the data, and
    /// compared as the kind of value the operator names.
    Path(Kind, ReferencePath),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    String,
    Numeric,
    Timestamp,
    Boolean,
}

impl ChoiceRules {
    /// Compiles a Choice state's rules.
    pub fn compile(choice: &Choice) -> Result<ChoiceRules, CompileError> {
        let rules = choice
            .choices
            .iter()
            .map(|rule| Ok((compile(&rule.condition)?, rule.next.clone())))
            .collect::<Result<_, CompileError>>()?;
        Ok(ChoiceRules {
            rules,
            default: choice.default.clone(),
        })
    }

    /// The state to go to: the `Next` of the first rule that holds, else
    /// `Default`; `States.NoChoiceMatched` when neither applies.
    pub fn choose(&self, input: &Value, context: &Value) -> Result<&str, DataFlowError> {
        let chosen = self.choose_in(Roots::new(input, context))?;
        Ok(self.next_of(chosen))
    }

    /// The rule that holds first (`Some(index)`), or `None` for `Default`,
    /// with the workflow variables in scope; `States.NoChoiceMatched` when
    /// no rule holds and there is no Default.
    pub fn choose_in(&self, roots: Roots<'_>) -> Result<Option<usize>, DataFlowError> {
        for (index, (test, _)) in self.rules.iter().enumerate() {
            if test.holds(roots)? {
                return Ok(Some(index));
            }
        }
        match self.default {
            Some(_) => Ok(None),
            None => Err(no_choice_matched()),
        }
    }

    /// The state a choice leads to: the rule's `Next`, or `Default`.
    pub fn next_of(&self, chosen: Option<usize>) -> &str {
        match chosen {
            Some(index) => self.rules.get(index).map_or("", |(_, next)| next),
            None => self.default.as_deref().unwrap_or_default(),
        }
    }
}

/// AWS's words for a Choice rule whose Variable, or the path of a
/// `...Path` comparison, matches nothing (`States.Runtime`).
fn invalid_condition_path(path: &ReferencePath) -> DataFlowError {
    DataFlowError::runtime(format!(
        "Invalid path '{}': The choice state's condition path references an invalid value.",
        path.as_str()
    ))
}

/// `States.NoChoiceMatched`.
pub(super) fn no_choice_matched() -> DataFlowError {
    DataFlowError::new(
        PredefinedError::NoChoiceMatched,
        "No Choice rule matched the input and the Choice state has no Default",
    )
}

/// The state a Choice goes to for the given effective input, compiling its
/// rules first (use [`ChoiceRules`] to compile once and choose many times).
pub fn choose(choice: &Choice, input: &Value, context: &Value) -> Result<String, DataFlowError> {
    let rules =
        ChoiceRules::compile(choice).map_err(|error| DataFlowError::runtime(error.to_string()))?;
    rules.choose(input, context).map(str::to_string)
}

/// Whether a condition holds for the given data.
pub fn evaluate_condition(
    condition: &Condition,
    input: &Value,
    context: &Value,
) -> Result<bool, DataFlowError> {
    let test = compile(condition).map_err(|error| DataFlowError::runtime(error.to_string()))?;
    test.holds(Roots::new(input, context))
}

fn compile(condition: &Condition) -> Result<Test, CompileError> {
    Ok(match &condition.kind {
        ConditionKind::And(all) => Test::And(all.iter().map(compile).collect::<Result<_, _>>()?),
        ConditionKind::Or(any) => Test::Or(any.iter().map(compile).collect::<Result<_, _>>()?),
        ConditionKind::Not(inner) => Test::Not(Box::new(compile(inner)?)),
        ConditionKind::Jsonata(_) => {
            return Err(CompileError {
                field: "Condition",
                message: "a JSONata `Condition` in a JSONPath Choice rule".to_string(),
            });
        }
        ConditionKind::Test {
            variable,
            comparison,
        } => Test::Compare {
            variable: reference(variable, "Variable")?,
            comparison: compile_comparison(comparison)?,
        },
    })
}

fn reference(text: &str, field: &'static str) -> Result<ReferencePath, CompileError> {
    ReferencePath::parse(text).map_err(|error| CompileError {
        field,
        message: error.to_string(),
    })
}

fn compile_comparison(comparison: &Comparison) -> Result<Compare, CompileError> {
    fn operand<T>(
        kind: Kind,
        operator: Operator,
        value: &ValueOrPath<T>,
        make: impl FnOnce(&T) -> Result<Operand, CompileError>,
    ) -> Result<Compare, CompileError> {
        let operand = match value {
            ValueOrPath::Value(value) => make(value)?,
            ValueOrPath::Path(path) => Operand::Path(kind, reference(path, "comparison path")?),
            ValueOrPath::Expression(_) => {
                return Err(CompileError {
                    field: "comparison",
                    message: "a JSONata expression in a JSONPath comparison".to_string(),
                });
            }
        };
        Ok(Compare::Ordering(operator, operand))
    }
    match comparison {
        Comparison::String(op, value) => {
            operand(Kind::String, *op, value, |s| Ok(Operand::String(s.clone())))
        }
        Comparison::Numeric(op, value) => operand(Kind::Numeric, *op, value, |n| {
            Ok(Operand::Number(n.clone()))
        }),
        Comparison::Timestamp(op, value) => operand(Kind::Timestamp, *op, value, |text| {
            parse_timestamp(text)
                .map(Operand::Timestamp)
                .ok_or_else(|| CompileError {
                    field: "Timestamp comparison",
                    message: format!("`{text}` is not a timestamp"),
                })
        }),
        Comparison::BooleanEquals(value) => operand(Kind::Boolean, Operator::Equals, value, |b| {
            Ok(Operand::Boolean(*b))
        }),
        Comparison::StringMatches(pattern) => Ok(Compare::Matches(compile_pattern(pattern)?)),
        Comparison::Is(test, expected) => Ok(Compare::Is(*test, *expected)),
    }
}

/// A `StringMatches` pattern as the literal pieces between its stars (one
/// piece more than it has stars; escaped stars and backslashes are literal).
fn compile_pattern(pattern: &str) -> Result<Vec<String>, CompileError> {
    let mut pieces = vec![String::new()];
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let literal = match c {
            '*' => {
                pieces.push(String::new());
                continue;
            }
            '\\' => match chars.next() {
                Some(escaped @ ('*' | '\\')) => escaped,
                _ => {
                    return Err(CompileError {
                        field: "StringMatches",
                        message: format!(
                            "`{pattern}` has a backslash that escapes neither `*` nor `\\`"
                        ),
                    });
                }
            },
            other => other,
        };
        if let Some(piece) = pieces.last_mut() {
            piece.push(literal);
        }
    }
    Ok(pieces)
}

impl Test {
    fn holds(&self, roots: Roots<'_>) -> Result<bool, DataFlowError> {
        match self {
            Test::And(all) => {
                for test in all {
                    if !test.holds(roots)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Test::Or(any) => {
                for test in any {
                    if test.holds(roots)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Test::Not(inner) => Ok(!inner.holds(roots)?),
            Test::Compare {
                variable,
                comparison,
            } => {
                let value = variable.get_in(roots);
                if let Compare::Is(TypeTest::Present, expected) = comparison {
                    return Ok(value.is_ok() == *expected);
                }
                let value = value.map_err(|_| invalid_condition_path(variable))?;
                comparison.holds(value, roots)
            }
        }
    }
}

impl Compare {
    fn holds(&self, value: &Value, roots: Roots<'_>) -> Result<bool, DataFlowError> {
        Ok(match self {
            Compare::Is(test, expected) => type_test(*test, value) == *expected,
            Compare::Matches(pattern) => match value {
                Value::String(text) => matches(pattern, text),
                _ => false,
            },
            Compare::Ordering(operator, operand) => {
                let ordering = match operand {
                    Operand::String(other) => string_order(value, other),
                    Operand::Number(other) => number_order(value, other),
                    Operand::Timestamp(other) => timestamp_of(value).map(|t| t.cmp(other)),
                    Operand::Boolean(other) => value.as_bool().map(|b| b.cmp(other)),
                    Operand::Path(kind, path) => {
                        let other = path
                            .get_in(roots)
                            .map_err(|_| invalid_condition_path(path))?;
                        match (kind, other) {
                            (Kind::String, Value::String(other)) => string_order(value, other),
                            (Kind::Numeric, Value::Number(other)) => number_order(value, other),
                            (Kind::Timestamp, other) => timestamp_of(value)
                                .zip(timestamp_of(other))
                                .map(|(a, b)| a.cmp(&b)),
                            (Kind::Boolean, Value::Bool(other)) => {
                                value.as_bool().map(|b| b.cmp(other))
                            }
                            _ => None,
                        }
                    }
                };
                // Values of different kinds compare as false, not as an error.
                ordering.is_some_and(|ordering| operator.holds(ordering))
            }
        })
    }
}

/// Strings compare by UTF-16 code unit, as the service compares them.
fn string_order(value: &Value, other: &str) -> Option<Ordering> {
    value
        .as_str()
        .map(|text| text.encode_utf16().cmp(other.encode_utf16()))
}

/// Numbers compare exactly when both are integers, as doubles otherwise.
fn number_order(value: &Value, other: &Number) -> Option<Ordering> {
    let Value::Number(number) = value else {
        return None;
    };
    if let (Some(a), Some(b)) = (number.as_i64(), other.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (number.as_u64(), other.as_u64()) {
        return Some(a.cmp(&b));
    }
    number.as_f64()?.partial_cmp(&other.as_f64()?)
}

fn timestamp_of(value: &Value) -> Option<OffsetDateTime> {
    value.as_str().and_then(parse_timestamp)
}

fn type_test(test: TypeTest, value: &Value) -> bool {
    match test {
        TypeTest::Null => value.is_null(),
        TypeTest::Present => true,
        TypeTest::Numeric => value.is_number(),
        TypeTest::String => value.is_string(),
        TypeTest::Boolean => value.is_boolean(),
        TypeTest::Timestamp => timestamp_of(value).is_some(),
    }
}

/// Whether `text` matches a pattern given as the literal pieces between its
/// stars: the first piece starts the text, the last ends it, and the others
/// follow in order between them. Taking each middle piece at its first
/// occurrence is enough for patterns whose only wildcard is `*`, which makes
/// the match linear in the text and the pattern.
fn matches(pieces: &[String], text: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return text.is_empty();
    };
    let Some((last, middle)) = rest.split_last() else {
        return text == first;
    };
    let Some(mut left) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    for piece in middle {
        match left.find(piece.as_str()) {
            Some(at) => left = &left[at + piece.len()..],
            None => return false,
        }
    }
    left.ends_with(last.as_str())
}
