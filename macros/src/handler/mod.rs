//! `#[public(reason = "...")]` and `#[requires_auth(...)]`: an `async fn` handler
//! becomes a unit struct that implements axum's `Handler` and palisade's access-decision
//! marker, with its arguments and return type checked (DESIGN.md G1, G2, G6).

mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// `#[public(reason = "...")]` on an `async fn`.
pub fn public(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let reason = parse::public_reason(attr, &mut errors);
    let function = match syn::parse2::<syn::ItemFn>(item) {
        Ok(function) => function,
        Err(error) => return error.into_compile_error(),
    };
    let handler = parse::handler(&function, &mut errors);
    match errors.finish() {
        Ok(()) => expand::expand(
            &handler,
            &parse::Decision::Public {
                reason: reason.unwrap_or_default(),
            },
        ),
        Err(error) => {
            let error = error.into_compile_error();
            let stub = expand::stub(&function);
            quote::quote! { #error #stub }
        }
    }
}

/// `#[requires_auth(Principal, rule)]` on an `async fn`.
pub fn requires_auth(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let decision = parse::requires_auth(attr, &mut errors);
    let function = match syn::parse2::<syn::ItemFn>(item) {
        Ok(function) => function,
        Err(error) => return error.into_compile_error(),
    };
    let handler = parse::handler(&function, &mut errors);
    if let Some(parse::Decision::Authenticated {
        policy: Some(policy),
        ..
    }) = &decision
    {
        for (index, argument) in policy.arguments.iter().enumerate() {
            if policy.arguments[..index].contains(argument) {
                errors.at(
                    argument.span(),
                    format!("the policy is given `{argument}` twice"),
                );
            } else if !handler
                .names
                .iter()
                .any(|name| name.is_some_and(|name| name == argument))
            {
                errors.at(
                    argument.span(),
                    format!("the policy names no argument of the handler: there is no `{argument}` (name the argument whose object it checks, such as the note id)"),
                );
            }
        }
    }
    match (errors.finish(), decision) {
        (Ok(()), Some(decision)) => expand::expand(&handler, &decision),
        (Err(error), _) => {
            let error = error.into_compile_error();
            let stub = expand::stub(&function);
            quote::quote! { #error #stub }
        }
        (Ok(()), None) => expand::stub(&function),
    }
}
