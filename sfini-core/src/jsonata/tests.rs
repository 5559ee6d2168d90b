//! Unit tests of the module: the `{% %}` rule, the analysis, the Step
//! Functions functions, the fast paths and the errors.

use serde_json::{Map, Value, json};

use super::*;

fn compile(text: &str) -> Expression {
    match Expression::compile(text) {
        Ok(expression) => expression,
        Err(error) => panic!("{text}: {error}"),
    }
}

fn eval(text: &str, input: Value) -> Result<Option<Value>, EvaluationError> {
    compile(text).evaluate(&Environment::new(&input, &()), &Limits::default())
}

fn value(text: &str) -> Value {
    match eval(text, json!({})) {
        Ok(Some(value)) => value,
        other => panic!("{text}: {other:?}"),
    }
}

fn error(text: &str) -> EvaluationError {
    match eval(text, json!({})) {
        Err(error) => error,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn scratch() {
    for text in [
        "$states.input.a",
        "$partition([1,2,3,4,5], 2)",
        "$range(1, 9, 9)",
        "$range(0, 10, 2)",
        "$hash('abc', 'SHA-256')",
        "$random(3)",
        "$random()",
        "$uuid()",
        "$parse('{\"a\": [1, -0]}')",
    ] {
        println!("{text}: {:?}", eval(text, json!({"a": 1})));
    }
    for text in [
        "$eval('1')",
        "$hash('a', 'SHA-3')",
        "$partition([1], 0)",
        "$range(1, 2, 0)",
        "$parse('{')",
        "$states.input.(",
        "1 + 'a'",
    ] {
        println!(
            "{text}: {:?}",
            Expression::compile(text)
                .map(|e| e.evaluate(&Environment::new(&json!({}), &()), &Limits::default()))
        );
    }
    let _ = (value, error, Map::<String, Value>::new());
}
