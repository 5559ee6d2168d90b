//! JSONata states and workflow variables on the local engine: outputs,
//! the variables each state sees, the histories AWS records for them
//! (`assignedVariables`, `EvaluationFailed`), and failures in AWS's words.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::clock::Clock;
use sfini_runtime::local::{EngineLimits, LocalEngine};
use time::OffsetDateTime;
use time::macros::datetime;

const START: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);
const ROLE: &str = "arn:aws:iam::123456789012:role/test";
const LAMBDA: &str = "arn:aws:states:::lambda:invoke";

fn engine() -> LocalEngine {
    LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .build()
}

async fn run_on(
    engine: &LocalEngine,
    definition: Value,
    input: Value,
) -> (DescribeExecutionOutput, Vec<HistoryEvent>) {
    static MACHINES: AtomicUsize = AtomicUsize::new(0);
    let name = format!("machine-{}", MACHINES.fetch_add(1, Ordering::Relaxed));
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name,
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|error| panic!("{error}"))
        .state_machine_arn;
    let execution = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine,
            input: Some(input.to_string()),
            ..Default::default()
        })
        .await
        .unwrap()
        .execution_arn;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    let events = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: execution,
            max_results: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .events;
    (done, events)
}

async fn run(definition: Value, input: Value) -> (DescribeExecutionOutput, Vec<HistoryEvent>) {
    run_on(&engine(), definition, input).await
}

fn output(done: &DescribeExecutionOutput) -> Value {
    let text = done
        .output
        .as_deref()
        .unwrap_or_else(|| panic!("no output: {:?} {:?}", done.error, done.cause));
    serde_json::from_str(text).unwrap()
}

fn types(events: &[HistoryEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|event| event.event_type().as_str())
        .collect()
}

/// The `assignedVariables` of each state exited, by state name, parsed.
fn assigned(events: &[HistoryEvent]) -> Vec<(String, Value)> {
    events
        .iter()
        .filter_map(|event| {
            let (_, details) = event.details.to_json()?;
            let variables = details.get("assignedVariables")?.as_object()?.clone();
            assert_eq!(
                details["assignedVariablesDetails"],
                json!({"truncated": false})
            );
            let parsed = variables
                .into_iter()
                .map(|(name, text)| {
                    let value: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
                    (name, value)
                })
                .collect();
            Some((details["name"].as_str()?.to_string(), Value::Object(parsed)))
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn variables_flow_between_jsonata_and_jsonpath_states() {
    let (done, events) = run(
        json!({"StartAt": "JSONataState", "States": {
            "JSONataState": {
                "Type": "Pass", "QueryLanguage": "JSONata",
                "Assign": {"theAnswerVar": "{% 40 + 2 %}"},
                "Output": {},
                "Next": "JSONPathState"
            },
            "JSONPathState": {
                "Type": "Pass",
                "Assign": {"oldAnswerVar.$": "$theAnswerVar", "theAnswerVar": 18},
                "Parameters": {"answer.$": "$theAnswerVar"},
                "Next": "Read"
            },
            "Read": {
                "Type": "Pass", "QueryLanguage": "JSONata",
                "Output": "{% {'old': $oldAnswerVar, 'new': $theAnswerVar, 'input': $states.input} %}",
                "End": true
            }
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    // Every expression of a state reads the variables as they were when it
    // was entered: the Parameters of the second state see 42, not 18.
    assert_eq!(
        output(&done),
        json!({"old": 42, "new": 18, "input": {"answer": 42}})
    );
    assert_eq!(
        assigned(&events),
        [
            ("JSONataState".to_string(), json!({"theAnswerVar": 42})),
            (
                "JSONPathState".to_string(),
                json!({"oldAnswerVar": 42, "theAnswerVar": 18})
            ),
        ]
    );
    // The text of each value is its JSON.
    let (_, details) = events[2].details.to_json().unwrap();
    assert_eq!(details["assignedVariables"], json!({"theAnswerVar": "42"}));
    assert_eq!(details["output"], json!("{}"));
    // A state that assigns nothing has no such members.
    let (_, read) = events[6].details.to_json().unwrap();
    assert_eq!(read["name"], "Read");
    assert!(read.get("assignedVariables").is_none());
}

#[tokio::test(start_paused = true)]
async fn an_expression_that_gives_nothing_fails_with_an_evaluation_failed_event() {
    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "State0", "States": {
            "State0": {"Type": "Pass", "Next": "State1"},
            "State1": {"Type": "Pass", "Next": "State2"},
            "State2": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": true}
        }}),
        json!({}),
    )
    .await;
    let cause = "An error occurred while executing the state 'State2' (entered at the event id #6). \
                 The JSONata expression '$doesNotExist' specified for the field 'Output/result' \
                 returned nothing (undefined).";
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.QueryEvaluationError"));
    assert_eq!(done.cause.as_deref(), Some(cause));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "EvaluationFailed",
            "ExecutionFailed"
        ]
    );
    // As AWS records it, the EvaluationFailed event follows the event
    // before the state was entered, and the execution's failure follows it.
    assert_eq!(
        (events[6].id, events[6].previous_event_id),
        (7, 5),
        "{events:#?}"
    );
    assert_eq!(events[7].previous_event_id, 7);
    let (member, details) = events[6].details.to_json().unwrap();
    assert_eq!(member, "evaluationFailedEventDetails");
    assert_eq!(
        details,
        json!({"error": "States.QueryEvaluationError", "cause": cause, "location": "Output/result", "state": "State2"})
    );
}

#[tokio::test(start_paused = true)]
async fn a_jsonata_task_reads_arguments_and_shapes_its_output_and_variables() {
    let engine = engine();
    engine.register_handler(LAMBDA, |input, _context| async move {
        let quantity = input["Payload"]["quantity"].as_i64().unwrap_or(0);
        Ok(json!({"Payload": {"price": quantity * 5, "currency": "EUR"}}))
    });
    let (done, events) = run_on(
        &engine,
        json!({"QueryLanguage": "JSONata", "StartAt": "Price", "States": {
            "Price": {
                "Type": "Task", "Resource": LAMBDA,
                "Arguments": {"FunctionName": "price", "Payload": {"quantity": "{% $sum($states.input.lines.quantity) %}"}},
                "TimeoutSeconds": "{% $count($states.input.lines) * 10 %}",
                "Output": {"order": "{% $states.input.id %}", "total": "{% $states.result.Payload.price %}"},
                "Assign": {"currency": "{% $states.result.Payload.currency %}", "lines": "{% $count($states.input.lines) %}"},
                "Next": "Report"
            },
            "Report": {
                "Type": "Pass",
                "Output": "{% $string($states.input.total) & ' ' & $currency & ' for ' & $lines & ' lines' %}",
                "End": true
            }
        }}),
        json!({"id": "o-1", "lines": [{"quantity": 2}, {"quantity": 3}]}),
    )
    .await;
    assert_eq!(output(&done), json!("25 EUR for 2 lines"));
    let scheduled = events
        .iter()
        .find(|event| event.event_type().as_str() == "TaskScheduled")
        .unwrap();
    let (_, details) = scheduled.details.to_json().unwrap();
    let parameters: Value = serde_json::from_str(details["parameters"].as_str().unwrap()).unwrap();
    assert_eq!(
        parameters,
        json!({"FunctionName": "price", "Payload": {"quantity": 5}})
    );
    assert_eq!(details["timeoutInSeconds"], json!(20));
    assert_eq!(
        assigned(&events),
        [("Price".to_string(), json!({"currency": "EUR", "lines": 2}))]
    );
}

#[tokio::test(start_paused = true)]
async fn a_matched_choice_rule_assigns_and_outputs_and_default_takes_the_states_own() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
        "Check": {
            "Type": "Choice",
            "Choices": [{
                "Condition": "{% $states.input.amount > 100 %}",
                "Assign": {"route": "review"},
                "Output": {"flagged": "{% $states.input.amount %}"},
                "Next": "Review"
            }],
            "Default": "Accept",
            "Assign": {"route": "accept"}
        },
        "Review": {"Type": "Pass", "Output": "{% {'route': $route, 'input': $states.input} %}", "End": true},
        "Accept": {"Type": "Pass", "Output": "{% {'route': $route, 'input': $states.input} %}", "End": true}
    }});
    let (done, events) = run(definition.clone(), json!({"amount": 250})).await;
    assert_eq!(
        output(&done),
        json!({"route": "review", "input": {"flagged": 250}})
    );
    assert_eq!(
        assigned(&events),
        [("Check".to_string(), json!({"route": "review"}))]
    );
    let (done, _) = run(definition, json!({"amount": 5})).await;
    assert_eq!(
        output(&done),
        json!({"route": "accept", "input": {"amount": 5}})
    );

    // A Condition that gives something other than a boolean fails the
    // state, located at the rule.
    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.amount %}", "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }}),
        json!({"amount": 3}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.QueryEvaluationError"));
    let (_, details) = events[2].details.to_json().unwrap();
    assert_eq!(details["location"], "Choices[0]/Condition");
}

#[tokio::test(start_paused = true)]
async fn a_catcher_sees_the_error_output_and_replaces_the_states_assignments() {
    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Work", "States": {
            "Work": {
                "Type": "Task", "Resource": LAMBDA,
                "Arguments": {"n": "{% $states.input.missing %}"},
                "Assign": {"result": "SUCCESS"},
                "Catch": [{
                    "ErrorEquals": ["States.ALL"],
                    "Assign": {"failed": "{% $states.errorOutput.Error %}", "was": "{% $states.input %}"},
                    "Output": {"error": "{% $states.errorOutput.Error %}", "input": "{% $states.input %}"},
                    "Next": "Fallback"
                }],
                "End": true
            },
            "Fallback": {"Type": "Pass", "Output": "{% {'out': $states.input, 'failed': $failed, 'result': $exists($result)} %}", "End": true}
        }}),
        json!({"id": 3}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!({"out": {"error": "States.QueryEvaluationError", "input": {"id": 3}}, "failed": "States.QueryEvaluationError", "result": false})
    );
    assert_eq!(
        types(&events)[..5],
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "EvaluationFailed",
            "TaskStateExited",
            "PassStateEntered"
        ]
    );
    assert_eq!(
        assigned(&events),
        [(
            "Work".to_string(),
            json!({"failed": "States.QueryEvaluationError", "was": {"id": 3}})
        )]
    );

    // With no Output, a JSONata catcher passes the error output on.
    let (done, _) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Fail", "States": {
            "Fail": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "f", "States": {"f": {"Type": "Fail", "Error": "Custom", "Cause": "{% 'because ' & $states.input.why %}"}}}],
                "Catch": [{"ErrorEquals": ["Custom"], "Next": "Done"}],
                "End": true
            },
            "Done": {"Type": "Succeed"}
        }}),
        json!({"why": "reasons"}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!({"Error": "Custom", "Cause": "because reasons"})
    );
}

#[tokio::test(start_paused = true)]
async fn branches_and_iterations_read_outer_variables_and_keep_their_own() {
    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Setup", "States": {
            "Setup": {"Type": "Pass", "Assign": {"x": 42, "factor": 10}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Items": "{% $states.input.values %}",
                "ItemSelector": {
                    "value": "{% $states.context.Map.Item.Value %}",
                    "index": "{% $states.context.Map.Item.Index %}"
                },
                "MaxConcurrency": "{% 1 + 1 %}",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Scale",
                    "States": {
                        "Scale": {"Type": "Pass", "Assign": {"x": "{% $states.input.value * $factor %}"}, "Next": "Read"},
                        "Read": {"Type": "Pass", "Output": "{% [$states.input.index, $x] %}", "End": true}
                    }
                },
                "Output": "{% {'results': $states.result} %}",
                "Next": "Both"
            },
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "Output": "{% $x %}", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% $x + $count($states.input.results) %}", "End": true}}}
                ],
                "Output": "{% {'branches': $states.result, 'x': $x} %}",
                "End": true
            }
        }}),
        json!({"values": [1, 2, 3]}),
    )
    .await;
    // Branch A's output reads x as the branch found it (42); its
    // assignment stays in the branch.
    assert_eq!(output(&done), json!({"branches": [42, 45], "x": 42}));
    let map_exit = assigned(&events);
    assert_eq!(
        map_exit[0],
        ("Setup".to_string(), json!({"x": 42, "factor": 10}))
    );
    let scaled: Vec<&Value> = map_exit
        .iter()
        .filter(|(name, _)| name == "Scale")
        .map(|(_, values)| &values["x"])
        .collect();
    assert_eq!(scaled.len(), 3);
    let results = events
        .iter()
        .find(|event| event.event_type().as_str() == "MapStateExited")
        .and_then(|event| event.details.to_json())
        .unwrap()
        .1;
    let output: Value = serde_json::from_str(results["output"].as_str().unwrap()).unwrap();
    assert_eq!(output, json!({"results": [[0, 10], [1, 20], [2, 30]]}));
}

#[tokio::test(start_paused = true)]
async fn waits_fail_states_and_settings_take_expressions() {
    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Wait", "States": {
            "Wait": {"Type": "Wait", "Seconds": "{% $states.input.delay * 2 %}", "Next": "Until"},
            "Until": {"Type": "Wait", "Timestamp": "{% $fromMillis($toMillis('2024-01-01T00:01:00Z')) %}", "Next": "Fail"},
            "Fail": {"Type": "Fail", "Error": "{% 'Too' & 'Late' %}", "Cause": "{% $string($states.input.delay) %}"}
        }}),
        json!({"delay": 15}),
    )
    .await;
    assert_eq!(
        (done.error.as_deref(), done.cause.as_deref()),
        (Some("TooLate"), Some("15"))
    );
    // 30 s of waiting, then until one minute past the start.
    let exited: Vec<i64> = events
        .iter()
        .filter(|event| event.event_type().as_str() == "WaitStateExited")
        .map(|event| (event.timestamp - START).whole_seconds())
        .collect();
    assert_eq!(exited, [30, 60]);

    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Wait", "States": {
            "Wait": {"Type": "Wait", "Seconds": "{% 'soon' %}", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.QueryEvaluationError"));
    let (_, details) = events[2].details.to_json().unwrap();
    assert_eq!(details["location"], "Seconds");
}

#[tokio::test(start_paused = true)]
async fn the_error_of_a_failing_function_keeps_its_code() {
    let (done, _) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Sum", "States": {
            "Sum": {"Type": "Pass", "Output": "{% $sum($states.input.words) %}", "End": true}
        }}),
        json!({"words": ["a", "b"]}),
    )
    .await;
    let cause = done.cause.unwrap();
    assert!(
        cause.starts_with(
            "An error occurred while executing the state 'Sum' (entered at the event id #2). \
             The JSONata expression '$sum($states.input.words)' specified for the field 'Output' \
             threw an error during evaluation. T0412"
        ),
        "{cause}"
    );
}

#[tokio::test(start_paused = true)]
async fn assignments_past_the_size_limits_fail_the_execution() {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(START))
        .limits(EngineLimits::default().payload_bytes(1024))
        .build();
    let (done, _) = run_on(
        &engine,
        json!({"QueryLanguage": "JSONata", "StartAt": "Big", "States": {
            "Big": {"Type": "Pass", "Assign": {"big": "{% $join($map([1..2000], function($i) { 'x' }), '') %}"}, "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(done.cause.unwrap().contains("'big'"));
    // Small values one by one pass; together in one Assign they do not.
    let (done, _) = run_on(
        &engine,
        json!({"QueryLanguage": "JSONata", "StartAt": "Two", "States": {
            "Two": {"Type": "Pass", "Assign": {
                "a": "{% $join($map([1..700], function($i) { 'x' }), '') %}",
                "b": "{% $join($map([1..700], function($i) { 'x' }), '') %}"
            }, "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[tokio::test(start_paused = true)]
async fn hostile_expressions_fail_their_state_and_the_engine_goes_on() {
    let engine = engine();
    let hostile = [
        // Unbounded recursion.
        "{% ( $f := function($x) { $f($x + 1) }; $f(0) ) %}",
        // A range far past what an evaluation may build.
        "{% $count([1..100000000]) %}",
        // A string doubled until it is huge.
        "{% ( $d := function($s, $n) { $n = 0 ? $s : $d($s & $s, $n - 1) }; $length($d('x', 40)) ) %}",
        // An infinite loop of sorts: a self-applying function.
        "{% ( $w := function($f) { $f($f) }; $w($w) ) %}",
    ];
    for expression in hostile {
        let (done, _) = run_on(
            &engine,
            json!({"QueryLanguage": "JSONata", "StartAt": "H", "States": {
                "H": {"Type": "Pass", "Output": expression, "End": true}
            }}),
            json!({}),
        )
        .await;
        assert_eq!(done.status, ExecutionStatus::Failed, "{expression}");
        assert_eq!(
            done.error.as_deref(),
            Some("States.QueryEvaluationError"),
            "{expression}: {:?}",
            done.cause
        );
    }
    // The engine still runs executions.
    let (done, _) = run_on(
        &engine,
        json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
            "P": {"Type": "Pass", "Output": "{% 1 + 1 %}", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(output(&done), json!(2));
}

#[tokio::test(start_paused = true)]
async fn a_jsonata_loop_with_variables_counts_down() {
    let (done, events) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"n": "{% $states.input.n %}", "sum": 0}, "Next": "Loop"},
            "Loop": {"Type": "Choice", "Choices": [{"Condition": "{% $n > 0 %}", "Next": "Step"}], "Default": "Done"},
            "Step": {"Type": "Pass", "Assign": {"sum": "{% $sum + $n %}", "n": "{% $n - 1 %}"}, "Next": "Loop"},
            "Done": {"Type": "Succeed", "Output": "{% $sum %}"}
        }}),
        json!({"n": 100}),
    )
    .await;
    assert_eq!(output(&done), json!(5050));
    assert_eq!(events.len(), 1 + 2 + 100 * 4 + 2 + 2 + 1);
}

#[tokio::test(start_paused = true)]
async fn random_values_and_the_clock_come_from_the_execution() {
    let (done, _) = run(
        json!({"QueryLanguage": "JSONata", "StartAt": "R", "States": {
            "R": {"Type": "Pass", "Output": "{% {'now': $now(), 'millis': $millis(), 'uuid': $length($uuid()), 'random': $random() < 1, 'seeded': $random(7) = $random(7)} %}", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!({"now": "2024-01-01T00:00:00.000Z", "millis": 1_704_067_200_000_i64, "uuid": 36, "random": true, "seeded": true})
    );
}

#[tokio::test(start_paused = true)]
async fn results_that_are_not_json_and_items_that_are_not_an_array_fail_the_state() {
    let cases = [
        (
            json!({"Type": "Pass", "Output": "{% function($x) { $x } %}", "End": true}),
            "Output",
        ),
        (
            json!({"Type": "Pass", "Assign": {"f": "{% $uppercase %}"}, "End": true}),
            "Assign/f",
        ),
        (
            json!({"Type": "Map", "Items": "{% $states.input.one %}",
                "ItemProcessor": {"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}},
                "End": true}),
            "Items",
        ),
    ];
    for (state, location) in cases {
        let (done, events) = run(
            json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": state}}),
            json!({"one": {"not": "an array"}}),
        )
        .await;
        assert_eq!(
            done.error.as_deref(),
            Some("States.QueryEvaluationError"),
            "{location}: {:?}",
            done.cause
        );
        let failed = events
            .iter()
            .find(|event| event.event_type().as_str() == "EvaluationFailed")
            .unwrap_or_else(|| panic!("{location}: no EvaluationFailed event"));
        let (_, details) = failed.details.to_json().unwrap();
        assert_eq!(details["location"], location, "{details}");
    }
}

#[tokio::test(start_paused = true)]
async fn jsonpath_states_read_variables_wherever_they_take_a_path() {
    let (done, events) = run(
        json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Result": {"items": [1, 2, 3], "wait": 5, "limit": 2, "answer": 42, "name": "Ada"},
                "Assign": {"items.$": "$.items", "wait.$": "$.wait", "limit.$": "$.limit", "answer.$": "$.answer", "name.$": "$.name", "order": {"id": 7}},
                "Next": "Read"},
            "Read": {"Type": "Pass", "InputPath": "$order",
                "Parameters": {"id.$": "$.id", "sum.$": "States.MathAdd($answer, $order.id)", "greeting.$": "States.Format('Hello {}', $name)"},
                "Next": "Wait"},
            "Wait": {"Type": "Wait", "SecondsPath": "$wait", "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrencyPath": "$limit",
                "ItemProcessor": {"StartAt": "Double", "States": {
                    "Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($, $answer)"}, "End": true}
                }},
                "ResultPath": "$.each",
                "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$answer", "NumericEqualsPath": "$.sum", "Next": "Wrong"}], "Default": "Out"},
            "Wrong": {"Type": "Fail", "ErrorPath": "$name", "CausePath": "States.Format('{} was wrong', $name)"},
            "Out": {"Type": "Pass", "OutputPath": "$", "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{:?}", done.cause);
    assert_eq!(
        output(&done),
        json!({"id": 7, "sum": 49, "greeting": "Hello Ada", "each": [{"n": 43}, {"n": 44}, {"n": 45}]})
    );
    // The wait read its seconds from a variable.
    let entered = events
        .iter()
        .find(|event| event.event_type().as_str() == "WaitStateEntered")
        .unwrap()
        .timestamp;
    let exited = events
        .iter()
        .find(|event| event.event_type().as_str() == "WaitStateExited")
        .unwrap()
        .timestamp;
    assert_eq!((exited - entered).whole_seconds(), 5);

    // ErrorPath and CausePath read variables too.
    let (done, _) = run(
        json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"name": "Grace"}, "Next": "Wrong"},
            "Wrong": {"Type": "Fail", "ErrorPath": "$name", "CausePath": "States.Format('{} was wrong', $name)"}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(
        (done.error.as_deref(), done.cause.as_deref()),
        (Some("Grace"), Some("Grace was wrong"))
    );

    // A variable never assigned is a path that matches nothing.
    let (done, _) = run(
        json!({"StartAt": "Read", "States": {
            "Read": {"Type": "Pass", "Parameters": {"x.$": "$never"}, "End": true}
        }}),
        json!({}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert!(done.cause.unwrap().contains("$never"));
}
