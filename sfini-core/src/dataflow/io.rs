//! A state's input and output processing, compiled once.

use std::borrow::Cow;

use serde_json::{Map as Object, Value};

use crate::error_name::PredefinedError;
use crate::model::{DataPath, State};
use crate::path::{Path, ReferencePath, Selection};
use crate::payload::Template;

use super::DataFlowError;

/// A state's data-flow fields with their paths and templates parsed.
#[derive(Clone, Debug)]
pub struct StateIo {
    input_path: Selector,
    parameters: Option<Template>,
    item_selector: Option<Template>,
    result: Option<Value>,
    result_selector: Option<Template>,
    result_path: Target,
    output_path: Selector,
}

/// InputPath or OutputPath.
#[derive(Clone, Debug)]
enum Selector {
    /// `$`: everything.
    All,
    /// A path.
    Path(Path),
    /// `null`: an empty object.
    Empty,
}

/// ResultPath.
#[derive(Clone, Debug)]
enum Target {
    /// `$`: the result replaces the input.
    Replace,
    /// A reference path into the input.
    At(ReferencePath),
    /// `null`: the result is dropped and the input passes on.
    Discard,
}

/// A field of a state that does not compile: its paths or templates were
/// not validated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct CompileError {
    /// The field, such as `ResultPath` or `Parameters`.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

fn selector(path: &DataPath, field: &'static str) -> Result<Selector, CompileError> {
    match path {
        DataPath::Null => Ok(Selector::Empty),
        _ if path.is_root() => Ok(Selector::All),
        DataPath::Path(text) => {
            Path::parse(text)
                .map(Selector::Path)
                .map_err(|error| CompileError {
                    field,
                    message: error.to_string(),
                })
        }
    }
}

fn target(path: &DataPath) -> Result<Target, CompileError> {
    match path {
        DataPath::Null => Ok(Target::Discard),
        _ if path.is_root() => Ok(Target::Replace),
        DataPath::Path(text) => {
            ReferencePath::parse(text)
                .map(Target::At)
                .map_err(|error| CompileError {
                    field: "ResultPath",
                    message: error.to_string(),
                })
        }
    }
}

fn template(value: Option<&Value>, field: &'static str) -> Result<Option<Template>, CompileError> {
    value
        .map(|value| {
            Template::compile(value).map_err(|errors| CompileError {
                field,
                message: errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            })
        })
        .transpose()
}

impl StateIo {
    /// Compiles the data-flow fields of a state.
    ///
    /// Choice, Wait and Succeed states have no result: their output is their
    /// effective input, through OutputPath. A Fail state has no data flow.
    pub fn compile(state: &State) -> Result<StateIo, CompileError> {
        let mut io = StateIo {
            input_path: Selector::All,
            parameters: None,
            item_selector: None,
            result: None,
            result_selector: None,
            result_path: Target::Replace,
            output_path: Selector::All,
        };
        let (input_path, output_path) = match state {
            State::Task(task) => {
                io.parameters = template(task.parameters.as_ref(), "Parameters")?;
                io.result_selector = template(task.result_selector.as_ref(), "ResultSelector")?;
                io.result_path = target(&task.result_path)?;
                (&task.input_path, &task.output_path)
            }
            State::Pass(pass) => {
                io.parameters = template(pass.parameters.as_ref(), "Parameters")?;
                io.result = pass.result.clone();
                io.result_path = target(&pass.result_path)?;
                (&pass.input_path, &pass.output_path)
            }
            State::Parallel(parallel) => {
                io.parameters = template(parallel.parameters.as_ref(), "Parameters")?;
                io.result_selector = template(parallel.result_selector.as_ref(), "ResultSelector")?;
                io.result_path = target(&parallel.result_path)?;
                (&parallel.input_path, &parallel.output_path)
            }
            State::Map(map) => {
                io.item_selector = template(map.item_selector.as_ref(), "ItemSelector")?;
                io.result_selector = template(map.result_selector.as_ref(), "ResultSelector")?;
                io.result_path = target(&map.result_path)?;
                (&map.input_path, &map.output_path)
            }
            State::Choice(choice) => (&choice.input_path, &choice.output_path),
            State::Wait(wait) => (&wait.input_path, &wait.output_path),
            State::Succeed(succeed) => (&succeed.input_path, &succeed.output_path),
            State::Fail(_) => return Ok(io),
        };
        io.input_path = selector(input_path, "InputPath")?;
        io.output_path = selector(output_path, "OutputPath")?;
        Ok(io)
    }

    /// The input the state works on: InputPath applied to the raw input,
    /// then Parameters. (A Map's ItemSelector applies to each item; see
    /// [`StateIo::item_input`].)
    pub fn effective_input(
        &self,
        raw_input: &Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let selected = select(&self.input_path, raw_input, context, "InputPath")?;
        match &self.parameters {
            None => Ok(selected.into_owned()),
            Some(parameters) => parameters
                .evaluate(&selected, context)
                .map_err(DataFlowError::from),
        }
    }

    /// The input of one Map iteration: the item, or the ItemSelector
    /// evaluated on the Map's effective input with `$$.Map.Item.Index` and
    /// `$$.Map.Item.Value` set in the context.
    pub fn item_input(
        &self,
        item: &Value,
        index: usize,
        effective_input: &Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let Some(selector) = &self.item_selector else {
            return Ok(item.clone());
        };
        let context = with_map_item(context, index, item);
        selector
            .evaluate(effective_input, &context)
            .map_err(DataFlowError::from)
    }

    /// The state's output from its raw input and its result: ResultSelector
    /// on the result, ResultPath into the raw input, then OutputPath.
    pub fn output(
        &self,
        raw_input: Value,
        result: Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let result = self.select_result(result, context)?;
        let combined = place(&self.result_path, raw_input, result)?;
        select_owned(&self.output_path, combined, context)
    }

    /// [`StateIo::output`] on a raw input that the caller keeps (shared
    /// with a history, say): the raw input is copied only when ResultPath
    /// keeps it, that is when it is `null` or a path, not `$`.
    pub fn output_borrowed(
        &self,
        raw_input: &Value,
        result: Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let result = self.select_result(result, context)?;
        let combined = match &self.result_path {
            Target::Replace => result,
            _ => place(&self.result_path, raw_input.clone(), result)?,
        };
        select_owned(&self.output_path, combined, context)
    }

    fn select_result(&self, result: Value, context: &Value) -> Result<Value, DataFlowError> {
        match &self.result_selector {
            None => Ok(result),
            Some(selector) => selector
                .evaluate(&result, context)
                .map_err(DataFlowError::from),
        }
    }

    /// Runs a Pass state: its result is `Result` when given, else its
    /// effective input.
    pub fn pass(&self, raw_input: Value, context: &Value) -> Result<Value, DataFlowError> {
        let result = match &self.result {
            Some(result) => result.clone(),
            None => self.effective_input(&raw_input, context)?,
        };
        self.output(raw_input, result, context)
    }

    /// [`StateIo::pass`] on a raw input that the caller keeps: the raw
    /// input is copied only when ResultPath keeps it (see
    /// [`StateIo::output_borrowed`]).
    pub fn pass_borrowed(
        &self,
        raw_input: &Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let result = match &self.result {
            Some(result) => result.clone(),
            None => self.effective_input(raw_input, context)?,
        };
        self.output_borrowed(raw_input, result, context)
    }

    /// Runs a state without a result (Choice, Wait, Succeed): InputPath,
    /// then OutputPath.
    pub fn pass_through(&self, raw_input: &Value, context: &Value) -> Result<Value, DataFlowError> {
        let effective = select(&self.input_path, raw_input, context, "InputPath")?;
        select(&self.output_path, &effective, context, "OutputPath").map(Cow::into_owned)
    }
}

/// InputPath or OutputPath applied to data the caller keeps: what a
/// definite path names is borrowed, not copied.
fn select<'v>(
    selector: &Selector,
    data: &'v Value,
    context: &'v Value,
    field: &str,
) -> Result<Cow<'v, Value>, DataFlowError> {
    match selector {
        Selector::All => Ok(Cow::Borrowed(data)),
        Selector::Empty => Ok(Cow::Owned(Value::Object(Object::new()))),
        Selector::Path(path) => match path.select(data, context) {
            Ok(Selection::One(value)) => Ok(Cow::Borrowed(value)),
            Ok(selection) => Ok(Cow::Owned(selection.into_value())),
            Err(no_match) => Err(DataFlowError::runtime(format!(
                "Invalid path '{}' in the {field}: {}",
                path.as_str(),
                no_match.reason
            ))),
        },
    }
}

/// OutputPath applied to data the state owns: `$` passes it on as it is.
fn select_owned(selector: &Selector, data: Value, context: &Value) -> Result<Value, DataFlowError> {
    match selector {
        Selector::All => Ok(data),
        _ => select(selector, &data, context, "OutputPath").map(Cow::into_owned),
    }
}

/// ResultPath: puts the result into the raw input.
fn place(target: &Target, mut raw_input: Value, result: Value) -> Result<Value, DataFlowError> {
    match target {
        Target::Replace => Ok(result),
        Target::Discard => Ok(raw_input),
        Target::At(path) => match path.write(&mut raw_input, result) {
            Ok(()) => Ok(raw_input),
            Err(error) => Err(DataFlowError::new(
                PredefinedError::ResultPathMatchFailure,
                format!(
                    "Unable to apply ResultPath '{}' to the state's input: {}",
                    path.as_str(),
                    error.reason
                ),
            )),
        },
    }
}

/// The context object with `Map.Item.Index` and `Map.Item.Value` set.
pub(crate) fn with_map_item(context: &Value, index: usize, item: &Value) -> Value {
    let mut context = match context {
        Value::Object(_) => context.clone(),
        _ => Value::Object(Object::new()),
    };
    let mut item_fields = Object::new();
    item_fields.insert("Index".to_string(), Value::from(index));
    item_fields.insert("Value".to_string(), item.clone());
    let mut map = Object::new();
    map.insert("Item".to_string(), Value::Object(item_fields));
    if let Value::Object(fields) = &mut context {
        fields.insert("Map".to_string(), Value::Object(map));
    }
    context
}
