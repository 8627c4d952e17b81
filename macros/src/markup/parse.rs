//! Stage 1: the string literal.

use proc_macro2::TokenStream;
use syn::LitStr;

pub fn parse(input: TokenStream) -> syn::Result<LitStr> {
    syn::parse2::<LitStr>(input).map_err(|error| {
        syn::Error::new(
            error.span(),
            "`markup!` takes one string literal of HTML: `markup!(\"<h1>\")`",
        )
    })
}
