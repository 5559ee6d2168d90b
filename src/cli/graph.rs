//! `sfini graph FILE [--format mermaid|dot|svg] [--output PATH]`: draws a
//! definition.
//!
//! The file is read as `sfini validate` reads it (see [`Definition`]); a
//! definition that cannot be read or breaks a rule of the language is not
//! drawn: its problems are printed as `sfini validate` prints them and the
//! exit status is 2. Otherwise the graph (see `sfini::core::graph`) is
//! written to standard output, or to `--output`, and the status is 0; 1
//! when it could not be written.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::definition::Definition;

/// The exit status when the output could not be written.
const COULD_NOT_WRITE: u8 = 1;
/// The exit status when the definition could not be drawn.
const COULD_NOT_DRAW: u8 = 2;

/// Arguments of `sfini graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition: `.json`, or `.yaml`/`.yml` for YAML.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// What to write: a Mermaid flowchart, a Graphviz digraph, or an SVG
    /// image laid out by sfini.
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,

    /// Write the graph to this file instead of standard output.
    #[arg(long, short, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// The formats of `sfini graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A Mermaid flowchart (`flowchart TD`), as Markdown renderers draw it.
    Mermaid,
    /// A Graphviz digraph, for `dot -Tpng`.
    Dot,
    /// A standalone SVG image.
    Svg,
}

/// Reads, checks and draws the definition.
pub fn run(args: &Args) -> ExitCode {
    let definition = Definition::read(&args.file);
    let machine = match &definition.machine {
        Some(machine) if definition.diagnostics.is_valid() => machine,
        _ => {
            // A closed pipe ends the printing: nothing more can be said.
            let _ = definition.write_diagnostics(&mut io::stdout().lock(), &args.file);
            return ExitCode::from(COULD_NOT_DRAW);
        }
    };
    let graph = machine.graph();
    let text = match args.format {
        Format::Mermaid => graph.to_mermaid(),
        Format::Dot => graph.to_dot(),
        Format::Svg => graph.to_svg(),
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|error| (path.display(), error)),
        None => io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|error| (std::path::Path::new("standard output").display(), error)),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err((place, error)) => {
            eprintln!("sfini graph: cannot write to {place}: {error}");
            ExitCode::from(COULD_NOT_WRITE)
        }
    }
}
