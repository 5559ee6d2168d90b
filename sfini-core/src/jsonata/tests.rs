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

#[test]
fn states_read_in_place_answer_as_states_bound() {
    // `$states` is read in place (as the root input) where that means the
    // same as binding it; the answers, error codes and error offsets agree
    // with the bound reading, which a context value forces.
    let input =
        json!({"n": 4, "s": "text", "items": [{"p": 2}, {"p": 3}], "nested": {"a": [1, [2, 3]]}});
    let context = json!({"State": {"Name": "S"}});
    let mut variables = Map::new();
    variables.insert("k".into(), json!(2));
    let mut environment = Environment::new(&input, &variables);
    environment.context = Some(&context);
    let empty = json!(null);
    for text in [
        "$states.input.n * $k",
        "$sum($states.input.items.p)",
        "$states.input.items[p > 2].p",
        "$count($states.input.items)",
        "$states.input.items[0]",
        "$states.input.items[-1].p",
        "$keys($states)",
        "$states.context.State.Name & '/' & $states.input.s",
        "$map($states.input.items, function($i) { $i.p + $states.input.n })",
        "$states.input.nested.a[1][0]",
        "$states.input.nested.**",
        "$states.input.missing",
        "$states.input.n + $states.input.s",
        "$uppercase($states.input.n)",
        "{'a': $states.input.n, 'b': [$states.input.s]}",
        "$states.input.items.{'q': p * $k}",
    ] {
        let expression = compile(text);
        assert!(expression.inner.states_engine.is_some(), "{text}");
        let limits = Limits::default();
        let in_place = expression.evaluate(&environment, &limits);
        let bound = expression.evaluate_with_context(Some(&empty), &environment, &limits);
        match (&in_place, &bound) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
            (Err(a), Err(b)) => {
                assert_eq!(
                    (&a.code, a.offset),
                    (&b.code, b.offset),
                    "{text}: {a} / {b}"
                )
            }
            _ => panic!("{text}: {in_place:?} / {bound:?}"),
        }
    }
    // Where `states` is bound inside the expression, or the context read
    // (a path without a variable, or a function given the context for an
    // argument left out), the expression keeps `$states` bound.
    for text in [
        "( $states := {'input': 1}; $states.input )",
        "$map([1], function($states) { $states })",
        "$states.input.n + $count(items)",
        "{'a': $states.input.n, 'b': $string()}",
        "{'a': $states.input.n, 'b': $substring(1)}",
        "( $f := $string; {'a': $f($states.input.n)} )",
    ] {
        assert!(compile(text).inner.states_engine.is_none(), "{text}");
    }
}

#[test]
fn required_arguments_are_counted_from_signatures() {
    use super::analysis::required_arguments;
    assert_eq!(required_arguments("<s-nn?:s>"), 2);
    assert_eq!(required_arguments("<x-b?:s>"), 1);
    assert_eq!(required_arguments("<s-(sf)(sf)n?:s>"), 3);
    assert_eq!(required_arguments("<af?:a>"), 1);
    assert_eq!(required_arguments("<a<n>:n>"), 1);
    assert_eq!(required_arguments("<:n>"), 0);
}
