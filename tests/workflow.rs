//! What `workflow!` writes: each construct of the grammar and the Amazon
//! States Language it becomes.

use serde_json::{Value, json};
use sfini::__private::Workflow;

fn definition<W: Workflow>() -> Value {
    serde_json::from_str(W::DEFINITION).unwrap()
}

fn state<W: Workflow>(name: &str) -> Value {
    definition::<W>()["States"][name].clone()
}

sfini::workflow! {
    /// Runs top to bottom.
    #[workflow(timeout = 300, version = "1.0")]
    pub Sequence {
        first: pass { result: { "a": 1 }, result_path: "$.first" },
        "second step": wait { seconds: 0 },
        third: pass { input_path: None, output_path: "$.x", result_path: None },
        done: succeed,
    }
}

#[test]
fn states_run_top_to_bottom_and_the_last_one_ends() {
    assert_eq!(
        definition::<Sequence>(),
        json!({
            "Comment": "Runs top to bottom.",
            "StartAt": "first",
            "States": {
                "first": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.first", "Next": "second step"},
                "second step": {"Type": "Wait", "Seconds": 0, "Next": "third"},
                "third": {"Type": "Pass", "InputPath": null, "OutputPath": "$.x", "ResultPath": null, "Next": "done"},
                "done": {"Type": "Succeed"}
            },
            "TimeoutSeconds": 300
        })
    );
    assert_eq!(Sequence::NAME, "Sequence");
    assert_eq!(<Sequence as Workflow>::NAME, "Sequence");
    assert!(<Sequence as Workflow>::ACTIVITIES.is_empty());
}

#[test]
fn the_definition_is_canonical_and_the_model_matches_it() {
    let machine = <Sequence as Workflow>::state_machine();
    assert_eq!(machine.to_json(), Sequence::DEFINITION);
    assert!(machine.validate().is_valid());
    assert!(std::ptr::eq(
        machine,
        <Sequence as Workflow>::state_machine()
    ));
}

sfini::workflow! {
    #[workflow(name = "renamed-machine", comment = "Set by option.")]
    pub Named {
        only: pass { end: true },
    }
}

#[test]
fn the_name_and_comment_can_be_given() {
    assert_eq!(Named::NAME, "renamed-machine");
    assert_eq!(definition::<Named>()["Comment"], "Set by option.");
    assert_eq!(state::<Named>("only"), json!({"Type": "Pass", "End": true}));
}

sfini::workflow! {
    pub Conditions {
        check: choice {
            "$.n" == 1 => a,
            "$.n" != 2 => a,
            "$.n" < 3 => a,
            "$.n" <= 4.5 => a,
            "$.n" > -5 => a,
            "$.n" >= 6 => a,
            10 > "$.n" => a,
            "$.s" == "x" => a,
            "$.s" < "m" => a,
            "$.b" == true => a,
            "$.t" >= timestamp("2026-01-01T00:00:00Z") => a,
            number("$.n") < "$.limit" => a,
            "$.s" == string("$.other") => a,
            "$.b" == boolean("$.flag") => a,
            timestamp("$.t") > "$.since" => a,
            is_present("$.p") && !is_null("$.p") => a,
            is_string("$.s") || is_numeric("$.n") || is_boolean("$.b") || is_timestamp("$.t") => a,
            !("$.n" == 1 || matches("$.file", "*.csv")) => a,
            _ => a,
        },
        a: succeed,
    }
}

#[test]
fn conditions_become_every_comparison_operator() {
    let choices = state::<Conditions>("check")["Choices"].clone();
    let rules: Vec<Value> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| {
            let mut rule = rule.clone();
            assert_eq!(
                rule.as_object_mut().unwrap().remove("Next"),
                Some(json!("a"))
            );
            rule
        })
        .collect();
    assert_eq!(
        rules,
        vec![
            json!({"Variable": "$.n", "NumericEquals": 1}),
            json!({"Not": {"Variable": "$.n", "NumericEquals": 2}}),
            json!({"Variable": "$.n", "NumericLessThan": 3}),
            json!({"Variable": "$.n", "NumericLessThanEquals": 4.5}),
            json!({"Variable": "$.n", "NumericGreaterThan": -5}),
            json!({"Variable": "$.n", "NumericGreaterThanEquals": 6}),
            json!({"Variable": "$.n", "NumericLessThan": 10}),
            json!({"Variable": "$.s", "StringEquals": "x"}),
            json!({"Variable": "$.s", "StringLessThan": "m"}),
            json!({"Variable": "$.b", "BooleanEquals": true}),
            json!({"Variable": "$.t", "TimestampGreaterThanEquals": "2026-01-01T00:00:00Z"}),
            json!({"Variable": "$.n", "NumericLessThanPath": "$.limit"}),
            json!({"Variable": "$.s", "StringEqualsPath": "$.other"}),
            json!({"Variable": "$.b", "BooleanEqualsPath": "$.flag"}),
            json!({"Variable": "$.t", "TimestampGreaterThanPath": "$.since"}),
            json!({"And": [
                {"Variable": "$.p", "IsPresent": true},
                {"Variable": "$.p", "IsNull": false}
            ]}),
            json!({"Or": [
                {"Variable": "$.s", "IsString": true},
                {"Variable": "$.n", "IsNumeric": true},
                {"Variable": "$.b", "IsBoolean": true},
                {"Variable": "$.t", "IsTimestamp": true}
            ]}),
            json!({"Not": {"Or": [
                {"Variable": "$.n", "NumericEquals": 1},
                {"Variable": "$.file", "StringMatches": "*.csv"}
            ]}}),
        ]
    );
    assert_eq!(state::<Conditions>("check")["Default"], "a");
}

sfini::workflow! {
    pub Tasks {
        invoke: lambda("arn:aws:lambda:us-east-1:123456789012:function:resize") {
            output_path: "$.Payload",
        },
        invoke_with_payload: lambda("resize") {
            parameters: { "image.$": "$.image", "size": 100 },
        },
        callback: task("arn:aws:states:::sqs:sendMessage.waitForTaskToken") {
            parameters: {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "MessageBody": { "token.$": "$$.Task.Token", "when.$": "States.Format('at {}', $.time)" },
            },
            result_selector: { "answer.$": "$.answer" },
            timeout: "$.limits.timeout",
            heartbeat: 30,
            credentials: { "RoleArn": "arn:aws:iam::123456789012:role/worker" },
            retry ["States.Timeout", "States.TaskFailed"] {
                interval: 2, max_attempts: 5, backoff_rate: 1.5, max_delay: 60, jitter: full,
                comment: "transient",
            },
            retry ["States.ALL"],
            catch ["Custom.Error"] => recover { result_path: "$.error", comment: "handled" },
        },
        run_job: task("arn:aws:states:::batch:submitJob.sync") { end: true },
        recover: fail { error: "$.error.Error", cause: "States.Format('failed: {}', $.error.Cause)" },
    }
}

#[test]
fn tasks_take_resources_and_error_handling() {
    assert_eq!(
        state::<Tasks>("invoke"),
        json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {
                "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:resize",
                "Payload.$": "$"
            },
            "OutputPath": "$.Payload",
            "Next": "invoke_with_payload"
        })
    );
    assert_eq!(
        state::<Tasks>("invoke_with_payload")["Parameters"],
        json!({"FunctionName": "resize", "Payload": {"image.$": "$.image", "size": 100}})
    );
    assert_eq!(
        state::<Tasks>("callback"),
        json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "MessageBody": {"token.$": "$$.Task.Token", "when.$": "States.Format('at {}', $.time)"}
            },
            "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/worker"},
            "TimeoutSecondsPath": "$.limits.timeout",
            "HeartbeatSeconds": 30,
            "ResultSelector": {"answer.$": "$.answer"},
            "Retry": [
                {
                    "ErrorEquals": ["States.Timeout", "States.TaskFailed"],
                    "Comment": "transient",
                    "IntervalSeconds": 2,
                    "MaxAttempts": 5,
                    "BackoffRate": 1.5,
                    "MaxDelaySeconds": 60,
                    "JitterStrategy": "FULL"
                },
                {"ErrorEquals": ["States.ALL"]}
            ],
            "Catch": [
                {"ErrorEquals": ["Custom.Error"], "Comment": "handled", "ResultPath": "$.error", "Next": "recover"}
            ],
            "Next": "run_job"
        })
    );
    assert_eq!(
        state::<Tasks>("run_job"),
        json!({"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "End": true})
    );
    assert_eq!(
        state::<Tasks>("recover"),
        json!({
            "Type": "Fail",
            "ErrorPath": "$.error.Error",
            "CausePath": "States.Format('failed: {}', $.error.Cause)"
        })
    );
}

sfini::workflow! {
    pub Waits {
        fixed: wait { seconds: 10 },
        from_input: wait { seconds: "$.delay" },
        until: wait { timestamp: "2026-12-31T23:59:59Z" },
        until_input: wait { timestamp: "$.when", comment: "last" },
        stop: fail { error: "Done", cause: "all waits passed" },
    }
}

#[test]
fn waits_take_all_four_forms() {
    let states = definition::<Waits>()["States"].clone();
    assert_eq!(states["fixed"]["Seconds"], 10);
    assert_eq!(states["from_input"]["SecondsPath"], "$.delay");
    assert_eq!(states["until"]["Timestamp"], "2026-12-31T23:59:59Z");
    assert_eq!(states["until_input"]["TimestampPath"], "$.when");
    assert_eq!(states["until_input"]["Comment"], "last");
    assert_eq!(
        states["stop"],
        json!({"Type": "Fail", "Error": "Done", "Cause": "all waits passed"})
    );
}

sfini::workflow! {
    pub Fans {
        both: parallel {
            branch {
                left: pass { result: "l" },
            },
            branch {
                right_check: choice {
                    is_present("$.right") => right,
                    _ => right,
                },
                right: succeed,
            },
            result_path: "$.both",
            result_selector: { "first.$": "$[0]" },
            retry ["States.BranchFailed"] { max_attempts: 1 },
            catch ["States.ALL"] => failed,
        },
        each: map {
            items_path: "$.items",
            item_selector: { "index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value" },
            max_concurrency: 4,
            tolerated_failure_count: 1,
            tolerated_failure_percentage: 12.5,
            label: "each",
            processor(mode = distributed, execution_type = express) {
                work: pass { result_path: "$.done" },
            },
            result_path: "$.results",
            next: done,
        },
        failed: fail { error: "Fanned", cause: "a branch failed" },
        done: succeed,
    }
}

#[test]
fn parallel_and_map_nest_the_grammar() {
    assert_eq!(
        state::<Fans>("both"),
        json!({
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "left", "States": {"left": {"Type": "Pass", "Result": "l", "End": true}}},
                {
                    "StartAt": "right_check",
                    "States": {
                        "right_check": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.right", "IsPresent": true, "Next": "right"}],
                            "Default": "right"
                        },
                        "right": {"Type": "Succeed"}
                    }
                }
            ],
            "ResultSelector": {"first.$": "$[0]"},
            "ResultPath": "$.both",
            "Retry": [{"ErrorEquals": ["States.BranchFailed"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "failed"}],
            "Next": "each"
        })
    );
    assert_eq!(
        state::<Fans>("each"),
        json!({
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "work",
                "States": {"work": {"Type": "Pass", "ResultPath": "$.done", "End": true}}
            },
            "ItemsPath": "$.items",
            "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value"},
            "MaxConcurrency": 4,
            "ToleratedFailureCount": 1,
            "ToleratedFailurePercentage": 12.5,
            "Label": "each",
            "ResultPath": "$.results",
            "Next": "done"
        })
    );
}

#[test]
fn the_definition_file_is_written_byte_for_byte() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("sfini")
        .join(env!("CARGO_PKG_NAME"));
    let dir = match std::env::var_os("SFINI_DEFINITIONS_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => match std::env::var_os("CARGO_TARGET_DIR") {
            Some(target) => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(target)
                .join("sfini")
                .join(env!("CARGO_PKG_NAME")),
            None => dir,
        },
    };
    for (name, definition) in [
        (Sequence::NAME, Sequence::DEFINITION),
        (Named::NAME, Named::DEFINITION),
        (Fans::NAME, Fans::DEFINITION),
    ] {
        let file = dir.join(format!("{name}.asl.json"));
        let written = std::fs::read_to_string(&file)
            .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        assert_eq!(written, definition, "{}", file.display());
    }
}

mod tasks {
    use sfini::prelude::*;

    #[derive(Debug, ActivityError)]
    pub enum ShippingError {
        UnknownCountry,
        TooHeavy,
    }

    impl std::fmt::Display for ShippingError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{self:?}")
        }
    }

    /// Prices a parcel.
    #[activity(name = "priceParcel", heartbeat = 10, timeout = 60)]
    pub async fn price(
        country: String,
        kilograms: u32,
        express: Option<bool>,
    ) -> Result<u32, ShippingError> {
        let _ = express;
        match country.as_str() {
            "FR" if kilograms <= 30 => Ok(5),
            "FR" => Err(ShippingError::TooHeavy),
            _ => Err(ShippingError::UnknownCountry),
        }
    }

    #[activity]
    pub fn label(#[input] order: serde_json::Value) -> String {
        format!("label for {order}")
    }
}

sfini::workflow! {
    pub Shipping {
        quote: task(tasks::price) {
            parameters: { "country.$": "$.to", "kilograms": 3 },
            result_path: "$.price",
            retry [tasks::ShippingError::TooHeavy] { max_attempts: 1 },
            catch [tasks::ShippingError::UnknownCountry] => refused,
            catch ["States.ALL"] => refused,
        },
        print: task(tasks::label) { timeout: 5 },
        again: task(crate::tasks::price) { end: true },
        refused: fail { error: "Refused" },
    }
}

#[test]
fn activity_tasks_name_the_activity_and_take_its_settings() {
    let states = definition::<Shipping>()["States"].clone();
    assert_eq!(
        states["quote"],
        json!({
            "Type": "Task",
            "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:priceParcel",
            "Parameters": {"country.$": "$.to", "kilograms": 3},
            "TimeoutSeconds": 60,
            "HeartbeatSeconds": 10,
            "ResultPath": "$.price",
            "Retry": [{"ErrorEquals": ["TooHeavy"], "MaxAttempts": 1}],
            "Catch": [
                {"ErrorEquals": ["UnknownCountry"], "Next": "refused"},
                {"ErrorEquals": ["States.ALL"], "Next": "refused"}
            ],
            "Next": "print"
        })
    );
    assert_eq!(
        states["print"],
        json!({
            "Type": "Task",
            "Resource": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:label",
            "TimeoutSeconds": 5,
            "Next": "again"
        })
    );
    let names: Vec<&str> = <Shipping as Workflow>::ACTIVITIES
        .iter()
        .map(|activity| activity.name)
        .collect();
    assert_eq!(
        names,
        ["priceParcel", "label"],
        "each activity once, in order"
    );
}
