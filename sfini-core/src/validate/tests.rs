use serde_json::{Value, json};

use super::*;
use crate::diagnostic::{Code, Severity};
use crate::model::*;

/// `(severity, code, location, message)` of every problem in a definition.
fn problems(definition: Value) -> Vec<(Severity, Code, String, String)> {
    check_value(&definition)
        .diagnostics
        .into_iter()
        .map(|d| (d.severity, d.code, d.location.to_string(), d.message))
        .collect()
}

/// The errors only, as `(code, location)`.
fn errors(definition: Value) -> Vec<(Code, String)> {
    problems(definition)
        .into_iter()
        .filter(|(severity, ..)| *severity == Severity::Error)
        .map(|(_, code, location, _)| (code, location))
        .collect()
}

/// The one error of a definition, as `(code, location, message)`.
fn only_error(definition: Value) -> (Code, String, String) {
    let all = problems(definition);
    let errors: Vec<_> = all.iter().filter(|(s, ..)| *s == Severity::Error).collect();
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, found {all:#?}"
    );
    let (_, code, location, message) = errors[0].clone();
    (code, location, message)
}

/// A machine around one state, named `s`.
fn with_state(state: Value) -> Value {
    json!({"StartAt": "s", "States": {"s": state}})
}

fn pass_end() -> Value {
    json!({"Type": "Pass", "End": true})
}

fn task(extra: Value) -> Value {
    let mut state =
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    for (key, value) in extra.as_object().unwrap() {
        state[key] = value.clone();
    }
    state
}

#[test]
fn valid_definitions_pass() {
    let definitions = [
        with_state(pass_end()),
        with_state(task(json!({}))),
        json!({
            "Comment": "every state type",
            "StartAt": "p",
            "TimeoutSeconds": 3600,
            "Version": "1.0",
            "States": {
                "p": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "w"},
                "w": {"Type": "Wait", "Seconds": 0, "Next": "c"},
                "c": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.r.x", "NumericEquals": 1, "Next": "par"},
                        {"And": [
                            {"Variable": "$.a", "IsPresent": true},
                            {"Not": {"Variable": "$.a", "StringMatches": "log-*.txt"}}
                        ], "Next": "f"}
                    ],
                    "Default": "f"
                },
                "par": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "b1", "States": {"b1": {"Type": "Succeed"}}},
                        {"StartAt": "b2", "States": {"b2": {"Type": "Pass", "End": true}}}
                    ],
                    "ResultSelector": {"first.$": "$[0]", "n.$": "States.ArrayLength($)"},
                    "Next": "m"
                },
                "m": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value"},
                    "MaxConcurrency": 2,
                    "ItemProcessor": {"StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}},
                    "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 0}, {"ErrorEquals": ["States.ALL"]}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "f"}],
                    "Next": "done"
                },
                "done": {"Type": "Succeed"},
                "f": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "States.Format('failed: {}', $.error.Cause)"}
            }
        }),
    ];
    for definition in definitions {
        assert_eq!(problems(definition.clone()), vec![], "{definition:#}");
    }
}

#[test]
fn start_at_must_name_a_state() {
    let (code, location, message) =
        only_error(json!({"StartAt": "strat", "States": {"start": pass_end()}}));
    assert_eq!(code, Code::UnknownState);
    assert_eq!(location, "StartAt");
    assert_eq!(message, "no state named `strat`; did you mean `start`?");
}

#[test]
fn transitions_must_name_states_of_their_scope() {
    let definition = json!({
        "StartAt": "increment",
        "States": {
            "increment": {"Type": "Pass", "Next": "check_counter"},
            "check_counter": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.counter", "NumericLessThan": 10, "Next": "incremnt"}],
                "Default": "finis"
            },
            "finish": {"Type": "Succeed"}
        }
    });
    let found = problems(definition);
    assert_eq!(
        found,
        vec![
            (
                Severity::Error,
                Code::UnknownState,
                "States.check_counter.Choices[0].Next".to_string(),
                "no state named `incremnt`; did you mean `increment`?".to_string()
            ),
            (
                Severity::Error,
                Code::UnknownState,
                "States.check_counter.Default".to_string(),
                "no state named `finis`; did you mean `finish`?".to_string()
            ),
        ]
    );
}

#[test]
fn transitions_cannot_cross_into_or_out_of_branches() {
    let definition = json!({
        "StartAt": "par",
        "States": {
            "par": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "inner", "States": {"inner": {"Type": "Pass", "Next": "after"}}}],
                "Next": "after"
            },
            "after": {"Type": "Pass", "Next": "inner"}
        }
    });
    let found = problems(definition);
    let cross: Vec<_> = found
        .iter()
        .filter(|p| p.1 == Code::CrossScopeTransition)
        .collect();
    assert_eq!(cross.len(), 2, "{found:#?}");
    assert_eq!(cross[0].2, "States.after.Next");
    assert_eq!(
        cross[0].3,
        "`inner` is defined at States.par.Branches[0].States.inner, outside this state machine; a transition stays within its state machine"
    );
    assert_eq!(cross[1].2, "States.par.Branches[0].States.inner.Next");
    assert_eq!(
        cross[1].3,
        "`after` is defined at States.after, outside this Parallel branch; a transition stays within its Parallel branch"
    );
}

#[test]
fn catch_next_and_map_scopes_are_checked_too() {
    let definition = json!({
        "StartAt": "m",
        "States": {
            "m": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "work", "States": {
                    "work": task(json!({"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "recovr"}]})),
                    "recover": {"Type": "Succeed"}
                }},
                "End": true
            }
        }
    });
    assert_eq!(
        only_error(definition),
        (
            Code::UnknownState,
            "States.m.ItemProcessor.States.work.Catch[0].Next".to_string(),
            "no state named `recovr`; did you mean `recover`?".to_string()
        )
    );
}

#[test]
fn state_names_are_unique_across_the_machine() {
    let definition = json!({
        "StartAt": "par",
        "States": {
            "par": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "par", "States": {"par": pass_end()}}],
                "End": true
            }
        }
    });
    let (code, location, message) = only_error(definition);
    assert_eq!(code, Code::DuplicateStateName);
    assert_eq!(location, "States.par.Branches[0].States.par");
    assert!(
        message.contains("already defined at States.par"),
        "{message}"
    );
}

#[test]
fn state_names_have_at_most_80_characters() {
    let long = "é".repeat(81);
    let fine = "é".repeat(80);
    let definition = json!({"StartAt": long, "States": {long.clone(): pass_end()}});
    let (code, _, message) = only_error(definition);
    assert_eq!(code, Code::InvalidStateName);
    assert!(
        message.contains("has 81 characters; the most allowed is 80"),
        "{message}"
    );
    assert_eq!(
        errors(json!({"StartAt": fine, "States": {fine.clone(): pass_end()}})),
        vec![]
    );
    let (code, ..) = only_error(json!({"StartAt": "", "States": {"": pass_end()}}));
    assert_eq!(code, Code::InvalidStateName);
}

#[test]
fn every_state_must_be_reachable_and_some_state_must_end() {
    let definition = json!({
        "StartAt": "a",
        "States": {
            "a": {"Type": "Pass", "Next": "b"},
            "b": {"Type": "Pass", "Next": "a"},
            "c": {"Type": "Succeed"}
        }
    });
    assert_eq!(
        errors(definition),
        vec![
            (Code::UnreachableState, "States.c".to_string()),
            (Code::NoTerminalState, "States".to_string()),
        ]
    );
    let branch_loop = json!({
        "StartAt": "par",
        "States": {"par": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "x", "States": {"x": {"Type": "Wait", "Seconds": 1, "Next": "x"}}}],
            "End": true
        }}
    });
    assert_eq!(
        errors(branch_loop),
        vec![(
            Code::NoTerminalState,
            "States.par.Branches[0].States".to_string()
        )]
    );
}

#[test]
fn next_and_end_are_exclusive_and_one_is_required() {
    let both = json!({"StartAt": "a", "States": {
        "a": {"Type": "Pass", "Next": "b", "End": true},
        "b": pass_end()
    }});
    assert_eq!(only_error(both).0, Code::Conflict);
    let (code, location, _) = only_error(with_state(json!({"Type": "Task", "Resource": "arn:x"})));
    assert_eq!(
        (code, location.as_str()),
        (Code::MissingField, "States.s.Next")
    );
    // `"End": false` beside Next says nothing more than Next.
    let definition = json!({"StartAt": "a", "States": {
        "a": {"Type": "Pass", "Next": "b", "End": false},
        "b": pass_end()
    }});
    assert_eq!(errors(definition), vec![]);
    for state_type in ["Choice", "Succeed", "Fail"] {
        let mut state = json!({"Type": state_type, "Next": "s"});
        if state_type == "Choice" {
            state["Choices"] = json!([{"Variable": "$.x", "IsNull": true, "Next": "s"}]);
        }
        let found = errors(with_state(state));
        assert!(
            found.contains(&(Code::UnknownField, "States.s.Next".to_string())),
            "{state_type}: {found:?}"
        );
    }
}

#[test]
fn choice_rules_are_well_formed() {
    let machine = |choices: Value| {
        json!({"StartAt": "c", "States": {
            "c": {"Type": "Choice", "Choices": choices, "Default": "d"},
            "d": {"Type": "Succeed"}
        }})
    };
    assert_eq!(
        errors(machine(json!([]))),
        vec![(Code::InvalidChoiceRule, "States.c.Choices".to_string())]
    );
    assert_eq!(
        errors(machine(json!([{"Variable": "$.x", "NumericEquals": 1}]))),
        vec![(Code::MissingField, "States.c.Choices[0].Next".to_string())]
    );
    assert_eq!(
        errors(machine(
            json!([{"And": [{"Variable": "$.x", "IsNull": true, "Next": "d"}], "Next": "d"}])
        )),
        vec![(
            Code::InvalidChoiceRule,
            "States.c.Choices[0].And[0].Next".to_string()
        )]
    );
    assert_eq!(
        errors(machine(json!([{"Or": [], "Next": "d"}]))),
        vec![(
            Code::InvalidChoiceRule,
            "States.c.Choices[0].Or".to_string()
        )]
    );
    assert_eq!(
        errors(machine(json!([{"Variable": "$.x", "Next": "d"}]))),
        vec![(Code::InvalidChoiceRule, "States.c.Choices[0]".to_string())]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.x", "NumericEquals": 1, "StringEquals": "a", "Next": "d"}])
        )),
        vec![(
            Code::InvalidChoiceRule,
            "States.c.Choices[0].StringEquals".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.x", "NumericEquals": "1", "Next": "d"}])
        )),
        vec![(
            Code::WrongType,
            "States.c.Choices[0].NumericEquals".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.x", "NumericEqual": 1, "Next": "d"}])
        )),
        vec![(
            Code::UnknownField,
            "States.c.Choices[0].NumericEqual".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.x[*]", "NumericEquals": 1, "Next": "d"}])
        )),
        vec![(
            Code::InvalidPath,
            "States.c.Choices[0].Variable".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.x", "NumericLessThanPath": "$.y..z", "Next": "d"}])
        )),
        vec![(
            Code::InvalidPath,
            "States.c.Choices[0].NumericLessThanPath".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.t", "TimestampEquals": "2026-01-01 00:00:00Z", "Next": "d"}])
        )),
        vec![(
            Code::InvalidTimestamp,
            "States.c.Choices[0].TimestampEquals".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$.s", "StringMatches": "a\\b", "Next": "d"}])
        )),
        vec![(
            Code::InvalidChoiceRule,
            "States.c.Choices[0].StringMatches".to_string()
        )]
    );
    assert_eq!(
        errors(machine(
            json!([{"Variable": "$$.Execution.Input.x", "StringMatches": "a\\*\\\\*", "Next": "d"}])
        )),
        vec![]
    );
}

#[test]
fn a_choice_without_default_is_a_warning() {
    let definition = json!({"StartAt": "c", "States": {
        "c": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "d"}]},
        "d": {"Type": "Succeed"}
    }});
    let found = problems(definition.clone());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Warning);
    assert_eq!(found[0].1, Code::ChoiceWithoutDefault);
    assert_eq!(found[0].2, "States.c");
    assert!(check_value(&definition).diagnostics.is_valid());
}

#[test]
fn text_that_looks_like_a_path_where_none_is_read_is_a_warning() {
    let definition = json!({"StartAt": "p", "States": {
        "p": {"Type": "Pass", "Parameters": {"id": "$.order.id", "ok.$": "$.x",
                "nested": {"at": "$$.Execution.StartTime", "note": "costs $5"},
                "list": ["States.Format('{}', $.a)"]},
              "Next": "r"},
        "r": {"Type": "Pass", "Result": {"a": {"b.$": "$.c"}, "plain": "$.d"}, "Next": "c"},
        "c": {"Type": "Choice", "Default": "d", "Choices": [
            {"Variable": "$.s", "StringEquals": "$.other", "Next": "d"},
            {"Variable": "$.s", "StringEquals": "$ off", "Next": "d"}
        ]},
        "d": {"Type": "Succeed"}
    }});
    let found: Vec<(Severity, Code, String)> = problems(definition.clone())
        .into_iter()
        .map(|(severity, code, location, _)| (severity, code, location))
        .collect();
    let warning = |code, location: &str| (Severity::Warning, code, location.to_string());
    assert_eq!(
        found,
        vec![
            warning(Code::NoDollar, "States.p.Parameters.id"),
            warning(Code::NoDollar, "States.p.Parameters.nested.at"),
            warning(Code::PassResultIsStatic, "States.r.Result.a['b.$']"),
            warning(Code::NoPath, "States.c.Choices[0].StringEquals"),
        ]
    );
    assert!(check_value(&definition).diagnostics.is_valid());
    // A path where a timestamp belongs is refused, and the warning says
    // which operator was meant.
    let timestamp = with_state(json!({"Type": "Choice", "Default": "d", "Choices": [
        {"Variable": "$.t", "TimestampLessThan": "$$.Execution.StartTime", "Next": "d"}
    ]}));
    let found: Vec<(Severity, Code)> = problems(timestamp)
        .into_iter()
        .filter(|(.., location, _)| location.ends_with("TimestampLessThan"))
        .map(|(severity, code, ..)| (severity, code))
        .collect();
    assert_eq!(
        found,
        [
            (Severity::Error, Code::InvalidTimestamp),
            (Severity::Warning, Code::NoPath)
        ]
    );
    let messages: Vec<String> = problems(definition)
        .into_iter()
        .map(|(.., message)| message)
        .collect();
    assert!(messages[0].contains("`id.$`"), "{}", messages[0]);
    assert!(
        messages[3].contains("`StringEqualsPath`"),
        "{}",
        messages[3]
    );
}

#[test]
fn states_all_stands_alone_and_last() {
    let retry = |list: Value| with_state(task(json!({"Retry": list})));
    assert_eq!(
        errors(retry(json!([{"ErrorEquals": ["States.ALL", "MyError"]}]))),
        vec![(
            Code::InvalidErrorHandling,
            "States.s.Retry[0].ErrorEquals[0]".to_string()
        )]
    );
    assert_eq!(
        errors(retry(
            json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["MyError"]}])
        )),
        vec![(
            Code::InvalidErrorHandling,
            "States.s.Retry[0].ErrorEquals[0]".to_string()
        )]
    );
    assert_eq!(
        errors(retry(json!([{"ErrorEquals": []}]))),
        vec![(
            Code::InvalidErrorHandling,
            "States.s.Retry[0].ErrorEquals".to_string()
        )]
    );
    // Names in the `States.` namespace are reserved: an unknown one is most
    // likely a typo, but AWS accepts it, so it is a warning.
    let found = problems(retry(json!([{"ErrorEquals": ["States.Timout"]}])));
    assert_eq!(found.len(), 1);
    let (severity, code, location, message) = &found[0];
    assert_eq!(
        (*severity, *code, location.as_str()),
        (
            Severity::Warning,
            Code::ReservedErrorName,
            "States.s.Retry[0].ErrorEquals[0]"
        )
    );
    assert!(
        message.ends_with("did you mean `States.Timeout`?"),
        "{message}"
    );
    let found = problems(retry(json!([{"ErrorEquals": ["States.RanOutOfTime"]}])));
    assert!(
        found[0]
            .3
            .ends_with("give your own errors names without that prefix"),
        "{}",
        found[0].3
    );

    let definition = json!({"StartAt": "s", "States": {
        "s": task(json!({"Catch": [
            {"ErrorEquals": ["States.ALL"], "Next": "f"},
            {"ErrorEquals": ["MyError"], "Next": "f"}
        ]})),
        "f": {"Type": "Fail"}
    }});
    assert_eq!(
        errors(definition),
        vec![(
            Code::InvalidErrorHandling,
            "States.s.Catch[0].ErrorEquals[0]".to_string()
        )]
    );
}

#[test]
fn retry_numbers_are_bounded() {
    let retry = |retrier: Value| with_state(task(json!({"Retry": [retrier]})));
    assert_eq!(
        only_error(retry(json!({"ErrorEquals": ["E"], "IntervalSeconds": 0}))),
        (
            Code::InvalidValue,
            "States.s.Retry[0].IntervalSeconds".to_string(),
            "IntervalSeconds is 0; it must be between 1 and 99999999".to_string()
        )
    );
    assert_eq!(
        only_error(retry(json!({"ErrorEquals": ["E"], "MaxAttempts": -1}))),
        (
            Code::WrongType,
            "States.s.Retry[0].MaxAttempts".to_string(),
            "`MaxAttempts` must not be negative".to_string()
        )
    );
    assert_eq!(
        only_error(retry(json!({"ErrorEquals": ["E"], "BackoffRate": 0.5}))).1,
        "States.s.Retry[0].BackoffRate"
    );
    assert_eq!(
        only_error(retry(
            json!({"ErrorEquals": ["E"], "MaxDelaySeconds": 31622401})
        ))
        .1,
        "States.s.Retry[0].MaxDelaySeconds"
    );
    assert_eq!(
        only_error(retry(
            json!({"ErrorEquals": ["E"], "JitterStrategy": "PARTIAL"})
        ))
        .0,
        Code::InvalidValue
    );
    assert_eq!(
        errors(retry(json!({
            "ErrorEquals": ["E"], "IntervalSeconds": 99999999, "MaxAttempts": 0,
            "BackoffRate": 1.0, "MaxDelaySeconds": 31622400, "JitterStrategy": "FULL"
        }))),
        vec![]
    );
}

#[test]
fn task_timeouts_are_bounded_and_heartbeat_is_below_timeout() {
    assert_eq!(
        only_error(with_state(task(
            json!({"TimeoutSeconds": 10, "HeartbeatSeconds": 10})
        ))),
        (
            Code::InvalidValue,
            "States.s.HeartbeatSeconds".to_string(),
            "HeartbeatSeconds (10) must be smaller than TimeoutSeconds (10)".to_string()
        )
    );
    assert_eq!(
        only_error(with_state(task(json!({"TimeoutSeconds": 0})))).1,
        "States.s.TimeoutSeconds"
    );
    assert_eq!(
        only_error(with_state(task(
            json!({"TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"})
        )))
        .0,
        Code::Conflict
    );
    assert_eq!(
        only_error(with_state(task(json!({"HeartbeatSecondsPath": "$.h[*]"})))).1,
        "States.s.HeartbeatSecondsPath"
    );
    assert_eq!(
        errors(with_state(task(
            json!({"TimeoutSecondsPath": "$.t", "HeartbeatSeconds": 5})
        ))),
        vec![]
    );
    assert_eq!(
        only_error(with_state(task(json!({"Resource": "my-activity"})))).1,
        "States.s.Resource"
    );
}

#[test]
fn wait_takes_exactly_one_field() {
    let (code, location, _) = only_error(with_state(json!({"Type": "Wait", "End": true})));
    assert_eq!((code, location.as_str()), (Code::MissingField, "States.s"));
    let (code, location, message) = only_error(with_state(
        json!({"Type": "Wait", "Seconds": 1, "TimestampPath": "$.t", "End": true}),
    ));
    assert_eq!(
        (code, location.as_str()),
        (Code::Conflict, "States.s.TimestampPath")
    );
    assert!(
        message.ends_with("found `Seconds` and `TimestampPath`"),
        "{message}"
    );
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Wait", "Timestamp": "tomorrow", "End": true})
        ))
        .0,
        Code::InvalidTimestamp
    );
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Wait", "Seconds": 100000000, "End": true})
        ))
        .1,
        "States.s.Seconds"
    );
    for good in [
        json!({"Type": "Wait", "Seconds": 5, "End": true}),
        json!({"Type": "Wait", "Timestamp": "2026-03-14T01:59:00Z", "End": true}),
        json!({"Type": "Wait", "SecondsPath": "$.s", "End": true}),
        json!({"Type": "Wait", "TimestampPath": "$$.Execution.Input.t", "End": true}),
    ] {
        assert_eq!(errors(with_state(good.clone())), vec![], "{good}");
    }
}

#[test]
fn fail_has_at_most_one_of_each_pair() {
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})
        )),
        (
            Code::Conflict,
            "States.s.ErrorPath".to_string(),
            "`Error` and `ErrorPath` exclude each other; keep one".to_string()
        )
    );
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Fail", "Cause": "C", "CausePath": "$.c"})
        ))
        .1,
        "States.s.CausePath"
    );
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Fail", "CausePath": "States.ArrayLength($.list)"})
        ))
        .0,
        Code::InvalidIntrinsic
    );
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Fail", "ErrorPath": "States.Formt('{}', $.e)"})
        ))
        .0,
        Code::InvalidIntrinsic
    );
    assert_eq!(
        errors(with_state(
            json!({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.JsonToString($.c)"})
        )),
        vec![]
    );
}

#[test]
fn paths_parse_and_reference_paths_stay_simple() {
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Pass", "InputPath": "$.a[", "End": true})
        ))
        .1,
        "States.s.InputPath"
    );
    assert_eq!(
        only_error(with_state(json!({"Type": "Pass", "ResultPath": "$.a[*]", "End": true}))),
        (
            Code::InvalidPath,
            "States.s.ResultPath".to_string(),
            "invalid path `$.a[*]`: a reference path names a single node, so it may use only `.name`, `['name']` and `[index]`, not a wildcard `*` (at character 3)".to_string()
        )
    );
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Pass", "ResultPath": "$$.Execution", "End": true})
        ))
        .1,
        "States.s.ResultPath"
    );
    assert_eq!(
        errors(with_state(json!({
            "Type": "Pass", "InputPath": "$.books[?(@.price < 10)]", "OutputPath": "$$.Execution.Input",
            "ResultPath": null, "End": true
        }))),
        vec![]
    );
}

#[test]
fn payload_templates_are_checked_field_by_field() {
    let found = errors(with_state(task(json!({
        "Parameters": {
            "ok.$": "$.a",
            "bad.$": "$.a[",
            "nested": {"list": [{"call.$": "States.Nope(1)"}]},
            "number.$": 3
        },
        "ResultSelector": [1]
    }))));
    assert_eq!(
        found,
        vec![
            (
                Code::InvalidPayload,
                "States.s.Parameters['bad.$']".to_string()
            ),
            (
                Code::InvalidPayload,
                "States.s.Parameters.nested.list[0]['call.$']".to_string()
            ),
            (
                Code::InvalidPayload,
                "States.s.Parameters['number.$']".to_string()
            ),
            (Code::InvalidPayload, "States.s.ResultSelector".to_string()),
        ]
    );
}

#[test]
fn intrinsic_calls_have_known_names_and_argument_counts() {
    let found = problems(with_state(json!({
        "Type": "Pass",
        "Parameters": {"sum.$": "States.MathAdd($.a, $.b, $.c)"},
        "End": true
    })));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].2, "States.s.Parameters['sum.$']");
    assert!(found[0].3.contains("States.MathAdd"), "{}", found[0].3);
}

#[test]
fn map_fields_are_bounded_and_distributed_fields_need_distributed_mode() {
    let map = |extra: Value| {
        let mut state = json!({
            "Type": "Map",
            "ItemProcessor": {"StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}},
            "End": true
        });
        for (key, value) in extra.as_object().unwrap() {
            state[key] = value.clone();
        }
        with_state(state)
    };
    assert_eq!(
        only_error(map(json!({"ToleratedFailurePercentage": 101}))).1,
        "States.s.ToleratedFailurePercentage"
    );
    assert_eq!(
        only_error(map(json!({"MaxConcurrency": -1}))).1,
        "States.s.MaxConcurrency"
    );
    assert_eq!(
        only_error(map(json!({"ItemsPath": "$.items[*]"}))).1,
        "States.s.ItemsPath"
    );
    assert_eq!(
        only_error(map(json!({"Label": "images"}))),
        (
            Code::DistributedOnly,
            "States.s.Label".to_string(),
            "`Label` applies to a Distributed Map only; set `ItemProcessor.ProcessorConfig.Mode` to DISTRIBUTED".to_string()
        )
    );
    let found = problems(map(json!({"ToleratedFailureCount": 2})));
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0, found[0].1),
        (Severity::Warning, Code::DistributedOnly)
    );

    let distributed = |extra: Value| {
        let mut state = json!({
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}
            },
            "End": true
        });
        for (key, value) in extra.as_object().unwrap() {
            state[key] = value.clone();
        }
        with_state(state)
    };
    assert_eq!(
        errors(distributed(json!({
            "Label": "images",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 100},
                "Parameters": {"Bucket": "b", "Key.$": "$.key"}
            },
            "ItemBatcher": {"MaxItemsPerBatch": 10, "BatchInput": {"run.$": "$$.Execution.Name"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}},
            "ToleratedFailurePercentage": 5.5
        }))),
        vec![]
    );
    assert_eq!(
        only_error(distributed(json!({"Label": "a:b"}))).1,
        "States.s.Label"
    );
    assert_eq!(
        only_error(distributed(json!({"ItemBatcher": {"BatchInput": {}}}))).1,
        "States.s.ItemBatcher"
    );
    assert_eq!(
        only_error(distributed(
            json!({"ItemBatcher": {"MaxInputBytesPerBatch": 262145}})
        ))
        .1,
        "States.s.ItemBatcher.MaxInputBytesPerBatch"
    );
    assert_eq!(
        only_error(distributed(json!({"ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "CSVDelimiter": "PIPE"}
        }})))
        .1,
        "States.s.ItemReader.ReaderConfig.CSVDelimiter"
    );
    assert_eq!(
        only_error(distributed(json!({"ResultWriter": {}}))).1,
        "States.s.ResultWriter"
    );
    let no_type = with_state(json!({
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED"},
            "StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}
        },
        "End": true
    }));
    assert_eq!(
        only_error(no_type).1,
        "States.s.ItemProcessor.ProcessorConfig.ExecutionType"
    );
}

#[test]
fn legacy_map_spellings_are_understood() {
    let definition = with_state(json!({
        "Type": "Map",
        "Parameters": {"v.$": "$$.Map.Item.Value"},
        "Iterator": {"StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}},
        "End": true
    }));
    let checked = check_value(&definition);
    assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
    let machine = checked.machine.unwrap();
    let State::Map(map) = &machine.states["s"] else {
        panic!()
    };
    assert_eq!(map.item_selector, Some(json!({"v.$": "$$.Map.Item.Value"})));
    assert_eq!(map.item_processor.start_at, "i");
    let written = machine.to_value();
    assert!(written["States"]["s"].get("ItemProcessor").is_some());
    assert!(written["States"]["s"].get("ItemSelector").is_some());
    // AWS accepts an Iterator with a ProcessorConfig, inline or distributed.
    for config in [
        json!({"Mode": "INLINE"}),
        json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}),
    ] {
        let definition = with_state(json!({
            "Type": "Map",
            "ItemSelector": {"v.$": "$$.Map.Item.Value"},
            "Iterator": {"ProcessorConfig": config, "StartAt": "i", "States": {"i": pass_end()}},
            "End": true
        }));
        let checked = check_value(&definition);
        assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
        let State::Map(map) = &checked.machine.unwrap().states["s"] else {
            panic!()
        };
        assert_eq!(
            map.is_distributed(),
            config["Mode"] == "DISTRIBUTED",
            "{config}"
        );
    }
    assert_eq!(
        only_error(with_state(json!({
            "Type": "Map",
            "ItemSelector": {}, "Parameters": {},
            "ItemProcessor": {"StartAt": "i", "States": {"i": pass_end()}},
            "End": true
        })))
        .0,
        Code::Conflict
    );
}

#[test]
fn parallel_needs_branches() {
    assert_eq!(
        only_error(with_state(
            json!({"Type": "Parallel", "Branches": [], "End": true})
        ))
        .1,
        "States.s.Branches"
    );
}

#[test]
fn version_and_machine_timeout() {
    assert_eq!(
        only_error(json!({"StartAt": "s", "Version": "2.0", "States": {"s": pass_end()}})).1,
        "Version"
    );
    assert_eq!(
        only_error(json!({"StartAt": "s", "TimeoutSeconds": 0, "States": {"s": pass_end()}})).1,
        "TimeoutSeconds"
    );
}

#[test]
fn reading_and_validation_report_together_without_repeating_themselves() {
    let definition = json!({
        "StartAt": "a",
        "States": {
            "a": {"Type": "Pas", "Next": "b"},
            "b": {"Type": "Task", "Resource": "arn:x", "Nxt": "c", "ResultPath": "$.x["},
            "c": {"Type": "Succeed"}
        }
    });
    let found: Vec<_> = problems(definition)
        .into_iter()
        .map(|(_, code, location, message)| (code, location, message))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                Code::UnknownStateType,
                "States.a.Type".to_string(),
                "`Pas` is not a state type; expected one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map; did you mean `Pass`?".to_string()
            ),
            (
                Code::UnknownField,
                "States.b.Nxt".to_string(),
                "unknown field `Nxt` in a Task state; did you mean `Next`?".to_string()
            ),
            (
                Code::InvalidPath,
                "States.b.ResultPath".to_string(),
                "invalid path `$.x[`: unclosed `[` (at character 4)".to_string()
            ),
        ]
    );
}

#[test]
fn hand_built_machines_are_validated_the_same_way() {
    let machine = StateMachine::new("start")
        .state("start", Pass::new().next("check"))
        .state(
            "check",
            Choice::new().when(Condition::numeric("$.n", Operator::LessThan, 3), "strat"),
        );
    let found: Vec<_> = machine
        .validate()
        .into_iter()
        .map(|d| (d.code, d.location.to_string()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                Code::UnknownState,
                "States.check.Choices[0].Next".to_string()
            ),
            (Code::NoTerminalState, "States".to_string()),
            (Code::ChoiceWithoutDefault, "States.check".to_string()),
        ]
    );
}

#[test]
fn resources_are_arns_or_placeholders() {
    assert_eq!(
        errors(with_state(task(json!({"Resource": "${DDBPutItem}"})))),
        vec![]
    );
    assert_eq!(
        errors(with_state(task(
            json!({"Resource": "arn:${AWS::Partition}:states:::sqs:sendMessage"})
        ))),
        vec![]
    );
    assert_eq!(
        only_error(with_state(task(json!({"Resource": "${Half"})))).1,
        "States.s.Resource"
    );
    let (code, location, message) = only_error(with_state(task(
        json!({"Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2.sync"}),
    )));
    assert_eq!(
        (code, location.as_str()),
        (Code::InvalidValue, "States.s.Resource")
    );
    assert!(message.contains("`.sync`"), "{message}");
}

/// The errors of a definition checked as deployed, as `(code, location)`.
fn deployed_errors(definition: Value) -> Vec<(Code, String, String)> {
    check_value_as(&definition, DefinitionForm::Deployed)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.location.to_string(), d.message))
        .collect()
}

#[test]
fn lambda_function_arns_have_a_name_and_at_most_one_valid_qualifier() {
    for good in [
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        "arn:aws:lambda:us-east-1:123456789012:function:my-function_v2.0",
        "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
        "arn:aws:lambda:us-east-1:123456789012:function:f:7",
        "arn:aws:lambda:us-east-1:123456789012:function:f:PROD-blue_2",
        "arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live",
        // Placeholders a template's deployment fills are not judged.
        "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f",
        "arn:aws:lambda:us-east-1:123456789012:function:${Name}:${Alias}",
        // Service integrations and other services are not function ARNs.
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
    ] {
        assert_eq!(
            errors(with_state(task(json!({"Resource": good})))),
            vec![],
            "{good}"
        );
    }
    for (bad, fragment) in [
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:",
            "the version or alias after the function's name is empty",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:pr od",
            "an alias of 1 to 128 letters, digits, `-` and `_`",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:v1.2",
            "an alias of 1 to 128 letters",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:$latest",
            "`$LATEST`",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
            "at most one version or alias",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:",
            "the function's name is missing",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f/g",
            "1 to 64 letters, digits, `-`, `_` and `.`",
        ),
    ] {
        let (code, location, message) = only_error(with_state(task(json!({"Resource": bad}))));
        assert_eq!(
            (code, location.as_str()),
            (Code::InvalidValue, "States.s.Resource"),
            "{bad}"
        );
        assert!(
            message.starts_with(&format!("`{bad}` is not a valid resource ARN: ")),
            "{bad}: {message}"
        );
        assert!(message.contains(fragment), "{bad}: {message}");
        // The same in either form.
        assert_eq!(
            deployed_errors(with_state(task(json!({"Resource": bad})))).len(),
            1,
            "{bad}"
        );
    }
    let long = format!(
        "arn:aws:lambda:us-east-1:123456789012:function:f:{}",
        "a".repeat(129)
    );
    assert_eq!(
        only_error(with_state(task(json!({"Resource": long})))).1,
        "States.s.Resource"
    );
    let huge = format!(
        "arn:aws:lambda:us-east-1:123456789012:function:{}",
        "f".repeat(1 << 20)
    );
    let (_, _, message) = only_error(with_state(task(json!({"Resource": huge}))));
    assert!(message.len() < 400, "{}", message.len());
    assert!(
        message.contains("characters) is not a valid resource ARN"),
        "{message}"
    );
}

#[test]
fn deployed_definitions_hold_no_placeholder_in_a_resource() {
    for templated in [
        "${DDBPutItem}",
        "arn:${AWS::Partition}:states:::sqs:sendMessage",
        "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f",
        "arn:aws:states:us-east-1:123456789012:activity:${Name}",
        "arn:aws:lambda:us-east-1:123456789012:function:f:${Alias}",
    ] {
        let definition = with_state(task(json!({"Resource": templated})));
        // A template takes them: its deployment fills them.
        assert_eq!(errors(definition.clone()), vec![], "{templated}");
        let found = deployed_errors(definition);
        assert_eq!(found.len(), 1, "{templated}: {found:?}");
        let (code, location, message) = &found[0];
        assert_eq!(
            (*code, location.as_str()),
            (Code::InvalidValue, "States.s.Resource")
        );
        assert!(
            message.starts_with(&format!(
                "`{templated}` is not a valid resource ARN: the placeholder"
            )),
            "{message}"
        );
    }
    // Elsewhere `${...}` is text, which Step Functions takes as it is.
    assert_eq!(
        deployed_errors(json!({
            "Comment": "fills ${Table}",
            "StartAt": "s",
            "States": {"s": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "${Table}", "Item": {"id": {"S": "${Id}"}}},
                "End": true
            }}
        })),
        vec![]
    );
    // A Distributed Map's reader is a Resource too.
    let reader = json!({"StartAt": "m", "States": {"m": {
        "Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::${Service}:getObject", "Parameters": {"Bucket": "b", "Key": "k"}},
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}
        },
        "End": true
    }}});
    assert_eq!(errors(reader.clone()), vec![]);
    assert_eq!(
        deployed_errors(reader)
            .iter()
            .map(|(_, location, _)| location.as_str())
            .collect::<Vec<_>>(),
        ["States.m.ItemReader.Resource"]
    );
}

#[test]
fn credentials_name_exactly_one_role() {
    assert_eq!(
        errors(with_state(task(
            json!({"Credentials": {"RoleArn": "arn:aws:iam::1:role/r"}})
        ))),
        vec![]
    );
    assert_eq!(
        errors(with_state(task(
            json!({"Credentials": {"RoleArn.$": "States.Format('arn:aws:iam::{}:role/r', $.account)"}})
        ))),
        vec![]
    );
    assert_eq!(
        only_error(with_state(task(json!({"Credentials": {}})))),
        (
            Code::MissingField,
            "States.s.Credentials".to_string(),
            "Credentials holds exactly one of `RoleArn` and `RoleArn.$`: the IAM role the task assumes".to_string()
        )
    );
    assert_eq!(
        errors(with_state(task(
            json!({"Credentials": {"RoleArn": "r", "Extra": 1}})
        ))),
        vec![(Code::UnknownField, "States.s.Credentials.Extra".to_string())]
    );
}

#[test]
fn reserved_error_names_raised_by_fail_states_are_warnings() {
    let definition = json!({"StartAt": "p", "States": {
        "p": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "f", "States": {"f": {"Type": "Fail", "Error": "States.QuorumMet"}}}],
            "Catch": [{"ErrorEquals": ["States.QuorumMet"], "Next": "done"}],
            "End": true
        },
        "done": {"Type": "Succeed"}
    }});
    let found = problems(definition);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|(severity, code, ..)| *severity == Severity::Warning
                && *code == Code::ReservedErrorName)
    );
    let locations: Vec<_> = found.iter().map(|found| found.2.as_str()).collect();
    assert!(
        locations.contains(&"States.p.Catch[0].ErrorEquals[0]"),
        "{locations:?}"
    );
    assert!(
        locations.contains(&"States.p.Branches[0].States.f.Error"),
        "{locations:?}"
    );
}

#[test]
fn processor_and_reader_settings_fit_their_mode() {
    let inline_with_type = with_state(json!({
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"ExecutionType": "STANDARD"},
            "StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}
        },
        "End": true
    }));
    assert_eq!(
        only_error(inline_with_type).1,
        "States.s.ItemProcessor.ProcessorConfig.ExecutionType"
    );
    let given_without_headers = with_state(json!({
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}
        },
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "i", "States": {"i": {"Type": "Pass", "End": true}}
        },
        "End": true
    }));
    assert_eq!(
        only_error(given_without_headers),
        (
            Code::MissingField,
            "States.s.ItemReader.ReaderConfig.CSVHeaders".to_string(),
            "with `\"CSVHeaderLocation\": \"GIVEN\"`, `CSVHeaders` lists the column names"
                .to_string()
        )
    );
}

/// A JSONata machine around one state, named `s`.
/// A state that goes to `done` gets a Succeed state of that name.
fn jsonata_state(state: Value) -> Value {
    let mut machine = json!({"QueryLanguage": "JSONata", "StartAt": "s", "States": {"s": state}});
    if machine.to_string().contains("\"done\"") {
        machine["States"]["done"] = json!({"Type": "Succeed"});
    }
    machine
}

#[test]
fn valid_jsonata_definitions_pass() {
    let definitions = [
        jsonata_state(task(json!({
            "Arguments": {"id": "{% $states.input.id %}", "at": "{% $states.context.State.EnteredTime %}"},
            "Output": "{% $states.result.Payload %}",
            "Assign": {"total": "{% $sum($states.result.Payload.lines.price) %}", "fixed": 3},
            "TimeoutSeconds": "{% $states.input.timeout %}",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Assign": {"error": "{% $states.errorOutput.Error %}"}, "Next": "s"}]
        }))),
        jsonata_state(json!({"Type": "Choice", "Choices": [
            {"Condition": "{% $total > 100 %}", "Assign": {"big": true}, "Output": {"n": "{% $total %}"}, "Next": "done"}
        ], "Default": "done", "Assign": {"big": false}})),
        jsonata_state(json!({"Type": "Map", "Items": "{% $states.input.lines %}",
            "ItemSelector": {"value": "{% $states.context.Map.Item.Value %}"},
            "MaxConcurrency": "{% 2 %}",
            "ItemProcessor": {"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}},
            "End": true})),
        jsonata_state(json!({"Type": "Wait", "Seconds": "{% $delay %}", "End": true})),
        jsonata_state(json!({"Type": "Fail", "Error": "{% $states.input.e %}", "Cause": "{% 'c' %}"})),
        // Variables in a JSONPath machine: Assign with paths, and a JSONata
        // state among JSONPath ones.
        with_state(json!({"Type": "Pass", "Assign": {"count.$": "$.n", "at.$": "$$.State.EnteredTime", "copied.$": "$count", "literal": "$x"}, "Next": "t"}))
            .as_object()
            .map(|machine| {
                let mut machine = machine.clone();
                machine["States"]["t"] = json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $count %}", "End": true});
                Value::Object(machine)
            })
            .unwrap(),
    ];
    for definition in definitions {
        let all = problems(definition.clone());
        assert!(
            all.iter()
                .all(|(severity, ..)| *severity != Severity::Error),
            "{definition}: {all:#?}"
        );
    }
}

#[test]
fn a_jsonata_expression_that_does_not_parse_is_located_with_its_character() {
    let (code, location, message) = only_error(jsonata_state(
        json!({"Type": "Pass", "Output": {"a": [1, "{% $states.input.( %}"]}, "End": true}),
    ));
    assert_eq!(code, Code::InvalidExpression);
    assert_eq!(location, "States.s.Output.a[1]");
    assert!(
        message.starts_with("`$states.input.(` is not a JSONata expression: S0"),
        "{message}"
    );
    assert!(message.contains("at character"), "{message}");
}

#[test]
fn expressions_read_only_what_step_functions_gives_them_there() {
    let cases = [
        (
            json!({"Type": "Pass", "Output": "{% $$.Execution.Id %}", "End": true}),
            "States.s.Output",
            "`$$`",
        ),
        (
            json!({"Type": "Pass", "Output": {"x": "{% order.id %}"}, "End": true}),
            "States.s.Output.x",
            "a path without a variable",
        ),
        (
            json!({"Type": "Pass", "Output": "{% $states.result %}", "End": true}),
            "States.s.Output",
            "`$states.result`",
        ),
        (
            task(json!({"Arguments": {"r": "{% $states.result %}"}})),
            "States.s.Arguments.r",
            "`$states.result`",
        ),
        (
            task(json!({"Output": "{% $states.errorOutput %}"})),
            "States.s.Output",
            "`$states.errorOutput`",
        ),
        (
            json!({"Type": "Choice", "Choices": [{"Condition": "{% $states.result.ok %}", "Next": "done"}], "Default": "done"}),
            "States.s.Choices[0].Condition",
            "`$states.result`",
        ),
        (
            json!({"Type": "Wait", "Seconds": "{% $states.errorOutput %}", "End": true}),
            "States.s.Seconds",
            "`$states.errorOutput`",
        ),
    ];
    for (state, at, says) in cases {
        let (code, location, message) = only_error(jsonata_state(state.clone()));
        assert_eq!(
            (code, location.as_str()),
            (Code::InvalidExpression, at),
            "{state}"
        );
        assert!(message.contains(says), "{state}: {message}");
    }
    // `$eval` is not offered: a warning, as the definition is accepted and
    // fails when it runs.
    let all = problems(jsonata_state(
        json!({"Type": "Pass", "Output": "{% $eval('1') %}", "End": true}),
    ));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].0, Severity::Warning);
    assert!(all[0].3.contains("$eval"));
}

#[test]
fn assign_names_variables_as_the_language_allows() {
    let found = errors(jsonata_state(json!({"Type": "Pass", "Assign": {
        "ok_name": 1, "1st": 2, "states": 3, "with-dash": 4, "x.$": 5,
        "bad": "{% ( %}"
    }, "End": true})));
    assert_eq!(
        found,
        [
            (Code::InvalidVariable, "States.s.Assign.1st".to_string()),
            (Code::InvalidVariable, "States.s.Assign.states".to_string()),
            (
                Code::InvalidVariable,
                "States.s.Assign.with-dash".to_string()
            ),
            (Code::InvalidVariable, "States.s.Assign['x.$']".to_string()),
            (Code::InvalidExpression, "States.s.Assign.bad".to_string()),
        ]
    );
    // In JSONPath, `name.$` takes a path, which must parse.
    let found = errors(with_state(json!({"Type": "Pass", "Assign": {
        "fine.$": "$.a", "broken.$": "$.[", "9lives": 1
    }, "End": true})));
    assert_eq!(
        found,
        [
            (Code::InvalidVariable, "States.s.Assign.9lives".to_string()),
            (
                Code::InvalidPayload,
                "States.s.Assign['broken.$']".to_string()
            ),
        ]
    );
}

#[test]
fn a_model_built_in_rust_keeps_each_field_to_its_query_language() {
    let machine = StateMachine::new("a")
        .state(
            "a",
            Task::new("arn:aws:states:::lambda:invoke")
                .query_language(QueryLanguage::Jsonata)
                .parameters(json!({"x.$": "$.x"}))
                .result_path("$.r")
                .next("b"),
        )
        .state(
            "b",
            Pass::new()
                .output(json!({"x": "{% $states.input.x %}"}))
                .next("c"),
        )
        .state(
            "c",
            Task::new("arn:aws:states:::lambda:invoke")
                .timeout_seconds_expression("$states.input.t")
                .end(),
        );
    let found: Vec<(Code, String)> = machine
        .validate()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.location.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (Code::WrongQueryLanguage, "States.a.Parameters".to_string()),
            (Code::WrongQueryLanguage, "States.a.ResultPath".to_string()),
            (Code::WrongQueryLanguage, "States.b.Output".to_string()),
            (
                Code::WrongQueryLanguage,
                "States.c.TimeoutSeconds".to_string()
            ),
        ]
    );
}

#[test]
fn a_distributed_maps_items_do_not_see_the_variables_around_it() {
    let map = |inner: Value| {
        json!({"StartAt": "set", "States": {
            "set": {"Type": "Pass", "Assign": {"rate": 3, "bucket": "b"}, "Next": "each"},
            "each": {"Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "p", "States": inner
                },
                "End": true}
        }})
    };
    let warnings = |definition: Value| -> Vec<String> {
        problems(definition)
            .into_iter()
            .filter(|(severity, code, ..)| {
                *severity == Severity::Warning && *code == Code::UnassignedVariable
            })
            .map(|(_, _, location, message)| format!("{location}: {message}"))
            .collect()
    };
    // Read in a JSONPath template and in a JSONata expression: one warning
    // each, where the variable is read.
    let found = warnings(map(
        json!({"p": {"Type": "Pass", "Parameters": {"r.$": "$rate"}, "End": true}}),
    ));
    assert_eq!(
        found,
        [
            "States.each.ItemProcessor.States.p.Parameters['r.$']: `$rate` is assigned outside the \
          Distributed Map `each`, whose items run as child executions that start without the \
          variables around them: pass its value to the items with ItemSelector"
        ]
    );
    let found = warnings(map(
        json!({"p": {"Type": "Pass", "QueryLanguage": "JSONata",
        "Output": "{% $bucket & $states.input %}", "End": true}}),
    ));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            "States.each.ItemProcessor.States.p.Output: `$bucket` is assigned outside"
        )
    );
    // Assigned inside the items by an earlier state, or a literal string:
    // nothing.
    let found = warnings(map(json!({
        "p": {"Type": "Pass", "Assign": {"rate": 1}, "Next": "q"},
        "q": {"Type": "Pass", "Parameters": {"note": "$rate", "r.$": "States.Format('{}', $rate)"}, "End": true}
    })));
    assert!(found.is_empty(), "{found:#?}");
    // Assigned by the reading state itself: its Parameters read the
    // variables as they were when it was entered, before its Assign.
    let found = warnings(map(json!({"p": {"Type": "Pass", "Assign": {"rate": 1},
        "Parameters": {"r.$": "States.Format('{}', $rate)"}, "End": true}})));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains(
            "`$rate` may be read before any state assigns it: `p` starts its Map iteration"
        ),
        "{found:#?}"
    );
}

#[test]
fn states_read_whole_is_what_the_state_offers() {
    let machine = |output: &str| {
        json!({
            "QueryLanguage": "JSONata",
            "StartAt": "t",
            "States": {
                "t": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Output": output, "Next": "p"}],
                    "End": true
                },
                "p": {"Type": "Pass", "Output": "{% $states %}", "End": true}
            }
        })
    };
    // AWS accepts `$states` whole in a catcher and a Pass state: it holds
    // what they offer.
    assert_eq!(errors(machine("{% $states %}")), []);
    assert_eq!(errors(machine("{% $keys($states) %}")), []);
    // A field named outright that is not offered is still refused.
    let refused = errors(machine("{% $states.result %}"));
    assert_eq!(
        refused,
        [(
            Code::InvalidExpression,
            "States.t.Catch[0].Output".to_string()
        )]
    );
}
