//! JSONata as Step Functions runs it: `{% ... %}` expressions compiled,
//! analysed and evaluated against `$states` and the workflow variables.
//!
//! A state whose query language is JSONata writes an expression as a
//! string that is exactly `{%`, the expression, and `%}`
//! ([`expression_text`]). [`Expression::compile`] reads it once and finds
//! what it may read: whether it reads the context value, which Step
//! Functions refuses ([`Expression::reads_context`]), the workflow
//! variables it names ([`Expression::variables`]), the parts of `$states`
//! ([`Expression::states_reads`]), whether it calls `$eval`, which Step
//! Functions does not offer, and the functions it calls by name
//! ([`Expression::function_calls`]), with the calls that fail whenever they
//! run ([`Expression::call_problems`]: an unknown function, a wrong number
//! of arguments). [`Expression::evaluate`] then runs it any number of times
//! against an [`Environment`] within [`Limits`].
//!
//! ```
//! use serde_json::{json, Map};
//! use sfini_core::jsonata::{expression_text, Environment, Expression, Limits};
//!
//! let text = expression_text("{% $states.input.price * $quantity %}").unwrap();
//! let expression = Expression::compile(text)?;
//! assert_eq!(expression.variables(), ["quantity"]);
//! assert!(expression.states_reads().input);
//! assert!(!expression.reads_context());
//!
//! let mut variables = Map::new();
//! variables.insert("quantity".into(), json!(3));
//! let input = json!({"price": 2.5, "name": "pen"});
//! let environment = Environment::new(&input, &variables);
//! let total = expression.evaluate(&environment, &Limits::default())?;
//! assert_eq!(total, Some(json!(7.5)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The language
//!
//! JSONata 2.0 (Step Functions runs jsonata-js 2.0.6), through the
//! [jlens-core](https://docs.rs/jlens-core) engine, with the functions
//! Step Functions adds (`$partition`, `$range`, `$hash`, `$random` with a
//! seed, `$uuid`, `$parse`) and without `$eval` (see [`functions`]). There
//! is no context value: `$`, `$$` and bare field names are undefined, and
//! everything comes from `$states` (`input`, `result`, `errorOutput`,
//! `context`) and the variables. `$now()` and `$millis()` read the
//! environment's clock and `$random()`, `$uuid()` and `$shuffle()` its
//! seed, so that an evaluation can be reproduced.
//!
//! Where the engine and jsonata-js 2.0.6 answer differently, the
//! differences are listed in the differential test against jsonata-js
//! (`tests/jsonata_node.rs`); the ones known today are rare corners
//! (`$string(1/0)` fails with `D1001` where jsonata-js fails with
//! `D3001`, for one).
//!
//! # Never down
//!
//! An expression is written by whoever wrote the definition, and the data
//! comes from whoever started the execution; neither may crash, hang or
//! exhaust the process. Every evaluation runs within its [`Limits`]: steps,
//! depth of evaluation, length of strings and arrays built, size of the
//! result, time, and (with [`meter::MeteredAllocator`] installed) memory. A
//! result nested deeper than sfini's [`MAX_DEPTH`](crate::limits::MAX_DEPTH)
//! is refused. Deep recursion grows the stack on the heap rather than
//! overflowing it, so evaluating on a thread with tokio's 2 MiB stack is
//! safe. An evaluation stopped by a limit fails with an
//! [`EvaluationError`] whose `exhausted` is true.

mod analysis;
mod bounded;
mod calls;
mod error;
mod evaluate;
pub mod functions;
pub mod meter;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use analysis::StatesReads;
pub use calls::{Arity, CallProblem, FunctionCall, FunctionKind};
pub use error::{EvaluationError, SyntaxError};

use crate::limits::MAX_PAYLOAD_BYTES;

/// The text between `{%` and `%}` when `text` is a JSONata expression
/// string: one that starts with `{%` and ends with `%}`, with nothing
/// before or after (a string with a space before `{%` or after `%}` is a
/// plain string, as Step Functions reads it). `None` for any other string.
///
/// ```
/// use sfini_core::jsonata::expression_text;
///
/// assert_eq!(expression_text("{% $states.input.id %}"), Some(" $states.input.id "));
/// assert_eq!(expression_text(" {% 1 %}"), None);
/// assert_eq!(expression_text("{%1 + 1%} "), None);
/// assert_eq!(expression_text("$.id"), None);
/// ```
pub fn expression_text(text: &str) -> Option<&str> {
    text.strip_prefix("{%")?.strip_suffix("%}")
}

/// The workflow variables an expression sees: [`crate::variables::Variables`].
pub use crate::variables::Variables;

/// What an expression sees: `$states` and the workflow variables, with the
/// clock and seed of the evaluation.
#[derive(Clone, Copy)]
pub struct Environment<'a> {
    /// `$states.input`: the state's input.
    pub input: &'a Value,
    /// `$states.result`: the task's or the state's result, where there is
    /// one.
    pub result: Option<&'a Value>,
    /// `$states.errorOutput`: the error a Catch caught, in a catcher.
    pub error_output: Option<&'a Value>,
    /// `$states.context`: the context object; `None` when the caller did
    /// not build it (when the expression does not read it).
    pub context: Option<&'a Value>,
    /// The workflow variables in scope.
    pub variables: &'a dyn Variables,
    /// Milliseconds since the epoch, for `$now()` and `$millis()`: the
    /// engine's clock, which may be virtual.
    pub now_millis: i64,
    /// The seed of `$random()`, `$uuid()` and `$shuffle()` without a seed
    /// argument, so that a run can be reproduced.
    pub seed: u64,
}

impl<'a> Environment<'a> {
    /// An environment with `input` and `variables` only: no result, error
    /// output or context, the epoch as its clock and a seed of 0.
    pub fn new(input: &'a Value, variables: &'a dyn Variables) -> Environment<'a> {
        Environment {
            input,
            result: None,
            error_output: None,
            context: None,
            variables,
            now_millis: 0,
            seed: 0,
        }
    }
}

impl std::fmt::Debug for Environment<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("input", &self.input)
            .field("result", &self.result)
            .field("error_output", &self.error_output)
            .field("context", &self.context)
            .field("now_millis", &self.now_millis)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

/// How much one evaluation may do.
///
/// The defaults are sized for Step Functions, whose payloads (a state's
/// input, output, a task's result) are at most 256 KiB
/// ([`MAX_PAYLOAD_BYTES`]): far beyond what a state within that bound
/// needs, far below what would hurt the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Steps of evaluation: each node evaluated, each function called back,
    /// one per 1,024 steps of a regular expression's backtracking. Default
    /// 2^24 (16,777,216), the same bound as sfini's JSONPath evaluation
    /// ([`MAX_EVALUATION_STEPS`](crate::budget::MAX_EVALUATION_STEPS)):
    /// about half a second of work, where summing the 13,000 numbers of a
    /// full payload takes about 40,000 steps.
    pub steps: u64,
    /// How deeply the evaluation may nest (calls within calls, and the
    /// nodes of the expression between them: a recursive function spends
    /// about three levels per call). Default 5,000: some 1,600 levels of
    /// recursion, whose stack (grown on the heap, about 4 KiB a call)
    /// stays under 8 MiB.
    pub depth: usize,
    /// The longest string the evaluation may build, in bytes of UTF-8.
    /// Default 2 MiB, eight payloads.
    pub string_bytes: usize,
    /// The most items of an array the evaluation may build. Default 2^18
    /// (262,144): twice the items of the longest array a payload holds
    /// (`[0,0,...]`, two bytes an item).
    pub array_items: usize,
    /// The largest result, in bytes of compact JSON text; also the largest
    /// arguments of a Step Functions function. Default 256 KiB: a result
    /// becomes (part of) a payload.
    pub result_bytes: usize,
    /// The most memory the evaluation may hold at once, in bytes; enforced
    /// only where [`meter::MeteredAllocator`] is the global allocator.
    /// Default 64 MiB: evaluating over a full payload holds a few MiB.
    pub memory_bytes: usize,
    /// How long the evaluation may run, a safety net behind the other
    /// bounds: the steps bound an evaluation to well under a second, except
    /// for a regular expression that backtracks catastrophically (each of
    /// its steps stands for a thousand of the backtracker's). Default 5 s.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: 1 << 24,
            depth: 5_000,
            string_bytes: 8 * MAX_PAYLOAD_BYTES,
            array_items: 1 << 18,
            result_bytes: MAX_PAYLOAD_BYTES,
            memory_bytes: 64 << 20,
            timeout: Duration::from_secs(5),
        }
    }
}

/// A compiled JSONata expression: the text between `{%` and `%}`, parsed
/// and analysed once, evaluated any number of times, from any thread.
#[derive(Clone, Debug)]
pub struct Expression {
    inner: Arc<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    text: String,
    engine: jlens_core::Expression,
    analysis: analysis::Analysis,
    /// The functions of sfini's the expression names, bound in every
    /// evaluation.
    bindings: jlens_core::Bindings,
    /// The expression reading `$states` as its root input, when that means
    /// the same, with where each `$$` put in starts (in characters).
    states_engine: Option<(jlens_core::Expression, Vec<usize>)>,
}

impl Expression {
    /// Compiles `text`, the text between `{%` and `%}`.
    ///
    /// ```
    /// use sfini_core::jsonata::Expression;
    ///
    /// let error = Expression::compile("$states.input.(a + ").unwrap_err();
    /// assert_eq!(error.code, "S0203");
    /// assert_eq!(
    ///     error.to_string(),
    ///     "S0203: Expected \")\" before end of expression (at character 20 of the expression)"
    /// );
    /// ```
    pub fn compile(text: &str) -> Result<Expression, SyntaxError> {
        let engine = jlens_core::Expression::compile(text)
            .map_err(|error| SyntaxError::from_jlens(&error, text))?;
        analysis::refuse_newer_operators(&engine, text)?;
        let analysis = analysis::analyse(&engine);
        let bindings = analysis
            .functions
            .iter()
            .filter_map(|name| Some((name, functions::base_bindings().get_function(name)?)))
            .fold(jlens_core::Bindings::new(), |bindings, (name, function)| {
                bindings.function(name.as_str(), function.clone())
            });
        let states_engine = analysis
            .states_as_input
            .as_ref()
            .and_then(|(rewritten, starts)| {
                jlens_core::Expression::compile(rewritten)
                    .ok()
                    .map(|engine| (engine, starts.clone()))
            });
        Ok(Expression {
            inner: Arc::new(Compiled {
                text: text.to_owned(),
                engine,
                analysis,
                bindings,
                states_engine,
            }),
        })
    }

    /// The text it was compiled from.
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// True when the expression reads the context value: `$` as a value,
    /// `$$`, or a bare field name such as `foo.bar` at its top. Step
    /// Functions refuses such an expression, since JSONata there has no
    /// context value. An object constructor (`{'total': $total}`) needs
    /// the context only to exist and reads none of it; a function called
    /// without the argument it would take from the context (`$string()`)
    /// gets nothing. (A call to `$eval` is taken to read everything.)
    ///
    /// ```
    /// use sfini_core::jsonata::Expression;
    ///
    /// assert!(Expression::compile("order.id")?.reads_context());
    /// assert!(Expression::compile("$count($$)")?.reads_context());
    /// assert!(!Expression::compile("$states.input.items.(price * qty)")?.reads_context());
    /// assert!(!Expression::compile("{'total': $total, 'n': $count($items)}")?.reads_context());
    /// # Ok::<(), sfini_core::jsonata::SyntaxError>(())
    /// ```
    pub fn reads_context(&self) -> bool {
        self.inner.analysis.reads_context
    }

    /// The workflow variables the expression may read, without the `$`, in
    /// the order they first appear: free variables only (not those it binds
    /// itself, nor function parameters), and neither `states` nor the name
    /// of a JSONata or Step Functions function.
    ///
    /// ```
    /// use sfini_core::jsonata::Expression;
    ///
    /// let expression = Expression::compile("($total := $sum($prices); $total * $rate + $states.input.fee)")?;
    /// assert_eq!(expression.variables(), ["prices", "rate"]);
    /// # Ok::<(), sfini_core::jsonata::SyntaxError>(())
    /// ```
    pub fn variables(&self) -> &[String] {
        &self.inner.analysis.variables
    }

    /// Which parts of `$states` the expression may read.
    pub fn states_reads(&self) -> StatesReads {
        self.inner.analysis.states
    }

    /// True when the expression calls `$eval`, which Step Functions does not
    /// offer (evaluating it fails with `SF0901`).
    pub fn calls_eval(&self) -> bool {
        self.inner.analysis.calls_eval
    }

    /// The functions the expression calls by name (`$name(...)`, and
    /// partial applications `$name(?, 2)`), in the order they are written,
    /// each with what the name stands for and how many arguments it is given.
    ///
    /// ```
    /// use sfini_core::jsonata::{Expression, FunctionKind};
    ///
    /// let expression = Expression::compile(
    ///     "($double := function($n) { $n * 2 }; ($states.input.name ~> $substring(0, 3)) & $double(4))",
    /// )?;
    /// let calls: Vec<(&str, usize, FunctionKind)> = expression
    ///     .function_calls()
    ///     .iter()
    ///     .map(|call| (call.name.as_str(), call.arguments, call.kind))
    ///     .collect();
    /// assert_eq!(
    ///     calls,
    ///     [("substring", 3, FunctionKind::Builtin), ("double", 1, FunctionKind::Bound)]
    /// );
    /// # Ok::<(), sfini_core::jsonata::SyntaxError>(())
    /// ```
    pub fn function_calls(&self) -> &[FunctionCall] {
        &self.inner.analysis.calls.calls
    }

    /// The calls that fail whenever they are evaluated: of a function that
    /// neither JSONata nor Step Functions has and that the expression does
    /// not define, or with more arguments than the function's signature
    /// takes or fewer than it needs (a partial application with too many or
    /// too few does not fail, but ignores the extra arguments or leaves the
    /// missing ones undefined: it is reported too). A parameter that the context value
    /// may stand for (`$uppercase()` in `$states.input.name.$uppercase()`)
    /// is not counted as needed. `$eval` is not among them: see
    /// [`calls_eval`](Expression::calls_eval).
    ///
    /// ```
    /// use sfini_core::jsonata::Expression;
    ///
    /// let expression = Expression::compile("$uuid(1) & $hash($states.input.text)")?;
    /// let problems: Vec<String> = expression.call_problems().iter().map(ToString::to_string).collect();
    /// assert_eq!(
    ///     problems,
    ///     [
    ///         "`$uuid` takes no arguments, given 1 (at character 1 of the expression)",
    ///         "`$hash` takes 2 arguments, given 1 (at character 12 of the expression)",
    ///     ]
    /// );
    /// # Ok::<(), sfini_core::jsonata::SyntaxError>(())
    /// ```
    pub fn call_problems(&self) -> Vec<CallProblem> {
        let calls = &self.inner.analysis.calls;
        calls::problems(&calls.calls, &calls.bound)
    }

    /// The workflow variables the expression reads as values: those of
    /// [`variables`](Expression::variables) but the names of unknown
    /// functions it only calls, which [`call_problems`](Expression::call_problems)
    /// reports.
    pub(crate) fn value_variables(&self) -> impl Iterator<Item = &str> {
        let called_only = &self.inner.analysis.calls.called_only;
        self.variables()
            .iter()
            .map(String::as_str)
            .filter(move |name| !called_only.iter().any(|called| called == name))
    }

    /// The names of JSONata or Step Functions functions that the
    /// expression reads as values (`$count + 1`, not `$count(...)`) without
    /// binding them: where a workflow variable of that name is assigned, it
    /// is read instead of the function.
    pub(crate) fn function_names_read(&self) -> &[String] {
        &self.inner.analysis.calls.function_values
    }

    /// Evaluates the expression in `environment` within `limits`. `Ok(None)`
    /// is JSONata's undefined (an expression that selects nothing).
    ///
    /// Only the parts of `$states` and the variables that the expression may
    /// read are given to it: it costs what it reads, not what the
    /// environment holds.
    pub fn evaluate(
        &self,
        environment: &Environment<'_>,
        limits: &Limits,
    ) -> Result<Option<Value>, EvaluationError> {
        evaluate::run(&self.inner, None, environment, limits)
    }

    /// Evaluates the expression like [`evaluate`](Expression::evaluate),
    /// with `context` as the context value, which Step Functions never
    /// gives: for running JSONata's own test suite.
    #[doc(hidden)]
    pub fn evaluate_with_context(
        &self,
        context: Option<&Value>,
        environment: &Environment<'_>,
        limits: &Limits,
    ) -> Result<Option<Value>, EvaluationError> {
        evaluate::run(&self.inner, context, environment, limits)
    }
}
