//! sfini_core::jsonata against jsonata-js 2.0.6, the version Step Functions
//! runs, under node: every expression of `support/jsonata_corpus.json`
//! (Step Functions-style expressions over `$states` and variables) is
//! evaluated by both with the same `$states`, variables and clock, and
//! their results (numbers by value) or error codes must agree.
//!
//! `scripts/jsonata-env.sh` installs jsonata-js into `target/jsonata-node`;
//! node evaluates the whole corpus in one run of
//! `support/jsonata_node.js`. The expressions on which the two answer
//! differently are exactly those of [`KNOWN_DIFFERENCES`], each with its
//! reason: a new difference, or one that goes away, fails the test.

#[path = "support/jsonata_cases.rs"]
mod cases;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};
use sfini_core::jsonata::{Environment, Expression, Limits};

/// Where jsonata-js 2.0.6 and sfini answer differently, and why.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "$string(12345678901234567)",
        "jsonata-js 2.0.6 writes every number with 15 significant digits (12345678901234600); the \
         engine follows JSONata 2.1, which writes integers exactly. Only integers above 10^15 \
         differ. Not patched: replacing $string would leave the & operator, which converts with \
         the engine's own code, answering the other way",
    ),
    (
        "'id-' & 12345678901234567",
        "as for $string: & converts numbers as $string does",
    ),
    (
        "1/0",
        "jsonata-js gives Infinity, which JSON writes as null; the engine fails with D1001 \
         (number out of range) as soon as a number is not finite",
    ),
    ("$states.input.total / 0", "as for 1/0"),
    (
        "$string(1/0)",
        "the engine fails with D1001 at the division, before $string could fail with D3001",
    ),
    (
        "$split('a😀b', '')",
        "jsonata-js splits into UTF-16 code units, cutting the emoji into two lone surrogates \
         that JSON cannot carry; Rust strings hold characters, so the engine splits into \
         characters",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// What one side answered.
#[derive(Clone, Debug, PartialEq)]
enum Answer {
    Result(Value),
    /// A result whose JSON text Rust cannot read (a lone surrogate).
    Unreadable(String),
    Undefined,
    /// An error with its code; `None` for a JavaScript error without one.
    Error(Option<String>, String),
}

fn node_answers(corpus: &Path) -> Vec<Answer> {
    let module = root().join("../target/jsonata-node/node_modules/jsonata");
    assert!(
        module.join("package.json").exists(),
        "jsonata-js is missing from {}: run scripts/jsonata-env.sh",
        module.display()
    );
    let output = Command::new("node")
        .arg(root().join("tests/support/jsonata_node.js"))
        .arg(corpus)
        .arg(&module)
        .output()
        .expect("node runs (it is needed for the tests against jsonata-js)");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let outcomes: Vec<Value> =
        serde_json::from_slice(&output.stdout).expect("node's answers as JSON");
    outcomes
        .into_iter()
        .map(|outcome| match outcome["kind"].as_str() {
            Some("result") => {
                let text = outcome["json"].as_str().expect("the result's JSON text");
                serde_json::from_str(text)
                    .map_or_else(|_| Answer::Unreadable(text.to_owned()), Answer::Result)
            }
            Some("undefined") => Answer::Undefined,
            Some("error") => Answer::Error(
                outcome["code"].as_str().map(str::to_owned),
                outcome["message"].as_str().unwrap_or_default().to_owned(),
            ),
            other => panic!("an outcome of kind {other:?}"),
        })
        .collect()
}

fn sfini_answer(text: &str, corpus: &Value, variables: &Map<String, Value>) -> Answer {
    let expression = match Expression::compile(text) {
        Ok(expression) => expression,
        Err(error) => return Answer::Error(Some(error.code), error.message),
    };
    let states = &corpus["states"];
    let environment = Environment {
        input: &states["input"],
        result: states.get("result"),
        error_output: states.get("errorOutput"),
        context: states.get("context"),
        variables,
        now_millis: corpus["now"].as_i64().expect("the corpus's clock"),
        seed: 0,
    };
    match expression.evaluate(&environment, &Limits::default()) {
        Ok(Some(value)) => Answer::Result(value),
        Ok(None) => Answer::Undefined,
        Err(error) => Answer::Error(Some(error.code), error.message),
    }
}

fn agree(node: &Answer, sfini: &Answer) -> bool {
    match (node, sfini) {
        (Answer::Result(a), Answer::Result(b)) => cases::same(a, b),
        (Answer::Undefined, Answer::Undefined) => true,
        // A JavaScript error without a JSONata code (a RangeError of
        // jsonata-js's own) agrees with any error.
        (Answer::Error(None, _), Answer::Error(..)) => true,
        (Answer::Error(a, _), Answer::Error(b, _)) => a == b,
        _ => false,
    }
}

#[test]
fn the_corpus_against_jsonata_js() {
    let path = root().join("tests/support/jsonata_corpus.json");
    let corpus: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("the corpus"))
        .expect("the corpus is JSON");
    let expressions: Vec<&str> = corpus["expressions"]
        .as_array()
        .expect("the corpus's expressions")
        .iter()
        .map(|text| text.as_str().expect("an expression"))
        .collect();
    assert!(
        expressions.len() >= 150,
        "the corpus holds at least 150 expressions"
    );
    let variables = corpus["variables"]
        .as_object()
        .expect("the corpus's variables")
        .clone();

    let node = node_answers(&path);
    assert_eq!(node.len(), expressions.len());
    // On a thread with tokio's stack, as the engine evaluates.
    let sfini: Vec<Answer> = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn({
            let corpus = corpus.clone();
            let expressions: Vec<String> =
                expressions.iter().map(|text| (*text).to_owned()).collect();
            move || {
                expressions
                    .iter()
                    .map(|text| sfini_answer(text, &corpus, &variables))
                    .collect()
            }
        })
        .expect("a thread")
        .join()
        .expect("no panic");

    let mut differing = BTreeMap::new();
    for ((text, node), sfini) in expressions.iter().zip(&node).zip(&sfini) {
        if !agree(node, sfini) {
            differing.insert(*text, (node, sfini));
        }
    }
    let known: BTreeMap<&str, &str> = KNOWN_DIFFERENCES.iter().copied().collect();
    let agreeing = expressions.len() - differing.len();
    println!(
        "{agreeing} of {} expressions agree with jsonata-js 2.0.6; {} known differences",
        expressions.len(),
        known.len()
    );
    let mut unexpected = Vec::new();
    for (text, (node, sfini)) in &differing {
        println!("  {text}\n    jsonata-js: {node:?}\n    sfini:      {sfini:?}");
        if !known.contains_key(text) {
            unexpected.push(*text);
        }
    }
    let gone: Vec<&str> = known
        .keys()
        .filter(|text| !differing.contains_key(*text))
        .copied()
        .collect();
    let missing: Vec<&str> = known
        .keys()
        .filter(|text| !expressions.contains(text))
        .copied()
        .collect();
    assert!(
        missing.is_empty(),
        "known differences not in the corpus: {missing:?}"
    );
    assert!(
        unexpected.is_empty(),
        "expressions on which sfini and jsonata-js differ: {unexpected:?}"
    );
    assert!(
        gone.is_empty(),
        "known differences that agree now (take them off the list): {gone:?}"
    );
}
