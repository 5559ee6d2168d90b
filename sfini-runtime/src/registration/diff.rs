//! How a registered state machine differs from the one a program knows.

use std::fmt;

use serde_json::Value;
use sfini_core::Location;

/// How a registered state machine compares with its definition in the
/// program: [`Machine::diff`](super::Machine::diff) gives it.
///
/// Its [`Display`](fmt::Display) prints one line per difference:
///
/// ```text
/// the state machine `adding` (arn:aws:states:us-east-1:123456789012:stateMachine:adding) differs from its registration:
///   States.add.TimeoutSeconds: registered 10, compiled 20
///   role: registered `arn:aws:iam::123456789012:role/old`, compiled `arn:aws:iam::123456789012:role/new`
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MachineDiff {
    /// The machine's name.
    pub machine: String,
    /// The registered machine's ARN; `None` when it is not registered.
    pub arn: Option<String>,
    /// Every difference, the definition's first, in document order.
    pub differences: Vec<Difference>,
}

/// One way a registered machine differs from the program's.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Difference {
    /// A value of the definition, placeholders filled, differs.
    Definition {
        /// Where in the definition, such as `States.add.Resource`.
        location: Location,
        /// The registered value (`None`: the field is absent there).
        registered: Option<Value>,
        /// The program's value (`None`: the field is absent there).
        compiled: Option<Value>,
    },
    /// Executions run as another role.
    Role {
        /// The registered role.
        registered: String,
        /// The role registration would use.
        compiled: String,
    },
    /// An activity the machine runs is not registered.
    MissingActivity {
        /// Its name, with the handle's prefix.
        name: String,
    },
}

impl MachineDiff {
    /// True when the machine is registered.
    pub fn exists(&self) -> bool {
        self.arn.is_some()
    }

    /// True when the machine is registered, with this definition and role,
    /// and its activities exist.
    pub fn in_sync(&self) -> bool {
        self.exists() && self.differences.is_empty()
    }

    /// A short description: how many differences, and the first.
    pub fn summary(&self) -> String {
        match self.differences.as_slice() {
            [] => "no difference".to_string(),
            [only] => format!("1 difference: {only}"),
            [first, rest @ ..] => format!("{} differences, first {first}", rest.len() + 1),
        }
    }
}

impl fmt::Display for MachineDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.arn {
            None => write!(f, "the state machine `{}` is not registered", self.machine)?,
            Some(arn) if self.differences.is_empty() => {
                return write!(
                    f,
                    "the state machine `{}` ({arn}) is registered and in sync",
                    self.machine
                );
            }
            Some(arn) => write!(
                f,
                "the state machine `{}` ({arn}) differs from its registration:",
                self.machine
            )?,
        }
        for difference in &self.differences {
            write!(f, "\n  {difference}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = |value: &Option<Value>| match value {
            Some(value) => value.to_string(),
            None => "absent".to_string(),
        };
        match self {
            Difference::Definition {
                location,
                registered,
                compiled,
            } => write!(
                f,
                "{location}: registered {}, compiled {}",
                value(registered),
                value(compiled)
            ),
            Difference::Role {
                registered,
                compiled,
            } => write!(f, "role: registered `{registered}`, compiled `{compiled}`"),
            Difference::MissingActivity { name } => {
                write!(f, "the activity `{name}` is not registered")
            }
        }
    }
}

/// The differences between two definitions, in document order: a field
/// present on one side only, array elements beyond the other's length, and
/// differing scalars (numbers compared by value) or types.
pub fn compare(registered: &Value, compiled: &Value) -> Vec<Difference> {
    let mut differences = Vec::new();
    walk(&Location::root(), registered, compiled, &mut differences);
    differences
}

fn walk(location: &Location, registered: &Value, compiled: &Value, out: &mut Vec<Difference>) {
    let change = |registered: Option<&Value>, compiled: Option<&Value>| Difference::Definition {
        location: location.clone(),
        registered: registered.cloned(),
        compiled: compiled.cloned(),
    };
    match (registered, compiled) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, value) in left {
                let here = location.field(key.as_str());
                match right.get(key) {
                    Some(other) => walk(&here, value, other, out),
                    None => out.push(Difference::Definition {
                        location: here,
                        registered: Some(value.clone()),
                        compiled: None,
                    }),
                }
            }
            for (key, value) in right {
                if !left.contains_key(key) {
                    out.push(Difference::Definition {
                        location: location.field(key.as_str()),
                        registered: None,
                        compiled: Some(value.clone()),
                    });
                }
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            for index in 0..left.len().max(right.len()) {
                let here = location.index(index);
                match (left.get(index), right.get(index)) {
                    (Some(a), Some(b)) => walk(&here, a, b, out),
                    (a, b) => out.push(Difference::Definition {
                        location: here,
                        registered: a.cloned(),
                        compiled: b.cloned(),
                    }),
                }
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            if a != b && a.as_f64() != b.as_f64() {
                out.push(change(Some(registered), Some(compiled)));
            }
        }
        (a, b) => {
            if a != b {
                out.push(change(Some(registered), Some(compiled)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn finds_changed_added_and_removed_fields_in_document_order() {
        let registered = json!({
            "StartAt": "a",
            "States": {"a": {"Type": "Task", "Resource": "x", "TimeoutSeconds": 10, "End": true}},
            "Choices": [1, 2, 3]
        });
        let compiled = json!({
            "StartAt": "a",
            "States": {"a": {"Type": "Task", "Resource": "y", "End": true, "HeartbeatSeconds": 5.0}},
            "Choices": [1.0, 2]
        });
        let lines: Vec<String> = compare(&registered, &compiled)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                r#"States.a.Resource: registered "x", compiled "y""#,
                "States.a.TimeoutSeconds: registered 10, compiled absent",
                "States.a.HeartbeatSeconds: registered absent, compiled 5.0",
                "Choices[2]: registered 3, compiled absent",
            ]
        );
        assert!(compare(&registered, &registered).is_empty());
    }
}
