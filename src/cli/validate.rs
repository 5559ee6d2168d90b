//! `sfini validate FILE...`

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sfini::core::diagnostic::{Code, Diagnostics};
use sfini::core::json::position::locate;
use sfini::core::location::Location;
use sfini::core::validate::{check_json, check_value};

/// Arguments of `sfini validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Definition files: `.json`, or `.yaml`/`.yml` for YAML.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
}

/// Checks every file, printing its problems; fails if any file is invalid.
pub fn run(args: &Args) -> ExitCode {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut all_valid = true;
    for file in &args.files {
        let (text, diagnostics) = check_file(file);
        let valid = if args.deny_warnings {
            diagnostics.is_empty()
        } else {
            diagnostics.is_valid()
        };
        all_valid &= valid;
        let shown = file.display();
        let written = if diagnostics.is_empty() {
            writeln!(out, "{shown}: valid")
        } else {
            diagnostics.iter().try_for_each(|diagnostic| {
                // `file:line:column:` where the text shows where, so that
                // editors and terminals can jump there.
                match text
                    .as_deref()
                    .and_then(|text| locate(text, &diagnostic.location))
                {
                    Some(at) => writeln!(out, "{shown}:{}:{}: {diagnostic}", at.line, at.column),
                    None => writeln!(out, "{shown}: {diagnostic}"),
                }
            })
        };
        if written.is_err() {
            // The reader went away (a closed pipe): nothing more to say.
            return ExitCode::FAILURE;
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Reads, parses and validates one file; gives back its text when it is
/// JSON, for the positions of the problems.
fn check_file(file: &Path) -> (Option<String>, Diagnostics) {
    let text = match fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            return (
                None,
                single(Code::Syntax, format!("cannot read the file: {error}")),
            );
        }
    };
    if !is_yaml(file) {
        let diagnostics = check_json(&text).diagnostics;
        return (Some(text), diagnostics);
    }
    let diagnostics = match serde_norway::from_str::<serde_json::Value>(&text) {
        Ok(value) => check_value(&value).diagnostics,
        Err(error) => single(Code::Syntax, format!("not valid YAML: {error}")),
    };
    (None, diagnostics)
}

fn is_yaml(file: &Path) -> bool {
    file.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml")
        })
}

fn single(code: Code, message: String) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.error(code, Location::root(), message);
    diagnostics
}
