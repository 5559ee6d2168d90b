//! `States.Format` templates: text with `{}` placeholders.

/// A template split into literal text and placeholders.
///
/// A template written as a string literal is built by the parser, which
/// knows which braces were escaped (`\{`, `\}`) and so are text. A template
/// that comes from the data at run time has no escapes: each `{}` in it is a
/// placeholder and every other character is text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct FormatTemplate {
    pieces: Vec<Piece>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Placeholder,
}

impl FormatTemplate {
    /// Splits a run-time template at each `{}`.
    pub(super) fn from_data(text: &str) -> FormatTemplate {
        let mut template = FormatTemplate::default();
        for (position, part) in text.split("{}").enumerate() {
            if position > 0 {
                template.push_placeholder();
            }
            template.push_str(part);
        }
        template
    }

    /// Appends literal text.
    pub(super) fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Text(last)) => last.push_str(text),
            _ => self.pieces.push(Piece::Text(text.to_string())),
        }
    }

    /// Appends one literal character.
    pub(super) fn push_char(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Appends a placeholder.
    pub(super) fn push_placeholder(&mut self) {
        self.pieces.push(Piece::Placeholder);
    }

    /// How many placeholders the template has.
    pub(super) fn placeholders(&self) -> usize {
        self.pieces
            .iter()
            .filter(|piece| matches!(piece, Piece::Placeholder))
            .count()
    }

    /// Fills the placeholders in order. The caller has checked that there
    /// are as many values as placeholders; extra values are ignored and
    /// missing ones leave the placeholder empty.
    pub(super) fn render<S: AsRef<str>>(&self, values: impl IntoIterator<Item = S>) -> String {
        let mut values = values.into_iter();
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Placeholder => {
                    if let Some(value) = values.next() {
                        out.push_str(value.as_ref());
                    }
                }
            }
        }
        out
    }
}

/// The message for a template whose placeholders and values differ in number.
pub(super) fn count_mismatch(placeholders: usize, values: usize) -> String {
    let placeholders_noun = if placeholders == 1 {
        "placeholder"
    } else {
        "placeholders"
    };
    let (values_noun, verb) = if values == 1 {
        ("value", "follows")
    } else {
        ("values", "follow")
    };
    format!(
        "the template has {placeholders} {placeholders_noun} `{{}}` but {values} {values_noun} \
         {verb} it; each `{{}}` takes exactly one value"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_templates_split_at_each_pair_of_braces() {
        let template = FormatTemplate::from_data("{}-{}{} {x} }{");
        assert_eq!(template.placeholders(), 3);
        assert_eq!(template.render(["a", "b", "c"]), "a-bc {x} }{");
        assert_eq!(FormatTemplate::from_data("").render([""; 0]), "");
    }

    #[test]
    fn built_templates_keep_escaped_braces_as_text() {
        let mut template = FormatTemplate::default();
        template.push_str("a ");
        template.push_char('{');
        template.push_char('}');
        template.push_str(" ");
        template.push_placeholder();
        assert_eq!(template.placeholders(), 1);
        assert_eq!(template.render(["x"]), "a {} x");
    }
}
