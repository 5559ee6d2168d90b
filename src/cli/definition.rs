//! A definition file as `sfini validate` and `sfini run` read it: at most
//! [`MAX_DEFINITION_CHARACTERS`] characters, JSON, or YAML by extension,
//! and checked; every problem, the file's own included, is a diagnostic.

use std::io::{self, Write};
use std::path::Path;

use sfini::core::diagnostic::{Code, Diagnostics};
use sfini::core::json::position::locate_all;
use sfini::core::location::Location;
use sfini::core::model::StateMachine;
use sfini::core::validate::{Checked, check_json, check_value};

use super::bounded::{self, Unit};
use super::yaml;

/// The longest definition Step Functions takes, in characters (the length
/// constraint of `CreateStateMachine`'s `definition`).
pub(super) const MAX_DEFINITION_CHARACTERS: usize = 1_048_576;

/// A definition file, read and checked.
pub(super) struct Definition {
    /// The definition as JSON text, when the file could be read as JSON or
    /// YAML.
    pub(super) json: Option<String>,
    /// The machine, when the definition could be read without error.
    pub(super) machine: Option<StateMachine>,
    /// Every problem found.
    pub(super) diagnostics: Diagnostics,
    /// Whether `json` is the file's own text, so that positions in it are
    /// positions in the file.
    json_is_the_file: bool,
}

impl Definition {
    /// Reads and checks a file.
    pub(super) fn read(file: &Path) -> Definition {
        let text = match bounded::read_file(file, MAX_DEFINITION_CHARACTERS, Unit::Characters) {
            Ok(text) => text,
            Err(error) => {
                return Definition::unreadable(error.describe("the definition", "the file"));
            }
        };
        if !is_yaml(file) {
            let Checked {
                machine,
                diagnostics,
            } = check_json(&text);
            return Definition {
                json: Some(text),
                machine,
                diagnostics,
                json_is_the_file: true,
            };
        }
        let value = match yaml::parse(&text) {
            Ok(value) => value,
            Err(message) => return Definition::unreadable(message),
        };
        let json = value.to_string();
        // YAML's aliases can make the JSON much longer than the file.
        let length = json.chars().count();
        if length > MAX_DEFINITION_CHARACTERS {
            return Definition::unreadable(format!(
                "as JSON the definition has {length} characters, more than the \
                 {MAX_DEFINITION_CHARACTERS} Step Functions takes"
            ));
        }
        let Checked {
            machine,
            diagnostics,
        } = check_value(&value);
        Definition {
            json: Some(json),
            machine,
            diagnostics,
            json_is_the_file: false,
        }
    }

    fn unreadable(message: String) -> Definition {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(Code::Syntax, Location::root(), message);
        Definition {
            json: None,
            machine: None,
            diagnostics,
            json_is_the_file: false,
        }
    }

    /// Writes every diagnostic on a line of its own, as
    /// `file:line:column: diagnostic` where the file's text shows where
    /// (so that editors and terminals can jump there), else as
    /// `file: diagnostic`.
    pub(super) fn write_diagnostics(&self, out: &mut impl Write, file: &Path) -> io::Result<()> {
        let shown = file.display();
        let text = self.json.as_deref().filter(|_| self.json_is_the_file);
        // Located together, in one pass over the text however many there are.
        let locations: Vec<_> = self
            .diagnostics
            .iter()
            .map(|diagnostic| &diagnostic.location)
            .collect();
        let positions = match text {
            Some(text) => locate_all(text, &locations),
            None => vec![None; locations.len()],
        };
        for (diagnostic, position) in self.diagnostics.iter().zip(positions) {
            match position {
                Some(at) => writeln!(out, "{shown}:{}:{}: {diagnostic}", at.line, at.column)?,
                None => writeln!(out, "{shown}: {diagnostic}")?,
            }
        }
        Ok(())
    }
}

fn is_yaml(file: &Path) -> bool {
    file.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml")
        })
}
