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
    if let Some((span, _)) = handler.csrf_exempt {
        errors.at(
            span,
            "`#[csrf_exempt]` is for `#[requires_auth]` handlers: a public handler authenticates no session, so no CSRF check is there to waive",
        );
    }
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

/// `#[csrf_exempt(reason = "...")]` written above the access attribute: the function again with
/// the access attribute first, which reads and checks this one.
pub fn csrf_exempt(attr: &TokenStream, item: TokenStream) -> TokenStream {
    let mut function = match syn::parse2::<syn::ItemFn>(item) {
        Ok(function) => function,
        Err(error) => return error.into_compile_error(),
    };
    let (mut access, others): (Vec<_>, Vec<_>) = function.attrs.drain(..).partition(|attr| {
        parse::is_attribute(attr, "requires_auth") || parse::is_attribute(attr, "public")
    });
    if access.is_empty() {
        let error = syn::Error::new(
            proc_macro2::Span::call_site(),
            "`#[csrf_exempt]` goes with `#[requires_auth(...)]`: it waives the CSRF check of a session-authenticated handler",
        )
        .into_compile_error();
        function.attrs = others;
        return quote::quote! { #error #function };
    }
    access.push(syn::parse_quote!(#[csrf_exempt(#attr)]));
    access.extend(others);
    function.attrs = access;
    quote::quote! { #function }
}
