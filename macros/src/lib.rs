//! Procedural macros of palisade. Use them through the `palisade` crate, which re-exports
//! them and documents them.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Derives `palisade::Sanitized`; documented on the `palisade` crate.
#[proc_macro_derive(Sanitized, attributes(clean, validate, redact))]
pub fn derive_sanitized(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    sanitized::derive(&input).into()
}

/// Derives `palisade::Redact`; documented on the `palisade` crate.
#[proc_macro_derive(Redact, attributes(redact))]
pub fn derive_redact(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    redact::derive(&input).into()
}

/// Derives `palisade::PublicError`; documented on the `palisade` crate.
#[proc_macro_derive(PublicError, attributes(problem, from, source, redact))]
pub fn derive_public_error(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    public_error::derive(&input).into()
}

/// Checks a Content-Security-Policy when the code compiles; documented on the `palisade` crate.
#[proc_macro]
pub fn csp(input: TokenStream) -> TokenStream {
    csp::csp(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A piece of an HTML page, checked when the code compiles; documented on the `palisade`
/// crate.
#[proc_macro]
pub fn markup(input: TokenStream) -> TokenStream {
    markup::markup(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Marks a handler callable by anyone, with the reason; documented on the `palisade` crate.
#[proc_macro_attribute]
pub fn public(attr: TokenStream, item: TokenStream) -> TokenStream {
    handler::public(attr.into(), item.into()).into()
}

/// Marks a handler callable by authenticated principals that meet a rule; documented on the
/// `palisade` crate.
#[proc_macro_attribute]
pub fn requires_auth(attr: TokenStream, item: TokenStream) -> TokenStream {
    handler::requires_auth(attr.into(), item.into()).into()
}

/// Waives the CSRF check of a session-authenticated `#[requires_auth]` handler, with a reason;
/// documented on the `palisade` crate.
#[proc_macro_attribute]
pub fn csrf_exempt(attr: TokenStream, item: TokenStream) -> TokenStream {
    handler::csrf_exempt(&attr.into(), item.into()).into()
}

/// Opens the one reasoned door through the seal of the guarantee traits; documented on the
/// `palisade` crate.
#[proc_macro_attribute]
pub fn trusted(attr: TokenStream, item: TokenStream) -> TokenStream {
    trusted::trusted(attr.into(), &item.into()).into()
}

mod attr;
mod csp;
mod errors;
mod generics;
mod handler;
mod markup;
mod public_error;
mod redact;
mod sanitized;
mod seal;
mod trusted;
