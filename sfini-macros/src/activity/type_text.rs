//! A type as a person would write it, for messages and metadata.

use quote::ToTokens;
use syn::Type;

/// `Vec<String>` rather than the token printer's `Vec < String >`.
pub fn type_text(ty: &Type) -> String {
    let spaced = ty.to_token_stream().to_string();
    let mut text = String::with_capacity(spaced.len());
    let mut chars = spaced.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied().unwrap_or(' ');
            if matches!(next, '<' | '>' | ',' | ':' | ';' | ')' | ']')
                || matches!(previous, '<' | ':' | '&' | '(' | '[')
            {
                continue;
            }
        }
        text.push(c);
        previous = c;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        type_text(&syn::parse_str(source).unwrap())
    }

    #[test]
    fn reads_like_source() {
        assert_eq!(text("Vec<String>"), "Vec<String>");
        assert_eq!(text("Option<Vec<i64>>"), "Option<Vec<i64>>");
        assert_eq!(
            text("std::collections::HashMap<String, i64>"),
            "std::collections::HashMap<String, i64>"
        );
        assert_eq!(text("(i64, String)"), "(i64, String)");
        assert_eq!(text("[u8; 4]"), "[u8; 4]");
        assert_eq!(text("&'a str"), "&'a str");
        assert_eq!(text("&[u8]"), "&[u8]");
        assert_eq!(text("::serde_json::Value"), "::serde_json::Value");
    }
}
