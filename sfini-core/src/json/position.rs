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
    locate_all(text, &[location]).pop().flatten()
}

/// [`locate`] for many locations at once, in one pass over the text: the
/// time grows with the text and the locations, not with their product (a
/// definition with thousands of problems is located as fast as it is
/// read). The positions come in the order of `locations`; all `None` when
/// the text is not JSON.
pub fn locate_all(text: &str, locations: &[&Location]) -> Vec<Option<Position>> {
    let mut wanted = Trie::default();
    for location in locations {
        wanted.insert(location.segments());
    }
    let mut scanner = Scanner { text, pos: 0 };
    scanner.skip_spaces();
    let start = scanner.pos;
    if scanner.index(&mut wanted).is_none() {
        return vec![None; locations.len()];
    }
    let lines = Lines::new(text);
    locations
        .iter()
        .map(|location| {
            let offset = wanted.deepest_found(location.segments()).unwrap_or(start);
            Some(lines.position(offset))
        })
        .collect()
}

/// The locations looked for, as a tree of their segments; each node the
/// offset where its part was found in the text.
#[derive(Default)]
struct Trie {
    /// Node 0 is the root (the whole value).
    nodes: Vec<TrieNode>,
}

#[derive(Default)]
struct TrieNode {
    children: rustc_hash::FxHashMap<Segment, usize>,
    found: Option<usize>,
}

impl Trie {
    fn root(&mut self) -> usize {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        0
    }

    /// Adds a location.
    fn insert(&mut self, segments: &[Segment]) {
        let mut node = self.root();
        for segment in segments {
            node = match self.nodes[node].children.get(segment) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].children.insert(segment.clone(), child);
                    child
                }
            };
        }
    }

    fn child(&self, node: usize, segment: &Segment) -> Option<usize> {
        self.nodes.get(node)?.children.get(segment).copied()
    }

    fn is_wanted_inside(&self, node: usize) -> bool {
        self.nodes
            .get(node)
            .is_some_and(|node| !node.children.is_empty())
    }

    /// Notes where the part of `node` was found (its first occurrence).
    fn found_at(&mut self, node: usize, offset: usize) {
        if let Some(node) = self.nodes.get_mut(node) {
            node.found.get_or_insert(offset);
        }
    }

    /// The offset of the deepest part of `segments` found.
    fn deepest_found(&self, segments: &[Segment]) -> Option<usize> {
        let mut node = 0;
        let mut deepest = None;
        for segment in segments {
            let Some(child) = self.child(node, segment) else {
                break;
            };
            let Some(found) = self.nodes[child].found else {
                break;
            };
            deepest = Some(found);
            node = child;
        }
        deepest
    }
}

/// Where each line of a text starts, for turning offsets into positions.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(at, _)| at + 1),
        );
        Lines { text, starts }
    }

    fn position(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|start| *start <= offset);
        let line_start = self.starts[line - 1];
        Position {
            line,
            column: self.text[line_start..offset].chars().count() + 1,
        }
    }
}

/// A forward-only reader of JSON text that skips what it does not need.
struct Scanner<'t> {
    text: &'t str,
    pos: usize,
}

/// An array or object being read because a location looked for lies
/// inside it.
struct Frame {
    object: bool,
    node: usize,
    next_index: usize,
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

    /// Reads the value at the cursor, noting in `wanted` where each part
    /// looked for is: going into the arrays and objects that hold a part,
    /// skipping the rest. `None` when the text is not JSON. Never recurses.
    fn index(&mut self, wanted: &mut Trie) -> Option<()> {
        let mut frames = Vec::new();
        let root = wanted.root();
        self.value(wanted, root, &mut frames)?;
        while let Some(frame) = frames.last_mut() {
            self.skip_spaces();
            let close = if frame.object { b'}' } else { b']' };
            match self.peek()? {
                byte if byte == close => {
                    self.pos += 1;
                    frames.pop();
                    continue;
                }
                b',' => {
                    self.pos += 1;
                    self.skip_spaces();
                }
                _ => {}
            }
            let member = if frame.object {
                let key_at = self.pos;
                let key = self.string()?;
                self.skip_spaces();
                self.expect(b':')?;
                self.skip_spaces();
                (key_at, Segment::Field(key))
            } else {
                let index = frame.next_index;
                frame.next_index += 1;
                (self.pos, Segment::Index(index))
            };
            let node = frame.node;
            match wanted.child(node, &member.1) {
                Some(child) => {
                    wanted.found_at(child, member.0);
                    self.value(wanted, child, &mut frames)?;
                }
                None => self.skip_value()?,
            }
        }
        Some(())
    }

    /// Starts reading the value at the cursor for `node`: a container with
    /// parts looked for inside is entered (a frame pushed), anything else
    /// skipped.
    fn value(&mut self, wanted: &Trie, node: usize, frames: &mut Vec<Frame>) -> Option<()> {
        self.skip_spaces();
        match self.peek()? {
            open @ (b'{' | b'[') if wanted.is_wanted_inside(node) => {
                self.pos += 1;
                frames.push(Frame {
                    object: open == b'{',
                    node,
                    next_index: 0,
                });
                Some(())
            }
            _ => self.skip_value(),
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

    /// Skips the value at the cursor, however deeply it nests: brackets are
    /// counted, not recursed into.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_spaces();
        let mut depth = 0_usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => self.pos += 1,
                b' ' | b'\t' | b'\n' | b'\r' if depth > 0 => self.skip_spaces(),
                _ => {
                    // A number, true, false or null: up to the next delimiter.
                    let rest = &self.text.as_bytes()[self.pos..];
                    let length = rest
                        .iter()
                        .position(|byte| {
                            matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                        })
                        .unwrap_or(rest.len());
                    if length == 0 {
                        return None;
                    }
                    self.pos += length;
                }
            }
            if depth == 0 {
                return Some(());
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
    fn many_locations_are_found_in_one_pass() {
        let states = Location::root().field("States");
        let locations = [
            states.field("a").field("Choices").index(1).field("Next"),
            Location::root(),
            states.field("tricky \"name\""),
            states.field("a").field("Default"),
            states.field("a").field("Choices").index(0),
        ];
        let found: Vec<_> = locate_all(TEXT, &locations.iter().collect::<Vec<_>>())
            .into_iter()
            .map(|position| position.map(|at| (at.line, at.column)))
            .collect();
        assert_eq!(
            found,
            [
                Some((8, 53)),
                Some((1, 1)),
                Some((11, 5)),
                Some((4, 5)),
                Some((7, 9))
            ]
        );
        // Thousands of problems in a large text: one pass.
        let mut text = String::from("{\"States\": {");
        for index in 0..20_000 {
            text.push_str(&format!(
                "\"s{index}\": {{\"Type\": \"Pass\", \"Nope\": 1}},\n"
            ));
        }
        text.push_str("\"last\": {}}}");
        let locations: Vec<Location> = (0..20_000)
            .map(|index| {
                Location::root()
                    .field("States")
                    .field(format!("s{index}"))
                    .field("Nope")
            })
            .collect();
        let found = locate_all(&text, &locations.iter().collect::<Vec<_>>());
        assert_eq!(found[19_999].map(|at| at.line), Some(20_000));
    }

    #[test]
    fn text_deeper_than_any_stack_is_skipped_without_recursion() {
        let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
        assert_eq!(locate(&deep, &Location::root()).map(|at| at.line), Some(1));
        let text = format!("{{\"deep\": {deep}, \"a\": 1}}");
        assert_eq!(
            locate(&text, &Location::root().field("a")).map(|at| at.column),
            Some(2_000_012)
        );
    }

    #[test]
    fn text_that_is_not_json_has_no_positions() {
        assert_eq!(locate("{\"a\": ", &Location::root().field("a")), None);
        assert_eq!(locate("", &Location::root()), None);
    }
}
