//! Procedural macros of palisade. Use them through the `palisade` crate, which re-exports
//! them and documents them.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Derives `palisade::Sanitized`; documented on the `palisade` crate.
#[proc_macro_derive(Sanitized, attributes(clean, validate))]
pub fn derive_sanitized(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    sanitized::derive(&input).into()
}

mod errors;
mod sanitized;
mod serde_names;
