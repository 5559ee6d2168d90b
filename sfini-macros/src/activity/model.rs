//! An activity as the macro understands it, read from the function's
//! signature and the attribute's options.

use proc_macro2::Span;
use syn::{Attribute, Expr, Ident, ItemFn, Type};

use super::options::Seconds;

/// One `#[activity]` function.
pub struct Activity {
    /// The function, with sfini's parameter attributes removed.
    pub function: ItemFn,
    /// The name in Step Functions.
    pub name: String,
    /// Where the name was written (the `name` option, or the function's
    /// name).
    pub name_span: Span,
    /// The doc comment.
    pub description: String,
    pub heartbeat: Option<Seconds>,
    pub timeout: Option<Seconds>,
    /// The parameters, in signature order.
    pub parameters: Vec<Parameter>,
    pub output: Output,
}

impl Activity {
    /// The function's name.
    pub fn ident(&self) -> &Ident {
        &self.function.sig.ident
    }

    /// True for an `async fn`; a plain `fn` runs on blocking threads.
    pub fn is_async(&self) -> bool {
        self.function.sig.asyncness.is_some()
    }

    /// True when a parameter takes the whole input.
    pub fn takes_whole_input(&self) -> bool {
        self.parameters
            .iter()
            .any(|parameter| matches!(parameter.role, Role::WholeInput { .. }))
    }

    /// The parameters read by name from the input.
    pub fn named_arguments(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(|parameter| parameter.role.is_named_argument())
    }
}

/// A parameter of the function.
pub struct Parameter {
    /// Its name, which is also the input field it is read from.
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
}

impl Parameter {
    /// The input field's name (`r#type` reads `type`).
    pub fn field_name(&self) -> String {
        let name = self.ident.to_string();
        name.strip_prefix("r#").map(str::to_string).unwrap_or(name)
    }
}

/// How a parameter gets its value.
pub enum Role {
    /// Read from the input field of its name, which must be there.
    Required,
    /// An `Option<inner>`: `None` when the field is absent or `null`.
    Optional { inner: Type },
    /// Read from its field, or `default` when the field is absent.
    Defaulted { default: Expr },
    /// `#[input]`: the whole task input.
    WholeInput { attribute: Attribute },
    /// The `ActivityContext`, by value or by shared reference.
    Context { by_reference: bool },
}

impl Role {
    /// True for the parameters read by name from the input.
    pub fn is_named_argument(&self) -> bool {
        matches!(
            self,
            Role::Required | Role::Optional { .. } | Role::Defaulted { .. }
        )
    }

    /// False when the input may leave the field out.
    pub fn is_required(&self) -> bool {
        matches!(self, Role::Required)
    }
}

/// What the function returns.
pub enum Output {
    /// Any serialisable value (`()` when nothing is written).
    Value,
    /// `Result<T, E>`: `E` names the errors.
    Fallible { error: Box<Type> },
}
