use serde_json::{Value, json};

use super::*;

fn error_of(config: Value) -> MockConfigError {
    MockConfig::from_value(&config).expect_err("the configuration is refused")
}

/// AWS's example of a mock configuration, as its documentation gives it.
fn aws_example() -> Value {
    json!({
        "StateMachines": {
            "LambdaSQSIntegration": {
                "TestCases": {
                    "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
                    "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
                    "HybridPath": {"LambdaState": "MockedLambdaSuccess"}
                }
            }
        },
        "MockedResponses": {
            "MockedLambdaSuccess": {
                "0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
            },
            "LambdaMockedResourceNotReady": {
                "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}
            },
            "MockedSQSSuccess": {
                "0": {"Return": {"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}
            },
            "MockedLambdaRetry": {
                "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
                "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
                "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
            }
        }
    })
}

#[test]
fn reads_the_documented_example() {
    let config = MockConfig::from_value(&aws_example()).unwrap();
    assert_eq!(
        config.machines().collect::<Vec<_>>(),
        ["LambdaSQSIntegration"]
    );
    assert_eq!(
        config
            .test_cases("LambdaSQSIntegration")
            .collect::<Vec<_>>(),
        ["HappyPath", "RetryPath", "HybridPath"]
    );
    let retry = config
        .test_case("LambdaSQSIntegration", "RetryPath")
        .unwrap();
    assert_eq!(retry.name(), "RetryPath");
    assert_eq!(
        retry.states().collect::<Vec<_>>(),
        ["LambdaState", "SQSState"]
    );
    let lambda = retry.state("LambdaState").unwrap();
    assert_eq!(lambda.name(), "MockedLambdaRetry");
    assert_eq!(lambda.attempts(), 4);
    let errors: Vec<String> = (0..4)
        .map(|attempt| match lambda.answer(attempt).unwrap() {
            MockAnswer::Throw { error, .. } => error.clone(),
            MockAnswer::Return(value) => value["Payload"]["body"].to_string(),
        })
        .collect();
    assert_eq!(
        errors,
        [
            "Lambda.ResourceNotReadyException",
            "Lambda.TimeoutException",
            "Lambda.TimeoutException",
            "\"Hello from Lambda!\""
        ]
    );
    assert_eq!(lambda.answer(4), None);
    let hybrid = config
        .test_case("LambdaSQSIntegration", "HybridPath")
        .unwrap();
    assert!(hybrid.state("SQSState").is_none());
}

#[test]
fn answers_follow_the_key_order_of_the_numbers_not_of_the_file() {
    let config = MockConfig::from_value(&json!({
        "StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
        "MockedResponses": {"R": {
            "2": {"Return": "third"},
            "0-1": {"Return": "first two"}
        }}
    }))
    .unwrap();
    let response = config.test_case("M", "T").unwrap();
    let response = response.state("S").unwrap();
    assert_eq!(
        response.answer(0),
        Some(&MockAnswer::Return(json!("first two")))
    );
    assert_eq!(
        response.answer(1),
        Some(&MockAnswer::Return(json!("first two")))
    );
    assert_eq!(
        response.answer(2),
        Some(&MockAnswer::Return(json!("third")))
    );
}

#[test]
fn any_json_value_may_be_returned() {
    for value in [
        json!(null),
        json!(7),
        json!("text"),
        json!([1, 2]),
        json!(false),
    ] {
        let config = MockConfig::from_value(&json!({
            "StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": value}}}
        }))
        .unwrap();
        assert_eq!(
            config
                .test_case("M", "T")
                .unwrap()
                .state("S")
                .unwrap()
                .answer(0),
            Some(&MockAnswer::Return(value))
        );
    }
}

#[test]
fn huge_ranges_cost_nothing() {
    let config = MockConfig::from_value(&json!({
        "StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
        "MockedResponses": {"R": {
            "0-18446744073709551613": {"Throw": {"Error": "E", "Cause": "c"}},
            "18446744073709551614": {"Return": 1}
        }}
    }))
    .unwrap();
    let case = config.test_case("M", "T").unwrap();
    let response = case.state("S").unwrap();
    assert!(matches!(
        response.answer(12_345_678_901),
        Some(MockAnswer::Throw { .. })
    ));
    assert_eq!(
        response.answer(u64::MAX - 1),
        Some(&MockAnswer::Return(json!(1)))
    );
    assert_eq!(response.answer(u64::MAX), None);
}

#[test]
fn unknown_machines_and_test_cases_name_what_there_is() {
    let config = MockConfig::from_value(&aws_example()).unwrap();
    let error = config.test_case("Nope", "HappyPath").unwrap_err();
    assert_eq!(
        error.to_string(),
        "test case `HappyPath` of state machine `Nope`: the mock configuration has no state \
         machine named `Nope` (there are `LambdaSQSIntegration`)"
    );
    let error = config
        .test_case("LambdaSQSIntegration", "SadPath")
        .unwrap_err();
    assert_eq!(
        error.message,
        "the mock configuration has no test case `SadPath` for `LambdaSQSIntegration` (there are \
         `HappyPath`, `RetryPath`, `HybridPath`)"
    );
}

#[test]
fn malformed_files_are_refused_with_the_place() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!([]), "$", "expected an object, found an array"),
        (
            json!({"StateMachines": {}, "MockedResponse": {}}),
            "$.MockedResponse",
            "unknown field `MockedResponse`; the fields here are `StateMachines` and `MockedResponses`",
        ),
        (
            json!({"MockedResponses": {}}),
            "$",
            "no `StateMachines`: a mock configuration names its state machines' test cases under `StateMachines`",
        ),
        (
            json!({"StateMachines": {"M": {"Tests": {}}}}),
            "$.StateMachines.M.Tests",
            "unknown field `Tests`; the fields here are `TestCases`",
        ),
        (
            json!({"StateMachines": {"M": {}}}),
            "$.StateMachines.M",
            "no `TestCases`",
        ),
        (
            json!({"StateMachines": {"M": {"TestCases": {"T": {"S": 3}}}}}),
            "$.StateMachines.M.TestCases.T.S",
            "expected the name of a mocked response (a string), found a number",
        ),
        (
            json!({"StateMachines": {"M": {"TestCases": {"Happy Path": {"My State": "Missing"}}}},
                   "MockedResponses": {"R": {"0": {"Return": 1}}}}),
            "$.StateMachines.M.TestCases['Happy Path']['My State']",
            "no mocked response is named `Missing` under `MockedResponses` (there are `R`)",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {}}}),
            "$.MockedResponses.R",
            "a mocked response needs at least one answer, such as `\"0\": {\"Return\": {}}`",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"1": {"Return": 1}}}}),
            "$.MockedResponses.R['1']",
            "the attempts are numbered without gaps from 0: attempt 0 has no answer",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}),
            "$.MockedResponses.R['2']",
            "attempt 2 is answered twice: the attempts up to 2 are answered already",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1}, "2-3": {"Return": 2}}}}),
            "$.MockedResponses.R['2-3']",
            "the attempts are numbered without gaps from 0: attempt 1 has no answer",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"3-1": {"Return": 1}}}}),
            "$.MockedResponses.R['3-1']",
            "the range `3-1` ends before it starts: write the lower number first",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"first": {"Return": 1}}}}),
            "$.MockedResponses.R.first",
            "`first` does not number attempts: write one number (`\"0\"`) or a range of them (`\"1-3\"`)",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"-1": {"Return": 1}}}}),
            "$.MockedResponses.R['-1']",
            "`-1` does not number attempts: write one number (`\"0\"`) or a range of them (`\"1-3\"`)",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"99999999999999999999": {"Return": 1}}}}),
            "$.MockedResponses.R['99999999999999999999']",
            "`99999999999999999999` is too large a number of attempts",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0": {}}}}),
            "$.MockedResponses.R['0']",
            "an answer needs a `Return` (the service's answer) or a `Throw` (`Error` and `Cause`)",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}}),
            "$.MockedResponses.R['0']",
            "an answer is a `Return` or a `Throw`, not both",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Returns": 1}}}}),
            "$.MockedResponses.R['0'].Returns",
            "unknown field `Returns`; the fields here are `Return` and `Throw`",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "E"}}}}}),
            "$.MockedResponses.R['0'].Throw",
            "a `Throw` needs `Error` and `Cause`; `Cause` is missing",
        ),
        (
            json!({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": 5, "Cause": "c"}}}}}),
            "$.MockedResponses.R['0'].Throw.Error",
            "expected a string, found a number",
        ),
    ];
    for (config, location, message) in cases {
        let error = error_of(config.clone());
        assert_eq!(
            (error.location.as_str(), error.message.as_str()),
            (location, message),
            "for {config}"
        );
    }
}

#[test]
fn text_that_is_not_json_says_where() {
    let error = MockConfig::from_json("{\n  \"StateMachines\": {,\n}").unwrap_err();
    assert_eq!(error.location, "line 2, column 21");
    assert!(error.message.starts_with("not JSON: "), "{error}");
    let huge = " ".repeat(MAX_MOCK_CONFIG_BYTES + 1);
    let error = MockConfig::from_json(&huge).unwrap_err();
    assert!(
        error.message.contains("at most 16777216 are read"),
        "{error}"
    );
}

#[test]
fn responses_built_in_rust() {
    let response = MockedResponse::new("flaky")
        .then_throw("Busy", "try later")
        .then(MockAnswer::Return(json!(1)), 2)
        .then(MockAnswer::Return(json!(2)), 0)
        .then_return(json!(3));
    assert_eq!(response.attempts(), 4);
    assert_eq!(
        (0..5)
            .map(|n| response.answer(n).map(ToString::to_string))
            .collect::<Vec<_>>(),
        [
            Some("Throw Busy: try later".to_string()),
            Some("Return 1".to_string()),
            Some("Return 1".to_string()),
            Some("Return 3".to_string()),
            None
        ]
    );
    let case = TestCase::new("t").mock("S", response.clone());
    assert_eq!(case.state("S"), Some(&response));
    assert_eq!(MockedResponse::new("none").answer(0), None);
}
