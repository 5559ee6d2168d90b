//! The options of `#[activity(...)]`: `name`, `heartbeat`, `timeout`.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, LitStr, Meta, Token};

use super::errors::Errors;
use sfini_core::suggest::did_you_mean;

/// The options' names, in the order the documentation gives them.
const OPTIONS: [&str; 3] = ["name", "heartbeat", "timeout"];

/// The options as written.
#[derive(Default)]
pub struct Options {
    /// `name = "..."`: the activity's name in Step Functions.
    pub name: Option<LitStr>,
    /// `heartbeat = N`.
    pub heartbeat: Option<Seconds>,
    /// `timeout = N`.
    pub timeout: Option<Seconds>,
}

/// A number of seconds and where it was written.
#[derive(Clone, Copy)]
pub struct Seconds {
    pub value: u64,
    pub span: Span,
}

/// Reads the options; every problem goes to `errors`.
pub fn parse(args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(metas) => metas,
        Err(error) => {
            errors.push(syn::Error::new(
                error.span(),
                format!(
                    "{error}; write the options as `name = \"...\"`, `heartbeat = 30`, `timeout = 300`"
                ),
            ));
            return options;
        }
    };
    for meta in metas {
        let path = meta.path();
        let Some(option) = path.get_ident().map(ToString::to_string) else {
            errors.spanning(path, unknown_option(&quote::quote!(#path).to_string()));
            continue;
        };
        if !OPTIONS.contains(&option.as_str()) {
            errors.spanning(path, unknown_option(&option));
            continue;
        }
        let Meta::NameValue(name_value) = &meta else {
            errors.spanning(
                &meta,
                format!("`{option}` needs a value: write `{}`", example(&option)),
            );
            continue;
        };
        let value = &name_value.value;
        match option.as_str() {
            "name" => {
                if options.name.is_some() {
                    errors.spanning(path, "`name` is given twice");
                }
                match value {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(name),
                        ..
                    }) => options.name = Some(name.clone()),
                    other => errors.spanning(
                        other,
                        "the activity's name is a string literal, such as `name = \"addActivity\"`",
                    ),
                }
            }
            "heartbeat" | "timeout" => {
                let slot = if option == "heartbeat" {
                    &mut options.heartbeat
                } else {
                    &mut options.timeout
                };
                if slot.is_some() {
                    errors.spanning(path, format!("`{option}` is given twice"));
                }
                if let Some(seconds) = seconds(&option, value, errors) {
                    *slot = Some(seconds);
                }
            }
            _ => unreachable!("OPTIONS lists the options handled above"),
        }
    }
    options
}

fn unknown_option(option: &str) -> String {
    match did_you_mean(option, OPTIONS) {
        suggestion if suggestion.is_empty() => {
            format!("unknown option `{option}`: the options are `name`, `heartbeat` and `timeout`")
        }
        suggestion => format!("unknown option `{option}`{suggestion}"),
    }
}

fn example(option: &str) -> &'static str {
    match option {
        "name" => "name = \"addActivity\"",
        "heartbeat" => "heartbeat = 30",
        _ => "timeout = 300",
    }
}

/// A positive whole number of seconds, at most AWS's limit.
fn seconds(option: &str, value: &Expr, errors: &mut Errors) -> Option<Seconds> {
    let max = sfini_core::validate::MAX_SECONDS;
    let wrong = format!(
        "`{option}` is a positive whole number of seconds, such as `{}`",
        example(option)
    );
    let Expr::Lit(ExprLit {
        lit: Lit::Int(int), ..
    }) = value
    else {
        errors.spanning(value, wrong);
        return None;
    };
    match int.base10_parse::<u64>() {
        Ok(0) => {
            errors.at(int.span(), format!("`{option}` must be at least 1 second"));
            None
        }
        Ok(seconds) if seconds > max => {
            errors.at(
                int.span(),
                format!("`{option}` is at most {max} seconds; {seconds} is too long"),
            );
            None
        }
        Ok(seconds) => Some(Seconds {
            value: seconds,
            span: value.span(),
        }),
        Err(_) => {
            errors.at(
                int.span(),
                format!("`{option}` is at most {max} seconds; {int} is too long"),
            );
            None
        }
    }
}
