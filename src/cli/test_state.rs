//! `sfini test-state FILE [--state NAME] [--input JSON | --input-file PATH]
//! [--inspection-level INFO|DEBUG|TRACE] [--mock-result JSON | --mock-error
//! ERROR [--mock-cause CAUSE]] [--retry-count N] [--variables JSON]
//! [--json]`: runs one state on the local engine with Step Functions'
//! `TestState` and prints what it produced.
//!
//! FILE holds one state's definition (`{"Type": "Pass", ...}`), or with
//! `--state NAME` a whole state machine's, of which the state NAME is
//! tested; JSON, or YAML by extension, read as `sfini validate` reads
//! definitions (at most 1,048,576 characters). The input, given with
//! `--input`, read from a file with `--input-file`, or from standard input
//! with `--input-file -` (at most 262,144 bytes), is `{}` by default.
//!
//! A Task state runs with its mock: `--mock-result` is its result,
//! `--mock-error` its error (which Retry and Catch match, with
//! `--retry-count` the retries already made); a Task without a mock fails
//! with `States.Runtime`, since the tool has no handler to call. Map and
//! Parallel states run only with a mock, as `TestState` runs them on AWS.
//!
//! The report gives the status (`SUCCEEDED`, `FAILED`, `RETRIABLE` or
//! `CAUGHT_ERROR`), the next state, the output or the error and its cause,
//! and at `--inspection-level DEBUG` or `TRACE` what each stage of the
//! state's data flow made (the local engine answers `TRACE` as `DEBUG`: it
//! makes no HTTP calls). `--json` prints `TestState`'s answer as the API
//! writes it, on one line.
//!
//! The exit status says how it went:
//!
//! - 0: the state ran and its workflow goes on: it succeeded
//!   (`SUCCEEDED`), a catcher caught its error (`CAUGHT_ERROR`), or a
//!   retrier retries it (`RETRIABLE`);
//! - 1: the state ran and failed with an error nothing handles (`FAILED`);
//! - 2: nothing could run: the definition could not be read, was too
//!   large, was not JSON or YAML or broke a rule of the language (its
//!   diagnostics are printed, as `sfini validate` prints them); the input
//!   could not be read or was refused; `TestState` refused the request (a
//!   mock for a state type that takes none, a Map without one, a `--state`
//!   the machine does not have...); or the command line was wrong.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value};
use sfini::core::json::position::locate_all;
use sfini::runtime::api::*;
use sfini::runtime::local::LocalEngine;

use super::bounded::{self, Unit};
use super::definition::MAX_DEFINITION_CHARACTERS;
use super::yaml;

/// Arguments of `sfini test-state`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One state's definition, or with --state a whole state machine's:
    /// `.json`, or `.yaml`/`.yml` for YAML.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The state of FILE, a whole state machine, to test.
    #[arg(long, value_name = "NAME")]
    state: Option<String>,

    /// The state's input, as JSON (`{}` when neither this nor --input-file
    /// is given).
    #[arg(long, value_name = "JSON", conflicts_with = "input_file")]
    input: Option<String>,

    /// Read the state's input, as JSON, from a file, or from standard input
    /// when PATH is `-` (at most 262,144 bytes).
    #[arg(long, value_name = "PATH")]
    input_file: Option<PathBuf>,

    /// How much to show: INFO (status, next state, output or error), DEBUG
    /// (also each stage of the data flow, the variables, the retrier or
    /// catcher that handled an error) or TRACE (as DEBUG here).
    #[arg(long, value_name = "LEVEL", default_value = "INFO", value_parser = level)]
    inspection_level: InspectionLevel,

    /// The result the state returns instead of doing its work, as JSON.
    #[arg(long, value_name = "JSON", conflicts_with = "mock_error")]
    mock_result: Option<String>,

    /// The error the state fails with instead of doing its work.
    #[arg(long, value_name = "ERROR")]
    mock_error: Option<String>,

    /// The cause of --mock-error.
    #[arg(long, value_name = "CAUSE", requires = "mock_error")]
    mock_cause: Option<String>,

    /// How many retries of the retrier that matches the error have been
    /// made already (0 by default).
    #[arg(long, value_name = "N")]
    retry_count: Option<u32>,

    /// The workflow variables the state sees, as a JSON object.
    #[arg(long, value_name = "JSON")]
    variables: Option<String>,

    /// Print `TestState`'s answer as JSON, on one line.
    #[arg(long)]
    json: bool,
}

/// The role the state runs as: `TestState` needs one for a Task.
const ROLE: &str = "arn:aws:iam::123456789012:role/sfini-test-state";
/// The exit status when the state failed.
const FAILED: u8 = 1;
/// The exit status when nothing could run.
const COULD_NOT_RUN: u8 = 2;

fn level(text: &str) -> Result<InspectionLevel, String> {
    InspectionLevel::from_name(&text.to_ascii_uppercase())
        .ok_or_else(|| format!("`{text}` is not an inspection level: give INFO, DEBUG or TRACE"))
}

fn could_not_run(subject: &dyn std::fmt::Display, message: &str) -> ExitCode {
    eprintln!("{subject}: {message}");
    ExitCode::from(COULD_NOT_RUN)
}

/// Tests the state and prints what it did.
pub fn run(args: &Args) -> ExitCode {
    let shown = args.file.display();
    let (definition, is_the_file) = match read_definition(&args.file) {
        Ok(read) => read,
        Err(message) => return could_not_run(&shown, &message),
    };
    let input = match read_input(args) {
        Ok(input) => input,
        Err(message) => return could_not_run(&"sfini test-state", &message),
    };
    let request = TestStateInput {
        definition: definition.clone(),
        role_arn: Some(ROLE.into()),
        input: Some(input),
        inspection_level: Some(args.inspection_level),
        variables: args.variables.clone(),
        state_name: args.state.clone(),
        mock: mock(args),
        state_configuration: args.retry_count.map(|count| TestStateConfiguration {
            retrier_retry_count: Some(count),
            ..Default::default()
        }),
        ..Default::default()
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return could_not_run(
                &"sfini test-state",
                &format!("cannot start the engine: {error}"),
            );
        }
    };
    let engine = LocalEngine::new();
    let answer = match runtime.block_on(engine.test_state(request)) {
        Ok(answer) => answer,
        Err(SfnError::InvalidDefinition { diagnostics, .. }) => {
            let text = is_the_file.then_some(definition.as_str());
            // A closed pipe ends the printing: nothing more can be said.
            let _ = write_diagnostics(&mut io::stdout().lock(), &args.file, text, &diagnostics);
            return ExitCode::from(COULD_NOT_RUN);
        }
        Err(error) => return could_not_run(&shown, &error.to_string()),
    };
    let mut out = io::stdout().lock();
    let _ = if args.json {
        writeln!(out, "{}", answer_json(&answer))
    } else {
        print_text(&mut out, &answer)
    };
    match answer.status {
        Some(TestExecutionStatus::Failed) | None => ExitCode::from(FAILED),
        Some(_) => ExitCode::SUCCESS,
    }
}

fn mock(args: &Args) -> Option<MockInput> {
    if let Some(result) = &args.mock_result {
        return Some(MockInput {
            result: Some(result.clone()),
            ..Default::default()
        });
    }
    args.mock_error.as_ref().map(|error| MockInput {
        error_output: Some(MockErrorOutput {
            error: Some(error.clone()),
            cause: args.mock_cause.clone(),
        }),
        ..Default::default()
    })
}

fn is_yaml(file: &Path) -> bool {
    file.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml")
        })
}

/// The definition as JSON text, and whether it is the file's own text (so
/// that positions in it are positions in the file).
fn read_definition(file: &Path) -> Result<(String, bool), String> {
    let text = bounded::read_file(file, MAX_DEFINITION_CHARACTERS, Unit::Characters)
        .map_err(|error| error.describe("the definition", "the file"))?;
    if !is_yaml(file) {
        return Ok((text, true));
    }
    let json = yaml::parse(&text)?.to_string();
    // YAML's aliases can make the JSON much longer than the file.
    let length = json.chars().count();
    if length > MAX_DEFINITION_CHARACTERS {
        return Err(format!(
            "as JSON the definition has {length} characters, more than the \
             {MAX_DEFINITION_CHARACTERS} Step Functions takes"
        ));
    }
    Ok((json, false))
}

/// The input of `--input`, `--input-file`, or `{}`; a file or standard
/// input is read no further than just past the largest input Step
/// Functions takes.
fn read_input(args: &Args) -> Result<String, String> {
    if let Some(text) = &args.input {
        return Ok(text.clone());
    }
    let Some(path) = &args.input_file else {
        return Ok("{}".into());
    };
    let limit = sfini::runtime::local::MAX_PAYLOAD_BYTES;
    let what = "the state input";
    if path.as_os_str() == "-" {
        return bounded::read_stdin(limit, Unit::Bytes).map_err(|error| {
            format!("--input-file -: {}", error.describe(what, "standard input"))
        });
    }
    bounded::read_file(path, limit, Unit::Bytes).map_err(|error| {
        format!(
            "--input-file {}: {}",
            path.display(),
            error.describe(what, "the file")
        )
    })
}

/// Every diagnostic on a line of its own, as `sfini validate` writes them:
/// `file:line:column: diagnostic` where the file's text shows where.
fn write_diagnostics(
    out: &mut impl Write,
    file: &Path,
    text: Option<&str>,
    diagnostics: &sfini::core::Diagnostics,
) -> io::Result<()> {
    let shown = file.display();
    let locations: Vec<_> = diagnostics
        .iter()
        .map(|diagnostic| &diagnostic.location)
        .collect();
    let positions = match text {
        Some(text) => locate_all(text, &locations),
        None => vec![None; locations.len()],
    };
    for (diagnostic, position) in diagnostics.iter().zip(positions) {
        match position {
            Some(at) => writeln!(out, "{shown}:{}:{}: {diagnostic}", at.line, at.column)?,
            None => writeln!(out, "{shown}: {diagnostic}")?,
        }
    }
    Ok(())
}

/// JSON text as a value, for printing; text that is not JSON as a string.
fn data(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

fn print_text(out: &mut impl Write, answer: &TestStateOutput) -> io::Result<()> {
    if let Some(status) = answer.status {
        writeln!(out, "status: {status}")?;
    }
    if let Some(next) = &answer.next_state {
        writeln!(out, "next state: {next}")?;
    }
    if let Some(output) = &answer.output {
        writeln!(out, "output: {}", data(output))?;
    }
    if let Some(error) = &answer.error {
        writeln!(out, "error: {error}")?;
    }
    if let Some(cause) = &answer.cause {
        writeln!(out, "cause: {cause}")?;
    }
    let Some(inspection) = &answer.inspection_data else {
        return Ok(());
    };
    writeln!(out, "inspection:")?;
    for (name, value) in [
        ("input", &inspection.input),
        ("after InputPath", &inspection.after_input_path),
        ("after Parameters", &inspection.after_parameters),
        ("after Arguments", &inspection.after_arguments),
        ("after ItemsPath", &inspection.after_items_path),
        ("after ItemSelector", &inspection.after_item_selector),
        ("result", &inspection.result),
        ("after ResultSelector", &inspection.after_result_selector),
        ("after ResultPath", &inspection.after_result_path),
        ("variables", &inspection.variables),
    ] {
        if let Some(value) = value {
            writeln!(out, "  {name}: {}", data(value))?;
        }
    }
    if let Some(count) = inspection.max_concurrency {
        writeln!(out, "  max concurrency: {count}")?;
    }
    if let Some(count) = inspection.tolerated_failure_count {
        writeln!(out, "  tolerated failure count: {count}")?;
    }
    if let Some(percentage) = inspection.tolerated_failure_percentage {
        writeln!(out, "  tolerated failure percentage: {percentage}")?;
    }
    if let Some(details) = &inspection.error_details {
        if let Some(index) = details.retry_index {
            match details.retry_backoff_interval_seconds {
                Some(seconds) => writeln!(
                    out,
                    "  retried by: Retry[{index}], the next attempt in {seconds} s"
                )?,
                None => writeln!(out, "  matched by: Retry[{index}], its attempts used up")?,
            }
        }
        if let Some(index) = details.catch_index {
            writeln!(out, "  caught by: Catch[{index}]")?;
        }
    }
    Ok(())
}

/// `TestState`'s answer as the API writes it.
fn answer_json(answer: &TestStateOutput) -> Value {
    let mut object = Map::new();
    let text = |object: &mut Map<String, Value>, name: &str, value: &Option<String>| {
        if let Some(value) = value {
            object.insert(name.into(), Value::String(value.clone()));
        }
    };
    text(&mut object, "output", &answer.output);
    text(&mut object, "error", &answer.error);
    text(&mut object, "cause", &answer.cause);
    if let Some(data) = &answer.inspection_data {
        let mut inspection = Map::new();
        for (name, value) in [
            ("input", &data.input),
            ("afterArguments", &data.after_arguments),
            ("afterInputPath", &data.after_input_path),
            ("afterParameters", &data.after_parameters),
            ("result", &data.result),
            ("afterResultSelector", &data.after_result_selector),
            ("afterResultPath", &data.after_result_path),
            ("variables", &data.variables),
        ] {
            text(&mut inspection, name, value);
        }
        if let Some(details) = &data.error_details {
            let mut error = Map::new();
            if let Some(index) = details.catch_index {
                error.insert("catchIndex".into(), Value::from(index));
            }
            if let Some(index) = details.retry_index {
                error.insert("retryIndex".into(), Value::from(index));
            }
            if let Some(seconds) = details.retry_backoff_interval_seconds {
                error.insert("retryBackoffIntervalSeconds".into(), Value::from(seconds));
            }
            inspection.insert("errorDetails".into(), Value::Object(error));
        }
        for (name, value) in [
            ("afterItemsPath", &data.after_items_path),
            ("afterItemSelector", &data.after_item_selector),
        ] {
            text(&mut inspection, name, value);
        }
        if let Some(count) = data.tolerated_failure_count {
            inspection.insert("toleratedFailureCount".into(), Value::from(count));
        }
        if let Some(percentage) = data.tolerated_failure_percentage {
            inspection.insert("toleratedFailurePercentage".into(), Value::from(percentage));
        }
        if let Some(count) = data.max_concurrency {
            inspection.insert("maxConcurrency".into(), Value::from(count));
        }
        object.insert("inspectionData".into(), Value::Object(inspection));
    }
    text(&mut object, "nextState", &answer.next_state);
    if let Some(status) = answer.status {
        object.insert("status".into(), Value::from(status.as_str()));
    }
    Value::Object(object)
}
