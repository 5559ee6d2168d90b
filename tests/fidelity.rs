//! The fidelity suite: the local engine answers as AWS Step Functions
//! answers, on the cases of `tests/fidelity/cases/` (see
//! `tests/fidelity/README.md`).
//!
//! Each case holds a definition, an input, optionally scripted answers for
//! its Task states, and what AWS answers for it, with where that fact comes
//! from. The engine runs each case on the virtual clock and must answer
//! exactly: status, error, cause (to the word), output (as a JSON value) and,
//! when the case lists them, the types of the history events in order. A
//! case may instead expect the definition to be refused at creation. Every
//! mismatch of every case is reported in one failure.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sfini::runtime::api::{CreateStateMachineInput, StepFunctions as _};
use sfini::runtime::local::LocalEngine;
use support::outcome::{
    Comparison, EngineRun, Outcome, TaskAnswer, differences, run_on_local_engine, text,
};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/sfini-fidelity";
/// The suite's promise: at least this many cases, each with its source.
const MINIMUM_CASES: usize = 150;

/// What a case expects.
enum Expected {
    /// The execution ends so.
    Outcome {
        outcome: Outcome,
        compare: Comparison,
        /// Set when only part of AWS's cause is known: the engine's cause
        /// must hold it.
        cause_contains: Option<String>,
    },
    /// CreateStateMachine refuses the definition with this error code, and
    /// a message that holds this text.
    Refused { code: String, message: String },
}

/// One case file.
struct Case {
    name: String,
    definition: Value,
    input: Value,
    tasks: Vec<(String, Vec<TaskAnswer>)>,
    expected: Expected,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.json` under `directory`, at any depth, sorted.
fn case_files(directory: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let entries = std::fs::read_dir(&directory)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

const FIELDS: [&str; 7] = [
    "comment",
    "source",
    "definition",
    "input",
    "tasks",
    "expect",
    "ignore",
];

fn read_case(path: &Path, directory: &Path) -> Case {
    let name = path
        .strip_prefix(directory)
        .expect("a case under the cases directory")
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    let body = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let case: Value = serde_json::from_str(&body)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
    let Some(fields) = case.as_object() else {
        panic!("{name}: a case is a JSON object");
    };
    if let Some(field) = fields
        .keys()
        .find(|field| !FIELDS.contains(&field.as_str()))
    {
        panic!("{name}: unknown field `{field}`; a case has {FIELDS:?}");
    }
    for field in ["comment", "source"] {
        let given = text(&case, field, &name).unwrap_or_default();
        assert!(
            given.trim().len() >= 10,
            "{name}: `{field}` must say {}",
            if field == "source" {
                "where the fact the case asserts comes from"
            } else {
                "what the case shows"
            }
        );
    }
    assert!(
        case["definition"].is_object(),
        "{name}: `definition` must be an object"
    );
    let ignore: Vec<&str> = case
        .get("ignore")
        .and_then(Value::as_array)
        .map(|fields| fields.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(field) = ignore.iter().find(|field| **field != "cause") {
        panic!("{name}: `ignore` may list only \"cause\", found {field:?}");
    }
    let tasks = match case.get("tasks") {
        None => Vec::new(),
        Some(Value::Object(tasks)) => tasks
            .iter()
            .map(|(resource, answers)| {
                let answers: Vec<TaskAnswer> = answers
                    .as_array()
                    .unwrap_or_else(|| panic!("{name}: the answers of {resource} are a list"))
                    .iter()
                    .map(|answer| TaskAnswer::from_json(answer, &name))
                    .collect();
                assert!(
                    !answers.is_empty(),
                    "{name}: {resource} needs at least one answer"
                );
                (resource.clone(), answers)
            })
            .collect(),
        Some(other) => panic!("{name}: `tasks` must be an object, found {other}"),
    };
    let expect = &case["expect"];
    let expected = if let Some(refused) = expect.get("refused") {
        Expected::Refused {
            code: text(refused, "code", &name)
                .unwrap_or_else(|| panic!("{name}: `refused` needs a `code`")),
            message: text(refused, "message_contains", &name).unwrap_or_default(),
        }
    } else {
        assert!(
            expect.get("status").is_some(),
            "{name}: `expect` needs a `status` (or `refused`)"
        );
        let cause_contains = text(expect, "cause_contains", &name);
        assert!(
            cause_contains.is_none() || expect.get("cause").is_none(),
            "{name}: `expect` gives `cause` or `cause_contains`, not both"
        );
        Expected::Outcome {
            cause_contains: cause_contains.clone(),
            compare: Comparison {
                cause: !ignore.contains(&"cause") && cause_contains.is_none(),
                events: expect.get("events").is_some(),
                interleave: false,
            },
            outcome: Outcome::from_json(expect, &name),
        }
    };
    Case {
        definition: case["definition"].clone(),
        input: case
            .get("input")
            .cloned()
            .unwrap_or(Value::Object(Default::default())),
        tasks,
        expected,
        name,
    }
}

/// The name a case's state machine gets: `fidelity-` and the file's stem.
fn machine_name(case: &str) -> String {
    let stem = case.rsplit('/').next().unwrap_or(case);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("fidelity-{name}")
}

/// What differs between the engine's answer and the case's.
async fn check(case: &Case) -> Vec<String> {
    match &case.expected {
        Expected::Outcome {
            outcome,
            compare,
            cause_contains,
        } => {
            match run_on_local_engine(EngineRun {
                machine_name: machine_name(&case.name),
                role_arn: ROLE_ARN,
                definition: &case.definition,
                input: &case.input,
                tasks: case.tasks.clone(),
            })
            .await
            {
                Ok(actual) => {
                    let mut found = differences(&actual, outcome, *compare);
                    if let Some(part) = cause_contains {
                        let cause = actual.cause.as_deref().unwrap_or_default();
                        if !cause.contains(part.as_str()) {
                            found.push(format!("cause {cause:?} does not hold {part:?}"));
                        }
                    }
                    found
                }
                Err(error) => vec![error],
            }
        }
        Expected::Refused { code, message } => {
            let engine = LocalEngine::builder().build();
            match engine
                .create_state_machine(CreateStateMachineInput {
                    name: machine_name(&case.name),
                    definition: case.definition.to_string(),
                    role_arn: ROLE_ARN.into(),
                    ..Default::default()
                })
                .await
            {
                Ok(_) => vec![format!(
                    "the definition was accepted; AWS refuses it ({code})"
                )],
                Err(error) => {
                    let mut found = Vec::new();
                    if error.code() != code {
                        found.push(format!("refused with {} instead of {code}", error.code()));
                    }
                    if !error.message().contains(message.as_str()) {
                        found.push(format!(
                            "the refusal says {:?}, which does not hold {message:?}",
                            error.message()
                        ));
                    }
                    found
                }
            }
        }
    }
}

#[test]
fn the_local_engine_answers_as_aws_does() {
    let directory = root().join("tests/fidelity/cases");
    let cases: Vec<Case> = case_files(&directory)
        .iter()
        .map(|path| read_case(path, &directory))
        .collect();
    // `SFINI_FIDELITY_FILTER=intrinsic/` runs only the cases whose name
    // holds the text; the whole suite must still hold its promised size.
    let filter = std::env::var("SFINI_FIDELITY_FILTER").unwrap_or_default();
    let whole = cases.len();
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|case| case.name.contains(&filter))
        .collect();
    assert!(
        whole >= MINIMUM_CASES || !filter.is_empty(),
        "{} holds {} cases; the suite promises at least {MINIMUM_CASES}",
        directory.display(),
        whole
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    let mut report = String::new();
    let mut failing = 0;
    for case in &cases {
        let problems = runtime.block_on(check(case));
        if !problems.is_empty() {
            failing += 1;
            let _ = writeln!(report, "{}:", case.name);
            for problem in problems {
                let _ = writeln!(report, "    {problem}");
            }
        }
    }
    assert!(
        failing == 0,
        "{failing} of {} fidelity cases do not answer as AWS does:\n{report}",
        cases.len()
    );
}
