//! The path parser: one recursive-descent pass over the text, shared by
//! paths, the relative paths inside filters, and reference paths.

use serde_json::Value;

use super::filter::{ComparisonOperator, Filter, Operand};
use super::{Path, PathSyntaxError, Root, Selector, Slice, Step, UnionMember};
use crate::cursor::Cursor;
use crate::variables;

/// How much of the text a path takes, and which steps it may use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// The whole text is one path.
    Whole,
    /// The path ends before the first character that cannot continue it.
    Prefix,
    /// The whole text is one reference path: names and non-negative indexes only.
    Reference,
}

/// Parses a path at the start of `text`, returning it and the bytes it took.
pub(super) fn parse_path(text: &str, mode: Mode) -> Result<(Path, usize), PathSyntaxError> {
    let (root, variable, steps, used) = run(text, mode, true)?;
    let path = Path {
        text: text[..used].into(),
        root,
        variable,
        steps,
    };
    Ok((path, used))
}

/// Checks that `text` is a path without building it (no field name is
/// copied), returning where it starts and the bytes it took.
pub(super) fn check_path(text: &str, mode: Mode) -> Result<(Root, usize), PathSyntaxError> {
    run(text, mode, false).map(|(root, _, _, used)| (root, used))
}

/// A path's root, the variable it names, its steps, and the bytes it took.
type Parsed = (Root, Option<Box<str>>, Vec<Step>, usize);

fn run(text: &str, mode: Mode, keep: bool) -> Result<Parsed, PathSyntaxError> {
    let mut parser = Parser {
        text,
        pos: 0,
        reference: mode == Mode::Reference,
        keep,
        depth: 0,
    };
    let mut variable = None;
    let root = match parser.peek() {
        Some('$') if parser.rest().starts_with("$$") => {
            parser.pos += 2;
            Root::Context
        }
        Some('$') => {
            parser.pos += 1;
            match parser.peek() {
                Some(c) if variables::starts_name(c) => {
                    let start = parser.pos;
                    while parser.peek().is_some_and(variables::continues_name) {
                        parser.bump();
                    }
                    if keep {
                        variable = Some(text[start..parser.pos].into());
                    }
                    Root::Variable
                }
                _ => Root::Data,
            }
        }
        Some(other) => {
            return Err(parser.error(format!(
                "a path starts with `$` (the data), `$$` (the context object) or `$name` (a variable), not `{other}`"
            )));
        }
        None => return Err(parser.error("a path cannot be empty; `$` selects all the data")),
    };
    let steps = parser.steps()?;
    if mode != Mode::Prefix
        && let Some(c) = parser.peek()
    {
        return Err(parser.error(unexpected_after_step(c)));
    }
    Ok((root, variable, steps, parser.pos))
}

fn unexpected_after_step(c: char) -> String {
    if c.is_whitespace() {
        "unexpected space; a field name with spaces is written `['my field']`".to_string()
    } else {
        format!(
            "unexpected `{c}`; a path continues with `.name`, `['name']`, `[index]`, `[*]` or `..name`"
        )
    }
}

/// The ASCII characters that end a field name written after a dot.
const ENDS_NAME: [bool; 128] = {
    let mut table = [false; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_whitespace()
            || byte == 0x0B // vertical tab: whitespace to `char`, not to ASCII
            || matches!(
                byte as u8,
                b'.' | b'[' | b']' | b'(' | b')' | b'\'' | b'"' | b',' | b'=' | b'<' | b'>' | b'!' | b'&'
                    | b'|' | b'?' | b'*'
            );
        byte += 1;
    }
    table
};

/// Characters that end a field name written after a dot.
#[inline]
fn ends_name(c: char) -> bool {
    match ENDS_NAME.get(c as usize) {
        Some(ends) => *ends,
        None => c.is_whitespace(),
    }
}

/// What makes a step unfit for a reference path, if anything.
fn not_in_reference(step: &Step) -> Option<&'static str> {
    match step {
        Step::Child(Selector::Name(_)) => None,
        Step::Child(Selector::Index(index)) if *index >= 0 => None,
        Step::Child(Selector::Index(_)) => Some("a negative index"),
        Step::Child(Selector::Wildcard) => Some("a wildcard `*`"),
        Step::Child(Selector::Union(_)) => Some("a union"),
        Step::Child(Selector::Slice(_)) => Some("a slice"),
        Step::Child(Selector::Filter(_)) => Some("a filter"),
        Step::Descendants(_) => Some("a deep scan `..`"),
    }
}

struct Parser<'t> {
    text: &'t str,
    /// Byte offset of the next character.
    pos: usize,
    /// Only the steps of a reference path are allowed.
    reference: bool,
    /// The steps are kept; without, they are only checked.
    keep: bool,
    /// How deeply filters, negations, parentheses and lists are nested here.
    depth: usize,
}

/// How deeply a filter may nest negations, parentheses, lists and filters:
/// far more than any real path needs, and little enough for the stack.
const MAX_FILTER_DEPTH: usize = 64;

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
    fn expect(&mut self, c: char, what: &str) -> Result<(), PathSyntaxError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(match self.peek() {
                Some(found) => format!("expected `{c}` {what}, found `{found}`"),
                None => format!("expected `{c}` {what}, found the end of the path"),
            }))
        }
    }

    /// Goes one level deeper into a filter, refusing to go too deep.
    fn enter(&mut self) -> Result<(), PathSyntaxError> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(self.error(format!(
                "the filter nests more than {MAX_FILTER_DEPTH} levels deep; simplify it"
            )));
        }
        Ok(())
    }

    fn error(&self, message: impl Into<String>) -> PathSyntaxError {
        PathSyntaxError {
            path: self.text.to_string(),
            offset: self.char_offset(self.pos),
            message: message.into(),
        }
    }

    /// Steps after a root (`$`, `$$` or `@`), as long as one follows.
    fn steps(&mut self) -> Result<Vec<Step>, PathSyntaxError> {
        let mut steps = Vec::new();
        loop {
            let start = self.pos;
            let step = match self.peek() {
                Some('.') if self.rest().starts_with("..") => {
                    self.pos += 2;
                    let selector = match self.peek() {
                        Some('*') => {
                            self.bump();
                            Selector::Wildcard
                        }
                        Some('[') => {
                            self.bump();
                            self.bracket()?
                        }
                        _ => Selector::Name(self.dotted_name("..")?),
                    };
                    Step::Descendants(selector)
                }
                Some('.') => {
                    self.bump();
                    if self.eat('*') {
                        Step::Child(Selector::Wildcard)
                    } else {
                        Step::Child(Selector::Name(self.dotted_name(".")?))
                    }
                }
                Some('[') => {
                    self.bump();
                    Step::Child(self.bracket()?)
                }
                _ => return Ok(steps),
            };
            if self.reference
                && let Some(what) = not_in_reference(&step)
            {
                self.pos = start;
                return Err(self.error(format!(
                    "a reference path names a single node, so it may use only `.name`, \
                     `['name']` and `[index]`, not {what}"
                )));
            }
            if self.keep {
                steps.push(step);
            }
        }
    }

    fn dotted_name(&mut self, after: &str) -> Result<String, PathSyntaxError> {
        let start = self.pos;
        loop {
            // Skip ASCII name characters in one pass, then look at what stopped it.
            let rest = &self.text.as_bytes()[self.pos..];
            self.pos += rest
                .iter()
                .position(|&byte| !byte.is_ascii() || ENDS_NAME[usize::from(byte)])
                .unwrap_or(rest.len());
            match self.peek() {
                Some(c) if !c.is_ascii() && !ends_name(c) => self.pos += c.len_utf8(),
                _ => break,
            }
        }
        if self.pos == start {
            return Err(self.error(match self.peek() {
                Some(c) => format!("expected a field name after `{after}`, found `{c}`"),
                None => format!("expected a field name after `{after}`"),
            }));
        }
        if self.peek() == Some('(') {
            return Err(self.error(
                "path functions such as `length()` are not part of the Amazon States Language; \
                 use an intrinsic function such as `States.ArrayLength`",
            ));
        }
        Ok(if self.keep {
            self.text[start..self.pos].to_string()
        } else {
            String::new()
        })
    }

    /// The inside of `[...]`, after the opening bracket, through the closing one.
    fn bracket(&mut self) -> Result<Selector, PathSyntaxError> {
        self.skip_spaces();
        let selector = match self.peek() {
            Some('*') => {
                self.bump();
                Selector::Wildcard
            }
            Some('?') => {
                self.bump();
                self.skip_spaces();
                self.expect('(', "to open the filter expression `[?( ... )]`")?;
                self.enter()?;
                let filter = self.filter_or()?;
                self.depth -= 1;
                self.skip_spaces();
                self.expect(')', "to close the filter expression")?;
                Selector::Filter(Box::new(filter))
            }
            Some('\'' | '"') => {
                let mut names = vec![self.quoted_name()?];
                while self.comma() {
                    match self.peek() {
                        Some('\'' | '"') => names.push(self.quoted_name()?),
                        _ => return Err(self.error("expected a quoted field name after `,`")),
                    }
                }
                if names.len() == 1 {
                    Selector::Name(names.remove(0))
                } else {
                    Selector::Union(names.into_iter().map(UnionMember::Name).collect())
                }
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indexes_or_slice()?,
            Some(c) => {
                return Err(self.error(format!(
                    "unexpected `{c}` in brackets; expected an index `[0]`, a quoted name `['a']`, \
                     `[*]`, a slice `[1:3]` or a filter `[?(@.x > 1)]`"
                )));
            }
            None => return Err(self.error("unclosed `[`")),
        };
        self.skip_spaces();
        self.expect(']', "to close the brackets")?;
        Ok(selector)
    }

    /// Eats a comma between union members, with the spaces around it.
    fn comma(&mut self) -> bool {
        let save = self.pos;
        self.skip_spaces();
        if self.eat(',') {
            self.skip_spaces();
            true
        } else {
            self.pos = save;
            false
        }
    }

    fn indexes_or_slice(&mut self) -> Result<Selector, PathSyntaxError> {
        let first = self.optional_integer()?;
        self.skip_spaces();
        if self.peek() == Some(':') {
            self.bump();
            self.skip_spaces();
            let end = self.optional_integer()?;
            self.skip_spaces();
            let step = if self.eat(':') {
                self.skip_spaces();
                self.optional_integer()?
            } else {
                None
            };
            if step == Some(0) {
                return Err(self.error("a slice step cannot be 0"));
            }
            return Ok(Selector::Slice(Slice {
                start: first,
                end,
                step,
            }));
        }
        let Some(first) = first else {
            return Err(self.error("expected an index"));
        };
        let mut indexes = vec![first];
        while self.comma() {
            match self.optional_integer()? {
                Some(index) => indexes.push(index),
                None => return Err(self.error("expected an index after `,`")),
            }
        }
        if indexes.len() == 1 {
            Ok(Selector::Index(first))
        } else {
            Ok(Selector::Union(
                indexes.into_iter().map(UnionMember::Index).collect(),
            ))
        }
    }

    fn optional_integer(&mut self) -> Result<Option<i64>, PathSyntaxError> {
        let start = self.pos;
        self.eat('-');
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        if self.pos == digits {
            if self.pos != start {
                return Err(self.error("expected digits after `-`"));
            }
            return Ok(None);
        }
        self.text[start..self.pos]
            .parse::<i64>()
            .map(Some)
            .map_err(|_| self.error("index out of range"))
    }

    /// A field name in brackets, in single or double quotes, taken as it is
    /// written: a backslash only keeps the character after it from closing
    /// the name, and both stay in the name. So `['Test\\""Name"']` names the
    /// field `Test\""Name"`, as the service reads it (its JSONPath library
    /// does not unescape bracketed names).
    fn quoted_name(&mut self) -> Result<String, PathSyntaxError> {
        let Some(quote) = self.bump() else {
            return Err(self.error("expected a quoted string"));
        };
        let start = self.pos;
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(format!("unclosed string; expected a closing {quote}")));
                }
                Some(c) if c == quote => break,
                Some('\\') => {
                    if self.bump().is_none() {
                        return Err(self.error("unfinished escape at the end of the path"));
                    }
                }
                Some(_) => {}
            }
        }
        if !self.keep {
            return Ok(String::new());
        }
        Ok(self.text[start..self.pos - quote.len_utf8()].to_string())
    }

    /// A string in single or double quotes; a backslash escapes the next character.
    fn quoted(&mut self) -> Result<String, PathSyntaxError> {
        let Some(quote) = self.bump() else {
            return Err(self.error("expected a quoted string"));
        };
        let keep = self.keep;
        let mut out = String::new();
        let mut push = |c: char| {
            if keep {
                out.push(c);
            }
        };
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(format!("unclosed string; expected a closing {quote}")));
                }
                Some(c) if c == quote => break,
                Some('\\') => match self.bump() {
                    Some('n') => push('\n'),
                    Some('t') => push('\t'),
                    Some('r') => push('\r'),
                    Some('u') => push(self.unicode_escape()?),
                    Some(c) => push(c),
                    None => return Err(self.error("unfinished escape at the end of the path")),
                },
                Some(c) => push(c),
            }
        }
        Ok(out)
    }

    fn unicode_escape(&mut self) -> Result<char, PathSyntaxError> {
        let hex = self.rest().get(..4).unwrap_or("");
        let code = u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.len() == 4)
            .and_then(char::from_u32)
            .ok_or_else(|| self.error("expected four hex digits after `\\u`"))?;
        self.pos += 4;
        Ok(code)
    }

    // ----- filters -----

    fn filter_or(&mut self) -> Result<Filter, PathSyntaxError> {
        let mut terms = vec![self.filter_and()?];
        loop {
            self.skip_spaces();
            if !self.eat_str("||") {
                break;
            }
            terms.push(self.filter_and()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Filter::Or(terms)
        })
    }

    fn filter_and(&mut self) -> Result<Filter, PathSyntaxError> {
        let mut terms = vec![self.filter_unary()?];
        loop {
            self.skip_spaces();
            if !self.eat_str("&&") {
                break;
            }
            terms.push(self.filter_unary()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Filter::And(terms)
        })
    }

    fn filter_unary(&mut self) -> Result<Filter, PathSyntaxError> {
        self.skip_spaces();
        if self.peek() == Some('!') && self.peek_second() != Some('=') {
            self.bump();
            self.enter()?;
            let inner = self.filter_unary()?;
            self.depth -= 1;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.eat('(') {
            self.enter()?;
            let inner = self.filter_or()?;
            self.depth -= 1;
            self.skip_spaces();
            self.expect(')', "to close the parenthesis")?;
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_spaces();
        match self.comparison_operator()? {
            Some(operator) => {
                self.skip_spaces();
                let right = self.operand()?;
                Ok(Filter::Compare {
                    left,
                    operator,
                    right,
                })
            }
            None => Ok(Filter::Exists(left)),
        }
    }

    fn comparison_operator(&mut self) -> Result<Option<ComparisonOperator>, PathSyntaxError> {
        const SYMBOLS: [(&str, ComparisonOperator); 6] = [
            ("==", ComparisonOperator::Equal),
            ("!=", ComparisonOperator::NotEqual),
            ("<=", ComparisonOperator::LessOrEqual),
            (">=", ComparisonOperator::GreaterOrEqual),
            ("<", ComparisonOperator::Less),
            (">", ComparisonOperator::Greater),
        ];
        const WORDS: [(&str, ComparisonOperator); 7] = [
            ("in", ComparisonOperator::In),
            ("nin", ComparisonOperator::NotIn),
            ("subsetof", ComparisonOperator::SubsetOf),
            ("anyof", ComparisonOperator::AnyOf),
            ("noneof", ComparisonOperator::NoneOf),
            ("size", ComparisonOperator::Size),
            ("empty", ComparisonOperator::Empty),
        ];
        if self.rest().starts_with("=~") {
            return Err(self.error("the regular-expression operator `=~` is not supported"));
        }
        for (symbol, operator) in SYMBOLS {
            if self.eat_str(symbol) {
                return Ok(Some(operator));
            }
        }
        let word_len = self
            .rest()
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest().len());
        let word = &self.rest()[..word_len];
        for (name, operator) in WORDS {
            if word == name {
                self.pos += word_len;
                return Ok(Some(operator));
            }
        }
        if self.peek() == Some('=') {
            return Err(self.error("`=` is not a comparison; write `==`"));
        }
        Ok(None)
    }

    fn operand(&mut self) -> Result<Operand, PathSyntaxError> {
        match self.peek() {
            Some('@') => {
                self.bump();
                Ok(Operand::Current(self.steps()?))
            }
            Some('$') => {
                let root = if self.eat_str("$$") {
                    Root::Context
                } else {
                    self.bump();
                    Root::Data
                };
                Ok(Operand::Absolute(root, self.steps()?))
            }
            Some(_) => Ok(Operand::Literal(self.literal()?)),
            None => Err(self.error("expected a value to compare, found the end of the path")),
        }
    }

    fn literal(&mut self) -> Result<Value, PathSyntaxError> {
        match self.peek() {
            Some('\'' | '"') => Ok(Value::String(self.quoted()?)),
            Some('[') => {
                self.bump();
                self.skip_spaces();
                let mut items = Vec::new();
                if !self.eat(']') {
                    loop {
                        self.skip_spaces();
                        self.enter()?;
                        items.push(self.literal()?);
                        self.depth -= 1;
                        self.skip_spaces();
                        if self.eat(']') {
                            break;
                        }
                        self.expect(',', "between list items")?;
                    }
                }
                Ok(Value::Array(items))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.eat_str(word) {
                        return Ok(value);
                    }
                }
                Err(self.error(match self.peek() {
                    Some(c) => format!(
                        "expected `@`, `$`, a number, a quoted string, true, false, null or a list, found `{c}`"
                    ),
                    None => "expected a value, found the end of the path".to_string(),
                }))
            }
        }
    }

    fn number(&mut self) -> Result<Value, PathSyntaxError> {
        let start = self.pos;
        self.eat('-');
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        {
            self.bump();
        }
        let text = &self.text[start..self.pos];
        serde_json::from_str::<serde_json::Number>(text)
            .map(Value::Number)
            .map_err(|_| PathSyntaxError {
                path: self.text.to_string(),
                offset: self.char_offset(start),
                message: format!("`{text}` is not a number"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_table_agrees_with_the_characters_it_stands_for() {
        for byte in 0u8..128 {
            let c = char::from(byte);
            let expected = c.is_whitespace() || ".[]()'\",=<>!&|?*".contains(c);
            assert_eq!(ends_name(c), expected, "{c:?}");
        }
        assert!(ends_name('\u{00A0}'));
        assert!(!ends_name('é'));
    }
}
