//! Proptest strategies of state machines the local engine will run, mostly
//! valid and hostile in what they do: loops of Pass and Choice states that
//! never wait, Wait states of up to three years, Parameters and ItemSelector
//! templates nested deep or copying their input over and over, intrinsic
//! functions that build large data, Parallel and Map states (inline and
//! distributed) holding such states, Tasks on a Lambda function whose
//! handler fails, sleeps, or answers too large or too deep, with Retry and
//! Catch; and inputs to run them on.
//!
//! Built on sfini-core's strategies (`sfini-core/tests/support/strategies.rs`,
//! included beside this file as `strategies`), shared by
//! `tests/fuzz_engine.rs` and the cargo-fuzz target `engine`.
#![allow(dead_code)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value, json};
use sfini_runtime::local::EngineLimits;

use crate::engine_check::{LAMBDA, engine_limits};
use crate::strategies::{
    HOSTILE_CALLS, HOSTILE_PATHS, definition_value, document, expression, hostile_json,
    hostile_template, json_value, nest,
};

/// Paths that name something in [`engine_input`]s, or nothing.
const PATHS: &[&str] = &[
    "$",
    "$.a",
    "$.a.a",
    "$.items",
    "$.n",
    "$.t",
    "$.s",
    "$.x",
    "$.b[0]",
    "$.missing",
    "$$.Execution.Input",
    "$$.State.Name",
    "$..*",
    "$.items[*]",
];

/// Reference paths for ResultPath.
const RESULT_PATHS: &[&str] = &["$", "$.r", "$.a.b", "$.items", "$.n", "$.r.r.r"];

/// What a field holding a path or call may hold.
fn field_expression() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(PATHS).prop_map(str::to_string),
        2 => select(HOSTILE_PATHS).prop_map(str::to_string),
        2 => select(HOSTILE_CALLS).prop_map(str::to_string),
        1 => expression(),
    ]
    .boxed()
}

/// A payload template for Parameters, ItemSelector or ResultSelector.
fn template() -> BoxedStrategy<Value> {
    let simple = (vec(field_expression(), 1..4)).prop_map(|expressions| {
        Value::Object(
            expressions
                .into_iter()
                .enumerate()
                .map(|(index, expression)| (format!("f{index}.$"), Value::String(expression)))
                .collect(),
        )
    });
    // Mostly within the depth `serde_json` reads definitions to.
    let deep = (field_expression(), 0usize..130, any::<bool>()).prop_map(
        |(expression, levels, siblings)| nest(json!({ "x.$": expression }), levels, siblings),
    );
    let handler = select(
        &[
            r#"{"fail": true}"#,
            r#"{"sleep": 3600}"#,
            r#"{"sleep": 1, "fail": 1}"#,
            r#"{"big": 300000}"#,
            r#"{"big": 1000}"#,
            r#"{"deep": 100000}"#,
            r#"{"deep": 100}"#,
            r#"{"big.$": "$.n"}"#,
            r#"{"deep.$": "$.n"}"#,
            r#"{"Payload.$": "$"}"#,
        ][..],
    )
    .prop_map(|text| serde_json::from_str(text).expect("JSON"));
    prop_oneof![3 => simple, 2 => hostile_template(), 1 => deep, 2 => handler].boxed()
}

/// How a state goes on: to the state after it, to any state of its scope
/// by index (backwards too, which makes loops), or to its end.
#[derive(Clone, Debug)]
enum Go {
    Following,
    To(Index),
    End,
}

fn go() -> BoxedStrategy<Go> {
    prop_oneof![
        3 => Just(Go::Following),
        2 => any::<Index>().prop_map(Go::To),
        1 => Just(Go::End),
    ]
    .boxed()
}

/// Everything one state may be made of; which parts are used depends on
/// its kind.
#[derive(Clone, Debug)]
struct Parts {
    kind: usize,
    go: Go,
    other: Index,
    template: Option<Value>,
    expression: String,
    path: &'static str,
    result_path: Option<&'static str>,
    number: u64,
    result: Value,
    retry: Option<(u64, u64, f64)>,
    catch: bool,
    flag: bool,
}

fn parts() -> BoxedStrategy<Parts> {
    (
        (0usize..10, go(), any::<Index>(), option::of(template())),
        (
            field_expression(),
            select(PATHS),
            option::of(select(RESULT_PATHS)),
            prop_oneof![
                select(&[0u64, 1, 2, 3, 60, 3600, 99_999_999][..]),
                0u64..100
            ],
        ),
        (
            json_value(),
            option::of((0u64..4, 0u64..100, select(&[1.0, 2.0, 1.5][..]))),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (kind, go, other, template),
                (expression, path, result_path, number),
                (result, retry, catch, flag),
            )| Parts {
                kind,
                go,
                other,
                template,
                expression,
                path,
                result_path,
                number,
                result,
                retry,
                catch,
                flag,
            },
        )
        .boxed()
}

/// Builds a scope (`StartAt` and `States`) of states from their parts,
/// their names starting with `prefix` (names are unique machine-wide);
/// `inner` holds the parts of the scopes Parallel and Map states may hold
/// (none at the deepest level, where those kinds become Pass states).
fn scope(prefix: &str, all: &[Parts], inner: &[Vec<Parts>]) -> Value {
    let count = all.len();
    let name = |index: usize| format!("{prefix}{index}");
    let target = |index: &Index| name(index.index(count));
    let mut states = Map::new();
    for (position, parts) in all.iter().enumerate() {
        let mut state = Map::new();
        let mut set = |key: &str, value: Value| {
            state.insert(key.to_string(), value);
        };
        let kind = match parts.kind {
            5 | 6 if inner.is_empty() => 0,
            kind => kind,
        };
        let mut transitions = true;
        match kind {
            // Pass
            0 | 1 => {
                set("Type", json!("Pass"));
                if let Some(template) = &parts.template {
                    set("Parameters", template.clone());
                } else if parts.flag {
                    set("Result", parts.result.clone());
                }
            }
            // Choice
            2 => {
                set("Type", json!("Choice"));
                let test = match parts.number % 6 {
                    0 => json!({"Variable": parts.path, "IsPresent": parts.flag}),
                    1 => json!({"Variable": parts.path, "NumericLessThan": 10}),
                    2 => json!({"Variable": parts.path, "StringMatches": "*a*b*"}),
                    3 => json!({"Not": {"Variable": parts.path, "IsNumeric": true}}),
                    4 => json!({"And": [
                        {"Variable": parts.path, "IsPresent": true},
                        {"Variable": parts.path, "IsString": parts.flag}
                    ]}),
                    _ => json!({"Variable": parts.path, "BooleanEquals": true}),
                };
                let mut rule = test;
                rule["Next"] = json!(target(&parts.other));
                set("Choices", json!([rule]));
                let default = match &parts.go {
                    Go::Following => name(position + 1),
                    Go::To(index) => target(index),
                    Go::End => name(count),
                };
                set("Default", json!(default));
                transitions = false;
            }
            // Wait
            3 => {
                set("Type", json!("Wait"));
                match parts.number % 4 {
                    0 => set("Seconds", json!(parts.number)),
                    1 => set("SecondsPath", json!(parts.path)),
                    2 => set(
                        "Timestamp",
                        json!(if parts.flag {
                            "2024-01-02T00:00:00Z"
                        } else {
                            "2027-01-01T00:00:00Z"
                        }),
                    ),
                    _ => set("TimestampPath", json!(parts.path)),
                }
            }
            // Task
            4 | 7 => {
                set("Type", json!("Task"));
                set(
                    "Resource",
                    json!(if kind == 4 || parts.flag {
                        LAMBDA.to_string()
                    } else {
                        format!("{LAMBDA}-missing")
                    }),
                );
                if let Some(template) = &parts.template {
                    set("Parameters", template.clone());
                }
                if parts.number % 3 == 0 {
                    set("TimeoutSeconds", json!(1 + parts.number % 100));
                }
            }
            // Parallel
            5 => {
                set("Type", json!("Parallel"));
                let branches: Vec<Value> = inner
                    .iter()
                    .take(1 + parts.number as usize % 3)
                    .enumerate()
                    .map(|(branch, states)| {
                        scope(&format!("{prefix}{position}_{branch}_"), states, &[])
                    })
                    .collect();
                set("Branches", Value::Array(branches));
                if let Some(template) = &parts.template {
                    set("ResultSelector", template.clone());
                }
            }
            // Map
            6 => {
                set("Type", json!("Map"));
                set("ItemsPath", json!(parts.path));
                if let Some(template) = &parts.template {
                    set("ItemSelector", template.clone());
                }
                let states = &inner[parts.number as usize % inner.len()];
                let mut processor = scope(&format!("{prefix}{position}_"), states, &[]);
                if parts.flag {
                    processor["ProcessorConfig"] =
                        json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
                }
                set("ItemProcessor", processor);
                set("MaxConcurrency", json!(parts.number % 5));
                if parts.number % 4 == 1 {
                    set("ToleratedFailurePercentage", json!(50));
                }
            }
            // Fail
            8 => {
                set("Type", json!("Fail"));
                if parts.flag {
                    set("ErrorPath", json!(parts.expression));
                    set("CausePath", json!(parts.path));
                } else {
                    set("Error", json!("Fuzz.Failed"));
                    set("Cause", json!("failed on purpose"));
                }
                transitions = false;
            }
            // Succeed
            _ => {
                set("Type", json!("Succeed"));
                transitions = false;
            }
        }
        if kind != 2 && kind < 8 && parts.number % 5 == 2 {
            set("InputPath", json!(parts.path));
        }
        if let Some(result_path) = parts.result_path
            && !matches!(kind, 2 | 3 | 8 | 9)
        {
            set("ResultPath", json!(result_path));
        }
        if (4..=7).contains(&kind) {
            if let Some((attempts, interval, backoff)) = parts.retry {
                set(
                    "Retry",
                    json!([{
                        "ErrorEquals": ["States.ALL"],
                        "MaxAttempts": attempts,
                        "IntervalSeconds": interval,
                        "BackoffRate": backoff
                    }]),
                );
            }
            if parts.catch {
                set(
                    "Catch",
                    json!([{"ErrorEquals": ["States.ALL"], "Next": target(&parts.other), "ResultPath": "$.error"}]),
                );
            }
        }
        if transitions {
            match &parts.go {
                Go::Following => set("Next", json!(name(position + 1))),
                Go::To(index) => set("Next", json!(target(index))),
                Go::End => set("End", json!(true)),
            }
        }
        states.insert(name(position), Value::Object(state));
    }
    // Where Choice states go to end.
    states.insert(name(count), json!({"Type": "Succeed"}));
    keep_reachable(&mut states, &name(0));
    // A scope needs a way to end: the first state that goes on to another
    // ends instead, until one is reached.
    let ends = |state: &Value| {
        state["End"] == json!(true) || matches!(state["Type"].as_str(), Some("Succeed" | "Fail"))
    };
    while !states.values().any(ends) {
        let Some(state) = states
            .values_mut()
            .find(|state| state.get("Next").is_some())
        else {
            break;
        };
        let object = state.as_object_mut().expect("a state");
        object.remove("Next");
        object.insert("End".into(), json!(true));
        keep_reachable(&mut states, &name(0));
    }
    json!({"StartAt": name(0), "States": states})
}

/// Removes the states that no transition from `start` leads to, which
/// would make the definition invalid.
fn keep_reachable(states: &mut Map<String, Value>, start: &str) {
    let mut reached = std::collections::BTreeSet::new();
    let mut pending = vec![start.to_string()];
    while let Some(name) = pending.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let Some(state) = states.get(&name) else {
            continue;
        };
        let mut targets = vec![&state["Next"], &state["Default"]];
        for list in ["Choices", "Catch"] {
            if let Some(rules) = state[list].as_array() {
                targets.extend(rules.iter().map(|rule| &rule["Next"]));
            }
        }
        pending.extend(
            targets
                .into_iter()
                .filter_map(Value::as_str)
                .map(str::to_string),
        );
    }
    states.retain(|name, _| reached.contains(name));
}

/// A definition the engine runs: states whose Parallel branches and Map
/// processors hold states of their own, one level down; sometimes with a
/// timeout; sometimes any definition-like JSON (which the engine mostly
/// refuses).
pub fn runnable_definition() -> BoxedStrategy<Value> {
    let inner = vec(vec(parts(), 1..4), 1..4);
    let made =
        (vec(parts(), 1..7), inner, option::of(0u64..1_000)).prop_map(|(outer, inner, timeout)| {
            let mut definition = scope("s", &outer, &inner);
            if let Some(timeout) = timeout {
                definition["TimeoutSeconds"] = json!(1 + timeout);
            }
            definition
        });
    prop_oneof![9 => made, 1 => definition_value()].boxed()
}

/// An input: small data, data the paths above find things in (with keys
/// the Lambda handler acts on), or hostile data (which the engine refuses
/// when it is over its limits).
pub fn engine_input() -> BoxedStrategy<Value> {
    let shaped = (
        json_value(),
        0u64..20,
        select(
            &[
                "2024-01-01T00:00:01Z",
                "9999-12-31T23:59:59Z",
                "soon",
                "2023-12-31T00:00:00Z",
            ][..],
        ),
        vec(json_value(), 0..20),
        option::of(select(&["fail", "big", "deep", "sleep"][..])),
    )
        .prop_map(|(a, n, t, items, op)| {
            let mut input =
                json!({"a": a, "n": n, "t": t, "items": items, "s": "aab", "x": [1, 2]});
            if let Some(op) = op {
                input[op] = json!(n * 1_000);
            }
            input
        });
    prop_oneof![
        1 => json_value(),
        1 => Just(document()),
        4 => shaped,
        1 => hostile_json(),
    ]
    .boxed()
}

/// Small engine limits, often reached.
pub fn small_engine_limits() -> BoxedStrategy<EngineLimits> {
    (
        prop_oneof![select(&[2u32, 10, 100, 500, 2_000][..]), any::<u32>()],
        prop_oneof![select(&[100usize, 4_096, 65_535][..]), any::<usize>()],
        prop_oneof![select(&[1usize, 2, 16, 100, 256][..]), any::<usize>()],
        prop_oneof![select(&[0u64, 100, 10_000, 100_000][..]), any::<u64>()],
        any::<usize>(),
    )
        .prop_map(|(history, payload, depth, steps, memory)| {
            engine_limits(history, payload, depth, steps, memory)
        })
        .boxed()
}

/// JSONata expressions a generated state may hold: reads of `$states` and
/// of the variables the states assign (`x`, `y`), values that grow when a
/// loop repeats them, values of the wrong kind for where they are used, and
/// hostile ones that recurse, build large data or run long.
const JSONATA_EXPRESSIONS: &[&str] = &[
    "$states.input",
    "$states.input.a",
    "$states.input.items",
    "$count($states.input.items)",
    "$states.context.State.Name",
    "$x",
    "$y",
    "$x + 1",
    "$x < 10",
    "$exists($x) ? $x : 0",
    "{'x': $x, 'input': $states.input}",
    "[$x, $y]",
    "$append($y, $y)",
    "$string($y) & $string($y)",
    "$random()",
    "$uuid()",
    "'text'",
    "null",
    "true",
    "$states.input.missing",
    "$parse($string($states.input))",
    "( $f := function($n) { $f($n + 1) }; $f(0) )",
    "( $w := function($g) { $g($g) }; $w($w) )",
    "$count([1..100000000])",
    "$join($map([1..100000], function($i) { 'xxxxxxxx' }))",
    "$pad('', 1000000, 'x')",
    "$replace($pad('', 100000, 'a'), 'a', $pad('', 1000, 'b'))",
    "$split($pad('', 100000, 'x'), '')",
    "$sort($reverse([1..100000]))",
    "$reduce([1..100000], function($acc, $v) { [$acc] }, [])",
    "$eval('1')",
];

fn jsonata_expression() -> BoxedStrategy<String> {
    select(JSONATA_EXPRESSIONS)
        .prop_map(|text| format!("{{% {text} %}}"))
        .boxed()
}

/// One generated JSONata state, its kind, expressions and where it goes.
#[derive(Clone, Debug)]
struct JsonataParts {
    kind: usize,
    output: Option<String>,
    assign: Vec<(bool, String)>,
    other: String,
    next: Index,
}

fn jsonata_parts() -> BoxedStrategy<JsonataParts> {
    (
        0usize..7,
        option::of(jsonata_expression()),
        vec((any::<bool>(), jsonata_expression()), 0..3),
        jsonata_expression(),
        any::<Index>(),
    )
        .prop_map(|(kind, output, assign, other, next)| JsonataParts {
            kind,
            output,
            assign,
            other,
            next,
        })
        .boxed()
}

/// A scope of JSONata states named `{prefix}0`... run in order, the last
/// ending it; a Choice loops back to any of them, a catcher goes on to the
/// next (or back to the first); a Map or Parallel state holds a scope of
/// `inner` states (one level deep).
fn jsonata_scope(prefix: &str, all: &[JsonataParts], inner: &[JsonataParts]) -> Value {
    let count = all.len();
    let name = |index: usize| format!("{prefix}{index}");
    let mut states = Map::new();
    for (position, parts) in all.iter().enumerate() {
        let last = position + 1 == count;
        let mut state = Map::new();
        let assign: Map<String, Value> = parts
            .assign
            .iter()
            .map(|(first, value)| {
                let variable = if *first { "x" } else { "y" };
                (variable.to_string(), json!(value))
            })
            .collect();
        let kind = match parts.kind {
            4 | 5 if inner.is_empty() => 0,
            2 if last => 0,
            kind => kind,
        };
        let nested = |kind: &str| {
            let prefix = format!("{prefix}{position}{kind}");
            jsonata_scope(&prefix, inner, &[])
        };
        match kind {
            0 | 1 => {
                state.insert("Type".into(), json!("Pass"));
            }
            2 => {
                state.insert("Type".into(), json!("Choice"));
                state.insert(
                    "Choices".into(),
                    json!([{"Condition": parts.other, "Next": name(parts.next.index(count))}]),
                );
                state.insert("Default".into(), json!(name(position + 1)));
            }
            3 => {
                state.insert("Type".into(), json!("Wait"));
                state.insert("Seconds".into(), json!(parts.other));
            }
            4 => {
                let processor = nested("m");
                state.insert("Type".into(), json!("Map"));
                state.insert("Items".into(), json!(parts.other));
                state.insert(
                    "ItemProcessor".into(),
                    json!({"StartAt": processor["StartAt"], "States": processor["States"]}),
                );
            }
            5 => {
                let branch = nested("p");
                state.insert("Type".into(), json!("Parallel"));
                state.insert(
                    "Branches".into(),
                    json!([{"StartAt": branch["StartAt"], "States": branch["States"]}]),
                );
            }
            _ => {
                state.insert("Type".into(), json!("Task"));
                state.insert("Resource".into(), json!(LAMBDA));
                state.insert("Arguments".into(), json!(parts.other));
                state.insert(
                    "Catch".into(),
                    json!([{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": name((position + 1) % count)}]),
                );
            }
        }
        if let Some(output) = &parts.output {
            state.insert("Output".into(), json!(output));
        }
        if !assign.is_empty() {
            state.insert("Assign".into(), Value::Object(assign));
        }
        if kind != 2 {
            if last {
                state.insert("End".into(), json!(true));
            } else {
                state.insert("Next".into(), json!(name(position + 1)));
            }
        }
        states.insert(name(position), Value::Object(state));
    }
    json!({"QueryLanguage": "JSONata", "StartAt": name(0), "States": states})
}

/// A JSONata machine of up to six states, some holding a scope of up to
/// three, that loops, assigns variables and evaluates hostile expressions.
pub fn jsonata_definition() -> BoxedStrategy<Value> {
    (vec(jsonata_parts(), 1..7), vec(jsonata_parts(), 1..4))
        .prop_map(|(outer, inner)| jsonata_scope("s", &outer, &inner))
        .boxed()
}
