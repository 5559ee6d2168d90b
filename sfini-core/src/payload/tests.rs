use serde_json::{Value, json};

use super::*;

fn compile(template: Value) -> Template {
    Template::compile(&template).unwrap_or_else(|errors| {
        let messages: Vec<_> = errors.iter().map(ToString::to_string).collect();
        panic!("{}", messages.join("\n"))
    })
}

fn context() -> Value {
    json!({
        "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:run-1", "Name": "run-1"},
        "Map": {"Item": {"Index": 2, "Value": {"id": "c"}}}
    })
}

fn fill(template: Value, data: Value) -> Value {
    compile(template)
        .evaluate(&data, &context())
        .unwrap_or_else(|error| panic!("{error}"))
}

fn errors(template: Value) -> Vec<(String, String)> {
    match Template::compile(&template) {
        Ok(compiled) => panic!("compiled: {compiled:?}"),
        Err(errors) => errors
            .into_iter()
            .map(|error| (error.location.to_string(), error.message))
            .collect(),
    }
}

#[test]
fn static_values_are_copied() {
    let template = json!({"a": 1, "b": [true, null, "$.x"], "c": {"d": "$.not.a.path"}});
    assert_eq!(fill(template.clone(), json!({"x": 9})), template);
    assert_eq!(fill(json!({}), json!({"x": 9})), json!({}));
}

#[test]
fn dynamic_fields_lose_their_suffix() {
    let result = fill(
        json!({
            "comment": "fixed",
            "product.$": "$.product",
            "count.$": "$.items.length",
            "first.$": "$.list[0]",
            "all.$": "$",
        }),
        json!({"product": {"id": 7}, "items": {"length": 3}, "list": ["a", "b"]}),
    );
    assert_eq!(
        result,
        json!({
            "comment": "fixed",
            "product": {"id": 7},
            "count": 3,
            "first": "a",
            "all": {"product": {"id": 7}, "items": {"length": 3}, "list": ["a", "b"]}
        })
    );
}

#[test]
fn keys_keep_their_order() {
    let result = fill(
        json!({"z": 1, "y.$": "$.y", "a": {"c.$": "$.y", "b": 2}}),
        json!({"y": 0}),
    );
    let keys: Vec<_> = result
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .collect();
    assert_eq!(keys, ["z", "y", "a"]);
    let inner: Vec<_> = result["a"]
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .collect();
    assert_eq!(inner, ["c", "b"]);
}

#[test]
fn nested_objects_and_arrays_are_processed_at_any_depth() {
    let result = fill(
        json!({
            "outer": {"inner": {"deep.$": "$.a"}},
            "list": [
                {"x.$": "$.b"},
                "plain $.b",
                [{"y.$": "$.a"}, 5],
                {"nested": [{"z.$": "States.MathAdd($.a, $.b)"}]}
            ]
        }),
        json!({"a": 1, "b": 2}),
    );
    assert_eq!(
        result,
        json!({
            "outer": {"inner": {"deep": 1}},
            "list": [
                {"x": 2},
                "plain $.b",
                [{"y": 1}, 5],
                {"nested": [{"z": 3}]}
            ]
        })
    );
}

#[test]
fn context_paths_read_the_context_object() {
    let result = fill(
        json!({
            "execution.$": "$$.Execution.Name",
            "index.$": "$$.Map.Item.Index",
            "item.$": "$$.Map.Item.Value",
            "whole.$": "$$.Execution",
        }),
        json!({}),
    );
    assert_eq!(
        result,
        json!({
            "execution": "run-1",
            "index": 2,
            "item": {"id": "c"},
            "whole": context()["Execution"]
        })
    );
}

#[test]
fn intrinsic_values_are_evaluated() {
    let result = fill(
        json!({
            "greeting.$": "States.Format('Hello, {}!', $.name)",
            "id.$": "States.UUID()",
            "run.$": "States.Format('{}-{}', $$.Execution.Name, $$.Map.Item.Index)",
            "parts.$": "States.ArrayPartition($.values, 2)",
            "sum.$": "States.MathAdd($.values[0], $.values[2])",
        }),
        json!({"name": "Ada", "values": [1, 2, 3]}),
    );
    assert_eq!(result["greeting"], json!("Hello, Ada!"));
    assert_eq!(result["id"].as_str().map(str::len), Some(36));
    assert_eq!(result["run"], json!("run-1-2"));
    assert_eq!(result["parts"], json!([[1, 2], [3]]));
    assert_eq!(result["sum"], json!(4));
}

#[test]
fn indefinite_paths_give_arrays_even_when_empty() {
    let result = fill(
        json!({"ids.$": "$.items[*].id", "none.$": "$.items[?(@.id > 10)]", "last2.$": "$.vals[-2:]"}),
        json!({"items": [{"id": 1}, {"id": 2}], "vals": [10, 20, 30]}),
    );
    assert_eq!(
        result,
        json!({"ids": [1, 2], "none": [], "last2": [20, 30]})
    );
}

#[test]
fn a_missing_path_fails_like_aws() {
    let template = compile(json!({"ok.$": "$.a", "missing.$": "$.nope"}));
    let error = template
        .evaluate(&json!({"a": 1}), &Value::Null)
        .unwrap_err();
    assert_eq!(
        error,
        PayloadError::PathNotFound {
            field: "missing.$".to_string(),
            path: "$.nope".to_string(),
            data: "{\"a\":1}".to_string(),
        }
    );
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(error.field(), "missing.$");
    assert_eq!(
        error.cause(),
        "The JSONPath '$.nope' specified for the field 'missing.$' could not be found in the \
         input '{\"a\":1}'"
    );
    assert_eq!(error.to_string(), error.cause());
}

#[test]
fn a_missing_context_path_quotes_the_context() {
    let template = compile(json!({"token.$": "$$.Task.Token"}));
    let error = template
        .evaluate(&json!({"a": 1}), &json!({"State": {"Name": "s"}}))
        .unwrap_err();
    assert_eq!(
        error,
        PayloadError::PathNotFound {
            field: "token.$".to_string(),
            path: "$$.Task.Token".to_string(),
            data: "{\"State\":{\"Name\":\"s\"}}".to_string(),
        }
    );
}

#[test]
fn quoted_data_is_cut_short() {
    let limit = super::QUOTED_DATA_LIMIT;
    let template = compile(json!({"x.$": "$.nope"}));
    let data = json!({"long": "é".repeat(limit)});
    let PayloadError::PathNotFound { data: quoted, .. } =
        template.evaluate(&data, &Value::Null).unwrap_err()
    else {
        panic!("expected PathNotFound");
    };
    assert_eq!(quoted.chars().count(), limit + 3);
    assert!(quoted.starts_with("{\"long\":\"éé"));
    assert!(quoted.ends_with("é..."));

    // Exactly at the limit: nothing is cut.
    let data = json!("x".repeat(limit - 2));
    let PayloadError::PathNotFound { data: quoted, .. } =
        template.evaluate(&data, &Value::Null).unwrap_err()
    else {
        panic!("expected PathNotFound");
    };
    assert_eq!(quoted.chars().count(), limit);
    assert!(quoted.ends_with("x\""));
}

#[test]
fn quoted_data_is_whole_up_to_thousands_of_characters() {
    // AWS quoted a context object of more than 800 characters uncut.
    let template = compile(json!({"x.$": "$$.Map.Item.Value.id"}));
    let context = json!({"Execution": {"Input": {"text": "a".repeat(900)}}});
    let error = template.evaluate(&json!({}), &context).unwrap_err();
    assert_eq!(
        error.cause(),
        format!(
            "The JSONPath '$$.Map.Item.Value.id' specified for the field 'x.$' could not be found \
             in the input '{}'",
            context
        )
    );
}

#[test]
fn intrinsic_failures_carry_the_field() {
    let template = compile(json!({"nested": [{"sum.$": "States.MathAdd($.a, 1)"}]}));
    let error = template
        .evaluate(&json!({"a": "one"}), &Value::Null)
        .unwrap_err();
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(error.field(), "sum.$");
    let PayloadError::Intrinsic { error: inner, .. } = &error else {
        panic!("expected an intrinsic failure, got {error:?}");
    };
    assert_eq!(inner.function(), "States.MathAdd");
    assert_eq!(
        error.cause(),
        "The intrinsic function in the field 'sum.$' failed: Invalid arguments in States.MathAdd"
    );
    assert_eq!(
        inner.to_string(),
        "States.MathAdd: argument 1 (`first`) must be an integer, found a string"
    );

    // A path inside a call that matches nothing is a run-time error.
    let error = template.evaluate(&json!({}), &Value::Null).unwrap_err();
    assert_eq!(error.error_name(), "States.Runtime");
    assert!(matches!(
        error,
        PayloadError::Intrinsic {
            error: IntrinsicError::PathNotFound { .. },
            ..
        }
    ));
}

#[test]
fn lists_the_dynamic_fields_with_their_locations() {
    let template = compile(json!({
        "a.$": "$.a",
        "fixed": {"b": 1},
        "foo": {"bar.$": "$$.Execution.Id"},
        "list": [{}, "x", {"x.$": "States.Format('{}', $$.Map.Item.Index)"}],
    }));
    let fields: Vec<_> = template
        .dynamic_fields()
        .map(|(location, value)| {
            (
                location.to_string(),
                value.to_string(),
                value.uses_context(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("['a.$']".to_string(), "$.a".to_string(), false),
            (
                "foo['bar.$']".to_string(),
                "$$.Execution.Id".to_string(),
                true
            ),
            (
                "list[2]['x.$']".to_string(),
                "States.Format('{}', $$.Map.Item.Index)".to_string(),
                true
            ),
        ]
    );
    let (_, call) = template.dynamic_fields().nth(2).unwrap();
    assert!(matches!(call, DynamicValue::Call(_)));
    let paths: Vec<_> = call.paths().iter().map(|p| p.as_str()).collect();
    assert_eq!(paths, ["$$.Map.Item.Index"]);
    assert_eq!(compile(json!({"a": [1]})).dynamic_fields().count(), 0);
}

#[test]
fn a_template_must_be_an_object() {
    for (template, kind) in [
        (json!([1]), "an array"),
        (json!("$.a"), "a string"),
        (json!(null), "null"),
        (json!(3), "a number"),
    ] {
        assert_eq!(
            errors(template),
            [(
                "(top level)".to_string(),
                format!("a payload template must be a JSON object, found {kind}")
            )]
        );
    }
}

#[test]
fn dynamic_values_must_be_strings() {
    assert_eq!(
        errors(json!({"x.$": 5})),
        [(
            "['x.$']".to_string(),
            "the value of `x.$` must be a path or an intrinsic function call as a string, \
             found a number"
                .to_string()
        )]
    );
    let found = errors(json!({"a.$": {"b": 1}, "c.$": ["$.x"], "d.$": null, "e.$": true}));
    let kinds: Vec<_> = found
        .iter()
        .map(|(location, message)| {
            (
                location.as_str(),
                message.rsplit("found ").next().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("['a.$']", "an object"),
            ("['c.$']", "an array"),
            ("['d.$']", "null"),
            ("['e.$']", "a boolean"),
        ]
    );
}

#[test]
fn dynamic_strings_must_parse() {
    let found = errors(json!({
        "path.$": "$.a[",
        "call.$": "States.Formt('{}', $.a)",
        "args.$": "States.MathAdd(1, 2, 3)",
        "text.$": "hello",
        "empty.$": "",
    }));
    assert_eq!(found.len(), 5);
    assert_eq!(found[0].0, "['path.$']");
    assert!(
        found[0]
            .1
            .starts_with("the value of `path.$` is not a valid path: "),
        "{}",
        found[0].1
    );
    assert!(found[0].1.ends_with("(at character 4)"), "{}", found[0].1);
    assert_eq!(
        found[1].1,
        "the value of `call.$` is not a valid intrinsic function call: unknown intrinsic \
         function `States.Formt`; did you mean `States.Format`? (at character 0)"
    );
    assert!(
        found[2]
            .1
            .contains("States.MathAdd takes 2 arguments, found 3"),
        "{}",
        found[2].1
    );
    assert!(
        found[3].1.starts_with(
            "the value of `text.$` must be a path starting with `$` or an intrinsic function \
             call such as `States.Format('{}', $.name)`, found `hello`"
        ),
        "{}",
        found[3].1
    );
    assert!(
        found[4].1.contains("found an empty string"),
        "{}",
        found[4].1
    );
}

#[test]
fn keys_that_collide_once_the_suffix_is_dropped() {
    assert_eq!(
        errors(json!({"a": 1, "a.$": "$.x"})),
        [(
            "['a.$']".to_string(),
            "`a` and `a.$` both give the field `a` once `.$` is dropped; keep only one of them"
                .to_string()
        )]
    );
    let found = errors(json!({"outer": [{"b.$": "$.x", "b": 2}]}));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "outer[0].b");
    assert!(
        found[0]
            .1
            .starts_with("`b.$` and `b` both give the field `b`")
    );
    // Different objects may use the same key.
    compile(json!({"a.$": "$.x", "inner": {"a.$": "$.x", "b": {"a": 1}}}));
}

#[test]
fn every_problem_is_reported_in_document_order() {
    let found = errors(json!({
        "a.$": 1,
        "ok.$": "$.fine",
        "b": {"c.$": "States.Nope()", "d": [{"e.$": "$$.x["}]},
        "f": 1,
        "f.$": "$.f",
    }));
    let locations: Vec<_> = found
        .iter()
        .map(|(location, _)| location.as_str())
        .collect();
    assert_eq!(
        locations,
        ["['a.$']", "b['c.$']", "b.d[0]['e.$']", "['f.$']"]
    );
}

#[test]
fn template_errors_display_their_location() {
    let error = Template::compile(&json!({"foo": {"bar.$": 1}})).unwrap_err();
    assert_eq!(
        error[0].to_string(),
        "foo['bar.$']: the value of `bar.$` must be a path or an intrinsic function call as a \
         string, found a number"
    );
}

#[test]
fn a_compiled_template_can_be_reused() {
    let template = compile(json!({"n.$": "States.MathAdd($.n, 1)"}));
    for n in 0..3 {
        assert_eq!(
            template.evaluate(&json!({"n": n}), &Value::Null).unwrap(),
            json!({"n": n + 1})
        );
    }
}

#[test]
fn templates_read_variables() {
    use crate::budget::Budget;
    use crate::path::Roots;

    let mut variables = serde_json::Map::new();
    variables.insert("order".to_string(), json!({"id": 7, "lines": [1, 2]}));
    let template = Template::compile(&json!({
        "id.$": "$order.id",
        "count.$": "States.ArrayLength($order.lines)",
        "literal": "$order"
    }))
    .unwrap();
    let data = json!({});
    let roots = Roots::new(&data, &Value::Null).with_variables(&variables);
    assert_eq!(
        template.evaluate_in(roots, &Budget::default()).unwrap(),
        json!({"id": 7, "count": 2, "literal": "$order"})
    );
}
