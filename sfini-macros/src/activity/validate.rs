//! Checks between the parts of an activity: its name, its heartbeat
//! against its timeout, and how its parameters share the task input.

use super::errors::Errors;
use super::model::{Activity, Role};

/// Reports every problem of `activity` that no single part shows.
pub fn validate(activity: &Activity, errors: &mut Errors) {
    if let Err(problem) = sfini_core::resource_name::check_resource_name("activity", &activity.name)
    {
        errors.at(activity.name_span, problem);
    }
    if let (Some(heartbeat), Some(timeout)) = (activity.heartbeat, activity.timeout)
        && heartbeat.value >= timeout.value
    {
        errors.at(
            heartbeat.span,
            format!(
                "the heartbeat interval ({} s) must be shorter than the timeout ({} s), as Step Functions requires; lower `heartbeat` or raise `timeout`",
                heartbeat.value, timeout.value
            ),
        );
    }

    let mut whole_input = None;
    let mut context = None;
    for parameter in &activity.parameters {
        match &parameter.role {
            Role::WholeInput { attribute } => match whole_input {
                None => whole_input = Some(&parameter.ident),
                Some(first) => errors.spanning(
                    attribute,
                    format!(
                        "only one parameter can take the whole input, and `{first}` already does"
                    ),
                ),
            },
            Role::Context { .. } => match context {
                None => context = Some(&parameter.ident),
                Some(first) => errors.spanning(
                    &parameter.ty,
                    format!(
                        "the context is already given to `{first}`; one context parameter is enough"
                    ),
                ),
            },
            _ => {}
        }
    }
    if let Some(whole_input) = whole_input {
        for parameter in activity.named_arguments() {
            errors.at(
                parameter.ident.span(),
                format!(
                    "`{}` cannot be read by name: `{whole_input}` takes the whole input (`#[input]`); read the field through `{whole_input}`'s type, or remove `#[input]`",
                    parameter.field_name()
                ),
            );
        }
    }
}
