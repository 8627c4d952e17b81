//! `#[public(reason = "...")]` and `#[requires_auth(...)]`: an `async fn` handler
//! becomes a unit struct that implements axum's `Handler` and palisade's access-decision
//! marker, with its arguments and return type checked (DESIGN.md G1, G2, G6): parse → check →
//! expand.

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::{Errors, expansion_or_stub};

/// `#[public(reason = "...")]` on an `async fn`.
pub fn public(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let decision = parse::public(attr, &mut errors);
    handler(decision.as_ref(), item, errors)
}

/// `#[requires_auth(Principal, rule)]` on an `async fn`.
pub fn requires_auth(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let decision = parse::requires_auth(attr, &mut errors);
    handler(decision.as_ref(), item, errors)
}

/// The function under its access decision, or every error beside a stand-in.
fn handler(
    decision: Option<&parse::Decision>,
    item: TokenStream,
    mut errors: Errors,
) -> TokenStream {
    let function = match syn::parse2::<syn::ItemFn>(item) {
        Ok(function) => function,
        Err(error) => return error.into_compile_error(),
    };
    let handler = parse::handler(&function, &mut errors);
    let checked = check::check(&handler, decision, errors);
    expansion_or_stub(checked.map(|checked| expand::expand(&checked)), || {
        expand::stub(&function)
    })
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
