//! The workflow variables of a running scope: the top level of an
//! execution, a Parallel branch or a Map iteration.
//!
//! A scope reads its own variables and those of the scopes around it as
//! they were when it started; what it assigns stays its own, so nothing a
//! branch or iteration assigns is seen outside it. A Distributed Map's
//! items run as child executions and start with no variables.
//!
//! Starting a scope costs a reference count: the variables are shared
//! until the outer scope assigns again, and an assignment copies the map
//! only while inner scopes still hold it.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde_json::Value;
use sfini_core::variables::Variables;

/// What one scope assigned: each name's value, with its size in bytes of
/// JSON text.
type Assigned = FxHashMap<Box<str>, (Arc<Value>, usize)>;

/// The variables a scope sees.
#[derive(Clone, Debug, Default)]
pub struct ScopeVariables {
    /// What this scope assigned, with the size of each value in bytes of
    /// JSON text. Values are shared: a copy of the scope (an inner scope's
    /// view, what a redrive keeps of a state's entry) copies the map's
    /// pointers when this scope next assigns, never the values.
    own: Arc<Assigned>,
    /// The scope around it, as it was when this one started.
    outer: Option<Arc<ScopeVariables>>,
    /// The bytes of JSON text of this scope's values and the outer ones.
    bytes: usize,
}

/// An assignment refused for its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooLarge {
    /// One variable's value is over the limit.
    Variable,
    /// The values of one state's assignments together are over the limit.
    Assignment,
    /// The variables of the execution together are over the limit.
    Total,
}

/// The bounds on variables' sizes, in bytes of JSON text.
#[derive(Clone, Copy, Debug)]
pub struct VariableLimits {
    /// One value, and one state's assignments together.
    pub assignment: usize,
    /// All the variables a scope sees.
    pub total: usize,
}

impl ScopeVariables {
    /// The variables of a scope started inside this one: it reads these.
    pub fn inner(&self) -> ScopeVariables {
        if self.own.is_empty() && self.outer.is_none() {
            return ScopeVariables::default();
        }
        ScopeVariables {
            own: Arc::default(),
            bytes: self.bytes,
            outer: Some(Arc::new(self.clone())),
        }
    }

    /// Assigns `values` (name, value and its size in bytes), all or none:
    /// the assignment is refused when a value, the values together or the
    /// variables in scope afterwards pass `limits`.
    pub fn assign(
        &mut self,
        values: Vec<(String, Value, usize)>,
        limits: VariableLimits,
    ) -> Result<(), TooLarge> {
        let mut together = 0_usize;
        for (_, _, bytes) in &values {
            if *bytes > limits.assignment {
                return Err(TooLarge::Variable);
            }
            together = together.saturating_add(*bytes);
        }
        if together > limits.assignment {
            return Err(TooLarge::Assignment);
        }
        // A value assigned again replaces the old one; the bytes of an
        // outer variable of the same name stay counted, as it is kept.
        let replaced: usize = values
            .iter()
            .filter_map(|(name, _, _)| self.own.get(name.as_str()).map(|(_, bytes)| *bytes))
            .sum();
        let bytes = self.bytes.saturating_sub(replaced).saturating_add(together);
        if bytes > limits.total {
            return Err(TooLarge::Total);
        }
        let own = Arc::make_mut(&mut self.own);
        for (name, value, size) in values {
            own.insert(name.into_boxed_str(), (Arc::new(value), size));
        }
        self.bytes = bytes;
        Ok(())
    }
}

impl Variables for ScopeVariables {
    fn variable(&self, name: &str) -> Option<&Value> {
        let mut scope = self;
        loop {
            if let Some((value, _)) = scope.own.get(name) {
                return Some(value);
            }
            scope = scope.outer.as_deref()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMITS: VariableLimits = VariableLimits {
        assignment: 100,
        total: 150,
    };

    fn assign(scope: &mut ScopeVariables, name: &str, value: Value) -> Result<(), TooLarge> {
        let bytes = value.to_string().len();
        scope.assign(vec![(name.to_string(), value, bytes)], LIMITS)
    }

    #[test]
    fn inner_scopes_read_outer_variables_and_keep_their_own() {
        let mut outer = ScopeVariables::default();
        assign(&mut outer, "x", json!(1)).unwrap();
        let mut inner = outer.inner();
        assert_eq!(inner.variable("x"), Some(&json!(1)));
        assign(&mut inner, "y", json!(2)).unwrap();
        assign(&mut inner, "x", json!(3)).unwrap();
        assert_eq!(inner.variable("x"), Some(&json!(3)));
        // Nothing leaks out, and what the outer scope assigns later is not
        // seen by an inner scope already started.
        assign(&mut outer, "x", json!(4)).unwrap();
        assert_eq!(outer.variable("y"), None);
        assert_eq!(outer.variable("x"), Some(&json!(4)));
        let nested = inner.inner();
        assert_eq!(nested.variable("y"), Some(&json!(2)));
        assert_eq!(nested.variable("x"), Some(&json!(3)));
    }

    #[test]
    fn a_copy_of_a_scope_shares_its_values_after_either_assigns() {
        let mut scope = ScopeVariables::default();
        assign(&mut scope, "kept", json!(["a", "b"])).unwrap();
        let copy = scope.clone();
        assign(&mut scope, "new", json!(1)).unwrap();
        // The map was copied for the assignment; the value it held was not.
        assert!(Arc::ptr_eq(&scope.own["kept"].0, &copy.own["kept"].0));
        assert_eq!(copy.variable("new"), None);
        assert_eq!(scope.variable("kept"), Some(&json!(["a", "b"])));
    }

    #[test]
    fn sizes_are_bounded_per_value_per_assignment_and_in_total() {
        let mut scope = ScopeVariables::default();
        let big = json!("a".repeat(99));
        assert_eq!(
            assign(&mut scope, "v", big.clone()),
            Err(TooLarge::Variable)
        );
        let half = json!("a".repeat(58));
        let both = vec![
            ("a".to_string(), half.clone(), 60),
            ("b".to_string(), half.clone(), 60),
        ];
        assert_eq!(scope.assign(both, LIMITS), Err(TooLarge::Assignment));
        assert_eq!(
            scope.variable("a"),
            None,
            "a refused assignment assigns nothing"
        );
        assign(&mut scope, "a", half.clone()).unwrap();
        assign(&mut scope, "b", half.clone()).unwrap();
        assert_eq!(assign(&mut scope, "c", half.clone()), Err(TooLarge::Total));
        // Replacing a value frees its bytes.
        assign(&mut scope, "a", json!(1)).unwrap();
        assign(&mut scope, "c", half).unwrap();
    }
}
