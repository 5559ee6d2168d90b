use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::*;

const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:check";

fn activity_task(name: &str, activity: &str, next: Option<&str>) -> (String, Value) {
    let mut state = json!({
        "Type": "Task",
        "Resource": format!("arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:activity:{activity}"),
    });
    match next {
        Some(next) => state["Next"] = json!(next),
        None => state["End"] = json!(true),
    }
    (name.to_string(), state)
}

#[tokio::test(start_paused = true)]
async fn activities_replaced_by_closures_retry_and_take_virtual_time() {
    let (first, first_state) = activity_task("Reserve", "reserve", Some("Wait"));
    let mut reserve = first_state;
    reserve["Retry"] = json!([{"ErrorEquals": ["Busy"], "IntervalSeconds": 10, "BackoffRate": 3, "MaxAttempts": 3}]);
    let (last, last_state) = activity_task("Confirm", "confirm", None);
    let definition = json!({
        "StartAt": first,
        "States": {
            first.clone(): reserve,
            "Wait": {"Type": "Wait", "Seconds": 3600, "Next": last.clone()},
            last.clone(): last_state
        }
    });
    let calls = Arc::new(AtomicU32::new(0));
    let counted = calls.clone();
    let run = WorkflowTest::definition(definition.to_string())
        .input(json!({"seats": 2}))
        .activity_fn("reserve", move |input: Value| {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if call < 2 {
                    return Err(TaskFailure::new("Busy", format!("attempt {call}")));
                }
                Ok(json!({"reserved": input["seats"]}))
            }
        })
        .activity_fn("confirm", |input: Value| async move {
            Ok(json!({"confirmed": input["reserved"]}))
        })
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    assert_eq!(run.output::<Value>().unwrap(), json!({"confirmed": 2}));
    assert_eq!(run.states(), ["Reserve", "Wait", "Confirm"]);
    assert_eq!(run.retries("Reserve"), 2);
    let reserve = run.visit("Reserve").unwrap();
    assert_eq!(reserve.attempts, 3);
    assert_eq!(reserve.state_type, "Task");
    assert_eq!(reserve.input, json!({"seats": 2}));
    assert_eq!(reserve.output, Some(json!({"reserved": 2})));
    // 10 s and 30 s between the attempts, then the hour's wait.
    assert_eq!(reserve.exited, Some(Duration::from_secs(40)));
    assert_eq!(
        run.visit("Confirm").unwrap().entered,
        Duration::from_secs(3640)
    );
    assert_eq!(run.duration(), Duration::from_secs(3640));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // The activities were served in-process: the history says so as AWS
    // records activities.
    assert_eq!(
        run.event_types()[..4],
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn callbacks_are_answered_from_the_test() {
    let definition = json!({
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
                "Catch": [{"ErrorEquals": ["Refused"], "ResultPath": "$.refused", "Next": "Ask again"}],
                "ResultPath": "$.first",
                "Next": "Ask again"
            },
            "Ask again": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "ResultPath": "$.second",
                "End": true
            }
        }
    });
    let mut running = WorkflowTest::definition(definition.to_string())
        .input(json!({"n": 1}))
        .start()
        .await
        .unwrap();
    let ask = running.callback().await.unwrap();
    assert_eq!(ask.state, "Ask");
    assert_eq!(ask.input["MessageBody"]["n"], json!(1));
    assert_eq!(ask.input["MessageBody"]["token"], json!(ask.token));
    running.fail(ask, "Refused", "not now").await.unwrap();
    let again = running.callback().await.unwrap();
    assert_eq!(again.state, "Ask again");
    again.heartbeat(running.engine()).await.unwrap();
    running.succeed(again, json!({"yes": true})).await.unwrap();
    let error = running.callback().await.unwrap_err();
    assert!(
        matches!(
            error,
            TestError::NoCallback {
                status: ExecutionStatus::Succeeded
            }
        ),
        "{error}"
    );
    let run = running.finish().await.unwrap();
    assert_eq!(
        run.output_json(),
        Some(
            &json!({"n": 1, "refused": {"Error": "Refused", "Cause": "not now"}, "second": {"yes": true}})
        )
    );
    assert_eq!(run.states(), ["Ask", "Ask again"]);
}

#[tokio::test(start_paused = true)]
async fn visits_in_concurrent_iterations_keep_their_own_input_and_output() {
    let definition = json!({
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 0,
                "ItemProcessor": {
                    "StartAt": "Check",
                    "States": {
                        "Check": {
                            "Type": "Task",
                            "Resource": LAMBDA,
                            "Retry": [{"ErrorEquals": ["Odd"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                            "Catch": [{"ErrorEquals": ["Odd"], "Next": "Skip"}],
                            "End": true
                        },
                        "Skip": {"Type": "Pass", "Result": "skipped", "End": true}
                    }
                },
                "End": true
            }
        }
    });
    let run = WorkflowTest::definition(definition.to_string())
        .input(json!([1, 2, 3, 4]))
        .task(LAMBDA, |input: Value, _context| async move {
            let n = input.as_i64().unwrap_or_default();
            // Later items answer sooner, so the iterations interleave.
            tokio::time::sleep(Duration::from_secs(10 - u64::try_from(n).unwrap_or(0))).await;
            if n % 2 == 1 {
                return Err(TaskFailure::new("Odd", format!("{n} is odd")));
            }
            Ok(json!(n * 10))
        })
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    assert_eq!(
        run.output_json(),
        Some(&json!(["skipped", 20, "skipped", 40]))
    );
    let mut checks: Vec<(Value, Option<Value>, u32)> = run
        .visits_of("Check")
        .iter()
        .map(|visit| (visit.input.clone(), visit.output.clone(), visit.attempts))
        .collect();
    checks.sort_by_key(|(input, ..)| input.as_i64());
    assert_eq!(
        checks,
        [
            (
                json!(1),
                Some(json!({"Error": "Odd", "Cause": "1 is odd"})),
                2
            ),
            (json!(2), Some(json!(20)), 1),
            (
                json!(3),
                Some(json!({"Error": "Odd", "Cause": "3 is odd"})),
                2
            ),
            (json!(4), Some(json!(40)), 1)
        ]
    );
    assert_eq!(run.retries("Check"), 2);
    assert_eq!(run.visits_of("Skip").len(), 2);
    assert_eq!(
        run.visit("Each").unwrap().output,
        Some(json!(["skipped", 20, "skipped", 40]))
    );
}

#[tokio::test(start_paused = true)]
async fn failures_are_reported_and_output_is_refused() {
    let definition = json!({
        "StartAt": "Check",
        "States": {"Check": {"Type": "Task", "Resource": LAMBDA, "End": true}}
    });
    let run = WorkflowTest::definition(definition.to_string())
        .mock(
            "Check",
            MockedResponse::new("no").then_throw("Nope", "not today"),
        )
        .run()
        .await
        .unwrap();
    assert_eq!(run.status(), ExecutionStatus::Failed);
    assert_eq!(run.error(), Some("Nope"));
    assert_eq!(run.cause(), Some("not today"));
    assert_eq!(run.visit("Check").unwrap().output, None);
    assert_eq!(
        run.output::<Value>().unwrap_err().to_string(),
        "the execution did not succeed: it is FAILED with Nope: not today"
    );
    let summary = run.to_string();
    assert!(
        summary.starts_with("execution FAILED with Nope: not today, after 0ns\n"),
        "{summary}"
    );
    assert!(
        summary.contains("Task Check <- {} [failed: Nope: not today] (not left)"),
        "{summary}"
    );

    let wrong_type = WorkflowTest::definition(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "text", "End": true}}})
            .to_string(),
    )
    .run()
    .await
    .unwrap();
    let error = wrong_type.output::<i64>().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the output \"text\" is not of the type asked for: "),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn bad_definitions_and_inputs_are_refused_with_the_reason() {
    let error = WorkflowTest::definition(r#"{"StartAt": "Nowhere", "States": {}}"#)
        .run()
        .await
        .unwrap_err();
    assert!(matches!(error, TestError::Definition(_)), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("the definition is refused: InvalidDefinition"),
        "{error}"
    );

    let mut deep = json!([]);
    for _ in 0..300 {
        deep = json!([deep]);
    }
    let error = WorkflowTest::definition(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string(),
    )
    .input(deep)
    .run()
    .await
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("starting the execution: InvalidExecutionInput"),
        "{error}"
    );

    let error = WorkflowTest::definition(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string(),
    )
    .mock("Elsewhere", MockedResponse::new("r").then_return(json!(1)))
    .run()
    .await
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("mocks the state `Elsewhere`, which the state machine `test` does not have"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn deep_data_is_reported_whole() {
    let mut deep = json!("bottom");
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let run = WorkflowTest::definition(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string(),
    )
    .input(deep.clone())
    .run()
    .await
    .unwrap();
    assert_eq!(run.output_json(), Some(&deep));
    assert_eq!(run.visit("P").unwrap().input, deep);
}

#[test]
fn run_blocking_needs_no_runtime_of_the_test() {
    let run = WorkflowTest::definition(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": true}}})
            .to_string(),
    )
    .starting_at(OffsetDateTime::UNIX_EPOCH)
    .run_blocking()
    .unwrap();
    assert!(run.succeeded());
    assert_eq!(run.duration(), Duration::from_secs(86400));
    assert_eq!(
        run.history().last().map(|event| event.timestamp),
        Some(OffsetDateTime::UNIX_EPOCH + Duration::from_secs(86400))
    );
}

#[tokio::test(start_paused = true)]
async fn each_attempt_assignment_and_time_is_reported() {
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Arguments": {"item": "{% $states.input.item %}"},
                "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3}],
                "Assign": {"price": "{% $states.result.price %}", "tries": 2},
                "Next": "Done"
            },
            "Done": {"Type": "Pass", "Output": "{% $price %}", "End": true}
        }
    });
    let calls = Arc::new(AtomicU32::new(0));
    let run = WorkflowTest::definition(definition.to_string())
        .input(json!({"item": "pen", "other": true}))
        .task(LAMBDA, move |input: Value, _context| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if call == 0 {
                    return Err(TaskFailure::new("Busy", "later"));
                }
                Ok(json!({"price": 3, "for": input["item"]}))
            }
        })
        .run()
        .await
        .unwrap();
    assert!(run.succeeded(), "{run}");
    let price = run.visit("Price").unwrap();
    assert_eq!(
        price.tasks,
        [
            TaskAttempt {
                input: json!({"item": "pen"}),
                result: None,
                error: Some("Busy".into()),
                cause: Some("later".into())
            },
            TaskAttempt {
                input: json!({"item": "pen"}),
                result: Some(json!({"price": 3, "for": "pen"})),
                error: None,
                cause: None
            }
        ]
    );
    assert_eq!(price.assigned, Some(json!({"price": 3, "tries": 2})));
    assert_eq!(run.visit("Done").unwrap().assigned, None);
    assert_eq!(run.started_at(), DEFAULT_START);
    assert_eq!(
        run.started_at() + price.exited.unwrap(),
        DEFAULT_START + Duration::from_secs(3)
    );
    assert!(
        run.format_history()
            .starts_with("ExecutionStarted [1] @ 2024-01-01T00:00:00.000Z\n"),
        "{}",
        run.format_history()
    );
    let summary = run.to_string();
    assert!(
        summary.contains(
            "Task Price <- {\"item\":\"pen\",\"other\":true} (2 attempts) [failed: Busy: later] \
             -> {\"price\":3,\"for\":\"pen\"} at 3s\n"
        ),
        "{summary}"
    );
}
