//! The rules of Choice states: rules present, conditions well formed,
//! operands of the right kind.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::model::{Choice, Comparison, Condition, ConditionKind, ValueOrPath};

use super::Here;
use super::literal_text;
use super::state::{Checker, PathKind};

pub(super) fn check_choice(checker: &mut Checker<'_>, choice: &Choice, at: &Here<'_>) {
    let choices_at = at.field("Choices");
    if choice.choices.is_empty() {
        checker.error(
            Code::InvalidChoiceRule,
            &choices_at,
            "a Choice state needs at least one rule",
        );
    }
    for (index, rule) in choice.choices.iter().enumerate() {
        condition(checker, &rule.condition, &choices_at.index(index));
    }
    if choice.default.is_none() {
        checker.out.warning(
            Code::ChoiceWithoutDefault,
            at.location(),
            "this Choice state has no `Default`: an input that matches no rule fails the execution with States.NoChoiceMatched",
        );
    }
}

fn condition(checker: &mut Checker<'_>, condition: &Condition, at: &Here<'_>) {
    match &condition.kind {
        ConditionKind::And(nested) | ConditionKind::Or(nested) => {
            let field = if matches!(condition.kind, ConditionKind::And(_)) {
                "And"
            } else {
                "Or"
            };
            let list_at = at.field(field);
            if nested.is_empty() {
                checker.error(
                    Code::InvalidChoiceRule,
                    &list_at,
                    format!("`{field}` needs at least one nested rule"),
                );
            }
            for (index, inner) in nested.iter().enumerate() {
                self::condition(checker, inner, &list_at.index(index));
            }
        }
        ConditionKind::Not(inner) => self::condition(checker, inner, &at.field("Not")),
        ConditionKind::Jsonata(value) => {
            let here = at.field("Condition");
            match value {
                Value::Bool(_) => {}
                Value::String(text) => match crate::json::expression_text(text) {
                    Some(expression) => checker.expression(expression, &here),
                    None => checker.error(
                        Code::InvalidExpression,
                        &here,
                        format!("`Condition` must be a `{{% ... %}}` expression giving true or false, found the string \"{text}\""),
                    ),
                },
                other => checker.error(
                    Code::WrongType,
                    &here,
                    format!("`Condition` must be a `{{% ... %}}` expression giving true or false, found {}", crate::path::kind_of(other)),
                ),
            }
        }
        ConditionKind::Test {
            variable,
            comparison,
        } => {
            checker.path(variable, &at.field("Variable"), PathKind::Reference);
            let name = comparison.operator_name();
            let operator_at = at.field(name);
            if let Some(path) = comparison.operand_path() {
                checker.path(path, &operator_at, PathKind::Reference);
            }
            match comparison {
                Comparison::String(_, ValueOrPath::Value(text)) => {
                    literal_text::no_path(checker.out, name, text, &operator_at);
                }
                Comparison::Timestamp(_, ValueOrPath::Value(text)) => {
                    // A path is not a timestamp: the rule is refused, and
                    // the warning says which operator was meant.
                    checker.timestamp(text, &operator_at);
                    literal_text::no_path(checker.out, name, text, &operator_at);
                }
                Comparison::StringMatches(pattern) => {
                    if let Some(problem) = pattern_problem(pattern) {
                        checker.error(Code::InvalidChoiceRule, &operator_at, problem);
                    }
                }
                _ => {}
            }
        }
    }
}

/// What is wrong with a StringMatches pattern, if anything: a backslash
/// escapes only `*` and `\`.
fn pattern_problem(pattern: &str) -> Option<String> {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('*' | '\\') => {}
                Some(other) => {
                    return Some(format!(
                        "in a StringMatches pattern a backslash escapes only `*` and `\\`, not `{other}`; write `\\\\` for a backslash"
                    ));
                }
                None => {
                    return Some(
                        "the StringMatches pattern ends with a lone backslash; write `\\\\` for a backslash"
                            .to_string(),
                    );
                }
            }
        }
    }
    None
}
