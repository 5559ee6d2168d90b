//! The values of a JSONata state's fields (`Arguments`, `Output`,
//! `Assign`, `Items`, `Condition`...): JSON in which every string written
//! `{% ... %}` is an expression, compiled once and filled in at run time.

use serde_json::{Map as Object, Value};

use crate::error_name::PredefinedError;
use crate::jsonata::{Environment, EvaluationError, Expression, Limits, expression_text};

use super::DataFlowError;

/// A field's value with its expressions compiled.
#[derive(Clone, Debug)]
pub(crate) struct JsonataValue {
    root: Node,
}

#[derive(Clone, Debug)]
enum Node {
    /// A value without expressions, kept as written.
    Constant(Value),
    /// An expression, with the field it stands at (`Output/order/id`).
    Expression(Box<Located>),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

/// An expression and where it stands.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    pub expression: Expression,
    /// The field, as Step Functions names it in errors: `Output`,
    /// `Output/order/id`, `Arguments/items[0]`, `Choices[1]/Condition`.
    pub field: String,
}

/// An expression of a field that does not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub field: String,
    pub message: String,
}

impl JsonataValue {
    /// Compiles `value`, standing at `field`.
    pub fn compile(value: &Value, field: &str) -> Result<JsonataValue, Malformed> {
        Ok(JsonataValue {
            root: build(value, field)?,
        })
    }

    /// Every expression, with its field, in document order.
    pub fn expressions(&self) -> Vec<&Located> {
        let mut out = Vec::new();
        let mut pending = vec![&self.root];
        while let Some(node) = pending.pop() {
            match node {
                Node::Constant(_) => {}
                Node::Expression(located) => out.push(&**located),
                Node::Object(members) => pending.extend(members.iter().rev().map(|(_, n)| n)),
                Node::Array(items) => pending.extend(items.iter().rev()),
            }
        }
        out
    }

    /// Fills the value in: each expression is evaluated and must give a
    /// JSON value (not nothing, not a function).
    pub fn evaluate(
        &self,
        environment: &Environment<'_>,
        limits: &Limits,
    ) -> Result<Value, DataFlowError> {
        evaluate_node(&self.root, environment, limits)
    }

    /// The members of an object value (`Assign`), each filled in; the
    /// caller knows the value is an object (it was compiled from one).
    pub fn evaluate_members(
        &self,
        environment: &Environment<'_>,
        limits: &Limits,
    ) -> Result<Vec<(String, Value)>, DataFlowError> {
        match &self.root {
            Node::Object(members) => members
                .iter()
                .map(|(key, node)| Ok((key.clone(), evaluate_node(node, environment, limits)?)))
                .collect(),
            Node::Constant(Value::Object(members)) => Ok(members
                .iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect()),
            _ => Ok(Vec::new()),
        }
    }
}

fn build(value: &Value, field: &str) -> Result<Node, Malformed> {
    if !has_expression(value) {
        return Ok(Node::Constant(value.clone()));
    }
    Ok(match value {
        Value::String(text) => match expression_text(text) {
            Some(source) => Node::Expression(Box::new(compile_at(source, field)?)),
            None => Node::Constant(value.clone()),
        },
        Value::Object(members) => Node::Object(
            members
                .iter()
                .map(|(key, value)| Ok((key.clone(), build(value, &format!("{field}/{key}"))?)))
                .collect::<Result<_, Malformed>>()?,
        ),
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| build(item, &format!("{field}[{index}]")))
                .collect::<Result<_, Malformed>>()?,
        ),
        other => Node::Constant(other.clone()),
    })
}

/// Compiles one expression standing at `field`.
pub(crate) fn compile_at(source: &str, field: &str) -> Result<Located, Malformed> {
    let expression = Expression::compile(source).map_err(|error| Malformed {
        field: field.to_string(),
        message: error.to_string(),
    })?;
    Ok(Located {
        expression,
        field: field.to_string(),
    })
}

/// True when a `{% ... %}` string stands anywhere in `value`; without
/// recursion, so that no definition can overflow the stack.
fn has_expression(value: &Value) -> bool {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::String(text) if expression_text(text).is_some() => return true,
            Value::Object(members) => pending.extend(members.values()),
            Value::Array(items) => pending.extend(items.iter()),
            _ => {}
        }
    }
    false
}

fn evaluate_node(
    node: &Node,
    environment: &Environment<'_>,
    limits: &Limits,
) -> Result<Value, DataFlowError> {
    match node {
        Node::Constant(value) => Ok(value.clone()),
        Node::Expression(located) => located.value(environment, limits),
        Node::Object(members) => {
            let mut object = Object::with_capacity(members.len());
            for (key, node) in members {
                object.insert(key.clone(), evaluate_node(node, environment, limits)?);
            }
            Ok(Value::Object(object))
        }
        Node::Array(items) => items
            .iter()
            .map(|item| evaluate_node(item, environment, limits))
            .collect::<Result<_, _>>()
            .map(Value::Array),
    }
}

impl Located {
    /// The expression's value: a JSON value, or `States.QueryEvaluationError`.
    pub fn value(
        &self,
        environment: &Environment<'_>,
        limits: &Limits,
    ) -> Result<Value, DataFlowError> {
        match self.expression.evaluate(environment, limits) {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(self.failure("returned nothing (undefined).".to_string())),
            Err(error) => Err(self.thrown(&error)),
        }
    }

    /// `States.QueryEvaluationError` for this expression: `what` says what
    /// it did wrong, after "The JSONata expression '...' specified for the
    /// field '...'".
    pub fn failure(&self, what: String) -> DataFlowError {
        query_evaluation_error(
            format!(
                "The JSONata expression '{}' specified for the field '{}' {what}",
                self.expression.text().trim(),
                self.field
            ),
            &self.field,
        )
    }

    fn thrown(&self, error: &EvaluationError) -> DataFlowError {
        if error.code.is_empty() {
            self.failure(format!(
                "threw an error during evaluation: {}",
                error.message
            ))
        } else {
            self.failure(format!("threw an error during evaluation. {error}"))
        }
    }
}

/// `States.QueryEvaluationError` at `field`.
pub(crate) fn query_evaluation_error(cause: String, field: &str) -> DataFlowError {
    let mut error = DataFlowError::new(PredefinedError::QueryEvaluationError, cause);
    error.location = Some(field.to_string());
    error
}
