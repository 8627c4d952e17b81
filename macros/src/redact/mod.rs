//! `#[derive(Redact)]`: one `#[redact]` mark per field drives `Debug`, `Serialize` and, where
//! asked, `Display` (DESIGN.md G4, G5): parse → check → expand.

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
