//! Proptest strategies over the whole of sfini-core's input: strings full
//! of characters that mean something somewhere, numbers at their extremes,
//! paths and intrinsic calls (often well formed, often not), JSON values and
//! payload templates, every part of the state machine model, and valid
//! definitions broken into near misses.
//!
//! Included by path (`#[path = ...] mod strategies;`) by the tests that
//! generate input (`properties.rs`, `fuzz.rs`), by sfini-runtime's engine
//! fuzzing and by the cargo-fuzz targets in `fuzz/`; each uses part of it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt::Debug;
use std::fs;
use std::ops::RangeInclusive;

use proptest::char::CharStrategy;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Number, Value, json};
use sfini_core::StateMachine;
use sfini_core::intrinsic::Function;
use sfini_core::model::*;
use sfini_core::model::{QueryLanguage, States};
use sfini_core::path::{ReferenceStep, Root};

pub type JsonObject = serde_json::Map<String, Value>;

/// The default configuration (so `PROPTEST_CASES` applies), without
/// failure files.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ----- strings -----

/// Characters that mean something somewhere: JSON escapes, path and
/// intrinsic syntax, whitespace, controls, and some beyond ASCII.
pub const TRICKY_CHARS: &str =
    "\"\\'{}$.[]()*?@,/` \n\t\r\0\x1f\x7f\u{a0}\u{2028}\u{202e}\u{feff}\u{fffd}éȺ\u{1f980}";

/// Characters to prefer after the tricky ones: a few letters, so that names
/// collide, then printable ASCII.
pub const PREFERRED_CHARS: &[RangeInclusive<char>] = &['a'..='e', 'a'..='e', ' '..='~'];

pub const ANY_CHAR: &[RangeInclusive<char>] = &['\0'..=char::MAX];

/// Any character: half the time a tricky one, a quarter of the time a
/// preferred one.
pub fn character() -> CharStrategy<'static> {
    CharStrategy::new(
        Cow::Owned(TRICKY_CHARS.chars().collect()),
        Cow::Borrowed(PREFERRED_CHARS),
        Cow::Borrowed(ANY_CHAR),
    )
}

/// A string of the given characters, with a length in `lengths`.
pub fn string_of(chars: &'static str, lengths: RangeInclusive<usize>) -> BoxedStrategy<String> {
    vec(select(chars.chars().collect::<Vec<_>>()), lengths)
        .prop_map(String::from_iter)
        .boxed()
}

/// Any string, short: empty, Unicode, quotes, backslashes, controls.
pub fn text() -> BoxedStrategy<String> {
    vec(character(), 0..8).prop_map(String::from_iter).boxed()
}

/// A string, often one of `options`.
pub fn text_or(options: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(options).prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

// ----- numbers -----

/// Any `u64`, often a small or extreme one.
pub fn number() -> BoxedStrategy<u64> {
    prop_oneof![
        2 => any::<u64>(),
        1 => 0..=100u64,
        1 => select(&[0, 1, 3, 99_999_999, 100_000_000, u64::MAX][..]),
    ]
    .boxed()
}

/// Any finite `f64`: JSON has no NaN or infinity.
pub fn finite_f64() -> BoxedStrategy<f64> {
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
pub fn json_number() -> BoxedStrategy<Number> {
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
pub enum Notation {
    /// `.name`, when the name is an identifier (otherwise as `Single`).
    Dot,
    /// `['name']`.
    Single,
    /// `["name"]`.
    Double,
}

/// One step of a generated reference path.
#[derive(Clone, Debug)]
pub enum PathStep {
    Name(String, Notation),
    Index(usize),
}

/// A generated reference path: what it names, and how it is written.
#[derive(Clone, Debug)]
pub struct GeneratedPath {
    /// `$`, `$$` or `$name`.
    pub root: Root,
    /// The variable's name, for `Root::Variable`.
    pub variable: String,
    /// The steps after the root.
    pub steps: Vec<PathStep>,
}

pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// True when `name`, written between `quote`s as it is, reads back whole,
/// as AWS reads a bracketed name: a backslash keeps itself and the
/// character after it in the name, and an unescaped quote ends it.
pub fn writable_between(name: &str, quote: char) -> bool {
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if chars.next().is_none() {
                return false;
            }
        } else if c == quote {
            return false;
        }
    }
    true
}

/// `name` in brackets, between the quote asked for when it can be written
/// so, else between the other.
pub fn bracketed(name: &str, preferred: char) -> String {
    let other = if preferred == '"' { '\'' } else { '"' };
    let quote = if writable_between(name, preferred) {
        preferred
    } else {
        other
    };
    format!("[{quote}{name}{quote}]")
}

impl GeneratedPath {
    pub fn text(&self) -> String {
        let mut out = match self.root {
            Root::Data => "$".to_string(),
            Root::Context => "$$".to_string(),
            Root::Variable => format!("${}", self.variable),
        };
        for step in &self.steps {
            match step {
                PathStep::Name(name, Notation::Dot) if is_identifier(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                PathStep::Name(name, Notation::Double) => out.push_str(&bracketed(name, '"')),
                PathStep::Name(name, _) => out.push_str(&bracketed(name, '\'')),
                PathStep::Index(index) => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }

    pub fn expected_steps(&self) -> Vec<ReferenceStep<'_>> {
        self.steps
            .iter()
            .map(|step| match step {
                PathStep::Name(name, _) => ReferenceStep::Name(name),
                PathStep::Index(index) => ReferenceStep::Index(*index),
            })
            .collect()
    }

    pub fn has_index(&self) -> bool {
        self.steps
            .iter()
            .any(|step| matches!(step, PathStep::Index(_)))
    }
}

pub fn path_step(max_index: usize) -> BoxedStrategy<PathStep> {
    let identifier = (
        string_of("_abcxyz", 1..=1),
        string_of("_abcxyz0123456789", 0..=5),
    )
        .prop_map(|(first, rest)| first + &rest);
    // Only names a bracket can hold, between one quote or the other.
    let name = prop_oneof![text(), identifier]
        .prop_filter("a name no bracket can hold", |name: &String| {
            writable_between(name, '\'') || writable_between(name, '"')
        });
    let notation = select(&[Notation::Dot, Notation::Single, Notation::Double][..]);
    prop_oneof![
        3 => (name, notation).prop_map(|(name, notation)| PathStep::Name(name, notation)),
        1 => prop_oneof![0..=max_index.min(3), 0..=max_index].prop_map(PathStep::Index),
    ]
    .boxed()
}

/// A reference path on the data, the context object or a variable, with
/// indexes up to `max_index`.
pub fn reference_path(max_index: usize) -> BoxedStrategy<GeneratedPath> {
    (
        select(&[Root::Data, Root::Context, Root::Variable][..]),
        prop_oneof![
            string_of("_abcxyz", 1..=1),
            Just("états_9".to_string()),
            Just("x".to_string())
        ],
        vec(path_step(max_index), 0..5),
    )
        .prop_map(|(root, variable, steps)| GeneratedPath {
            root,
            variable,
            steps,
        })
        .boxed()
}

/// A document in which the steps lead to `value`, with decoys around it.
pub fn plant(steps: &[PathStep], value: Value) -> Value {
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
pub const PATH_PIECES: &[&str] = &[
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
pub fn bound() -> BoxedStrategy<i64> {
    prop_oneof![
        2 => -3i64..4,
        2 => select(&[i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX][..]),
        1 => any::<i64>(),
    ]
    .boxed()
}

pub fn path_piece() -> BoxedStrategy<String> {
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
pub fn path_text() -> BoxedStrategy<String> {
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
pub fn escape_literal(s: &str) -> String {
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
pub fn string_literal(s: &str) -> String {
    format!("'{}'", escape_literal(s))
}

pub const NUMBER_LITERALS: &[&str] = &[
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

pub const STRING_LITERALS: &[&str] = &[
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
pub fn intrinsic_call() -> BoxedStrategy<String> {
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
pub fn call_text() -> impl Fn(BoxedStrategy<String>) -> BoxedStrategy<String> {
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
pub fn expression() -> BoxedStrategy<String> {
    prop_oneof![2 => path_text(), 1 => intrinsic_call()].boxed()
}

pub fn timestamp() -> BoxedStrategy<String> {
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

pub fn json_key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => text(),
        1 => text().prop_map(|key| key + ".$"),
        1 => select(&["a", "a.$", "b.$", ".$", "$", "Payload.$"][..]).prop_map(str::to_string),
    ]
    .boxed()
}

/// Any JSON value, small; its strings are often paths or calls, and its
/// keys often end in `.$`.
pub fn json_value() -> BoxedStrategy<Value> {
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
pub fn payload() -> BoxedStrategy<Value> {
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
pub fn or_default<T: Clone + Debug + 'static>(
    default: T,
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![1 => Just(default), 3 => value].boxed()
}

pub fn value_or_path<T: Clone + Debug + 'static>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<ValueOrPath<T>> {
    prop_oneof![
        value.prop_map(ValueOrPath::Value),
        path_text().prop_map(ValueOrPath::Path),
        jsonata_text().prop_map(ValueOrPath::Expression),
    ]
    .boxed()
}

/// A comparison's operand: a value, or a path (`...Path` operators).
pub fn operand<T: Clone + Debug + 'static>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<ValueOrPath<T>> {
    prop_oneof![
        value.prop_map(ValueOrPath::Value),
        path_text().prop_map(ValueOrPath::Path),
    ]
    .boxed()
}

// ----- JSONata and variables -----

/// The text of a JSONata expression (what goes between `{%` and `%}`):
/// often one Step Functions users write, sometimes anything.
pub fn jsonata_text() -> BoxedStrategy<String> {
    text_or(&[
        " $states.input.count ",
        "$states.input",
        " $x + 1 ",
        " $count($states.input.items) > 2 ",
        " $states.result.Payload ",
        " {'id': $states.input.id, 'n': $n} ",
        " $states.context.Execution.Id ",
        " 1 + ",
        "",
        " %} ",
    ])
}

/// `{%text%}`.
pub fn jsonata_string(text: &str) -> String {
    format!("{{%{text}%}}")
}

/// A value of a JSONata field (Output, Arguments, Items, ItemSelector):
/// JSON in which `{% ... %}` strings are expressions, or one expression.
pub fn jsonata_value() -> BoxedStrategy<Value> {
    prop_oneof![
        2 => jsonata_text().prop_map(|text| Value::String(jsonata_string(&text))),
        1 => json_value(),
        1 => (json_key(), jsonata_text(), json_value()).prop_map(|(key, text, other)| {
            json!({ key: jsonata_string(&text), "literal": other })
        }),
    ]
    .boxed()
}

/// A variable name, often a valid one.
pub fn variable_name() -> BoxedStrategy<String> {
    text_or(&[
        "x",
        "count",
        "order_total",
        "_private",
        "états",
        "9lives",
        "states",
        "",
    ])
}

/// `Assign`: variable names and values; in JSONPath states `name.$` keys
/// hold paths and intrinsic calls.
pub fn assign_value() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => vec(
            (
                variable_name(),
                prop_oneof![
                    2 => json_value(),
                    1 => jsonata_value(),
                    1 => expression().prop_map(Value::String),
                ],
                any::<bool>(),
            ),
            0..4,
        )
        .prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(name, value, dynamic)| {
                        (if dynamic { format!("{name}.$") } else { name }, value)
                    })
                    .collect(),
            )
        }),
        1 => json_value(),
    ]
    .boxed()
}

/// The fields many states take besides their own: a query language,
/// `Assign`, `Output`, `Arguments`, `Items`. Each state keeps those it has.
#[derive(Clone, Debug)]
pub struct Extras {
    pub query_language: Option<QueryLanguage>,
    pub assign: Option<Value>,
    pub output: Option<Value>,
    pub arguments: Option<Value>,
    pub items: Option<Value>,
}

pub fn extras() -> BoxedStrategy<Extras> {
    (
        option::of(select(QueryLanguage::ALL)),
        option::of(assign_value()),
        option::of(jsonata_value()),
        option::of(jsonata_value()),
        option::of(jsonata_value()),
    )
        .prop_map(
            |(query_language, assign, output, arguments, items)| Extras {
                query_language,
                assign,
                output,
                arguments,
                items,
            },
        )
        .boxed()
}

/// A JSONata Choice `Condition`: an expression, or a boolean.
pub fn jsonata_condition() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => jsonata_text().prop_map(|text| Value::String(jsonata_string(&text))),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => json_value(),
    ]
    .boxed()
}

pub fn comment() -> BoxedStrategy<Option<String>> {
    option::of(text()).boxed()
}

pub fn state_name() -> BoxedStrategy<String> {
    text_or(&["Start", "Work", "Done", "a", "b"])
}

pub fn resource() -> BoxedStrategy<String> {
    text_or(&[
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::s3:getObject",
        "arn:aws:states:::s3:listObjectsV2",
        "arn:aws:states:::s3:putObject",
        "arn:aws:states:us-east-1:123456789012:activity:work",
    ])
}

pub fn error_name() -> BoxedStrategy<String> {
    text_or(&[
        "States.ALL",
        "States.Timeout",
        "States.TaskFailed",
        "States.Runtime",
        "States.Nope",
        "Custom.Error",
    ])
}

pub fn label() -> BoxedStrategy<String> {
    prop_oneof![text(), string_of("abcXYZ0189_.-", 1..=45),].boxed()
}

pub fn data_path() -> BoxedStrategy<DataPath> {
    prop_oneof![
        1 => Just(DataPath::root()),
        1 => Just(DataPath::Null),
        3 => path_text().prop_map(DataPath::Path),
    ]
    .boxed()
}

pub fn transition() -> BoxedStrategy<Transition> {
    prop_oneof![
        Just(Transition::End),
        state_name().prop_map(Transition::Next),
    ]
    .boxed()
}

pub fn retrier() -> BoxedStrategy<Retrier> {
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

pub fn catcher() -> BoxedStrategy<Catcher> {
    (
        vec(error_name(), 0..3),
        state_name(),
        data_path(),
        comment(),
        option::of(jsonata_value()),
        option::of(assign_value()),
    )
        .prop_map(
            |(error_equals, next, result_path, comment, output, assign)| Catcher {
                error_equals,
                next,
                result_path,
                comment,
                output,
                assign,
            },
        )
        .boxed()
}

pub fn operator() -> BoxedStrategy<Operator> {
    select(Operator::ALL.to_vec()).boxed()
}

/// A comparison; each of the 39 operator names is about as likely.
pub fn comparison() -> BoxedStrategy<Comparison> {
    prop_oneof![
        10 => (operator(), operand(text()))
            .prop_map(|(op, operand)| Comparison::String(op, operand)),
        10 => (operator(), operand(json_number()))
            .prop_map(|(op, operand)| Comparison::Numeric(op, operand)),
        10 => (operator(), operand(timestamp()))
            .prop_map(|(op, operand)| Comparison::Timestamp(op, operand)),
        2 => operand(any::<bool>()).prop_map(Comparison::BooleanEquals),
        1 => text_or(&["*", "a*b", "\\*", "\\\\", "log-*.txt", "\\"])
            .prop_map(Comparison::StringMatches),
        6 => (select(TypeTest::ALL.to_vec()), any::<bool>())
            .prop_map(|(test, expected)| Comparison::Is(test, expected)),
    ]
    .boxed()
}

/// A condition: a comparison, or `And`, `Or`, `Not` of nested conditions,
/// each with or without a comment.
pub fn condition() -> BoxedStrategy<Condition> {
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

pub fn choice_rule() -> BoxedStrategy<ChoiceRule> {
    (
        prop_oneof![
            3 => condition(),
            1 => (comment(), jsonata_condition()).prop_map(|(comment, value)| Condition {
                comment,
                kind: ConditionKind::Jsonata(value),
            }),
        ],
        state_name(),
        option::of(assign_value()),
        option::of(jsonata_value()),
    )
        .prop_map(|(condition, next, assign, output)| ChoiceRule {
            condition,
            next,
            assign,
            output,
        })
        .boxed()
}

pub fn choice() -> BoxedStrategy<Choice> {
    (
        comment(),
        data_path(),
        vec(choice_rule(), 0..4),
        option::of(state_name()),
        data_path(),
        extras(),
    )
        .prop_map(
            |(comment, input_path, choices, default, output_path, extras)| Choice {
                comment,
                input_path,
                choices,
                default,
                output_path,
                query_language: extras.query_language,
                output: extras.output,
                assign: extras.assign,
            },
        )
        .boxed()
}

pub fn task() -> BoxedStrategy<Task> {
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
        extras(),
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
                extras,
            )| Task {
                comment,
                query_language: extras.query_language,
                arguments: extras.arguments,
                output: extras.output,
                assign: extras.assign,
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

pub fn pass() -> BoxedStrategy<Pass> {
    (
        comment(),
        data_path(),
        option::of(payload()),
        option::of(json_value()),
        data_path(),
        data_path(),
        transition(),
        extras(),
    )
        .prop_map(
            |(
                comment,
                input_path,
                parameters,
                result,
                result_path,
                output_path,
                transition,
                extras,
            )| {
                Pass {
                    comment,
                    query_language: extras.query_language,
                    output: extras.output,
                    assign: extras.assign,
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

pub fn wait_until() -> BoxedStrategy<WaitUntil> {
    prop_oneof![
        number().prop_map(WaitUntil::Seconds),
        timestamp().prop_map(WaitUntil::Timestamp),
        path_text().prop_map(WaitUntil::SecondsPath),
        path_text().prop_map(WaitUntil::TimestampPath),
        jsonata_text().prop_map(WaitUntil::SecondsExpression),
        jsonata_text().prop_map(WaitUntil::TimestampExpression),
    ]
    .boxed()
}

pub fn wait() -> BoxedStrategy<Wait> {
    (
        comment(),
        data_path(),
        wait_until(),
        data_path(),
        transition(),
        extras(),
    )
        .prop_map(
            |(comment, input_path, until, output_path, transition, extras)| Wait {
                comment,
                query_language: extras.query_language,
                output: extras.output,
                assign: extras.assign,
                input_path,
                until,
                output_path,
                transition,
            },
        )
        .boxed()
}

pub fn succeed() -> BoxedStrategy<Succeed> {
    (comment(), data_path(), data_path(), extras())
        .prop_map(|(comment, input_path, output_path, extras)| Succeed {
            comment,
            query_language: extras.query_language,
            output: extras.output,
            input_path,
            output_path,
        })
        .boxed()
}

/// Fail's error or cause: a string, or a path or call for ErrorPath and CausePath.
pub fn fail_text() -> BoxedStrategy<ValueOrPath<String>> {
    prop_oneof![
        text().prop_map(ValueOrPath::Value),
        expression().prop_map(ValueOrPath::Path),
        jsonata_text().prop_map(ValueOrPath::Expression),
    ]
    .boxed()
}

pub fn fail() -> BoxedStrategy<Fail> {
    (
        comment(),
        option::of(fail_text()),
        option::of(fail_text()),
        extras(),
    )
        .prop_map(|(comment, error, cause, extras)| Fail {
            comment,
            query_language: extras.query_language,
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
pub fn states(max: usize) -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<States> {
    let name = state_name();
    move |state| {
        vec((name.clone(), state), 0..=max)
            .prop_map(|states| states.into_iter().collect())
            .boxed()
    }
}

pub fn branch() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<Branch> {
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

pub fn parallel() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<Parallel> {
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
        extras(),
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
                        extras,
                    ),
                    branches,
                )| Parallel {
                    comment,
                    query_language: extras.query_language,
                    arguments: extras.arguments,
                    output: extras.output,
                    assign: extras.assign,
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

pub fn processor_config() -> BoxedStrategy<ProcessorConfig> {
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

pub fn item_processor() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<ItemProcessor> {
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

pub fn reader_config() -> BoxedStrategy<ReaderConfig> {
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

pub fn item_reader() -> BoxedStrategy<ItemReader> {
    (
        resource(),
        option::of(payload()),
        option::of(jsonata_value()),
        option::of(reader_config()),
    )
        .prop_map(
            |(resource, parameters, arguments, reader_config)| ItemReader {
                resource,
                parameters,
                arguments,
                reader_config,
            },
        )
        .boxed()
}

pub fn item_batcher() -> BoxedStrategy<ItemBatcher> {
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

pub fn writer_config() -> BoxedStrategy<WriterConfig> {
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

pub fn result_writer() -> BoxedStrategy<ResultWriter> {
    (
        option::of(resource()),
        option::of(payload()),
        option::of(jsonata_value()),
        option::of(writer_config()),
    )
        .prop_map(
            |(resource, parameters, arguments, writer_config)| ResultWriter {
                resource,
                parameters,
                arguments,
                writer_config,
            },
        )
        .boxed()
}

pub fn map() -> impl Fn(BoxedStrategy<State>) -> BoxedStrategy<Map> {
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
    let extras = extras();
    move |state| {
        (
            before.clone(),
            item_processor(state),
            after.clone(),
            extras.clone(),
        )
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
                    extras,
                )| Map {
                    comment,
                    query_language: extras.query_language,
                    items: extras.items,
                    output: extras.output,
                    assign: extras.assign,
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
pub fn simple_state() -> BoxedStrategy<State> {
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
pub fn state() -> BoxedStrategy<State> {
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

/// Any machine whose states hold the fields of their query language (the
/// reader refuses the other language's): generated with every field, then
/// made to agree with [`harmonize`].
pub fn state_machine() -> BoxedStrategy<StateMachine> {
    (
        comment(),
        state_name(),
        states(4)(state()),
        option::of(number()),
        or_default(DEFAULT_VERSION.to_string(), text()),
        select(QueryLanguage::ALL),
    )
        .prop_map(
            |(comment, start_at, states, timeout_seconds, version, query_language)| {
                let mut machine = StateMachine {
                    comment,
                    query_language,
                    start_at,
                    states,
                    timeout_seconds,
                    version,
                };
                harmonize(&mut machine);
                machine
            },
        )
        .boxed()
}

/// Leaves each state only the fields of its query language, turning the
/// other language's forms into its own where there is one (a `...Path`
/// setting into an expression and back), as a reader of the written
/// machine would find them.
pub fn harmonize(machine: &mut StateMachine) {
    let language = machine.query_language;
    harmonize_states(&mut machine.states, language);
}

fn harmonize_states(states: &mut States, machine: QueryLanguage) {
    for state in states.values_mut() {
        harmonize_state(state, machine);
    }
}

fn harmonize_setting<T>(setting: &mut ValueOrPath<T>, language: QueryLanguage) {
    let text = match setting {
        ValueOrPath::Value(_) => return,
        ValueOrPath::Path(text) | ValueOrPath::Expression(text) => std::mem::take(text),
    };
    *setting = match language {
        QueryLanguage::JsonPath => ValueOrPath::Path(text),
        QueryLanguage::Jsonata => ValueOrPath::Expression(text),
    };
}

fn harmonize_optional<T>(setting: &mut Option<ValueOrPath<T>>, language: QueryLanguage) {
    if let Some(setting) = setting {
        harmonize_setting(setting, language);
    }
}

/// Fail's error and cause: in JSONata a `{% %}` string is an expression.
fn harmonize_text(setting: &mut Option<ValueOrPath<String>>, language: QueryLanguage) {
    harmonize_optional(setting, language);
    if language == QueryLanguage::Jsonata
        && let Some(ValueOrPath::Value(text)) = setting
        && let Some(inner) = text.strip_prefix("{%").and_then(|t| t.strip_suffix("%}"))
    {
        *setting = Some(ValueOrPath::Expression(inner.to_string()));
    }
}

fn harmonize_catchers(catchers: &mut [Catcher], language: QueryLanguage) {
    for catcher in catchers {
        match language {
            QueryLanguage::JsonPath => catcher.output = None,
            QueryLanguage::Jsonata => catcher.result_path = DataPath::root(),
        }
    }
}

fn harmonize_state(state: &mut State, machine: QueryLanguage) {
    // A state cannot go back to JSONPath in a JSONata machine.
    let own = state.query_language();
    let own = if machine == QueryLanguage::Jsonata && own == Some(QueryLanguage::JsonPath) {
        None
    } else {
        own
    };
    let language = own.unwrap_or(machine);
    let jsonpath = language == QueryLanguage::JsonPath;
    // Clears the JSONPath data flow of a JSONata state and the JSONata
    // fields of a JSONPath state.
    macro_rules! data_flow {
        ($s:ident: $($jsonpath:ident = $default:expr),* ; $($jsonata:ident),*) => {
            $s.query_language = own;
            if jsonpath {
                $($s.$jsonata = None;)*
            } else {
                $($s.$jsonpath = $default;)*
            }
        };
    }
    match state {
        State::Task(s) => {
            data_flow!(s: input_path = DataPath::root(), parameters = None, result_selector = None,
                result_path = DataPath::root(), output_path = DataPath::root(); arguments, output);
            harmonize_optional(&mut s.timeout, language);
            harmonize_optional(&mut s.heartbeat, language);
            harmonize_catchers(&mut s.catch, language);
        }
        State::Pass(s) => {
            data_flow!(s: input_path = DataPath::root(), parameters = None, result = None,
                result_path = DataPath::root(), output_path = DataPath::root(); output);
        }
        State::Choice(s) => {
            data_flow!(s: input_path = DataPath::root(), output_path = DataPath::root(); output);
            for rule in &mut s.choices {
                let jsonata_rule = matches!(rule.condition.kind, ConditionKind::Jsonata(_));
                if jsonpath {
                    rule.output = None;
                    if jsonata_rule {
                        rule.condition.kind = ConditionKind::Test {
                            variable: "$".to_string(),
                            comparison: Comparison::Is(TypeTest::Present, true),
                        };
                    }
                } else if !jsonata_rule {
                    rule.condition.kind = ConditionKind::Jsonata(Value::Bool(true));
                }
            }
        }
        State::Wait(s) => {
            data_flow!(s: input_path = DataPath::root(), output_path = DataPath::root(); output);
            s.until = match std::mem::replace(&mut s.until, WaitUntil::Seconds(0)) {
                WaitUntil::SecondsPath(t) | WaitUntil::SecondsExpression(t) => {
                    if jsonpath {
                        WaitUntil::SecondsPath(t)
                    } else {
                        WaitUntil::SecondsExpression(t)
                    }
                }
                WaitUntil::TimestampPath(t) | WaitUntil::TimestampExpression(t) => {
                    if jsonpath {
                        WaitUntil::TimestampPath(t)
                    } else {
                        WaitUntil::TimestampExpression(t)
                    }
                }
                WaitUntil::Timestamp(t)
                    if !jsonpath && t.starts_with("{%") && t.ends_with("%}") =>
                {
                    WaitUntil::TimestampExpression(t[2..t.len() - 2].to_string())
                }
                other => other,
            };
        }
        State::Succeed(s) => {
            data_flow!(s: input_path = DataPath::root(), output_path = DataPath::root(); output);
        }
        State::Fail(s) => {
            s.query_language = own;
            harmonize_text(&mut s.error, language);
            harmonize_text(&mut s.cause, language);
        }
        State::Parallel(s) => {
            data_flow!(s: input_path = DataPath::root(), parameters = None, result_selector = None,
                result_path = DataPath::root(), output_path = DataPath::root(); arguments, output);
            harmonize_catchers(&mut s.catch, language);
            for branch in &mut s.branches {
                harmonize_states(&mut branch.states, machine);
            }
        }
        State::Map(s) => {
            data_flow!(s: input_path = DataPath::root(), result_selector = None,
                result_path = DataPath::root(), output_path = DataPath::root(),
                items_path = DEFAULT_ITEMS_PATH.to_string(); items, output);
            harmonize_setting(&mut s.max_concurrency, language);
            harmonize_setting(&mut s.tolerated_failure_count, language);
            harmonize_setting(&mut s.tolerated_failure_percentage, language);
            if let Some(reader) = &mut s.item_reader {
                if jsonpath {
                    reader.arguments = None;
                } else {
                    reader.parameters = None;
                }
                if let Some(config) = &mut reader.reader_config {
                    harmonize_optional(&mut config.max_items, language);
                }
            }
            if let Some(batcher) = &mut s.item_batcher {
                harmonize_optional(&mut batcher.max_items_per_batch, language);
                harmonize_optional(&mut batcher.max_input_bytes_per_batch, language);
            }
            if let Some(writer) = &mut s.result_writer {
                if jsonpath {
                    writer.arguments = None;
                } else {
                    writer.parameters = None;
                }
            }
            harmonize_catchers(&mut s.catch, language);
            harmonize_states(&mut s.item_processor.states, machine);
        }
    }
}

// ----- near misses: valid definitions, slightly broken -----

/// A valid machine using every state type and most fields.
pub fn valid_machine() -> StateMachine {
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
            arguments: None,
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
            arguments: None,
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
pub fn valid_definitions() -> Vec<Value> {
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
pub const FIELD_NAMES: &[&str] = &[
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
pub fn asl_value() -> BoxedStrategy<Value> {
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
pub enum Mutation {
    Delete,
    Rename(String),
    Replace(Value),
}

pub fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        2 => Just(Mutation::Delete),
        2 => text_or(FIELD_NAMES).prop_map(Mutation::Rename),
        2 => asl_value().prop_map(Mutation::Replace),
        1 => json_value().prop_map(Mutation::Replace),
    ]
    .boxed()
}

/// Every field of every object in `value`: the JSON Pointer of the object and the key.
pub fn fields(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
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
pub fn mutate(value: &mut Value, target: Index, mutation: Mutation) {
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
pub fn definition_like_json() -> BoxedStrategy<Value> {
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

/// Data in which many generated paths find something, of every JSON type.
pub fn document() -> Value {
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

// ----- hostile input: deep, wide and large data, expensive expressions -----

/// `inner` wrapped in `levels` arrays and objects, alternately; with
/// `siblings`, each level also holds a small array beside it (so that `..`
/// finds more at every level).
pub fn nest(inner: Value, levels: usize, siblings: bool) -> Value {
    let mut value = inner;
    for level in 0..levels {
        value = match (level % 2, siblings) {
            (0, false) => Value::Array(vec![value]),
            (0, true) => Value::Array(vec![value, json!([1, "b"])]),
            (_, false) => json!({ "a": value }),
            (_, true) => json!({ "a": value, "b": [1, 2] }),
        };
    }
    value
}

/// Data that is hard to walk: nested up to a little beyond the depth
/// ceiling, arrays and objects of thousands of members, long strings
/// (some of them JSON text, `{}` placeholders or Base64), and mixes of
/// these, none over about a megabyte.
pub fn hostile_json() -> BoxedStrategy<Value> {
    let small = prop_oneof![json_value(), Just(document())].boxed();
    let deep = (small.clone(), 0usize..540, any::<bool>())
        .prop_map(|(inner, levels, siblings)| nest(inner, levels, siblings));
    let wide_array =
        (small.clone(), 0usize..5_000).prop_map(|(item, count)| Value::Array(vec![item; count]));
    let wide_object = (small.clone(), 0usize..3_000).prop_map(|(item, count)| {
        Value::Object(
            (0..count)
                .map(|index| (format!("k{index}"), item.clone()))
                .collect(),
        )
    });
    let numbers =
        (0usize..10_000).prop_map(|count| Value::Array((0..count).map(Value::from).collect()));
    let long_string = (
        select(
            &[
                "x",
                "{}",
                "[",
                "{\"a\":",
                "é",
                "\\",
                "aGVsbG8=",
                ",",
                "\u{1f980}",
            ][..],
        ),
        0usize..100_000,
    )
        .prop_map(|(piece, count)| Value::String(piece.repeat(count)));
    let deep_text =
        (1usize..2_000).prop_map(|levels| Value::String("[".repeat(levels) + &"]".repeat(levels)));
    let wide_of_deep = (small.clone(), 0usize..60, 0usize..60)
        .prop_map(|(inner, levels, count)| Value::Array(vec![nest(inner, levels, true); count]));
    let deep_of_wide = (small, 0usize..60, 0usize..60)
        .prop_map(|(inner, count, levels)| nest(Value::Array(vec![inner; count]), levels, false));
    let holding = |inner: BoxedStrategy<Value>| {
        prop_oneof![
            inner.clone(),
            inner.prop_map(|value| {
                let mut holder = document();
                holder["a"]["a"] = value.clone();
                holder["s"] = value;
                holder
            }),
        ]
    };
    prop_oneof![
        2 => json_value(),
        1 => Just(document()),
        3 => holding(deep.boxed()),
        2 => holding(wide_array.boxed()),
        1 => holding(wide_object.boxed()),
        1 => holding(numbers.boxed()),
        2 => holding(long_string.boxed()),
        1 => holding(deep_text.boxed()),
        1 => wide_of_deep,
        1 => deep_of_wide,
    ]
    .boxed()
}

/// Paths that do a lot of work on large data.
pub const HOSTILE_PATHS: &[&str] = &[
    "$..*",
    "$..*..*",
    "$..*..*..*..*..*",
    "$..[*]",
    "$..a..a..a",
    "$[*][*][*][*]",
    "$.a.a[*]",
    "$..[0,1,0,1,0,1]",
    "$..['a','b','a','b']",
    "$[::1]",
    "$[::-1]",
    "$..[::-1]",
    "$[?(@..* == 1)]",
    "$..[?(@..* == 'b')]",
    "$[?(@ in $..*)]",
    "$..[?(@.a subsetof $..*)]",
    "$[?(@..* anyof $..*)]",
    "$[?(@.a =~ /(a+)+b/)]",
    "$..[?(@ size 1)]",
    "$..s",
    "$",
    "$$..*",
];

/// Calls that do a lot of work, or build a lot, on large data.
pub const HOSTILE_CALLS: &[&str] = &[
    "States.Array($, $, $, $, $, $, $, $)",
    "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array($)))))))))",
    "States.ArrayRange(0, 1000000000, 1)",
    "States.ArrayRange(-2147483648, 2147483647, 1)",
    "States.ArrayRange(0, 999, 1)",
    "States.ArrayPartition($..*, 1)",
    "States.ArrayPartition($, 1)",
    "States.ArrayContains($..*, 'b')",
    "States.ArrayUnique($..*)",
    "States.ArrayUnique($)",
    "States.ArrayLength($..*)",
    "States.ArrayGetItem($..*, 9)",
    "States.JsonToString($)",
    "States.StringToJson($.s)",
    "States.StringToJson(States.JsonToString($))",
    "States.JsonMerge($, $, false)",
    "States.JsonMerge($.a, $, false)",
    "States.Format($.s, $, $, $)",
    "States.Format('{}{}{}{}', $, $, $, $)",
    "States.StringSplit($.s, '')",
    "States.StringSplit($.s, ',')",
    "States.StringSplit(States.JsonToString($), ',{[')",
    "States.Hash(States.JsonToString($), 'SHA-512')",
    "States.Hash($.s, 'MD5')",
    "States.Base64Encode(States.JsonToString($))",
    "States.Base64Decode($.s)",
    "States.Base64Decode($.k)",
    "States.MathAdd(States.ArrayLength($..*), 2147483647)",
    "States.MathRandom(0, 2147483647)",
    "States.UUID()",
];

/// A path: often one that does a lot of work, otherwise any path text.
pub fn hostile_path() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(HOSTILE_PATHS).prop_map(str::to_string),
        2 => path_text(),
        1 => text(),
    ]
    .boxed()
}

/// A call: often one that does a lot of work, otherwise any call text.
pub fn hostile_call() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(HOSTILE_CALLS).prop_map(str::to_string),
        2 => intrinsic_call(),
        1 => text(),
    ]
    .boxed()
}

/// A payload template: any template, one whose fields copy and build from
/// the whole input many times, or one nested deep.
pub fn hostile_template() -> BoxedStrategy<Value> {
    let expression = prop_oneof![hostile_path(), hostile_call()];
    let copies = (vec(expression.clone(), 1..40), 1usize..200).prop_map(|(expressions, count)| {
        Value::Object(
            (0..count)
                .map(|index| {
                    let expression = &expressions[index % expressions.len()];
                    (format!("f{index}.$"), Value::String(expression.clone()))
                })
                .collect(),
        )
    });
    let deep =
        (expression, 0usize..540, any::<bool>()).prop_map(|(expression, levels, siblings)| {
            let mut template = json!({ "x.$": expression });
            for level in 0..levels {
                template = match (level % 3, siblings) {
                    (0, _) => json!({ "a": template }),
                    (1, false) => json!([template]),
                    (1, true) => json!([template, {"y.$": "$"}]),
                    _ => json!({ "b": template, "c.$": "$..*" }),
                };
            }
            template
        });
    prop_oneof![2 => payload(), 2 => copies, 1 => deep].boxed()
}

/// Bounds for one evaluation: often small enough to run out, sometimes the
/// defaults, with depths up to a little beyond the ceiling (which caps
/// them).
pub fn evaluation_limits() -> BoxedStrategy<sfini_core::budget::EvaluationLimits> {
    let steps = prop_oneof![
        2 => select(&[0u64, 1, 10, 100, 1_000, 10_000, 100_000][..]),
        1 => 0u64..200_000,
    ];
    let bytes = prop_oneof![
        2 => select(&[0usize, 1, 100, 1_000, 10_000, 100_000, 262_144][..]),
        1 => 0usize..300_000,
    ];
    let depth = prop_oneof![
        2 => select(&[0usize, 1, 2, 10, 256, 512, 600][..]),
        1 => 0usize..600,
    ];
    (steps, bytes, depth)
        .prop_map(|(steps, bytes, depth)| {
            sfini_core::budget::EvaluationLimits::default()
                .steps(steps)
                .bytes(bytes)
                .depth(depth)
        })
        .boxed()
}

/// A definition nested deep in one of the ways the language nests: a
/// Parameters template, a Result, `Not` and `And` in a Choice rule, Parallel
/// branches and Map processors, `levels` times.
pub fn deep_definition() -> BoxedStrategy<Value> {
    (0usize..6, 0usize..540)
        .prop_map(|(kind, levels)| {
            let end = |state: Value| json!({"StartAt": "s", "States": {"s": state}});
            match kind {
                0 => end(json!({"Type": "Pass", "Parameters": nest(json!({"x.$": "$"}), levels, true), "End": true})),
                1 => end(json!({"Type": "Pass", "Result": nest(json!(1), levels, false), "End": true})),
                2 | 3 => {
                    let mut condition = json!({"Variable": "$.a", "IsPresent": true});
                    for _ in 0..levels / 2 {
                        condition = if kind == 2 {
                            json!({"Not": condition})
                        } else {
                            json!({"And": [condition, {"Variable": "$.b", "IsNull": false}]})
                        };
                    }
                    condition["Next"] = json!("done");
                    json!({"StartAt": "s", "States": {
                        "s": {"Type": "Choice", "Choices": [condition], "Default": "done"},
                        "done": {"Type": "Succeed"}
                    }})
                }
                _ => {
                    let mut inner = json!({"Type": "Pass", "End": true});
                    for _ in 0..levels / 4 {
                        let scope = json!({"StartAt": "s", "States": {"s": inner}});
                        inner = if kind == 4 {
                            json!({"Type": "Parallel", "Branches": [scope], "End": true})
                        } else {
                            json!({"Type": "Map", "ItemProcessor": scope, "End": true})
                        };
                    }
                    end(inner)
                }
            }
        })
        .boxed()
}

/// A definition as a JSON value: shaped like one, a near miss of a valid
/// one, nested deep, or any data.
pub fn definition_value() -> BoxedStrategy<Value> {
    let near_miss = (
        prop_oneof![
            3 => select(valid_definitions()),
            1 => state_machine().prop_map(|machine| machine.to_value()),
        ],
        vec((any::<Index>(), mutation()), 1..4),
    )
        .prop_map(|(mut value, mutations)| {
            for (target, mutation) in mutations {
                mutate(&mut value, target, mutation);
            }
            value
        });
    prop_oneof![
        2 => definition_like_json(),
        2 => near_miss,
        1 => state_machine().prop_map(|machine| machine.to_value()),
        1 => deep_definition(),
        1 => hostile_json(),
    ]
    .boxed()
}

/// A definition as text: the text of a definition value, cut short or with
/// pieces of text put in at places, or any text.
pub fn definition_text() -> BoxedStrategy<String> {
    let edits = vec((any::<Index>(), text()), 0..3);
    let edited = (definition_value(), any::<bool>(), edits, any::<Index>()).prop_map(
        |(value, pretty, edits, cut)| {
            let mut text = if pretty {
                serde_json::to_string_pretty(&value).expect("JSON")
            } else {
                value.to_string()
            };
            sfini_core::limits::drop_deep(value);
            for (at, piece) in edits {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &piece);
            }
            if cut.index(8) == 0 {
                let mut at = cut.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
            text
        },
    );
    prop_oneof![
        4 => edited,
        1 => vec(character(), 0..200).prop_map(String::from_iter),
        1 => (select(&["[", "{\"a\":", "{\"StartAt\":\"s\",\"States\":{\"s\":"][..]), 0usize..2_000)
            .prop_map(|(piece, count)| piece.repeat(count)),
    ]
    .boxed()
}
