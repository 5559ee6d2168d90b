//! The local engine under hostile definitions and data: AWS's limits raised
//! as AWS raises them, data that cannot overflow a stack or exhaust memory,
//! and executions that cannot hold the runtime.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sfini_runtime::api::*;
use sfini_runtime::local::{EngineLimits, LocalEngine};

const ROLE: &str = "arn:aws:iam::123456789012:role/test";

async fn machine(engine: &LocalEngine, name: &str, definition: &Value) -> String {
    engine
        .create_state_machine(CreateStateMachineInput {
            name: name.into(),
            definition: definition.to_string(),
            role_arn: ROLE.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .state_machine_arn
}

async fn start_text(engine: &LocalEngine, machine: &str, input: String) -> String {
    engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.into(),
            input: Some(input),
            ..Default::default()
        })
        .await
        .unwrap()
        .execution_arn
}

async fn run(
    engine: &LocalEngine,
    definition: &Value,
    input: &Value,
) -> (DescribeExecutionOutput, String) {
    let machine = machine(engine, "machine", definition).await;
    let execution = start_text(engine, &machine, input.to_string()).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    (done, execution)
}

/// Every event of the history, over as many pages as it takes.
async fn history(engine: &LocalEngine, execution: &str) -> Vec<HistoryEvent> {
    let mut events = Vec::new();
    let mut next_token = None;
    loop {
        let page = engine
            .get_execution_history(GetExecutionHistoryInput {
                execution_arn: execution.into(),
                max_results: 1000,
                next_token,
                ..Default::default()
            })
            .await
            .unwrap();
        events.extend(page.events);
        next_token = page.next_token;
        if next_token.is_none() {
            return events;
        }
    }
}

fn cause(done: &DescribeExecutionOutput) -> &str {
    done.cause.as_deref().unwrap_or_default()
}

/// A cycle of a Pass and a Choice state, neither of which ever waits.
fn spinning() -> Value {
    json!({
        "StartAt": "spin",
        "States": {
            "spin": {"Type": "Pass", "Next": "again"},
            "again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": false, "Next": "spin"}],
                "Default": "done"
            },
            "done": {"Type": "Succeed"}
        }
    })
}

#[tokio::test]
async fn a_cycle_that_never_waits_fails_at_the_history_limit() {
    let engine = LocalEngine::new();
    let (done, execution) = run(&engine, &spinning(), &json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        cause(&done),
        "The execution reached the maximum number of history events (25000)."
    );
    let events = history(&engine, &execution).await;
    assert_eq!(events.len(), 25_000);
    // The failure is the 25,000th event; the one before it is the last the
    // machine itself made.
    let last = &events[24_999];
    assert_eq!(last.id, 25_000);
    assert_eq!(last.previous_event_id, 24_999);
    assert_eq!(last.event_type().as_str(), "ExecutionFailed");
    assert!(
        matches!(
            events[24_998].event_type().as_str(),
            "PassStateEntered" | "PassStateExited" | "ChoiceStateEntered" | "ChoiceStateExited"
        ),
        "{:?}",
        events[24_998].event_type()
    );
}

#[tokio::test]
async fn the_history_limit_is_configurable_and_counts_every_kind_of_event() {
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().history_events(50))
        .build();
    let (done, execution) = run(&engine, &spinning(), &json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        cause(&done),
        "The execution reached the maximum number of history events (50)."
    );
    assert_eq!(history(&engine, &execution).await.len(), 50);

    // A Parallel state's branches write to the same history.
    let parallel = json!({
        "StartAt": "both",
        "States": {"both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "a2"}, "a2": {"Type": "Pass", "End": true}}},
                {"StartAt": "b", "States": {"b": {"Type": "Pass", "End": true}}}
            ],
            "Next": "again"
        },
        "again": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.stop", "IsPresent": false, "Next": "both"}],
            "Default": "done"
        },
        "done": {"Type": "Succeed"}}
    });
    let machine = machine(&engine, "parallel", &parallel).await;
    let execution = start_text(&engine, &machine, "{}".into()).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    let events = history(&engine, &execution).await;
    assert_eq!(events.len(), 50);
    assert_eq!(events[49].event_type().as_str(), "ExecutionFailed");
    // Every event's id follows the one before.
    assert!(
        events
            .iter()
            .enumerate()
            .all(|(index, event)| event.id == index as i64 + 1)
    );
}

/// A loop whose Pass state nests its data `levels` deeper on each turn.
fn wrapping(levels: usize) -> Value {
    let mut parameters = json!({"d.$": "$"});
    for _ in 1..levels {
        parameters = json!({ "d": parameters });
    }
    json!({
        "StartAt": "wrap",
        "States": {
            "wrap": {"Type": "Pass", "Parameters": parameters, "Next": "loop"},
            "loop": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.d", "IsPresent": true, "Next": "wrap"}],
                "Default": "done"
            },
            "done": {"Type": "Succeed"}
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_nested_deeper_each_turn_fails_at_the_depth_limit() {
    let engine = LocalEngine::new();
    for levels in [1, 100] {
        let (done, execution) = run(&engine, &wrapping(levels), &json!({})).await;
        assert_eq!(done.status, ExecutionStatus::Failed, "{levels}");
        assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
        assert_eq!(
            cause(&done),
            "The output of the state 'wrap' is nested more than 256 levels of arrays and objects deep."
        );
        // The data within the limit was kept, and can be read back.
        let events = history(&engine, &execution).await;
        let deepest = events
            .iter()
            .rev()
            .find_map(|event| match &event.details {
                EventDetails::PassStateExited(details) => details.output.clone(),
                _ => None,
            })
            .unwrap();
        let value = sfini_core::limits::parse_json(&deepest, 256).unwrap();
        let depth = sfini_core::limits::measure(&value, usize::MAX, 256)
            .unwrap()
            .depth;
        assert!(depth > 156 && depth <= 256, "{depth}");
        engine
            .delete_state_machine(DeleteStateMachineInput {
                state_machine_arn: done.state_machine_arn.clone(),
            })
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_deeper_than_any_stack_is_refused_where_it_comes_in() {
    let engine = LocalEngine::new();
    let pass = json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}});
    let machine = machine(&engine, "pass", &pass).await;
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let refused = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.clone(),
            input: Some(deep.clone()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "InvalidExecutionInput");
    assert!(
        refused
            .message()
            .contains("nests more than 256 levels of arrays and objects deep"),
        "{refused}"
    );
    // At the limit, it runs through and comes back whole.
    let at_limit = "[".repeat(256) + &"]".repeat(256);
    let execution = start_text(&engine, &machine, at_limit.clone()).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(at_limit.as_str()));

    // A task's output deeper than the limit is refused too.
    let activity = engine
        .create_activity(CreateActivityInput {
            name: "work".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .activity_arn;
    let task = json!({"StartAt": "t", "States": {"t": {"Type": "Task", "Resource": activity, "End": true}}});
    let machine = self::machine(&engine, "task", &task).await;
    let execution = start_text(&engine, &machine, "{}".into()).await;
    let token = engine
        .get_activity_task(GetActivityTaskInput {
            activity_arn: activity.clone(),
            worker_name: None,
        })
        .await
        .unwrap()
        .task_token
        .unwrap();
    let refused = engine
        .send_task_success(SendTaskSuccessInput {
            task_token: token.clone(),
            output: deep,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "InvalidOutput");
    engine
        .send_task_success(SendTaskSuccessInput {
            task_token: token,
            output: at_limit.clone(),
        })
        .await
        .unwrap();
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.output.as_deref(), Some(at_limit.as_str()));
}

const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:build";

fn calling_the_lambda(catch: &[&str]) -> Value {
    json!({
        "StartAt": "call",
        "States": {
            "call": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Catch": [{"ErrorEquals": catch, "Next": "caught"}],
                "End": true
            },
            "caught": {"Type": "Pass", "End": true}
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_result_over_a_limit_fails_the_task_as_aws_fails_it() {
    for (result_kind, cause_end) in [
        (
            "deep",
            "returned a result nested more than 256 levels of arrays and objects deep.",
        ),
        (
            "large",
            "returned a result with a size exceeding the maximum number of bytes service limit.",
        ),
    ] {
        let engine = LocalEngine::new();
        engine.register_handler(LAMBDA, move |_, _| async move {
            Ok(match result_kind {
                // Deeper than dropping it the ordinary way can afford.
                "deep" => {
                    let mut value = json!(0);
                    for _ in 0..1_000_000 {
                        value = Value::Array(vec![value]);
                    }
                    value
                }
                _ => json!({"blob": "x".repeat(300_000)}),
            })
        });
        // A catcher naming the error handles it...
        let (done, execution) = run(
            &engine,
            &calling_the_lambda(&["States.DataLimitExceeded"]),
            &json!({}),
        )
        .await;
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{result_kind}");
        let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
        assert_eq!(output["Error"], json!("States.DataLimitExceeded"));
        assert_eq!(
            output["Cause"].as_str().unwrap(),
            format!("The state/task '{LAMBDA}' {cause_end}")
        );
        let events = history(&engine, &execution).await;
        assert!(
            events
                .iter()
                .any(|event| event.event_type().as_str() == "LambdaFunctionFailed"),
            "{result_kind}"
        );
        // ...and `States.ALL` does not.
        let machine = machine(&engine, "all", &calling_the_lambda(&["States.ALL"])).await;
        let execution = start_text(&engine, &machine, "{}".into()).await;
        let done = engine.wait_for_execution(&execution).await.unwrap();
        assert_eq!(done.status, ExecutionStatus::Failed, "{result_kind}");
        assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
    }
}

#[tokio::test]
async fn a_state_output_over_the_payload_limit_fails_the_execution_uncaught() {
    let engine = LocalEngine::new();
    // Ten Pass states each building an array of ten copies of the last.
    let mut states = serde_json::Map::new();
    for index in 0..10 {
        let mut state = json!({
            "Type": "Pass",
            "Parameters": {"x.$": "States.Array($.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x, $.x)"},
        });
        if index < 9 {
            state["Next"] = json!(format!("grow{}", index + 1));
        } else {
            state["End"] = json!(true);
        }
        states.insert(format!("grow{index}"), state);
    }
    let definition = json!({"StartAt": "grow0", "States": states});
    let (done, _) = run(&engine, &definition, &json!({"x": "x".repeat(1_000)})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(cause(&done).contains("'grow"), "{}", cause(&done));

    // A catcher naming the error does not catch a state's own output.
    let definition = json!({
        "StartAt": "call",
        "States": {
            "call": {
                "Type": "Task",
                "Resource": LAMBDA,
                "ResultSelector": {"a.$": "$.blob", "b.$": "$.blob"},
                "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "caught"}],
                "End": true
            },
            "caught": {"Type": "Pass", "End": true}
        }
    });
    engine.register_handler(LAMBDA, |_, _| async {
        Ok(json!({"blob": "y".repeat(200_000)}))
    });
    let machine = machine(&engine, "selector", &definition).await;
    let execution = start_text(&engine, &machine, "{}".into()).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        cause(&done),
        "The output of the state 'call' has a size exceeding the maximum number of bytes service limit (262144 bytes)."
    );
}

#[tokio::test]
async fn a_template_that_copies_its_input_over_and_over_stops_early() {
    let engine = LocalEngine::new();
    let mut parameters = serde_json::Map::new();
    for index in 0..10_000 {
        parameters.insert(format!("copy{index}.$"), json!("$"));
    }
    let definition = json!({
        "StartAt": "copies",
        "States": {"copies": {"Type": "Pass", "Parameters": parameters, "End": true}}
    });
    let (done, _) = run(&engine, &definition, &json!({"blob": "z".repeat(200_000)})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(
        cause(&done).contains("the evaluation built more than 2097152 bytes of data"),
        "{}",
        cause(&done)
    );
}

#[tokio::test]
async fn a_path_that_explodes_stops_at_its_step_bound() {
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().evaluation_steps(100_000))
        .build();
    let mut input = json!(1);
    for _ in 0..200 {
        input = json!({ "a": input, "b": [1, 2] });
    }
    let definition = json!({
        "StartAt": "explode",
        "States": {"explode": {
            "Type": "Pass",
            "InputPath": "$..*..*..*..*..*",
            "End": true
        }}
    });
    let (done, _) = run(&engine, &definition, &input).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        cause(&done),
        "An error occurred while executing the state 'explode' (entered at the event id #2). \
         Evaluating the InputPath was stopped: the evaluation took more than 100000 steps"
    );
}

#[tokio::test]
async fn string_matches_takes_linear_time() {
    let engine = LocalEngine::new();
    let pattern = format!("{}b", "*a".repeat(2_000));
    let definition = json!({
        "StartAt": "match",
        "States": {
            "match": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.text", "StringMatches": pattern, "Next": "yes"}],
                "Default": "no"
            },
            "yes": {"Type": "Pass", "Result": "yes", "End": true},
            "no": {"Type": "Pass", "Result": "no", "End": true}
        }
    });
    let (done, _) = run(&engine, &definition, &json!({"text": "a".repeat(200_000)})).await;
    assert_eq!(done.output.as_deref(), Some("\"no\""));
    let text = "a".repeat(200_000) + "b";
    let machine = machine(&engine, "again", &definition).await;
    let execution = start_text(&engine, &machine, json!({"text": text}).to_string()).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.output.as_deref(), Some("\"yes\""));
}

#[tokio::test]
async fn an_execution_that_makes_data_without_end_runs_out_of_memory_alone() {
    let engine = LocalEngine::builder()
        .limits(
            EngineLimits::default()
                .execution_memory(4 * 1024 * 1024)
                .history_events(1_000_000),
        )
        .build();
    // Each turn makes a new 20 KB value that the history keeps.
    let definition = json!({
        "StartAt": "make",
        "States": {
            "make": {
                "Type": "Pass",
                "Parameters": {"blob.$": "$.blob", "turn.$": "States.UUID()"},
                "Next": "again"
            },
            "again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": false, "Next": "make"}],
                "Default": "done"
            },
            "done": {"Type": "Succeed"}
        }
    });
    let (done, _) = run(&engine, &definition, &json!({"blob": "m".repeat(20_000)})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        cause(&done),
        "The execution's data has taken more than 4194304 bytes of memory, the local engine's \
         limit for one execution (EngineLimits::execution_memory)"
    );
    // Another execution has a budget of its own.
    let pass = json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}});
    let machine = machine(&engine, "other", &pass).await;
    let execution = start_text(
        &engine,
        &machine,
        json!({"blob": "m".repeat(20_000)}).to_string(),
    )
    .await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
}

#[tokio::test]
async fn a_distributed_map_item_that_spins_fails_at_its_own_history_limit() {
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().history_events(200))
        .build();
    let map = |tolerated: Value| {
        let mut map = json!({
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "item",
                "States": {
                    "item": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$.spin", "BooleanEquals": true, "Next": "item"}],
                        "Default": "fine"
                    },
                    "fine": {"Type": "Succeed"}
                }
            },
            "End": true
        });
        if !tolerated.is_null() {
            map["ToleratedFailurePercentage"] = tolerated;
        }
        json!({"StartAt": "map", "States": {"map": map}})
    };
    let items = json!([{"spin": false}, {"spin": true}, {"spin": false}]);
    // A Distributed Map tolerates no failed item unless told to.
    let (done, execution) = run(&engine, &map(Value::Null), &items).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(
        done.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    // The parent's own history stayed short.
    assert!(history(&engine, &execution).await.len() < 20);

    let machine = machine(&engine, "tolerant", &map(json!(50))).await;
    let execution = start_text(&engine, &machine, items.to_string()).await;
    let done = engine.wait_for_execution(&execution).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(output[0], json!({"spin": false}));
    assert_eq!(output[1]["Error"], json!("States.Runtime"));
    assert_eq!(
        output[1]["Cause"],
        json!("The execution reached the maximum number of history events (200).")
    );
    assert_eq!(output[2], json!({"spin": false}));
}

#[tokio::test]
async fn an_inline_map_over_many_items_runs_them_all() {
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().history_events(1_000_000))
        .build();
    let items: Vec<Value> = (0..20_000).map(|n| json!(n)).collect();
    for concurrency in [0, 40] {
        let definition = json!({
            "StartAt": "map",
            "States": {"map": {
                "Type": "Map",
                "MaxConcurrency": concurrency,
                "ItemProcessor": {
                    "StartAt": "double",
                    "States": {"double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($, $)"}, "End": true}}
                },
                "End": true
            }}
        });
        let name = format!("map{concurrency}");
        let machine = machine(&engine, &name, &definition).await;
        let execution =
            start_text(&engine, &machine, Value::Array(items.clone()).to_string()).await;
        let done = engine.wait_for_execution(&execution).await.unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{concurrency}");
        let output: Vec<Value> = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
        assert_eq!(output.len(), 20_000);
        assert!(
            output
                .iter()
                .enumerate()
                .all(|(n, item)| item["n"] == json!(2 * n))
        );
        let events = history(&engine, &execution).await;
        let started = events
            .iter()
            .filter(|event| event.event_type().as_str() == "MapIterationStarted")
            .count();
        assert_eq!(started, 20_000);
    }
}

/// Spinning executions on a runtime of two worker threads: the engine still
/// answers, stops them and shuts down. Run on a thread of its own, so that
/// an engine that does not hold fails the test instead of hanging it.
#[test]
fn executions_that_never_wait_leave_the_runtime_to_others() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        spinning_executions_leave_the_runtime_to_others();
        let _ = sender.send(());
    });
    match receiver.recv_timeout(Duration::from_secs(120)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the scenario failed"),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the engine stopped answering while executions spun")
        }
    }
}

fn spinning_executions_leave_the_runtime_to_others() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let engine = LocalEngine::builder()
        .limits(EngineLimits::default().history_events(u32::MAX))
        .build();
    let spinning_executions = runtime.block_on(async {
        let spin = machine(&engine, "spin", &spinning()).await;
        let mut executions = Vec::new();
        for _ in 0..4 {
            executions.push(start_text(&engine, &spin, "{}".into()).await);
        }
        // Let them spin a while.
        tokio::time::sleep(Duration::from_millis(200)).await;

        // Requests are answered, and other executions run to their end.
        let pass = machine(
            &engine,
            "pass",
            &json!({"StartAt": "p", "States": {"p": {"Type": "Pass", "End": true}}}),
        )
        .await;
        let mut slowest = Duration::ZERO;
        for turn in 0..20 {
            let asked = Instant::now();
            let execution = start_text(&engine, &pass, json!({"turn": turn}).to_string()).await;
            let done = engine.wait_for_execution(&execution).await.unwrap();
            assert_eq!(done.status, ExecutionStatus::Succeeded);
            engine
                .describe_execution(DescribeExecutionInput {
                    execution_arn: executions[turn % 4].clone(),
                })
                .await
                .unwrap();
            slowest = slowest.max(asked.elapsed());
        }
        // Generous: without yielding, these never complete at all.
        assert!(slowest < Duration::from_secs(2), "{slowest:?}");

        // Stopping ends them, and their histories stop growing.
        for execution in &executions {
            let stopped = Instant::now();
            engine
                .stop_execution(StopExecutionInput {
                    execution_arn: execution.clone(),
                    error: Some("Enough".into()),
                    cause: None,
                })
                .await
                .unwrap();
            assert!(stopped.elapsed() < Duration::from_secs(2));
            let done = engine
                .describe_execution(DescribeExecutionInput {
                    execution_arn: execution.clone(),
                })
                .await
                .unwrap();
            assert_eq!(done.status, ExecutionStatus::Aborted);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut lengths = Vec::new();
        for execution in &executions {
            let last = engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: execution.clone(),
                    max_results: 1,
                    reverse_order: true,
                    ..Default::default()
                })
                .await
                .unwrap();
            assert_eq!(last.events[0].event_type().as_str(), "ExecutionAborted");
            lengths.push(last.events[0].id);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        for (execution, length) in executions.iter().zip(&lengths) {
            let last = engine
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: execution.clone(),
                    max_results: 1,
                    reverse_order: true,
                    ..Default::default()
                })
                .await
                .unwrap();
            assert_eq!(last.events[0].id, *length);
        }
        // Spinning again, for the shutdown.
        let mut again = Vec::new();
        for _ in 0..4 {
            again.push(start_text(&engine, &spin, "{}".into()).await);
        }
        again
    });
    // The runtime shuts down although executions are running.
    let (sender, receiver) = std::sync::mpsc::channel();
    let engine = Arc::new(engine);
    std::thread::spawn(move || {
        drop(runtime);
        let _ = sender.send(());
    });
    receiver
        .recv_timeout(Duration::from_secs(10))
        .expect("the runtime shut down");
    assert_eq!(spinning_executions.len(), 4);
    drop(engine);
}
