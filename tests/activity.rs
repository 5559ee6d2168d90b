//! `#[activity]` and `#[derive(ActivityError)]`: activities run through
//! their definition with JSON input, as a worker runs them.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sfini::__private::{has_argument, raises};
use sfini::{Activity, ActivityContext, ActivityError, TaskFailure};

/// Adds two numbers.
///
/// Both come from the task input.
#[sfini::activity(name = "addActivity")]
pub async fn add(a: i64, b: i64) -> i64 {
    a + b
}

async fn run<A: Activity>(input: Value) -> Result<Value, TaskFailure> {
    (A::DEFINITION.run)(input, ActivityContext::for_test("token")).await
}

#[tokio::test]
async fn reads_arguments_by_name_and_writes_the_output() {
    assert_eq!(run::<add>(json!({"a": 3, "b": 42})).await, Ok(json!(45)));
    // Fields the activity does not read are ignored.
    assert_eq!(
        run::<add>(json!({"a": 1, "b": 2, "counter": 7})).await,
        Ok(json!(3))
    );
}

#[tokio::test]
async fn the_function_stays_callable() {
    assert_eq!(add(2, 3).await, 5);
    assert_eq!(greet("Ada".to_string(), None, 1), "Hello, Ada!");
}

#[tokio::test]
async fn bad_input_names_every_missing_and_mistyped_argument() {
    let failure = run::<add>(json!({"a": "three"})).await.unwrap_err();
    assert_eq!(failure.error, sfini::runtime::activity::INVALID_INPUT_ERROR);
    assert_eq!(failure.error, "sfini.InvalidInput");
    assert_eq!(
        failure.cause,
        "the input of activity `addActivity` does not hold its arguments: \
         argument `a` (i64): invalid type: string \"three\", expected i64; \
         argument `b` (i64) is missing"
    );
    let failure = run::<add>(json!([3, 42])).await.unwrap_err();
    assert_eq!(failure.error, "sfini.InvalidInput");
    assert_eq!(
        failure.cause,
        "the input of activity `addActivity` must be a JSON object with its arguments as fields \
         (`a`, `b`); it is an array"
    );
}

/// Greets someone.
#[sfini::activity]
fn greet(name: String, greeting: Option<String>, #[default(1)] times: usize) -> String {
    let greeting = greeting.unwrap_or_else(|| "Hello".to_string());
    vec![format!("{greeting}, {name}!"); times].join(" ")
}

#[tokio::test]
async fn optional_and_default_arguments() {
    assert_eq!(
        run::<greet>(json!({"name": "Ada"})).await,
        Ok(json!("Hello, Ada!"))
    );
    assert_eq!(
        run::<greet>(json!({"name": "Ada", "greeting": null, "times": 2})).await,
        Ok(json!("Hello, Ada! Hello, Ada!"))
    );
    assert_eq!(
        run::<greet>(json!({"name": "Ada", "greeting": "Hi"})).await,
        Ok(json!("Hi, Ada!"))
    );
    let failure = run::<greet>(json!({"greeting": 3, "times": -1}))
        .await
        .unwrap_err();
    assert_eq!(
        failure.cause,
        "the input of activity `greet` does not hold its arguments: \
         argument `name` (String) is missing; \
         argument `greeting` (String): invalid type: integer `3`, expected a string; \
         argument `times` (usize): invalid value: integer `-1`, expected usize"
    );
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Order {
    id: u32,
    items: Vec<String>,
}

/// Counts an order's items.
#[sfini::activity]
async fn count_items(#[input] order: Order, context: ActivityContext) -> usize {
    assert_eq!(context.task_token(), "token");
    order.items.len()
}

#[tokio::test]
async fn an_input_parameter_takes_the_whole_input() {
    assert_eq!(
        run::<count_items>(json!({"id": 1, "items": ["a", "b"]})).await,
        Ok(json!(2))
    );
    let failure = run::<count_items>(json!({"items": ["a"]}))
        .await
        .unwrap_err();
    assert_eq!(failure.error, "sfini.InvalidInput");
    assert_eq!(
        failure.cause,
        "the input of activity `count_items` does not read as Order: missing field `id`"
    );
    let definition = count_items::DEFINITION;
    assert!(definition.takes_whole_input);
    assert!(definition.arguments.is_empty());
}

/// Sends heartbeats until cancelled.
#[sfini::activity(heartbeat = 5, timeout = 60)]
async fn wait_for_cancel(context: &ActivityContext, rounds: u32) -> u64 {
    for _ in 0..rounds {
        context
            .heartbeat()
            .await
            .expect("test heartbeats are accepted");
    }
    context.cancelled().await;
    context.heartbeats_sent()
}

#[tokio::test]
async fn the_context_gives_heartbeats_and_cancellation() {
    let context = ActivityContext::for_test("token-7");
    let task = tokio::spawn((wait_for_cancel::DEFINITION.run)(
        json!({"rounds": 3}),
        context.clone(),
    ));
    tokio::task::yield_now().await;
    context.cancellation().cancel();
    assert_eq!(task.await.unwrap(), Ok(json!(3)));
    assert_eq!(context.heartbeats_sent(), 3);
}

/// Checks the context from a plain function.
#[sfini::activity]
fn cancelled_already(context: ActivityContext) -> bool {
    context.is_cancelled()
}

/// Heartbeats from a plain function.
#[sfini::activity(heartbeat = 1, timeout = 10)]
fn beat_blocking(context: &ActivityContext, times: u32) -> Result<u64, String> {
    for _ in 0..times {
        context
            .heartbeat_blocking()
            .map_err(|error| error.to_string())?;
    }
    Ok(context.heartbeats_sent())
}

#[tokio::test]
async fn a_plain_fn_sends_heartbeats() {
    assert_eq!(
        run::<beat_blocking>(json!({"times": 3})).await,
        Ok(json!(3))
    );
}

#[test]
fn blocking_heartbeats_need_a_runtime() {
    let outside = ActivityContext::for_test("t").heartbeat_blocking();
    assert!(
        matches!(&outside, Err(sfini::HeartbeatError::Unsent(message)) if message.contains("no reactor")),
        "{outside:?}"
    );
}

#[tokio::test]
async fn a_plain_fn_runs_on_blocking_threads() {
    let context = ActivityContext::for_test("t");
    context.cancellation().cancel();
    let result = (cancelled_already::DEFINITION.run)(json!(null), context).await;
    assert_eq!(result, Ok(json!(true)));
}

#[derive(Debug, ActivityError)]
enum PaymentError {
    Declined { code: u16 },
    Timeout(u64),
    Fraud,
}

impl fmt::Display for PaymentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentError::Declined { code } => write!(f, "the card was declined (code {code})"),
            PaymentError::Timeout(seconds) => write!(f, "the bank did not answer in {seconds} s"),
            PaymentError::Fraud => write!(f, "suspected fraud"),
        }
    }
}

/// Charges a card.
#[sfini::activity]
async fn charge(amount: u64) -> Result<String, PaymentError> {
    match amount {
        0 => Err(PaymentError::Fraud),
        1..=100 => Ok(format!("charged {amount}")),
        101..=1000 => Err(PaymentError::Declined { code: 51 }),
        _ => Err(PaymentError::Timeout(30)),
    }
}

#[tokio::test]
async fn errors_take_their_variant_names_and_display_as_cause() {
    assert_eq!(
        run::<charge>(json!({"amount": 5})).await,
        Ok(json!("charged 5"))
    );
    assert_eq!(
        run::<charge>(json!({"amount": 500})).await,
        Err(TaskFailure::new(
            "Declined",
            "the card was declined (code 51)"
        ))
    );
    assert_eq!(
        run::<charge>(json!({"amount": 5000})).await,
        Err(TaskFailure::new(
            "Timeout",
            "the bank did not answer in 30 s"
        ))
    );
    assert_eq!(
        run::<charge>(json!({"amount": 0})).await,
        Err(TaskFailure::new("Fraud", "suspected fraud"))
    );
    assert_eq!(PaymentError::NAMES, ["Declined", "Timeout", "Fraud"]);
    assert_eq!(charge::DEFINITION.errors, ["Declined", "Timeout", "Fraud"]);
}

#[derive(Debug, ActivityError)]
struct QuotaExceeded;

impl fmt::Display for QuotaExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the daily quota is used up")
    }
}

#[sfini::activity]
fn use_quota() -> Result<(), QuotaExceeded> {
    Err(QuotaExceeded)
}

#[sfini::activity]
async fn read_config(path: String) -> Result<String, std::io::Error> {
    std::fs::read_to_string(path)
}

#[sfini::activity]
async fn validate_name(name: String) -> Result<String, String> {
    if name.is_empty() {
        Err("the name is empty".to_string())
    } else {
        Ok(name)
    }
}

#[tokio::test]
async fn struct_errors_and_common_carriers() {
    assert_eq!(
        run::<use_quota>(json!({})).await,
        Err(TaskFailure::new(
            "QuotaExceeded",
            "the daily quota is used up"
        ))
    );
    assert_eq!(use_quota::DEFINITION.errors, ["QuotaExceeded"]);
    let failure = run::<read_config>(json!({"path": "/no/such/file"}))
        .await
        .unwrap_err();
    assert_eq!(failure.error, "std.io.Error");
    assert!(failure.cause.contains("No such file"), "{}", failure.cause);
    assert_eq!(
        run::<validate_name>(json!({"name": ""})).await,
        Err(TaskFailure::new(
            "sfini.ActivityFailed",
            "the name is empty"
        ))
    );
    assert_eq!(validate_name::DEFINITION.errors, ["sfini.ActivityFailed"]);
}

#[sfini::activity]
async fn tally(words: Vec<String>) -> HashMap<(usize, usize), u32> {
    let mut tally = HashMap::new();
    for word in words {
        *tally.entry((word.len(), 0)).or_insert(0) += 1;
    }
    tally
}

#[tokio::test]
async fn unserialisable_output_fails_with_the_output_error() {
    let failure = run::<tally>(json!({"words": ["a"]})).await.unwrap_err();
    assert_eq!(failure.error, sfini::runtime::activity::OUTPUT_ERROR);
    assert_eq!(failure.error, "sfini.InvalidOutput");
    assert_eq!(
        failure.cause,
        "the activity's output cannot be written as JSON: key must be a string"
    );
}

#[sfini::activity]
async fn explode(message: String) -> u8 {
    panic!("{message}")
}

#[sfini::activity]
fn explode_blocking() {
    panic!("blocking boom")
}

#[tokio::test]
async fn panics_fail_the_task() {
    assert_eq!(
        run::<explode>(json!({"message": "boom"})).await,
        Err(TaskFailure::new(
            "sfini.ActivityPanicked",
            "the activity panicked: boom"
        ))
    );
    assert_eq!(
        run::<explode_blocking>(json!({})).await,
        Err(TaskFailure::new(
            "sfini.ActivityPanicked",
            "the activity panicked: blocking boom"
        ))
    );
}

#[test]
fn the_definition_describes_the_activity() {
    let definition = add::DEFINITION;
    assert_eq!(definition.name, "addActivity");
    assert_eq!(
        definition.description,
        "Adds two numbers.\n\nBoth come from the task input."
    );
    let arguments: Vec<_> = definition
        .arguments
        .iter()
        .map(|argument| (argument.name, argument.required))
        .collect();
    assert_eq!(arguments, [("a", true), ("b", true)]);
    assert!(!definition.takes_whole_input);
    assert!(definition.errors.is_empty());
    assert_eq!(definition.heartbeat_seconds, None);
    assert_eq!(definition.timeout_seconds, None);

    let greet = greet::DEFINITION;
    assert_eq!(greet.name, "greet");
    let arguments: Vec<_> = greet
        .arguments
        .iter()
        .map(|argument| (argument.name, argument.required))
        .collect();
    assert_eq!(
        arguments,
        [("name", true), ("greeting", false), ("times", false)]
    );
    assert_eq!(wait_for_cancel::DEFINITION.heartbeat_seconds, Some(5));
    assert_eq!(wait_for_cancel::DEFINITION.timeout_seconds, Some(60));
    // The context is not an argument.
    assert_eq!(wait_for_cancel::DEFINITION.arguments.len(), 1);
    assert_eq!(use_quota::DEFINITION.description, "");
}

#[test]
fn raises_and_has_argument_answer_at_compile_time() {
    const { assert!(raises(&charge::DEFINITION, "Declined")) };
    const { assert!(!raises(&charge::DEFINITION, "Decline")) };
    const { assert!(has_argument(&add::DEFINITION, "b")) };
    const { assert!(!has_argument(&add::DEFINITION, "c")) };
    assert!(raises(&add::DEFINITION, "sfini.InvalidInput"));
    assert!(raises(&add::DEFINITION, "States.HeartbeatTimeout"));
    assert!(!raises(&add::DEFINITION, "Declined"));
    assert!(!raises(&add::DEFINITION, "States.NoChoiceMatched"));
    assert!(!has_argument(&count_items::DEFINITION, "id"));
}

/// A callback macro in the shape `workflow!` uses: receives the metadata,
/// the error names and the tokens it passed along.
macro_rules! capture {
    (@activity $meta:literal @errors $errors:literal $($input:tt)*) => {
        ($meta, $errors, stringify!($($input)*))
    };
}

#[test]
fn the_metadata_macro_hands_the_activity_to_a_callback() {
    let (meta, errors, passed) = add!([capture] { state add });
    assert_eq!(passed, "state add");
    let mut meta: Value = serde_json::from_str(meta).unwrap();
    // The activity's identity: its crate and a tag of where it is written.
    let id = meta["id"].take();
    assert!(id.as_str().unwrap().starts_with("activity#"), "{id}");
    assert_eq!(
        meta,
        json!({
            "name": "addActivity",
            "id": null,
            "arguments": [
                {"name": "a", "required": true, "type": "i64", "kind": "integer"},
                {"name": "b", "required": true, "type": "i64", "kind": "integer"}
            ],
            "takes_whole_input": false,
            "heartbeat_seconds": null,
            "timeout_seconds": null,
            "description": "Adds two numbers.\n\nBoth come from the task input.",
            "fallible": false,
            "error_type": null,
        })
    );
    // It cannot fail: no error names.
    assert_eq!(
        serde_json::from_str::<Value>(errors).unwrap(),
        json!({"type": null, "names": []})
    );
    assert_eq!(id, json!(add::DEFINITION.id));
    let (meta, errors, _) = charge!([capture] {});
    let meta: Value = serde_json::from_str(meta).unwrap();
    assert_eq!(meta["fallible"], json!(true));
    assert_eq!(meta["error_type"], json!("PaymentError"));
    // The error names come from the error type's derive.
    let errors: Value = serde_json::from_str(errors).unwrap();
    assert_eq!(errors["type"], json!("PaymentError"));
    assert_eq!(
        errors["names"],
        json!([
            {"variant": "Declined", "name": "Declined"},
            {"variant": "Timeout", "name": "Timeout"},
            {"variant": "Fraud", "name": "Fraud"}
        ])
    );
    let (meta, _, _) = wait_for_cancel!([capture] {});
    let meta: Value = serde_json::from_str(meta).unwrap();
    assert_eq!(meta["heartbeat_seconds"], json!(5));
    assert_eq!(meta["timeout_seconds"], json!(60));
    assert_eq!(
        meta["arguments"],
        json!([{"name": "rounds", "required": true, "type": "u32", "kind": "integer"}])
    );
    let (meta, _, _) = count_items!([capture] {});
    let meta: Value = serde_json::from_str(meta).unwrap();
    assert_eq!(meta["takes_whole_input"], json!(true));
    assert_eq!(meta["arguments"], json!([]));
}

/// Activities in modules, referred to by path as `workflow!` refers to them.
mod tasks {
    /// The `add` of the tasks module.
    #[sfini::activity(name = "tasks-add")]
    pub async fn add(x: f64, y: f64) -> f64 {
        x + y
    }

    pub mod nested {
        #[sfini::activity]
        pub(crate) async fn add(values: Vec<i64>) -> i64 {
            values.iter().sum()
        }

        pub fn through_parent() -> &'static str {
            super::add!([crate::name_of] {})
        }
    }

    pub fn same_module() -> &'static str {
        add!([crate::name_of] {})
    }
}

macro_rules! name_of {
    (@activity $meta:literal @errors $errors:literal) => {
        $meta
    };
}
use name_of;

#[tokio::test]
async fn activities_with_the_same_name_in_different_modules() {
    let name = |meta: &str| serde_json::from_str::<Value>(meta).unwrap()["name"].clone();
    assert_eq!(name(add!([name_of] {})), "addActivity");
    assert_eq!(name(tasks::add!([name_of] {})), "tasks-add");
    assert_eq!(name(crate::tasks::add!([name_of] {})), "tasks-add");
    assert_eq!(name(tasks::nested::add!([name_of] {})), "add");
    assert_eq!(name(tasks::same_module()), "tasks-add");
    assert_eq!(name(tasks::nested::through_parent()), "tasks-add");
    assert_eq!(
        run::<tasks::add>(json!({"x": 1.5, "y": 2.0})).await,
        Ok(json!(3.5))
    );
    assert_eq!(
        run::<tasks::nested::add>(json!({"values": [1, 2, 3]})).await,
        Ok(json!(6))
    );
    assert_eq!(tasks::add(1.0, 2.0).await, 3.0);
}
