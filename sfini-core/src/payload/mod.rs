//! Payload templates: the JSON objects of `Parameters`, `ItemSelector`,
//! `ResultSelector`, `ItemBatcher.BatchInput` and `Credentials`.
//!
//! A template is copied as it is, except for the fields whose key ends in
//! `.$`, at any depth (objects inside arrays included). Such a field takes a
//! dynamic value and loses the `.$` from its key:
//!
//! - a string starting with `$` is a path on the data, and one starting
//!   with `$$` a path on the context object;
//! - any other string is an intrinsic function call.
//!
//! [`Template::compile`] parses every path and call once and reports all the
//! problems of a template at once; [`Template::evaluate`] then fills it in
//! for given data.
//!
//! ```
//! use serde_json::json;
//! use sfini_core::payload::Template;
//!
//! let template = Template::compile(&json!({
//!     "greeting.$": "States.Format('Hello, {}!', $.name)",
//!     "execution.$": "$$.Execution.Name",
//!     "fixed": {"retries": 3},
//! }))
//! .map_err(|errors| errors[0].to_string())?;
//!
//! let result = template.evaluate(&json!({"name": "Ada"}), &json!({"Execution": {"Name": "run-1"}}))?;
//! assert_eq!(result, json!({"greeting": "Hello, Ada!", "execution": "run-1", "fixed": {"retries": 3}}));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A definite path that matches nothing fails the evaluation with
//! `States.Runtime`, as AWS Step Functions does; a path that may match many
//! nodes (`$.items[*].id`) gives the array of its matches, `[]` when there
//! are none.

use std::fmt::{self, Write as _};

use serde_json::{Map, Value};

use crate::budget::{Budget, Exhausted};
use crate::error_name::PredefinedError;
use crate::intrinsic::{IntrinsicCall, IntrinsicError, looks_like_call};
use crate::location::Location;
use crate::location_trail::Here;
use crate::path::{Path, Root, Roots, kind_of};

/// A compiled payload template, ready to be evaluated any number of times.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    root: Node,
}

/// A part of a template.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// A value with no dynamic field in it, copied as it is.
    Constant(Value),
    /// An object with dynamic fields somewhere inside: its members with
    /// their keys as they come out.
    Object(Vec<(String, Node)>),
    /// An array with dynamic fields somewhere inside.
    Array(Vec<Node>),
    /// The value of a `.$` field.
    Dynamic(Box<DynamicField>),
}

#[derive(Clone, Debug, PartialEq)]
struct DynamicField {
    /// The key as written, with its `.$`.
    key: String,
    /// Where the field is, relative to the template.
    location: Location,
    value: DynamicValue,
}

/// The value of a `.$` field: a path or an intrinsic function call.
#[derive(Clone, Debug, PartialEq)]
pub enum DynamicValue {
    /// A path on the data (`$...`) or on the context object (`$$...`).
    Path(Path),
    /// An intrinsic function call.
    Call(IntrinsicCall),
}

impl DynamicValue {
    /// The text of the value, as written.
    pub fn as_str(&self) -> &str {
        match self {
            DynamicValue::Path(path) => path.as_str(),
            DynamicValue::Call(call) => call.as_str(),
        }
    }

    /// Every path in the value: the path itself, or the paths among the
    /// arguments of the call and of the calls nested in it.
    pub fn paths(&self) -> Vec<&Path> {
        match self {
            DynamicValue::Path(path) => vec![path],
            DynamicValue::Call(call) => call.paths(),
        }
    }

    /// True when the value reads the context object (`$$`).
    pub fn uses_context(&self) -> bool {
        self.paths().iter().any(|path| path.root() == Root::Context)
    }
}

impl fmt::Display for DynamicValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem found while compiling a template.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct TemplateError {
    /// Where the problem is, relative to the template (`foo['bar.$']`).
    pub location: Location,
    /// What is wrong and what would be right.
    pub message: String,
}

/// Why a template could not be filled in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// A definite path matched nothing.
    #[error("{}", self.cause())]
    PathNotFound {
        /// The key of the field, as written (`sum.$`).
        field: String,
        /// The path, as written.
        path: String,
        /// The compact JSON the path was applied to, cut to about 200
        /// characters.
        data: String,
    },
    /// An intrinsic function call failed.
    #[error("{}", self.cause())]
    Intrinsic {
        /// The key of the field, as written (`sum.$`).
        field: String,
        /// What went wrong in the call.
        error: IntrinsicError,
    },
    /// Filling the template took more work, or built more data, than the
    /// evaluation's budget allows.
    #[error("{}", self.cause())]
    Exhausted {
        /// The field being filled when the budget ran out.
        field: String,
        /// Which bound was passed.
        exhausted: Exhausted,
    },
}

impl PayloadError {
    /// The error a state machine sees: `States.Runtime` for a path that
    /// matched nothing, the budget's error for an evaluation cut short (see
    /// [`Exhausted::error`]), the intrinsic function's error otherwise.
    pub fn error(&self) -> PredefinedError {
        match self {
            PayloadError::PathNotFound { .. } => PredefinedError::Runtime,
            PayloadError::Intrinsic { error, .. } => error.error(),
            PayloadError::Exhausted { exhausted, .. } => exhausted.error(),
        }
    }

    /// The name of [`PayloadError::error`].
    pub fn error_name(&self) -> &'static str {
        self.error().as_str()
    }

    /// The human-readable cause that goes with the error name, worded as
    /// AWS Step Functions words it for a missing path.
    pub fn cause(&self) -> String {
        match self {
            PayloadError::PathNotFound { field, path, data } => format!(
                "The JSONPath '{path}' specified for the field '{field}' could not be found \
                 in the input '{data}'"
            ),
            PayloadError::Intrinsic { field, error } => format!(
                "The intrinsic function in the field '{field}' failed: {}",
                error.cause()
            ),
            PayloadError::Exhausted { field, exhausted } => {
                format!("Filling the field '{field}' was stopped: {exhausted}")
            }
        }
    }

    /// The key of the field that failed, as written (`sum.$`).
    pub fn field(&self) -> &str {
        match self {
            PayloadError::PathNotFound { field, .. }
            | PayloadError::Intrinsic { field, .. }
            | PayloadError::Exhausted { field, .. } => field,
        }
    }
}

impl Template {
    /// Compiles a template, parsing every path and intrinsic function call
    /// in it.
    ///
    /// On failure, gives every problem found, in document order, each with
    /// its location relative to the template.
    ///
    /// ```
    /// use serde_json::json;
    /// use sfini_core::payload::Template;
    ///
    /// let errors = Template::compile(&json!({"a.$": 5, "b": [{"c.$": "States.Nope()"}]})).unwrap_err();
    /// assert_eq!(errors.len(), 2);
    /// assert_eq!(errors[0].location.to_string(), "['a.$']");
    /// assert_eq!(errors[1].location.to_string(), "b[0]['c.$']");
    /// ```
    pub fn compile(template: &Value) -> Result<Template, Vec<TemplateError>> {
        let errors = check(template);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Template {
            root: build(template, &Location::root()),
        })
    }

    /// Fills in the template: paths starting with `$` read `data`, those
    /// starting with `$$` read `context`; within the default [`Budget`].
    pub fn evaluate(&self, data: &Value, context: &Value) -> Result<Value, PayloadError> {
        self.evaluate_within(data, context, &Budget::default())
    }

    /// [`Template::evaluate`] within a budget: the paths' work and every
    /// value copied into the result are paid for, and an evaluation that
    /// does not fit fails with [`PayloadError::Exhausted`] as soon as the
    /// budget runs out.
    pub fn evaluate_within(
        &self,
        data: &Value,
        context: &Value,
        budget: &Budget,
    ) -> Result<Value, PayloadError> {
        self.root.evaluate(Roots::new(data, context), budget)
    }

    /// [`Template::evaluate_within`] with the workflow variables in scope:
    /// paths starting with `$name` read the variable `name`.
    pub fn evaluate_in(&self, roots: Roots<'_>, budget: &Budget) -> Result<Value, PayloadError> {
        self.root.evaluate(roots, budget)
    }

    /// True when a dynamic field reads the context object (`$$`).
    pub fn uses_context(&self) -> bool {
        self.dynamic_fields().any(|(_, value)| value.uses_context())
    }

    /// Every dynamic field, in document order, with its location relative
    /// to the template (`list[2]['x.$']`).
    pub fn dynamic_fields(&self) -> impl Iterator<Item = (Location, &DynamicValue)> {
        let mut fields = Vec::new();
        self.root.collect_dynamic(&mut fields);
        fields.into_iter()
    }
}

impl Node {
    fn evaluate(&self, roots: Roots<'_>, budget: &Budget) -> Result<Value, PayloadError> {
        match self {
            // Constants come from the definition, whose size is bounded.
            Node::Constant(value) => Ok(value.clone()),
            Node::Object(members) => {
                let mut object = Map::with_capacity(members.len());
                for (key, node) in members {
                    object.insert(key.clone(), node.evaluate(roots, budget)?);
                }
                Ok(Value::Object(object))
            }
            Node::Array(items) => items
                .iter()
                .map(|item| item.evaluate(roots, budget))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            Node::Dynamic(field) => field.evaluate(roots, budget),
        }
    }

    fn collect_dynamic<'t>(&'t self, out: &mut Vec<(Location, &'t DynamicValue)>) {
        match self {
            Node::Constant(_) => {}
            Node::Object(members) => {
                for (_, node) in members {
                    node.collect_dynamic(out);
                }
            }
            Node::Array(items) => {
                for item in items {
                    item.collect_dynamic(out);
                }
            }
            Node::Dynamic(field) => out.push((field.location.clone(), &field.value)),
        }
    }
}

impl DynamicField {
    fn evaluate(&self, roots: Roots<'_>, budget: &Budget) -> Result<Value, PayloadError> {
        let exhausted = |exhausted| PayloadError::Exhausted {
            field: self.key.clone(),
            exhausted,
        };
        match &self.value {
            DynamicValue::Path(path) => match path.select_in(roots, budget) {
                Ok(selection) => {
                    budget.check().map_err(exhausted)?;
                    selection.into_value_within(budget).map_err(exhausted)
                }
                Err(_) => {
                    let input = match path.root() {
                        Root::Data => roots.data,
                        Root::Context => roots.context,
                        Root::Variable => path
                            .variable()
                            .and_then(|name| roots.variables.variable(name))
                            .unwrap_or(&Value::Null),
                    };
                    Err(PayloadError::PathNotFound {
                        field: self.key.clone(),
                        path: path.as_str().to_string(),
                        data: truncated_json(input),
                    })
                }
            },
            DynamicValue::Call(call) => {
                call.evaluate_in(roots, budget)
                    .map_err(|error| match error {
                        IntrinsicError::Exhausted { exhausted: why, .. } => exhausted(why),
                        error => PayloadError::Intrinsic {
                            field: self.key.clone(),
                            error,
                        },
                    })
            }
        }
    }
}

/// Checks a template without compiling it: every problem, in document
/// order, each with its location relative to the template. This is what
/// [`Template::compile`] reports, at a fraction of the cost.
pub fn check(template: &Value) -> Vec<TemplateError> {
    let mut errors = Vec::new();
    let root = Location::root();
    match template {
        Value::Object(fields) => check_object(fields, &Here::Root(&root), &mut errors),
        other => errors.push(TemplateError {
            location: root,
            message: format!(
                "a payload template must be a JSON object, found {}",
                kind_of(other)
            ),
        }),
    }
    errors
}

fn check_value(value: &Value, at: &Here<'_>, errors: &mut Vec<TemplateError>) {
    match value {
        Value::Object(fields) => check_object(fields, at, errors),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_value(item, &at.index(index), errors);
            }
        }
        _ => {}
    }
}

fn check_object(fields: &Map<String, Value>, at: &Here<'_>, errors: &mut Vec<TemplateError>) {
    for (key, value) in fields {
        let here = at.field(key);
        let Some(name) = key.strip_suffix(".$") else {
            check_value(value, &here, errors);
            continue;
        };
        if let Err(message) = check_dynamic(key, value) {
            errors.push(TemplateError {
                location: here.location(),
                message,
            });
        }
        // Templates are small objects: a scan beats hashing the name.
        let twin = if fields.len() <= 8 {
            fields.keys().any(|other| other == name)
        } else {
            fields.contains_key(name)
        };
        if twin {
            collision(fields, key, name, at, errors);
        }
    }
}

/// Reports `a` and `a.$` in one object, which give the same field: the
/// later of the two is at fault.
fn collision(
    fields: &Map<String, Value>,
    dynamic_key: &str,
    name: &str,
    at: &Here<'_>,
    errors: &mut Vec<TemplateError>,
) {
    let position = |wanted: &str| fields.keys().position(|key| key == wanted);
    let (earlier, later) = if position(name) < position(dynamic_key) {
        (name, dynamic_key)
    } else {
        (dynamic_key, name)
    };
    let error = TemplateError {
        location: at.field(later).location(),
        message: format!(
            "`{earlier}` and `{later}` both give the field `{name}` once `.$` is dropped; keep only one of them"
        ),
    };
    errors.push(error);
}

/// Checks the value of a `.$` field.
fn check_dynamic(key: &str, value: &Value) -> Result<(), String> {
    match value {
        Value::String(text) if text.starts_with('$') => {
            Path::check(text).map(drop).map_err(|error| {
                format!(
                    "the value of `{key}` is not a valid path: {} (at character {})",
                    error.message, error.offset
                )
            })
        }
        Value::String(text) if looks_like_call(text) => IntrinsicCall::check(text)
            .map(drop)
            .map_err(|error| intrinsic_message(key, &error)),
        _ => parse_dynamic(key, value).map(drop),
    }
}

fn intrinsic_message(key: &str, error: &crate::intrinsic::IntrinsicSyntaxError) -> String {
    format!(
        "the value of `{key}` is not a valid intrinsic function call: {} (at character {})",
        error.message, error.offset
    )
}

/// Builds the evaluation tree of a checked template: the parts without a
/// dynamic field are kept as constants.
fn build(value: &Value, location: &Location) -> Node {
    if !has_dynamic(value) {
        return Node::Constant(value.clone());
    }
    match value {
        Value::Object(fields) => Node::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let here = location.field(key.as_str());
                    match key.strip_suffix(".$") {
                        Some(name) => {
                            // `check` accepted the template, so the value parses.
                            let parsed = parse_dynamic(key, value)
                                .expect("a checked template's dynamic values parse");
                            let field = DynamicField {
                                key: key.clone(),
                                location: here,
                                value: parsed,
                            };
                            (name.to_string(), Node::Dynamic(Box::new(field)))
                        }
                        None => (key.clone(), build(value, &here)),
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Node::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| build(item, &location.index(index)))
                .collect(),
        ),
        other => Node::Constant(other.clone()),
    }
}

/// True when a `.$` field is somewhere inside `value`.
fn has_dynamic(value: &Value) -> bool {
    match value {
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.ends_with(".$") || has_dynamic(value)),
        Value::Array(items) => items.iter().any(has_dynamic),
        _ => false,
    }
}

fn parse_dynamic(key: &str, value: &Value) -> Result<DynamicValue, String> {
    let Value::String(text) = value else {
        return Err(format!(
            "the value of `{key}` must be a path or an intrinsic function call as a string, \
             found {}",
            kind_of(value)
        ));
    };
    if text.starts_with('$') {
        Path::parse(text).map(DynamicValue::Path).map_err(|error| {
            format!(
                "the value of `{key}` is not a valid path: {} (at character {})",
                error.message, error.offset
            )
        })
    } else if looks_like_call(text) {
        IntrinsicCall::parse(text)
            .map(DynamicValue::Call)
            .map_err(|error| intrinsic_message(key, &error))
    } else {
        Err(format!(
            "the value of `{key}` must be a path starting with `$` or an intrinsic function \
             call such as `States.Format('{{}}', $.name)`, found {}; a fixed value goes in a \
             field whose key does not end in `.$`",
            if text.is_empty() {
                "an empty string".to_string()
            } else {
                format!("`{text}`")
            }
        ))
    }
}

/// How many characters of the data a path-not-found cause quotes. The
/// service quotes the whole input (a cause recorded on AWS quotes a context
/// object of more than 800 characters uncut); the bound is the length of a
/// failure's cause in the service's API, so that a huge input is not
/// written out only to be dropped.
pub(crate) const QUOTED_DATA_LIMIT: usize = 32_768;

/// The compact JSON of `value`, cut after [`QUOTED_DATA_LIMIT`] characters
/// (and then ending in `...`). Huge values are not written out in full.
pub(crate) fn truncated_json(value: &Value) -> String {
    let mut out = Truncating {
        text: String::new(),
        room: QUOTED_DATA_LIMIT,
        cut: false,
    };
    // The writer refuses text once it is full; that error only means "cut".
    let _ = write!(out, "{value}");
    if out.cut {
        out.text.push_str("...");
    }
    out.text
}

/// A `fmt::Write` that keeps the first `room` characters and then stops
/// the writing.
struct Truncating {
    text: String,
    room: usize,
    cut: bool,
}

impl fmt::Write for Truncating {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.room == 0 {
                self.cut = true;
                return Err(fmt::Error);
            }
            self.text.push(c);
            self.room -= 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
