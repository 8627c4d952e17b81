//! Stage 2: the rules across the access decision and the function: what a public handler may
//! waive, and which handler arguments a policy checks.

use proc_macro2::Span;

use super::parse::{Decision, Handler};
use crate::errors::Errors;

/// The most arguments a sync policy takes: `palisade::__private::PolicyFn` has an impl for
/// each count up to it.
const MAX_POLICY_ARGUMENTS: usize = 5;

/// A handler whose decision fits its function. Only `check` builds one.
pub struct Checked<'m, 'a> {
    pub handler: &'m Handler<'a>,
    pub decision: &'m Decision,
    /// The position among the handler's arguments of each argument the policy is given.
    pub policy_arguments: Vec<usize>,
    _sealed: (),
}

pub fn check<'m, 'a>(
    handler: &'m Handler<'a>,
    decision: Option<&'m Decision>,
    mut errors: Errors,
) -> syn::Result<Checked<'m, 'a>> {
    let mut policy_arguments = Vec::new();
    match decision {
        Some(Decision::Public { .. }) => {
            if let Some((span, _)) = handler.csrf_exempt
                && handler.write_input().is_none()
            {
                errors.at(
                    span,
                    "`#[csrf_exempt]` waives a CSRF check, and this public handler has none: only one that takes the `Session` or a `Valid<Form<T>>` body is checked (login CSRF); remove the attribute",
                );
            }
        }
        Some(Decision::Authenticated {
            policy: Some(policy),
            ..
        }) => {
            if !policy.awaited
                && let Some(sixth) = policy.arguments.get(MAX_POLICY_ARGUMENTS)
            {
                errors.at(
                    sixth.span(),
                    format!("a policy checks at most {MAX_POLICY_ARGUMENTS} arguments: give it the one that names the object, or take the rest into a `#[derive(Sanitized)]` struct"),
                );
            }
            for (index, argument) in policy.arguments.iter().enumerate() {
                let position = handler
                    .names
                    .iter()
                    .position(|name| name.is_some_and(|name| name == argument));
                if policy.arguments[..index].contains(argument) {
                    errors.at(
                        argument.span(),
                        format!("the policy is given `{argument}` twice"),
                    );
                } else if let Some(position) = position {
                    policy_arguments.push(position);
                } else {
                    errors.at(
                        argument.span(),
                        format!("the policy names no argument of the handler: there is no `{argument}` (name the argument whose object it checks, such as the note id)"),
                    );
                }
            }
        }
        Some(Decision::Authenticated { policy: None, .. }) | None => {}
    }
    errors.finish()?;
    // The attribute's parser reports why it has no decision.
    let decision = decision.ok_or_else(|| {
        syn::Error::new(Span::call_site(), "the access attribute could not be read")
    })?;
    Ok(Checked {
        handler,
        decision,
        policy_arguments,
        _sealed: (),
    })
}
