//! `sfini validate [--deny-warnings] FILE...`: checks definitions.
//!
//! Each file is read as a definition (see [`Definition`]): a file that
//! cannot be read, is larger than Step Functions takes (1,048,576
//! characters), is not UTF-8, is not JSON or YAML, or breaks a rule of the
//! language gets its diagnostics, and the next file is checked. The exit
//! status is 0 when every file is valid and 1 otherwise.
//!
//! With `--json`, the diagnostics are printed as one JSON array, an object
//! per file: its `file` and the members of Step Functions'
//! `ValidateStateMachineDefinition` answer (`result` `OK` or `FAIL`,
//! `diagnostics` with `severity`, `code`, `message` and `location` as AWS
//! writes them, `truncated`), warnings included and none left out.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::definition::Definition;

/// Arguments of `sfini validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Definition files: `.json`, or `.yaml`/`.yml` for YAML.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,

    /// Print the diagnostics as JSON, each file's in the shape of Step
    /// Functions' ValidateStateMachineDefinition answer.
    #[arg(long)]
    json: bool,
}

/// Checks every file, printing its problems; fails if any file is invalid.
pub fn run(args: &Args) -> ExitCode {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut all_valid = true;
    let mut answers = Vec::new();
    for file in &args.files {
        let definition = Definition::read(file);
        let diagnostics = &definition.diagnostics;
        all_valid &= if args.deny_warnings {
            diagnostics.is_empty()
        } else {
            diagnostics.is_valid()
        };
        if args.json {
            answers.push(json_answer(file, diagnostics));
            continue;
        }
        let written = if diagnostics.is_empty() {
            writeln!(out, "{}: valid", file.display())
        } else {
            definition.write_diagnostics(&mut out, file)
        };
        if written.is_err() {
            // The reader went away (a closed pipe): nothing more to say.
            return ExitCode::FAILURE;
        }
    }
    if args.json {
        let text = serde_json::to_string_pretty(&serde_json::Value::Array(answers))
            .unwrap_or_else(|_| "[]".to_string());
        if writeln!(out, "{text}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One file's diagnostics as `ValidateStateMachineDefinition` answers
/// them, every one of them, with the file's name.
fn json_answer(
    file: &std::path::Path,
    diagnostics: &sfini::core::Diagnostics,
) -> serde_json::Value {
    use sfini::runtime::api::tags_and_validation::{aws_diagnostic, validation_json};
    use sfini::runtime::api::{ValidateStateMachineDefinitionOutput, ValidationResultCode};

    let output = ValidateStateMachineDefinitionOutput {
        result: if diagnostics.is_valid() {
            ValidationResultCode::Ok
        } else {
            ValidationResultCode::Fail
        },
        diagnostics: diagnostics
            .errors()
            .chain(diagnostics.warnings())
            .map(aws_diagnostic)
            .collect(),
        truncated: Some(false),
    };
    let mut answer = serde_json::Map::new();
    answer.insert("file".into(), file.display().to_string().into());
    if let serde_json::Value::Object(members) = validation_json(&output) {
        answer.extend(members);
    }
    serde_json::Value::Object(answer)
}
