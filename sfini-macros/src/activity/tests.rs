//! The model and metadata read from function signatures.

use quote::quote;
use serde_json::{Value, json};

use super::errors::Errors;
use super::model::{Output, Role};
use super::{meta, options, signature, validate};

/// Reads `#[activity(args)] function` into its metadata, or the messages
/// of its problems.
fn read(
    args: proc_macro2::TokenStream,
    function: proc_macro2::TokenStream,
) -> Result<Value, Vec<String>> {
    let mut errors = Errors::default();
    let options = options::parse(args, &mut errors);
    let activity = signature::read(syn::parse2(function).unwrap(), options, &mut errors);
    validate::validate(&activity, &mut errors);
    if errors.is_empty() {
        Ok(serde_json::from_str(&meta::metadata(&activity, "test#id")).unwrap())
    } else {
        let tokens = errors.into_compile_errors().to_string();
        Err(tokens
            .split("compile_error !")
            .skip(1)
            .map(|call| {
                call.trim()
                    .trim_start_matches('{')
                    .trim_end_matches([';', '}', ' '])
                    .trim()
                    .to_string()
            })
            .collect())
    }
}

#[test]
fn metadata_follows_the_signature() {
    let meta = read(
        quote!(name = "charge-card", heartbeat = 5, timeout = 60),
        quote! {
            /// Charges a card.
            ///
            ///   Indented line kept.
            async fn charge(
                r#type: String,
                cents: Option<u64>,
                #[default(3)] retries: u8,
                context: &sfini::ActivityContext,
            ) -> std::result::Result<Receipt, payments::Error<Vec<u8>>> {
                todo!()
            }
        },
    )
    .unwrap();
    assert_eq!(
        meta,
        json!({
            "name": "charge-card",
            "id": "test#id",
            "arguments": [
                {"name": "type", "required": true, "type": "String", "kind": "string"},
                {"name": "cents", "required": false, "type": "Option<u64>", "kind": "integer"},
                {"name": "retries", "required": false, "type": "u8", "kind": "integer"},
            ],
            "takes_whole_input": false,
            "heartbeat_seconds": 5,
            "timeout_seconds": 60,
            "description": "Charges a card.\n\n  Indented line kept.",
            "fallible": true,
            "error_type": "payments::Error<Vec<u8>>",
        })
    );
}

#[test]
fn whole_input_and_no_output() {
    let meta = read(
        quote!(),
        quote!(
            fn store(#[input] order: Order) {}
        ),
    )
    .unwrap();
    assert_eq!(meta["name"], "store");
    assert_eq!(meta["takes_whole_input"], true);
    assert_eq!(meta["arguments"], json!([]));
    assert_eq!(meta["fallible"], false);
    assert_eq!(meta["error_type"], Value::Null);
    assert_eq!(meta["description"], "");
}

#[test]
fn parameter_attributes_are_removed_and_roles_read() {
    let mut errors = Errors::default();
    let activity = signature::read(
        syn::parse_quote!(
            async fn f(#[default] a: u8, #[input] b: Value, c: Option<u8>, d: ActivityContext) {}
        ),
        options::Options::default(),
        &mut errors,
    );
    let function = &activity.function;
    assert!(
        !quote!(#function).to_string().contains('#'),
        "{}",
        quote!(#function)
    );
    let roles: Vec<&str> = activity
        .parameters
        .iter()
        .map(|parameter| match parameter.role {
            Role::Required => "required",
            Role::Optional { .. } => "optional",
            Role::Defaulted { .. } => "defaulted",
            Role::WholeInput { .. } => "whole input",
            Role::Context { .. } => "context",
        })
        .collect();
    assert_eq!(roles, ["defaulted", "whole input", "optional", "context"]);
    assert!(matches!(activity.output, Output::Value));
    // `a` and `c` cannot be read by name beside `#[input] b`.
    validate::validate(&activity, &mut errors);
    assert!(!errors.is_empty());
}

#[test]
fn every_problem_is_reported() {
    let problems = read(
        quote!(name = "a b", heartbeat = 10, timeout = 5, retry = 2),
        quote!(
            async fn f<T>(x: &str, (y, z): (u8, u8)) -> io::Result<T> {}
        ),
    )
    .unwrap_err();
    assert_eq!(problems.len(), 7, "{problems:#?}");
    for expected in [
        "unknown option `retry`",
        "cannot be generic",
        "take `String` instead of `&str`",
        "must be a plain name",
        "write the error type out",
        "cannot contain white space",
        "heartbeat interval (10 s) must be shorter than the timeout (5 s)",
    ] {
        assert!(
            problems.iter().any(|problem| problem.contains(expected)),
            "no problem says {expected:?}: {problems:#?}"
        );
    }
}
