//! What one evaluation may spend: steps of work, bytes of data built, and
//! depth of the data built.
//!
//! A path, payload template or intrinsic function is written by whoever
//! wrote the definition, and the data it reads comes from whoever started
//! the execution; neither may make one evaluation run for minutes or build
//! gigabytes. A [`Budget`] goes with an evaluation: every node a path visits
//! costs a step, every value copied into the result costs its bytes, and a
//! copy deeper than the depth bound is refused. Once any of the three runs
//! out, the evaluation is cut short, and [`Budget::check`] (which every
//! entry point of this crate calls before giving its result) says why.
//!
//! The default bounds ([`EvaluationLimits::default`]) are far beyond what a
//! state within Step Functions' payload limit needs: a 256 KiB input has at
//! most about 130,000 nodes, and a state's result at most 256 KiB.
//!
//! ```
//! use serde_json::json;
//! use sfini_core::budget::{Budget, EvaluationLimits, Exhausted};
//! use sfini_core::path::Path;
//!
//! let data = json!([[1, 2], [3, [4, 5]]]);
//! let path = Path::parse("$..*")?;
//! let budget = Budget::new(EvaluationLimits::default().steps(5));
//! let _cut_short = path.select_within(&data, &json!({}), &budget);
//! assert_eq!(budget.check(), Err(Exhausted::Steps { limit: 5 }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::Cell;

use serde_json::Value;

use crate::error_name::PredefinedError;
use crate::limits::{Exceeded, MAX_DEPTH, MAX_PAYLOAD_BYTES, measure};

/// The steps one evaluation may take by default.
pub const MAX_EVALUATION_STEPS: u64 = 1 << 24;

/// The bytes of data one evaluation may build by default: eight times the
/// largest payload, room for intermediate values on the way to a result
/// that must itself fit in one payload.
pub const MAX_EVALUATION_BYTES: usize = 8 * MAX_PAYLOAD_BYTES;

/// The bounds of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvaluationLimits {
    steps: u64,
    bytes: usize,
    depth: usize,
}

impl Default for EvaluationLimits {
    /// [`MAX_EVALUATION_STEPS`], [`MAX_EVALUATION_BYTES`] and
    /// [`MAX_DEPTH`](crate::limits::MAX_DEPTH).
    fn default() -> Self {
        EvaluationLimits {
            steps: MAX_EVALUATION_STEPS,
            bytes: MAX_EVALUATION_BYTES,
            depth: MAX_DEPTH,
        }
    }
}

impl EvaluationLimits {
    /// How many steps (nodes visited) an evaluation may take.
    #[must_use]
    pub fn steps(mut self, steps: u64) -> Self {
        self.steps = steps;
        self
    }

    /// How many bytes of data (as compact JSON text) an evaluation may
    /// copy or build.
    #[must_use]
    pub fn bytes(mut self, bytes: usize) -> Self {
        self.bytes = bytes;
        self
    }

    /// How deeply the data an evaluation copies may nest (capped at
    /// [`DEPTH_CEILING`](crate::limits::DEPTH_CEILING)).
    #[must_use]
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth.min(crate::limits::DEPTH_CEILING);
        self
    }

    /// The step bound.
    pub fn max_steps(&self) -> u64 {
        self.steps
    }

    /// The byte bound.
    pub fn max_bytes(&self) -> usize {
        self.bytes
    }

    /// The depth bound.
    pub fn max_depth(&self) -> usize {
        self.depth
    }
}

/// Why an evaluation was cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Exhausted {
    /// It took more steps than allowed.
    #[error("the evaluation took more than {limit} steps")]
    Steps {
        /// The bound.
        limit: u64,
    },
    /// It built more data than allowed.
    #[error("the evaluation built more than {limit} bytes of data")]
    Bytes {
        /// The bound.
        limit: usize,
    },
    /// It built data nested deeper than allowed.
    #[error("the evaluation built data nested more than {limit} levels deep")]
    Depth {
        /// The bound.
        limit: usize,
    },
}

impl Exhausted {
    /// The error a state fails with: `States.DataLimitExceeded` for data too
    /// large or too deep, `States.Runtime` for too much work.
    pub fn error(&self) -> PredefinedError {
        match self {
            Exhausted::Steps { .. } => PredefinedError::Runtime,
            Exhausted::Bytes { .. } | Exhausted::Depth { .. } => PredefinedError::DataLimitExceeded,
        }
    }
}

/// What is left of an evaluation's bounds. Not shared between threads: one
/// evaluation runs on one thread.
#[derive(Debug)]
pub struct Budget {
    limits: EvaluationLimits,
    steps: Cell<u64>,
    bytes: Cell<usize>,
    exhausted: Cell<Option<Exhausted>>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(EvaluationLimits::default())
    }
}

impl Budget {
    /// A full budget.
    pub fn new(limits: EvaluationLimits) -> Budget {
        Budget {
            limits,
            steps: Cell::new(limits.steps),
            bytes: Cell::new(limits.bytes),
            exhausted: Cell::new(None),
        }
    }

    /// The bounds it started with.
    pub fn limits(&self) -> EvaluationLimits {
        self.limits
    }

    /// Why it ran out, if it did.
    pub fn exhausted(&self) -> Option<Exhausted> {
        self.exhausted.get()
    }

    /// `Err` once the budget has run out: what the evaluation built since is
    /// incomplete and must be thrown away.
    pub fn check(&self) -> Result<(), Exhausted> {
        match self.exhausted.get() {
            Some(exhausted) => Err(exhausted),
            None => Ok(()),
        }
    }

    fn run_out(&self, why: Exhausted) -> bool {
        if self.exhausted.get().is_none() {
            self.exhausted.set(Some(why));
        }
        false
    }

    /// Spends `count` steps; false once the budget has run out.
    pub fn step(&self, count: u64) -> bool {
        if self.exhausted.get().is_some() {
            return false;
        }
        match self.steps.get().checked_sub(count) {
            Some(left) => {
                self.steps.set(left);
                true
            }
            None => self.run_out(Exhausted::Steps {
                limit: self.limits.steps,
            }),
        }
    }

    /// Spends `count` bytes of data built; false once the budget has run
    /// out.
    pub fn spend_bytes(&self, count: usize) -> bool {
        if self.exhausted.get().is_some() {
            return false;
        }
        match self.bytes.get().checked_sub(count) {
            Some(left) => {
                self.bytes.set(left);
                true
            }
            None => self.run_out(Exhausted::Bytes {
                limit: self.limits.bytes,
            }),
        }
    }

    /// Pays for a value about to be copied or kept: its bytes, and its depth
    /// within the bound; false (and nothing spent) when it does not fit.
    /// Measuring stops at what is left, so a value too large costs no more
    /// than the budget to refuse.
    pub fn pay_for(&self, value: &Value) -> bool {
        if self.exhausted.get().is_some() {
            return false;
        }
        match measure(value, self.bytes.get(), self.limits.depth) {
            Ok(size) => {
                self.bytes.set(self.bytes.get() - size.bytes);
                true
            }
            Err(Exceeded::Bytes { .. }) => self.run_out(Exhausted::Bytes {
                limit: self.limits.bytes,
            }),
            Err(Exceeded::Depth { limit }) => self.run_out(Exhausted::Depth { limit }),
        }
    }

    /// A copy of `value`, paid for; `None` when it does not fit.
    pub fn copy(&self, value: &Value) -> Option<Value> {
        self.pay_for(value).then(|| value.clone())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn steps_run_out() {
        let budget = Budget::new(EvaluationLimits::default().steps(3));
        assert!(budget.step(2));
        assert!(budget.step(1));
        assert!(budget.check().is_ok());
        assert!(!budget.step(1));
        assert_eq!(budget.check(), Err(Exhausted::Steps { limit: 3 }));
        // Once out, always out, and the first reason stays.
        assert!(!budget.spend_bytes(0));
        assert_eq!(budget.exhausted(), Some(Exhausted::Steps { limit: 3 }));
    }

    #[test]
    fn copies_are_paid_for_by_size_and_depth() {
        let budget = Budget::new(EvaluationLimits::default().bytes(20).depth(2));
        assert_eq!(budget.copy(&json!([1, 2])), Some(json!([1, 2])));
        assert_eq!(budget.copy(&json!([[[1]]])), None);
        assert_eq!(budget.check(), Err(Exhausted::Depth { limit: 2 }));

        let budget = Budget::new(EvaluationLimits::default().bytes(20));
        assert!(budget.pay_for(&json!("0123456789")));
        assert!(!budget.pay_for(&json!("0123456789")));
        assert_eq!(budget.check(), Err(Exhausted::Bytes { limit: 20 }));
        assert_eq!(
            Exhausted::Bytes { limit: 1 }.error(),
            PredefinedError::DataLimitExceeded
        );
        assert_eq!(Exhausted::Steps { limit: 1 }.error(), PredefinedError::Runtime);
    }
}
