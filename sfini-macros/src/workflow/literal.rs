//! JSON written as Rust tokens: the values of a workflow's fields and its
//! payload templates.
//!
//! `{ "a.$": "$.x", count: 3, list: [1, -2.5, true, null] }` — keys are
//! strings or identifiers; `None` is `null`; a bare identifier that is not a
//! keyword (`next: increment`, `jitter: full`) is kept as a word for the
//! field to interpret. `$name.field[0]`, unquoted, is a reference to a
//! workflow variable (or to `$states`): a JSONata expression in a JSONata
//! state, a path in a JSONPath one.

use proc_macro2::Span;
use serde_json::{Map, Number, Value};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Lit, Token, braced, bracketed};

/// A piece of text with the span it came from.
#[derive(Clone)]
pub struct Text {
    pub text: String,
    pub span: Span,
}

/// A JSON value as written in the macro, with spans.
#[derive(Clone)]
pub enum Literal {
    Null(Span),
    Bool(bool, Span),
    Number(Number, Span),
    String(String, Span),
    /// A bare identifier such as a state name or `full`.
    Word(Ident),
    Array(Vec<Literal>, Span),
    Object(Vec<(Text, Literal)>, Span),
    /// `$name.field[0]` written unquoted: a reference to a variable or to
    /// `$states`, kept as its text (`$name.field[0]`), with where it starts
    /// and where it ends.
    Reference(String, Span, Span),
}

impl Literal {
    /// Where the value was written.
    pub fn span(&self) -> Span {
        match self {
            Literal::Null(span)
            | Literal::Bool(_, span)
            | Literal::Number(_, span)
            | Literal::String(_, span)
            | Literal::Array(_, span)
            | Literal::Object(_, span)
            | Literal::Reference(_, span, _) => *span,
            Literal::Word(ident) => ident.span(),
        }
    }

    /// Where the value ends: the last token of a reference, else its span.
    pub fn end(&self) -> Span {
        match self {
            Literal::Reference(_, _, end) => *end,
            other => other.span(),
        }
    }

    /// An error covering the whole value, from its first token to its last.
    pub fn error(&self, message: impl std::fmt::Display) -> syn::Error {
        spanning(self.span(), self.end(), message)
    }

    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::Null(_) => "null",
            Literal::Bool(..) => "a boolean",
            Literal::Number(..) => "a number",
            Literal::String(..) => "a string",
            Literal::Word(_) => "a name",
            Literal::Array(..) => "an array",
            Literal::Object(..) => "an object",
            Literal::Reference(..) => "a reference",
        }
    }

    /// The JSON value; a word becomes a string, a reference the JSONata
    /// expression `{% $name.field %}`.
    pub fn to_json(&self) -> Value {
        match self {
            Literal::Reference(text, ..) => Value::String(format!("{{% {text} %}}")),
            Literal::Null(_) => Value::Null,
            Literal::Bool(value, _) => Value::Bool(*value),
            Literal::Number(number, _) => Value::Number(number.clone()),
            Literal::String(text, _) => Value::String(text.clone()),
            Literal::Word(ident) => Value::String(ident.unraw().to_string()),
            Literal::Array(items, _) => Value::Array(items.iter().map(Literal::to_json).collect()),
            Literal::Object(fields, _) => {
                let mut map = Map::new();
                for (key, value) in fields {
                    map.insert(key.text.clone(), value.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

impl Parse for Literal {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(syn::token::Brace) {
            let content;
            let brace = braced!(content in input);
            let mut fields: Vec<(Text, Literal)> = Vec::new();
            while !content.is_empty() {
                let key = if content.peek(syn::LitStr) {
                    let text: syn::LitStr = content.parse()?;
                    Text {
                        text: text.value(),
                        span: text.span(),
                    }
                } else if content.peek(Ident::peek_any) {
                    let ident = content.call(Ident::parse_any)?;
                    Text {
                        text: ident.unraw().to_string(),
                        span: ident.span(),
                    }
                } else {
                    return Err(content.error("expected a key: a string or an identifier"));
                };
                if fields.iter().any(|(seen, _)| seen.text == key.text) {
                    return Err(syn::Error::new(
                        key.span,
                        format!("the key `{}` is given twice", key.text),
                    ));
                }
                content
                    .parse::<Token![:]>()
                    .map_err(|error| syn::Error::new(error.span(), "expected `:` after the key"))?;
                let value = content.parse()?;
                fields.push((key, value));
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
            }
            return Ok(Literal::Object(fields, brace.span.join()));
        }
        if input.peek(syn::token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            let mut items = Vec::new();
            while !content.is_empty() {
                items.push(content.parse()?);
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
            }
            return Ok(Literal::Array(items, bracket.span.join()));
        }
        if input.peek(Token![$]) {
            return parse_reference(input);
        }
        if input.peek(Token![-]) {
            let minus = input.parse::<Token![-]>()?;
            let lit: Lit = input.parse()?;
            return match number(&lit, true) {
                Some(number) => Ok(Literal::Number(number, minus.span)),
                None => Err(syn::Error::new(lit.span(), "expected a number after `-`")),
            };
        }
        if input.peek(Lit) {
            let lit: Lit = input.parse()?;
            return match &lit {
                Lit::Str(text) => Ok(Literal::String(text.value(), text.span())),
                Lit::Bool(value) => Ok(Literal::Bool(value.value, value.span)),
                Lit::Int(_) | Lit::Float(_) => number(&lit, false)
                    .map(|number| Literal::Number(number, lit.span()))
                    .ok_or_else(|| {
                        syn::Error::new(lit.span(), "this number cannot be written in JSON")
                    }),
                _ => Err(syn::Error::new(
                    lit.span(),
                    "expected a JSON value: a string, number, boolean, null, array or object",
                )),
            };
        }
        if input.peek(Ident::peek_any) {
            let ident = input.call(Ident::parse_any)?;
            return Ok(match ident.to_string().as_str() {
                "null" | "None" => Literal::Null(ident.span()),
                "true" => Literal::Bool(true, ident.span()),
                "false" => Literal::Bool(false, ident.span()),
                _ => Literal::Word(ident),
            });
        }
        Err(input.error("expected a value: a string, number, boolean, null, array or object"))
    }
}

/// `$name` followed by `.field` and `[index]` steps, written unquoted.
fn parse_reference(input: ParseStream) -> syn::Result<Literal> {
    let dollar = input.parse::<Token![$]>()?;
    let name = input.call(Ident::parse_any).map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected a variable's name after `$`, as in `$total` or `$states.input.id`",
        )
    })?;
    let mut text = format!("${}", name.unraw());
    let start = dollar.span;
    let mut end = name.span();
    loop {
        if input.peek(Token![.]) && !input.peek(Token![..]) {
            let dot = input.parse::<Token![.]>()?;
            let field = input
                .call(Ident::parse_any)
                .map_err(|_| syn::Error::new(dot.span, "expected a field's name after `.`"))?;
            text.push('.');
            text.push_str(&field.unraw().to_string());
            end = field.span();
        } else if input.peek(syn::token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            let negative = content.peek(Token![-]);
            if negative {
                content.parse::<Token![-]>()?;
            }
            let index: syn::LitInt = content.parse().map_err(|error| {
                syn::Error::new(error.span(), "expected an index such as `[0]` or `[-1]`")
            })?;
            if !content.is_empty() || !index.suffix().is_empty() {
                return Err(syn::Error::new(
                    bracket.span.join(),
                    "a reference takes indexes such as `[0]` or `[-1]`; write any other \
                     expression as a string, `\"{% ... %}\"`",
                ));
            }
            text.push_str(&format!(
                "[{}{}]",
                if negative { "-" } else { "" },
                index.base10_digits()
            ));
            end = bracket.span.close();
        } else {
            break;
        }
    }
    Ok(Literal::Reference(text, start, end))
}

/// An error from `start` to `end`, which the compiler underlines whole
/// (`Span::join` is not stable, but an error spanning tokens is).
pub fn spanning(start: Span, end: Span, message: impl std::fmt::Display) -> syn::Error {
    use proc_macro2::{Ident, TokenStream, TokenTree};
    let tokens: TokenStream = [
        TokenTree::Ident(Ident::new("from", start)),
        TokenTree::Ident(Ident::new("to", end)),
    ]
    .into_iter()
    .collect();
    syn::Error::new_spanned(tokens, message)
}

/// The JSON number of an integer or float literal, without a type suffix.
fn number(lit: &Lit, negative: bool) -> Option<Number> {
    let sign = if negative { "-" } else { "" };
    match lit {
        Lit::Int(int) if int.suffix().is_empty() => {
            let digits = int.base10_digits();
            if negative {
                format!("-{digits}").parse::<i64>().ok().map(Number::from)
            } else {
                digits.parse::<u64>().ok().map(Number::from)
            }
        }
        Lit::Float(float) if float.suffix().is_empty() => {
            let value: f64 = format!("{sign}{}", float.base10_digits()).parse().ok()?;
            Number::from_f64(value)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Value {
        syn::parse_str::<Literal>(text).unwrap().to_json()
    }

    #[test]
    fn reads_json_written_as_tokens() {
        assert_eq!(
            parse(r#"{ "a.$": "$.x", count: 3, neg: -2.5, list: [true, null, None], word: full }"#),
            json!({"a.$": "$.x", "count": 3, "neg": -2.5, "list": [true, null, null], "word": "full"})
        );
    }

    #[test]
    fn reads_references_as_expressions() {
        assert_eq!(
            parse("{ total: $order.lines[0].price, input: $states.input, last: $items[-1] }"),
            json!({
                "total": "{% $order.lines[0].price %}",
                "input": "{% $states.input %}",
                "last": "{% $items[-1] %}"
            })
        );
    }

    #[test]
    fn rejects_a_reference_without_a_name() {
        let error = syn::parse_str::<Literal>("$ 3").err().unwrap();
        assert!(
            error
                .to_string()
                .starts_with("expected a variable's name after `$`")
        );
    }

    #[test]
    fn rejects_a_repeated_key() {
        let error = syn::parse_str::<Literal>("{ a: 1, a: 2 }").err().unwrap();
        assert_eq!(error.to_string(), "the key `a` is given twice");
    }

    #[test]
    fn rejects_suffixed_numbers() {
        let error = syn::parse_str::<Literal>("3u8").err().unwrap();
        assert_eq!(error.to_string(), "this number cannot be written in JSON");
    }
}
