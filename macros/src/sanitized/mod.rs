//! `#[derive(Sanitized)]`: parse → check → expand.

mod check;
mod expand;
mod kind;
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
