//! The checks of `variable_flow.rs` (variables read before any state
//! assigns them, and names a branch or iteration assigns again) and of
//! JSONata function calls.

use serde_json::{Value, json};

use super::*;
use crate::diagnostic::{Code, Severity};

/// `(severity, code, location, message)` of every problem of `code`.
fn found(definition: Value, code: Code) -> Vec<(Severity, String, String)> {
    check_value(&definition)
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| (d.severity, d.location.to_string(), d.message))
        .collect()
}

fn unassigned(definition: Value) -> Vec<(String, String)> {
    found(definition, Code::UnassignedVariable)
        .into_iter()
        .map(|(severity, location, message)| {
            assert_eq!(severity, Severity::Warning, "{location}: {message}");
            (location, message)
        })
        .collect()
}

fn calls(definition: Value) -> Vec<(String, String)> {
    found(definition, Code::InvalidFunctionCall)
        .into_iter()
        .map(|(severity, location, message)| {
            assert_eq!(severity, Severity::Warning, "{location}: {message}");
            (location, message)
        })
        .collect()
}

/// A JSONata machine of `states`, starting at `start`.
fn jsonata(start: &str, states: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states})
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(location, message)| (location.to_string(), message.to_string()))
        .collect()
}

#[test]
fn a_read_on_one_branch_of_a_choice_before_the_assignment() {
    let definition = jsonata(
        "start",
        json!({
            "start": {"Type": "Pass", "Next": "check"},
            "check": {"Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.big %}", "Next": "compute",
                    "Assign": {"note": "big"}}],
                "Default": "report"},
            "compute": {"Type": "Pass", "Assign": {"total": 10}, "Next": "report"},
            "report": {"Type": "Pass", "Output": {"total": "{% $total %}", "note": "{% $note %}"}, "End": true}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[
            (
                "States.report.Output.total",
                "`$total` may be read before any state assigns it: the path `start` → `check` → \
                 `report` reaches this state without assigning it"
            ),
            (
                "States.report.Output.note",
                "`$note` may be read before any state assigns it: the path `start` → `check` → \
                 `report` reaches this state without assigning it"
            ),
        ])
    );
}

#[test]
fn every_path_assigning_first_is_no_problem() {
    // Through the rule (its Assign) and through Default (the state's own).
    let definition = jsonata(
        "check",
        json!({
            "check": {"Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.big %}", "Next": "report",
                    "Assign": {"size": "big"}}],
                "Default": "report",
                "Assign": {"size": "small"}},
            "report": {"Type": "Pass", "Output": "{% $size %}", "Assign": {"size": "{% $size & '!' %}"}, "Next": "again"},
            "again": {"Type": "Pass", "Output": "{% $size %}", "End": true}
        }),
    );
    assert_eq!(unassigned(definition.clone()), []);
    assert!(check_value(&definition).diagnostics.is_empty());
}

#[test]
fn a_loop_assigning_at_its_end_reads_too_early_the_first_time() {
    let definition = jsonata(
        "start",
        json!({
            "start": {"Type": "Pass", "Next": "body"},
            "body": {"Type": "Pass", "Output": "{% $count + 1 %}", "Next": "step"},
            "step": {"Type": "Pass", "Assign": {"count": "{% $states.input %}"}, "Next": "more"},
            "more": {"Type": "Choice",
                "Choices": [{"Condition": "{% $count < 3 %}", "Next": "body"}],
                "Default": "done"},
            "done": {"Type": "Succeed"}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[(
            "States.body.Output",
            "`$count` may be read before any state assigns it: the path `start` → `body` \
             reaches this state without assigning it"
        )])
    );
}

#[test]
fn a_variable_assigned_only_by_a_catcher() {
    let definition = jsonata(
        "work",
        json!({
            "work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "report",
                    "Assign": {"failure": "{% $states.errorOutput %}"}}],
                "Next": "report"},
            "report": {"Type": "Pass", "Output": "{% $failure %}", "End": true}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[(
            "States.report.Output",
            "`$failure` may be read before any state assigns it: the path `work` → `report` \
             reaches this state without assigning it"
        )])
    );
    // Read by the catcher's own Output: it is not assigned yet either.
    let definition = jsonata(
        "work",
        json!({
            "work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "done",
                    "Output": "{% $failure %}",
                    "Assign": {"failure": "{% $states.errorOutput %}"}}],
                "Next": "done"},
            "done": {"Type": "Succeed"}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[(
            "States.work.Catch[0].Output",
            "`$failure` may be read before any state assigns it: `work` starts the state \
             machine; a state's fields read the variables as they were when it was entered, \
             before its own Assign"
        )])
    );
}

#[test]
fn a_states_assign_does_not_see_its_own_new_values() {
    let definition = jsonata(
        "a",
        json!({
            "a": {"Type": "Pass", "Assign": {"x": 1, "y": "{% $x + 1 %}"}, "End": true}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[(
            "States.a.Assign.y",
            "`$x` may be read before any state assigns it: `a` starts the state machine; a \
             state's fields read the variables as they were when it was entered, before its own \
             Assign"
        )])
    );
}

#[test]
fn a_variable_assigned_in_a_parallel_branch_is_not_seen_after_it() {
    let definition = jsonata(
        "p",
        json!({
            "p": {"Type": "Parallel",
                "Branches": [
                    {"StartAt": "x", "States": {
                        "x": {"Type": "Pass", "Assign": {"part": 1}, "Next": "y"},
                        "y": {"Type": "Pass", "Output": "{% $part %}", "End": true}
                    }},
                    {"StartAt": "z", "States": {
                        "z": {"Type": "Pass", "Output": "{% $part %}", "End": true}
                    }}
                ],
                "Output": "{% $part %}",
                "Next": "after"},
            "after": {"Type": "Pass", "Output": "{% $part %}", "End": true}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[
            (
                "States.p.Output",
                "`$part` is assigned only inside the Parallel state `p`, whose assignments stay \
                 in its branches: return it through Output"
            ),
            (
                "States.after.Output",
                "`$part` is assigned only inside the Parallel state `p`, whose assignments stay \
                 in its branches: return it through Output"
            ),
            (
                "States.p.Branches[1].States.z.Output",
                "`$part` is assigned only in another branch of the Parallel state `p`: a branch \
                 sees the variables assigned before `p` and its own, not those of the other \
                 branches"
            ),
        ])
    );
}

#[test]
fn a_read_in_a_branch_follows_the_path_to_the_parallel_state() {
    // Assigned at the top level, but only after the Parallel state: its
    // branches start without it.
    let definition = jsonata(
        "start",
        json!({
            "start": {"Type": "Pass", "Next": "p"},
            "p": {"Type": "Parallel",
                "Branches": [{"StartAt": "b", "States": {
                    "b": {"Type": "Pass", "Next": "c"},
                    "c": {"Type": "Pass", "Output": "{% $late %}", "End": true}
                }}],
                "Next": "set"},
            "set": {"Type": "Pass", "Assign": {"late": 1}, "Next": "done"},
            "done": {"Type": "Succeed"}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[(
            "States.p.Branches[0].States.c.Output",
            "`$late` may be read before any state assigns it: the path `start` → `p` → `b` → \
             `c` reaches this state without assigning it"
        )])
    );
}

#[test]
fn inline_map_iterations_see_the_variables_around_them_and_distributed_ones_do_not() {
    let map = |mode: &str| {
        jsonata(
            "set",
            json!({
                "set": {"Type": "Pass", "Assign": {"rate": 3, "items": [1, 2]}, "Next": "each"},
                "each": {"Type": "Map",
                    "Items": "{% $items %}",
                    "ItemSelector": {"value": "{% $states.context.Map.Item.Value * $rate %}"},
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": mode, "ExecutionType": "STANDARD"},
                        "StartAt": "p",
                        "States": {"p": {"Type": "Pass", "Output": "{% $rate * $states.input.value %}", "End": true}}
                    },
                    "End": true}
            }),
        )
    };
    // Items and ItemSelector are read around the Map in both modes.
    assert_eq!(unassigned(map("INLINE")), []);
    assert_eq!(
        unassigned(map("DISTRIBUTED")),
        pairs(&[(
            "States.each.ItemProcessor.States.p.Output",
            "`$rate` is assigned outside the Distributed Map `each`, whose items run as child \
             executions that start without the variables around them: pass its value to the \
             items with ItemSelector"
        )])
    );
}

#[test]
fn jsonpath_reads_of_variables_are_checked_too() {
    let definition = json!({"StartAt": "start", "States": {
        "start": {"Type": "Pass", "Next": "check"},
        "check": {"Type": "Choice",
            "Choices": [{"Variable": "$limit", "NumericGreaterThanPath": "$floor", "Next": "use",
                "Assign": {"floor.$": "$.floor"}}],
            "Default": "use"},
        "use": {"Type": "Pass",
            "Parameters": {"sum.$": "States.MathAdd($base, $.x)", "text": "$base is literal"},
            "OutputPath": "$out",
            "End": true}
    }});
    assert_eq!(
        unassigned(definition),
        pairs(&[
            (
                "States.check.Choices[0].Variable",
                "no state assigns the variable `$limit`"
            ),
            (
                "States.check.Choices[0].NumericGreaterThanPath",
                "`$floor` may be read before any state assigns it: the path `start` → `check` \
                 reaches this state without assigning it; a state's fields read the variables \
                 as they were when it was entered, before its own Assign"
            ),
            (
                "States.use.Parameters['sum.$']",
                "no state assigns the variable `$base`"
            ),
            (
                "States.use.OutputPath",
                "no state assigns the variable `$out`"
            ),
        ])
    );
}

#[test]
fn an_unknown_variable_gets_a_suggestion() {
    let definition = jsonata(
        "set",
        json!({
            "set": {"Type": "Pass", "Assign": {"total": 1}, "Next": "use"},
            "use": {"Type": "Pass", "Output": "{% $totl %}", "End": true}
        }),
    );
    assert_eq!(
        unassigned(definition),
        pairs(&[(
            "States.use.Output",
            "no state assigns the variable `$totl`; did you mean `$total`?"
        )])
    );
}

#[test]
fn a_branch_assigning_an_outer_name_is_warned() {
    let definition = jsonata(
        "set",
        json!({
            "set": {"Type": "Pass", "Assign": {"count": 0}, "Next": "p"},
            "p": {"Type": "Parallel",
                "Branches": [{"StartAt": "b", "States": {
                    "b": {"Type": "Pass", "Assign": {"count": 1, "own": 2}, "End": true}
                }}],
                "Next": "m"},
            "m": {"Type": "Map",
                "ItemProcessor": {"StartAt": "i", "States": {
                    "i": {"Type": "Pass", "Assign": {"count": "{% $count + 1 %}"}, "End": true}
                }},
                "End": true}
        }),
    );
    let found = found(definition, Code::InvalidVariable);
    assert_eq!(
        found,
        [
            (
                Severity::Warning,
                "States.p.Branches[0].States.b.Assign.count".to_string(),
                "the branch assigns `$count`, which the enclosing scope also assigns: the new \
                 value stays within this branch"
                    .to_string()
            ),
            (
                Severity::Warning,
                "States.m.ItemProcessor.States.i.Assign.count".to_string(),
                "the iteration assigns `$count`, which the enclosing scope also assigns: the new \
                 value stays within this iteration"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn unreachable_states_and_states_reads_are_left_alone() {
    let definition = jsonata(
        "a",
        json!({
            "a": {"Type": "Pass", "Output": "{% $states.input %}", "End": true},
            "lost": {"Type": "Pass", "Output": "{% $nowhere %}", "End": true}
        }),
    );
    assert_eq!(unassigned(definition), []);
}

#[test]
fn unknown_functions_and_argument_counts() {
    let definition = jsonata(
        "a",
        json!({
            "a": {"Type": "Pass", "Output": {
                "typo": "{% $lenght($states.input.name) %}",
                "many": "{% $substring('abc', 1, 1, 1) %}",
                "few": "{% $join() %}",
                "partial": "{% $substring(?, 1, 2, 3)('abcdef') %}",
                "own": "{% ($f := function($a) { $a }; $f(1, 2)) %}",
                "lambda": "{% $map([1], function($v, $i) { $v + $i }) %}",
                "context": "{% $states.input.name.$uppercase() %}",
                "chained": "{% $states.input.name ~> $substring(1) %}",
                "é": "{% 'é' & $nope() %}"
            }, "End": true}
        }),
    );
    assert_eq!(
        calls(definition),
        pairs(&[
            (
                "States.a.Output.typo",
                "unknown function `$lenght`; did you mean `$length`? (at character 2 of the \
                 expression)"
            ),
            (
                "States.a.Output.many",
                "`$substring` takes 2 to 3 arguments, given 4 (at character 2 of the expression)"
            ),
            (
                "States.a.Output.few",
                "`$join` takes 1 to 2 arguments, given 0 (at character 2 of the expression)"
            ),
            (
                "States.a.Output.partial",
                "`$substring` takes 2 to 3 arguments, given 4 in a partial application, which \
                 ignores the extra ones (at character 2 of the expression)"
            ),
            (
                "States.a.Output.é",
                "unknown function `$nope`: neither JSONata nor Step Functions has it, the \
                 expression does not define it, and a workflow variable holds JSON, not a \
                 function (at character 8 of the expression)"
            ),
        ])
    );
}

#[test]
fn step_functions_functions_take_their_own_arguments() {
    let output = |expression: &str| {
        jsonata(
            "a",
            json!({"a": {"Type": "Pass", "Output": format!("{{% {expression} %}}"), "End": true}}),
        )
    };
    for fine in [
        "$partition([1, 2, 3], 2)",
        "$range(0, 10, 2)",
        "$hash('a', 'SHA-256')",
        "$random()",
        "$random(7)",
        "$uuid()",
        "$parse('{}')",
    ] {
        assert_eq!(calls(output(fine)), [], "{fine}");
    }
    for (wrong, says) in [
        (
            "$partition([1, 2, 3])",
            "`$partition` takes 2 arguments, given 1",
        ),
        ("$range(0, 10)", "`$range` takes 3 arguments, given 2"),
        ("$hash('a')", "`$hash` takes 2 arguments, given 1"),
        ("$random(1, 2)", "`$random` takes 0 to 1 arguments, given 2"),
        ("$uuid(1)", "`$uuid` takes no arguments, given 1"),
        ("$parse()", "`$parse` takes 1 argument, given 0"),
    ] {
        let found = calls(output(wrong));
        assert_eq!(found.len(), 1, "{wrong}: {found:?}");
        assert!(found[0].1.starts_with(says), "{wrong}: {found:?}");
    }
}

#[test]
fn a_called_name_is_a_function_problem_not_a_variable_one() {
    let definition = jsonata(
        "a",
        json!({"a": {"Type": "Pass", "Output": "{% $formatt($states.input) %}", "End": true}}),
    );
    assert_eq!(calls(definition.clone()).len(), 1);
    assert_eq!(unassigned(definition), []);
}

#[test]
fn many_states_and_variables_stay_fast() {
    // A chain of 10,000 states, each assigning a variable of its own and
    // reading the next state's, in a loop: every read but the last is
    // reported, and the check is linear enough to finish at once.
    let count = 10_000;
    let mut states = serde_json::Map::new();
    for index in 0..count {
        let next = if index + 1 == count {
            json!({"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Next": "s0"}], "Default": "end"})
        } else {
            json!({"Type": "Pass",
                "Assign": {format!("v{index}"): index},
                "Output": format!("{{% $v{} %}}", index + 1),
                "Next": format!("s{}", index + 1)})
        };
        states.insert(format!("s{index}"), next);
    }
    states.insert("end".into(), json!({"Type": "Succeed"}));
    let definition = jsonata("s0", Value::Object(states));
    let started = std::time::Instant::now();
    let found = unassigned(definition);
    assert_eq!(found.len(), count - 1);
    assert_eq!(
        found[0],
        (
            "States.s0.Output".to_string(),
            "`$v1` may be read before any state assigns it: `s0` starts the state machine"
                .to_string()
        )
    );
    assert_eq!(
        found[9_000].1,
        "`$v9001` may be read before any state assigns it: the path `s0` → … → `s8995` → `s8996` → \
         `s8997` → `s8998` → `s8999` → `s9000` reaches this state without assigning it"
    );
    // The last Pass state reads a name no state assigns.
    assert!(
        found[count - 2].1.starts_with(&format!(
            "no state assigns the variable `$v{}`; did you mean",
            count - 1
        )),
        "{:?}",
        found[count - 2]
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn deeply_nested_scopes_stay_fast_and_their_paths_short() {
    // Parallel states nested 60 deep, each branch reading a variable that
    // the top level assigns only after the outermost Parallel state.
    let depth = 60;
    let mut inner = json!({"StartAt": "leaf", "States": {
        "leaf": {"Type": "Pass", "Output": "{% $late %}", "End": true}
    }});
    for level in (0..depth).rev() {
        inner = json!({"StartAt": format!("r{level}"), "States": {
            format!("r{level}"): {"Type": "Pass", "Output": "{% $late %}", "Next": format!("p{level}")},
            format!("p{level}"): {"Type": "Parallel", "Branches": [inner], "End": true}
        }});
    }
    let mut definition = inner;
    definition["QueryLanguage"] = json!("JSONata");
    let states = definition["States"].as_object_mut().unwrap();
    states["p0"]["End"] = json!(null);
    states["p0"].as_object_mut().unwrap().remove("End");
    states["p0"]["Next"] = json!("set");
    states.insert(
        "set".into(),
        json!({"Type": "Pass", "Assign": {"late": 1}, "End": true}),
    );
    let started = std::time::Instant::now();
    let found = unassigned(definition);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(found.len(), depth + 1);
    let (location, message) = &found[depth];
    assert!(location.ends_with(".States.leaf.Output"), "{location}");
    assert_eq!(
        message,
        "`$late` may be read before any state assigns it: the path `r0` → `p0` → … → `p54` → \
         `r55` → `p55` → `r56` → `p56` → `r57` → `p57` → `r58` → `p58` → `r59` → `p59` \
         → `leaf` reaches this state without assigning it"
    );
}
