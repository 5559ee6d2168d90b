//! The JSONPath pipeline: InputPath, Parameters, ResultSelector,
//! ResultPath, OutputPath, and Assign with `name.$` templates.

use std::borrow::Cow;

use serde_json::{Map as Object, Value};

use crate::budget::{Budget, EvaluationLimits, Exhausted};
use crate::error_name::PredefinedError;
use crate::model::{DataPath, State};
use crate::path::{Path, ReferencePath, Roots, Selection};
use crate::payload::Template;

use super::{CompileError, DataFlowError, Outcome};

/// A JSONPath state's data-flow fields with their paths and templates parsed.
#[derive(Clone, Debug)]
pub(crate) struct JsonPathIo {
    input_path: Selector,
    parameters: Option<Template>,
    pub(super) item_selector: Option<Template>,
    result: Option<Value>,
    result_selector: Option<Template>,
    result_path: Target,
    output_path: Selector,
    /// The state's `Assign`.
    assign: Option<Template>,
    /// Each Choice rule's `Assign`.
    rule_assigns: Vec<Option<Template>>,
    /// Each catcher's ResultPath and `Assign`.
    catchers: Vec<(Target, Option<Template>)>,
    /// What the state's result is: a Task's, Parallel's or Map's work, a
    /// Pass's Result or effective input, or nothing (Choice, Wait, Succeed).
    kind: ResultKind,
    pub(super) limits: EvaluationLimits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResultKind {
    Work,
    Pass,
    None,
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

fn target(path: &DataPath, field: &'static str) -> Result<Target, CompileError> {
    match path {
        DataPath::Null => Ok(Target::Discard),
        _ if path.is_root() => Ok(Target::Replace),
        DataPath::Path(text) => {
            ReferencePath::parse(text)
                .map(Target::At)
                .map_err(|error| CompileError {
                    field,
                    message: error.to_string(),
                })
        }
    }
}

pub(super) fn template(
    value: Option<&Value>,
    field: &'static str,
) -> Result<Option<Template>, CompileError> {
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

impl JsonPathIo {
    /// Compiles the data-flow fields of a state.
    pub fn compile(state: &State) -> Result<JsonPathIo, CompileError> {
        let mut io = JsonPathIo {
            input_path: Selector::All,
            parameters: None,
            item_selector: None,
            result: None,
            result_selector: None,
            result_path: Target::Replace,
            output_path: Selector::All,
            assign: template(state.assign(), "Assign")?,
            rule_assigns: Vec::new(),
            catchers: state
                .catchers()
                .iter()
                .map(|catcher| {
                    Ok((
                        target(&catcher.result_path, "Catch ResultPath")?,
                        template(catcher.assign.as_ref(), "Catch Assign")?,
                    ))
                })
                .collect::<Result<_, CompileError>>()?,
            kind: ResultKind::Work,
            limits: EvaluationLimits::default(),
        };
        let (input_path, output_path) = match state {
            State::Task(task) => {
                io.parameters = template(task.parameters.as_ref(), "Parameters")?;
                io.result_selector = template(task.result_selector.as_ref(), "ResultSelector")?;
                io.result_path = target(&task.result_path, "ResultPath")?;
                (&task.input_path, &task.output_path)
            }
            State::Pass(pass) => {
                io.parameters = template(pass.parameters.as_ref(), "Parameters")?;
                io.result = pass.result.clone();
                io.result_path = target(&pass.result_path, "ResultPath")?;
                io.kind = ResultKind::Pass;
                (&pass.input_path, &pass.output_path)
            }
            State::Parallel(parallel) => {
                io.parameters = template(parallel.parameters.as_ref(), "Parameters")?;
                io.result_selector = template(parallel.result_selector.as_ref(), "ResultSelector")?;
                io.result_path = target(&parallel.result_path, "ResultPath")?;
                (&parallel.input_path, &parallel.output_path)
            }
            State::Map(map) => {
                io.item_selector = template(map.item_selector.as_ref(), "ItemSelector")?;
                io.result_selector = template(map.result_selector.as_ref(), "ResultSelector")?;
                io.result_path = target(&map.result_path, "ResultPath")?;
                (&map.input_path, &map.output_path)
            }
            State::Choice(choice) => {
                io.kind = ResultKind::None;
                io.rule_assigns = choice
                    .choices
                    .iter()
                    .map(|rule| template(rule.assign.as_ref(), "Choice rule Assign"))
                    .collect::<Result<_, _>>()?;
                (&choice.input_path, &choice.output_path)
            }
            State::Wait(wait) => {
                io.kind = ResultKind::None;
                (&wait.input_path, &wait.output_path)
            }
            State::Succeed(succeed) => {
                io.kind = ResultKind::None;
                (&succeed.input_path, &succeed.output_path)
            }
            State::Fail(_) => {
                io.kind = ResultKind::None;
                return Ok(io);
            }
        };
        io.input_path = selector(input_path, "InputPath")?;
        io.output_path = selector(output_path, "OutputPath")?;
        Ok(io)
    }

    fn budget(&self) -> Budget {
        Budget::new(self.limits)
    }

    /// True when the output is the raw input itself: no paths, no
    /// templates, no result placed.
    pub fn is_identity(&self) -> bool {
        matches!(self.input_path, Selector::All)
            && matches!(self.output_path, Selector::All)
            && self.parameters.is_none()
            && match self.kind {
                ResultKind::None => true,
                ResultKind::Pass => {
                    self.result.is_none() && matches!(self.result_path, Target::Replace)
                }
                ResultKind::Work => false,
            }
    }

    /// True when the effective input is the raw input itself.
    pub fn raw_is_effective(&self) -> bool {
        matches!(self.input_path, Selector::All) && self.parameters.is_none()
    }

    /// True when the state, or one of its Choice rules, assigns variables.
    pub fn assigns(&self) -> bool {
        self.assign.is_some() || self.rule_assigns.iter().any(Option::is_some)
    }

    /// True when a path or template reads the context object.
    pub fn uses_context(&self) -> bool {
        let templates = [
            &self.parameters,
            &self.item_selector,
            &self.result_selector,
            &self.assign,
        ];
        let selectors = [&self.input_path, &self.output_path];
        templates
            .into_iter()
            .chain(self.rule_assigns.iter())
            .chain(self.catchers.iter().map(|(_, assign)| assign))
            .flatten()
            .any(Template::uses_context)
            || selectors.into_iter().any(|selector| {
                matches!(selector, Selector::Path(path) if path.root() == crate::path::Root::Context)
            })
    }

    /// The input the state works on: InputPath applied to the raw input,
    /// then Parameters.
    pub fn effective_input<'v>(&self, roots: Roots<'v>) -> Result<Cow<'v, Value>, DataFlowError> {
        let budget = self.budget();
        let selected = select(&self.input_path, roots, "InputPath", &budget)?;
        match &self.parameters {
            None => Ok(selected),
            Some(parameters) => parameters
                .evaluate_in(
                    Roots {
                        data: &selected,
                        ..roots
                    },
                    &budget,
                )
                .map(Cow::Owned)
                .map_err(DataFlowError::from),
        }
    }

    /// The input of one Map iteration: the item, or the ItemSelector
    /// evaluated on the Map's effective input with `$$.Map.Item` set in
    /// `context` (in place, so that the rest of the context object is not
    /// copied for each item).
    pub fn item_input(
        &self,
        roots: Roots<'_>,
        item: &Value,
        index: usize,
        context: &mut Value,
    ) -> Result<Value, DataFlowError> {
        let Some(selector) = &self.item_selector else {
            return Ok(item.clone());
        };
        set_map_item(context, index, item);
        selector
            .evaluate_in(Roots { context, ..roots }, &self.budget())
            .map_err(DataFlowError::from)
    }

    /// The output and the assignments of a state that completed: its result
    /// through ResultSelector and ResultPath into the raw input (`roots.data`),
    /// then OutputPath; Assign reads the result (the effective input of a
    /// state without one). `rule` is the Choice rule that matched.
    pub fn complete(
        &self,
        roots: Roots<'_>,
        effective: Cow<'_, Value>,
        result: Option<Value>,
        rule: Option<usize>,
    ) -> Result<Outcome, DataFlowError> {
        let budget = self.budget();
        let (output, assigned) = match self.kind {
            ResultKind::None => {
                let assign = match rule {
                    Some(index) => self.rule_assigns.get(index).and_then(Option::as_ref),
                    None => self.assign.as_ref(),
                };
                let assigned = self.assignments(assign, roots, &effective, &budget)?;
                let output = select(
                    &self.output_path,
                    Roots {
                        data: &effective,
                        ..roots
                    },
                    "OutputPath",
                    &budget,
                )?
                .into_owned();
                (output, assigned)
            }
            ResultKind::Pass | ResultKind::Work => {
                let result = match (self.kind, result) {
                    (_, Some(result)) => result,
                    (ResultKind::Pass, None) => match &self.result {
                        Some(result) => result.clone(),
                        None => effective.into_owned(),
                    },
                    (_, None) => Value::Null,
                };
                let result = match &self.result_selector {
                    None => result,
                    Some(selector) => selector
                        .evaluate_in(
                            Roots {
                                data: &result,
                                ..roots
                            },
                            &budget,
                        )
                        .map_err(DataFlowError::from)?,
                };
                let assigned = self.assignments(self.assign.as_ref(), roots, &result, &budget)?;
                let combined = match &self.result_path {
                    Target::Replace => result,
                    target => place(target, roots.data.clone(), result, &self.limits)?,
                };
                let output = match &self.output_path {
                    Selector::All => combined,
                    selector => select(
                        selector,
                        Roots {
                            data: &combined,
                            ..roots
                        },
                        "OutputPath",
                        &budget,
                    )?
                    .into_owned(),
                };
                (output, assigned)
            }
        };
        Ok(Outcome { output, assigned })
    }

    /// What a catcher passes on: the raw input with the error output at
    /// the catcher's ResultPath, and the catcher's assignments, which read
    /// the error output.
    pub fn catch(
        &self,
        roots: Roots<'_>,
        index: usize,
        error_output: Value,
    ) -> Result<Outcome, DataFlowError> {
        let budget = self.budget();
        let Some((target, assign)) = self.catchers.get(index) else {
            return Ok(Outcome {
                output: error_output,
                assigned: Vec::new(),
            });
        };
        let assigned = self.assignments(assign.as_ref(), roots, &error_output, &budget)?;
        let output = match target {
            Target::Replace => error_output,
            target => place(target, roots.data.clone(), error_output, &self.limits)?,
        };
        Ok(Outcome { output, assigned })
    }

    /// An `Assign` template evaluated on `data`.
    fn assignments(
        &self,
        assign: Option<&Template>,
        roots: Roots<'_>,
        data: &Value,
        budget: &Budget,
    ) -> Result<Vec<(String, Value)>, DataFlowError> {
        let Some(assign) = assign else {
            return Ok(Vec::new());
        };
        match assign
            .evaluate_in(Roots { data, ..roots }, budget)
            .map_err(DataFlowError::from)?
        {
            Value::Object(members) => Ok(members.into_iter().collect()),
            _ => Ok(Vec::new()),
        }
    }
}

/// The failure of an evaluation cut short by its budget.
fn exhausted(field: &str, exhausted: Exhausted) -> DataFlowError {
    DataFlowError::new(
        exhausted.error(),
        format!("Evaluating the {field} was stopped: {exhausted}"),
    )
}

/// InputPath or OutputPath applied to `roots.data`, which the caller keeps:
/// what a definite path names is borrowed, not copied.
fn select<'v>(
    selector: &Selector,
    roots: Roots<'v>,
    field: &str,
    budget: &Budget,
) -> Result<Cow<'v, Value>, DataFlowError> {
    match selector {
        Selector::All => Ok(Cow::Borrowed(roots.data)),
        Selector::Empty => Ok(Cow::Owned(Value::Object(Object::new()))),
        Selector::Path(path) => match path.select_in(roots, budget) {
            Ok(Selection::One(value)) => Ok(Cow::Borrowed(value)),
            Ok(selection) => {
                budget.check().map_err(|why| exhausted(field, why))?;
                selection
                    .into_value_within(budget)
                    .map(Cow::Owned)
                    .map_err(|why| exhausted(field, why))
            }
            Err(_) => Err(no_results(path, roots)),
        },
    }
}

/// AWS's words for an InputPath, OutputPath or `...Path` setting whose
/// path matches nothing in `roots`: the path as written, then what its
/// JSONPath library says of it (see [`Path::not_found_reason`]).
pub(super) fn no_results(path: &Path, roots: Roots<'_>) -> DataFlowError {
    DataFlowError::runtime(format!(
        "Invalid path '{}' : {}",
        path.as_str(),
        path.not_found_reason(roots)
    ))
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
pub(super) fn set_map_item(context: &mut Value, index: usize, item: &Value) {
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
