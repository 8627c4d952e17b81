//! Stage 3: the checked model → `Redact`, `Debug`, `Serialize` and, where asked, `Display`
//! impls. Cannot fail.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, LitStr};

use super::check::{Assertion, Checked, Display};
use super::parse::{Body, Field, Input, Shape, Style, Variant};
use crate::attr::redact::{Mask, Redaction};
use crate::attr::serde::unraw;
use crate::attr::template::{self, Piece};
use crate::generics::{mentions, type_params};

pub fn expand(checked: &Checked<'_, '_>) -> TokenStream {
    let input = checked.input;
    let marker = marker_impl(input);
    let debug = debug_impl(input, &checked.assertions);
    let serialize = serialize_impl(input, checked.transparent);
    let display = match (&checked.display, &input.body) {
        (Some(display), Body::Struct(shape)) => display_impl(input, shape, display),
        _ => TokenStream::new(),
    };
    quote! {
        #marker
        #debug
        #serialize
        #display
    }
}

/// The stand-in when the input is invalid: the marker, and a `Debug` that shows nothing but
/// the type's name, so that other code using them adds no error (unless a std `Debug` is
/// derived already).
pub fn stub(input: &Input<'_>) -> TokenStream {
    let marker = marker_impl(input);
    let ident = input.ident;
    let name = unraw(ident);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let debug = (!input.std_debug()).then(|| {
        quote! {
            impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(#name)
                }
            }
        }
    });
    // The valid expansion writes `Serialize`; so does its stand-in, so that the type's uses
    // as a response body add no error of their own.
    let serialize = (!input.std_serialize()).then(|| {
        quote! {
            impl #impl_generics ::palisade::__private::serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<__S: ::palisade::__private::serde::Serializer>(
                    &self,
                    serializer: __S,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    serializer.serialize_unit_struct(#name)
                }
            }
        }
    });
    quote! { #marker #debug #serialize }
}

fn binding(index: usize) -> Ident {
    format_ident!("__palisade_{}", index)
}

/// `Path { a: __palisade_0, .. }` or `Path(__palisade_0, ..)`: binds every field by reference.
fn pattern(path: &TokenStream, shape: &Shape<'_>) -> TokenStream {
    let fields = shape.fields.iter().enumerate().map(|(index, field)| {
        let member = &field.member;
        let name = binding(index);
        quote!(#member: #name)
    });
    quote!(#path { #(#fields,)* .. })
}

/// The value a channel shows for a field bound to `value`: the field, or its mask.
fn shown(field: &Field<'_>, value: &Ident, serializing: bool) -> TokenStream {
    let span = Span::call_site().located_at(field.ty.span());
    match field.redaction {
        Redaction::Masked {
            mask: Mask::Full, ..
        } => quote_spanned!(span=> &::palisade::__private::Full),
        Redaction::Masked { mask, .. } => {
            let strategy = strategy(mask, span);
            let value = Ident::new(&value.to_string(), span);
            quote_spanned!(span=> &::palisade::__private::MaskedRef::new(#value, #strategy))
        }
        Redaction::Expose { .. } if serializing => {
            quote_spanned!(span=> &::palisade::__private::Exposed(#value))
        }
        // Located at the field's type, so that a type that cannot be shown is reported there.
        Redaction::Expose { .. } | Redaction::Shown | Redaction::No => {
            let value = Ident::new(&value.to_string(), span);
            quote!(#value)
        }
    }
}

fn strategy(mask: Mask, span: Span) -> TokenStream {
    let path = quote_spanned!(span=> ::palisade::__private::Strategy);
    match mask {
        Mask::Full => unreachable!("the full mask needs no strategy"),
        Mask::Partial { first, last, min } => {
            quote_spanned!(span=> #path::Partial { first: #first, last: #last, min: #min })
        }
        Mask::Fixed { width } => quote_spanned!(span=> #path::Fixed { width: #width }),
        Mask::Email => quote_spanned!(span=> #path::Email),
        Mask::Fingerprint => quote_spanned!(span=> #path::Fingerprint),
    }
}

/// The type's generics, with `bound` on every field type that mentions a type parameter
/// (`bound_of` picks the bound per field, or none).
fn generics_with(
    input: &Input<'_>,
    bound_of: impl Fn(&Field<'_>) -> Option<TokenStream>,
) -> syn::Generics {
    let mut generics = input.generics.clone();
    let params = type_params(input.generics);
    if params.is_empty() {
        return generics;
    }
    let predicates: Vec<syn::WherePredicate> = input
        .shapes()
        .iter()
        .flat_map(|shape| &shape.fields)
        .filter(|field| mentions(field.ty, &params))
        .filter_map(|field| {
            let ty = field.ty;
            bound_of(field).map(|bound| syn::parse_quote!(#ty: #bound))
        })
        .collect();
    if !predicates.is_empty() {
        generics.make_where_clause().predicates.extend(predicates);
    }
    generics
}

fn marker_impl(input: &Input<'_>) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let seal = crate::seal::derived(
        "RedactSeal",
        ident,
        input.generics,
        &crate::seal::no_doors(),
    );
    let body_seal = crate::seal::derived(
        "ResponseBodySeal",
        ident,
        input.generics,
        &crate::seal::no_doors(),
    );
    // A response body is what serializes, and what it shows is a response body too, so that a
    // plain `Serialize` type nested in it cannot carry a `password_hash` out. The bounds are
    // checked where the type is sent (`for<'..>` keeps the compiler from checking them here,
    // for a type that is never a response).
    let mut serializing = input.generics.clone();
    let predicates = &mut serializing.make_where_clause().predicates;
    predicates.push(syn::parse_quote!(Self: ::palisade::__private::serde::Serialize));
    for field in input.shapes().iter().flat_map(|shape| &shape.fields) {
        if matches!(field.redaction, Redaction::Shown) && !field.skipped() {
            let ty = field.ty;
            predicates.push(syn::parse_quote!(
                for<'__palisade_body> #ty: ::palisade::__private::ResponseBody
            ));
        }
    }
    let serializing = serializing.split_for_impl().2.cloned();
    quote! {
        #seal
        #body_seal
        #[automatically_derived]
        impl #impl_generics ::palisade::__private::ResponseBody for #ident #ty_generics #serializing {}
        #[automatically_derived]
        impl #impl_generics ::palisade::__private::Redact for #ident #ty_generics #where_clause {}
    }
}

/// `Debug`, which also holds the type's compile-time assertions (no-ops when they compile).
fn debug_impl(input: &Input<'_>, assertions: &[Assertion<'_>]) -> TokenStream {
    let ident = input.ident;
    let assertions = assertions.iter().map(|assertion| match assertion {
        Assertion::EmailMaskable(ty) => {
            let span = Span::call_site().located_at(ty.span());
            quote_spanned! {span=> ::palisade::__private::assert_email_maskable::<#ty>(); }
        }
        Assertion::SecretType(secret) => quote!(#secret),
    });
    let generics = generics_with(input, |field| match field.redaction {
        Redaction::Masked {
            mask: Mask::Full, ..
        } => None,
        Redaction::Masked {
            mask: Mask::Email, ..
        } => Some(quote!(::palisade::__private::EmailMaskable)),
        Redaction::Masked { .. } => Some(quote!(::palisade::__private::Maskable)),
        _ => Some(quote!(::core::fmt::Debug)),
    });
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let debug_shape = |name: &str, shape: &Shape<'_>| {
        let fields = shape.fields.iter().enumerate().map(|(index, field)| {
            let value = shown(field, &binding(index), false);
            if shape.style == Style::Named {
                let name = &field.name;
                quote! { .field(#name, #value) }
            } else {
                quote! { .field(#value) }
            }
        });
        match shape.style {
            Style::Named => {
                quote! { __palisade_f.debug_struct(#name) #(#fields)* .finish() }
            }
            Style::Tuple => quote! { __palisade_f.debug_tuple(#name) #(#fields)* .finish() },
            Style::Unit => quote! { __palisade_f.write_str(#name) },
        }
    };
    let body = match &input.body {
        Body::Struct(shape) => {
            let pattern = pattern(&quote!(Self), shape);
            let show = debug_shape(&unraw(ident), shape);
            quote! { let #pattern = self; #show }
        }
        Body::Enum(variants) if variants.is_empty() => quote! { match *self {} },
        Body::Enum(variants) => {
            let arms = variants.iter().map(|variant| {
                let variant_ident = variant.ident;
                let pattern = pattern(&quote!(Self::#variant_ident), &variant.shape);
                let show = debug_shape(&unraw(variant_ident), &variant.shape);
                quote! { #pattern => #show, }
            });
            quote! { match self { #(#arms)* } }
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
            fn fmt(&self, __palisade_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #(#assertions)*
                #body
            }
        }
    }
}

fn serialize_impl(input: &Input<'_>, transparent: Option<usize>) -> TokenStream {
    let ident = input.ident;
    let generics = generics_with(input, |field| match field.redaction {
        _ if field.skipped() => None,
        Redaction::Masked {
            mask: Mask::Full, ..
        } => None,
        Redaction::Masked { .. } => Some(quote!(::palisade::__private::Maskable)),
        Redaction::Expose { .. } => Some(quote!(::palisade::__private::ExposeForSerialize)),
        Redaction::Shown | Redaction::No => Some(quote!(::palisade::__private::serde::Serialize)),
    });
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let serde_path = quote!(::palisade::__private::serde);
    let type_name = input.serde.rename.clone().unwrap_or_else(|| unraw(ident));
    let body = match &input.body {
        Body::Struct(shape) => {
            let pattern = pattern(&quote!(Self), shape);
            let transparent = transparent.and_then(|index| Some((index, shape.fields.get(index)?)));
            let write = if let Some((index, field)) = transparent {
                let value = shown(field, &binding(index), true);
                quote! { #serde_path::Serialize::serialize(#value, __palisade_serializer) }
            } else {
                serialize_struct(shape, &type_name)
            };
            quote! {
                #[allow(unused_variables)]
                let #pattern = self;
                #write
            }
        }
        Body::Enum(variants) if variants.is_empty() => quote! { match *self {} },
        Body::Enum(variants) => {
            let arms = variants.iter().zip(0_u32..).map(|(variant, index)| {
                let variant_ident = variant.ident;
                let pattern = pattern(&quote!(Self::#variant_ident), &variant.shape);
                let write = serialize_variant(variant, index, &type_name);
                quote! {
                    #[allow(unused_variables)]
                    #pattern => { #write }
                }
            });
            quote! { match self { #(#arms)* } }
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #serde_path::Serialize for #ident #ty_generics #where_clause {
            fn serialize<__PalisadeS: #serde_path::Serializer>(
                &self,
                __palisade_serializer: __PalisadeS,
            ) -> ::core::result::Result<__PalisadeS::Ok, __PalisadeS::Error> {
                #body
            }
        }
    }
}

/// The serialized fields of `shape`: `(binding, value, field)`.
fn written<'s, 'a>(
    shape: &'s Shape<'a>,
) -> impl Iterator<Item = (Ident, TokenStream, &'s Field<'a>)> {
    shape
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| !field.skipped())
        .map(|(index, field)| {
            let binding = binding(index);
            let value = shown(field, &binding, true);
            (binding, value, field)
        })
}

/// `let mut __palisade_len = n;` less one for each field whose `skip_serializing_if` holds.
fn length(shape: &Shape<'_>) -> TokenStream {
    let count = written(shape).count();
    let conditional = written(shape).filter_map(|(binding, _, field)| {
        field
            .serde
            .skip_serializing_if
            .as_ref()
            .map(|skip_if| quote! { if #skip_if(#binding) { __palisade_len -= 1; } })
    });
    quote! {
        #[allow(unused_mut)]
        let mut __palisade_len: usize = #count;
        #(#conditional)*
    }
}

/// The calls that write the fields of `shape` into `state` through `trait_path`.
fn write_fields(shape: &Shape<'_>, trait_path: &TokenStream) -> TokenStream {
    let writes = written(shape).map(|(binding, value, field)| {
        let write = if shape.style == Style::Named {
            let wire = &field.wire;
            quote! { #trait_path::serialize_field(&mut __palisade_state, #wire, #value)?; }
        } else {
            quote! { #trait_path::serialize_field(&mut __palisade_state, #value)?; }
        };
        match (&field.serde.skip_serializing_if, shape.style) {
            (Some(skip_if), Style::Named) => {
                let wire = &field.wire;
                quote! {
                    if #skip_if(#binding) {
                        #trait_path::skip_field(&mut __palisade_state, #wire)?;
                    } else {
                        #write
                    }
                }
            }
            (Some(skip_if), _) => quote! { if !#skip_if(#binding) { #write } },
            (None, _) => write,
        }
    });
    quote! { #(#writes)* }
}

/// A struct's or variant's fields written one by one: `open` starts the compound value
/// (given `__palisade_len`), `state` names the serde trait that writes into it.
fn compound(shape: &Shape<'_>, open: &TokenStream, state: &TokenStream) -> TokenStream {
    let length = length(shape);
    let writes = write_fields(shape, state);
    quote! {
        #length
        let mut __palisade_state = #open?;
        #writes
        #state::end(__palisade_state)
    }
}

/// The one written field of a newtype, if the shape is one.
fn newtype_value(shape: &Shape<'_>) -> Option<TokenStream> {
    let mut written = written(shape);
    match (
        shape.style,
        shape.fields.len(),
        written.next(),
        written.next(),
    ) {
        (Style::Tuple, 1, Some((_, value, _)), None) => Some(value),
        _ => None,
    }
}

fn serialize_struct(shape: &Shape<'_>, name: &str) -> TokenStream {
    let serde = quote!(::palisade::__private::serde);
    let ser = quote!(#serde::Serializer);
    let to = quote!(__palisade_serializer);
    if let Some(value) = newtype_value(shape) {
        return quote! { #ser::serialize_newtype_struct(#to, #name, #value) };
    }
    match shape.style {
        Style::Unit => quote! { #ser::serialize_unit_struct(#to, #name) },
        Style::Tuple => compound(
            shape,
            &quote!(#ser::serialize_tuple_struct(#to, #name, __palisade_len)),
            &quote!(#serde::ser::SerializeTupleStruct),
        ),
        Style::Named => compound(
            shape,
            &quote!(#ser::serialize_struct(#to, #name, __palisade_len)),
            &quote!(#serde::ser::SerializeStruct),
        ),
    }
}

fn serialize_variant(variant: &Variant<'_>, index: u32, type_name: &str) -> TokenStream {
    let serde = quote!(::palisade::__private::serde);
    let ser = quote!(#serde::Serializer);
    let to = quote!(__palisade_serializer);
    let wire = &variant.wire;
    let shape = &variant.shape;
    if let Some(value) = newtype_value(shape) {
        return quote! { #ser::serialize_newtype_variant(#to, #type_name, #index, #wire, #value) };
    }
    match shape.style {
        Style::Unit => quote! { #ser::serialize_unit_variant(#to, #type_name, #index, #wire) },
        Style::Tuple => compound(
            shape,
            &quote!(#ser::serialize_tuple_variant(#to, #type_name, #index, #wire, __palisade_len)),
            &quote!(#serde::ser::SerializeTupleVariant),
        ),
        Style::Named => compound(
            shape,
            &quote!(#ser::serialize_struct_variant(#to, #type_name, #index, #wire, __palisade_len)),
            &quote!(#serde::ser::SerializeStructVariant),
        ),
    }
}

/// `Display` from `#[redact(display = "...")]`: each placeholder shows its field as `Display`
/// does, or its mask.
fn display_impl(input: &Input<'_>, shape: &Shape<'_>, display: &Display) -> TokenStream {
    let arguments = display.pieces.iter().filter_map(|piece| match piece {
        Piece::Field(index) => Some(shown(&shape.fields[*index], &binding(*index), false)),
        Piece::Text(_) => None,
    });
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let pattern = pattern(&quote!(Self), shape);
    let format = LitStr::new(&template::format_string(&display.pieces), display.span);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            fn fmt(&self, __palisade_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unused_variables)]
                let #pattern = self;
                ::core::write!(__palisade_f, #format, #(#arguments),*)
            }
        }
    }
}
