//! Property tests of sfini-core.
//!
//! The strategies of `support/strategies.rs` generate values of the whole
//! model: every state type with every field, Choice conditions nested in `And`, `Or` and `Not`,
//! Parallel branches and Map processors holding states of their own, with
//! arbitrary Unicode strings, `u64`s over their full range, finite `f64`s and
//! arbitrary JSON values. Strings that hold paths, intrinsic calls or
//! timestamps are often well formed and often not. Generated machines are
//! rarely valid: the properties hold for any machine.
//!
//! What is checked, for every generated value:
//!
//! - **JSON round trip.** `StateMachine::from_json(&m.to_json()) == Ok(m)`;
//!   `to_json` is deterministic and its text is a fixed point (the machine
//!   read back writes the same bytes); the same through `to_json_compact`,
//!   and through `to_value` and `from_value`.
//! - **Reference paths.** A path written from steps (names with any
//!   characters in bracket notation with escapes, identifiers after a dot,
//!   non-negative indexes) parses to those steps; `get` finds a value
//!   planted at the path; `write` then `get` gives the value back. Slices
//!   `[start:end:step]` with any bounds pick elements in the direction of
//!   the step, each at most once.
//! - **Intrinsic string literals.** `'...'` with `'`, `{`, `}` and `\`
//!   backslash-escaped stands for the string itself in `States.Format` and
//!   `States.Array`, also around a placeholder.
//! - **Robustness.** Validation, `check_json` and `check_value` never panic,
//!   and every problem they report can be located in the written text:
//!   on generated machines (where they agree with `validate`), on arbitrary
//!   JSON, and on valid definitions with fields deleted, renamed or given
//!   other values. Whatever reads without error round-trips. Selecting
//!   paths, evaluating intrinsic calls and filling payload templates never
//!   panic either, whatever the data.
//!
//! Two plain tests keep the strategies honest: generated machines reach
//! every part of the model, and the definitions broken into near misses are
//! valid to begin with.
//!
//! `PROPTEST_CASES` sets the number of cases (256 by default). A failing case
//! is printed, minimised, rather than saved to a file.

use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};
use sfini_core::StateMachine;
use sfini_core::intrinsic::IntrinsicCall;
use sfini_core::json::position::locate;
use sfini_core::model::*;
use sfini_core::path::{Path, ReferencePath, Root, Roots};
use sfini_core::payload::Template;
use sfini_core::validate::{check_json, check_value};

#[path = "support/strategies.rs"]
mod strategies;

use strategies::*;

// ----- what the machine strategy reaches -----

/// Records the parts of the model `machine` uses, by name.
fn features(machine: &StateMachine, seen: &mut BTreeSet<String>) {
    let mut tag = |name: &str| {
        seen.insert(name.to_string());
    };
    if machine.comment.is_some() {
        tag("machine Comment");
    }
    if machine.timeout_seconds.is_some() {
        tag("machine TimeoutSeconds");
    }
    if machine.version != DEFAULT_VERSION {
        tag("machine Version");
    }
    if machine.query_language == QueryLanguage::Jsonata {
        tag("machine QueryLanguage JSONata");
    }
    scope_features(&machine.states, 0, seen);
}

fn scope_features(states: &States, depth: usize, seen: &mut BTreeSet<String>) {
    for state in states.values() {
        state_features(state, depth, seen);
    }
}

fn state_features(state: &State, depth: usize, seen: &mut BTreeSet<String>) {
    let mut tag = |name: String| {
        seen.insert(name);
    };
    let kind = state.state_type();
    tag(format!("{kind}"));
    if depth > 0 {
        tag(format!("nested {kind}"));
    }
    if state.comment().is_some() {
        tag("state Comment".to_string());
    }
    if let Some(language) = state.query_language() {
        tag(format!("state QueryLanguage {language}"));
    }
    if state.assign().is_some() {
        tag("Assign".to_string());
    }
    if state.output().is_some() {
        tag("Output".to_string());
    }
    match state.transition() {
        Some(Transition::Next(_)) => tag("Next".to_string()),
        Some(Transition::End) => tag("End".to_string()),
        None => {}
    }
    for retrier in state.retriers() {
        tag("Retry".to_string());
        if retrier.jitter_strategy == JitterStrategy::Full {
            tag("Retry JitterStrategy".to_string());
        }
        if retrier.max_delay_seconds.is_some() {
            tag("Retry MaxDelaySeconds".to_string());
        }
        if retrier.backoff_rate != DEFAULT_BACKOFF_RATE {
            tag("Retry BackoffRate".to_string());
        }
    }
    for catcher in state.catchers() {
        tag("Catch".to_string());
        if catcher.result_path == DataPath::Null {
            tag("Catch ResultPath null".to_string());
        }
        if catcher.output.is_some() {
            tag("Catch Output".to_string());
        }
        if catcher.assign.is_some() {
            tag("Catch Assign".to_string());
        }
    }
    match state {
        State::Task(task) => {
            if task.result_path == DataPath::Null {
                tag("ResultPath null".to_string());
            }
            if let Some(timeout) = &task.timeout {
                tag(setting_name("TimeoutSeconds", timeout));
            }
            if let Some(heartbeat) = &task.heartbeat {
                tag(setting_name("HeartbeatSeconds", heartbeat));
            }
            if task.credentials.is_some() {
                tag("Credentials".to_string());
            }
            if task.arguments.is_some() {
                tag("Arguments".to_string());
            }
        }
        State::Pass(pass) => {
            if pass.result.is_some() {
                tag("Result".to_string());
            }
            if pass.input_path == DataPath::Null {
                tag("InputPath null".to_string());
            }
        }
        State::Choice(choice) => {
            for rule in &choice.choices {
                condition_features(&rule.condition, false, seen);
                if rule.assign.is_some() {
                    seen.insert("Choice rule Assign".to_string());
                }
                if rule.output.is_some() {
                    seen.insert("Choice rule Output".to_string());
                }
            }
        }
        State::Wait(wait) => tag(match &wait.until {
            WaitUntil::SecondsExpression(_) | WaitUntil::TimestampExpression(_) => {
                format!("{} expression", wait.until.field_name())
            }
            _ => wait.until.field_name().to_string(),
        }),
        State::Succeed(succeed) => {
            if succeed.output_path == DataPath::Null {
                tag("OutputPath null".to_string());
            }
        }
        State::Fail(fail) => {
            if let Some(error) = &fail.error {
                tag(setting_name("Error", error));
            }
            if let Some(cause) = &fail.cause {
                tag(setting_name("Cause", cause));
            }
        }
        State::Parallel(parallel) => {
            for branch in &parallel.branches {
                scope_features(&branch.states, depth + 1, seen);
            }
        }
        State::Map(map) => map_features(map, depth, seen),
    }
}

/// `name` for a value, `namePath` for a path, `name expression` for JSONata.
fn setting_name<T>(name: &str, setting: &ValueOrPath<T>) -> String {
    match setting {
        ValueOrPath::Value(_) => name.to_string(),
        ValueOrPath::Path(_) => format!("{name}Path"),
        ValueOrPath::Expression(_) => format!("{name} expression"),
    }
}

fn map_features(map: &Map, depth: usize, seen: &mut BTreeSet<String>) {
    let mut tag = |name: &str, present: bool| {
        if present {
            seen.insert(name.to_string());
        }
    };
    let config = map.item_processor.processor_config;
    tag(
        "ProcessorConfig Mode",
        config.mode == ProcessorMode::Distributed,
    );
    tag(
        "ProcessorConfig ExecutionType",
        config.execution_type.is_some(),
    );
    tag("ItemsPath", map.items_path != DEFAULT_ITEMS_PATH);
    tag("Items", map.items.is_some());
    tag(
        "MaxConcurrency expression",
        map.max_concurrency.expression().is_some(),
    );
    tag("ItemSelector", map.item_selector.is_some());
    tag(
        "MaxConcurrency",
        map.max_concurrency.value().is_some_and(|n| *n != 0),
    );
    tag("MaxConcurrencyPath", map.max_concurrency.path().is_some());
    tag(
        "ToleratedFailureCountPath",
        map.tolerated_failure_count.path().is_some(),
    );
    tag(
        "ToleratedFailurePercentage",
        map.tolerated_failure_percentage
            .value()
            .is_some_and(|n| *n != 0.0),
    );
    tag("Label", map.label.is_some());
    if let Some(reader) = &map.item_reader {
        tag("ItemReader", true);
        tag("ItemReader Arguments", reader.arguments.is_some());
        if let Some(config) = &reader.reader_config {
            tag("ReaderConfig InputType", config.input_type.is_some());
            tag("ReaderConfig CSVHeaders", config.csv_headers.is_some());
            tag(
                "ReaderConfig MaxItemsPath",
                config
                    .max_items
                    .as_ref()
                    .is_some_and(|m| m.path().is_some()),
            );
            tag("ReaderConfig ItemsPointer", config.items_pointer.is_some());
        }
    }
    if let Some(batcher) = &map.item_batcher {
        tag("ItemBatcher", true);
        tag("ItemBatcher BatchInput", batcher.batch_input.is_some());
    }
    if let Some(writer) = &map.result_writer {
        tag("ResultWriter", true);
        tag(
            "WriterConfig Transformation",
            writer
                .writer_config
                .is_some_and(|c| c.transformation.is_some()),
        );
    }
    scope_features(&map.item_processor.states, depth + 1, seen);
}

fn condition_features(condition: &Condition, nested: bool, seen: &mut BTreeSet<String>) {
    if nested && condition.comment.is_some() {
        seen.insert("nested condition Comment".to_string());
    }
    match &condition.kind {
        ConditionKind::And(all) | ConditionKind::Or(all) => {
            let name = if matches!(condition.kind, ConditionKind::And(_)) {
                "And"
            } else {
                "Or"
            };
            seen.insert(name.to_string());
            for inner in all {
                condition_features(inner, true, seen);
            }
        }
        ConditionKind::Not(inner) => {
            seen.insert("Not".to_string());
            condition_features(inner, true, seen);
        }
        ConditionKind::Test { comparison, .. } => {
            seen.insert(comparison.operator_name().to_string());
        }
        ConditionKind::Jsonata(_) => {
            seen.insert("Condition".to_string());
        }
    }
}

/// Everything [`features`] can record.
fn all_features() -> BTreeSet<String> {
    let mut all: BTreeSet<String> = [
        "machine Comment",
        "machine TimeoutSeconds",
        "machine Version",
        "state Comment",
        "Next",
        "End",
        "Retry",
        "Retry JitterStrategy",
        "Retry MaxDelaySeconds",
        "Retry BackoffRate",
        "Catch",
        "Catch ResultPath null",
        "ResultPath null",
        "InputPath null",
        "OutputPath null",
        "TimeoutSeconds",
        "TimeoutSecondsPath",
        "HeartbeatSeconds",
        "HeartbeatSecondsPath",
        "Credentials",
        "Result",
        "Seconds",
        "Timestamp",
        "SecondsPath",
        "TimestampPath",
        "Error",
        "ErrorPath",
        "Cause",
        "CausePath",
        "ProcessorConfig Mode",
        "ProcessorConfig ExecutionType",
        "ItemsPath",
        "ItemSelector",
        "MaxConcurrency",
        "MaxConcurrencyPath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentage",
        "Label",
        "ItemReader",
        "ReaderConfig InputType",
        "ReaderConfig CSVHeaders",
        "ReaderConfig MaxItemsPath",
        "ReaderConfig ItemsPointer",
        "ItemBatcher",
        "ItemBatcher BatchInput",
        "ResultWriter",
        "WriterConfig Transformation",
        "And",
        "Or",
        "Not",
        "nested condition Comment",
        "StringMatches",
        "BooleanEquals",
        "BooleanEqualsPath",
        "machine QueryLanguage JSONata",
        "state QueryLanguage JSONata",
        "state QueryLanguage JSONPath",
        "Assign",
        "Output",
        "Arguments",
        "Catch Output",
        "Catch Assign",
        "Choice rule Assign",
        "Choice rule Output",
        "Condition",
        "Seconds expression",
        "Timestamp expression",
        "TimeoutSeconds expression",
        "Error expression",
        "Items",
        "MaxConcurrency expression",
        "ItemReader Arguments",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    for kind in StateType::ALL {
        all.insert(kind.to_string());
        all.insert(format!("nested {kind}"));
    }
    for compared in ["String", "Numeric", "Timestamp"] {
        for operator in Operator::ALL {
            all.insert(format!("{compared}{}", operator.as_str()));
            all.insert(format!("{compared}{}Path", operator.as_str()));
        }
    }
    all.extend(TypeTest::ALL.iter().map(|test| test.as_str().to_string()));
    all
}

/// Reads a definition, failing the case with the problems found.
fn read(text: &str) -> Result<StateMachine, TestCaseError> {
    StateMachine::from_json(text)
        .map_err(|problems| TestCaseError::fail(format!("{problems}\nwhile reading\n{text}")))
}

/// The round trip, for a machine however it was made.
fn assert_round_trip(machine: &StateMachine) -> Result<(), TestCaseError> {
    let text = machine.to_json();
    prop_assert_eq!(&machine.to_json(), &text, "to_json is not deterministic");
    let read_back = read(&text)?;
    prop_assert_eq!(&read_back, machine, "read back from\n{}", text);
    prop_assert_eq!(
        &read_back.to_json(),
        &text,
        "the canonical text is not a fixed point"
    );

    let compact = machine.to_json_compact();
    prop_assert_eq!(&read(&compact)?, machine, "read back from\n{}", compact);
    prop_assert_eq!(&read_back.to_json_compact(), &compact);

    let value = machine.to_value();
    let from_value = StateMachine::from_value(&value)
        .map_err(|problems| TestCaseError::fail(format!("{problems}\nwhile reading\n{value}")))?;
    prop_assert_eq!(&from_value, machine);
    prop_assert_eq!(&from_value.to_value(), &value);
    prop_assert_eq!(
        &serde_json::from_str::<Value>(&text).expect("written JSON parses"),
        &value
    );
    Ok(())
}

// ----- the properties -----

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_round_trip(machine in state_machine()) {
        assert_round_trip(&machine)?;
    }

    #[test]
    fn reference_paths_parse_to_their_steps(path in reference_path(i64::MAX as usize)) {
        let text = path.text();
        let parsed = ReferencePath::parse(&text)
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(parsed.as_str(), text.as_str());
        prop_assert_eq!(parsed.root(), path.root);
        prop_assert_eq!(parsed.steps().collect::<Vec<_>>(), path.expected_steps());
        // A reference path is a path too, and a definite one.
        let general = Path::parse(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert!(general.is_definite());
    }

    #[test]
    fn reference_paths_get_what_is_planted(path in reference_path(3), value in json_value()) {
        let parsed = ReferencePath::parse(&path.text())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        let document = plant(&path.steps, value.clone());
        let elsewhere = json!({"elsewhere": [1, 2]});
        let (data, context) = match path.root {
            Root::Data => (&document, &elsewhere),
            Root::Context => (&elsewhere, &document),
            Root::Variable => (&elsewhere, &elsewhere),
        };
        let mut variables = serde_json::Map::new();
        variables.insert(path.variable.clone(), document.clone());
        variables.insert("other".to_string(), elsewhere.clone());
        let roots = Roots::new(data, context).with_variables(&variables);
        prop_assert_eq!(parsed.get_in(roots), Ok(&value));
    }

    #[test]
    fn reference_paths_read_back_what_is_written(
        path in reference_path(3),
        value in json_value(),
    ) {
        let data_path = GeneratedPath { root: Root::Data, ..path };
        let parsed = ReferencePath::parse(&data_path.text())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        // Into `{}`, which has no arrays: only names can be created.
        if !data_path.has_index() {
            let mut target = json!({});
            parsed.write(&mut target, value.clone())
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            prop_assert_eq!(parsed.get(&target, &Value::Null), Ok(&value));
        }
        // Over whatever is at the path in a document that has it.
        let mut target = plant(&data_path.steps, json!({"old": true}));
        parsed.write(&mut target, value.clone())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(parsed.get(&target, &Value::Null), Ok(&value));
        prop_assert_eq!(target, plant(&data_path.steps, value));
    }

    #[test]
    fn slices_pick_elements_in_order(
        len in 0usize..6,
        start in option::weighted(0.8, bound()),
        end in option::weighted(0.8, bound()),
        step in option::weighted(0.8, bound().prop_filter("a step is never 0", |step| *step != 0)),
    ) {
        let shown = |bound: Option<i64>| bound.map(|b| b.to_string()).unwrap_or_default();
        let text = format!("$[{}:{}:{}]", shown(start), shown(end), shown(step));
        let path = Path::parse(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let array = Value::Array((0..len).map(Value::from).collect());
        let selected = path
            .select(&array, &Value::Null)
            .map_err(|error| TestCaseError::fail(error.to_string()))?
            .into_value();
        let indexes: Vec<u64> = selected
            .as_array()
            .expect("a slice selects a list")
            .iter()
            .map(|index| index.as_u64().expect("an element"))
            .collect();
        // Each element at most once, in the direction of the step.
        let ordered = if step.unwrap_or(1) > 0 {
            indexes.windows(2).all(|pair| pair[0] < pair[1])
        } else {
            indexes.windows(2).all(|pair| pair[0] > pair[1])
        };
        prop_assert!(ordered, "{} selects {:?}", text, indexes);
    }

    #[test]
    fn intrinsic_string_literals_stand_for_themselves(
        s in vec(character(), 0..24).prop_map(String::from_iter),
        before in text(),
        after in text(),
        inserted in text(),
    ) {
        let literal = string_literal(&s);
        let evaluate = |call: &str, data: &Value| -> Result<Value, TestCaseError> {
            let call = IntrinsicCall::parse(call)
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            call.evaluate(data, &Value::Null)
                .map_err(|error| TestCaseError::fail(error.to_string()))
        };
        prop_assert_eq!(evaluate(&format!("States.Format({literal})"), &Value::Null)?, json!(s));
        prop_assert_eq!(evaluate(&format!("States.Array({literal})"), &Value::Null)?, json!([s]));
        // Escaped text around a placeholder.
        let template = format!("'{}{{}}{}'", escape_literal(&before), escape_literal(&after));
        prop_assert_eq!(
            evaluate(&format!("States.Format({template}, $.x)"), &json!({"x": inserted}))?,
            json!(format!("{before}{inserted}{after}"))
        );
    }

    #[test]
    fn validation_never_panics(machine in state_machine()) {
        let diagnostics = machine.validate();
        // Reading a written machine finds no structural problem, so checking
        // its JSON reports what validation reports.
        let text = machine.to_json();
        let checked = check_json(&text);
        prop_assert_eq!(checked.machine.as_ref(), Some(&machine));
        prop_assert_eq!(&checked.diagnostics, &diagnostics);
        let checked = check_value(&machine.to_value());
        prop_assert_eq!(&checked.diagnostics, &diagnostics);
        // Every problem can be found in the text, at a position inside it.
        let lines = text.lines().count();
        for diagnostic in &diagnostics {
            let position = locate(&text, &diagnostic.location);
            prop_assert!(
                position.is_some_and(|at| at.line >= 1 && at.line <= lines && at.column >= 1),
                "{} not found in the text",
                diagnostic.location
            );
        }
    }

    #[test]
    fn check_json_never_panics_on_any_json(value in prop_oneof![json_value(), definition_like_json()]) {
        let text = value.to_string();
        let checked = check_json(&text);
        prop_assert_eq!(&checked.diagnostics, &check_value(&value).diagnostics);
        prop_assert_eq!(checked.machine.is_some(), StateMachine::from_value(&value).is_ok());
        if let Some(machine) = checked.machine {
            assert_round_trip(&machine)?;
        }
    }

    #[test]
    fn check_json_never_panics_on_near_misses(
        seed in prop_oneof![
            3 => select(valid_definitions()),
            1 => state_machine().prop_map(|machine| machine.to_value()),
        ],
        mutations in vec((any::<Index>(), mutation()), 1..4),
    ) {
        let mut value = seed;
        for (target, mutation) in mutations {
            mutate(&mut value, target, mutation);
        }
        let checked = check_json(&value.to_string());
        prop_assert_eq!(&checked.diagnostics, &check_value(&value).diagnostics);
        prop_assert_eq!(checked.machine.is_some(), StateMachine::from_value(&value).is_ok());
        if let Some(machine) = checked.machine {
            assert_round_trip(&machine)?;
        }
    }

    #[test]
    fn evaluation_never_panics(
        expression in expression(),
        template in payload(),
        data in prop_oneof![Just(document()), Just(document()["items"].clone()), json_value()],
        context in prop_oneof![Just(document()), json_value()],
    ) {
        if let Ok(path) = Path::parse(&expression) {
            let _ = path.select(&data, &context);
        }
        if let Ok(path) = ReferencePath::parse(&expression) {
            let _ = path.get(&data, &context);
            let _ = path.write(&mut data.clone(), json!("written"));
        }
        if let Ok(call) = IntrinsicCall::parse(&expression) {
            let _ = call.evaluate(&data, &context);
        }
        if let Ok(template) = Template::compile(&template) {
            let _ = template.evaluate(&data, &context);
        }
    }
}

/// The strategies are what makes the round trip cover the model: check that
/// generated machines reach every part of it (a few hundred are enough).
#[test]
fn the_machine_strategy_reaches_the_whole_model() {
    let strategy = state_machine();
    let mut runner = TestRunner::deterministic();
    let all = all_features();
    let mut seen = BTreeSet::new();
    for _ in 0..2000 {
        let machine = strategy.new_tree(&mut runner).expect("a machine").current();
        features(&machine, &mut seen);
        if seen.is_superset(&all) {
            return;
        }
    }
    let missing: Vec<_> = all.difference(&seen).collect();
    panic!("never generated: {missing:?}");
}

/// The near misses start from valid definitions.
#[test]
fn the_valid_definitions_are_valid() {
    let definitions = valid_definitions();
    assert!(definitions.len() > 1, "the examples are missing");
    for definition in definitions {
        let checked = check_value(&definition);
        assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
    }
}
