//! The two errors of the module: an expression that does not compile, and
//! one whose evaluation fails.

use std::fmt;

/// An expression that does not compile: a JSONata syntax error, or an
/// expression nested too deeply to be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct SyntaxError {
    /// JSONata's code for the error (`S0201`, `S0202`...; `U1001` for an
    /// expression nested more than 1,000 levels deep).
    pub code: String,
    /// What is wrong, as a sentence.
    pub message: String,
    /// Where, in characters (not bytes) from the start of the expression's
    /// text, starting at 0.
    pub offset: usize,
    /// The token at fault, when there is one.
    pub token: Option<String>,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (at character {} of the expression)",
            self.code,
            self.message,
            self.offset + 1
        )
    }
}

/// An evaluation that failed: the expression raised a JSONata error, or
/// the evaluation passed one of its [`Limits`](super::Limits).
///
/// It displays as `CODE: message`, the form in which Step Functions
/// reports a JSONata error in the cause of `States.QueryEvaluationError`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct EvaluationError {
    /// JSONata's code for the error (`T2001`, `D3030`...), or for an
    /// error raised by a function that Step Functions adds, one of the
    /// codes [`super::functions`] lists (`SF0101`...).
    pub code: String,
    /// What went wrong, as a sentence.
    pub message: String,
    /// Where, in characters from the start of the expression's text, when
    /// the error belongs to a part of it.
    pub offset: Option<usize>,
    /// True when the evaluation was stopped by a limit (steps, depth,
    /// sizes, memory, time) rather than by an error of the expression.
    pub exhausted: bool,
}

impl fmt::Display for EvaluationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl EvaluationError {
    /// An error of the expression (not a limit).
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        EvaluationError {
            code: code.to_owned(),
            message: message.into(),
            offset: None,
            exhausted: false,
        }
    }

    /// An evaluation stopped by a limit.
    pub(crate) fn exhausted(code: &str, message: impl Into<String>) -> Self {
        EvaluationError {
            exhausted: true,
            ..EvaluationError::new(code, message)
        }
    }
}

/// The number of characters in `text` before byte `byte` (clamped to the
/// text, and to the start of a character).
pub(crate) fn char_offset(text: &str, byte: usize) -> usize {
    let mut end = byte.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().count()
}

/// The number of characters in `text` before UTF-16 code unit `unit`.
pub(crate) fn char_offset_utf16(text: &str, unit: usize) -> usize {
    let mut units = 0;
    for (chars, c) in text.chars().enumerate() {
        if units >= unit {
            return chars;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

impl SyntaxError {
    /// The error jlens reports for `text`.
    pub(crate) fn from_jlens(error: &jlens_core::Error, text: &str) -> Self {
        let offset = match (error.span(), error.position()) {
            (Some(span), _) => char_offset(text, span.start),
            (None, Some(position)) => char_offset_utf16(text, position),
            (None, None) => 0,
        };
        SyntaxError {
            code: error.code().to_owned(),
            message: error.message(),
            offset,
            token: error.token(),
        }
    }
}
