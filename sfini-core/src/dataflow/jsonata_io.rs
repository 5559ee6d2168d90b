//! The JSONata pipeline: `Arguments` builds the input of the work, `Output`
//! the state's output and `Assign` the variables, each from `$states`
//! (`input`, `result`, `errorOutput`, `context`) and the variables as they
//! were when the state was entered.

use serde_json::Value;

use crate::jsonata::{Environment, Limits};
use crate::model::{ConditionKind, State};

use super::jsonata_value::{JsonataValue, Located, Malformed, compile_at};
use super::{CompileError, DataFlowError, Frame, Outcome};

/// A JSONata state's fields with their expressions compiled.
#[derive(Clone, Debug)]
pub(crate) struct JsonataIo {
    arguments: Option<JsonataValue>,
    output: Option<JsonataValue>,
    assign: Option<JsonataValue>,
    pub(super) items: Option<JsonataValue>,
    pub(super) item_selector: Option<JsonataValue>,
    /// Each Choice rule's `Condition`, `Output` and `Assign`.
    pub(super) rules: Vec<Rule>,
    /// Each catcher's `Output` and `Assign`.
    catchers: Vec<(Option<JsonataValue>, Option<JsonataValue>)>,
    /// True for Task, Parallel and Map, whose output is their result unless
    /// `Output` says otherwise; the others pass their input on.
    has_result: bool,
    pub(super) limits: Limits,
    /// True when an expression reads `$states.context`.
    uses_context: bool,
}

/// A JSONata Choice rule.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    /// `true`, `false`, or an expression that must give one.
    pub condition: Condition,
    output: Option<JsonataValue>,
    assign: Option<JsonataValue>,
}

#[derive(Clone, Debug)]
pub(crate) enum Condition {
    Constant(bool),
    Expression(Located),
}

fn malformed(error: Malformed) -> CompileError {
    CompileError {
        field: "JSONata",
        message: format!("{}: {}", error.field, error.message),
    }
}

fn value(value: Option<&Value>, field: &str) -> Result<Option<JsonataValue>, CompileError> {
    value
        .map(|value| JsonataValue::compile(value, field).map_err(malformed))
        .transpose()
}

impl JsonataIo {
    /// Compiles the JSONata fields of a state.
    pub fn compile(state: &State) -> Result<JsonataIo, CompileError> {
        let (arguments, items, item_selector) = match state {
            State::Task(task) => (task.arguments.as_ref(), None, None),
            State::Parallel(parallel) => (parallel.arguments.as_ref(), None, None),
            State::Map(map) => (None, map.items.as_ref(), map.item_selector.as_ref()),
            _ => (None, None, None),
        };
        let rules = match state {
            State::Choice(choice) => choice
                .choices
                .iter()
                .enumerate()
                .map(|(index, rule)| {
                    let at = format!("Choices[{index}]");
                    let condition = match &rule.condition.kind {
                        ConditionKind::Jsonata(Value::Bool(flag)) => Condition::Constant(*flag),
                        ConditionKind::Jsonata(Value::String(text)) => {
                            match crate::jsonata::expression_text(text) {
                                Some(source) => Condition::Expression(
                                    compile_at(source, &format!("{at}/Condition"))
                                        .map_err(malformed)?,
                                ),
                                None => {
                                    return Err(CompileError {
                                        field: "Condition",
                                        message: format!(
                                            "`{text}` is not a `{{% ... %}}` expression"
                                        ),
                                    });
                                }
                            }
                        }
                        _ => {
                            return Err(CompileError {
                                field: "Condition",
                                message: "a JSONata Choice rule's Condition is true, false or a `{% ... %}` expression".to_string(),
                            });
                        }
                    };
                    Ok(Rule {
                        condition,
                        output: value(rule.output.as_ref(), &format!("{at}/Output"))?,
                        assign: value(rule.assign.as_ref(), &format!("{at}/Assign"))?,
                    })
                })
                .collect::<Result<_, CompileError>>()?,
            _ => Vec::new(),
        };
        let catchers = state
            .catchers()
            .iter()
            .enumerate()
            .map(|(index, catcher)| {
                let at = format!("Catch[{index}]");
                Ok((
                    value(catcher.output.as_ref(), &format!("{at}/Output"))?,
                    value(catcher.assign.as_ref(), &format!("{at}/Assign"))?,
                ))
            })
            .collect::<Result<_, CompileError>>()?;
        let mut io = JsonataIo {
            arguments: value(arguments, "Arguments")?,
            output: value(state.output(), "Output")?,
            assign: value(state.assign(), "Assign")?,
            items: value(items, "Items")?,
            item_selector: value(item_selector, "ItemSelector")?,
            rules,
            catchers,
            has_result: matches!(state, State::Task(_) | State::Parallel(_) | State::Map(_)),
            limits: Limits::default(),
            uses_context: false,
        };
        io.uses_context = io
            .expressions()
            .iter()
            .any(|located| located.expression.states_reads().context);
        Ok(io)
    }

    /// Every expression of the state's data flow.
    fn expressions(&self) -> Vec<&Located> {
        let values = [
            &self.arguments,
            &self.output,
            &self.assign,
            &self.items,
            &self.item_selector,
        ];
        let mut out: Vec<&Located> = values
            .into_iter()
            .chain(
                self.rules
                    .iter()
                    .flat_map(|rule| [&rule.output, &rule.assign]),
            )
            .chain(
                self.catchers
                    .iter()
                    .flat_map(|(output, assign)| [output, assign]),
            )
            .flatten()
            .flat_map(JsonataValue::expressions)
            .collect();
        out.extend(self.rules.iter().filter_map(|rule| match &rule.condition {
            Condition::Expression(located) => Some(located),
            Condition::Constant(_) => None,
        }));
        out
    }

    /// True when an expression reads `$states.context`.
    pub fn uses_context(&self) -> bool {
        self.uses_context
    }

    /// True when the output is the input itself and nothing is evaluated.
    pub fn is_identity(&self) -> bool {
        !self.has_result
            && self.output.is_none()
            && self.rules.iter().all(|rule| rule.output.is_none())
    }

    /// True when the state, or one of its Choice rules, assigns variables.
    pub fn assigns(&self) -> bool {
        self.assign.is_some() || self.rules.iter().any(|rule| rule.assign.is_some())
    }

    /// True when the input of the work is the state's input itself.
    pub fn raw_is_effective(&self) -> bool {
        self.arguments.is_none()
    }

    /// The input of the work: `Arguments`, or the state's input.
    pub fn effective_input(&self, frame: &Frame<'_>) -> Result<Option<Value>, DataFlowError> {
        self.arguments
            .as_ref()
            .map(|arguments| arguments.evaluate(&environment(frame, None, None), &self.limits))
            .transpose()
    }

    /// The output and the assignments of a state that completed: `Output`
    /// (the result, or the input for a state without one, when absent) and
    /// `Assign`, both reading the variables as they were before the state.
    /// A Choice rule that matched brings its own `Output` and `Assign`.
    pub fn complete(
        &self,
        frame: &Frame<'_>,
        result: Option<Value>,
        rule: Option<usize>,
    ) -> Result<Outcome, DataFlowError> {
        let (output, assign) = match rule.and_then(|index| self.rules.get(index)) {
            Some(rule) => (&rule.output, &rule.assign),
            None => (&self.output, &self.assign),
        };
        let environment = environment(frame, result.as_ref(), None);
        let assigned = match assign {
            Some(assign) => assign.evaluate_members(&environment, &self.limits)?,
            None => Vec::new(),
        };
        let output = match output {
            Some(output) => output.evaluate(&environment, &self.limits)?,
            None => match result {
                Some(result) if self.has_result => result,
                _ => frame.input.clone(),
            },
        };
        Ok(Outcome { output, assigned })
    }

    /// What a catcher passes on: its `Output` (the error output when
    /// absent) and its `Assign`, which read `$states.errorOutput`.
    pub fn catch(
        &self,
        frame: &Frame<'_>,
        index: usize,
        error_output: Value,
    ) -> Result<Outcome, DataFlowError> {
        let (output, assign) = match self.catchers.get(index) {
            Some((output, assign)) => (output, assign),
            None => (&None, &None),
        };
        let environment = environment(frame, None, Some(&error_output));
        let assigned = match assign {
            Some(assign) => assign.evaluate_members(&environment, &self.limits)?,
            None => Vec::new(),
        };
        let output = match output {
            Some(output) => output.evaluate(&environment, &self.limits)?,
            None => error_output,
        };
        Ok(Outcome { output, assigned })
    }

    /// The first rule whose Condition holds; `None` when none does.
    pub fn choose(&self, frame: &Frame<'_>) -> Result<Option<usize>, DataFlowError> {
        let environment = environment(frame, None, None);
        for (index, rule) in self.rules.iter().enumerate() {
            let holds = match &rule.condition {
                Condition::Constant(flag) => *flag,
                Condition::Expression(located) => {
                    match located.value(&environment, &self.limits)? {
                        Value::Bool(flag) => flag,
                        other => {
                            return Err(located.failure(format!(
                                "returned {} where true or false was expected.",
                                describe(&other)
                            )));
                        }
                    }
                }
            };
            if holds {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }

    /// An expression setting's value, evaluated like the others.
    pub fn setting(&self, frame: &Frame<'_>, located: &Located) -> Result<Value, DataFlowError> {
        located.value(&environment(frame, None, None), &self.limits)
    }

    /// The environment of a Map iteration's ItemSelector: `$states.context`
    /// holds the item.
    pub fn item_input(
        &self,
        frame: &Frame<'_>,
        item: &Value,
        index: usize,
        context: &mut Value,
    ) -> Result<Value, DataFlowError> {
        let Some(selector) = &self.item_selector else {
            return Ok(item.clone());
        };
        super::jsonpath::set_map_item(context, index, item);
        let item_frame = Frame { context, ..*frame };
        selector.evaluate(&environment(&item_frame, None, None), &self.limits)
    }
}

/// `$states` and the variables for one evaluation.
fn environment<'a>(
    frame: &Frame<'a>,
    result: Option<&'a Value>,
    error_output: Option<&'a Value>,
) -> Environment<'a> {
    Environment {
        input: frame.input,
        result,
        error_output,
        context: Some(frame.context),
        variables: frame.variables,
        now_millis: frame.now_millis,
        seed: frame.seed,
    }
}

/// A value's kind and, when short, the value, for messages.
pub(super) fn describe(value: &Value) -> String {
    let text = value.to_string();
    let kind = crate::path::kind_of(value);
    if text.chars().count() <= 60 {
        format!("{kind} ({text})")
    } else {
        kind.to_string()
    }
}
