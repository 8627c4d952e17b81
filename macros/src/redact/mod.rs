//! `#[derive(Redact)]`: one `#[redact]` mark per field drives `Debug`, `Serialize` and, where
//! asked, `Display` (DESIGN.md G4, G5).

pub mod model;
pub mod names;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Member, Type};

use self::model::{Mask, Redaction};
use crate::errors::Errors;
use crate::generics::{mentions, type_params};
use crate::serde_names::{RenameRule, SerdeAttrs, Side, unraw};

struct Field<'a> {
    member: Member,
    /// The Rust name, for `Debug`: `name`, or `0` for a tuple field.
    name: String,
    /// The name serde writes.
    wire: String,
    ty: &'a Type,
    redaction: Redaction,
    /// Left out of `Serialize`: `#[serde(skip)]`, `skip_serializing`, or `#[redact(omit)]`.
    skipped: bool,
    skip_if: Option<syn::ExprPath>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Named,
    Tuple,
    Unit,
}

struct Shape<'a> {
    style: Style,
    fields: Vec<Field<'a>>,
}

struct Variant<'a> {
    ident: &'a Ident,
    wire: String,
    shape: Shape<'a>,
}

enum Body<'a> {
    Struct(Shape<'a>),
    Enum(Vec<Variant<'a>>),
}

pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let display = model::parse_type(&input.attrs, &mut errors);
    let serde = SerdeAttrs::read_side(&input.attrs, Side::Serialize);
    let std_debug = check_container(input, &serde, &mut errors);
    let mut assertions = Vec::new();
    let body = match &input.data {
        Data::Struct(data) => Body::Struct(shape(
            &data.fields,
            &input.ident,
            serde.rename_all,
            &mut assertions,
            &mut errors,
        )),
        Data::Enum(data) => Body::Enum(variants(data, &serde, &mut assertions, &mut errors)),
        Data::Union(data) => {
            errors.at(
                data.union_token.span,
                "`Redact` cannot be derived for a union: use a struct or an enum",
            );
            Body::Struct(Shape {
                style: Style::Unit,
                fields: Vec::new(),
            })
        }
    };
    if let (Some(display), Body::Enum(_)) = (&display, &body) {
        errors.at(
            display.span(),
            "`display` is supported on structs; write `Display` for an enum by hand from its masked `Debug`",
        );
    }
    if serde.transparent
        && let Body::Struct(shape) = &body
        && shape.fields.iter().filter(|field| !field.skipped).count() != 1
    {
        errors.at(
            input.ident.span(),
            "`#[serde(transparent)]` needs exactly one serialized field",
        );
    }
    let display = match (&display, &body) {
        (Some(display), Body::Struct(shape)) => display_impl(input, shape, display, &mut errors),
        _ => TokenStream::new(),
    };
    refuse_foreign_display(input, &body, &mut errors);
    let marker = marker_impl(input);
    if let Err(error) = errors.finish() {
        let error = error.into_compile_error();
        // The marker, and a `Debug` that shows nothing but the type's name, stand in, so that
        // other code using them adds no error (unless a std `Debug` is derived already).
        let ident = &input.ident;
        let name = unraw(ident);
        let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
        let debug = (!std_debug).then(|| {
            quote! {
                impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#name)
                    }
                }
            }
        });
        return quote! { #error #marker #debug };
    }
    let debug = debug_impl(input, &body, &assertions);
    let serialize = serialize_impl(input, &body, &serde);
    quote! {
        #marker
        #debug
        #serialize
        #display
    }
}

/// serde container attributes that `#[derive(Redact)]` does not follow are refused, and so
/// are derives of the impls it writes, where the compiler shows them to this macro (a derive
/// in the same `#[derive(...)]` list is not shown, and meets a conflicting-impl error instead).
///
/// Returns whether a std `Debug` derive was seen.
fn check_container(input: &DeriveInput, serde: &SerdeAttrs, errors: &mut Errors) -> bool {
    let mut std_debug = false;
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
    {
        let _ = attr.parse_nested_meta(|meta| {
            let name = meta.path.segments.last().map(|s| s.ident.to_string());
            std_debug |= name.as_deref() == Some("Debug");
            if let Some(name @ ("Debug" | "Serialize")) = name.as_deref() {
                errors.at(
                    meta.path.span(),
                    format!("`{name}` is written by `#[derive(Redact)]`, which masks the redacted fields: remove this derive, or it would show them"),
                );
            }
            Ok(())
        });
    }
    let unsupported = [
        (serde.tag.is_some(), "tag"),
        (serde.untagged, "untagged"),
        (serde.content.is_some(), "content"),
    ];
    for (given, key) in unsupported {
        if given {
            errors.at(
                input.ident.span(),
                format!("`#[derive(Redact)]` writes serde's default (externally tagged) representation; `#[serde({key})]` is not supported yet"),
            );
        }
    }
    if let Some(key) = &serde.custom_serialize {
        errors.at(
            input.ident.span(),
            format!("`#[derive(Redact)]` writes `Serialize` itself, so `#[serde({key})]` on the type is not supported"),
        );
    }
    std_debug
}

/// A `Display` written by another derive (`thiserror`'s `#[error(...)]`, `derive_more`'s
/// `#[display(...)]`) would format fields without their masks: refused on a type with masked
/// fields. (`displaydoc`, which reads doc comments, cannot be told apart here.)
fn refuse_foreign_display(input: &DeriveInput, body: &Body<'_>, errors: &mut Errors) {
    let shapes: Vec<&Shape<'_>> = match body {
        Body::Struct(shape) => vec![shape],
        Body::Enum(variants) => variants.iter().map(|variant| &variant.shape).collect(),
    };
    let masked = shapes
        .iter()
        .flat_map(|shape| &shape.fields)
        .any(|field| field.redaction.needs_derive().is_some());
    if !masked {
        return;
    }
    let variant_attrs = match &input.data {
        Data::Enum(data) => data.variants.iter().flat_map(|v| &v.attrs).collect(),
        _ => Vec::new(),
    };
    for attr in input.attrs.iter().chain(variant_attrs) {
        if attr.path().is_ident("error") || attr.path().is_ident("display") {
            errors.at(
                attr.path().span(),
                "this attribute writes a `Display` that would show the redacted fields unmasked: use `#[redact(display = \"...\")]`, whose placeholders show the masks",
            );
        }
    }
}

fn variants<'a>(
    data: &'a syn::DataEnum,
    serde: &SerdeAttrs,
    assertions: &mut Vec<TokenStream>,
    errors: &mut Errors,
) -> Vec<Variant<'a>> {
    data.variants
        .iter()
        .map(|variant| {
            let variant_serde = SerdeAttrs::read_side(&variant.attrs, Side::Serialize);
            for attr in variant.attrs.iter().filter(|a| a.path().is_ident("redact")) {
                errors.at(
                    attr.path().span(),
                    "`#[redact]` goes on the variant's fields, not on the variant",
                );
            }
            if variant_serde.skip_serializing
                || variant_serde.custom_serialize.is_some()
                || variant_serde.untagged
            {
                errors.at(
                    variant.ident.span(),
                    "`#[derive(Redact)]` does not support skipped, untagged or custom-serialized variants",
                );
            }
            let name = unraw(&variant.ident);
            let wire = variant_serde.rename.clone().unwrap_or_else(|| {
                serde
                    .rename_all
                    .map_or_else(|| name.clone(), |rule| rule.apply_to_variant(&name))
            });
            Variant {
                ident: &variant.ident,
                wire,
                shape: shape(
                    &variant.fields,
                    &variant.ident,
                    variant_serde.rename_all.or(serde.rename_all_fields),
                    assertions,
                    errors,
                ),
            }
        })
        .collect()
}

fn shape<'a>(
    fields: &'a Fields,
    owner: &Ident,
    rename_all: Option<RenameRule>,
    assertions: &mut Vec<TokenStream>,
    errors: &mut Errors,
) -> Shape<'a> {
    let style = match fields {
        Fields::Named(_) => Style::Named,
        Fields::Unnamed(_) => Style::Tuple,
        Fields::Unit => Style::Unit,
    };
    let fields = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let serde = SerdeAttrs::read_side(&field.attrs, Side::Serialize);
            let redaction = model::parse_field(&field.attrs, errors);
            if let Some(key) = &serde.custom_serialize {
                errors.at(
                    field.span(),
                    format!("`#[derive(Redact)]` writes `Serialize` itself, so `#[serde({key})]` is not supported: mask the field with `#[redact]`, or leave it out with `#[serde(skip_serializing)]`"),
                );
            }
            if serde.flatten {
                errors.at(
                    field.span(),
                    "`#[derive(Redact)]` does not support `#[serde(flatten)]` yet",
                );
            }
            let omit = matches!(redaction, Redaction::Masked { omit: true, .. });
            if omit && style != Style::Named {
                errors.at(
                    field.span(),
                    "`omit` applies to named fields: a position of a tuple cannot be left out; mask it instead",
                );
            }
            if let Redaction::Masked {
                mask: Mask::Email,
                ..
            } = redaction
            {
                let ty = &field.ty;
                let span = Span::call_site().located_at(ty.span());
                assertions
                    .push(quote_spanned! {span=> ::palisade::__private::assert_email_maskable::<#ty>(); });
            }
            let subject = match &field.ident {
                Some(ident) => model::Subject {
                    label: format!("field `{}`", unraw(ident)),
                    names: SerdeAttrs::all_names(&field.attrs, &unraw(ident)),
                    span: ident.span(),
                    ty: &field.ty,
                },
                None => model::Subject {
                    label: format!("field {index} of `{}`", unraw(owner)),
                    names: vec![unraw(owner)],
                    span: field.ty.span(),
                    ty: &field.ty,
                },
            };
            assertions.push(model::check_sensitive(&subject, redaction, errors));
            if matches!(redaction, Redaction::Shown | Redaction::No)
                && !serde.skip_serializing
                && model::looks_secret(&field.ty)
            {
                errors.at(
                    subject.span,
                    format!("{} holds a secret, which is never serialized implicitly: mark it `#[redact]` to write a mask, or `#[redact(expose, reason = \"...\")]` to write the secret", subject.label),
                );
            }
            let (member, name, wire) = match &field.ident {
                Some(ident) => {
                    let name = unraw(ident);
                    let wire = serde.rename.clone().unwrap_or_else(|| {
                        rename_all.map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
                    });
                    (Member::Named(ident.clone()), name, wire)
                }
                None => (Member::Unnamed(index.into()), index.to_string(), String::new()),
            };
            Field {
                member,
                name,
                wire,
                ty: &field.ty,
                redaction,
                // An error's source (`PublicError`'s `#[from]`, `#[source]`) is logged through
                // `Debug`, never serialized.
                skipped: serde.skip_serializing || omit || is_source(field),
                skip_if: serde.skip_serializing_if,
            }
        })
        .collect();
    Shape { style, fields }
}

fn is_source(field: &syn::Field) -> bool {
    field
        .attrs
        .iter()
        .any(|attr| attr.path().is_ident("from") || attr.path().is_ident("source"))
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
    input: &DeriveInput,
    body: &Body<'_>,
    bound_of: impl Fn(&Field<'_>) -> Option<TokenStream>,
) -> syn::Generics {
    let mut generics = input.generics.clone();
    let params = type_params(&input.generics);
    if params.is_empty() {
        return generics;
    }
    let shapes: Vec<&Shape<'_>> = match body {
        Body::Struct(shape) => vec![shape],
        Body::Enum(variants) => variants.iter().map(|variant| &variant.shape).collect(),
    };
    let predicates: Vec<syn::WherePredicate> = shapes
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

fn marker_impl(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::palisade::Redact for #ident #ty_generics #where_clause {
            fn __palisade_derived(_: ::palisade::__private::DerivedToken) {}
        }
    }
}

/// `Debug`, which also holds the type's compile-time assertions (no-ops when they compile).
fn debug_impl(input: &DeriveInput, body: &Body<'_>, assertions: &[TokenStream]) -> TokenStream {
    let ident = &input.ident;
    let generics = generics_with(input, body, |field| match field.redaction {
        Redaction::Masked {
            mask: Mask::Full, ..
        } => None,
        Redaction::Masked {
            mask: Mask::Email, ..
        } => Some(quote!(::palisade::redact::EmailMaskable)),
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
    let body = match body {
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

fn serialize_impl(input: &DeriveInput, body: &Body<'_>, serde: &SerdeAttrs) -> TokenStream {
    let ident = &input.ident;
    let generics = generics_with(input, body, |field| match field.redaction {
        _ if field.skipped => None,
        Redaction::Masked {
            mask: Mask::Full, ..
        } => None,
        Redaction::Masked { .. } => Some(quote!(::palisade::__private::Maskable)),
        Redaction::Expose { .. } => Some(quote!(::palisade::__private::ExposeForSerialize)),
        Redaction::Shown | Redaction::No => Some(quote!(::palisade::__private::serde::Serialize)),
    });
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let serde_path = quote!(::palisade::__private::serde);
    let type_name = serde.rename.clone().unwrap_or_else(|| unraw(ident));
    let body = match body {
        Body::Struct(shape) => {
            let pattern = pattern(&quote!(Self), shape);
            let write = if serde.transparent {
                let (index, field) = shape
                    .fields
                    .iter()
                    .enumerate()
                    .find(|(_, field)| !field.skipped)
                    .expect("checked: one serialized field");
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
            let arms = variants.iter().enumerate().map(|(index, variant)| {
                let index = u32::try_from(index).expect("fewer than 2^32 variants");
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
        .filter(|(_, field)| !field.skipped)
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
            .skip_if
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
        match (&field.skip_if, shape.style) {
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

/// `Display` from `#[redact(display = "...")]`: `{field}` shows the field as `Display` does,
/// or its mask; `{{` and `}}` are braces.
fn display_impl(
    input: &DeriveInput,
    shape: &Shape<'_>,
    format: &LitStr,
    errors: &mut Errors,
) -> TokenStream {
    let text = format.value();
    let mut pieces = String::new();
    let mut arguments = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                pieces.push_str("{{");
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.push_str("}}");
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                let name = name.trim();
                let found = shape
                    .fields
                    .iter()
                    .enumerate()
                    .find(|(_, field)| field.name == name);
                match (closed, found) {
                    (true, Some((index, field))) => {
                        pieces.push_str("{}");
                        arguments.push(shown(field, &binding(index), false));
                    }
                    (true, None) => {
                        errors.at(
                            format.span(),
                            format!("`display` names no field of this type: there is no field `{name}` (write `{{field}}`, no format options)"),
                        );
                        return TokenStream::new();
                    }
                    (false, _) => {
                        errors.at(
                            format.span(),
                            "unclosed `{` in `display`: write `{{` for a brace",
                        );
                        return TokenStream::new();
                    }
                }
            }
            '}' => {
                errors.at(
                    format.span(),
                    "unmatched `}` in `display`: write `}}` for a brace",
                );
                return TokenStream::new();
            }
            c => pieces.push(c),
        }
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let pattern = pattern(&quote!(Self), shape);
    let pieces = LitStr::new(&pieces, format.span());
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            fn fmt(&self, __palisade_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unused_variables)]
                let #pattern = self;
                ::core::write!(__palisade_f, #pieces, #(#arguments),*)
            }
        }
    }
}
