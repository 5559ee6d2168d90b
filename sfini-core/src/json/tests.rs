use serde_json::{Value, json};

use crate::diagnostic::Code;
use crate::model::*;

fn read_errors(definition: Value) -> Vec<(Code, String, String)> {
    match StateMachine::from_value(&definition) {
        Ok(machine) => panic!("read without error: {machine:#?}"),
        Err(diagnostics) => diagnostics
            .into_iter()
            .map(|d| (d.code, d.location.to_string(), d.message))
            .collect(),
    }
}

fn state(state: Value) -> Value {
    json!({"StartAt": "s", "States": {"s": state}})
}

#[test]
fn fields_are_written_in_a_fixed_order_without_defaults() {
    let task = Task::new("arn:aws:states:::lambda:invoke")
        .comment("does the work")
        .next("after")
        .catch(Catcher::new(["States.ALL"], "after").result_path("$.error"))
        .retry(
            Retrier::new(["States.Timeout"])
                .interval_seconds(3)
                .jitter_strategy(JitterStrategy::Full),
        )
        .output_path("$.out")
        .result_path(DataPath::Null)
        .result_selector(json!({"v.$": "$.Payload"}))
        .heartbeat_seconds_path("$.beat")
        .timeout_seconds(60)
        .parameters(json!({"FunctionName": "f", "Payload.$": "$"}))
        .input_path("$");
    let machine = StateMachine::new("work")
        .timeout_seconds(600)
        .comment("one task")
        .state("work", task)
        .state("after", Succeed::new());
    assert_eq!(
        machine.to_json(),
        r#"{
  "Comment": "one task",
  "StartAt": "work",
  "TimeoutSeconds": 600,
  "States": {
    "work": {
      "Type": "Task",
      "Comment": "does the work",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "f",
        "Payload.$": "$"
      },
      "TimeoutSeconds": 60,
      "HeartbeatSecondsPath": "$.beat",
      "ResultSelector": {
        "v.$": "$.Payload"
      },
      "ResultPath": null,
      "OutputPath": "$.out",
      "Retry": [
        {
          "ErrorEquals": [
            "States.Timeout"
          ],
          "IntervalSeconds": 3,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.error",
          "Next": "after"
        }
      ],
      "Next": "after"
    },
    "after": {
      "Type": "Succeed"
    }
  }
}"#
    );
    assert_eq!(
        machine.to_json_compact(),
        serde_json::to_string(&machine.to_value()).unwrap()
    );
}

#[test]
fn explicit_defaults_read_as_defaults() {
    let explicit = state(json!({
        "Type": "Map",
        "InputPath": "$",
        "ItemsPath": "$",
        "MaxConcurrency": 0,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "i",
            "States": {"i": {"Type": "Pass", "End": true}}
        },
        "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "NONE"}],
        "End": true
    }));
    let machine = StateMachine::from_value(&explicit).unwrap();
    assert_eq!(
        machine.to_value(),
        state(json!({
            "Type": "Map",
            "ItemProcessor": {"StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}},
            "Retry": [{"ErrorEquals": ["E"]}],
            "End": true
        }))
    );
}

#[test]
fn choice_rules_write_their_operators() {
    let choice = Choice::new()
        .when(
            Condition::and([
                Condition::is("$.x", TypeTest::Numeric, true),
                Condition::numeric("$.x", Operator::GreaterThanEquals, 1.5),
                Condition::not(Condition::test(
                    "$.x",
                    Comparison::Numeric(Operator::Equals, ValueOrPath::Path("$.y".into())),
                )),
            ])
            .with_comment("x is a number of at least 1.5, other than y"),
            "a",
        )
        .when(Condition::matches("$.name", "*.txt"), "a")
        .when(
            Condition::timestamp("$.t", Operator::LessThan, "2026-01-01T00:00:00Z"),
            "a",
        )
        .when(Condition::boolean("$.flag", false), "a")
        .otherwise("a");
    let machine = StateMachine::new("c")
        .state("c", choice)
        .state("a", Succeed::new());
    assert_eq!(
        machine.to_value()["States"]["c"],
        json!({
            "Type": "Choice",
            "Choices": [
                {
                    "Comment": "x is a number of at least 1.5, other than y",
                    "And": [
                        {"Variable": "$.x", "IsNumeric": true},
                        {"Variable": "$.x", "NumericGreaterThanEquals": 1.5},
                        {"Not": {"Variable": "$.x", "NumericEqualsPath": "$.y"}}
                    ],
                    "Next": "a"
                },
                {"Variable": "$.name", "StringMatches": "*.txt", "Next": "a"},
                {"Variable": "$.t", "TimestampLessThan": "2026-01-01T00:00:00Z", "Next": "a"},
                {"Variable": "$.flag", "BooleanEquals": false, "Next": "a"}
            ],
            "Default": "a"
        })
    );
    assert_eq!(
        StateMachine::from_json(&machine.to_json()).unwrap(),
        machine
    );
}

#[test]
fn integers_and_decimals_keep_their_form() {
    let definition = state(json!({
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.a", "NumericEquals": 10, "Next": "s"},
            {"Variable": "$.a", "NumericEquals": 10.0, "Next": "s"},
            {"Variable": "$.a", "NumericEquals": 18446744073709551615u64, "Next": "s"}
        ]
    }));
    let machine = StateMachine::from_value(&definition).unwrap();
    assert_eq!(machine.to_value(), definition);
}

#[test]
fn unknown_fields_are_errors_with_suggestions() {
    assert_eq!(
        read_errors(state(
            json!({"Type": "Task", "Resorce": "arn:x", "End": true})
        )),
        vec![(
            Code::UnknownField,
            "States.s.Resorce".to_string(),
            "unknown field `Resorce` in a Task state; did you mean `Resource`?".to_string()
        )]
    );
    assert_eq!(
        read_errors(state(
            json!({"Type": "Pass", "Resource": "arn:x", "End": true})
        )),
        vec![(
            Code::UnknownField,
            "States.s.Resource".to_string(),
            "a Pass state has no field `Resource` (it belongs to Task states)".to_string()
        )]
    );
    assert_eq!(
        read_errors(state(
            json!({"Type": "Pass", "ResultSelector": {}, "End": true})
        ))[0]
            .2,
        "a Pass state has no field `ResultSelector` (it belongs to Task, Parallel, Map states)"
    );
    assert_eq!(
        read_errors(state(json!({
            "Type": "Task", "Resource": "arn:x", "End": true,
            "Retry": [{"ErrorEquals": ["E"], "MaxAttempt": 2}]
        }))),
        vec![(
            Code::UnknownField,
            "States.s.Retry[0].MaxAttempt".to_string(),
            "unknown field `MaxAttempt` in a retrier; did you mean `MaxAttempts`?".to_string()
        )]
    );
    assert_eq!(
        read_errors(json!({"StartAt": "s", "Stats": {}, "States": {"s": {"Type": "Succeed"}}})),
        vec![(
            Code::UnknownField,
            "Stats".to_string(),
            "unknown field `Stats` in a state machine definition; did you mean `States`?"
                .to_string()
        )]
    );
}

#[test]
fn a_jsonata_machine_reads_and_writes_back_unchanged() {
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "price",
        "States": {
            "price": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "price", "Payload": "{% $states.input.order %}"},
                "TimeoutSeconds": "{% $timeout %}",
                "HeartbeatSeconds": 10,
                "Output": "{% $states.result.Payload %}",
                "Assign": {"total": "{% $states.result.Payload.total %}"},
                "Catch": [{
                    "ErrorEquals": ["States.ALL"],
                    "Output": {"error": "{% $states.errorOutput %}"},
                    "Assign": {"failed": true},
                    "Next": "failed"
                }],
                "Next": "route"
            },
            "route": {
                "Type": "Choice",
                "Choices": [{
                    "Condition": "{% $total > 100 %}",
                    "Assign": {"big": true},
                    "Output": {"total": "{% $total %}"},
                    "Next": "wait"
                }],
                "Default": "items"
            },
            "wait": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "items"},
            "items": {
                "Type": "Map",
                "Items": "{% $states.input.lines %}",
                "ItemSelector": {"line": "{% $states.context.Map.Item.Value %}"},
                "MaxConcurrency": "{% $limit %}",
                "ItemProcessor": {"StartAt": "done", "States": {"done": {"Type": "Succeed", "Output": "{% $states.input %}"}}},
                "Next": "failed"
            },
            "failed": {"Type": "Fail", "Error": "{% $error %}", "Cause": "written as is"}
        }
    });
    let machine = StateMachine::from_value(&definition).unwrap();
    assert_eq!(machine.query_language, QueryLanguage::Jsonata);
    let State::Task(task) = &machine.states["price"] else {
        panic!()
    };
    assert_eq!(
        task.timeout,
        Some(ValueOrPath::Expression(" $timeout ".to_string()))
    );
    assert_eq!(task.heartbeat, Some(ValueOrPath::Value(10)));
    assert_eq!(task.catch[0].assign, Some(json!({"failed": true})));
    let State::Choice(choice) = &machine.states["route"] else {
        panic!()
    };
    assert_eq!(
        choice.choices[0].condition.kind,
        ConditionKind::Jsonata(json!("{% $total > 100 %}"))
    );
    let State::Fail(fail) = &machine.states["failed"] else {
        panic!()
    };
    assert_eq!(
        fail.error,
        Some(ValueOrPath::Expression(" $error ".to_string()))
    );
    assert_eq!(
        fail.cause,
        Some(ValueOrPath::Value("written as is".to_string()))
    );
    assert_eq!(machine.to_value(), definition);
}

#[test]
fn fields_of_the_other_query_language_are_located_and_named() {
    let found = read_errors(json!({
        "QueryLanguage": "JSONata",
        "StartAt": "s",
        "States": {"s": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "InputPath": "$.order",
            "TimeoutSecondsPath": "$.timeout",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "s"}],
            "End": true
        }}
    }));
    assert_eq!(
        found,
        vec![
            (
                Code::WrongQueryLanguage,
                "States.s.InputPath".to_string(),
                "`InputPath` is a JSONPath field, and this state's query language is JSONata: build the input of the work with `Arguments` and `$states.input`".to_string()
            ),
            (
                Code::WrongQueryLanguage,
                "States.s.TimeoutSecondsPath".to_string(),
                "`TimeoutSecondsPath` is a JSONPath field, and this state's query language is JSONata: give `TimeoutSeconds` a `{% ... %}` expression instead".to_string()
            ),
            (
                Code::WrongQueryLanguage,
                "States.s.Catch[0].ResultPath".to_string(),
                "`ResultPath` is a JSONPath field, and this state's query language is JSONata: shape the output with `Output` (and keep values for later with `Assign`)".to_string()
            ),
        ]
    );
    let found = read_errors(json!({
        "StartAt": "s",
        "States": {"s": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% true %}", "Next": "s"}],
            "Output": {"a": 1},
            "Default": "t"
        }, "t": {"Type": "Wait", "Seconds": "{% 1 %}", "End": true}}
    }));
    let codes: Vec<_> = found
        .iter()
        .map(|(code, location, _)| (*code, location.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (Code::WrongQueryLanguage, "States.s.Output"),
            (Code::WrongQueryLanguage, "States.s.Choices[0].Condition"),
            (Code::InvalidChoiceRule, "States.s.Choices[0]"),
            (Code::WrongQueryLanguage, "States.t.Seconds"),
        ]
    );
    assert!(found[0].2.ends_with(
        "set `\"QueryLanguage\": \"JSONata\"` on the state or the machine, or use `OutputPath` or `ResultSelector`"
    ));
}

#[test]
fn a_state_chooses_its_query_language_within_the_rules() {
    // A JSONata state in a JSONPath machine reads its JSONata fields.
    let mixed = json!({
        "StartAt": "s",
        "States": {"s": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "Assign": {"x": 1}, "End": true}}
    });
    let machine = StateMachine::from_value(&mixed).unwrap();
    assert_eq!(
        machine.states["s"].query_language(),
        Some(QueryLanguage::Jsonata)
    );
    assert_eq!(machine.states["s"].output(), Some(&json!("{% 1 %}")));
    assert_eq!(machine.to_value(), mixed);
    // Not the other way round, and not on a branch or processor.
    let found = read_errors(json!({
        "QueryLanguage": "JSONata",
        "StartAt": "p",
        "States": {
            "p": {"Type": "Parallel", "Branches": [{"QueryLanguage": "JSONata", "StartAt": "b", "States": {"b": {"Type": "Succeed"}}}], "Next": "s"},
            "s": {"Type": "Succeed", "QueryLanguage": "JSONPath"}
        }
    }));
    let codes: Vec<_> = found
        .iter()
        .map(|(code, location, _)| (*code, location.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (Code::UnknownField, "States.p.Branches[0].QueryLanguage"),
            (Code::WrongQueryLanguage, "States.s.QueryLanguage"),
        ]
    );
    let found = read_errors(
        json!({"QueryLanguage": "JSONate", "StartAt": "s", "States": {"s": {"Type": "Succeed"}}}),
    );
    assert_eq!(
        found[0].2,
        "`JSONate` is not a query language; expected `JSONPath` or `JSONata`; did you mean `JSONata`?"
    );
    // In a JSONPath state, a `{% %}` string is literal where strings are
    // allowed, and wrong where a number is.
    let literal = json!({"StartAt": "f", "States": {"f": {"Type": "Fail", "Error": "{% $x %}"}}});
    let machine = StateMachine::from_value(&literal).unwrap();
    let State::Fail(fail) = &machine.states["f"] else {
        panic!()
    };
    assert_eq!(fail.error, Some(ValueOrPath::Value("{% $x %}".to_string())));
}

#[test]
fn wrong_types_and_missing_fields_are_located() {
    assert_eq!(
        read_errors(json!({"States": {"s": {"Type": "Succeed"}}})),
        vec![(
            Code::MissingField,
            "StartAt".to_string(),
            "a state machine needs `StartAt`".to_string()
        )]
    );
    assert_eq!(
        read_errors(json!([1])),
        vec![(
            Code::WrongType,
            "(top level)".to_string(),
            "a state machine definition must be a JSON object, found an array".to_string()
        )]
    );
    let found = read_errors(state(json!({
        "Type": "Task",
        "Resource": 5,
        "TimeoutSeconds": 2.5,
        "InputPath": 1,
        "Retry": {"ErrorEquals": []},
        "Catch": [{"Next": "s"}],
        "End": "yes"
    })));
    let located: Vec<_> = found
        .iter()
        .map(|(code, location, _)| (*code, location.as_str()))
        .collect();
    assert_eq!(
        located,
        vec![
            (Code::WrongType, "States.s.Resource"),
            (Code::WrongType, "States.s.InputPath"),
            (Code::WrongType, "States.s.TimeoutSeconds"),
            (Code::WrongType, "States.s.Retry"),
            (Code::MissingField, "States.s.Catch[0].ErrorEquals"),
            (Code::WrongType, "States.s.End"),
            (Code::MissingField, "States.s.Next"),
        ]
    );
    assert_eq!(found[0].2, "`Resource` must be a string, found a number");
    assert_eq!(
        found[2].2,
        "`TimeoutSeconds` must be a whole number, found 2.5"
    );
    assert_eq!(
        read_errors(state(
            json!({"Type": "Parallel", "Branches": [{"StartAt": "x"}], "End": true})
        )),
        vec![(
            Code::MissingField,
            "States.s.Branches[0].States".to_string(),
            "a branch needs `States`".to_string()
        )]
    );
    assert_eq!(
        read_errors(state(
            json!({"Type": "Wait", "Seconds": 1, "End": true, "OutputPath": ["$"]})
        ))[0]
            .2,
        "`OutputPath` must be a path string or null, found an array"
    );
    assert_eq!(
        read_errors(state(json!({
            "Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTD"}, "StartAt": "i", "States": {"i": {"Type": "Succeed"}}}
        })))[0].2,
        "`DISTRIBUTD` is not a value of `Mode`; expected one of `INLINE`, `DISTRIBUTED`; did you mean `DISTRIBUTED`?"
    );
}

#[test]
fn syntax_errors_say_where() {
    let error =
        StateMachine::from_json("{\n  \"StartAt\": \"s\",\n  \"States\": {\n}").unwrap_err();
    let only: Vec<_> = error.into_iter().collect();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].code, Code::Syntax);
    assert!(only[0].message.contains("line 4"), "{}", only[0].message);
}

#[test]
fn state_machines_work_with_serde() {
    let machine = StateMachine::new("s").state("s", Wait::seconds(5));
    let text = serde_json::to_string(&machine).unwrap();
    assert_eq!(
        text,
        r#"{"StartAt":"s","States":{"s":{"Type":"Wait","Seconds":5,"End":true}}}"#
    );
    let back: StateMachine = serde_json::from_str(&text).unwrap();
    assert_eq!(back, machine);
    let error = serde_json::from_str::<StateMachine>(
        r#"{"StartAt": "s", "States": {"s": {"Type": "Wiat"}}}"#,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("did you mean `Wait`?"),
        "{error}"
    );
}

#[test]
fn states_keep_their_order() {
    let definition = json!({"StartAt": "z", "States": {
        "z": {"Type": "Pass", "Next": "a"},
        "a": {"Type": "Pass", "Next": "m"},
        "m": {"Type": "Succeed"}
    }});
    let machine = StateMachine::from_value(&definition).unwrap();
    let names: Vec<_> = machine.states.keys().map(String::as_str).collect();
    assert_eq!(names, ["z", "a", "m"]);
    assert!(machine.to_json().find("\"z\"").unwrap() < machine.to_json().find("\"a\"").unwrap());
}
