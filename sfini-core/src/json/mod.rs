//! Amazon States Language JSON: canonical writing and strict reading.
//!
//! Writing is deterministic: fields in a fixed order, states in the order
//! they were defined, defaults left out, two-space indentation. Reading
//! accepts any definition AWS accepts (including the legacy Map spellings)
//! and reports unknown or misspelled fields, wrong JSON types and missing
//! fields as errors, each with its location. `read(write(m)) == m` for every
//! machine `m`.
//!
//! ```
//! use sfini_core::model::{Pass, StateMachine};
//!
//! let machine = StateMachine::new("hello").state("hello", Pass::new().result("world"));
//! let text = machine.to_json();
//! assert_eq!(StateMachine::from_json(&text)?, machine);
//!
//! let typo = r#"{"StartAt": "a", "States": {"a": {"Type": "Pass", "Edn": true}}}"#;
//! let problems = StateMachine::from_json(typo).unwrap_err();
//! assert_eq!(
//!     problems.to_string(),
//!     "error[unknown-field] States.a.Edn: unknown field `Edn` in a Pass state; did you mean `End`?"
//! );
//! # Ok::<(), sfini_core::Diagnostics>(())
//! ```

mod indent;
pub mod position;
mod read;
mod write;

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostics};
use crate::location::Location;
use crate::model::StateMachine;

use indent::Indented;
pub(crate) use read::language_hint;
pub(crate) use read::{expression_text, read_machine};
pub use read::{field_language, state_fields};

impl StateMachine {
    /// Reads a definition from JSON text. Fails with every structural
    /// problem found; semantic rules are checked by [`StateMachine::validate`].
    pub fn from_json(text: &str) -> Result<StateMachine, Diagnostics> {
        let value = parse_text(text)?;
        StateMachine::from_value(&value)
    }

    /// Reads a definition from a JSON value.
    pub fn from_value(value: &Value) -> Result<StateMachine, Diagnostics> {
        let read = read_machine(value);
        if read.diagnostics.is_valid() {
            Ok(read.machine)
        } else {
            Err(read.diagnostics)
        }
    }

    /// The canonical JSON text of the definition, indented by two spaces.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(4096);
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, Indented::default());
        // Serializing the model cannot fail: every map key is a string, no
        // Serialize impl of the model reports an error, and writing to a
        // Vec cannot fail.
        serde::Serialize::serialize(self, &mut serializer)
            .expect("a state machine always serializes");
        // serde_json writes UTF-8 only.
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    /// The canonical JSON text of the definition on one line.
    pub fn to_json_compact(&self) -> String {
        // See `to_json`.
        serde_json::to_string(self).expect("a state machine always serializes")
    }

    /// The canonical definition as a JSON value.
    pub fn to_value(&self) -> Value {
        // See `to_json`.
        serde_json::to_value(self).expect("a state machine always serializes")
    }
}

/// Parses JSON text, reporting a syntax error with its line and column.
pub(crate) fn parse_text(text: &str) -> Result<Value, Diagnostics> {
    serde_json::from_str(text).map_err(|error| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            Code::Syntax,
            Location::root(),
            format!("not valid JSON: {error}"),
        );
        diagnostics
    })
}

impl<'de> serde::Deserialize<'de> for StateMachine {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        StateMachine::from_value(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
