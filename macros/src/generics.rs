//! Generic parameters in the impls the derives write.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Generics, Ident, Type};

/// The names of the type parameters of `generics`.
pub fn type_params(generics: &Generics) -> Vec<Ident> {
    generics
        .type_params()
        .map(|param| param.ident.clone())
        .collect()
}

/// Whether the tokens of `ty` name one of `params`.
pub fn mentions(ty: &Type, params: &[Ident]) -> bool {
    fn walk(tokens: TokenStream, params: &[Ident]) -> bool {
        tokens.into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => params.contains(&ident),
            proc_macro2::TokenTree::Group(group) => walk(group.stream(), params),
            _ => false,
        })
    }
    walk(quote!(#ty), params)
}
