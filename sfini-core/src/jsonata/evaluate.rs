//! Evaluation: the fast paths for expressions that only select a value,
//! and the engine, given what the expression reads and nothing more.

use jlens_core::input::{Sink, Source};
use jlens_core::reads::Read;
use jlens_core::{CancelToken, Options};
use serde_json::{Map, Value};

use super::analysis::{Operand, Operator, Shape, StatesField, field_read};
use super::error::{char_offset, char_offset_utf16};
use super::functions::CallScope;
use super::meter::{self, Metering};
use super::{Compiled, Environment, EvaluationError, Limits};
use crate::limits::{Exceeded, MAX_DEPTH, drop_deep, measure};

/// Evaluates a compiled expression; `context` is the context value, which
/// Step Functions never gives.
pub(super) fn run(
    compiled: &Compiled,
    context: Option<&Value>,
    environment: &Environment<'_>,
    limits: &Limits,
) -> Result<Option<Value>, EvaluationError> {
    if context.is_none()
        && let Some(answer) = fast(&compiled.analysis.shape, environment, limits)
    {
        return answer;
    }
    let _scope = CallScope::enter(environment.seed, limits.array_items, limits.string_bytes);
    let token = meter::installed().then(CancelToken::new);
    let metering = token
        .as_ref()
        .map(|token| Metering::start(limits.memory_bytes, token));

    let mut bindings = compiled.bindings.clone();
    let plan = &compiled.analysis.plan;
    // `$states` read in place as the root input, or bound as a variable.
    let in_place = compiled
        .states_engine
        .as_ref()
        .filter(|_| context.is_none());
    if let (Some(read), None) = (&plan.states, in_place) {
        bindings = bindings.var("states", states(read, environment));
    }
    for (name, read) in &plan.variables {
        if let Some(value) = environment.variables.variable(name) {
            bindings = bindings.var(name.as_str(), read.cut(value));
        }
    }

    let mut options = Options::new()
        .max_steps(limits.steps)
        .max_depth(limits.depth)
        .max_string_length(limits.string_bytes)
        .max_array_length(limits.array_items)
        .max_result_size(limits.result_bytes)
        .timeout(limits.timeout)
        .now(environment.now_millis)
        .seed(environment.seed);
    if let Some(token) = &token {
        options = options.cancel_token(token.clone());
    }

    let outcome = match in_place {
        Some((engine, _)) => {
            engine.evaluate_source(&StatesSource(environment), &bindings, &options)
        }
        None => compiled.engine.evaluate_with(context, &bindings, &options),
    };
    drop(bindings);
    let memory = metering
        .as_ref()
        .filter(|metering| metering.exceeded())
        .map(Metering::limit);
    match outcome {
        Ok(None) => Ok(None),
        Ok(Some(value)) => checked(value, limits).map(Some),
        Err(error) => Err(match in_place {
            Some((engine, starts)) => {
                let mut error = engine_error(&error, engine.source(), memory);
                // Offsets in the text as written: each `$$` stands for
                // `$states`, five characters longer.
                error.offset = error.offset.map(|offset| {
                    offset + 5 * starts.iter().filter(|start| **start < offset).count()
                });
                error
            }
            None => engine_error(&error, &compiled.text, memory),
        }),
    }
}

/// `$states` as the root input of an evaluation, read in place one level
/// at a time as the evaluation reaches it: input, result, errorOutput,
/// context, in that order.
struct StatesSource<'e>(&'e Environment<'e>);

impl<'e> Source<'e> for StatesSource<'e> {
    fn read(&self, sink: &mut Sink<'_, 'e>) -> Result<(), String> {
        sink.object(StatesFields(self.0));
        Ok(())
    }
}

struct StatesFields<'e>(&'e Environment<'e>);

impl<'e> StatesFields<'e> {
    fn field(&self, field: StatesField) -> Option<&'e Value> {
        match field {
            StatesField::Input => Some(self.0.input),
            StatesField::Result => self.0.result,
            StatesField::ErrorOutput => self.0.error_output,
            StatesField::Context => self.0.context,
        }
    }
}

impl<'e> Source<'e> for StatesFields<'e> {
    fn read(&self, sink: &mut Sink<'_, 'e>) -> Result<(), String> {
        for field in StatesField::ALL {
            if let Some(value) = self.field(field) {
                sink.key(field.name());
                write_json(value, sink);
            }
        }
        Ok(())
    }

    fn read_field(&self, key: &str, sink: &mut Sink<'_, 'e>) -> Result<bool, String> {
        if let Some(value) = StatesField::ALL
            .into_iter()
            .find(|field| field.name() == key)
            .and_then(|field| self.field(field))
        {
            write_json(value, sink);
        }
        Ok(true)
    }
}

/// A `serde_json` value read in place, one level at a time.
struct JsonSource<'v>(&'v Value);

impl<'v> Source<'v> for JsonSource<'v> {
    fn read(&self, sink: &mut Sink<'_, 'v>) -> Result<(), String> {
        match self.0 {
            Value::Array(items) => {
                sink.reserve(items.len());
                for item in items {
                    write_json(item, sink);
                }
            }
            Value::Object(members) => {
                sink.reserve(members.len());
                for (key, member) in members {
                    sink.key(key);
                    write_json(member, sink);
                }
            }
            scalar => write_json(scalar, sink),
        }
        Ok(())
    }

    fn read_field(&self, key: &str, sink: &mut Sink<'_, 'v>) -> Result<bool, String> {
        match self.0 {
            Value::Object(members) => {
                if let Some(member) = members.get(key) {
                    write_json(member, sink);
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn length(&self) -> Option<usize> {
        match self.0 {
            Value::Array(items) => Some(items.len()),
            _ => None,
        }
    }

    fn read_item(&self, index: usize, sink: &mut Sink<'_, 'v>) -> Result<bool, String> {
        match self.0 {
            Value::Array(items) => {
                if let Some(item) = items.get(index) {
                    write_json(item, sink);
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// Writes one value: a scalar as it is, an array or object as a source of
/// its own, read when reached.
fn write_json<'v>(value: &'v Value, sink: &mut Sink<'_, 'v>) {
    match value {
        Value::Null => sink.null(),
        Value::Bool(value) => sink.bool(*value),
        Value::Number(number) => sink.number(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => sink.string(text),
        Value::Array(_) => sink.array(JsonSource(value)),
        Value::Object(_) => sink.object(JsonSource(value)),
    }
}

/// `$states` with the fields the expression reads, each cut to what it
/// reads: input, result, errorOutput, context, in that order.
fn states(read: &Read, environment: &Environment<'_>) -> Value {
    let mut states = Map::new();
    for field in StatesField::ALL {
        let value = match field {
            StatesField::Input => Some(environment.input),
            StatesField::Result => environment.result,
            StatesField::ErrorOutput => environment.error_output,
            StatesField::Context => environment.context,
        };
        if let (Some(value), Some(read)) = (value, field_read(read, field)) {
            states.insert(field.name().to_owned(), read.cut(value));
        }
    }
    Value::Object(states)
}

/// The answer to an expression that only selects a value
/// (`$states.input.a.b`, `$name.a`), found by walking the data: `None`
/// when the walk meets an array, over whose items JSONata would map (the
/// engine answers then).
///
/// A path step on an object gives its field, undefined when it has none;
/// on a scalar, undefined. The value reached is the result as it is (an
/// array included: JSONata keeps the array the last step gives), its
/// numbers written as JSONata writes them.
fn fast(
    shape: &Shape,
    environment: &Environment<'_>,
    limits: &Limits,
) -> Option<Result<Option<Value>, EvaluationError>> {
    if let Shape::Binary(operator, lhs, rhs) = shape {
        return binary(*operator, lhs, rhs, environment).map(|value| Ok(Some(value)));
    }
    let value = match select(shape, environment)? {
        Some(value) => value,
        None => return Some(Ok(None)),
    };
    Some(within(value, limits).map(|()| Some(normalized(value))))
}

/// What a selection gives: `None` when the engine must evaluate it (a step
/// over an array), `Some(None)` for nothing.
fn select<'e>(shape: &Shape, environment: &Environment<'e>) -> Option<Option<&'e Value>> {
    let (root, path) = match shape {
        Shape::General | Shape::Binary(..) => return None,
        Shape::States(field, path) => {
            let root = match field {
                StatesField::Input => Some(environment.input),
                StatesField::Result => environment.result,
                StatesField::ErrorOutput => environment.error_output,
                StatesField::Context => environment.context,
            };
            (root, path)
        }
        Shape::Variable(name, path) => (environment.variables.variable(name), path),
    };
    let Some(mut value) = root else {
        return Some(None);
    };
    for name in path {
        value = match value {
            Value::Object(fields) => match fields.get(name) {
                Some(field) => field,
                None => return Some(None),
            },
            Value::Array(_) => return None,
            _ => return Some(None),
        };
    }
    Some(Some(value))
}

/// An arithmetic or comparison operation on numbers, a comparison of
/// strings, or an equality of scalars; `None` for anything else (nothing
/// selected, other kinds of values, a result that is not a finite number),
/// which the engine evaluates, with its errors.
fn binary(
    operator: Operator,
    lhs: &Operand,
    rhs: &Operand,
    environment: &Environment<'_>,
) -> Option<Value> {
    let operand = |operand: &Operand| -> Option<Value> {
        match operand {
            Operand::Literal(value) => Some(value.clone()),
            Operand::Selection(shape) => match select(shape, environment)? {
                Some(
                    value @ (Value::Number(_) | Value::String(_) | Value::Bool(_) | Value::Null),
                ) => Some(value.clone()),
                _ => None,
            },
        }
    };
    let (lhs, rhs) = (operand(lhs)?, operand(rhs)?);
    let ordering = match (&lhs, &rhs) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64()?, b.as_f64()?);
            let arithmetic = match operator {
                Operator::Add => Some(a + b),
                Operator::Subtract => Some(a - b),
                Operator::Multiply => Some(a * b),
                Operator::Divide => Some(a / b),
                Operator::Remainder => Some(a % b),
                _ => None,
            };
            if let Some(result) = arithmetic {
                return result.is_finite().then(|| json_number(result));
            }
            a.partial_cmp(&b)?
        }
        // JSONata compares strings by UTF-16 code units, as JavaScript does.
        (Value::String(a), Value::String(b)) => a.encode_utf16().cmp(b.encode_utf16()),
        _ => {
            return match operator {
                Operator::Equal => Some(Value::Bool(lhs == rhs)),
                Operator::NotEqual => Some(Value::Bool(lhs != rhs)),
                _ => None,
            };
        }
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    let holds = match operator {
        Operator::Equal => ordering == Equal,
        Operator::NotEqual => ordering != Equal,
        Operator::Less => ordering == Less,
        Operator::LessOrEqual => ordering != Greater,
        Operator::Greater => ordering == Greater,
        Operator::GreaterOrEqual => ordering != Less,
        // Arithmetic on strings fails in the engine, with its error.
        _ => return None,
    };
    Some(Value::Bool(holds))
}

/// Checks that a result fits: at most `result_bytes` of JSON text, nested
/// at most [`MAX_DEPTH`] deep.
fn within(value: &Value, limits: &Limits) -> Result<(), EvaluationError> {
    measure(value, limits.result_bytes, MAX_DEPTH)
        .map(drop)
        .map_err(|exceeded| too_large(exceeded, limits))
}

/// The engine's result, refused (and dropped without recursion) when it
/// does not fit.
fn checked(value: Value, limits: &Limits) -> Result<Value, EvaluationError> {
    match within(&value, limits) {
        Ok(()) => Ok(value),
        Err(error) => {
            drop_deep(value);
            Err(error)
        }
    }
}

fn too_large(exceeded: Exceeded, limits: &Limits) -> EvaluationError {
    let message = match exceeded {
        Exceeded::Bytes { .. } => format!(
            "The result is larger than the limit of {} bytes of JSON text",
            limits.result_bytes
        ),
        Exceeded::Depth { limit } => {
            format!("The result nests arrays and objects more than {limit} levels deep")
        }
    };
    EvaluationError::exhausted("U1001", message)
}

/// A copy of `value` with its numbers as JSONata writes them: every number
/// is a double, written as an integer when it is a whole number of at most
/// 2^53. `value` nests at most [`MAX_DEPTH`] deep (see [`within`]).
fn normalized(value: &Value) -> Value {
    match value {
        Value::Number(number) => json_number(number.as_f64().unwrap_or(f64::NAN)),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, field)| (key.clone(), normalized(field)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn json_number(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
    }
}

/// The codes of the engine's errors that a limit raises.
const LIMIT_CODES: [&str; 6] = ["U1001", "U1003", "U1006", "D1011", "D1012", "SF0202"];

/// An error of the engine as the module reports it. `memory` is the bound
/// the evaluation passed, when the meter cancelled it.
fn engine_error(error: &jlens_core::Error, text: &str, memory: Option<usize>) -> EvaluationError {
    let offset = match (error.span(), error.position()) {
        (Some(span), _) => Some(char_offset(text, span.start)),
        (None, Some(position)) => Some(char_offset_utf16(text, position)),
        (None, None) => None,
    };
    let code = error.code();
    let message = match (code, memory) {
        ("U1003", Some(limit)) => {
            format!("The evaluation used more than the limit of {limit} bytes of memory")
        }
        _ => error.message(),
    };
    EvaluationError {
        code: code.to_owned(),
        message,
        offset,
        exhausted: LIMIT_CODES.contains(&code),
    }
}
