//! `#[derive(PublicError)]`: parse → check → expand (DESIGN.md G6).

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors;

pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    errors::derive(
        input,
        parse::parse,
        |model, errors| check::check(model, errors).map(|checked| expand::expand(&checked)),
        expand::stub,
    )
}
