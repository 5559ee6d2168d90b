//! Problems found in a definition: each with a severity, a stable code, a
//! location and a message that says what would be right.

use std::fmt;

use crate::location::Location;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// AWS would reject the definition (or it cannot run as written).
    Error,
    /// The definition is accepted, but probably not what was meant.
    Warning,
}

/// What kind of problem a [`Diagnostic`] reports. Codes are stable; messages
/// may improve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The text is not JSON (or YAML).
    Syntax,
    /// A field holds the wrong JSON type.
    WrongType,
    /// A required field is missing.
    MissingField,
    /// A field that does not belong where it is.
    UnknownField,
    /// A part of the language that sfini does not run (such as a
    /// Distributed Map reading from Amazon S3).
    Unsupported,
    /// Two fields that exclude each other are both present, or neither of
    /// two required alternatives is.
    Conflict,
    /// A `Type` that is not one of the eight state types.
    UnknownStateType,
    /// A value outside the allowed set or range.
    InvalidValue,
    /// A transition to a state that does not exist.
    UnknownState,
    /// A transition to a state of another scope (into or out of a Parallel
    /// branch or Map processor).
    CrossScopeTransition,
    /// Two states with the same name.
    DuplicateStateName,
    /// A state name that is empty or longer than 80 characters.
    InvalidStateName,
    /// A state that no path from StartAt reaches.
    UnreachableState,
    /// A scope from which no terminal state can be reached.
    NoTerminalState,
    /// A malformed or misused path.
    InvalidPath,
    /// A malformed payload template.
    InvalidPayload,
    /// A malformed intrinsic function call.
    InvalidIntrinsic,
    /// A malformed Choice rule.
    InvalidChoiceRule,
    /// A malformed Retry or Catch list.
    InvalidErrorHandling,
    /// A malformed timestamp.
    InvalidTimestamp,
    /// An error name in the `States.` namespace that the language does not
    /// define.
    ReservedErrorName,
    /// A Choice state without Default: no rule matching fails the execution.
    ChoiceWithoutDefault,
    /// A field that only a Distributed Map honours, on an inline Map.
    DistributedOnly,
    /// A field, or a `{% ... %}` expression, of the other query language
    /// than the state's: `InputPath` in a JSONata state, `Output` in a
    /// JSONPath one.
    WrongQueryLanguage,
    /// A JSONata expression that does not parse, or reads what Step
    /// Functions does not give it.
    InvalidExpression,
    /// A workflow variable misnamed, or assigned where the new value does
    /// not reach where it is probably meant to (a Parallel branch or Map
    /// iteration assigning a name its enclosing scope assigns).
    InvalidVariable,
    /// A JSONata call that fails when it runs: of a function that JSONata
    /// and Step Functions do not have, or with a number of arguments that
    /// the function does not take.
    InvalidFunctionCall,
    /// A workflow variable read where no state may have assigned it yet:
    /// no state assigns it, some path reaches the read before any state
    /// assigns it, or only states the read cannot see assign it (inside a
    /// Parallel or Map state, or around a Distributed Map).
    UnassignedVariable,
    /// A payload template field without `.$` whose text looks like a path
    /// or an intrinsic function call: it is copied as text, not evaluated
    /// (AWS's `NO_DOLLAR`).
    NoDollar,
    /// A Choice rule comparing with a text that looks like a path, with an
    /// operator whose name does not end with `Path`: it compares with the
    /// text itself (AWS's `NO_PATH`).
    NoPath,
    /// A Pass state's `Result` holding a `.$` field: `Result` is copied as
    /// written, never evaluated (AWS's `PASS_RESULT_IS_STATIC`).
    PassResultIsStatic,
}

impl Code {
    /// The code as a short kebab-case name, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::WrongType => "wrong-type",
            Code::MissingField => "missing-field",
            Code::UnknownField => "unknown-field",
            Code::Unsupported => "unsupported",
            Code::Conflict => "conflict",
            Code::UnknownStateType => "unknown-state-type",
            Code::InvalidValue => "invalid-value",
            Code::UnknownState => "unknown-state",
            Code::CrossScopeTransition => "cross-scope-transition",
            Code::DuplicateStateName => "duplicate-state-name",
            Code::InvalidStateName => "invalid-state-name",
            Code::UnreachableState => "unreachable-state",
            Code::NoTerminalState => "no-terminal-state",
            Code::InvalidPath => "invalid-path",
            Code::InvalidPayload => "invalid-payload",
            Code::InvalidIntrinsic => "invalid-intrinsic",
            Code::InvalidChoiceRule => "invalid-choice-rule",
            Code::InvalidErrorHandling => "invalid-error-handling",
            Code::InvalidTimestamp => "invalid-timestamp",
            Code::ReservedErrorName => "reserved-error-name",
            Code::ChoiceWithoutDefault => "choice-without-default",
            Code::DistributedOnly => "distributed-only",
            Code::WrongQueryLanguage => "wrong-query-language",
            Code::InvalidExpression => "invalid-expression",
            Code::InvalidVariable => "invalid-variable",
            Code::InvalidFunctionCall => "invalid-function-call",
            Code::UnassignedVariable => "unassigned-variable",
            Code::NoDollar => "no-dollar",
            Code::NoPath => "no-path",
            Code::PassResultIsStatic => "pass-result-is-static",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a definition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub code: Code,
    /// Where: the field at fault.
    pub location: Location,
    /// What is wrong and what would be right.
    pub message: String,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            location,
            message: message.into(),
        }
    }

    /// A warning.
    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code,
            location,
            message: message.into(),
        }
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `error[unknown-state] States.a.Next: no state named `b``
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{severity}[{}] {}: {}",
            self.code, self.location, self.message
        )
    }
}

/// Every problem found in a definition, errors and warnings, in the order
/// of the definition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problems.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds an error.
    pub fn error(&mut self, code: Code, location: Location, message: impl Into<String>) {
        self.push(Diagnostic::error(code, location, message));
    }

    /// Adds a warning.
    pub fn warning(&mut self, code: Code, location: Location, message: impl Into<String>) {
        self.push(Diagnostic::warning(code, location, message));
    }

    /// Every problem.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// True when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// True when there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

impl fmt::Display for Diagnostics {
    /// One problem per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.items.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}
