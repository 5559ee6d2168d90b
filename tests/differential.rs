//! The local engine against moto's Amazon States Language interpreter and
//! AWS's documented behaviour, on the cases of `tests/differential/cases/`.
//!
//! moto runs every case once, through `tests/differential/harness.py` in the
//! venv that `scripts/test-env.sh` makes; the local engine runs each case on
//! the virtual clock (Waits and retry intervals are instant). The comparison
//! follows `tests/differential/README.md`:
//!
//! - a case without `moto_departs`: the engine's result, moto's result and
//!   the case's `expect` (AWS's documented behaviour) are all equal;
//! - a case with `moto_departs`: AWS's documentation is the judge, so the
//!   engine's result equals `expect`, and moto's must still differ from it
//!   (otherwise the case's note about moto is no longer true).
//!
//! Status, error, cause (unless the case ignores it), output (JSON values,
//! numbers by value, keys in any order) and the sequence of history event
//! types are compared; the events of Parallel cases whose branches may
//! interleave are compared as multisets. Every mismatch of every case is
//! reported in one failure.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use sfini::runtime::api::*;
use sfini::runtime::clock::Clock;
use sfini::runtime::local::LocalEngine;

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/sfini-differential";
/// The requirement: at least this many definitions run on both engines.
const MINIMUM_CASES: usize = 40;

/// One case file.
struct Case {
    stem: String,
    definition: Value,
    input: Value,
    expect: Outcome,
    moto_departs: Option<String>,
    ignore_cause: bool,
    interleave: bool,
}

/// How an execution ended, as the harness reports it.
#[derive(Debug)]
struct Outcome {
    status: String,
    output: Value,
    error: Option<String>,
    cause: Option<String>,
    events: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(value: &Value, field: &str, case: &str) -> Option<String> {
    match value.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => panic!("{case}: `{field}` must be a string or null, found {other}"),
    }
}

impl Outcome {
    fn from_json(value: &Value, case: &str) -> Outcome {
        let status = text(value, "status", case)
            .unwrap_or_else(|| panic!("{case}: a result needs a `status` string"));
        let events = value
            .get("events")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{case}: a result needs an `events` array"))
            .iter()
            .map(|event| {
                event
                    .as_str()
                    .unwrap_or_else(|| panic!("{case}: event types are strings, found {event}"))
                    .to_string()
            })
            .collect();
        Outcome {
            status,
            output: value.get("output").cloned().unwrap_or(Value::Null),
            error: text(value, "error", case),
            cause: text(value, "cause", case),
            events,
        }
    }
}

fn read_cases(directory: &Path) -> Vec<Case> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("a case file name is UTF-8")
                .to_string();
            let body = std::fs::read_to_string(path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            let case: Value = serde_json::from_str(&body)
                .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
            let ignore = case
                .get("ignore")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if let Some(field) = ignore.iter().find(|field| field.as_str() != Some("cause")) {
                panic!("{stem}: `ignore` may list only \"cause\", found {field}");
            }
            Case {
                definition: case["definition"].clone(),
                input: case.get("input").cloned().unwrap_or(Value::Null),
                expect: Outcome::from_json(&case["expect"], &stem),
                moto_departs: text(&case, "moto_departs", &stem),
                ignore_cause: !ignore.is_empty(),
                interleave: case.get("events_interleave") == Some(&Value::Bool(true)),
                stem,
            }
        })
        .collect()
}

/// Every case run on moto by the harness, in one run: the result of each
/// case, or its harness error.
fn run_on_moto(directory: &Path) -> serde_json::Map<String, Value> {
    let python = root().join("target/test-venv/bin/python");
    assert!(
        python.exists(),
        "the differential tests need moto's venv at {}: run bash scripts/test-env.sh",
        python.display()
    );
    let output = Command::new(&python)
        .arg(root().join("tests/differential/harness.py"))
        .arg(directory)
        .current_dir(root())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
    assert!(
        output.status.success(),
        "harness.py failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "harness.py printed no JSON document ({error}); its standard error: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    match document.get("cases") {
        Some(Value::Object(cases)) => cases.clone(),
        _ => panic!("harness.py's document has no `cases` object: {document}"),
    }
}

/// The name the harness gives a case's state machine.
fn machine_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("case-{name}")
}

/// Runs a case on a fresh local engine, named as the harness names it.
async fn run_on_engine(case: &Case) -> Result<Outcome, String> {
    let engine = LocalEngine::builder()
        .clock(Clock::virtual_from(Clock::real().now()))
        .build();
    let machine = engine
        .create_state_machine(CreateStateMachineInput {
            name: machine_name(&case.stem),
            definition: case.definition.to_string(),
            role_arn: ROLE_ARN.into(),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("CreateStateMachine failed: {error}"))?;
    let started = engine
        .start_execution(StartExecutionInput {
            state_machine_arn: machine.state_machine_arn,
            name: Some("run".into()),
            input: Some(case.input.to_string()),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("StartExecution failed: {error}"))?;
    // On the paused clock an execution that never ends shows as this
    // (virtual) timeout, not as a hang.
    let done = tokio::time::timeout(
        Duration::from_secs(3600),
        engine.wait_for_execution(&started.execution_arn),
    )
    .await
    .map_err(|_| "the execution was still running after an hour".to_string())?
    .map_err(|error| format!("DescribeExecution failed: {error}"))?;
    let history = engine
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: started.execution_arn.clone(),
            max_results: 1000,
            ..Default::default()
        })
        .await
        .map_err(|error| format!("GetExecutionHistory failed: {error}"))?;
    let output = match &done.output {
        Some(output) if done.status == ExecutionStatus::Succeeded => {
            serde_json::from_str(output)
                .map_err(|error| format!("the output is not JSON ({error}): {output}"))?
        }
        _ => Value::Null,
    };
    Ok(Outcome {
        status: done.status.as_str().to_string(),
        output,
        error: done.error,
        cause: done.cause,
        events: history
            .events
            .iter()
            .map(|event| event.event_type().as_str().to_string())
            .collect(),
    })
}

/// JSON values equal as the README compares them: numbers by value, object
/// keys in any order.
fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => {
            match (left.as_i64(), right.as_i64(), left.as_u64(), right.as_u64()) {
                (Some(left), Some(right), _, _) => left == right,
                (_, _, Some(left), Some(right)) => left == right,
                _ => left.as_f64() == right.as_f64(),
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| same_json(l, r))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, value)| right.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => left == right,
    }
}

/// The fields where `actual` differs from `expected`, described.
fn differences(case: &Case, actual: &Outcome, expected: &Outcome) -> Vec<String> {
    let mut found = Vec::new();
    if actual.status != expected.status {
        found.push(format!(
            "status {} instead of {}",
            actual.status, expected.status
        ));
    }
    if actual.error != expected.error {
        found.push(format!(
            "error {:?} instead of {:?}",
            actual.error, expected.error
        ));
    }
    if !case.ignore_cause && actual.cause != expected.cause {
        found.push(format!(
            "cause {:?} instead of {:?}",
            actual.cause, expected.cause
        ));
    }
    if !same_json(&actual.output, &expected.output) {
        found.push(format!(
            "output {} instead of {}",
            actual.output, expected.output
        ));
    }
    let events_differ = if case.interleave {
        let mut left = actual.events.clone();
        let mut right = expected.events.clone();
        left.sort();
        right.sort();
        left != right
    } else {
        actual.events != expected.events
    };
    if events_differ {
        found.push(format!(
            "events{} {:?} instead of {:?}",
            if case.interleave {
                " (as a multiset)"
            } else {
                ""
            },
            actual.events,
            expected.events
        ));
    }
    found
}

#[test]
fn the_local_engine_agrees_with_moto_and_aws() {
    let directory = root().join("tests/differential/cases");
    let cases = read_cases(&directory);
    assert!(
        cases.len() >= MINIMUM_CASES,
        "{} holds {} cases; at least {MINIMUM_CASES} are required",
        directory.display(),
        cases.len()
    );
    let moto = run_on_moto(&directory);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    let mut report = String::new();
    let mut failing = 0;
    for case in &cases {
        let mut problems = Vec::new();
        match runtime.block_on(run_on_engine(case)) {
            Ok(engine) => problems.extend(
                differences(case, &engine, &case.expect)
                    .into_iter()
                    .map(|difference| format!("engine: {difference}")),
            ),
            Err(error) => problems.push(format!("engine: {error}")),
        }
        let moto_result = match moto.get(&case.stem) {
            None => Err("harness.py reported nothing for the case".to_string()),
            Some(result) => match result.get("harness_error") {
                Some(error) => Err(format!("harness error: {error}")),
                None => Ok(Outcome::from_json(result, &case.stem)),
            },
        };
        match (&case.moto_departs, moto_result) {
            (None, Ok(moto)) => problems.extend(
                differences(case, &moto, &case.expect)
                    .into_iter()
                    .map(|difference| format!("moto: {difference}")),
            ),
            (None, Err(error)) => problems.push(format!("moto: {error}")),
            (Some(_), Ok(moto)) if differences(case, &moto, &case.expect).is_empty() => problems
                .push(
                    "moto: now behaves as AWS documents; the case's `moto_departs` note is no \
                     longer true"
                        .to_string(),
                ),
            (Some(_), _) => {}
        }
        if !problems.is_empty() {
            failing += 1;
            let _ = writeln!(report, "{}:", case.stem);
            for problem in problems {
                let _ = writeln!(report, "    {problem}");
            }
        }
    }
    assert!(
        failing == 0,
        "{failing} of {} differential cases do not agree:\n{report}",
        cases.len()
    );
}
