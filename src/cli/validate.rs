//! `sfini validate [--deny-warnings] FILE...`: checks definitions.
//!
//! Each file is read as a definition (see [`Definition`]): a file that
//! cannot be read, is larger than Step Functions takes (1,048,576
//! characters), is not UTF-8, is not JSON or YAML, or breaks a rule of the
//! language gets its diagnostics, and the next file is checked. The exit
//! status is 0 when every file is valid and 1 otherwise.

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
}

/// Checks every file, printing its problems; fails if any file is invalid.
pub fn run(args: &Args) -> ExitCode {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut all_valid = true;
    for file in &args.files {
        let definition = Definition::read(file);
        let diagnostics = &definition.diagnostics;
        all_valid &= if args.deny_warnings {
            diagnostics.is_empty()
        } else {
            diagnostics.is_valid()
        };
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
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
