//! Workflow variables: what an expression or a path reads as `$name`, and
//! the rules their names follow.
//!
//! A state assigns variables with `Assign`; the states after it read them,
//! in JSONata expressions (`{% $total %}`) and in JSONPath paths
//! (`"total.$": "$total"`, `States.Format('{}', $name.first)`). Evaluators
//! take the variables in scope as a [`Variables`]: anything that finds a
//! value by name.
//!
//! ```
//! use serde_json::{Map, Value, json};
//! use sfini_core::variables::{Variables, check_name};
//!
//! let mut assigned = Map::new();
//! assigned.insert("total".to_string(), json!(42));
//! assert_eq!(assigned.variable("total"), Some(&json!(42)));
//! assert_eq!(assigned.variable("missing"), None);
//!
//! assert!(check_name("order_total").is_ok());
//! assert_eq!(
//!     check_name("states").unwrap_err(),
//!     "`states` is reserved: `$states` holds the state's input, result and context"
//! );
//! ```

use std::collections::HashMap;
use std::hash::BuildHasher;

use serde_json::Value;

/// The longest a variable name may be, in characters.
pub const MAX_NAME_LENGTH: usize = 80;

/// The name Step Functions reserves for the state's own data in JSONata.
pub const RESERVED_NAME: &str = "states";

/// The variables an evaluation can read, by name (without the `$`).
pub trait Variables {
    /// The value of the variable `name`, if it is assigned.
    fn variable(&self, name: &str) -> Option<&Value>;
}

/// No variables at all: what an evaluation sees outside a workflow.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoVariables;

impl Variables for NoVariables {
    fn variable(&self, _name: &str) -> Option<&Value> {
        None
    }
}

impl Variables for () {
    fn variable(&self, _name: &str) -> Option<&Value> {
        None
    }
}

impl Variables for serde_json::Map<String, Value> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl<S: BuildHasher> Variables for HashMap<String, Value, S> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl<S: BuildHasher> Variables for indexmap::IndexMap<String, Value, S> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl<V: Variables + ?Sized> Variables for &V {
    fn variable(&self, name: &str) -> Option<&Value> {
        (**self).variable(name)
    }
}

/// True for a character that may start a variable name: a letter or `_`.
pub fn starts_name(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// True for a character that may continue a variable name: a letter, a
/// digit or `_`.
pub fn continues_name(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Checks a variable name: a letter or `_`, then letters, digits and `_`,
/// at most [`MAX_NAME_LENGTH`] characters, and not [`RESERVED_NAME`].
/// The problem, said for a user, otherwise.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err("a variable name cannot be empty".to_string());
    };
    if !starts_name(first) {
        return Err(format!(
            "`{name}` is not a variable name: a name starts with a letter or `_`"
        ));
    }
    if let Some(bad) = chars.find(|c| !continues_name(*c)) {
        return Err(format!(
            "`{name}` is not a variable name: `{bad}` cannot be part of one (letters, digits and `_` can)"
        ));
    }
    let length = name.chars().count();
    if length > MAX_NAME_LENGTH {
        return Err(format!(
            "the variable name `{name}` has {length} characters; the most is {MAX_NAME_LENGTH}"
        ));
    }
    if name == RESERVED_NAME {
        return Err(format!(
            "`{RESERVED_NAME}` is reserved: `$states` holds the state's input, result and context"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rules() {
        for good in ["x", "_", "order_total", "état", "x9", &"a".repeat(80)] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "9lives",
            "a-b",
            "a.b",
            "$x",
            "a b",
            "states",
            &"a".repeat(81),
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_name("a-b").unwrap_err(),
            "`a-b` is not a variable name: `-` cannot be part of one (letters, digits and `_` can)"
        );
    }

    #[test]
    fn maps_are_variables() {
        let mut map = HashMap::new();
        map.insert("x".to_string(), Value::from(1));
        assert_eq!(map.variable("x"), Some(&Value::from(1)));
        assert_eq!(NoVariables.variable("x"), None);
        let by_ref: &dyn Variables = &map;
        assert_eq!(by_ref.variable("x"), Some(&Value::from(1)));
    }
}
