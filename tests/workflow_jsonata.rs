//! `workflow!` in JSONata: the query language of the machine and of each
//! state, `arguments`, `output`, `assign`, conditions, `items`, settings as
//! expressions, references written unquoted, and the Amazon States
//! Language each becomes; then the same workflows run on the local engine.

use serde_json::{Value, json};
use sfini::__private::Workflow;
use sfini::prelude::*;

fn definition<W: Workflow>() -> Value {
    serde_json::from_str(W::DEFINITION).unwrap()
}

#[activity(name = "jsonataPrice")]
async fn price(sku: String, quantity: u32) -> u64 {
    let unit = if sku == "tea" { 250 } else { 100 };
    unit * u64::from(quantity)
}

sfini::workflow! {
    /// Prices an order and says whether it ships free.
    #[workflow(query_language = jsonata)]
    pub Pricing {
        start: pass {
            assign: { order: $states.input, limit: 1000 },
        },
        price: task(price) {
            arguments: { sku: $order.sku, quantity: "{% $order.quantity %}" },
            assign: { total: $states.result },
            output: { total: $states.result },
            timeout: "{% 30 + 30 %}",
            retry ["States.Timeout"] { max_attempts: 2 },
            catch ["States.ALL"] => failed {
                assign: { reason: $states.errorOutput.Cause },
                output: { error: $states.errorOutput.Error },
            },
        },
        decide: choice {
            $total >= $limit => free { assign: { shipping: 0 } },
            "{% $total > 500 %}" => cheap,
            _ => paid,
        },
        free: pass { output: { total: $total, shipping: $shipping } , end: true },
        cheap: wait { seconds: "{% 0 %}", output: { total: $total, shipping: 5 }, end: true },
        paid: pass { output: "{% {'total': $total, 'shipping': 10} %}", end: true },
        failed: fail { error: "PricingFailed", cause: "{% $reason %}" },
    }
}

#[test]
fn a_jsonata_workflow_becomes_jsonata_asl() {
    let arn = "arn:aws:states:${AWS::Region}:${AWS::AccountId}:activity:jsonataPrice";
    assert_eq!(
        definition::<Pricing>(),
        json!({
            "Comment": "Prices an order and says whether it ships free.",
            "QueryLanguage": "JSONata",
            "StartAt": "start",
            "States": {
                "start": {
                    "Type": "Pass",
                    "Assign": {"order": "{% $states.input %}", "limit": 1000},
                    "Next": "price"
                },
                "price": {
                    "Type": "Task",
                    "Resource": arn,
                    "Arguments": {"sku": "{% $order.sku %}", "quantity": "{% $order.quantity %}"},
                    "TimeoutSeconds": "{% 30 + 30 %}",
                    "Output": {"total": "{% $states.result %}"},
                    "Assign": {"total": "{% $states.result %}"},
                    "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}],
                    "Catch": [{
                        "ErrorEquals": ["States.ALL"],
                        "Output": {"error": "{% $states.errorOutput.Error %}"},
                        "Assign": {"reason": "{% $states.errorOutput.Cause %}"},
                        "Next": "failed"
                    }],
                    "Next": "decide"
                },
                "decide": {
                    "Type": "Choice",
                    "Choices": [
                        {"Condition": "{% $total >= $limit %}", "Assign": {"shipping": 0}, "Next": "free"},
                        {"Condition": "{% $total > 500 %}", "Next": "cheap"}
                    ],
                    "Default": "paid"
                },
                "free": {
                    "Type": "Pass",
                    "Output": {"total": "{% $total %}", "shipping": "{% $shipping %}"},
                    "End": true
                },
                "cheap": {
                    "Type": "Wait",
                    "Seconds": "{% 0 %}",
                    "Output": {"total": "{% $total %}", "shipping": 5},
                    "End": true
                },
                "paid": {
                    "Type": "Pass",
                    "Output": "{% {'total': $total, 'shipping': 10} %}",
                    "End": true
                },
                "failed": {"Type": "Fail", "Error": "PricingFailed", "Cause": "{% $reason %}"}
            }
        })
    );
    let machine = <Pricing as Workflow>::state_machine();
    assert!(machine.validate().is_valid(), "{}", machine.validate());
}

sfini::workflow! {
    /// Rust-like conditions, lowered to JSONata.
    #[workflow(query_language = jsonata)]
    pub Conditions {
        decide: choice {
            $states.input.n < 10 && !($states.input.name == "x") => a,
            is_present($states.input.tag) || is_null($states.input.other) => a,
            is_string($states.input.name) && is_numeric($states.input.n) && is_boolean($states.input.b) => a,
            matches($states.input.file, "*.csv") => a,
            timestamp($states.input.at) < "2026-01-01T00:00:00Z" => a,
            $states.input.flag == true => a,
            "{% $count($states.input.list) > 2 %}" => a,
            $states.input.approved => a,
            _ => b,
        },
        a: succeed,
        b: succeed,
    }
}

#[test]
fn rust_like_conditions_become_jsonata_conditions() {
    let conditions: Vec<Value> = definition::<Conditions>()["States"]["decide"]["Choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["Condition"].clone())
        .collect();
    assert_eq!(
        conditions,
        [
            r#"{% $states.input.n < 10 and $not($states.input.name = "x") %}"#,
            "{% $exists($states.input.tag) or $states.input.other = null %}",
            r#"{% $type($states.input.name) = "string" and $type($states.input.n) = "number" and $type($states.input.b) = "boolean" %}"#,
            r"{% $contains($states.input.file, /^.*\.csv$/) %}",
            r#"{% $toMillis($states.input.at) < $toMillis("2026-01-01T00:00:00Z") %}"#,
            "{% $states.input.flag = true %}",
            "{% $count($states.input.list) > 2 %}",
            "{% $states.input.approved %}",
        ]
    );
}

sfini::workflow! {
    /// Variables in a JSONPath workflow: `assign`, references in payload
    /// templates and settings, and `$name` in paths and conditions.
    pub JsonPathVariables {
        remember: pass {
            assign: { "limit.$": "$.limit", order: $states, fixed: 3 },
            next: wait_a_bit,
        },
        wait_a_bit: wait { seconds: $limit },
        report: pass {
            parameters: { limit: $limit, "sum.$": "States.MathAdd($limit, $fixed)" },
        },
        decide: choice {
            $limit > 5 => big,
            "$fixed" == 3 => big,
            _ => small,
        },
        big: succeed,
        small: succeed,
    }
}

#[test]
fn jsonpath_workflows_assign_and_read_variables() {
    let states = &definition::<JsonPathVariables>()["States"];
    assert_eq!(
        states["remember"]["Assign"],
        json!({"limit.$": "$.limit", "order.$": "$states", "fixed": 3})
    );
    assert_eq!(states["wait_a_bit"]["SecondsPath"], "$limit");
    assert_eq!(
        states["report"]["Parameters"],
        json!({"limit.$": "$limit", "sum.$": "States.MathAdd($limit, $fixed)"})
    );
    assert_eq!(
        states["decide"]["Choices"],
        json!([
            {"Variable": "$limit", "NumericGreaterThan": 5, "Next": "big"},
            {"Variable": "$fixed", "NumericEquals": 3, "Next": "big"}
        ])
    );
}

sfini::workflow! {
    /// A Lambda function, a Map and a Parallel in JSONata.
    #[workflow(query_language = jsonata)]
    pub Shapes {
        call: lambda("arn:aws:lambda:us-east-1:123456789012:function:f") {
            output: $states.result.Payload,
        },
        call_again: lambda("g") {
            arguments: { id: $states.input.id },
        },
        each: map {
            items: $states.input.lines,
            item_selector: { line: $states.context.Map.Item.Value, index: "{% $states.context.Map.Item.Index %}" },
            max_concurrency: "{% 2 %}",
            processor {
                one: pass { output: $states.input.line },
            },
            output: { lines: $states.result },
        },
        both: parallel {
            arguments: { lines: $states.input.lines },
            // Objects: asl-validator 4.0.0's schema refuses an Output that
            // is a number, which AWS documents as allowed (any JSON value).
            branch { left: pass { output: { side: "left" } } },
            branch { right: pass { output: { side: "right" } } },
        },
    }
}

#[test]
fn lambda_map_and_parallel_take_their_jsonata_fields() {
    let states = &definition::<Shapes>()["States"];
    assert_eq!(
        states["call"]["Arguments"],
        json!({
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Payload": "{% $states.input %}"
        })
    );
    assert_eq!(states["call"]["Resource"], "arn:aws:states:::lambda:invoke");
    assert_eq!(
        states["call_again"]["Arguments"],
        json!({"FunctionName": "g", "Payload": {"id": "{% $states.input.id %}"}})
    );
    assert_eq!(states["each"]["Items"], "{% $states.input.lines %}");
    assert_eq!(states["each"]["MaxConcurrency"], "{% 2 %}");
    assert_eq!(
        states["each"]["Output"],
        json!({"lines": "{% $states.result %}"})
    );
    assert_eq!(
        states["both"]["Arguments"],
        json!({"lines": "{% $states.input.lines %}"})
    );
}

sfini::workflow! {
    /// One JSONata state in a JSONPath workflow.
    pub Mixed {
        first: pass { result: { "n": 2 }, result_path: "$.x" },
        second: pass { query_language: jsonata, output: "{% $states.input.x.n * 2 %}" },
    }
}

#[test]
fn a_state_may_speak_jsonata_in_a_jsonpath_workflow() {
    let states = &definition::<Mixed>()["States"];
    assert_eq!(states["second"]["QueryLanguage"], "JSONata");
    assert_eq!(states["second"]["Output"], "{% $states.input.x.n * 2 %}");
    assert!(definition::<Mixed>().get("QueryLanguage").is_none());
}

#[tokio::test]
async fn the_jsonata_workflow_runs_on_the_local_engine() {
    let sfn = Sfn::local();
    let worker = sfn.worker().workflow::<Pricing>().start().await.unwrap();
    let machine = sfn.workflow::<Pricing>();
    machine.register().await.unwrap();
    for (input, expected) in [
        (
            json!({"sku": "tea", "quantity": 8}),
            json!({"total": 2000, "shipping": 0}),
        ),
        (
            json!({"sku": "tea", "quantity": 3}),
            json!({"total": 750, "shipping": 5}),
        ),
        (
            json!({"sku": "cup", "quantity": 2}),
            json!({"total": 200, "shipping": 10}),
        ),
    ] {
        let output: Value = machine
            .start(&input)
            .await
            .unwrap()
            .wait()
            .await
            .unwrap()
            .output()
            .unwrap();
        assert_eq!(output, expected, "for {input}");
    }
    // Bad input fails the activity; the catcher keeps its cause in a
    // variable that the Fail state reads.
    let error = machine
        .start(&json!({"sku": "tea", "quantity": "many"}))
        .await
        .unwrap()
        .wait()
        .await
        .unwrap_err();
    assert_eq!(error.error_name(), Some("PricingFailed"));
    assert!(
        error.cause().unwrap().contains("quantity"),
        "{:?}",
        error.cause()
    );
    worker.shutdown().await.unwrap();
}

/// Runs asl-validator (installed by scripts/asl-validator-env.sh, which
/// the test command runs) on each file; returns what it said of those it
/// refused.
fn asl_validator(files: &[std::path::PathBuf]) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let validator =
        root.join("target/asl-validator/node_modules/asl-validator/dist/bin/asl-validator.js");
    assert!(
        validator.exists(),
        "asl-validator is not installed at {}: run `bash scripts/asl-validator-env.sh`",
        validator.display()
    );
    files
        .iter()
        .filter_map(|file| {
            let out = std::process::Command::new("node")
                .arg(&validator)
                .arg("--json-path")
                .arg(file)
                .output()
                .expect("node runs");
            (!out.status.success()).then(|| {
                format!(
                    "{}: {}{}",
                    file.display(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                )
            })
        })
        .collect()
}

#[test]
fn asl_validator_accepts_what_workflow_writes() {
    let dir = std::env::temp_dir().join(format!("sfini-asl-validator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, definition) in [
        ("Pricing", Pricing::DEFINITION),
        ("Conditions", Conditions::DEFINITION),
        ("JsonPathVariables", JsonPathVariables::DEFINITION),
        ("Shapes", Shapes::DEFINITION),
        ("Mixed", Mixed::DEFINITION),
    ] {
        let file = dir.join(format!("{name}.asl.json"));
        std::fs::write(&file, definition).unwrap();
        files.push(file);
    }
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/asl");
    for entry in std::fs::read_dir(&examples).unwrap() {
        files.push(entry.unwrap().path());
    }
    assert!(files.len() >= 15, "{files:?}");
    // The validator can refuse: a state with a misspelt field.
    let broken = dir.join("broken.asl.json");
    std::fs::write(
        &broken,
        r#"{"StartAt": "a", "States": {"a": {"Type": "Pass", "Nexxt": "b"}}}"#,
    )
    .unwrap();
    assert_eq!(asl_validator(std::slice::from_ref(&broken)).len(), 1);
    let refused = asl_validator(&files);
    std::fs::remove_dir_all(&dir).ok();
    assert!(refused.is_empty(), "{refused:#?}");
}
