//! Reading an `#[activity]` function into the [`Activity`] model: its
//! options, doc comment, parameters and return type. Problems with one
//! parameter or option at a time are found here; problems between them in
//! [`validate`](super::validate).

use syn::{
    Attribute, Expr, FnArg, GenericArgument, ItemFn, Meta, Pat, PathArguments, ReturnType, Type,
    TypePath,
};

use super::errors::Errors;
use super::model::{Activity, Output, Parameter, Role};
use super::options::Options;
use super::type_text::type_text;
use sfini_core::suggest::did_you_mean;

/// The attributes sfini reads on parameters.
const PARAMETER_ATTRIBUTES: [&str; 2] = ["input", "default"];

/// Reads `function`; every problem goes to `errors`. sfini's parameter
/// attributes are removed from the function it keeps.
pub fn read(mut function: ItemFn, options: Options, errors: &mut Errors) -> Activity {
    let signature = &function.sig;
    if let Some(unsafety) = &signature.unsafety {
        errors.at(
            unsafety.span,
            "an activity cannot be an `unsafe fn`: the runtime calls it with whatever input a task brings; wrap the unsafe code in a safe function",
        );
    }
    if !signature.generics.params.is_empty() {
        errors.spanning(
            &signature.generics,
            "an activity cannot be generic: the runtime reads its arguments and writes its output with types known when it is compiled; use concrete types",
        );
    } else if let Some(where_clause) = &signature.generics.where_clause {
        errors.spanning(
            where_clause,
            "an activity cannot have a `where` clause: use concrete types",
        );
    }
    if let Some(variadic) = &signature.variadic {
        errors.spanning(variadic, "an activity cannot be variadic");
    }

    let mut parameters = Vec::new();
    for argument in function.sig.inputs.iter_mut() {
        match argument {
            FnArg::Receiver(receiver) => errors.spanning(
                &*receiver,
                "an activity is a free function, not a method: no value of `Self` exists when a task runs; move the function out of the `impl` block",
            ),
            FnArg::Typed(typed) => {
                let attributes = take_parameter_attributes(&mut typed.attrs, errors);
                if let Some(parameter) = parameter(&typed.pat, &typed.ty, attributes, errors) {
                    parameters.push(parameter);
                }
            }
        }
    }

    let output = output(&function.sig.output, errors);
    let (name, name_span) = match &options.name {
        Some(name) => (name.value(), name.span()),
        None => {
            let ident = function.sig.ident.to_string();
            let name = ident
                .strip_prefix("r#")
                .map(str::to_string)
                .unwrap_or(ident);
            (name, function.sig.ident.span())
        }
    };
    Activity {
        description: description(&function.attrs),
        name,
        name_span,
        heartbeat: options.heartbeat,
        timeout: options.timeout,
        parameters,
        output,
        function,
    }
}

/// The doc comment's text: one leading space removed from each line, the
/// whole trimmed.
fn description(attributes: &[Attribute]) -> String {
    let lines: Vec<String> = attributes
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .filter_map(|attribute| match &attribute.meta {
            Meta::NameValue(name_value) => match &name_value.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .flat_map(|text| {
            text.split('\n')
                .map(|line| {
                    line.strip_prefix(' ')
                        .unwrap_or(line)
                        .trim_end()
                        .to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    lines.join("\n").trim().to_string()
}

/// sfini's attributes on one parameter.
#[derive(Default)]
struct ParameterAttributes {
    input: Option<Attribute>,
    default: Option<(Attribute, Expr)>,
}

/// Removes `#[input]` and `#[default]` from a parameter and reads them.
fn take_parameter_attributes(
    attributes: &mut Vec<Attribute>,
    errors: &mut Errors,
) -> ParameterAttributes {
    let mut found = ParameterAttributes::default();
    let mut kept = Vec::new();
    for attribute in attributes.drain(..) {
        let path = attribute.path();
        if path.is_ident("input") {
            if !matches!(attribute.meta, Meta::Path(_)) {
                errors.spanning(
                    &attribute.meta,
                    "`#[input]` takes no arguments: it gives the parameter the whole task input",
                );
            }
            if found.input.is_some() {
                errors.spanning(&attribute, "`#[input]` is given twice");
            }
            found.input = Some(attribute);
        } else if path.is_ident("default") {
            let default = match &attribute.meta {
                Meta::Path(_) => Some(syn::parse_quote!(::core::default::Default::default())),
                Meta::List(list) => match list.parse_args::<Expr>() {
                    Ok(expression) => Some(expression),
                    Err(error) => {
                        errors.push(syn::Error::new(
                            error.span(),
                            format!("{error}: write the default as an expression, `#[default(0)]`, or `#[default]` for the type's `Default`"),
                        ));
                        None
                    }
                },
                Meta::NameValue(name_value) => Some(name_value.value.clone()),
            };
            if found.default.is_some() {
                errors.spanning(&attribute, "`#[default]` is given twice");
            }
            if let Some(default) = default {
                found.default = Some((attribute, default));
            }
        } else {
            if let Some(ident) = path.get_ident() {
                let written = ident.to_string();
                let suggestion = did_you_mean(&written, PARAMETER_ATTRIBUTES);
                if !suggestion.is_empty() {
                    errors.spanning(
                        path,
                        format!("unknown parameter attribute `{written}`{suggestion}"),
                    );
                    continue;
                }
            }
            kept.push(attribute);
        }
    }
    *attributes = kept;
    found
}

/// Reads one typed parameter.
fn parameter(
    pattern: &Pat,
    ty: &Type,
    attributes: ParameterAttributes,
    errors: &mut Errors,
) -> Option<Parameter> {
    let ident = match pattern {
        Pat::Ident(pat_ident) if pat_ident.by_ref.is_none() && pat_ident.subpat.is_none() => {
            Some(pat_ident.ident.clone())
        }
        other => {
            errors.spanning(
                other,
                "an activity's parameter must be a plain name: the name says which field of the task input it is read from; destructure it inside the function",
            );
            None
        }
    };

    let role = if let Some(by_reference) = context_type(ty, errors) {
        if let Some(attribute) = &attributes.input {
            errors.spanning(
                attribute,
                "the context is not read from the task input: remove `#[input]`",
            );
        }
        if let Some((attribute, _)) = &attributes.default {
            errors.spanning(
                attribute,
                "the context is not read from the task input: remove `#[default]`",
            );
        }
        Role::Context { by_reference }
    } else {
        check_owned(ty, errors);
        let inner = option_inner(ty);
        match (attributes.input, attributes.default, inner) {
            (Some(input), default, _) => {
                if let Some((attribute, _)) = default {
                    errors.spanning(
                        attribute,
                        "`#[default]` does not go with `#[input]`: the whole input is always there; a default applies to an argument read by name",
                    );
                }
                Role::WholeInput { attribute: input }
            }
            (None, Some((attribute, _)), Some(_)) => {
                errors.spanning(
                    &attribute,
                    format!(
                        "an `Option` parameter needs no default: it is `None` when the input leaves it out; remove `#[default]`, or take `{}` instead",
                        option_inner(ty).map(type_text).unwrap_or_default()
                    ),
                );
                Role::Required
            }
            (None, Some((_, default)), None) => Role::Defaulted { default },
            (None, None, Some(inner)) => Role::Optional {
                inner: inner.clone(),
            },
            (None, None, None) => Role::Required,
        }
    };
    Some(Parameter {
        ident: ident?,
        ty: ty.clone(),
        role,
    })
}

/// `Some(false)` for `ActivityContext`, `Some(true)` for
/// `&ActivityContext`, `None` for other types.
fn context_type(ty: &Type, errors: &mut Errors) -> Option<bool> {
    match ty {
        Type::Path(path) if is_context_path(path) => Some(false),
        Type::Reference(reference) => match &*reference.elem {
            Type::Path(path) if is_context_path(path) => {
                if let Some(mutability) = &reference.mutability {
                    errors.at(
                        mutability.span,
                        "take the context as `ActivityContext` or `&ActivityContext`: it is shared, not borrowed mutably",
                    );
                }
                Some(true)
            }
            _ => None,
        },
        Type::Paren(paren) => context_type(&paren.elem, errors),
        Type::Group(group) => context_type(&group.elem, errors),
        _ => None,
    }
}

fn is_context_path(path: &TypePath) -> bool {
    path.qself.is_none()
        && path.path.segments.last().is_some_and(|segment| {
            segment.ident == "ActivityContext" && segment.arguments.is_none()
        })
}

/// Reports borrowed types and `impl Trait`: an argument is deserialised
/// from the input and owned by the function.
fn check_owned(ty: &Type, errors: &mut Errors) {
    match ty {
        Type::Reference(reference) => {
            let owned = match &*reference.elem {
                Type::Path(path) if path.path.is_ident("str") => "String".to_string(),
                Type::Slice(slice) => format!("Vec<{}>", type_text(&slice.elem)),
                Type::Path(path) if path.path.is_ident("Path") => "PathBuf".to_string(),
                other => type_text(other),
            };
            errors.spanning(
                ty,
                format!(
                    "an activity's argument cannot be borrowed: it is read from the task input and owned by the function; take `{owned}` instead of `{}`",
                    type_text(ty)
                ),
            );
        }
        Type::ImplTrait(_) => errors.spanning(
            ty,
            format!(
                "an activity's argument needs a concrete type to be read from the task input; name a type instead of `{}`",
                type_text(ty)
            ),
        ),
        Type::Path(path) => {
            for segment in &path.path.segments {
                if let PathArguments::AngleBracketed(arguments) = &segment.arguments {
                    for argument in &arguments.args {
                        if let GenericArgument::Type(inner) = argument {
                            check_owned(inner, errors);
                        }
                    }
                }
            }
        }
        Type::Tuple(tuple) => tuple.elems.iter().for_each(|elem| check_owned(elem, errors)),
        Type::Array(array) => check_owned(&array.elem, errors),
        Type::Slice(slice) => check_owned(&slice.elem, errors),
        Type::Paren(paren) => check_owned(&paren.elem, errors),
        Type::Group(group) => check_owned(&group.elem, errors),
        _ => {}
    }
}

/// `T` when `ty` is `Option<T>` (written with any path ending in
/// `Option`).
fn option_inner(ty: &Type) -> Option<&Type> {
    single_generic(ty, "Option")
}

fn single_generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    if path.qself.is_some() || segment.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    let mut types = arguments.args.iter().filter_map(|argument| match argument {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    match (types.next(), types.next()) {
        (Some(inner), None) => Some(inner),
        _ => None,
    }
}

/// Reads the return type: `Result<T, E>` (a path ending in `Result` with
/// two type arguments) is fallible; any other type is the output.
fn output(output: &ReturnType, errors: &mut Errors) -> Output {
    let ReturnType::Type(_, ty) = output else {
        return Output::Value;
    };
    let Type::Path(path) = &**ty else {
        return Output::Value;
    };
    let Some(segment) = path.path.segments.last() else {
        return Output::Value;
    };
    if segment.ident != "Result" || path.qself.is_some() {
        return Output::Value;
    }
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return Output::Value;
    };
    let types: Vec<&Type> = arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect();
    match types.as_slice() {
        [_, error] => Output::Fallible {
            error: Box::new((*error).clone()),
        },
        [_] => {
            errors.spanning(
                ty,
                format!(
                    "write the error type out, as in `Result<T, E>`: the activity names its errors after `E`, which `{}` does not show",
                    type_text(ty)
                ),
            );
            Output::Value
        }
        _ => Output::Value,
    }
}
