//! Reading text a character at a time: what the path and intrinsic
//! function parsers share.

/// A position in a text, moved forward as the text is read. A parser
/// implements the three accessors and gets the rest.
pub(crate) trait Cursor<'t> {
    /// The whole text.
    fn text(&self) -> &'t str;
    /// Byte offset of the next character.
    fn pos(&self) -> usize;
    /// Moves to a byte offset.
    fn set_pos(&mut self, pos: usize);

    /// The text not read yet.
    fn rest(&self) -> &'t str {
        &self.text()[self.pos()..]
    }

    /// The next character, if any.
    fn peek(&self) -> Option<char> {
        // The texts are mostly ASCII: read a byte, and decode only when it
        // starts a longer character.
        match self.text().as_bytes().get(self.pos()) {
            Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    /// The character after the next one, if any.
    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    /// Reads the next character.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.set_pos(self.pos() + c.len_utf8());
        Some(c)
    }

    /// Reads `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.set_pos(self.pos() + c.len_utf8());
        }
        found
    }

    /// Reads `s` if it comes next.
    fn eat_str(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.set_pos(self.pos() + s.len());
        }
        found
    }

    /// Reads any whitespace that comes next.
    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Reads the characters that `accept` accepts, and returns them.
    fn take_while(&mut self, accept: impl Fn(char) -> bool) -> &'t str {
        let start = self.pos();
        while self.peek().is_some_and(&accept) {
            self.bump();
        }
        &self.text()[start..self.pos()]
    }

    /// The character offset of a byte offset, for messages.
    fn char_offset(&self, pos: usize) -> usize {
        self.text()[..pos].chars().count()
    }
}
