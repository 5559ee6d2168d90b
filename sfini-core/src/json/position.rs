//! Where a [`Location`] is in JSON text: its line and column, for tools
//! that print `file:line:column` so that an editor can jump there.

use crate::location::{Location, Segment};

/// A line and column in a text, both counted from 1; the column counts
/// characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

/// Finds `location` in the JSON `text`: the position of the field's key
/// (or of the array element) it names. Where the location names something
/// absent (a missing field), the position of the deepest part that exists.
/// `None` when the text is not JSON.
///
/// ```
/// use sfini_core::Location;
/// use sfini_core::json::position::locate;
///
/// let text = "{\n  \"StartAt\": \"a\",\n  \"States\": {\n    \"a\": {\"Type\": \"Pass\", \"Nxt\": \"b\"}\n  }\n}";
/// let location = Location::root().field("States").field("a").field("Nxt");
/// let position = locate(text, &location).unwrap();
/// assert_eq!((position.line, position.column), (4, 27));
/// ```
pub fn locate(text: &str, location: &Location) -> Option<Position> {
    let mut scanner = Scanner { text, pos: 0 };
    scanner.skip_spaces();
    let start = scanner.pos;
    let found = scanner.find(location.segments())?;
    Some(position_of(text, found.unwrap_or(start)))
}

fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Position {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

/// A forward-only reader of JSON text that skips what it does not need.
struct Scanner<'t> {
    text: &'t str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Reads the value at the cursor, looking for `path` inside it. Returns
    /// the offset of the deepest part of the path found, `Ok(None)` when the
    /// value holds none of it, `None` when the text is not JSON.
    fn find(&mut self, path: &[Segment]) -> Option<Option<usize>> {
        let Some((first, rest)) = path.split_first() else {
            self.skip_value()?;
            return Some(None);
        };
        let mut found = None;
        match (self.peek()?, first) {
            (b'{', Segment::Field(wanted)) => {
                self.pos += 1;
                self.skip_spaces();
                if self.peek()? == b'}' {
                    self.pos += 1;
                    return Some(None);
                }
                loop {
                    self.skip_spaces();
                    let key_at = self.pos;
                    let key = self.string()?;
                    self.skip_spaces();
                    self.expect(b':')?;
                    self.skip_spaces();
                    if found.is_none() && key == *wanted {
                        found = Some(self.find(rest)?.unwrap_or(key_at));
                    } else {
                        self.skip_value()?;
                    }
                    self.skip_spaces();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            return Some(found);
                        }
                        _ => return None,
                    }
                }
            }
            (b'[', Segment::Index(wanted)) => {
                self.pos += 1;
                self.skip_spaces();
                if self.peek()? == b']' {
                    self.pos += 1;
                    return Some(None);
                }
                let mut index = 0;
                loop {
                    self.skip_spaces();
                    let item_at = self.pos;
                    if index == *wanted {
                        found = Some(self.find(rest)?.unwrap_or(item_at));
                    } else {
                        self.skip_value()?;
                    }
                    index += 1;
                    self.skip_spaces();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            return Some(found);
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                self.skip_value()?;
                Some(None)
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// Reads a string, unescaping it.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        serde_json::from_str(&self.text[start..self.pos]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        self.skip_spaces();
        match self.peek()? {
            b'"' => self.skip_string(),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.skip_spaces();
                    match self.peek()? {
                        byte if byte == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' | b':' => self.pos += 1,
                        _ => self.skip_value()?,
                    }
                }
            }
            _ => {
                // A number, true, false or null: up to the next delimiter.
                let rest = &self.text.as_bytes()[self.pos..];
                let length = rest
                    .iter()
                    .position(|byte| {
                        matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                    })
                    .unwrap_or(rest.len());
                (length > 0).then(|| self.pos += length)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "StartAt": "a",
  "States": {
    "a": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.x", "NumericEquals": 1, "Next": "b"},
        {"Variable": "$.y", "StringEquals": "é\"q", "Next": "c"}
      ]
    },
    "tricky \"name\"": {"Type": "Succeed"}
  }
}"#;

    fn at(location: Location) -> (usize, usize) {
        let position = locate(TEXT, &location).unwrap();
        (position.line, position.column)
    }

    #[test]
    fn finds_keys_and_elements() {
        let states = Location::root().field("States");
        assert_eq!(at(Location::root()), (1, 1));
        assert_eq!(at(Location::root().field("StartAt")), (2, 3));
        assert_eq!(at(states.field("a")), (4, 5));
        assert_eq!(at(states.field("a").field("Choices").index(0)), (7, 9));
        assert_eq!(
            at(states.field("a").field("Choices").index(1).field("Next")),
            (8, 53)
        );
        assert_eq!(at(states.field("tricky \"name\"")), (11, 5));
    }

    #[test]
    fn missing_parts_point_at_the_deepest_part_present() {
        let states = Location::root().field("States");
        assert_eq!(at(states.field("a").field("Default")), (4, 5));
        assert_eq!(at(states.field("a").field("Choices").index(7)), (6, 7));
        assert_eq!(at(Location::root().field("Nothing")), (1, 1));
    }

    #[test]
    fn text_that_is_not_json_has_no_positions() {
        assert_eq!(locate("{\"a\": ", &Location::root().field("a")), None);
        assert_eq!(locate("", &Location::root()), None);
    }
}
