//! The seal that palisade's guarantee traits require (DESIGN.md G11): every derive and
//! attribute that implements one writes its seal beside it, through these functions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `impl <seal> for <type>`: written by a palisade macro, with `doors` (an expression of type
/// `fn(&mut Vec<Door>)`) appending the doors inside the type.
pub fn derived(
    seal: &str,
    ident: &syn::Ident,
    generics: &syn::Generics,
    doors: &TokenStream,
) -> TokenStream {
    let mark = mark(seal);
    let seal = format_ident!("{seal}");
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::palisade::__private::#seal for #ident #ty_generics #where_clause {
            #[allow(deprecated)]
            const SEAL: ::palisade::__private::Seal<Self, ::palisade::__private::#mark> =
                ::palisade::__private::Seal::derived(#doors);
        }
    }
}

/// The marker of a seal trait, which the seal's type names: `SanitizedSeal` → `SanitizedMark`.
pub fn mark(seal: &str) -> syn::Ident {
    format_ident!("{}Mark", seal.trim_end_matches("Seal"))
}

/// The `doors` of a type that holds none.
pub fn no_doors() -> TokenStream {
    quote!(::palisade::__private::no_doors)
}
