//! Stage 3: the checked model → `PublicError`, `Display`, `Error`, `From`, `IntoResponse` and
//! `SafeResponse` impls. Cannot fail.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::check::{Checked, CheckedVariant};
use super::parse::{Input, Level, Style, Variant};
use crate::attr::template::{self, Piece};

#[allow(clippy::too_many_lines)] // one `match` per trait method, side by side
pub fn expand(checked: &Checked<'_, '_>) -> TokenStream {
    let input = checked.input;
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let arms = |f: &dyn Fn(&CheckedVariant<'_, '_>) -> TokenStream| {
        let arms = checked.variants.iter().map(|checked| {
            let pattern = pattern(checked.variant);
            let body = f(checked);
            quote! { #pattern => #body, }
        });
        if input.variants.is_empty() {
            quote! { match *self {} }
        } else {
            quote! { match self { #(#arms)* } }
        }
    };
    let status = arms(&|CheckedVariant { variant, .. }| {
        let status = variant.status.unwrap_or(500);
        quote!(#status)
    });
    let code = arms(&|CheckedVariant { variant, .. }| {
        let code = &variant.code;
        quote_spanned!(variant.code_span=> #code)
    });
    let message = arms(&public_message);
    let level = arms(&|CheckedVariant { variant, .. }| {
        let level = match variant.level {
            Level::Error => quote!(Error),
            Level::Warn => quote!(Warn),
            Level::Info => quote!(Info),
            Level::Debug => quote!(Debug),
            Level::Trace => quote!(Trace),
        };
        quote!(::palisade::__private::Level::#level)
    });
    let display = arms(&|CheckedVariant { variant, .. }| match variant.status {
        Some(status) if status < 500 => {
            quote! { __palisade_f.write_str(&::palisade::__private::PublicError::public_message(self)) }
        }
        _ => {
            let code = &variant.code;
            quote! { __palisade_f.write_str(#code) }
        }
    });
    let source = arms(&|CheckedVariant { variant, .. }| {
        let source = variant
            .fields
            .iter()
            .enumerate()
            .find(|(_, field)| field.source);
        match source {
            // A redacted source is logged through the variant's masked `Debug` only: its own
            // text never joins the chain.
            Some((_, field)) if field.redaction.needs_derive().is_some() => {
                quote!(::core::option::Option::None)
            }
            Some((index, _)) => {
                let binding = binding(index);
                quote! {
                    ::core::option::Option::Some(#binding.as_dyn_error())
                }
            }
            None => quote!(::core::option::Option::None),
        }
    });
    let froms = from_impls(input);
    let assertions = &checked.secrets;
    let redact = input.needs_redact.map(|span| {
        let span = Span::call_site().located_at(span);
        quote_spanned! {span=> ::palisade::__private::assert_redact::<Self>(); }
    });
    let common = common(input);
    quote! {
        #common

        #[automatically_derived]
        impl #impl_generics ::palisade::__private::PublicError for #ident #ty_generics #where_clause {
            fn status(&self) -> u16 {
                #(#assertions)*
                #redact
                #[allow(unused_variables)]
                #status
            }
            fn code(&self) -> &'static str {
                #[allow(unused_variables)]
                #code
            }
            fn public_message(&self) -> ::std::borrow::Cow<'static, str> {
                #[allow(unused_variables)]
                #message
            }
            fn level(&self) -> ::palisade::__private::Level {
                #[allow(unused_variables)]
                #level
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            fn fmt(&self, __palisade_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unused_variables)]
                #display
            }
        }

        #[automatically_derived]
        impl #impl_generics ::std::error::Error for #ident #ty_generics #where_clause {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                // Method syntax, so that a source behind a pointer (`anyhow::Error`) derefs.
                use ::palisade::__private::AsDynError as _;
                #[allow(unused_variables)]
                #source
            }
        }

        #froms
    }
}

/// `From<Source>` for each variant with a `#[from]` field.
fn from_impls(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let impls = input.variants.iter().filter_map(|variant| {
        let field = variant.fields.iter().find(|field| field.from)?;
        let ty = field.ty;
        let variant_ident = variant.ident;
        let member = &field.member;
        Some(quote! {
            #[automatically_derived]
            impl #impl_generics ::core::convert::From<#ty> for #ident #ty_generics #where_clause {
                fn from(source: #ty) -> Self {
                    Self::#variant_ident { #member: source }
                }
            }
        })
    });
    quote! { #(#impls)* }
}

/// The impls that stand whether or not the input is valid: answering and the safe-response
/// bound, so that handlers using the type add no follow-on errors.
fn common(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let no_doors = crate::seal::no_doors();
    let error_seal = crate::seal::derived("PublicErrorSeal", ident, input.generics, &no_doors);
    let response_seal = crate::seal::derived("SafeResponseSeal", ident, input.generics, &no_doors);
    quote! {
        #error_seal
        #response_seal

        #[automatically_derived]
        impl #impl_generics ::palisade::__private::axum::response::IntoResponse for #ident #ty_generics #where_clause {
            fn into_response(self) -> ::palisade::__private::axum::response::Response {
                ::palisade::__private::respond(&self)
            }
        }

        #[automatically_derived]
        impl #impl_generics ::palisade::__private::SafeResponse for #ident #ty_generics #where_clause {}
    }
}

/// The stand-in when the input is invalid: every trait the valid expansion implements, with
/// bodies that say nothing.
pub fn stub(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let common = common(input);
    quote! {
        #common

        impl #impl_generics ::palisade::__private::PublicError for #ident #ty_generics #where_clause {
            fn status(&self) -> u16 { 500 }
            fn code(&self) -> &'static str { "internal_error" }
            fn public_message(&self) -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::palisade::__private::SERVER_ERROR_DETAIL)
            }
            fn level(&self) -> ::palisade::__private::Level { ::palisade::__private::Level::Error }
        }

        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str("internal_error")
            }
        }

        impl #impl_generics ::std::error::Error for #ident #ty_generics #where_clause {}
    }
}

fn binding(index: usize) -> Ident {
    format_ident!("__palisade_{}", index)
}

/// `Self::Variant { a: __palisade_0, .. }`: binds every field by reference.
fn pattern(variant: &Variant<'_>) -> TokenStream {
    let ident = variant.ident;
    match variant.style {
        Style::Unit => quote!(Self::#ident),
        Style::Named | Style::Tuple => {
            let fields = variant.fields.iter().enumerate().map(|(index, field)| {
                let member = &field.member;
                let binding = binding(index);
                quote!(#member: #binding)
            });
            quote!(Self::#ident { #(#fields,)* .. })
        }
    }
}

/// The public message: a borrowed literal, or `format!` over the fields it names; a server
/// error's generic detail.
fn public_message(checked: &CheckedVariant<'_, '_>) -> TokenStream {
    let pieces = match (&checked.message, checked.variant.status) {
        (Some(pieces), Some(status)) if status < 500 => pieces,
        _ => {
            return quote!(::std::borrow::Cow::Borrowed(
                ::palisade::__private::SERVER_ERROR_DETAIL
            ));
        }
    };
    let arguments: Vec<Ident> = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Field(index) => Some(binding(*index)),
            Piece::Text(_) => None,
        })
        .collect();
    if arguments.is_empty() {
        let text: String = pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Text(text) => Some(text.as_str()),
                Piece::Field(_) => None,
            })
            .collect();
        return quote!(::std::borrow::Cow::Borrowed(#text));
    }
    let format = template::format_string(pieces);
    quote!(::std::borrow::Cow::Owned(
        ::std::format!(#format, #(#arguments),*)
    ))
}
