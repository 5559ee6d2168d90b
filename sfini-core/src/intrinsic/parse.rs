//! The intrinsic function parser, and the checks it makes on each call
//! once its arguments are known.

use serde_json::{Number, Value};

use super::format::{FormatTemplate, count_mismatch};
use super::function::Param;
use super::{Argument, Function, IntrinsicCall, IntrinsicError, IntrinsicSyntaxError, MAX_NESTING};
use crate::cursor::Cursor;
use crate::path::Path;
use crate::suggest::closest;

/// Characters of a function name.
pub(super) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_')
}

/// Parses a whole call, with nothing around it.
pub(super) fn parse_call(text: &str) -> Result<IntrinsicCall, IntrinsicSyntaxError> {
    whole_call(text, true)
}

/// Checks a whole call as [`parse_call`] does, building only what the
/// checks need; returns the function called.
pub(super) fn check_call(text: &str) -> Result<Function, IntrinsicSyntaxError> {
    whole_call(text, false).map(|call| call.function)
}

fn whole_call(text: &str, keep: bool) -> Result<IntrinsicCall, IntrinsicSyntaxError> {
    let mut parser = Parser {
        text,
        pos: 0,
        wants_template: false,
        keep,
    };
    if !text.is_empty() && text.trim().is_empty() {
        parser.pos = text.len();
    }
    match parser.peek() {
        Some(c) if c.is_ascii_alphabetic() => {}
        Some(c) if c.is_whitespace() => {
            return Err(parser.error(
                "an intrinsic function call starts with the function's name; remove the space before it",
            ));
        }
        Some(c) => {
            return Err(parser.error(format!(
                "expected the name of an intrinsic function, such as `States.Format`, found `{c}`"
            )));
        }
        None => {
            return Err(parser.error(
                "expected an intrinsic function call such as `States.Format('{}', $.name)`, \
                 found nothing",
            ));
        }
    }
    let call = parser.call(1)?;
    if !parser.rest().is_empty() && parser.rest().trim().is_empty() {
        return Err(parser.error("unexpected space after the end of the call; remove it"));
    }
    parser.skip_spaces();
    if !parser.rest().is_empty() {
        return Err(parser.error(format!(
            "unexpected `{}` after the end of the call; a field holds a single call",
            super::args::shorten(parser.rest())
        )));
    }
    Ok(call)
}

/// A string literal: its value, and the same text as a `States.Format`
/// template in case it is one.
struct StringLiteral {
    value: String,
    template: FormatTemplate,
    /// How many `{}` the text holds.
    placeholders: usize,
    /// Byte offset and character of the first brace that is neither escaped
    /// nor part of `{}`.
    stray_brace: Option<(usize, char)>,
}

/// An argument with what the checks need to know about it.
struct Parsed {
    argument: Argument,
    /// Byte offset where the argument starts.
    start: usize,
    /// Set for string literals.
    literal: Option<StringLiteral>,
}

struct Parser<'t> {
    text: &'t str,
    /// Byte offset of the next character.
    pos: usize,
    /// The string literal about to be read is a `States.Format` template,
    /// whose placeholders must be told apart from its escaped braces.
    wants_template: bool,
    /// Calls and paths are built; without, they are only checked, and
    /// stand-ins without text take their place.
    keep: bool,
}

impl<'t> Cursor<'t> for Parser<'t> {
    fn text(&self) -> &'t str {
        self.text
    }

    fn pos(&self) -> usize {
        self.pos
    }

    fn set_pos(&mut self, pos: usize) {
        self.pos = pos;
    }
}

impl<'t> Parser<'t> {
    fn error(&self, message: impl Into<String>) -> IntrinsicSyntaxError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> IntrinsicSyntaxError {
        IntrinsicSyntaxError {
            text: self.text.to_string(),
            offset: self.char_offset(pos),
            message: message.into(),
        }
    }

    /// A call starting at the function name; `depth` is 1 for the outermost.
    fn call(&mut self, depth: usize) -> Result<IntrinsicCall, IntrinsicSyntaxError> {
        let start = self.pos;
        let name = self.take_while(is_name_char);
        let Some(function) = Function::from_name(name) else {
            return Err(self.error_at(start, unknown_function(name)));
        };
        if depth > MAX_NESTING {
            return Err(self.error_at(
                start,
                format!(
                    "intrinsic functions may be nested at most {MAX_NESTING} deep, \
                     and this call is at depth {depth}"
                ),
            ));
        }
        if !self.eat('(') {
            return Err(self.error(match self.peek() {
                Some(c) if c.is_whitespace() => {
                    format!("expected `(` right after `{name}`, without a space")
                }
                _ => format!("expected `(` after the function name `{name}`"),
            }));
        }
        let mut parsed = Vec::new();
        self.skip_spaces();
        if !self.eat(')') {
            loop {
                self.skip_spaces();
                self.wants_template = function == Function::Format && parsed.is_empty();
                parsed.push(self.argument(depth)?);
                self.skip_spaces();
                if self.eat(',') {
                    continue;
                }
                if self.eat(')') {
                    break;
                }
                return Err(self.error(match self.peek() {
                    Some(c) => format!(
                        "expected `,` or `)` after argument {} of {function}, found `{c}`",
                        parsed.len()
                    ),
                    None => format!("unclosed call to {function}: expected `,` or `)`"),
                }));
            }
        }
        let close = self.pos - 1;
        let text = &self.text[start..self.pos];
        check_arity(self, function, &parsed, close)?;
        for (index, argument) in parsed.iter().enumerate() {
            self.check_argument(function, index, argument)?;
        }
        let template = if function == Function::Format {
            self.check_template(&mut parsed)?
        } else {
            None
        };
        let call = IntrinsicCall {
            text: if self.keep {
                text.into()
            } else {
                Box::default()
            },
            function,
            arguments: parsed.into_iter().map(|parsed| parsed.argument).collect(),
            template,
        };
        if !call.arguments.is_empty() && arguments_are_fixed(&call) {
            if !self.keep {
                // Checking only: build this call, rare as fixed calls are,
                // and try it.
                let mut builder = Parser {
                    text: self.text,
                    pos: start,
                    wants_template: false,
                    keep: true,
                };
                return builder.call(depth);
            }
            // Whether the call fails depends only on its arguments, which
            // need no data: if it fails now it will always fail.
            if let Err(IntrinsicError::Failure { message, .. }) =
                call.evaluate(&Value::Null, &Value::Null)
            {
                return Err(self.error_at(
                    start,
                    format!("{function}: {message}; the arguments are fixed, so this always fails"),
                ));
            }
        }
        Ok(call)
    }

    fn argument(&mut self, depth: usize) -> Result<Parsed, IntrinsicSyntaxError> {
        let start = self.pos;
        let (argument, literal) = match self.peek() {
            Some('\'') => {
                let mut literal = self.string_literal()?;
                let value = std::mem::take(&mut literal.value);
                (Argument::Literal(Value::String(value)), Some(literal))
            }
            Some('$') => {
                let path_error = |error: crate::path::PathSyntaxError| IntrinsicSyntaxError {
                    text: self.text.to_string(),
                    offset: self.char_offset(start) + error.offset,
                    message: format!("invalid path: {}", error.message),
                };
                let path = if self.keep {
                    let (path, used) = Path::parse_prefix(self.rest()).map_err(path_error)?;
                    self.pos += used;
                    path
                } else {
                    self.pos += Path::check_prefix(self.rest()).map_err(path_error)?;
                    Path::unbuilt()
                };
                (Argument::Path(path), None)
            }
            Some(c) if c == '-' || c.is_ascii_digit() => (self.number()?, None),
            Some(c) if c.is_ascii_alphabetic() => {
                let word = self.take_while(is_name_char);
                if self.peek() == Some('(') {
                    self.pos = start;
                    (Argument::Call(self.call(depth + 1)?), None)
                } else {
                    (self.keyword(word, start)?, None)
                }
            }
            Some(')') => return Err(self.error("expected an argument after `,`")),
            Some('"') => {
                return Err(self
                    .error("strings in intrinsic functions are written in single quotes: 'text'"));
            }
            Some(c) => {
                return Err(self.error(format!(
                    "expected an argument (a 'string', a number, true, false, null, a path \
                     such as `$.value` or a call such as `States.Array()`), found `{c}`"
                )));
            }
            None => return Err(self.error("unexpected end of the text; expected an argument")),
        };
        Ok(Parsed {
            argument,
            start,
            literal,
        })
    }

    fn keyword(&self, word: &str, start: usize) -> Result<Argument, IntrinsicSyntaxError> {
        match word {
            "true" => Ok(Argument::Literal(Value::Bool(true))),
            "false" => Ok(Argument::Literal(Value::Bool(false))),
            "null" => Ok(Argument::Literal(Value::Null)),
            _ if Function::from_name(word).is_some() => Err(self.error_at(
                start,
                format!("`{word}` is a function; call it with parentheses, as in `{word}(...)`"),
            )),
            _ => Err(self.error_at(
                start,
                format!(
                    "unexpected `{word}`; strings are written in single quotes ('{word}') \
                     and paths start with `$`"
                ),
            )),
        }
    }

    fn number(&mut self) -> Result<Argument, IntrinsicSyntaxError> {
        let start = self.pos;
        self.eat('-');
        self.take_while(|c| c.is_ascii_digit());
        if self.eat('.') {
            self.take_while(|c| c.is_ascii_digit());
        }
        if self.eat('e') || self.eat('E') {
            if !self.eat('+') {
                self.eat('-');
            }
            self.take_while(|c| c.is_ascii_digit());
        }
        let text = &self.text[start..self.pos];
        match serde_json::from_str::<Number>(text) {
            Ok(number) => Ok(Argument::Literal(Value::Number(number))),
            Err(_) => Err(self.error_at(start, format!("`{text}` is not a valid number"))),
        }
    }

    /// A single-quoted string, the opening quote next.
    fn string_literal(&mut self) -> Result<StringLiteral, IntrinsicSyntaxError> {
        let open = self.pos;
        // The template's pieces are only needed to evaluate it.
        let template = self.wants_template && self.keep;
        self.bump();
        let mut literal = StringLiteral {
            value: String::new(),
            template: FormatTemplate::default(),
            placeholders: 0,
            stray_brace: None,
        };
        loop {
            let here = self.pos;
            match self.bump() {
                None => {
                    return Err(
                        self.error_at(open, "unterminated string: it has no closing quote `'`")
                    );
                }
                Some('\'') => return Ok(literal),
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => {
                        literal.value.push(c);
                        if template {
                            literal.template.push_char(c);
                        }
                    }
                    Some(c) => {
                        return Err(self.error_at(
                            here,
                            format!(
                                "`\\{c}` is not an escape: a backslash may only come before \
                                 `'`, `{{`, `}}` or another backslash; write `\\\\` for a \
                                 backslash"
                            ),
                        ));
                    }
                    None => {
                        return Err(self.error_at(
                            here,
                            "dangling `\\` at the end of the text: a backslash must be \
                             followed by `'`, `{`, `}` or another backslash",
                        ));
                    }
                },
                Some('{') if self.peek() == Some('}') => {
                    self.bump();
                    literal.value.push_str("{}");
                    literal.placeholders += 1;
                    if template {
                        literal.template.push_placeholder();
                    }
                }
                Some(c) => {
                    if matches!(c, '{' | '}') && literal.stray_brace.is_none() {
                        literal.stray_brace = Some((here, c));
                    }
                    literal.value.push(c);
                    if template {
                        literal.template.push_char(c);
                    }
                }
            }
        }
    }

    /// Checks one argument against the parameter it fills.
    fn check_argument(
        &self,
        function: Function,
        index: usize,
        parsed: &Parsed,
    ) -> Result<(), IntrinsicSyntaxError> {
        let Some((_, param)) = function.parameter(index) else {
            return Ok(());
        };
        // The label is only needed for a message: build it then.
        let label = || function.argument_label(index);
        let problem = match &parsed.argument {
            Argument::Path(_) => None,
            Argument::Literal(_) if param == Param::Reference => Some(format!(
                "{} must be a path such as `$.value` (or a call), not a literal",
                label()
            )),
            Argument::Literal(value) => param.check(value).err().map(|reason| {
                let reason = if param == Param::Array || param == Param::LimitedArray {
                    format!(
                        "{reason}; pass a path such as `$.items` or a call such as \
                         `States.Array(...)`"
                    )
                } else {
                    reason
                };
                format!("{} {reason}", label())
            }),
            Argument::Call(call) => {
                let returns = call.function().returns();
                (!param.fits(returns)).then(|| {
                    format!(
                        "{} must be {}, but {} returns {}",
                        label(),
                        param.expected(),
                        call.function(),
                        returns.describe()
                    )
                })
            }
        };
        match problem {
            Some(message) => Err(self.error_at(parsed.start, format!("{function}: {message}"))),
            None => Ok(()),
        }
    }

    /// For `States.Format`: a literal template must have only placeholders
    /// and escaped braces, one placeholder per remaining argument.
    fn check_template(
        &self,
        parsed: &mut [Parsed],
    ) -> Result<Option<FormatTemplate>, IntrinsicSyntaxError> {
        let values = parsed.len().saturating_sub(1);
        let Some(Parsed {
            start,
            literal: Some(literal),
            ..
        }) = parsed.first_mut()
        else {
            return Ok(None);
        };
        if let Some((offset, brace)) = literal.stray_brace {
            return Err(self.error_at(
                offset,
                format!(
                    "States.Format: a lone `{brace}` in the template; write `{{}}` for a \
                     placeholder, or `\\{brace}` for the character itself"
                ),
            ));
        }
        let placeholders = literal.placeholders;
        if placeholders != values {
            return Err(self.error_at(
                *start,
                format!("States.Format: {}", count_mismatch(placeholders, values)),
            ));
        }
        Ok(Some(std::mem::take(&mut literal.template)))
    }
}

fn check_arity(
    parser: &Parser<'_>,
    function: Function,
    parsed: &[Parsed],
    close: usize,
) -> Result<(), IntrinsicSyntaxError> {
    let arity = function.arity();
    if arity.accepts(parsed.len()) {
        return Ok(());
    }
    // Point at the first argument too many, or at the `)` where one is missing.
    let at = arity
        .max
        .and_then(|max| parsed.get(max))
        .map_or(close, |extra| extra.start);
    Err(parser.error_at(
        at,
        format!(
            "{function} takes {arity}, found {}; write it as `{}`",
            parsed.len(),
            function.signature()
        ),
    ))
}

/// Whether a call's arguments are the same every time: no paths, and no
/// random results, at any depth.
fn arguments_are_fixed(call: &IntrinsicCall) -> bool {
    call.arguments.iter().all(|argument| match argument {
        Argument::Literal(_) => true,
        Argument::Path(_) => false,
        Argument::Call(inner) => {
            inner.function.is_pure(inner.arguments.len()) && arguments_are_fixed(inner)
        }
    })
}

/// The message for a name that is not an intrinsic function, with the
/// closest known name when one is close enough.
fn unknown_function(name: &str) -> String {
    // Compare the names without their `States.` prefix and case, so that
    // `states.formt` and `Format` both find `States.Format`.
    let short = |text: &str| {
        let lower = text.to_ascii_lowercase();
        lower
            .strip_prefix("states.")
            .map(str::to_string)
            .unwrap_or(lower)
    };
    let known: Vec<(String, Function)> = Function::ALL
        .into_iter()
        .map(|f| (short(f.name()), f))
        .collect();
    let wanted = short(name);
    let guess = if let Some((_, function)) = known.iter().find(|(short, _)| *short == wanted) {
        Some(*function)
    } else {
        closest(&wanted, known.iter().map(|(short, _)| short.as_str()))
            .and_then(|found| known.iter().find(|(short, _)| short == found))
            .map(|(_, function)| *function)
    };
    match guess {
        Some(function) => {
            format!("unknown intrinsic function `{name}`; did you mean `{function}`?")
        }
        None if !name.starts_with("States.") => format!(
            "unknown intrinsic function `{name}`; intrinsic function names start with \
             `States.`, as in `States.Format`"
        ),
        None => {
            let all: Vec<_> = Function::ALL.iter().map(|f| f.name()).collect();
            format!(
                "unknown intrinsic function `{name}`; the intrinsic functions are {}",
                all.join(", ")
            )
        }
    }
}
