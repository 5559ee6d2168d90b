//! Hostile JSONata: expressions and data built to crash, hang or exhaust
//! the process. Each must end with an error (or a bounded result) within a
//! bounded time and memory, on a thread with tokio's 2 MiB stack, with
//! sfini's metering allocator installed as in the `sfini` binary.

use std::alloc::System;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use sfini_core::jsonata::meter::{self, MeteredAllocator};
use sfini_core::jsonata::{Environment, EvaluationError, Expression, Limits};
use sfini_core::limits::MAX_DEPTH;

#[global_allocator]
static ALLOC: MeteredAllocator<System> = MeteredAllocator(System);

/// Tokio's default worker stack.
const STACK: usize = 2 << 20;

/// The cases that may hold more than the memory bound for a moment (see
/// `assert_fails`).
const TRANSIENT: [&str; 1] = ["$fromMillis with a long picture"];

/// How long any one case may take, in a debug build on a busy machine.
const TIME_BOUND: Duration = Duration::from_secs(20);

/// What a case gave, with how long it took and the most memory the
/// evaluation held.
struct Run {
    outcome: Result<Option<Value>, EvaluationError>,
    elapsed: Duration,
    peak: Option<usize>,
}

/// Compiles and evaluates `text` on a 2 MiB thread with `input` and
/// `variables`, within `limits`.
fn run_with(text: &str, input: Value, variables: Map<String, Value>, limits: Limits) -> Run {
    let text = text.to_owned();
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let started = Instant::now();
            let outcome = Expression::compile(&text)
                .map_err(|error| EvaluationError {
                    code: error.code,
                    message: error.message,
                    offset: Some(error.offset),
                    exhausted: false,
                })
                .and_then(|expression| {
                    let environment = Environment::new(&input, &variables);
                    expression.evaluate(&environment, &limits)
                });
            let elapsed = started.elapsed();
            // Dropping deep data must not overflow the stack either.
            drop(input);
            drop(variables);
            Run {
                outcome,
                elapsed,
                peak: meter::last_usage().map(|usage| usage.peak_bytes),
            }
        })
        .expect("a thread")
        .join()
        .expect("the evaluation does not panic or overflow its stack")
}

fn run(text: &str) -> Run {
    run_with(text, json!({}), Map::new(), Limits::default())
}

/// Asserts that `run` failed with one of `codes` (`|`-separated: which
/// limit an evaluation reaches first may vary), within the time bound and,
/// when it evaluated, within the memory bound (checked at the evaluation's
/// steps, so a single step may go past it by what one step builds: a
/// string or an array within their limits).
#[track_caller]
fn assert_fails(name: &str, run: &Run, codes: &str, exhausted: bool) {
    let limits = Limits::default();
    let code = match &run.outcome {
        Err(error) => {
            assert!(
                codes.split('|').any(|code| code == error.code),
                "{name}: {error}"
            );
            assert_eq!(error.exhausted, exhausted, "{name}: {error}");
            error.code.clone()
        }
        Ok(value) => panic!(
            "{name}: expected {codes}, got {:?}",
            value.as_ref().map(short)
        ),
    };
    assert!(run.elapsed < TIME_BOUND, "{name} took {:?}", run.elapsed);
    if let Some(peak) = run.peak {
        // A few built-ins build their whole result in one step, before the
        // limits can refuse it: a date picture is read into parts, tens of
        // bytes for each character of a picture within the string limit.
        let bound = if TRANSIENT.contains(&name) {
            256 << 20
        } else {
            limits.memory_bytes + (16 << 20)
        };
        assert!(peak < bound, "{name} held {peak} bytes at once");
    }
    println!(
        "{name}: {code} after {:?}, peak {} KiB",
        run.elapsed,
        run.peak.map_or(0, |peak| peak >> 10)
    );
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    text.chars().take(80).collect()
}

#[test]
fn the_allocator_is_installed() {
    assert!(meter::installed());
}

#[test]
fn deeply_nested_expressions_do_not_compile() {
    for depth in [10_000, 100_000] {
        let cases = [
            (
                "parens",
                format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
            ),
            (
                "arrays",
                format!("{}1{}", "[".repeat(depth), "]".repeat(depth)),
            ),
            (
                "objects",
                format!("{}1{}", "{'a':".repeat(depth), "}".repeat(depth)),
            ),
            ("negations", format!("{}1", "-".repeat(depth))),
            ("sums", format!("1{}", "+1".repeat(depth))),
            (
                "calls",
                format!("{}1{}", "$abs(".repeat(depth), ")".repeat(depth)),
            ),
            (
                "lambdas",
                format!("{}1{}", "function($x){".repeat(depth), "}".repeat(depth)),
            ),
        ];
        for (name, text) in cases {
            let run = run(&text);
            assert_fails(&format!("{name} nested {depth} deep"), &run, "U1001", false);
        }
    }
}

#[test]
fn recursion_ends() {
    let cases = [
        (
            "infinite recursion",
            "($f := function($n){ $n + $f($n + 1) }; $f(0))",
            "D1011",
        ),
        (
            "deep recursion",
            "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(10000))",
            "D1011",
        ),
        (
            "mutual recursion",
            "($a := function($n){ $b($n) }; $b := function($n){ 1 + $a($n) }; $a(0))",
            "D1011",
        ),
    ];
    for (name, text, code) in cases {
        assert_fails(name, &run(text), code, true);
    }
}

/// Work without end stops at the steps bound. The default (2^24 steps) is
/// about half a second in a release build (see the benchmark) and several
/// seconds in a debug one, where the timeout may come first; these cases
/// run with 2^20 steps to keep the test short.
#[test]
fn endless_work_ends() {
    let limits = Limits {
        steps: 1 << 20,
        ..Limits::default()
    };
    let cases = [
        (
            "infinite tail recursion",
            "($f := function($n){ $f($n + 1) }; $f(0))",
        ),
        (
            "an endless loop of $map",
            "($f := function($a){ $f($map($a, function($v){ $v + 1 })) }; $f([1, 2, 3]))",
        ),
        (
            "a large $reduce",
            "$reduce([1..200000], function($acc, $v){ $acc + $v * 2 })",
        ),
        (
            "a predicate on a cross join",
            "$count([1..2000].([1..2000][$ > 1999]))",
        ),
    ];
    for (name, text) in cases {
        let run = run_with(text, json!({}), Map::new(), limits);
        assert_fails(name, &run, "U1006|D1012", true);
    }
}

#[test]
fn large_values_are_refused() {
    let cases = [
        (
            "cross join 10^4 x 10^4",
            "$count([1..10000].([1..10000].($ * 2)))",
            "U1001|U1003",
            true,
        ),
        (
            "cross join of objects",
            "$count([1..10000].{'a': $}.([1..10000].{'b': $}))",
            "U1001|U1003",
            true,
        ),
        ("range of 10^8", "$count([1..100000000])", "D2014", false),
        (
            "$range of 10^9",
            "$count($range(0, 1000000000, 1))",
            "SF0202",
            true,
        ),
        (
            "string doubling",
            "($d := function($s, $n){ $n = 0 ? $s : $d($s & $s, $n - 1) }; $length($d('ab', 40)))",
            "U1001",
            true,
        ),
        (
            "string doubling by $join",
            "($d := function($s, $n){ $n = 0 ? $s : $d($join([$s, $s]), $n - 1) }; $length($d('ab', 40)))",
            "U1001",
            true,
        ),
        (
            "$pad to 10^9",
            "$length($pad('x', 1000000000))",
            "U1001",
            true,
        ),
        (
            "$pad to 10^6 emoji",
            "$length($pad('x', -1000000, '😀'))",
            "U1001",
            true,
        ),
        (
            "$sort of 10^6",
            "$count($sort($reverse([1..1000000])))",
            "U1001",
            true,
        ),
        (
            "$string of a wide array",
            "$length($string([1..200000].[$, $, $, $, $, $, $, $, $, $]))",
            "U1001|U1003",
            true,
        ),
        (
            "many strings under the limit",
            "$count([1..100000].$pad('', 2000, 'x'))",
            "U1001|U1003",
            true,
        ),
        (
            "many arrays under the limit",
            "$count([1..200].[1..200000])",
            "U1001|U1003",
            true,
        ),
        (
            "memory by objects",
            "$count([1..250000].{'a': $, 'b': $string($), 'c': [$, $, $]}.{'d': $})",
            "U1001|U1003",
            true,
        ),
        (
            "a string split into characters",
            "$count($split($pad('', 2000000, 'x'), ''))",
            "U1001|U1003",
            true,
        ),
        (
            "replacing into a huge string",
            "$length($replace($pad('', 2000000, 'a'), 'a', $pad('', 2000, 'b')))",
            "U1001|U1003",
            true,
        ),
        (
            "a regex replacing into a huge string",
            "$length($replace($pad('', 2000000, 'a'), /a/, $pad('', 2000, 'b')))",
            "U1001|U1003",
            true,
        ),
        (
            "$join of many long strings",
            "$length($join([1..1000].$pad('', 2000000, 'c')))",
            "U1001|U1003",
            true,
        ),
        (
            "$formatNumber with a long picture",
            "$formatNumber(1, $pad('', 2000000, '0'))",
            "U1001|U1003|D3093",
            true,
        ),
        (
            "$fromMillis with a long picture",
            "$fromMillis(0, $pad('', 1999998, '[Y]'))",
            "U1001|U1003",
            true,
        ),
        (
            "$spread of a wide object",
            "$count($spread($merge([1..300000].{$string($): $})))",
            "U1001|U1003",
            true,
        ),
        (
            "a group-by over a cross join",
            "$count($keys(([1..1000].([1..1000].{'k': $string($)})){k: k}))",
            "U1001|U1003",
            true,
        ),
    ];
    for (name, text, code, exhausted) in cases {
        assert_fails(name, &run(text), code, exhausted);
    }
}

#[test]
fn the_largest_range_is_refused_after_it_is_built() {
    // JSONata allows ranges of up to 10^7 items; the engine builds one
    // before the array limit refuses it, holding about 24 bytes an item
    // for a moment: the one allocation an evaluation makes past the
    // memory bound, bounded by the range's own limit.
    let run = run("$count([1..10000000])");
    match &run.outcome {
        Err(error) => assert_eq!((error.code.as_str(), error.exhausted), ("U1001", true)),
        Ok(value) => panic!("a result: {value:?}"),
    }
    assert!(run.elapsed < TIME_BOUND, "took {:?}", run.elapsed);
    if let Some(peak) = run.peak {
        assert!(peak < 10_000_000 * 32, "held {peak} bytes at once");
    }
}

#[test]
fn memory_is_capped_by_the_meter() {
    // Strings of 1 MiB, each within the string limit, kept in an array: a
    // few of them pass a small memory bound, which the meter enforces.
    let limits = Limits {
        memory_bytes: 8 << 20,
        ..Limits::default()
    };
    let run = run_with(
        "$count([1..100].$pad('', 1000000, 'x'))",
        json!({}),
        Map::new(),
        limits,
    );
    let Err(error) = &run.outcome else {
        panic!("expected the memory bound to stop the evaluation");
    };
    assert_eq!(error.code, "U1003", "{error}");
    assert!(error.exhausted);
    assert!(error.message.contains("memory"), "{}", error.message);
    let peak = run.peak.expect("the meter counted the evaluation");
    assert!(peak < (8 << 20) + (4 << 20), "held {peak} bytes");
    assert!(meter::last_usage().is_none_or(|usage| usage.peak_bytes < usize::MAX));
}

#[test]
fn a_catastrophic_regular_expression_times_out() {
    // The steps bound each poll of the backtracker as a thousand of its
    // steps, which catastrophic backtracking can still make last minutes:
    // the timeout is the bound (5 s by default; 1 s here, to keep the
    // test short).
    let limits = Limits {
        timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let subject = "a".repeat(40) + "!";
    let cases = [
        ("$match", format!("$match('{subject}', /^(a+)+$/)")),
        ("$contains", format!("$contains('{subject}', /^(a|aa)+$/)")),
        ("$replace", format!("$replace('{subject}', /(a*)*b/, 'x')")),
    ];
    for (name, text) in cases {
        let run = run_with(&text, json!({}), Map::new(), limits);
        let Err(error) = &run.outcome else {
            panic!("{name}: expected a timeout");
        };
        assert!(error.exhausted, "{name}: {error}");
        assert!(
            ["D1012", "U1006"].contains(&error.code.as_str()),
            "{name}: {error}"
        );
        assert!(
            run.elapsed < Duration::from_secs(5),
            "{name} took {:?}",
            run.elapsed
        );
        println!(
            "catastrophic {name}: {} after {:?}",
            error.code, run.elapsed
        );
    }
}

/// A value nested `depth` arrays deep around `inner`.
fn nested(depth: usize, inner: Value) -> Value {
    (0..depth).fold(inner, |value, _| Value::Array(vec![value]))
}

/// An object nested `depth` levels deep: `{"a": {"a": ... inner}}`.
fn nested_objects(depth: usize, inner: Value) -> Value {
    (0..depth).fold(inner, |value, _| {
        let mut map = Map::new();
        map.insert("a".into(), value);
        Value::Object(map)
    })
}

#[test]
fn deep_inputs_and_variables_within_sfinis_depth() {
    let input = nested_objects(MAX_DEPTH - 1, json!(1));
    let deep_variable = nested(MAX_DEPTH - 1, json!("leaf"));
    let path = format!("$states.input{}", ".a".repeat(MAX_DEPTH - 1));
    let cases: Vec<(&str, String)> = vec![
        ("the input as it is", "$states.input".into()),
        (
            "the input through the engine",
            "$states.input ~> $merge()".into(),
        ),
        ("its leaf by path", path.clone()),
        (
            "its leaf by descendants",
            "$states.input.**[$type($) = 'number']".into(),
        ),
        (
            "the input as text",
            "$length($string($states.input))".into(),
        ),
        ("a deep variable", "$deep".into()),
        (
            "a deep variable's leaf",
            "($leaf := function($v){ $type($v) = 'array' ? $leaf($v[0]) : $v }; $leaf($deep))"
                .into(),
        ),
        ("a deep variable as text", "$length($string($deep))".into()),
    ];
    for (name, text) in cases {
        let mut variables = Map::new();
        variables.insert("deep".into(), deep_variable.clone());
        let run = run_with(&text, input.clone(), variables, Limits::default());
        assert!(run.elapsed < TIME_BOUND, "{name} took {:?}", run.elapsed);
        match &run.outcome {
            Ok(Some(_)) => println!("{name}: a result after {:?}", run.elapsed),
            other => panic!(
                "{name}: {:?}",
                other.as_ref().map(|value| value.as_ref().map(short))
            ),
        }
    }
}

#[test]
fn deep_results_are_refused() {
    let cases = [
        (
            "arrays 300 deep",
            "$reduce([1..300], function($acc, $x){ [[$acc]] }, [])",
        ),
        (
            "objects 300 deep",
            "$reduce([1..300], function($acc, $x){ {'a': $acc} }, {})",
        ),
        (
            "arrays 10^4 deep",
            "$reduce([1..10000], function($acc, $x){ [[$acc]] }, [])",
        ),
        (
            "objects 10^5 deep",
            "$reduce([1..100000], function($acc, $x){ {'a': $acc} }, {})",
        ),
        (
            "a deep value as text",
            "$string($reduce([1..100000], function($acc, $x){ [[$acc]] }, []))",
        ),
        (
            "a deep value given to $partition",
            "$partition($reduce([1..100000], function($acc, $x){ [[$acc]] }, []), 1)",
        ),
        (
            "a deep value given to $hash",
            "$hash($string($reduce([1..100000], function($acc, $x){ {'a': $acc} }, {})), 'MD5')",
        ),
    ];
    for (name, text) in cases {
        let run = run(text);
        match &run.outcome {
            Err(error) => {
                assert!(error.exhausted, "{name}: {error}");
                println!("{name}: {} after {:?}", error.code, run.elapsed);
            }
            Ok(value) => panic!("{name}: a result {:?}", value.as_ref().map(short)),
        }
        assert!(run.elapsed < TIME_BOUND, "{name} took {:?}", run.elapsed);
    }
}

#[test]
fn deep_values_compare_within_bounds() {
    // Comparing a deep value with itself inside an evaluation is JSONata's
    // business: it answers, or stops at a limit, without overflowing a
    // stack and within the time bound.
    let run = run("($v := $reduce([1..100000], function($acc, $x){ [[$acc]] }, []); $v = $v)");
    match &run.outcome {
        Ok(value) => assert_eq!(value, &Some(json!(true))),
        Err(error) => assert!(error.exhausted, "{error}"),
    }
    assert!(run.elapsed < TIME_BOUND, "took {:?}", run.elapsed);
}

#[test]
fn parse_of_hostile_text() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let wide = format!("[{}1]", "1,".repeat(500_000));
    let mut variables = Map::new();
    variables.insert("deep".into(), json!(deep));
    variables.insert("wide".into(), json!(wide));
    variables.insert("unterminated".into(), json!("[".repeat(100_000)));
    let cases = [
        ("deep text", "$parse($deep)", "SF0601", false),
        (
            "unterminated deep text",
            "$parse($unterminated)",
            "SF0601",
            false,
        ),
        (
            "text deeper than sfini's bound",
            &*format!(
                "$parse('{}{}')",
                "[".repeat(MAX_DEPTH + 1),
                "]".repeat(MAX_DEPTH + 1)
            ),
            "SF0601",
            false,
        ),
        ("text larger than a result", "$parse($wide)", "U1001", true),
    ];
    for (name, text, code, exhausted) in cases {
        let run = run_with(text, json!({}), variables.clone(), Limits::default());
        assert_fails(name, &run, code, exhausted);
    }
}
