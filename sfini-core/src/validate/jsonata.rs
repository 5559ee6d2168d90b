//! The rules of JSONata and workflow variables: each state's fields belong
//! to its query language, every `{% %}` expression parses, reads only what
//! Step Functions gives it where it is written and calls functions that
//! exist with arguments they take, and `Assign` names variables as the
//! language allows. Where variables are read before they are assigned is
//! `variable_flow`'s.

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::diagnostic::Code;
use crate::json::{expression_text, field_language, language_hint};
use crate::jsonata::{Expression, SyntaxError};
use crate::location::Location;
use crate::model::{QueryLanguage, State, ValueOrPath, WaitUntil};
use crate::variables::check_name;

use super::Here;
use super::state::Checker;

/// What `$states` holds where an expression is written, besides the
/// state's input and the context object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Offers {
    /// The input only: Arguments, Items, ItemSelector, settings, Choice
    /// rules, and the Output and Assign of states without a result.
    Input,
    /// The result too: the Output and Assign of Task, Parallel and Map.
    Result,
    /// The error output too: a catcher's Output and Assign.
    ErrorOutput,
}

/// The expressions of a definition, each compiled once however many
/// checks read it.
#[derive(Default)]
pub(super) struct ExpressionCache {
    compiled: FxHashMap<Box<str>, Result<Expression, SyntaxError>>,
}

impl ExpressionCache {
    /// `text` compiled, the first time it is asked for.
    pub(super) fn compile(&mut self, text: &str) -> Result<Expression, SyntaxError> {
        if let Some(compiled) = self.compiled.get(text) {
            return compiled.clone();
        }
        let compiled = Expression::compile(text);
        self.compiled.insert(text.into(), compiled.clone());
        compiled
    }
}

/// Checks one JSONata expression, the text between `{%` and `%}`.
pub(super) fn expression(checker: &mut Checker<'_>, text: &str, at: &Here<'_>, offers: Offers) {
    expression_at(checker, text, &|| at.location(), offers);
}

/// [`expression`] at a location built only when a problem is reported.
fn expression_at(checker: &mut Checker<'_>, text: &str, at: &dyn Fn() -> Location, offers: Offers) {
    if text.trim().is_empty() {
        checker.out.error(
            Code::InvalidExpression,
            at(),
            "the JSONata expression is empty: write one between `{%` and `%}`",
        );
        return;
    }
    let compiled = match checker.expressions.compile(text) {
        Ok(compiled) => compiled,
        Err(error) => {
            checker.out.error(
                Code::InvalidExpression,
                at(),
                format!("`{}` is not a JSONata expression: {error}", text.trim()),
            );
            return;
        }
    };
    // `$eval` may read anything: its call fails when it runs, as reported below.
    if compiled.reads_context() && !compiled.calls_eval() {
        let what = if text.contains("$$") {
            "`$$`"
        } else {
            "a path without a variable, or `$`,"
        };
        checker.out.error(
            Code::InvalidExpression,
            at(),
            format!(
                "`{}` reads {what} at its top level, which Step Functions refuses: its expressions \
                 have no context value; read the state's input as `$states.input` and the context \
                 object as `$states.context`",
                text.trim()
            ),
        );
    }
    // `$states` read whole is an object of what the state offers: only a
    // field named outright is refused where it is not offered.
    let reads = compiled.states_reads();
    if reads.result && !reads.whole && offers != Offers::Result {
        checker.out.error(
            Code::InvalidExpression,
            at(),
            format!(
                "`{}` reads `$states.result`, which only the Output and Assign of a Task, Parallel \
                 or Map state can read: there is no result here",
                text.trim()
            ),
        );
    }
    if reads.error_output && !reads.whole && offers != Offers::ErrorOutput {
        checker.out.error(
            Code::InvalidExpression,
            at(),
            format!(
                "`{}` reads `$states.errorOutput`, which only a catcher's Output and Assign can read",
                text.trim()
            ),
        );
    }
    for problem in compiled.call_problems() {
        checker
            .out
            .warning(Code::InvalidFunctionCall, at(), problem.to_string());
    }
    if compiled.calls_eval() {
        checker.out.warning(
            Code::InvalidExpression,
            at(),
            format!(
                "`{}` calls `$eval`, which Step Functions does not offer: the state fails with \
                 States.QueryEvaluationError when it runs",
                text.trim()
            ),
        );
    }
}

/// Checks every `{% %}` expression in a JSONata field's value, at the
/// place of each in the value.
pub(super) fn value(checker: &mut Checker<'_>, value: &Value, at: &Here<'_>, offers: Offers) {
    /// A step from the value's top: a member or an element, after the
    /// step numbered `parent` (none: the top).
    enum Step<'v> {
        Field(&'v str),
        Index(usize),
    }
    // Walked with a stack of its own, as the value may be deep; the place
    // of each node is kept as steps, made a location only for a problem.
    let mut steps: Vec<(Option<usize>, Step<'_>)> = Vec::new();
    let mut pending: Vec<(&Value, Option<usize>)> = vec![(value, None)];
    while let Some((node, place)) = pending.pop() {
        match node {
            Value::String(text) => {
                if let Some(inner) = expression_text(text) {
                    let locate = || {
                        let mut trail = Vec::new();
                        let mut next = place;
                        while let Some(index) = next {
                            let (parent, step) = &steps[index];
                            trail.push(step);
                            next = *parent;
                        }
                        trail
                            .into_iter()
                            .rev()
                            .fold(at.location(), |location, step| match step {
                                Step::Field(name) => location.field(*name),
                                Step::Index(index) => location.index(*index),
                            })
                    };
                    expression_at(checker, inner, &locate, offers);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate().rev() {
                    steps.push((place, Step::Index(index)));
                    pending.push((item, Some(steps.len() - 1)));
                }
            }
            Value::Object(members) => {
                let members: Vec<_> = members.iter().collect();
                for (key, member) in members.into_iter().rev() {
                    steps.push((place, Step::Field(key)));
                    pending.push((member, Some(steps.len() - 1)));
                }
            }
            _ => {}
        }
    }
}

/// Checks an `Assign`: an object whose keys name variables, its values
/// JSONata templates (JSONata) or payload templates (JSONPath).
pub(super) fn assign(
    checker: &mut Checker<'_>,
    assign: &Value,
    at: &Here<'_>,
    language: QueryLanguage,
    offers: Offers,
) {
    let assign_at = at.field("Assign");
    let Value::Object(members) = assign else {
        checker.error(
            Code::WrongType,
            &assign_at,
            format!(
                "`Assign` is an object whose keys name the variables to assign, found {}",
                crate::path::kind_of(assign)
            ),
        );
        return;
    };
    for (key, member) in members {
        let here = assign_at.field(key);
        let name = match language {
            QueryLanguage::JsonPath => key.strip_suffix(".$").unwrap_or(key),
            QueryLanguage::Jsonata => key.as_str(),
        };
        if let Err(problem) = check_name(name) {
            let hint = if language == QueryLanguage::Jsonata && key.ends_with(".$") {
                ": in a JSONata state, a value is an expression when written `{% ... %}`, and a key never ends with `.$`"
            } else {
                ""
            };
            checker.error(Code::InvalidVariable, &here, format!("{problem}{hint}"));
        }
        if language == QueryLanguage::Jsonata {
            value(checker, member, &here, offers);
        }
    }
    if language == QueryLanguage::JsonPath {
        checker.payload(Some(assign), at, "Assign");
    }
}

/// Checks a state's JSONata fields and variables, and that its fields
/// belong to its query language.
pub(super) fn state(checker: &mut Checker<'_>, state: &State, at: &Here<'_>) {
    let language = state.query_language_in(checker.language);
    languages(checker, state, at, language);
    let jsonata = language == QueryLanguage::Jsonata;
    let works = matches!(state, State::Task(_) | State::Parallel(_) | State::Map(_));
    let own = if works { Offers::Result } else { Offers::Input };
    // In the order the fields are written, so that problems come out so.
    let arguments = match state {
        State::Task(task) => task.arguments.as_ref(),
        State::Parallel(parallel) => parallel.arguments.as_ref(),
        _ => None,
    };
    if let Some(arguments) = arguments.filter(|_| jsonata) {
        value(checker, arguments, &at.field("Arguments"), Offers::Input);
    }
    if let State::Map(map) = state
        && jsonata
    {
        map_fields(checker, map, at);
    }
    if let State::Choice(choice) = state {
        let choices_at = at.field("Choices");
        for (index, rule) in choice.choices.iter().enumerate() {
            let rule_at = choices_at.index(index);
            if let Some(output) = rule.output.as_ref().filter(|_| jsonata) {
                value(checker, output, &rule_at.field("Output"), Offers::Input);
            }
            if let Some(assigned) = &rule.assign {
                assign(checker, assigned, &rule_at, language, Offers::Input);
            }
        }
    }
    if let Some(output) = state.output().filter(|_| jsonata) {
        value(checker, output, &at.field("Output"), own);
    }
    if let Some(assigned) = state.assign() {
        assign(checker, assigned, at, language, own);
    }
    let catch_at = at.field("Catch");
    for (index, catcher) in state.catchers().iter().enumerate() {
        let catcher_at = catch_at.index(index);
        if let Some(output) = catcher.output.as_ref().filter(|_| jsonata) {
            value(
                checker,
                output,
                &catcher_at.field("Output"),
                Offers::ErrorOutput,
            );
        }
        if let Some(assigned) = &catcher.assign {
            assign(
                checker,
                assigned,
                &catcher_at,
                language,
                Offers::ErrorOutput,
            );
        }
    }
}

/// A JSONata Map's Items, ItemSelector and the Arguments of its reader and
/// writer, and its batches' BatchInput.
fn map_fields(checker: &mut Checker<'_>, map: &crate::model::Map, at: &Here<'_>) {
    if let Some(items) = &map.items {
        value(checker, items, &at.field("Items"), Offers::Input);
    }
    if let Some(selector) = &map.item_selector {
        value(checker, selector, &at.field("ItemSelector"), Offers::Input);
    }
    if let Some(reader) = &map.item_reader
        && let Some(arguments) = &reader.arguments
    {
        let reader_at = at.field("ItemReader");
        value(
            checker,
            arguments,
            &reader_at.field("Arguments"),
            Offers::Input,
        );
    }
    if let Some(batcher) = &map.item_batcher
        && let Some(batch_input) = &batcher.batch_input
    {
        let batcher_at = at.field("ItemBatcher");
        value(
            checker,
            batch_input,
            &batcher_at.field("BatchInput"),
            Offers::Input,
        );
    }
    if let Some(writer) = &map.result_writer
        && let Some(arguments) = &writer.arguments
    {
        let writer_at = at.field("ResultWriter");
        value(
            checker,
            arguments,
            &writer_at.field("Arguments"),
            Offers::Input,
        );
    }
}

/// Reports the fields of `state` that belong to the other query language.
fn languages(checker: &mut Checker<'_>, state: &State, at: &Here<'_>, language: QueryLanguage) {
    match language {
        QueryLanguage::JsonPath => jsonata_fields_in_jsonpath(checker, state, at),
        QueryLanguage::Jsonata => jsonpath_fields_in_jsonata(checker, state, at),
    }
}

fn foreign(checker: &mut Checker<'_>, field: &str, at: &Here<'_>, language: QueryLanguage) {
    let owner = match language {
        QueryLanguage::JsonPath => QueryLanguage::Jsonata,
        QueryLanguage::Jsonata => QueryLanguage::JsonPath,
    };
    checker.error(
        Code::WrongQueryLanguage,
        &at.field(field),
        format!(
            "`{field}` is a {owner} field, and this state's query language is {language}: {}",
            language_hint(field, language)
        ),
    );
}

/// A JSONPath state holds no Output, Arguments, Items, Condition, and no
/// setting given as an expression.
fn jsonata_fields_in_jsonpath(checker: &mut Checker<'_>, state: &State, at: &Here<'_>) {
    let language = QueryLanguage::JsonPath;
    if state.output().is_some() {
        foreign(checker, "Output", at, language);
    }
    let arguments = match state {
        State::Task(task) => task.arguments.is_some(),
        State::Parallel(parallel) => parallel.arguments.is_some(),
        _ => false,
    };
    if arguments {
        foreign(checker, "Arguments", at, language);
    }
    for (index, catcher) in state.catchers().iter().enumerate() {
        if catcher.output.is_some() {
            foreign(checker, "Output", &at.field("Catch").index(index), language);
        }
    }
    let mut settings: Vec<&str> = Vec::new();
    let mut expression_in = |setting: Option<&ValueOrPath<u64>>, field: &'static str| {
        if matches!(setting, Some(ValueOrPath::Expression(_))) {
            settings.push(field);
        }
    };
    match state {
        State::Task(task) => {
            expression_in(task.timeout.as_ref(), "TimeoutSeconds");
            expression_in(task.heartbeat.as_ref(), "HeartbeatSeconds");
        }
        State::Map(map) => {
            expression_in(Some(&map.max_concurrency), "MaxConcurrency");
            expression_in(Some(&map.tolerated_failure_count), "ToleratedFailureCount");
            if matches!(map.tolerated_failure_percentage, ValueOrPath::Expression(_)) {
                settings.push("ToleratedFailurePercentage");
            }
            if map.items.is_some() {
                foreign(checker, "Items", at, language);
            }
        }
        State::Wait(wait) => match wait.until {
            WaitUntil::SecondsExpression(_) => settings.push("Seconds"),
            WaitUntil::TimestampExpression(_) => settings.push("Timestamp"),
            _ => {}
        },
        State::Fail(fail) => {
            for (setting, field) in [(&fail.error, "Error"), (&fail.cause, "Cause")] {
                if matches!(setting, Some(ValueOrPath::Expression(_))) {
                    settings.push(field);
                }
            }
        }
        State::Choice(choice) => {
            let choices_at = at.field("Choices");
            for (index, rule) in choice.choices.iter().enumerate() {
                let here = choices_at.index(index);
                if matches!(rule.condition.kind, crate::model::ConditionKind::Jsonata(_)) {
                    foreign(checker, "Condition", &here, language);
                }
                if rule.output.is_some() {
                    foreign(checker, "Output", &here, language);
                }
            }
        }
        _ => {}
    }
    for field in settings {
        checker.error(
            Code::WrongQueryLanguage,
            &at.field(field),
            format!(
                "`{field}` is given as a JSONata expression, and this state's query language is \
                 JSONPath: give a value, or read it with `{field}Path`, or set the state's \
                 `QueryLanguage` to JSONata"
            ),
        );
    }
}

/// A JSONata state holds none of the JSONPath fields (InputPath,
/// Parameters, ResultSelector, ResultPath, OutputPath, Result, the `...Path`
/// settings, and Choice rules on `Variable`), in itself, its Choice rules
/// and its catchers.
fn jsonpath_fields_in_jsonata(checker: &mut Checker<'_>, state: &State, at: &Here<'_>) {
    let language = QueryLanguage::Jsonata;
    let Ok(Value::Object(written)) = serde_json::to_value(own_fields(state)) else {
        return;
    };
    let is_foreign = |field: &str| field_language(field) == Some(QueryLanguage::JsonPath);
    for field in written.keys().filter(|field| is_foreign(field)) {
        foreign(checker, field, at, language);
    }
    for (list, entries) in [
        ("Choices", &written.get("Choices")),
        ("Catch", &written.get("Catch")),
    ] {
        let Some(Value::Array(entries)) = entries else {
            continue;
        };
        let list_at = at.field(list);
        for (index, entry) in entries.iter().enumerate() {
            let Value::Object(entry) = entry else {
                continue;
            };
            let here = list_at.index(index);
            for field in entry.keys().filter(|field| is_foreign(field)) {
                foreign(checker, field, &here, language);
            }
        }
    }
}

/// The state without the states nested in it, which are checked on their
/// own.
fn own_fields(state: &State) -> std::borrow::Cow<'_, State> {
    match state {
        State::Parallel(parallel) if !parallel.branches.is_empty() => {
            let mut own = parallel.clone();
            own.branches.clear();
            std::borrow::Cow::Owned(State::Parallel(own))
        }
        State::Map(map) if !map.item_processor.states.is_empty() => {
            let mut own = map.clone();
            own.item_processor.states.clear();
            std::borrow::Cow::Owned(State::Map(own))
        }
        other => std::borrow::Cow::Borrowed(other),
    }
}
