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

/// Which of `params` the tokens of `ty` name outside `PhantomData<...>`: the parameters whose
/// values a field of this type holds (a marker parameter holds none).
pub fn holding(ty: &Type, params: &[Ident]) -> Vec<Ident> {
    fn walk(tokens: TokenStream, params: &[Ident], found: &mut Vec<Ident>) {
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match token {
                proc_macro2::TokenTree::Ident(ident) if ident == "PhantomData" => {
                    // Skip the angle-bracketed arguments (a `->` inside them closes nothing).
                    if matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '<')
                    {
                        let mut depth = 0usize;
                        let mut arrow = false;
                        for token in tokens.by_ref() {
                            if let proc_macro2::TokenTree::Punct(punct) = &token {
                                match punct.as_char() {
                                    '<' => depth += 1,
                                    '>' if !arrow => depth = depth.saturating_sub(1),
                                    _ => {}
                                }
                                arrow = punct.as_char() == '-'
                                    && punct.spacing() == proc_macro2::Spacing::Joint;
                            } else {
                                arrow = false;
                            }
                            if depth == 0 {
                                break;
                            }
                        }
                    }
                }
                proc_macro2::TokenTree::Ident(ident) => {
                    if params.contains(&ident) && !found.contains(&ident) {
                        found.push(ident);
                    }
                }
                proc_macro2::TokenTree::Group(group) => walk(group.stream(), params, found),
                proc_macro2::TokenTree::Punct(_) | proc_macro2::TokenTree::Literal(_) => {}
            }
        }
    }
    let mut found = Vec::new();
    walk(quote!(#ty), params, &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::holding;

    #[test]
    fn a_marker_parameter_holds_no_data() {
        let params: Vec<syn::Ident> = vec![syn::parse_quote!(T), syn::parse_quote!(U)];
        let names = |ty: syn::Type| -> Vec<String> {
            holding(&ty, &params)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            names(syn::parse_quote!(PhantomData<T>)),
            Vec::<String>::new()
        );
        assert_eq!(
            names(syn::parse_quote!(std::marker::PhantomData<fn() -> T>)),
            Vec::<String>::new()
        );
        assert_eq!(names(syn::parse_quote!((PhantomData<T>, U))), ["U"]);
        assert_eq!(names(syn::parse_quote!(Vec<Option<T>>)), ["T"]);
        assert_eq!(
            names(syn::parse_quote!((PhantomData<Vec<U>>, [T; 2]))),
            ["T"]
        );
    }
}
