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
    /// [`MAX_DEPTH`].
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
        assert_eq!(
            Exhausted::Steps { limit: 1 }.error(),
            PredefinedError::Runtime
        );
    }

    #[test]
    fn templates_stop_once_they_have_copied_their_budget() {
        use crate::payload::{PayloadError, Template};
        let mut fields = serde_json::Map::new();
        for index in 0..100 {
            fields.insert(format!("copy{index}.$"), json!("$"));
        }
        let template = Template::compile(&Value::Object(fields)).unwrap();
        let data = json!({"text": "x".repeat(100)});
        let budget = Budget::new(EvaluationLimits::default().bytes(1_000));
        match template.evaluate_within(&data, &json!({}), &budget) {
            Err(PayloadError::Exhausted { field, exhausted }) => {
                assert_eq!(exhausted, Exhausted::Bytes { limit: 1_000 });
                // Nine copies of 111 bytes fit; the tenth does not.
                assert_eq!(field, "copy9.$");
            }
            other => panic!("{other:?}"),
        }
        // With room, the same template fills in.
        let filled = template.evaluate(&data, &json!({})).unwrap();
        assert_eq!(filled["copy99"], data);
    }

    #[test]
    fn intrinsic_functions_pay_for_what_they_build() {
        use crate::intrinsic::{IntrinsicCall, IntrinsicError};
        let arguments = vec!["$.text"; 50].join(", ");
        let call = IntrinsicCall::parse(&format!("States.Array({arguments})")).unwrap();
        let data = json!({"text": "y".repeat(100)});
        let budget = Budget::new(EvaluationLimits::default().bytes(2_000));
        let failure = call
            .evaluate_within(&data, &json!({}), &budget)
            .unwrap_err();
        assert!(
            matches!(
                failure,
                IntrinsicError::Exhausted {
                    function: "States.Array",
                    ..
                }
            ),
            "{failure:?}"
        );
        assert_eq!(failure.error_name(), "States.DataLimitExceeded");
        let format = IntrinsicCall::parse(&format!(
            "States.Format('{}', {arguments})",
            "{}".repeat(50)
        ))
        .unwrap();
        let budget = Budget::new(EvaluationLimits::default().bytes(2_000));
        assert!(format.evaluate_within(&data, &json!({}), &budget).is_err());
        // JSON read by StringToJson keeps to the depth bound.
        let parse = IntrinsicCall::parse("States.StringToJson($.text)").unwrap();
        let deep = json!({"text": "[".repeat(300) + &"]".repeat(300)});
        let failure = parse.evaluate(&deep, &json!({})).unwrap_err();
        assert!(
            failure.to_string().contains("nests more than 256 levels"),
            "{failure}"
        );
    }

    #[test]
    fn filters_pay_for_the_values_they_copy() {
        use crate::path::Path;
        let path = Path::parse("$[?(@..* == 1)]").unwrap();
        let items: Vec<Value> = (0..50).map(|_| json!({"a": ["z".repeat(100)]})).collect();
        let data = Value::Array(items);
        let budget = Budget::new(EvaluationLimits::default().bytes(500));
        let _ = path.select_within(&data, &json!({}), &budget);
        assert_eq!(budget.check(), Err(Exhausted::Bytes { limit: 500 }));
    }

    #[test]
    fn a_result_path_deeper_than_the_bound_is_refused_before_it_is_built() {
        use crate::dataflow::StateIo;
        use crate::model::{Pass, State};
        let path = format!("${}", ".a".repeat(300));
        let pass: State = Pass::new()
            .result(json!(1))
            .result_path(path.as_str())
            .into();
        let io = StateIo::compile(&pass, crate::model::QueryLanguage::JsonPath).unwrap();
        let failure = io.output_of(&json!({}), None, &json!({})).unwrap_err();
        assert_eq!(failure.error, PredefinedError::DataLimitExceeded);
        assert!(
            failure.cause.contains("300 levels deep"),
            "{}",
            failure.cause
        );
        let shallow: State = Pass::new().result(json!(1)).result_path("$.a.b").into();
        let io = StateIo::compile(&shallow, crate::model::QueryLanguage::JsonPath).unwrap();
        assert_eq!(
            io.output_of(&json!({}), None, &json!({})).unwrap(),
            json!({"a": {"b": 1}})
        );
    }
}
