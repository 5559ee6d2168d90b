//! A state's input and output processing, compiled once.

use std::borrow::Cow;

use serde_json::{Map as Object, Value};

use crate::budget::{Budget, EvaluationLimits, Exhausted};
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
    limits: EvaluationLimits,
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
            limits: EvaluationLimits::default(),
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

    /// The bounds of each evaluation of the state's paths and templates
    /// (default: [`EvaluationLimits::default`]). An evaluation that passes
    /// them fails with the error of [`Exhausted::error`].
    #[must_use]
    pub fn with_limits(mut self, limits: EvaluationLimits) -> Self {
        self.limits = limits;
        self
    }

    fn budget(&self) -> Budget {
        Budget::new(self.limits)
    }

    /// The input the state works on: InputPath applied to the raw input,
    /// then Parameters. (A Map's ItemSelector applies to each item; see
    /// [`StateIo::item_input`].)
    pub fn effective_input(
        &self,
        raw_input: &Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let budget = self.budget();
        let selected = select(&self.input_path, raw_input, context, "InputPath", &budget)?;
        match &self.parameters {
            None => Ok(selected.into_owned()),
            Some(parameters) => parameters
                .evaluate_within(&selected, context, &budget)
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
            .evaluate_within(effective_input, &context, &self.budget())
            .map_err(DataFlowError::from)
    }

    /// [`StateIo::item_input`] for many items in turn, on one context
    /// object that the caller keeps between them: `$$.Map.Item` is set in
    /// `context` in place, so that the rest of the context object is not
    /// copied for each item.
    pub fn item_input_in(
        &self,
        item: &Value,
        index: usize,
        effective_input: &Value,
        context: &mut Value,
    ) -> Result<Value, DataFlowError> {
        let Some(selector) = &self.item_selector else {
            return Ok(item.clone());
        };
        set_map_item(context, index, item);
        selector
            .evaluate_within(effective_input, context, &self.budget())
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
        let budget = self.budget();
        let result = self.select_result(result, context, &budget)?;
        let combined = place(&self.result_path, raw_input, result, &self.limits)?;
        select_owned(&self.output_path, combined, context, &budget)
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
        let budget = self.budget();
        let result = self.select_result(result, context, &budget)?;
        let combined = match &self.result_path {
            Target::Replace => result,
            _ => place(&self.result_path, raw_input.clone(), result, &self.limits)?,
        };
        select_owned(&self.output_path, combined, context, &budget)
    }

    fn select_result(
        &self,
        result: Value,
        context: &Value,
        budget: &Budget,
    ) -> Result<Value, DataFlowError> {
        match &self.result_selector {
            None => Ok(result),
            Some(selector) => selector
                .evaluate_within(&result, context, budget)
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
        let budget = self.budget();
        let effective = select(&self.input_path, raw_input, context, "InputPath", &budget)?;
        select(
            &self.output_path,
            &effective,
            context,
            "OutputPath",
            &budget,
        )
        .map(Cow::into_owned)
    }
}

/// The failure of an evaluation cut short by its budget.
fn exhausted(field: &str, exhausted: Exhausted) -> DataFlowError {
    DataFlowError::new(
        exhausted.error(),
        format!("Evaluating the {field} was stopped: {exhausted}"),
    )
}

/// InputPath or OutputPath applied to data the caller keeps: what a
/// definite path names is borrowed, not copied.
fn select<'v>(
    selector: &Selector,
    data: &'v Value,
    context: &'v Value,
    field: &str,
    budget: &Budget,
) -> Result<Cow<'v, Value>, DataFlowError> {
    match selector {
        Selector::All => Ok(Cow::Borrowed(data)),
        Selector::Empty => Ok(Cow::Owned(Value::Object(Object::new()))),
        Selector::Path(path) => match path.select_within(data, context, budget) {
            Ok(Selection::One(value)) => Ok(Cow::Borrowed(value)),
            Ok(selection) => {
                budget.check().map_err(|why| exhausted(field, why))?;
                selection
                    .into_value_within(budget)
                    .map(Cow::Owned)
                    .map_err(|why| exhausted(field, why))
            }
            Err(no_match) => Err(DataFlowError::runtime(format!(
                "Invalid path '{}' in the {field}: {}",
                path.as_str(),
                no_match.reason
            ))),
        },
    }
}

/// OutputPath applied to data the state owns: `$` passes it on as it is.
fn select_owned(
    selector: &Selector,
    data: Value,
    context: &Value,
    budget: &Budget,
) -> Result<Value, DataFlowError> {
    match selector {
        Selector::All => Ok(data),
        _ => select(selector, &data, context, "OutputPath", budget).map(Cow::into_owned),
    }
}

/// Refuses a ResultPath whose steps alone nest the result deeper than the
/// depth bound, before anything is built: a value that deep could not be
/// kept, and dropping it would need the stack the bound protects.
fn check_placement(target: &Target, limits: &EvaluationLimits) -> Result<(), DataFlowError> {
    match target {
        Target::At(path) if path.steps().len() > limits.max_depth() => Err(DataFlowError::new(
            PredefinedError::DataLimitExceeded,
            format!(
                "The ResultPath '{}' places the result {} levels deep, more than the {} levels \
                     of arrays and objects data may nest",
                shorten(path.as_str()),
                path.steps().len(),
                limits.max_depth()
            ),
        )),
        _ => Ok(()),
    }
}

/// A path cut to a length fit for a message.
fn shorten(text: &str) -> Cow<'_, str> {
    const LONGEST: usize = 120;
    match text.char_indices().nth(LONGEST) {
        Some((at, _)) => Cow::Owned(format!("{}...", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

/// ResultPath: puts the result into the raw input.
fn place(
    target: &Target,
    mut raw_input: Value,
    result: Value,
    limits: &EvaluationLimits,
) -> Result<Value, DataFlowError> {
    check_placement(target, limits)?;
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

/// Sets `Map.Item.Index` and `Map.Item.Value` in a context object (made an
/// object first if it is not one).
fn set_map_item(context: &mut Value, index: usize, item: &Value) {
    if !context.is_object() {
        *context = Value::Object(Object::new());
    }
    let mut item_fields = Object::new();
    item_fields.insert("Index".to_string(), Value::from(index));
    item_fields.insert("Value".to_string(), item.clone());
    let mut map = Object::new();
    map.insert("Item".to_string(), Value::Object(item_fields));
    if let Value::Object(fields) = context {
        fields.insert("Map".to_string(), Value::Object(map));
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
