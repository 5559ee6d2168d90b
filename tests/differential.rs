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

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::outcome::{Comparison, EngineRun, Outcome, differences, run_on_local_engine, text};

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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
    run_on_local_engine(EngineRun {
        machine_name: machine_name(&case.stem),
        role_arn: ROLE_ARN,
        definition: &case.definition,
        input: &case.input,
        tasks: Vec::new(),
    })
    .await
}

/// The fields where `actual` differs from `expected`, as the README
/// compares them.
fn differences_of(case: &Case, actual: &Outcome, expected: &Outcome) -> Vec<String> {
    differences(
        actual,
        expected,
        Comparison {
            cause: !case.ignore_cause,
            events: true,
            interleave: case.interleave,
        },
    )
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
                differences_of(case, &engine, &case.expect)
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
                differences_of(case, &moto, &case.expect)
                    .into_iter()
                    .map(|difference| format!("moto: {difference}")),
            ),
            (None, Err(error)) => problems.push(format!("moto: {error}")),
            (Some(_), Ok(moto)) if differences_of(case, &moto, &case.expect).is_empty() => problems
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
