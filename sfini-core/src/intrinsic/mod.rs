//! The intrinsic functions of the Amazon States Language (`States.Format`,
//! `States.MathAdd`, ...).
//!
//! An intrinsic function call is written as a string, such as
//! `States.Format('Hello, {}!', $.name)`, in the dynamic fields (`"key.$"`)
//! of payload templates and in a Fail state's `ErrorPath` and `CausePath`.
//! Its arguments are:
//!
//! - string literals in single quotes, where `\'`, `\{`, `\}` and `\\` stand
//!   for a quote, a brace and a backslash (in a `States.Format` template an
//!   unescaped `{}` is a placeholder);
//! - numbers, `true`, `false` and `null`;
//! - paths, `$...` on the data and `$$...` on the context object;
//! - other calls, nested at most [`MAX_NESTING`] deep.
//!
//! [`IntrinsicCall::parse`] checks everything that can be known before run
//! time: the function name, the number of arguments, the kind of literal
//! arguments and of the values nested calls return, the limits a literal
//! already breaks, and any call made only of literals that is bound to fail.
//! [`IntrinsicCall::evaluate`] checks the rest against the data.
//!
//! ```
//! use serde_json::json;
//! use sfini_core::intrinsic::IntrinsicCall;
//!
//! let call = IntrinsicCall::parse("States.Format('{} has {} items', $.name, States.ArrayLength($.items))")?;
//! let data = json!({"name": "cart", "items": [1, 2, 3]});
//! assert_eq!(call.evaluate(&data, &json!({}))?, json!("cart has 3 items"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Some behaviour is not pinned down by the language definition; sfini
//! settles it as follows:
//!
//! - numbers with a fraction given where an integer is expected are rounded
//!   to the nearest integer, halves away from zero (`States.ArrayRange`,
//!   `States.ArrayPartition`, `States.MathAdd`, `States.MathRandom`), except
//!   for the index of `States.ArrayGetItem`, which must be a whole number
//!   within the array;
//! - `States.ArrayRange` counts down when the step is negative and gives
//!   `[]` when the step leads away from the end;
//! - `States.StringSplit` leaves out empty pieces, so `'a,,b'` split at `,`
//!   gives `["a", "b"]`;
//! - `States.ArrayContains` and `States.ArrayUnique` compare numbers by
//!   value, so `1` and `1.0` are the same;
//! - `States.MathAdd` gives the exact sum of two 32-bit operands, even when
//!   it does not fit in 32 bits;
//! - a `States.Format` template that comes from the data has no escapes:
//!   each `{}` is a placeholder and everything else is text;
//! - `States.JsonToString` takes a path or a call, never a literal;
//! - `States.Base64Decode` ignores ASCII whitespace in its input and fails
//!   when the decoded bytes are not UTF-8 text.

mod args;
mod eval;
mod format;
mod function;
mod parse;

use std::fmt;

use serde_json::Value;

use crate::budget::{Budget, Exhausted};
use crate::error_name::PredefinedError;
use crate::path::{NoMatch, Path, Roots};

pub use function::{Arity, Function};

use format::FormatTemplate;

/// How deeply calls may be nested in one another; the outermost call counts
/// as the first level.
pub const MAX_NESTING: usize = 10;

/// An argument of an intrinsic function call.
#[derive(Clone, Debug, PartialEq)]
pub enum Argument {
    /// A string, number, `true`, `false` or `null` written in the call.
    Literal(Value),
    /// A path, applied to the data (`$`) or to the context object (`$$`).
    Path(Path),
    /// A nested call, whose result is the argument.
    Call(IntrinsicCall),
}

/// A parsed intrinsic function call.
///
/// Equality and display use the text the call was parsed from.
#[derive(Clone, Debug)]
pub struct IntrinsicCall {
    text: Box<str>,
    function: Function,
    arguments: Vec<Argument>,
    /// For `States.Format` with a literal template: the template, with its
    /// escaped braces already told apart from its placeholders.
    template: Option<FormatTemplate>,
}

impl IntrinsicCall {
    /// Parses a call such as `States.MathAdd($.count, 1)`.
    ///
    /// Whitespace is allowed around each argument, but not around the call.
    pub fn parse(text: &str) -> Result<IntrinsicCall, IntrinsicSyntaxError> {
        parse::parse_call(text)
    }

    /// Checks a call as [`IntrinsicCall::parse`] does, without keeping it:
    /// cheaper where only the verdict matters (validation). Returns the
    /// function called.
    pub fn check(text: &str) -> Result<Function, IntrinsicSyntaxError> {
        parse::check_call(text)
    }

    /// The function called.
    pub fn function(&self) -> Function {
        self.function
    }

    /// The arguments, in order.
    pub fn arguments(&self) -> &[Argument] {
        &self.arguments
    }

    /// The text of the call, as it was parsed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Every path among the arguments of this call and of the calls nested
    /// in it, in the order they are written.
    pub fn paths(&self) -> Vec<&Path> {
        let mut paths = Vec::new();
        self.collect_paths(&mut paths);
        paths
    }

    fn collect_paths<'c>(&'c self, paths: &mut Vec<&'c Path>) {
        for argument in &self.arguments {
            match argument {
                Argument::Literal(_) => {}
                Argument::Path(path) => paths.push(path),
                Argument::Call(call) => call.collect_paths(paths),
            }
        }
    }

    /// Evaluates the call: paths starting with `$` are applied to `data`,
    /// those starting with `$$` to `context`.
    ///
    /// ```
    /// use serde_json::json;
    /// use sfini_core::intrinsic::IntrinsicCall;
    ///
    /// let call = IntrinsicCall::parse("States.MathAdd($.count, 1)")?;
    /// assert_eq!(call.evaluate(&json!({"count": 41}), &json!({}))?, json!(42));
    ///
    /// let failure = call.evaluate(&json!({"count": "41"}), &json!({})).unwrap_err();
    /// assert_eq!(failure.error_name(), "States.Runtime");
    /// assert_eq!(failure.cause(), "Invalid arguments in States.MathAdd");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self, data: &Value, context: &Value) -> Result<Value, IntrinsicError> {
        self.evaluate_within(data, context, &Budget::default())
    }

    /// [`IntrinsicCall::evaluate`] within a budget: the paths' work, the
    /// arguments the call copies and the result it builds are paid for, and
    /// a call that does not fit fails with [`IntrinsicError::Exhausted`].
    pub fn evaluate_within(
        &self,
        data: &Value,
        context: &Value,
        budget: &Budget,
    ) -> Result<Value, IntrinsicError> {
        self.evaluate_in(Roots::new(data, context), budget)
    }

    /// [`IntrinsicCall::evaluate_within`] with the workflow variables in
    /// scope: arguments such as `$total` read them.
    pub fn evaluate_in(&self, roots: Roots<'_>, budget: &Budget) -> Result<Value, IntrinsicError> {
        let result = eval::evaluate(self, roots, budget);
        budget
            .check()
            .map_err(|exhausted| IntrinsicError::Exhausted {
                function: self.function.name(),
                exhausted,
            })?;
        result
    }
}

impl PartialEq for IntrinsicCall {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Display for IntrinsicCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for IntrinsicCall {
    type Err = IntrinsicSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        IntrinsicCall::parse(text)
    }
}

/// True when `text` starts like a call, `Name(`, after any leading
/// whitespace. This tells an intrinsic function apart from a path or plain
/// text without parsing it; the name need not be a known function.
///
/// ```
/// use sfini_core::intrinsic::looks_like_call;
///
/// assert!(looks_like_call("States.Format('{}', $.x)"));
/// assert!(looks_like_call("States.Formt(")); // unknown, but shaped like a call
/// assert!(!looks_like_call("$.x"));
/// assert!(!looks_like_call("hello world"));
/// ```
pub fn looks_like_call(text: &str) -> bool {
    let text = text.trim_start().as_bytes();
    let name_length = text
        .iter()
        .position(|&byte| !parse::is_name_char(char::from(byte)))
        .unwrap_or(text.len());
    text.first().is_some_and(u8::is_ascii_alphabetic) && text.get(name_length) == Some(&b'(')
}

/// Why a call does not parse, or cannot work whatever the data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid intrinsic function call `{text}`: {message} (at character {offset})")]
pub struct IntrinsicSyntaxError {
    /// The whole text that was parsed.
    pub text: String,
    /// Character offset of the problem within `text`.
    pub offset: usize,
    /// What was wrong and what would be right.
    pub message: String,
}

/// Why a call failed at run time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntrinsicError {
    /// A definite path argument matched nothing in the data.
    #[error("{function}: {no_match}")]
    PathNotFound {
        /// The name of the function whose argument it was.
        function: &'static str,
        /// The path and the step at which it failed.
        no_match: NoMatch,
    },
    /// An argument had the wrong type or broke a limit of the function.
    #[error("{function}: {message}")]
    Failure {
        /// The name of the function that failed.
        function: &'static str,
        /// Which argument was wrong and how.
        message: String,
    },
    /// The call took more work, or built more data, than its evaluation's
    /// budget allows.
    #[error("{function}: {exhausted}")]
    Exhausted {
        /// The name of the function being evaluated.
        function: &'static str,
        /// Which bound it passed.
        exhausted: Exhausted,
    },
}

impl IntrinsicError {
    /// The error a state machine sees: the budget's error for a call cut
    /// short (see [`Exhausted::error`]), `States.Runtime` otherwise, as AWS
    /// fails a call given arguments it cannot use (not with the
    /// `States.IntrinsicFailure` its documentation names).
    pub fn error(&self) -> PredefinedError {
        match self {
            IntrinsicError::PathNotFound { .. } | IntrinsicError::Failure { .. } => {
                PredefinedError::Runtime
            }
            IntrinsicError::Exhausted { exhausted, .. } => exhausted.error(),
        }
    }

    /// The name of [`IntrinsicError::error`].
    pub fn error_name(&self) -> &'static str {
        self.error().as_str()
    }

    /// The cause that goes with the error name. For arguments a call cannot
    /// use it is AWS's sentence, `Invalid arguments in States.<Function>`,
    /// which does not say which argument was wrong or why: the
    /// [`Display`](fmt::Display) form of the error says both.
    pub fn cause(&self) -> String {
        match self {
            IntrinsicError::Failure { function, .. } => {
                format!("Invalid arguments in {function}")
            }
            IntrinsicError::PathNotFound { .. } | IntrinsicError::Exhausted { .. } => {
                self.to_string()
            }
        }
    }

    /// The name of the function that failed.
    pub fn function(&self) -> &'static str {
        match self {
            IntrinsicError::PathNotFound { function, .. }
            | IntrinsicError::Failure { function, .. }
            | IntrinsicError::Exhausted { function, .. } => function,
        }
    }
}

#[cfg(test)]
mod tests;
