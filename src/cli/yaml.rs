//! Reading a YAML definition into JSON.
//!
//! The YAML scanner takes time in proportion to the nesting of flow
//! collections (`[...]`, `{...}`) for each token, so a file of a million
//! `[` takes minutes to be refused for nesting too deeply. Flow collections
//! are therefore measured first, by a scan that recognises what the YAML
//! scanner does (quoted scalars, block scalars, comments, plain scalars),
//! and a definition nesting them more deeply than any definition can be
//! read is refused at once.

use serde_json::Value;

/// The deepest collections may nest in a definition: the YAML reader (as
/// the JSON reader) refuses anything deeper.
pub(super) const MAX_NESTING: usize = 128;

/// Reads YAML text into a JSON value.
pub(super) fn parse(text: &str) -> Result<Value, String> {
    if let Some(at) = too_deep_flow(text, MAX_NESTING) {
        let (line, column) = line_and_column(text, at);
        return Err(format!(
            "not valid YAML: collections nest more than {MAX_NESTING} deep (a `[` or `{{` at \
             line {line} column {column} opens level {}); at most {MAX_NESTING} levels can be read",
            MAX_NESTING + 1
        ));
    }
    serde_norway::from_str::<Value>(text).map_err(|error| format!("not valid YAML: {error}"))
}

/// The line and column (from 1, the column in characters) of a byte offset.
fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The offset of the first `[` or `{` that opens flow level `limit + 1`,
/// if any.
///
/// The scan does not follow YAML's block indentation exactly. Where it
/// takes more lines for a block or plain scalar than the YAML scanner does,
/// it counts less; the scanner then meets the brackets it skipped outside
/// any flow collection, where a `[` or `{` can only start a key or end the
/// document, and gives up within a line. Where it takes fewer lines for a
/// plain scalar (one continued on lines indented less than its own but
/// more than its block collection), it counts brackets in them: only a file
/// with more than [`MAX_NESTING`] unclosed brackets in such lines, which no
/// definition has, is refused wrongly.
fn too_deep_flow(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut scan = Scan {
        bytes,
        at: 0,
        line_indent: 0,
        in_block_collection: false,
    };
    let mut depth = 0usize;
    loop {
        scan.skip_to_token();
        let &byte = bytes.get(scan.at)?;
        let in_flow = depth > 0;
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(scan.at);
                }
                scan.at += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                scan.at += 1;
            }
            b',' => scan.at += 1,
            b'\'' => scan.single_quoted(),
            b'"' => scan.double_quoted(),
            b'|' | b'>' if !in_flow => scan.block_scalar(),
            b'&' | b'*' => {
                scan.at += 1;
                while scan.peek().is_some_and(|byte| {
                    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
                }) {
                    scan.at += 1;
                }
            }
            b'!' => {
                // A tag runs to a blank, or in a flow collection to a flow
                // indicator too.
                scan.at += 1;
                while scan.peek().is_some_and(|byte| {
                    !(is_blank_or_break(byte) || in_flow && is_flow_indicator(byte))
                }) {
                    scan.at += 1;
                }
            }
            b'%' if scan.at_column_zero() => scan.skip_line(),
            b'-' | b'?' | b':' if scan.indicator_ends(1, in_flow) => {
                scan.in_block_collection |= !in_flow;
                scan.at += 1;
            }
            b'-' | b'.' if scan.at_column_zero() && scan.document_marker() => {
                scan.in_block_collection = false;
                scan.at += 3;
            }
            _ => scan.plain(in_flow),
        }
    }
}

fn is_blank_or_break(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_flow_indicator(byte: u8) -> bool {
    matches!(byte, b',' | b'[' | b']' | b'{' | b'}')
}

/// A position in YAML text.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The indentation of the line `at` is on.
    line_indent: usize,
    /// Whether a block collection has begun in the document (a `- `, `? `
    /// or `: ` outside flow collections).
    in_block_collection: bool,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn at_column_zero(&self) -> bool {
        self.at == 0 || self.bytes[self.at - 1] == b'\n'
    }

    /// True when the byte `offset` after `at` ends an indicator: a blank,
    /// a line break, the end, or in a flow collection a flow indicator.
    fn indicator_ends(&self, offset: usize, in_flow: bool) -> bool {
        self.bytes
            .get(self.at + offset)
            .is_none_or(|&byte| is_blank_or_break(byte) || (in_flow && is_flow_indicator(byte)))
    }

    fn document_marker(&self) -> bool {
        let marker = &self.bytes[self.at..];
        (marker.starts_with(b"---") || marker.starts_with(b"...")) && self.indicator_ends(3, false)
    }

    /// Moves past a line break, measuring the next line's indentation.
    fn next_line(&mut self) {
        self.at += 1;
        let start = self.at;
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
        self.line_indent = self.at - start;
    }

    /// Skips blanks, line breaks and comments.
    fn skip_to_token(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => self.next_line(),
                b'#' => self.skip_line(),
                _ => return,
            }
        }
    }

    /// Moves to the line break ending the line.
    fn skip_line(&mut self) {
        while self.peek().is_some_and(|byte| byte != b'\n') {
            self.at += 1;
        }
    }

    /// `'...'`, where `''` is a quote.
    fn single_quoted(&mut self) {
        self.at += 1;
        while let Some(byte) = self.peek() {
            self.at += 1;
            if byte == b'\'' {
                if self.peek() == Some(b'\'') {
                    self.at += 1;
                } else {
                    return;
                }
            } else if byte == b'\n' {
                self.line_indent = 0;
            }
        }
    }

    /// `"..."`, where a backslash escapes the next character.
    fn double_quoted(&mut self) {
        self.at += 1;
        while let Some(byte) = self.peek() {
            self.at += 1;
            match byte {
                b'"' => return,
                b'\\' => self.at += 1,
                _ => {}
            }
        }
    }

    /// `|` or `>`: the rest of the line, then every line that is blank or
    /// indented more than the line of the indicator (the YAML scanner takes
    /// the lines indented as the first, which is indented more than the
    /// block collection the scalar is in), or every line when the scalar
    /// is in no block collection.
    fn block_scalar(&mut self) {
        let least_indent = if self.in_block_collection {
            self.line_indent + 1
        } else {
            0
        };
        self.skip_line();
        while self.peek() == Some(b'\n') {
            let line_start = self.at + 1;
            let mut end = line_start;
            while self.bytes.get(end) == Some(&b' ') {
                end += 1;
            }
            let indent = end - line_start;
            let blank = self
                .bytes
                .get(end)
                .is_none_or(|&byte| matches!(byte, b'\n' | b'\r' | b'\t'));
            if !blank && indent < least_indent {
                return;
            }
            self.next_line();
            self.skip_line();
        }
    }

    /// A plain scalar: it ends at `: ` or ` #`, and in a flow collection at
    /// a flow indicator too. It goes on over line breaks: in a flow
    /// collection always, and outside while the lines are indented more
    /// than the one it starts on, as the YAML scanner goes on while they
    /// are indented more than the block collection it is in (which is at
    /// most as deep as the line). A scalar in no block collection, or at
    /// the start of a line (where it is a key or no valid YAML), goes on
    /// over every line.
    fn plain(&mut self, in_flow: bool) {
        let start = self.at;
        let least_indent = if !self.in_block_collection || self.at_column_zero() {
            0
        } else {
            self.line_indent + 1
        };
        while let Some(byte) = self.peek() {
            let ends = match byte {
                b'\n' => !self.plain_goes_on(in_flow, least_indent),
                b':' => self.indicator_ends(1, in_flow),
                b'#' => self.at > start && is_blank_or_break(self.bytes[self.at - 1]),
                _ => in_flow && is_flow_indicator(byte),
            };
            if ends {
                break;
            }
            if byte == b'\n' {
                self.next_line();
            } else {
                self.at += 1;
            }
        }
        if self.at == start {
            // Not a scalar after all (a `:` in the middle of a flow
            // collection, say): move on.
            self.at += 1;
        }
    }

    /// At a line break in a plain scalar: whether the scalar goes on past
    /// the line break, over blank lines, onto the next line with text (in
    /// a block context, if that line is indented by `least_indent` at
    /// least).
    fn plain_goes_on(&self, in_flow: bool, least_indent: usize) -> bool {
        let mut at = self.at;
        let mut line_start = at + 1;
        while at < self.bytes.len() {
            match self.bytes[at] {
                b'\n' => {
                    at += 1;
                    line_start = at;
                }
                b' ' | b'\t' | b'\r' => at += 1,
                b'#' => return false,
                _ => break,
            }
        }
        let Some(&first) = self.bytes.get(at) else {
            return false;
        };
        if at == line_start
            && (first == b'-' || first == b'.')
            && (self.bytes[at..].starts_with(b"---") || self.bytes[at..].starts_with(b"..."))
        {
            return false;
        }
        in_flow || at - line_start >= least_indent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_limit_hit(text: &str) -> bool {
        too_deep_flow(text, 3).is_some()
    }

    #[test]
    fn flow_collections_are_measured() {
        assert!(!depth_limit_hit("a: [[[1]]]"));
        assert!(depth_limit_hit("a: [[[[1]]]]"));
        assert!(depth_limit_hit("a: [{b: [{c: d}]}]"));
        assert!(!depth_limit_hit("a: [[[1]]]\nb: [[[2]]]\nc: {d: [[e]]}"));
        assert!(depth_limit_hit("[\n[\n  [\n    [\n]]]]"));
        assert_eq!(too_deep_flow("a: [[[[1]]]]", 3), Some(6));
    }

    #[test]
    fn brackets_in_scalars_and_comments_are_not_counted() {
        assert!(!depth_limit_hit(
            "a: '[[[[['\nb: \"{{{{{\\\"[[[[\"\nc: 'it''s [[[['"
        ));
        assert!(!depth_limit_hit("# [[[[[[\na: 1 # {{{{{{"));
        assert!(!depth_limit_hit("a: b[[[[c\nd: $.e[[[[0]"));
        assert!(!depth_limit_hit(
            "Comment: |\n  [[[[[[\n\n  {{{{{{\nStartAt: x\nmore: >\n  [[[[[\n"
        ));
        assert!(!depth_limit_hit("a: [x, 'y]]]]]', \"[[[[\", z]"));
        assert!(!depth_limit_hit(
            "a: &anchor [[1]]\nb: *anchor\nc: !tag [[x]]"
        ));
    }

    #[test]
    fn what_follows_a_block_scalar_is_counted_again() {
        assert!(depth_limit_hit("Comment: |\n  [[[[[[\nb: [[[[1]]]]"));
    }

    #[test]
    fn hiding_brackets_behind_comments_does_not_help() {
        let text = "a: ".to_string() + &"[ # ]\n".repeat(10);
        assert!(depth_limit_hit(&text));
        let text = "a: ".to_string() + &"[\"]\",".repeat(10);
        assert!(depth_limit_hit(&text));
    }

    #[test]
    fn nesting_too_deep_is_refused_with_where() {
        let text = "StartAt: a\nStates: ".to_string() + &"[".repeat(200_000);
        let message = parse(&text).unwrap_err();
        assert_eq!(
            message,
            "not valid YAML: collections nest more than 128 deep (a `[` or `{` at line 2 column \
             137 opens level 129); at most 128 levels can be read"
        );
        // Just within the limit, the YAML reader decides.
        let text = "[".repeat(127) + &"]".repeat(127);
        assert!(parse(&text).is_ok());
    }
}
