use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::error_name::PredefinedError;
use crate::model::*;

fn io(state: impl Into<State>) -> Io {
    Io(StateIo::compile(&state.into(), QueryLanguage::JsonPath).unwrap())
}

/// A state's data flow driven as the engine drives it, on data held here,
/// without variables.
struct Io(StateIo);

impl Io {
    fn effective_input(&self, raw: &Value, context: &Value) -> Result<Value, DataFlowError> {
        self.0.input_of(raw, context)
    }

    fn output(&self, raw: Value, result: Value, context: &Value) -> Result<Value, DataFlowError> {
        self.0.output_of(&raw, Some(result), context)
    }

    fn output_borrowed(
        &self,
        raw: &Value,
        result: Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        self.0.output_of(raw, Some(result), context)
    }

    fn pass(&self, raw: Value, context: &Value) -> Result<Value, DataFlowError> {
        self.0.output_of(&raw, None, context)
    }

    fn pass_borrowed(&self, raw: &Value, context: &Value) -> Result<Value, DataFlowError> {
        self.0.output_of(raw, None, context)
    }

    fn pass_through(&self, raw: &Value, context: &Value) -> Result<Value, DataFlowError> {
        self.0.output_of(raw, None, context)
    }

    fn item_input(
        &self,
        item: &Value,
        index: usize,
        effective: &Value,
        context: &Value,
    ) -> Result<Value, DataFlowError> {
        let mut context = context.clone();
        self.0.item_input(
            &Frame::new(effective, &Value::Null),
            effective,
            item,
            index,
            &mut context,
        )
    }
}

fn no_context() -> Value {
    json!({})
}

#[test]
fn input_path_parameters_result_path_and_output_path_compose() {
    // The worked example of the language specification: add two numbers
    // found under `numbers`, and keep the sum beside the input.
    let task = io(
        Task::new("arn:aws:lambda:us-east-1:123456789012:function:Add")
            .input_path("$.numbers")
            .result_path("$.sum")
            .output_path("$"),
    );
    let raw = json!({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}});
    assert_eq!(
        task.effective_input(&raw, &no_context()).unwrap(),
        json!({"val1": 3, "val2": 4})
    );
    assert_eq!(
        task.output(raw, json!(7), &no_context()).unwrap(),
        json!({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "sum": 7})
    );
}

#[test]
fn parameters_select_with_paths_and_slices() {
    let pass = io(Pass::new().parameters(json!({
        "flagged": true,
        "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"}
    })));
    let output = pass.pass(
        json!({"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]}),
        &no_context(),
    );
    assert_eq!(
        output.unwrap(),
        json!({"flagged": true, "parts": {"first": 0, "last3": [30, 40, 50]}})
    );
}

#[test]
fn result_path_creates_objects_on_the_way() {
    let pass = io(Pass::new().result(json!("Hi!")).result_path("$.b.greeting"));
    assert_eq!(
        pass.pass(json!({"a": 1}), &no_context()).unwrap(),
        json!({"a": 1, "b": {"greeting": "Hi!"}})
    );
}

#[test]
fn null_paths_discard() {
    let raw = json!({"keep": 1});
    let discard_input = io(Pass::new().input_path(DataPath::Null));
    assert_eq!(
        discard_input.pass(raw.clone(), &no_context()).unwrap(),
        json!({})
    );
    let discard_result = io(Task::new("arn:x").result_path(DataPath::Null));
    assert_eq!(
        discard_result
            .output(raw.clone(), json!("ignored"), &no_context())
            .unwrap(),
        raw
    );
    let discard_output = io(Succeed::new().output_path(DataPath::Null));
    assert_eq!(
        discard_output.pass_through(&raw, &no_context()).unwrap(),
        json!({})
    );
}

#[test]
fn borrowed_raw_inputs_give_what_owned_ones_give() {
    let raw = json!({"a": {"b": 1}, "n": 2});
    let states: Vec<State> = vec![
        Pass::new().into(),
        Pass::new()
            .parameters(json!({"m.$": "States.MathAdd($.n, 1)"}))
            .into(),
        Pass::new().result(json!(5)).result_path("$.a.c").into(),
        Pass::new()
            .input_path("$.a")
            .result_path(DataPath::Null)
            .into(),
        Pass::new()
            .result(json!({"x": 1}))
            .output_path("$.x")
            .into(),
        Pass::new().output_path(DataPath::Null).into(),
    ];
    for state in states {
        let io = io(state.clone());
        assert_eq!(
            io.pass_borrowed(&raw, &no_context()).unwrap(),
            io.pass(raw.clone(), &no_context()).unwrap(),
            "{state:?}"
        );
        // (Their failures too: OutputPath `$.x` on the result `[7]`.)
        assert_eq!(
            format!("{:?}", io.output_borrowed(&raw, json!([7]), &no_context())),
            format!("{:?}", io.output(raw.clone(), json!([7]), &no_context())),
            "{state:?}"
        );
    }
    // A ResultPath that cannot be applied fails the same way.
    let io = io(Pass::new().result(json!(1)).result_path("$.n.deeper"));
    assert_eq!(
        io.pass_borrowed(&raw, &no_context())
            .unwrap_err()
            .error_name(),
        "States.ResultPathMatchFailure"
    );
}

#[test]
fn result_selector_reshapes_the_result_before_result_path() {
    let task = io(Task::new("arn:x")
        .result_selector(
            json!({"code.$": "$.StatusCode", "body.$": "States.StringToJson($.Payload)"}),
        )
        .result_path("$.response"));
    let output = task
        .output(
            json!({"request": 1}),
            json!({"StatusCode": 200, "Payload": "{\"ok\":true}"}),
            &no_context(),
        )
        .unwrap();
    assert_eq!(
        output,
        json!({"request": 1, "response": {"code": 200, "body": {"ok": true}}})
    );
}

#[test]
fn data_flow_failures_carry_the_aws_error_names() {
    let missing_input = io(Pass::new().input_path("$.nope"));
    let error = missing_input
        .pass(json!({"a": 1}), &no_context())
        .unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert_eq!(
        error.cause,
        "Invalid path '$.nope' : No results for path: $['nope']"
    );

    let missing_parameter = io(Task::new("arn:x").parameters(json!({"v.$": "$.nope"})));
    let error = missing_parameter
        .effective_input(&json!({"a": 1}), &no_context())
        .unwrap_err();
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(
        error.cause,
        "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{\"a\":1}'"
    );

    let bad_intrinsic = io(Task::new("arn:x").parameters(json!({"n.$": "States.MathAdd($.a, 1)"})));
    let error = bad_intrinsic
        .effective_input(&json!({"a": "one"}), &no_context())
        .unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert_eq!(
        error.cause,
        "The intrinsic function in the field 'n.$' failed: Invalid arguments in States.MathAdd"
    );

    let bad_result_path = io(Task::new("arn:x").result_path("$.x"));
    let error = bad_result_path
        .output(json!("text"), json!(1), &no_context())
        .unwrap_err();
    assert_eq!(error.error, PredefinedError::ResultPathMatchFailure);
    assert_eq!(
        error.cause,
        "Unable to apply ResultPath '$.x' to the state's input: `$` is a string, not an object that can hold a field `x`"
    );

    let missing_output = io(Succeed::new().output_path("$.gone"));
    assert_eq!(
        missing_output
            .pass_through(&json!({}), &no_context())
            .unwrap_err()
            .error,
        PredefinedError::Runtime
    );
}

#[test]
fn indefinite_input_paths_gather_their_matches() {
    let pass = io(Pass::new().input_path("$.a[0:2]"));
    assert_eq!(
        pass.pass(json!({"a": [1, 2, 3, 4]}), &no_context())
            .unwrap(),
        json!([1, 2])
    );
    let none = io(Pass::new().input_path("$.a[?(@ > 10)]"));
    assert_eq!(
        none.pass(json!({"a": [1, 2]}), &no_context()).unwrap(),
        json!([])
    );
}

#[test]
fn context_paths_read_the_context_object() {
    let pass = io(Pass::new()
        .parameters(json!({"name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input.x"})));
    let context = json!({"Execution": {"Name": "run-1", "Input": {"x": 5}}});
    assert_eq!(
        pass.pass(json!({}), &context).unwrap(),
        json!({"name": "run-1", "input": 5})
    );
}

#[test]
fn map_items_and_item_selector() {
    let map = Map::new(ItemProcessor::new("i").state("i", Pass::new()))
        .items_path("$.detail.items")
        .item_selector(json!({
            "index.$": "$$.Map.Item.Index",
            "item.$": "$$.Map.Item.Value",
            "shipping.$": "$.detail.shipping"
        }));
    let raw = json!({"detail": {"shipping": "express", "items": [{"sku": "a"}, {"sku": "b"}]}});
    let compiled = io(map.clone());
    let effective = compiled.effective_input(&raw, &no_context()).unwrap();
    let context = no_context();
    let frame = Frame::new(&raw, &context);
    let items = compiled.0.items(&frame, &effective).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        compiled
            .item_input(&items[1], 1, &effective, &json!({"Execution": {}}))
            .unwrap(),
        json!({"index": 1, "item": {"sku": "b"}, "shipping": "express"})
    );
    let plain = io(Map::new(ItemProcessor::new("i")));
    assert_eq!(
        plain
            .item_input(&json!(3), 0, &json!([3]), &no_context())
            .unwrap(),
        json!(3)
    );
    let error = io(Map::new(ItemProcessor::new("i")).items_path("$.detail"))
        .0
        .items(&frame, &raw)
        .unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert!(
        error
            .cause
            .starts_with("ItemsPath '$.detail' must select an array, found an object"),
        "{}",
        error.cause
    );
}

fn spec_choice() -> Choice {
    Choice::new()
        .when(
            Condition::not(Condition::string("$.type", Operator::Equals, "Private")),
            "Public",
        )
        .when(
            Condition::and([
                Condition::is("$.value", TypeTest::Present, true),
                Condition::is("$.value", TypeTest::Numeric, true),
                Condition::numeric("$.value", Operator::GreaterThanEquals, 20),
                Condition::numeric("$.value", Operator::LessThan, 30),
            ]),
            "ValueInTwenties",
        )
        .when(
            Condition::test(
                "$.rating",
                Comparison::Numeric(
                    Operator::GreaterThan,
                    ValueOrPath::Path("$.auditThreshold".into()),
                ),
            ),
            "StartAudit",
        )
        .otherwise("RecordEvent")
}

#[test]
fn choice_rules_pick_the_first_match_or_the_default() {
    let rules = ChoiceRules::compile(&spec_choice()).unwrap();
    let context = no_context();
    let cases = [
        (json!({"type": "Public"}), "Public"),
        (json!({"type": "Private", "value": 22}), "ValueInTwenties"),
        (
            json!({"type": "Private", "value": "22", "rating": 53, "auditThreshold": 50}),
            "StartAudit",
        ),
        (
            json!({"type": "Private", "rating": 10, "auditThreshold": 50}),
            "RecordEvent",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(rules.choose(&input, &context).unwrap(), expected, "{input}");
    }
    assert_eq!(
        choose(&spec_choice(), &json!({"type": "Public"}), &context).unwrap(),
        "Public"
    );
}

#[test]
fn choice_failures() {
    let rules = ChoiceRules::compile(&spec_choice()).unwrap();
    let error = rules
        .choose(&json!({"value": 1}), &no_context())
        .unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert!(error.cause.contains("'$.type'"), "{}", error.cause);
    let error = rules
        .choose(&json!({"type": "Private", "rating": 10}), &no_context())
        .unwrap_err();
    assert!(
        error.cause.contains("'$.auditThreshold'"),
        "{}",
        error.cause
    );

    let no_default = Choice::new().when(Condition::boolean("$.go", true), "go");
    let error = choose(&no_default, &json!({"go": false}), &no_context()).unwrap_err();
    assert_eq!(error.error, PredefinedError::NoChoiceMatched);
}

#[test]
fn choice_paths_that_match_nothing_are_worded_as_aws_words_them() {
    let variable = Choice::new()
        .when(Condition::numeric("$.value", Operator::Equals, 42), "next")
        .otherwise("default");
    let error = choose(&variable, &json!({}), &no_context()).unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert_eq!(
        error.cause,
        "Invalid path '$.value': The choice state's condition path references an invalid value."
    );
    // A Default does not catch it.
    let error = choose(&variable, &json!({"other": 1}), &no_context()).unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);

    // The other side of a `...Path` comparison is read the same way.
    let compared = Choice::new().when(
        Condition::test(
            "$.left",
            Comparison::Numeric(Operator::Equals, ValueOrPath::Path("$.right".into())),
        ),
        "next",
    );
    let error = choose(&compared, &json!({"left": 8}), &no_context()).unwrap_err();
    assert_eq!(
        error.cause,
        "Invalid path '$.right': The choice state's condition path references an invalid value."
    );
}

#[test]
fn output_paths_that_match_nothing_are_worded_as_input_paths() {
    let missing_output = io(Pass::new().output_path("$.NoSuchOutputPath"));
    let error = missing_output
        .pass(json!({"int-literal": 0}), &no_context())
        .unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert_eq!(
        error.cause,
        "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"
    );
    // Recorded on AWS: a missing field before the last step is named by
    // the path through it.
    let missing_parent = io(Pass::new().output_path("$.no.such.result.path"));
    let error = missing_parent.pass(json!({}), &no_context()).unwrap_err();
    assert_eq!(
        error.cause,
        "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
    );
    let missing_inner = io(Pass::new().input_path("$.a.b.c"));
    let error = missing_inner
        .pass(json!({"a": {"x": 1}}), &no_context())
        .unwrap_err();
    assert_eq!(
        error.cause,
        "Invalid path '$.a.b.c' : Missing property in path $['a']['b']"
    );
    let missing_leaf = io(Pass::new().input_path("$.a.b"));
    let error = missing_leaf
        .pass(json!({"a": {"x": 1}}), &no_context())
        .unwrap_err();
    assert_eq!(
        error.cause,
        "Invalid path '$.a.b' : No results for path: $['a']['b']"
    );
    // An index out of range is not a missing property: no results.
    let nested = io(Pass::new().output_path("$.a[1].b"));
    let error = nested.pass(json!({"a": [0]}), &no_context()).unwrap_err();
    assert_eq!(
        error.cause,
        "Invalid path '$.a[1].b' : No results for path: $['a'][1]['b']"
    );
}

#[test]
fn comparisons_of_values_of_another_kind_are_false() {
    let holds = |condition: Condition, input: Value| {
        evaluate_condition(&condition, &input, &no_context()).unwrap()
    };
    assert!(!holds(
        Condition::numeric("$.x", Operator::Equals, 1),
        json!({"x": "1"})
    ));
    assert!(!holds(
        Condition::string("$.x", Operator::Equals, "1"),
        json!({"x": 1})
    ));
    assert!(!holds(
        Condition::boolean("$.x", true),
        json!({"x": "true"})
    ));
    assert!(!holds(
        Condition::timestamp("$.x", Operator::LessThan, "2026-01-01T00:00:00Z"),
        json!({"x": "yesterday"})
    ));
    assert!(holds(
        Condition::numeric("$.x", Operator::Equals, 1),
        json!({"x": 1.0})
    ));
    assert!(holds(
        Condition::numeric("$.x", Operator::LessThan, 2.5),
        json!({"x": 2})
    ));
    assert!(holds(
        Condition::numeric("$.x", Operator::GreaterThan, 18446744073709551614u64),
        json!({"x": 18446744073709551615u64})
    ));
}

#[test]
fn type_tests_and_presence() {
    let holds = |condition: Condition, input: Value| {
        evaluate_condition(&condition, &input, &no_context()).unwrap()
    };
    assert!(holds(
        Condition::is("$.x", TypeTest::Present, false),
        json!({})
    ));
    assert!(!holds(
        Condition::is("$.x", TypeTest::Present, true),
        json!({})
    ));
    assert!(holds(
        Condition::is("$.x", TypeTest::Null, true),
        json!({"x": null})
    ));
    assert!(holds(
        Condition::is("$.x", TypeTest::String, true),
        json!({"x": ""})
    ));
    assert!(holds(
        Condition::is("$.x", TypeTest::Boolean, false),
        json!({"x": 0})
    ));
    assert!(holds(
        Condition::is("$.x", TypeTest::Numeric, true),
        json!({"x": -0.5})
    ));
    assert!(holds(
        Condition::is("$.x", TypeTest::Timestamp, true),
        json!({"x": "2026-03-14T01:59:00.25+02:00"})
    ));
    assert!(!holds(
        Condition::is("$.x", TypeTest::Timestamp, true),
        json!({"x": "2026-03-14"})
    ));
    assert!(
        evaluate_condition(
            &Condition::is("$.x", TypeTest::Null, true),
            &json!({}),
            &no_context()
        )
        .is_err()
    );
}

#[test]
fn strings_compare_by_utf16_code_unit_and_timestamps_by_instant() {
    let holds = |condition: Condition, input: Value| {
        evaluate_condition(&condition, &input, &no_context()).unwrap()
    };
    assert!(holds(
        Condition::string("$.x", Operator::LessThan, "b"),
        json!({"x": "a"})
    ));
    assert!(holds(
        Condition::string("$.x", Operator::LessThan, "a"),
        json!({"x": "B"})
    ));
    // U+1F600 is a surrogate pair in UTF-16 (D83D DE00), which sorts below U+FF5E.
    assert!(holds(
        Condition::string("$.x", Operator::LessThan, "\u{FF5E}"),
        json!({"x": "\u{1F600}"})
    ));
    assert!(holds(
        Condition::timestamp("$.t", Operator::Equals, "2026-01-01T01:00:00Z"),
        json!({"t": "2026-01-01T03:00:00+02:00"})
    ));
    let with_start = evaluate_condition(
        &Condition::test(
            "$.t",
            Comparison::Timestamp(
                Operator::GreaterThan,
                ValueOrPath::Path("$$.Execution.StartTime".into()),
            ),
        ),
        &json!({"t": "2026-01-02T00:00:00Z"}),
        &json!({"Execution": {"StartTime": "2026-01-01T00:00:00Z"}}),
    );
    assert_eq!(with_start, Ok(true));
}

#[test]
fn string_matches_uses_stars_and_escapes() {
    let holds = |pattern: &str, text: &str| {
        evaluate_condition(
            &Condition::matches("$.s", pattern),
            &json!({"s": text}),
            &no_context(),
        )
        .unwrap()
    };
    assert!(holds("log-*.txt", "log-2026-01-01.txt"));
    assert!(holds("log-*.txt", "log-.txt"));
    assert!(!holds("log-*.txt", "log-1.txt.gz"));
    assert!(holds("*", ""));
    assert!(holds("a*b*c", "aXbYbZc"));
    assert!(!holds("a*b*c", "aXbYc-"));
    assert!(holds("\\*.md", "*.md"));
    assert!(!holds("\\*.md", "x.md"));
    assert!(holds("back\\\\slash", "back\\slash"));
    assert!(
        !evaluate_condition(
            &Condition::matches("$.s", "*"),
            &json!({"s": 1}),
            &no_context()
        )
        .unwrap()
    );
    assert!(
        ChoiceRules::compile(&Choice::new().when(Condition::matches("$.s", "a\\b"), "x")).is_err()
    );
}

#[test]
fn settings_read_from_the_input() {
    let input = json!({"timeout": 30, "negative": -1, "when": "2026-03-14T01:59:00Z", "text": "x"});
    let context = no_context();
    let frame = Frame::new(&input, &context);
    let seconds = |task: Task| io(task).0.task_seconds(&frame, &input);
    assert_eq!(
        seconds(Task::new("arn:x").timeout_seconds(5)),
        Ok((Some(5), None))
    );
    assert_eq!(
        seconds(Task::new("arn:x").heartbeat_seconds_path("$.timeout")),
        Ok((None, Some(30)))
    );
    let error = seconds(Task::new("arn:x").timeout_seconds_path("$.negative")).unwrap_err();
    assert_eq!(
        error.cause,
        "TimeoutSecondsPath '$.negative' must select a non-negative whole number, found a number (-1)"
    );
    // Recorded on AWS: worded as an InputPath that matches nothing.
    let error =
        seconds(Task::new("arn:x").timeout_seconds_path("$.NoSuchTimeoutSecondsPath")).unwrap_err();
    assert_eq!(error.error, PredefinedError::Runtime);
    assert_eq!(
        error.cause,
        "Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: \
         $['NoSuchTimeoutSecondsPath']"
    );
    let error = seconds(Task::new("arn:x").heartbeat_seconds_path("$.gone")).unwrap_err();
    assert_eq!(
        error.cause,
        "Invalid path '$.gone' : No results for path: $['gone']"
    );
    let wait = |wait: Wait| io(wait).0.wait_for(&frame, &input);
    assert_eq!(wait(Wait::seconds(3)), Ok(WaitFor::Seconds(3)));
    assert_eq!(
        wait(Wait::seconds_path("$.timeout")),
        Ok(WaitFor::Seconds(30))
    );
    assert!(matches!(
        wait(Wait::timestamp_path("$.when")),
        Ok(WaitFor::Until(_))
    ));
    assert_eq!(
        wait(Wait::timestamp_path("$.text")).unwrap_err().cause,
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset \
         date-time format string: $.text == \"x\""
    );
}

#[test]
fn map_setting_paths_of_the_wrong_kind_are_worded_as_aws_words_them() {
    let input =
        json!({"text": "NoNumber", "object": {}, "negative": -1.1, "big": 100.1, "fine": 10});
    let context = no_context();
    let frame = Frame::new(&input, &context);
    let items = ItemProcessor::new("i").state("i", Pass::new());
    let settings = |map: Map| io(map).0.map_settings(&frame, &input);
    let cause = |map: Map| settings(map).unwrap_err().cause;
    assert_eq!(
        cause(Map::new(items.clone()).max_concurrency_path("$.text")),
        "The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.text"
    );
    assert_eq!(
        cause(Map::new(items.clone()).tolerated_failure_count_path("$.object")),
        "The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: \
         $.object"
    );
    assert_eq!(
        cause(Map::new(items.clone()).tolerated_failure_percentage_path("$.text")),
        "The ToleratedFailurePercentagePath field refers to value \"NoNumber\" which is not a \
         valid float: $.text"
    );
    for out_of_range in ["$.negative", "$.big"] {
        assert_eq!(
            cause(Map::new(items.clone()).tolerated_failure_percentage_path(out_of_range)),
            "ToleratedFailurePercentage must be between 0 and 100."
        );
    }
    assert_eq!(
        settings(Map::new(items).tolerated_failure_percentage_path("$.fine")),
        Ok((0, 0, 10.0))
    );
}

#[test]
fn fail_states_compute_their_error_and_cause() {
    let input = json!({"error": {"name": "Broken", "detail": {"code": 7}}});
    let context = no_context();
    let frame = Frame::new(&input, &context);
    let fail = |fail: Fail| io(fail).0.fail_output(&frame);
    assert_eq!(
        fail(
            Fail::new()
                .error_path("$.error.name")
                .cause_path("States.Format('code {}', $.error.detail.code)")
        ),
        Ok((Some("Broken".to_string()), Some("code 7".to_string())))
    );
    assert_eq!(
        fail(Fail::new().error("WorkerError")),
        Ok((Some("WorkerError".to_string()), None))
    );
    assert_eq!(
        fail(Fail::new().cause_path("$.error.detail"))
            .unwrap_err()
            .error,
        PredefinedError::Runtime
    );
    // Recorded on AWS: paths that match nothing quote the Fail state's input.
    let missing = fail(Fail::new().error_path("$.ErrorX")).unwrap_err();
    assert_eq!(missing.error, PredefinedError::Runtime);
    assert_eq!(
        missing.cause,
        "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the \
         input '{\"error\":{\"name\":\"Broken\",\"detail\":{\"code\":7}}}'"
    );
    let missing = fail(Fail::new().cause_path("$.NoSuchCausePath")).unwrap_err();
    assert_eq!(
        missing.cause,
        "The JSONPath '$.NoSuchCausePath' specified for the field 'CausePath' could not be found \
         in the input '{\"error\":{\"name\":\"Broken\",\"detail\":{\"code\":7}}}'"
    );
}

#[test]
fn retriers_and_catchers_match_in_order() {
    let retriers = [
        Retrier::new(["States.Timeout"]),
        Retrier::new(["MyError", "OtherError"]),
        Retrier::new(["States.ALL"]),
    ];
    assert_eq!(find_retrier(&retriers, "States.Timeout"), Some(0));
    assert_eq!(find_retrier(&retriers, "OtherError"), Some(1));
    assert_eq!(find_retrier(&retriers, "Anything"), Some(2));
    assert_eq!(find_retrier(&retriers, "States.Runtime"), None);
    let catchers = [
        Catcher::new(["States.TaskFailed"], "task_failed"),
        Catcher::new(["States.ALL"], "anything"),
    ];
    assert_eq!(find_catcher(&catchers, "MyError"), Some(0));
    assert_eq!(find_catcher(&catchers, "States.Timeout"), Some(1));
    assert_eq!(find_catcher(&catchers, "States.Runtime"), None);
}

#[test]
fn retry_delays_back_off_cap_and_jitter() {
    let retrier = Retrier::new(["E"])
        .interval_seconds(2)
        .backoff_rate(3.0)
        .max_attempts(4);
    let delays: Vec<_> = (1..=5).map(|n| retry_delay(&retrier, n, 0.0)).collect();
    assert_eq!(
        delays,
        vec![
            Some(Duration::from_secs(2)),
            Some(Duration::from_secs(6)),
            Some(Duration::from_secs(18)),
            Some(Duration::from_secs(54)),
            None
        ]
    );
    let capped = retrier.clone().max_delay_seconds(10);
    assert_eq!(retry_delay(&capped, 4, 0.0), Some(Duration::from_secs(10)));
    let jittered = capped.jitter_strategy(JitterStrategy::Full);
    assert_eq!(
        retry_delay(&jittered, 4, 0.25),
        Some(Duration::from_millis(2500))
    );
    assert_eq!(
        retry_delay(&Retrier::new(["E"]).max_attempts(0), 1, 0.0),
        None
    );
}

#[test]
fn catchers_place_the_error_output() {
    let raw = json!({"job": 1});
    let context = no_context();
    let frame = Frame::new(&raw, &context);
    let caught = |catcher: Catcher, cause: Value| {
        let task = Task::new("arn:x").catch(catcher);
        io(task)
            .0
            .catch(&frame, 0, json!({"Error": "MyError", "Cause": cause}))
            .map(|outcome| outcome.output)
    };
    assert_eq!(
        caught(
            Catcher::new(["States.ALL"], "x").result_path("$.error-info"),
            json!("foobar")
        )
        .unwrap(),
        json!({"job": 1, "error-info": {"Error": "MyError", "Cause": "foobar"}})
    );
    assert_eq!(
        caught(Catcher::new(["States.ALL"], "x"), Value::Null).unwrap(),
        json!({"Error": "MyError", "Cause": null})
    );
    assert_eq!(
        caught(
            Catcher::new(["States.ALL"], "x").result_path(DataPath::Null),
            Value::Null
        )
        .unwrap(),
        raw
    );
    assert_eq!(
        caught(
            Catcher::new(["States.ALL"], "x").result_path("$.job.inner"),
            Value::Null
        )
        .unwrap_err()
        .error,
        PredefinedError::ResultPathMatchFailure
    );
}

#[test]
fn compiling_reports_the_field_at_fault() {
    let error = StateIo::compile(
        &Pass::new().result_path("$.a[*]").into(),
        QueryLanguage::JsonPath,
    )
    .unwrap_err();
    assert_eq!(error.field, "ResultPath");
    let error = StateIo::compile(
        &Task::new("arn:x").parameters(json!({"a.$": 1})).into(),
        QueryLanguage::JsonPath,
    )
    .unwrap_err();
    assert_eq!(error.field, "Parameters");
}
