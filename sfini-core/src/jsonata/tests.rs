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
fn operators_on_selections_answer_as_the_engine_does() {
    // Each expression is evaluated on the fast path, and in parentheses,
    // which the engine evaluates: the answers (or error codes) agree.
    let mut variables = Map::new();
    for (name, value) in [
        ("i", json!(41)),
        ("f", json!(0.1)),
        ("big", json!(9_007_199_254_740_993_u64)),
        ("s", json!("abc")),
        ("t", json!("b")),
        ("emoji", json!("😀")),
        ("private", json!("\u{f000}")),
        ("yes", json!(true)),
        ("nothing", json!(null)),
        ("list", json!([1, 2])),
        ("object", json!({"n": 3, "s": "x"})),
    ] {
        variables.insert(name.to_string(), value);
    }
    let input = json!({"total": 250, "name": "order", "items": [1, 2, 3]});
    let operands = [
        "$i",
        "$f",
        "$big",
        "$s",
        "$t",
        "$emoji",
        "$private",
        "$yes",
        "$nothing",
        "$list",
        "$object.n",
        "$object.s",
        "$missing",
        "$states.input.total",
        "$states.input.name",
        "$states.input.items",
        "1",
        "0",
        "2.5",
        "-3",
        "'b'",
        "''",
        "true",
        "false",
        "null",
    ];
    let operators = ["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">="];
    let environment = Environment::new(&input, &variables);
    let limits = Limits::default();
    let answer = |text: &str| match compile(text).evaluate(&environment, &limits) {
        Ok(value) => Ok(value),
        Err(error) => Err(error.code),
    };
    let mut checked = 0;
    for lhs in operands {
        for rhs in operands {
            for operator in operators {
                let text = format!("{lhs} {operator} {rhs}");
                assert_eq!(answer(&text), answer(&format!("({text})")), "{text}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 25 * 25 * 11);
}

#[test]
fn the_step_functions_functions_answer_as_documented() {
    assert_eq!(
        value("$partition([1, 2, 3, 4, 5], 2)"),
        json!([[1, 2], [3, 4], [5]])
    );
    assert_eq!(value("$range(0, 10, 3)"), json!([0, 3, 6, 9]));
    assert_eq!(
        value("$hash('abc', 'SHA-256')"),
        json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(value("$random(7) = $random(7)"), json!(true));
    assert_eq!(value("$random() >= 0 and $random() < 1"), json!(true));
    assert_eq!(value("$length($uuid())"), json!(36));
    assert_eq!(value("$parse('{\"a\": [1, 2]}').a[1]"), json!(2));
    assert_eq!(
        eval("$states.input.a", json!({"a": 1})).unwrap(),
        Some(json!(1))
    );
    for (text, code) in [
        ("$eval('1')", "SF0901"),
        ("$hash('a', 'SHA-3')", "SF0301"),
        ("$parse('{')", "SF0601"),
        ("1 + 'a'", "T2002"),
    ] {
        assert_eq!(error(text).code, code, "{text}");
    }
}
