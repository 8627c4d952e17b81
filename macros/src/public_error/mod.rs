//! `#[derive(PublicError)]`: parse → check → expand (DESIGN.md G6).

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::Errors;

pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let model = parse::parse(input, &mut errors);
    check::check(&model, &mut errors);
    match errors.finish() {
        Ok(()) => expand::expand(&model),
        Err(error) => {
            let stub = expand::stub(&model);
            let error = error.into_compile_error();
            quote::quote! { #error #stub }
        }
    }
}
