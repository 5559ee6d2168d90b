//! Property tests of sfini-core.
//!
//! The strategies below generate values of the whole model: every state
//! type with every field, Choice conditions nested in `And`, `Or` and `Not`,
//! Parallel branches and Map processors holding states of their own, with
//! arbitrary Unicode strings, `u64`s over their full range, finite `f64`s and
//! arbitrary JSON values. Strings that hold paths, intrinsic calls or
//! timestamps are often well formed and often not. Generated machines are
//! rarely valid: the properties hold for any machine.
//!
//! What is checked, for every generated value:
//!
//! - **JSON round trip.** `StateMachine::from_json(&m.to_json()) == Ok(m)`;
//!   `to_json` is deterministic and its text is a fixed point (the machine
//!   read back writes the same bytes); the same through `to_json_compact`,
//!   and through `to_value` and `from_value`.
//! - **Reference paths.** A path written from steps (names with any
//!   characters in bracket notation with escapes, identifiers after a dot,
//!   non-negative indexes) parses to those steps; `get` finds a value
//!   planted at the path; `write` then `get` gives the value back. Slices
//!   `[start:end:step]` with any bounds pick elements in the direction of
//!   the step, each at most once.
//! - **Intrinsic string literals.** `'...'` with `'`, `{`, `}` and `\`
//!   backslash-escaped stands for the string itself in `States.Format` and
//!   `States.Array`, also around a placeholder.
//! - **Robustness.** Validation, `check_json` and `check_value` never panic,
//!   and every problem they report can be located in the written text:
//!   on generated machines (where they agree with `validate`), on arbitrary
//!   JSON, and on valid definitions with fields deleted, renamed or given
//!   other values. Whatever reads without error round-trips. Selecting
//!   paths, evaluating intrinsic calls and filling payload templates never
//!   panic either, whatever the data.
//!
//! Two plain tests keep the strategies honest: generated machines reach
//! every part of the model, and the definitions broken into near misses are
//! valid to begin with.
//!
//! `PROPTEST_CASES` sets the number of cases (256 by default). A failing case
//! is printed, minimised, rather than saved to a file.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::fs;
use std::ops::RangeInclusive;

use proptest::char::CharStrategy;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestRunner;
use serde_json::{Number, Value, json};
use sfini_core::StateMachine;
use sfini_core::intrinsic::{Function, IntrinsicCall};
use sfini_core::json::position::locate;
use sfini_core::model::*;
use sfini_core::path::{Path, ReferencePath, ReferenceStep, Root};
use sfini_core::payload::Template;
use sfini_core::validate::{check_json, check_value};

type JsonObject = serde_json::Map<String, Value>;

/// The default configuration (so `PROPTEST_CASES` applies), without
/// failure files.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ----- strings -----

/// Characters that mean something somewhere: JSON escapes, path and
/// intrinsic syntax, whitespace, controls, and some beyond ASCII.
const TRICKY_CHARS: &str =
    "\"\\'{}$.[]()*?@,/` \n\t\r\0\x1f\x7f\u{a0}\u{2028}\u{202e}\u{feff}\u{fffd}éȺ\u{1f980}";

/// Characters to prefer after the tricky ones: a few letters, so that names
/// collide, then printable ASCII.
const PREFERRED_CHARS: &[RangeInclusive<char>] = &['a'..='e', 'a'..='e', ' '..='~'];

const ANY_CHAR: &[RangeInclusive<char>] = &['\0'..=char::MAX];

/// Any character: half the time a tricky one, a quarter of the time a
/// preferred one.
fn character() -> CharStrategy<'static> {
    CharStrategy::new(
        Cow::Owned(TRICKY_CHARS.chars().collect()),
        Cow::Borrowed(PREFERRED_CHARS),
        Cow::Borrowed(ANY_CHAR),
    )
}

/// A string of the given characters, with a length in `lengths`.
fn string_of(chars: &'static str, lengths: RangeInclusive<usize>) -> BoxedStrategy<String> {
    vec(select(chars.chars().collect::<Vec<_>>()), lengths)
        .prop_map(String::from_iter)
        .boxed()
}

/// Any string, short: empty, Unicode, quotes, backslashes, controls.
fn text() -> BoxedStrategy<String> {
    vec(character(), 0..8).prop_map(String::from_iter).boxed()
}

/// A string, often one of `options`.
fn text_or(options: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(options).prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

// ----- numbers -----

/// Any `u64`, often a small or extreme one.
fn number() -> BoxedStrategy<u64> {
    prop_oneof![
        2 => any::<u64>(),
        1 => 0..=100u64,
        1 => select(&[0, 1, 3, 99_999_999, 100_000_000, u64::MAX][..]),
    ]
    .boxed()
}

/// Any finite `f64`: JSON has no NaN or infinity.
fn finite_f64() -> BoxedStrategy<f64> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        3 => POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
        1 => (-1000i32..=1000).prop_map(f64::from),
        1 => select(
            &[
                0.0,
                -0.0,
                0.1,
                2.0,
                100.0,
                1e16,
                1e21,
                -1e-7,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                5e-324,
                9007199254740993.0,
            ][..]
        ),
    ]
    .boxed()
}

/// A JSON number made from an `i64`, a `u64` or an `f64`.
fn json_number() -> BoxedStrategy<Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        finite_f64().prop_map(|x| Number::from_f64(x).expect("finite")),
    ]
    .boxed()
}

// ----- reference paths -----

/// How a name step is written.
#[derive(Clone, Copy, Debug)]
enum Notation {
    /// `.name`, when the name is an identifier (otherwise as `Single`).
    Dot,
    /// `['name']`.
    Single,
    /// `["name"]`.
    Double,
}

/// One step of a generated reference path.
#[derive(Clone, Debug)]
enum PathStep {
    Name(String, Notation),
    Index(usize),
}

/// A generated reference path: what it names, and how it is written.
#[derive(Clone, Debug)]
struct GeneratedPath {
    root: Root,
    steps: Vec<PathStep>,
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` between `quote`s, with the quote and backslashes escaped.
fn quoted(name: &str, quote: char) -> String {
    let mut out = String::from(quote);
    for c in name.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
    out
}

impl GeneratedPath {
    fn text(&self) -> String {
        let mut out = String::from(match self.root {
            Root::Data => "$",
            Root::Context => "$$",
        });
        for step in &self.steps {
            match step {
                PathStep::Name(name, Notation::Dot) if is_identifier(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                PathStep::Name(name, Notation::Double) => {
                    out.push_str(&format!("[{}]", quoted(name, '"')));
                }
                PathStep::Name(name, _) => out.push_str(&format!("[{}]", quoted(name, '\''))),
                PathStep::Index(index) => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }

    fn expected_steps(&self) -> Vec<ReferenceStep<'_>> {
        self.steps
            .iter()
            .map(|step| match step {
                PathStep::Name(name, _) => ReferenceStep::Name(name),
                PathStep::Index(index) => ReferenceStep::Index(*index),
            })
            .collect()
    }

    fn has_index(&self) -> bool {
        self.steps
            .iter()
            .any(|step| matches!(step, PathStep::Index(_)))
    }
}

fn path_step(max_index: usize) -> BoxedStrategy<PathStep> {
    let identifier = (
        string_of("_abcxyz", 1..=1),
        string_of("_abcxyz0123456789", 0..=5),
    )
        .prop_map(|(first, rest)| first + &rest);
    let name = prop_oneof![text(), identifier];
    let notation = select(&[Notation::Dot, Notation::Single, Notation::Double][..]);
    prop_oneof![
        3 => (name, notation).prop_map(|(name, notation)| PathStep::Name(name, notation)),
        1 => prop_oneof![0..=max_index.min(3), 0..=max_index].prop_map(PathStep::Index),
    ]
    .boxed()
}

/// A reference path on the data or the context object, with indexes up to `max_index`.
fn reference_path(max_index: usize) -> BoxedStrategy<GeneratedPath> {
    (
        select(&[Root::Data, Root::Context][..]),
        vec(path_step(max_index), 0..5),
    )
        .prop_map(|(root, steps)| GeneratedPath { root, steps })
        .boxed()
}

/// A document in which the steps lead to `value`, with decoys around it.
fn plant(steps: &[PathStep], value: Value) -> Value {
    steps.iter().rev().fold(value, |inner, step| match step {
        PathStep::Name(name, _) => {
            let mut object = JsonObject::new();
            object.insert(format!("{name}~"), json!("decoy"));
            object.insert(name.clone(), inner);
            Value::Object(object)
        }
        PathStep::Index(index) => {
            let mut items = vec![json!("decoy"); index + 2];
            items[*index] = inner;
            Value::Array(items)
        }
    })
}

// ----- paths, intrinsic calls, timestamps -----

/// Pieces of JSONPath, good and bad, put together after a root.
const PATH_PIECES: &[&str] = &[
    ".a",
    ".b",
    ".items",
    ".Execution.Id",
    "['x y']",
    "[\"q\\\"\"]",
    "['\\u00e9\\n']",
    "['\\u12']",
    "[0]",
    "[3]",
    "[-1]",
    "[*]",
    ".*",
    "..a",
    "..*",
    "..['a']",
    "[0,2]",
    "['a','b']",
    "[1:3]",
    "[::2]",
    "[-2:]",
    "[0:0:0]",
    "[::-1]",
    "[?(@.p < 10)]",
    "[?(@.tags)]",
    "[?(@.a == 'x' && !(@.b))]",
    "[?(@.n in [1, 2.5, 'x', null])]",
    "[?(@.s size 2)]",
    "[?(@ empty true)]",
    "[?(@.a subsetof [1])]",
    "[?($.limit >= @.p || @.q != null)]",
    "[?(@['k'] > $$.Execution.Id)]",
    "[?(@.a =~ /x/)]",
    "[?(@.x > 1e400)]",
    "[?(@.x = 1)]",
    ".length()",
    "[",
    "]",
    "['open",
    "..",
    ".",
    " ",
    "[-9223372036854775808]",
    "[9223372036854775807]",
    "[99999999999999999999]",
    "[-9223372036854775808:9223372036854775807:-9223372036854775808]",
];

/// An `i64` for an index or a slice bound, often an extreme one.
fn bound() -> BoxedStrategy<i64> {
    prop_oneof![
        2 => -3i64..4,
        2 => select(&[i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX][..]),
        1 => any::<i64>(),
    ]
    .boxed()
}

fn path_piece() -> BoxedStrategy<String> {
    let shown = |bound: Option<i64>| bound.map(|b| b.to_string()).unwrap_or_default();
    prop_oneof![
        4 => select(PATH_PIECES).prop_map(str::to_string),
        1 => bound().prop_map(|index| format!("[{index}]")),
        1 => (option::of(bound()), option::of(bound()), option::of(bound())).prop_map(
            move |(start, end, step)| format!("[{}:{}:{}]", shown(start), shown(end), shown(step))
        ),
    ]
    .boxed()
}

/// Text for a path field: often a reference path, often another JSONPath,
/// sometimes not a path at all.
fn path_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => reference_path(3).prop_map(|path| path.text()),
        2 => (
            select(&["$", "$", "$$", "@", ""][..]),
            vec(path_piece(), 0..4),
        )
            .prop_map(|(root, pieces)| format!("{root}{}", pieces.concat())),
        1 => Just("$".to_string()),
        1 => text(),
    ]
    .boxed()
}

/// `s` with `'`, `{`, `}` and `\` escaped, as inside an intrinsic string literal.
fn escape_literal(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '\'' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` as an intrinsic function string literal.
fn string_literal(s: &str) -> String {
    format!("'{}'", escape_literal(s))
}

const NUMBER_LITERALS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "0.5",
    "-0.5",
    "2.5",
    "1000",
    "1001",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "1e3",
    "1E-3",
    "1e308",
    "1e400",
    "-1e400",
    "1e-400",
    "1.",
    "-",
    "01",
];

const STRING_LITERALS: &[&str] = &[
    "'{}'",
    "'{} and {}'",
    "'\\{\\}'",
    "'{'",
    "'}'",
    "'a,b,,c'",
    "','",
    "''",
    "'SHA-1'",
    "'SHA-256'",
    "'SHA-384'",
    "'SHA-512'",
    "'MD5'",
    "'sha-256'",
    "'aGVsbG8='",
    "'aGVsbG8'",
    "'/w=='",
    "'!!'",
    "'{\"a\": [1, {\"b\": null}]}'",
    "'[1, 2, 3]'",
    "'1e400'",
    "'\"x\"'",
    "'\\\\'",
    "'\\n'",
    "'unterminated",
    "'2026-03-14T01:59:00Z'",
];

/// Text for an intrinsic function call: a known function with arguments of
/// every kind (often the right number of them), calls nested in calls.
fn intrinsic_call() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        2 => text().prop_map(|s| string_literal(&s)),
        1 => select(STRING_LITERALS).prop_map(str::to_string),
        1 => select(NUMBER_LITERALS).prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => (-5i64..1005).prop_map(|n| n.to_string()),
        1 => json_number().prop_map(|n| n.to_string()),
        1 => select(&["true", "false", "null"][..]).prop_map(str::to_string),
        2 => path_text(),
    ];
    let call = call_text();
    call(leaf.prop_recursive(3, 16, 3, call_text()).boxed())
}

/// A call to any function, given the strategy for its arguments.
fn call_text() -> impl Fn(BoxedStrategy<String>) -> BoxedStrategy<String> {
    let functions = select(Function::ALL.to_vec());
    move |argument| {
        functions
            .clone()
            .prop_flat_map(move |function| {
                let arity = function.arity();
                let max = arity.max.unwrap_or(arity.min + 3);
                let count = prop_oneof![4 => arity.min..=max, 1 => 0..=max + 1];
                let arguments = argument.clone();
                (
                    Just(function),
                    count.prop_flat_map(move |count| vec(arguments.clone(), count)),
                )
            })
            .prop_map(|(function, arguments)| {
                format!("{}({})", function.name(), arguments.join(", "))
            })
            .boxed()
    }
}

/// A path or an intrinsic function call, as a `.$` field, ErrorPath or
/// CausePath holds.
fn expression() -> BoxedStrategy<String> {
    prop_oneof![2 => path_text(), 1 => intrinsic_call()].boxed()
}

fn timestamp() -> BoxedStrategy<String> {
    prop_oneof![
        2 => text_or(&[
            "2026-03-14T01:59:00Z",
            "2026-03-14T01:59:00.123+02:00",
            "2016-12-31T23:59:60Z",
            "2026-02-29T00:00:00Z",
            "2026-03-14t01:59:00z",
            "2026-03-14 01:59:00Z",
            "2026-03-14T01:59:00",
            "9999-12-31T23:59:59.999999999-23:59",
        ]),
        1 => (0u32..10_000, 0u32..14, 0u32..33, 0u32..25, 0u32..61, 0u32..62)
            .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")),
    ]
    .boxed()
}

// ----- JSON values and payload templates -----

fn json_key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => text(),
        1 => text().prop_map(|key| key + ".$"),
        1 => select(&["a", "a.$", "b.$", ".$", "$", "Payload.$"][..]).prop_map(str::to_string),
    ]
    .boxed()
}

/// Any JSON value, small; its strings are often paths or calls, and its
/// keys often end in `.$`.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => json_number().prop_map(Value::Number),
        2 => text().prop_map(Value::String),
        1 => expression().prop_map(Value::String),
    ];
    let key = json_key();
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((key.clone(), inner), 0..4)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A payload template: usually an object whose `.$` fields hold paths and
/// intrinsic calls.
fn payload() -> BoxedStrategy<Value> {
    let field = prop_oneof![
        (json_key(), json_value()),
        (
            text().prop_map(|key| key + ".$"),
            expression().prop_map(Value::String),
        ),
    ];
    prop_oneof![
        3 => vec(field, 0..4).prop_map(|fields| Value::Object(fields.into_iter().collect())),
        1 => json_value(),
    ]
    .boxed()
}

// ----- the model -----

/// Either the model's default for a field or any value. Defaults are left
/// out when writing, so both must round-trip.
fn or_default<T: Clone + Debug + 'static>(
    default: T,
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![1 => Just(default), 3 => value].boxed()
}

fn value_or_path<T: Clone + Debug + 'static>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<ValueOrPath<T>> {
    prop_oneof![
        value.prop_map(ValueOrPath::Value),
        path_text().prop_map(ValueOrPath::Path),
    ]
    .boxed()
}

fn comment() -> BoxedStrategy<Option<String>> {
    option::of(text()).boxed()
}

fn state_name() -> BoxedStrategy<String> {
    text_or(&["Start", "Work", "Done", "a", "b"])
}

fn resource() -> BoxedStrategy<String> {
    text_or(&[
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::s3:getObject",
        "arn:aws:states:::s3:listObjectsV2",
        "arn:aws:states:::s3:putObject",
        "arn:aws:states:us-east-1:123456789012:activity:work",
    ])
}

fn error_name() -> BoxedStrategy<String> {
    text_or(&[
        "States.ALL",
        "States.Timeout",
        "States.TaskFailed",
        "States.Runtime",
        "States.Nope",
        "Custom.Error",
    ])
}

fn label() -> BoxedStrategy<String> {
    prop_oneof![text(), string_of("abcXYZ0189_.-", 1..=45),].boxed()
}

fn data_path() -> BoxedStrategy<DataPath> {
    prop_oneof![
        1 => Just(DataPath::root()),
        1 => Just(DataPath::Null),
        3 => path_text().prop_map(DataPath::Path),
    ]
    .boxed()
}

fn transition() -> BoxedStrategy<Transition> {
    prop_oneof![
        Just(Transition::End),
        state_name().prop_map(Transition::Next),
    ]
    .boxed()
}

fn retrier() -> BoxedStrategy<Retrier> {
    (
        vec(error_name(), 0..3),
        or_default(DEFAULT_INTERVAL_SECONDS, number()),
        or_default(DEFAULT_MAX_ATTEMPTS, number()),
        or_default(DEFAULT_BACKOFF_RATE, finite_f64()),
        option::of(number()),
        select(JitterStrategy::ALL),
        comment(),
    )
        .prop_map(
            |(
                error_equals,
                interval_seconds,
                max_attempts,
                backoff_rate,
                max_delay_seconds,
                jitter_strategy,
                comment,
            )| Retrier {
                error_equals,
                interval_seconds,
                max_attempts,
                backoff_rate,
                max_delay_seconds,
                jitter_strategy,
                comment,
            },
        )
        .boxed()
}

fn catcher() -> BoxedStrategy<Catcher> {
    (
        vec(error_name(), 0..3),
        state_name(),
        data_path(),
        comment(),
    )
        .prop_map(|(error_equals, next, result_path, comment)| Catcher {
            error_equals,
            next,
            result_path,
            comment,
        })
        .boxed()
}

fn operator() -> BoxedStrategy<Operator> {
    select(Operator::ALL.to_vec()).boxed()
}

/// A comparison; each of the 39 operator names is about as likely.
fn comparison() -> BoxedStrategy<Comparison> {
    prop_oneof![
        10 => (operator(), value_or_path(text()))
            .prop_map(|(op, operand)| Comparison::String(op, operand)),
        10 => (operator(), value_or_path(json_number()))
            .prop_map(|(op, operand)| Comparison::Numeric(op, operand)),
        10 => (operator(), value_or_path(timestamp()))
            .prop_map(|(op, operand)| Comparison::Timestamp(op, operand)),
        2 => value_or_path(any::<bool>()).prop_map(Comparison::BooleanEquals),
        1 => text_or(&["*", "a*b", "\\*", "\\\\", "log-*.txt", "\\"])
            .prop_map(Comparison::StringMatches),
        6 => (select(TypeTest::ALL.to_vec()), any::<bool>())
            .prop_map(|(test, expected)| Comparison::Is(test, expected)),
    ]
    .boxed()
}

/// A condition: a comparison, or `And`, `Or`, `Not` of nested conditions,
/// each with or without a comment.
fn condition() -> BoxedStrategy<Condition> {
    let test =
        (comment(), path_text(), comparison()).prop_map(|(comment, variable, comparison)| {
            Condition {
                comment,
                kind: ConditionKind::Test {
                    variable,
                    comparison,
                },
            }
        });
    let comment = comment();
    test.prop_recursive(3, 12, 3, move |inner| {
        let kind = prop_oneof![
            vec(inner.clone(), 0..4).prop_map(ConditionKind::And),
            vec(inner.clone(), 0..4).prop_map(ConditionKind::Or),
            inner.prop_map(|condition| ConditionKind::Not(Box::new(condition))),
        ];
        (comment.clone(), kind).prop_map(|(comment, kind)| Condition { comment, kind })
    })
    .boxed()
}

fn choice_rule() -> BoxedStrategy<ChoiceRule> {
    (condition(), state_name())
        .prop_map(|(condition, next)| ChoiceRule { condition, next })
        .boxed()
}

fn choice() -> BoxedStrategy<Choice> {
    (
        comment(),
        data_path(),
        vec(choice_rule(), 0..4),
        option::of(state_name()),
        data_path(),
    )
        .prop_map(
            |(comment, input_path, choices, default, output_path)| Choice {
                comment,
                input_path,
                choices,
                default,
                output_path,
            },
        )
        .boxed()
}

fn task() -> BoxedStrategy<Task> {
    (
        (
            comment(),
            resource(),
            data_path(),
            option::of(payload()),
            option::of(payload()),
            data_path(),
            data_path(),
        ),
        (
            option::of(value_or_path(number())),
            option::of(value_or_path(number())),
            option::of(payload()),
            vec(retrier(), 0..3),
            vec(catcher(), 0..3),
            transition(),
        ),
    )
        .prop_map(
            |(
                (
                    comment,
                    resource,
                    input_path,
                    parameters,
                    result_selector,
                    result_path,
                    output_path,
                ),
                (timeout, heartbeat, credentials, retry, catch, transition),
            )| Task {
                comment,
                resource,
                input_path,
                parameters,
                result_selector,
                result_path,
                output_path,
                timeout,
                heartbeat,
                credentials,
                retry,
                catch,
                transition,
            },
        )
        .boxed()
}

fn pass() -> BoxedStrategy<Pass> {
    (
        comment(),
        data_path(),
        option::of(payload()),
        option::of(json_value()),
        data_path(),
        data_path(),
        transition(),
    )
        .prop_map(
            |(comment, input_path, parameters, result, result_path, output_path, transition)| {
                Pass {
                    comment,
                    input_path,
                    parameters,
                    result,
                    result_path,
                    output_path,
                    transition,
                }
            },
        )
        .boxed()
}

fn wait_until() -> BoxedStrategy<WaitUntil> {
    prop_oneof![
        number().prop_map(WaitUntil::Seconds),
        timestamp().prop_map(WaitUntil::Timestamp),
        path_text().prop_map(WaitUntil::SecondsPath),
        path_text().prop_map(WaitUntil::TimestampPath),
    ]
    .boxed()
}

fn wait() -> BoxedStrategy<Wait> {
    (
        comment(),
        data_path(),
        wait_until(),
        data_path(),
        transition(),
    )
        .prop_map(
            |(comment, input_path, until, output_path, transition)| Wait {
                comment,
                input_path,
                until,
                output_path,
                transition,
            },
        )
        .boxed()
}

fn succeed() -> BoxedStrategy<Succeed> {
    (comment(), data_path(), data_path())
        .prop_map(|(comment, input_path, output_path)| Succeed {
            comment,
            input_path,
            output_path,
        })
        .boxed()
}

/// Fail's error or cause: a string, or a path or call for ErrorPath and CausePath.
fn fail_text() -> BoxedStrategy<ValueOrPath<String>> {
    prop_oneof![
        text().prop_map(ValueOrPath::Value),
        expression().prop_map(ValueOrPath::Path),
    ]
    .boxed()
}

fn fail() -> BoxedStrategy<Fail> {
    (comment(), option::of(fail_text()), option::of(fail_text()))
        .prop_map(|(comment, error, cause)| Fail {
            comment,
            error,
            cause,
        })
        .boxed()
}

// Strategies for what holds states take the strategy for those states; they
// are built once and called at each level of nesting, so they only clone
// strategies built beforehand.

/// Up to `max` states by name; names may repeat, and the last state of a
/// name wins.
fn states(max: usize) -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<States> {
    let name = state_name();
    move |state| {
        vec((name.clone(), state), 0..=max)
            .prop_map(|states| states.into_iter().collect())
            .boxed()
    }
}

fn branch() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<Branch> {
    let header = (comment(), state_name()).boxed();
    let states = states(2);
    move |state| {
        (header.clone(), states(state))
            .prop_map(|((comment, start_at), states)| Branch {
                comment,
                start_at,
                states,
            })
            .boxed()
    }
}

fn parallel() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<Parallel> {
    let fields = (
        (
            comment(),
            data_path(),
            option::of(payload()),
            option::of(payload()),
        ),
        (
            data_path(),
            data_path(),
            vec(retrier(), 0..3),
            vec(catcher(), 0..3),
            transition(),
        ),
    )
        .boxed();
    let branch = branch();
    move |state| {
        (fields.clone(), vec(branch(state), 0..3))
            .prop_map(
                |(
                    (
                        (comment, input_path, parameters, result_selector),
                        (result_path, output_path, retry, catch, transition),
                    ),
                    branches,
                )| Parallel {
                    comment,
                    input_path,
                    parameters,
                    branches,
                    result_selector,
                    result_path,
                    output_path,
                    retry,
                    catch,
                    transition,
                },
            )
            .boxed()
    }
}

fn processor_config() -> BoxedStrategy<ProcessorConfig> {
    let any_config = (
        select(ProcessorMode::ALL),
        option::of(select(ExecutionType::ALL)),
    )
        .prop_map(|(mode, execution_type)| ProcessorConfig {
            mode,
            execution_type,
        });
    or_default(ProcessorConfig::default(), any_config)
}

fn item_processor() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<ItemProcessor> {
    let header = (processor_config(), comment(), state_name()).boxed();
    let states = states(2);
    move |state| {
        (header.clone(), states(state))
            .prop_map(
                |((processor_config, comment, start_at), states)| ItemProcessor {
                    processor_config,
                    comment,
                    start_at,
                    states,
                },
            )
            .boxed()
    }
}

fn reader_config() -> BoxedStrategy<ReaderConfig> {
    (
        option::of(select(InputType::ALL)),
        option::of(select(ReaderTransformation::ALL)),
        option::of(select(ManifestType::ALL)),
        option::of(select(CsvDelimiter::ALL)),
        option::of(select(CsvHeaderLocation::ALL)),
        option::of(vec(text(), 0..3)),
        option::of(value_or_path(number())),
        option::of(text_or(&["", "/items", "/a/0/b~1c"])),
    )
        .prop_map(
            |(
                input_type,
                transformation,
                manifest_type,
                csv_delimiter,
                csv_header_location,
                csv_headers,
                max_items,
                items_pointer,
            )| ReaderConfig {
                input_type,
                transformation,
                manifest_type,
                csv_delimiter,
                csv_header_location,
                csv_headers,
                max_items,
                items_pointer,
            },
        )
        .boxed()
}

fn item_reader() -> BoxedStrategy<ItemReader> {
    (
        resource(),
        option::of(payload()),
        option::of(reader_config()),
    )
        .prop_map(|(resource, parameters, reader_config)| ItemReader {
            resource,
            parameters,
            reader_config,
        })
        .boxed()
}

fn item_batcher() -> BoxedStrategy<ItemBatcher> {
    (
        option::of(value_or_path(number())),
        option::of(value_or_path(number())),
        option::of(payload()),
    )
        .prop_map(
            |(max_items_per_batch, max_input_bytes_per_batch, batch_input)| ItemBatcher {
                max_items_per_batch,
                max_input_bytes_per_batch,
                batch_input,
            },
        )
        .boxed()
}

fn writer_config() -> BoxedStrategy<WriterConfig> {
    (
        option::of(select(OutputType::ALL)),
        option::of(select(WriterTransformation::ALL)),
    )
        .prop_map(|(output_type, transformation)| WriterConfig {
            output_type,
            transformation,
        })
        .boxed()
}

fn result_writer() -> BoxedStrategy<ResultWriter> {
    (
        option::of(resource()),
        option::of(payload()),
        option::of(writer_config()),
    )
        .prop_map(|(resource, parameters, writer_config)| ResultWriter {
            resource,
            parameters,
            writer_config,
        })
        .boxed()
}

fn map() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<Map> {
    let before = (
        comment(),
        data_path(),
        or_default(DEFAULT_ITEMS_PATH.to_string(), path_text()),
        option::of(payload()),
    )
        .boxed();
    let after = (
        (
            or_default(ValueOrPath::Value(0), value_or_path(number())),
            or_default(ValueOrPath::Value(0), value_or_path(number())),
            or_default(ValueOrPath::Value(0.0), value_or_path(finite_f64())),
            option::of(item_reader()),
            option::of(item_batcher()),
            option::of(result_writer()),
            option::of(label()),
        ),
        (
            option::of(payload()),
            data_path(),
            data_path(),
            vec(retrier(), 0..3),
            vec(catcher(), 0..3),
            transition(),
        ),
    )
        .boxed();
    let item_processor = item_processor();
    move |state| {
        (before.clone(), item_processor(state), after.clone())
            .prop_map(
                |(
                    (comment, input_path, items_path, item_selector),
                    item_processor,
                    (
                        (
                            max_concurrency,
                            tolerated_failure_count,
                            tolerated_failure_percentage,
                            item_reader,
                            item_batcher,
                            result_writer,
                            label,
                        ),
                        (result_selector, result_path, output_path, retry, catch, transition),
                    ),
                )| Map {
                    comment,
                    input_path,
                    items_path,
                    item_selector,
                    item_processor,
                    max_concurrency,
                    tolerated_failure_count,
                    tolerated_failure_percentage,
                    item_reader,
                    item_batcher,
                    result_writer,
                    label,
                    result_selector,
                    result_path,
                    output_path,
                    retry,
                    catch,
                    transition,
                },
            )
            .boxed()
    }
}

/// A state of a type without states inside.
fn simple_state() -> BoxedStrategy<State> {
    prop_oneof![
        task().prop_map(State::Task),
        pass().prop_map(State::Pass),
        choice().prop_map(State::Choice),
        wait().prop_map(State::Wait),
        succeed().prop_map(State::Succeed),
        fail().prop_map(State::Fail),
    ]
    .boxed()
}

/// Any state: Parallel branches and Map processors hold states in turn.
fn state() -> BoxedStrategy<State> {
    let parallel = parallel();
    let map = map();
    simple_state()
        .prop_recursive(2, 12, 4, move |inner| {
            prop_oneof![
                parallel(inner.clone()).prop_map(State::Parallel),
                map(inner).prop_map(State::from),
            ]
        })
        .boxed()
}

fn state_machine() -> BoxedStrategy<StateMachine> {
    (
        comment(),
        state_name(),
        states(4)(state()),
        option::of(number()),
        or_default(DEFAULT_VERSION.to_string(), text()),
    )
        .prop_map(
            |(comment, start_at, states, timeout_seconds, version)| StateMachine {
                comment,
                start_at,
                states,
                timeout_seconds,
                version,
            },
        )
        .boxed()
}

// ----- near misses: valid definitions, slightly broken -----

/// A valid machine using every state type and most fields.
fn valid_machine() -> StateMachine {
    let processor = ItemProcessor::new("process")
        .processor_config(ProcessorConfig::distributed(ExecutionType::Express))
        .state(
            "process",
            Task::new("arn:aws:states:::lambda:invoke")
                .parameters(json!({"FunctionName": "process", "Payload.$": "$"}))
                .timeout_seconds(30)
                .heartbeat_seconds_path("$.heartbeat"),
        );
    let map = Map::new(processor)
        .label("files")
        .item_reader(ItemReader {
            resource: "arn:aws:states:::s3:getObject".to_string(),
            parameters: Some(json!({"Bucket": "in", "Key.$": "$.key"})),
            reader_config: Some(ReaderConfig {
                input_type: Some(InputType::Csv),
                csv_header_location: Some(CsvHeaderLocation::Given),
                csv_headers: Some(vec!["id".to_string(), "name".to_string()]),
                max_items: Some(ValueOrPath::Value(100)),
                ..ReaderConfig::default()
            }),
        })
        .item_batcher(ItemBatcher {
            max_items_per_batch: Some(ValueOrPath::Value(10)),
            batch_input: Some(json!({"run.$": "$$.Execution.Id"})),
            ..ItemBatcher::default()
        })
        .result_writer(ResultWriter {
            resource: Some("arn:aws:states:::s3:putObject".to_string()),
            parameters: Some(json!({"Bucket": "out", "Prefix": "results"})),
            writer_config: Some(WriterConfig {
                output_type: Some(OutputType::Jsonl),
                transformation: Some(WriterTransformation::Compact),
            }),
        })
        .max_concurrency_path("$.concurrency")
        .tolerated_failure_percentage(5.0)
        .result_path("$.files")
        .next("fan_out");
    let branch = |name: &str| {
        Branch::new(name).state(
            name,
            Pass::new()
                .parameters(json!({"greeting.$": "States.Format('Hello, {}!', $.name)"}))
                .result_path(DataPath::Null),
        )
    };
    StateMachine::new("start")
        .comment("Exercises every state type")
        .timeout_seconds(3600)
        .state(
            "start",
            Task::new("arn:aws:states:us-east-1:123456789012:activity:start")
                .input_path("$.input")
                .result_selector(json!({"value.$": "$.Payload"}))
                .result_path("$.started")
                .output_path("$")
                .retry(
                    Retrier::new(["States.Timeout"])
                        .interval_seconds(2)
                        .max_attempts(5)
                        .backoff_rate(1.5)
                        .max_delay_seconds(60)
                        .jitter_strategy(JitterStrategy::Full),
                )
                .catch(Catcher::new(["States.ALL"], "failed").result_path("$.error"))
                .next("route"),
        )
        .state(
            "route",
            Choice::new()
                .when(
                    Condition::and([
                        Condition::is("$.count", TypeTest::Numeric, true),
                        Condition::not(Condition::numeric("$.count", Operator::GreaterThan, 10))
                            .with_comment("small"),
                    ]),
                    "wait",
                )
                .when(
                    Condition::or([
                        Condition::matches("$.name", "log-*.txt"),
                        Condition::timestamp("$.at", Operator::LessThan, "2026-03-14T01:59:00Z"),
                        Condition::test(
                            "$.flag",
                            Comparison::BooleanEquals(ValueOrPath::Path("$.expected".into())),
                        ),
                    ]),
                    "files",
                )
                .otherwise("failed"),
        )
        .state("wait", Wait::seconds_path("$.delay").next("files"))
        .state("files", map)
        .state(
            "fan_out",
            Parallel::new()
                .branch(branch("left"))
                .branch(branch("right"))
                .next("done"),
        )
        .state("done", Succeed::new().output_path("$.files"))
        .state(
            "failed",
            Fail::new()
                .error("Workflow.Failed")
                .cause_path("States.Format('Failed: {}', $.error.Cause)"),
        )
}

/// The valid definitions to break: the machine above and the examples.
fn valid_definitions() -> Vec<Value> {
    let mut definitions = vec![valid_machine().to_value()];
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/asl");
    if let Ok(entries) = fs::read_dir(examples) {
        for entry in entries.flatten() {
            if entry.path().to_string_lossy().ends_with(".asl.json") {
                let text = fs::read_to_string(entry.path()).expect("readable example");
                definitions.push(serde_json::from_str(&text).expect("example JSON"));
            }
        }
    }
    definitions
}

/// Field names of the language (and near misses) to rename fields to.
const FIELD_NAMES: &[&str] = &[
    "Type",
    "Comment",
    "StartAt",
    "States",
    "Next",
    "End",
    "Resource",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "Retry",
    "Catch",
    "ErrorEquals",
    "Choices",
    "Default",
    "Variable",
    "And",
    "Or",
    "Not",
    "NumericEquals",
    "StringEqualsPath",
    "BooleanEquals",
    "IsPresent",
    "StringMatches",
    "Branches",
    "Iterator",
    "ItemProcessor",
    "ItemSelector",
    "ItemsPath",
    "ItemReader",
    "ReaderConfig",
    "ItemBatcher",
    "ResultWriter",
    "WriterConfig",
    "ProcessorConfig",
    "Mode",
    "ExecutionType",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "Label",
    "CSVHeaders",
    "MaxItems",
    "Seconds",
    "Timestamp",
    "SecondsPath",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "Credentials",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Version",
    "QueryLanguage",
    "Assign",
    "Arguments",
    "Output",
    "Edn",
    "Nxt",
    "type",
    "",
];

/// Values of the language to give fields.
fn asl_value() -> BoxedStrategy<Value> {
    prop_oneof![
        select(
            &[
                "Task",
                "Pass",
                "Choice",
                "Wait",
                "Succeed",
                "Fail",
                "Parallel",
                "Map",
                "Tsk",
                "DISTRIBUTED",
                "INLINE",
                "STANDARD",
                "FULL",
                "CSV",
                "GIVEN",
                "JSONata",
                "JSONPath",
                "States.ALL",
                "start",
                "done",
                "1.0",
            ][..]
        )
        .prop_map(Value::from),
        select(&[0, 1, 3, 100_000_001][..]).prop_map(Value::from),
        Just(json!(true)),
        Just(json!(-1)),
        Just(json!(2.5)),
        Just(json!(["States.ALL"])),
        Just(json!([{"StartAt": "x", "States": {}}])),
        Just(json!({"StartAt": "x", "States": {"x": {"Type": "Succeed"}}})),
    ]
    .boxed()
}

/// A change to one field of a definition.
#[derive(Clone, Debug)]
enum Mutation {
    Delete,
    Rename(String),
    Replace(Value),
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        2 => Just(Mutation::Delete),
        2 => text_or(FIELD_NAMES).prop_map(Mutation::Rename),
        2 => asl_value().prop_map(Mutation::Replace),
        1 => json_value().prop_map(Mutation::Replace),
    ]
    .boxed()
}

/// Every field of every object in `value`: the JSON Pointer of the object and the key.
fn fields(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                out.push((pointer.to_string(), key.clone()));
                let escaped = key.replace('~', "~0").replace('/', "~1");
                fields(child, &format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                fields(child, &format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Applies `mutation` to the field `target` picks among all fields of `value`.
fn mutate(value: &mut Value, target: Index, mutation: Mutation) {
    let mut all = Vec::new();
    fields(value, "", &mut all);
    if all.is_empty() {
        return;
    }
    let (pointer, key) = target.get(&all).clone();
    let Some(Value::Object(object)) = value.pointer_mut(&pointer) else {
        unreachable!("{pointer} was found as an object");
    };
    match mutation {
        Mutation::Delete => {
            object.shift_remove(&key);
        }
        Mutation::Rename(new_key) => {
            *object = std::mem::take(object)
                .into_iter()
                .map(|(k, v)| (if k == key { new_key.clone() } else { k }, v))
                .collect();
        }
        Mutation::Replace(new_value) => {
            object.insert(key, new_value);
        }
    }
}

/// Arbitrary JSON shaped a little like a definition: objects whose keys are
/// often field names of the language.
fn definition_like_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![asl_value(), json_value()];
    let key = text_or(FIELD_NAMES);
    leaf.prop_recursive(4, 32, 4, move |inner| {
        prop_oneof![
            1 => vec(inner.clone(), 0..3).prop_map(Value::Array),
            3 => vec((key.clone(), inner), 0..5)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
    .boxed()
}

// ----- what the machine strategy reaches -----

/// Records the parts of the model `machine` uses, by name.
fn features(machine: &StateMachine, seen: &mut BTreeSet<String>) {
    let mut tag = |name: &str| {
        seen.insert(name.to_string());
    };
    if machine.comment.is_some() {
        tag("machine Comment");
    }
    if machine.timeout_seconds.is_some() {
        tag("machine TimeoutSeconds");
    }
    if machine.version != DEFAULT_VERSION {
        tag("machine Version");
    }
    scope_features(&machine.states, 0, seen);
}

fn scope_features(states: &States, depth: usize, seen: &mut BTreeSet<String>) {
    for state in states.values() {
        state_features(state, depth, seen);
    }
}

fn state_features(state: &State, depth: usize, seen: &mut BTreeSet<String>) {
    let mut tag = |name: String| {
        seen.insert(name);
    };
    let kind = state.state_type();
    tag(format!("{kind}"));
    if depth > 0 {
        tag(format!("nested {kind}"));
    }
    if state.comment().is_some() {
        tag("state Comment".to_string());
    }
    match state.transition() {
        Some(Transition::Next(_)) => tag("Next".to_string()),
        Some(Transition::End) => tag("End".to_string()),
        None => {}
    }
    for retrier in state.retriers() {
        tag("Retry".to_string());
        if retrier.jitter_strategy == JitterStrategy::Full {
            tag("Retry JitterStrategy".to_string());
        }
        if retrier.max_delay_seconds.is_some() {
            tag("Retry MaxDelaySeconds".to_string());
        }
        if retrier.backoff_rate != DEFAULT_BACKOFF_RATE {
            tag("Retry BackoffRate".to_string());
        }
    }
    for catcher in state.catchers() {
        tag("Catch".to_string());
        if catcher.result_path == DataPath::Null {
            tag("Catch ResultPath null".to_string());
        }
    }
    match state {
        State::Task(task) => {
            if task.result_path == DataPath::Null {
                tag("ResultPath null".to_string());
            }
            if let Some(timeout) = &task.timeout {
                tag(setting_name("TimeoutSeconds", timeout));
            }
            if let Some(heartbeat) = &task.heartbeat {
                tag(setting_name("HeartbeatSeconds", heartbeat));
            }
            if task.credentials.is_some() {
                tag("Credentials".to_string());
            }
        }
        State::Pass(pass) => {
            if pass.result.is_some() {
                tag("Result".to_string());
            }
            if pass.input_path == DataPath::Null {
                tag("InputPath null".to_string());
            }
        }
        State::Choice(choice) => {
            for rule in &choice.choices {
                condition_features(&rule.condition, false, seen);
            }
        }
        State::Wait(wait) => tag(wait.until.field_name().to_string()),
        State::Succeed(succeed) => {
            if succeed.output_path == DataPath::Null {
                tag("OutputPath null".to_string());
            }
        }
        State::Fail(fail) => {
            if let Some(error) = &fail.error {
                tag(setting_name("Error", error));
            }
            if let Some(cause) = &fail.cause {
                tag(setting_name("Cause", cause));
            }
        }
        State::Parallel(parallel) => {
            for branch in &parallel.branches {
                scope_features(&branch.states, depth + 1, seen);
            }
        }
        State::Map(map) => map_features(map, depth, seen),
    }
}

/// `name` for a value, `namePath` for a path.
fn setting_name<T>(name: &str, setting: &ValueOrPath<T>) -> String {
    match setting {
        ValueOrPath::Value(_) => name.to_string(),
        ValueOrPath::Path(_) => format!("{name}Path"),
    }
}

fn map_features(map: &Map, depth: usize, seen: &mut BTreeSet<String>) {
    let mut tag = |name: &str, present: bool| {
        if present {
            seen.insert(name.to_string());
        }
    };
    let config = map.item_processor.processor_config;
    tag(
        "ProcessorConfig Mode",
        config.mode == ProcessorMode::Distributed,
    );
    tag(
        "ProcessorConfig ExecutionType",
        config.execution_type.is_some(),
    );
    tag("ItemsPath", map.items_path != DEFAULT_ITEMS_PATH);
    tag("ItemSelector", map.item_selector.is_some());
    tag(
        "MaxConcurrency",
        map.max_concurrency.value().is_some_and(|n| *n != 0),
    );
    tag("MaxConcurrencyPath", map.max_concurrency.path().is_some());
    tag(
        "ToleratedFailureCountPath",
        map.tolerated_failure_count.path().is_some(),
    );
    tag(
        "ToleratedFailurePercentage",
        map.tolerated_failure_percentage
            .value()
            .is_some_and(|n| *n != 0.0),
    );
    tag("Label", map.label.is_some());
    if let Some(reader) = &map.item_reader {
        tag("ItemReader", true);
        if let Some(config) = &reader.reader_config {
            tag("ReaderConfig InputType", config.input_type.is_some());
            tag("ReaderConfig CSVHeaders", config.csv_headers.is_some());
            tag(
                "ReaderConfig MaxItemsPath",
                config
                    .max_items
                    .as_ref()
                    .is_some_and(|m| m.path().is_some()),
            );
            tag("ReaderConfig ItemsPointer", config.items_pointer.is_some());
        }
    }
    if let Some(batcher) = &map.item_batcher {
        tag("ItemBatcher", true);
        tag("ItemBatcher BatchInput", batcher.batch_input.is_some());
    }
    if let Some(writer) = &map.result_writer {
        tag("ResultWriter", true);
        tag(
            "WriterConfig Transformation",
            writer
                .writer_config
                .is_some_and(|c| c.transformation.is_some()),
        );
    }
    scope_features(&map.item_processor.states, depth + 1, seen);
}

fn condition_features(condition: &Condition, nested: bool, seen: &mut BTreeSet<String>) {
    if nested && condition.comment.is_some() {
        seen.insert("nested condition Comment".to_string());
    }
    match &condition.kind {
        ConditionKind::And(all) | ConditionKind::Or(all) => {
            let name = if matches!(condition.kind, ConditionKind::And(_)) {
                "And"
            } else {
                "Or"
            };
            seen.insert(name.to_string());
            for inner in all {
                condition_features(inner, true, seen);
            }
        }
        ConditionKind::Not(inner) => {
            seen.insert("Not".to_string());
            condition_features(inner, true, seen);
        }
        ConditionKind::Test { comparison, .. } => {
            seen.insert(comparison.operator_name().to_string());
        }
    }
}

/// Everything [`features`] can record.
fn all_features() -> BTreeSet<String> {
    let mut all: BTreeSet<String> = [
        "machine Comment",
        "machine TimeoutSeconds",
        "machine Version",
        "state Comment",
        "Next",
        "End",
        "Retry",
        "Retry JitterStrategy",
        "Retry MaxDelaySeconds",
        "Retry BackoffRate",
        "Catch",
        "Catch ResultPath null",
        "ResultPath null",
        "InputPath null",
        "OutputPath null",
        "TimeoutSeconds",
        "TimeoutSecondsPath",
        "HeartbeatSeconds",
        "HeartbeatSecondsPath",
        "Credentials",
        "Result",
        "Seconds",
        "Timestamp",
        "SecondsPath",
        "TimestampPath",
        "Error",
        "ErrorPath",
        "Cause",
        "CausePath",
        "ProcessorConfig Mode",
        "ProcessorConfig ExecutionType",
        "ItemsPath",
        "ItemSelector",
        "MaxConcurrency",
        "MaxConcurrencyPath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentage",
        "Label",
        "ItemReader",
        "ReaderConfig InputType",
        "ReaderConfig CSVHeaders",
        "ReaderConfig MaxItemsPath",
        "ReaderConfig ItemsPointer",
        "ItemBatcher",
        "ItemBatcher BatchInput",
        "ResultWriter",
        "WriterConfig Transformation",
        "And",
        "Or",
        "Not",
        "nested condition Comment",
        "StringMatches",
        "BooleanEquals",
        "BooleanEqualsPath",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    for kind in StateType::ALL {
        all.insert(kind.to_string());
        all.insert(format!("nested {kind}"));
    }
    for compared in ["String", "Numeric", "Timestamp"] {
        for operator in Operator::ALL {
            all.insert(format!("{compared}{}", operator.as_str()));
            all.insert(format!("{compared}{}Path", operator.as_str()));
        }
    }
    all.extend(TypeTest::ALL.iter().map(|test| test.as_str().to_string()));
    all
}

// ----- helpers -----

/// Data in which many generated paths find something, of every JSON type.
fn document() -> Value {
    json!({
        "a": {
            "a": [1, 2.5, "x", null, {"p": 5, "tags": ["t"], "b": true}],
            "b": "text",
        },
        "b": [0, -1, u64::MAX, i64::MIN, 1e300, -0.5, 2147483648i64],
        "x": "{}",
        "x y": "{} {}",
        "p": 3,
        "q": null,
        "n": 2.5,
        "s": "a,b,,c",
        "k": "aGVsbG8=",
        "tags": [],
        "limit": 4,
        "heartbeat": 10,
        "items": [[1, 2], [3], [], [{"a": 1}, {"a": 1}]],
        "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:e"},
    })
}

/// Reads a definition, failing the case with the problems found.
fn read(text: &str) -> Result<StateMachine, TestCaseError> {
    StateMachine::from_json(text)
        .map_err(|problems| TestCaseError::fail(format!("{problems}\nwhile reading\n{text}")))
}

/// The round trip, for a machine however it was made.
fn assert_round_trip(machine: &StateMachine) -> Result<(), TestCaseError> {
    let text = machine.to_json();
    prop_assert_eq!(&machine.to_json(), &text, "to_json is not deterministic");
    let read_back = read(&text)?;
    prop_assert_eq!(&read_back, machine, "read back from\n{}", text);
    prop_assert_eq!(
        &read_back.to_json(),
        &text,
        "the canonical text is not a fixed point"
    );

    let compact = machine.to_json_compact();
    prop_assert_eq!(&read(&compact)?, machine, "read back from\n{}", compact);
    prop_assert_eq!(&read_back.to_json_compact(), &compact);

    let value = machine.to_value();
    let from_value = StateMachine::from_value(&value)
        .map_err(|problems| TestCaseError::fail(format!("{problems}\nwhile reading\n{value}")))?;
    prop_assert_eq!(&from_value, machine);
    prop_assert_eq!(&from_value.to_value(), &value);
    prop_assert_eq!(
        &serde_json::from_str::<Value>(&text).expect("written JSON parses"),
        &value
    );
    Ok(())
}

// ----- the properties -----

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_round_trip(machine in state_machine()) {
        assert_round_trip(&machine)?;
    }

    #[test]
    fn reference_paths_parse_to_their_steps(path in reference_path(i64::MAX as usize)) {
        let text = path.text();
        let parsed = ReferencePath::parse(&text)
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(parsed.as_str(), text.as_str());
        prop_assert_eq!(parsed.root(), path.root);
        prop_assert_eq!(parsed.steps().collect::<Vec<_>>(), path.expected_steps());
        // A reference path is a path too, and a definite one.
        let general = Path::parse(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert!(general.is_definite());
    }

    #[test]
    fn reference_paths_get_what_is_planted(path in reference_path(3), value in json_value()) {
        let parsed = ReferencePath::parse(&path.text())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        let document = plant(&path.steps, value.clone());
        let elsewhere = json!({"elsewhere": [1, 2]});
        let (data, context) = match path.root {
            Root::Data => (&document, &elsewhere),
            Root::Context => (&elsewhere, &document),
        };
        prop_assert_eq!(parsed.get(data, context), Ok(&value));
    }

    #[test]
    fn reference_paths_read_back_what_is_written(
        path in reference_path(3),
        value in json_value(),
    ) {
        let data_path = GeneratedPath { root: Root::Data, ..path };
        let parsed = ReferencePath::parse(&data_path.text())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        // Into `{}`, which has no arrays: only names can be created.
        if !data_path.has_index() {
            let mut target = json!({});
            parsed.write(&mut target, value.clone())
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            prop_assert_eq!(parsed.get(&target, &Value::Null), Ok(&value));
        }
        // Over whatever is at the path in a document that has it.
        let mut target = plant(&data_path.steps, json!({"old": true}));
        parsed.write(&mut target, value.clone())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(parsed.get(&target, &Value::Null), Ok(&value));
        prop_assert_eq!(target, plant(&data_path.steps, value));
    }

    #[test]
    fn slices_pick_elements_in_order(
        len in 0usize..6,
        start in option::weighted(0.8, bound()),
        end in option::weighted(0.8, bound()),
        step in option::weighted(0.8, bound().prop_filter("a step is never 0", |step| *step != 0)),
    ) {
        let shown = |bound: Option<i64>| bound.map(|b| b.to_string()).unwrap_or_default();
        let text = format!("$[{}:{}:{}]", shown(start), shown(end), shown(step));
        let path = Path::parse(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let array = Value::Array((0..len).map(Value::from).collect());
        let selected = path
            .select(&array, &Value::Null)
            .map_err(|error| TestCaseError::fail(error.to_string()))?
            .into_value();
        let indexes: Vec<u64> = selected
            .as_array()
            .expect("a slice selects a list")
            .iter()
            .map(|index| index.as_u64().expect("an element"))
            .collect();
        // Each element at most once, in the direction of the step.
        let ordered = if step.unwrap_or(1) > 0 {
            indexes.windows(2).all(|pair| pair[0] < pair[1])
        } else {
            indexes.windows(2).all(|pair| pair[0] > pair[1])
        };
        prop_assert!(ordered, "{} selects {:?}", text, indexes);
    }

    #[test]
    fn intrinsic_string_literals_stand_for_themselves(
        s in vec(character(), 0..24).prop_map(String::from_iter),
        before in text(),
        after in text(),
        inserted in text(),
    ) {
        let literal = string_literal(&s);
        let evaluate = |call: &str, data: &Value| -> Result<Value, TestCaseError> {
            let call = IntrinsicCall::parse(call)
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            call.evaluate(data, &Value::Null)
                .map_err(|error| TestCaseError::fail(error.to_string()))
        };
        prop_assert_eq!(evaluate(&format!("States.Format({literal})"), &Value::Null)?, json!(s));
        prop_assert_eq!(evaluate(&format!("States.Array({literal})"), &Value::Null)?, json!([s]));
        // Escaped text around a placeholder.
        let template = format!("'{}{{}}{}'", escape_literal(&before), escape_literal(&after));
        prop_assert_eq!(
            evaluate(&format!("States.Format({template}, $.x)"), &json!({"x": inserted}))?,
            json!(format!("{before}{inserted}{after}"))
        );
    }

    #[test]
    fn validation_never_panics(machine in state_machine()) {
        let diagnostics = machine.validate();
        // Reading a written machine finds no structural problem, so checking
        // its JSON reports what validation reports.
        let text = machine.to_json();
        let checked = check_json(&text);
        prop_assert_eq!(checked.machine.as_ref(), Some(&machine));
        prop_assert_eq!(&checked.diagnostics, &diagnostics);
        let checked = check_value(&machine.to_value());
        prop_assert_eq!(&checked.diagnostics, &diagnostics);
        // Every problem can be found in the text, at a position inside it.
        let lines = text.lines().count();
        for diagnostic in &diagnostics {
            let position = locate(&text, &diagnostic.location);
            prop_assert!(
                position.is_some_and(|at| at.line >= 1 && at.line <= lines && at.column >= 1),
                "{} not found in the text",
                diagnostic.location
            );
        }
    }

    #[test]
    fn check_json_never_panics_on_any_json(value in prop_oneof![json_value(), definition_like_json()]) {
        let text = value.to_string();
        let checked = check_json(&text);
        prop_assert_eq!(&checked.diagnostics, &check_value(&value).diagnostics);
        prop_assert_eq!(checked.machine.is_some(), StateMachine::from_value(&value).is_ok());
        if let Some(machine) = checked.machine {
            assert_round_trip(&machine)?;
        }
    }

    #[test]
    fn check_json_never_panics_on_near_misses(
        seed in prop_oneof![
            3 => select(valid_definitions()),
            1 => state_machine().prop_map(|machine| machine.to_value()),
        ],
        mutations in vec((any::<Index>(), mutation()), 1..4),
    ) {
        let mut value = seed;
        for (target, mutation) in mutations {
            mutate(&mut value, target, mutation);
        }
        let checked = check_json(&value.to_string());
        prop_assert_eq!(&checked.diagnostics, &check_value(&value).diagnostics);
        prop_assert_eq!(checked.machine.is_some(), StateMachine::from_value(&value).is_ok());
        if let Some(machine) = checked.machine {
            assert_round_trip(&machine)?;
        }
    }

    #[test]
    fn evaluation_never_panics(
        expression in expression(),
        template in payload(),
        data in prop_oneof![Just(document()), Just(document()["items"].clone()), json_value()],
        context in prop_oneof![Just(document()), json_value()],
    ) {
        if let Ok(path) = Path::parse(&expression) {
            let _ = path.select(&data, &context);
        }
        if let Ok(path) = ReferencePath::parse(&expression) {
            let _ = path.get(&data, &context);
            let _ = path.write(&mut data.clone(), json!("written"));
        }
        if let Ok(call) = IntrinsicCall::parse(&expression) {
            let _ = call.evaluate(&data, &context);
        }
        if let Ok(template) = Template::compile(&template) {
            let _ = template.evaluate(&data, &context);
        }
    }
}

/// The strategies are what makes the round trip cover the model: check that
/// generated machines reach every part of it (a few hundred are enough).
#[test]
fn the_machine_strategy_reaches_the_whole_model() {
    let strategy = state_machine();
    let mut runner = TestRunner::deterministic();
    let all = all_features();
    let mut seen = BTreeSet::new();
    for _ in 0..2000 {
        let machine = strategy.new_tree(&mut runner).expect("a machine").current();
        features(&machine, &mut seen);
        if seen.is_superset(&all) {
            return;
        }
    }
    let missing: Vec<_> = all.difference(&seen).collect();
    panic!("never generated: {missing:?}");
}

/// The near misses start from valid definitions.
#[test]
fn the_valid_definitions_are_valid() {
    let definitions = valid_definitions();
    assert!(definitions.len() > 1, "the examples are missing");
    for definition in definitions {
        let checked = check_value(&definition);
        assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
    }
}
