//! `#[trusted(input | response | bounded, reason = "...")]`: the one door through the seal of
//! the guarantee traits (DESIGN.md G11), on a type of the user's: parse → check → expand.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::LitStr;
use syn::spanned::Spanned;

use crate::attr::Keys;
use crate::errors::Errors;

/// What the type is trusted for.
#[derive(Clone, Copy)]
enum Kind {
    Input,
    Response,
    Bounded,
}

const KINDS: &str = "`input` (a handler argument that carries no unchecked request data), `response` (a handler return type that sends nothing internal) or `bounded` (a type of fixed size)";

impl Kind {
    fn named(name: &str) -> Option<Self> {
        match name {
            "input" => Some(Kind::Input),
            "response" => Some(Kind::Response),
            "bounded" => Some(Kind::Bounded),
            _ => None,
        }
    }
}

/// Stage 1: the attribute's arguments as written.
struct Parsed {
    kinds: Vec<(Kind, Span)>,
    reason: Option<LitStr>,
}

fn parse(attr: TokenStream, errors: &mut Errors) -> Parsed {
    let mut parsed = Parsed {
        kinds: Vec::new(),
        reason: None,
    };
    let mut keys = Keys::default();
    let parser = syn::meta::parser(|meta| {
        keys.first(&meta)?;
        if meta.path.is_ident("reason") {
            parsed.reason = Some(meta.value()?.parse()?);
            return Ok(());
        }
        let name = crate::errors::path_text(&meta.path);
        match Kind::named(&name) {
            Some(kind) if meta.input.is_empty() || meta.input.peek(syn::Token![,]) => {
                parsed.kinds.push((kind, meta.path.span()));
                Ok(())
            }
            _ => Err(meta.error(format!(
                "unknown key `{name}` in `#[trusted(...)]`: say what the type is trusted as, {KINDS}, and why, `reason = \"...\"`"
            ))),
        }
    });
    errors.keep(syn::parse::Parser::parse2(parser, attr));
    parsed
}

/// Stage 2: a type, what it is trusted as, and a reason that says something.
struct Checked<'a> {
    item: &'a syn::DeriveInput,
    kinds: Vec<Kind>,
    reason: String,
}

fn check(parsed: Parsed, item: &syn::DeriveInput, mut errors: Errors) -> syn::Result<Checked<'_>> {
    let attribute = Span::call_site();
    if parsed.kinds.is_empty() && errors.count() == 0 {
        errors.at(
            attribute,
            format!(
                "say what the type is trusted as: `#[trusted(input, reason = \"...\")]`; the kinds are {KINDS}"
            ),
        );
    }
    let reason = match &parsed.reason {
        Some(reason) if reason.value().trim().is_empty() => {
            errors.at(
                reason.span(),
                "the reason is empty: say why the type keeps the promise, for the route report",
            );
            String::new()
        }
        Some(reason) => reason.value(),
        None => {
            if errors.count() == 0 {
                errors.at(
                    attribute,
                    "`#[trusted(...)]` needs a reason: `reason = \"...\"` says why the type keeps the promise, and the route report shows it",
                );
            }
            String::new()
        }
    };
    errors.finish()?;
    Ok(Checked {
        item,
        kinds: parsed.kinds.into_iter().map(|(kind, _)| kind).collect(),
        reason,
    })
}

/// Stage 3: the type as written, with the seal and the marker of each kind. Cannot fail.
fn expand(checked: &Checked<'_>) -> TokenStream {
    let item = checked.item;
    let ident = &item.ident;
    let reason = &checked.reason;
    let impls = checked.kinds.iter().map(|kind| {
        let (seal, marker, variant) = match kind {
            Kind::Input => ("TrustedInputSeal", "TrustedInput", "Input"),
            Kind::Response => ("SafeResponseSeal", "SafeResponse", "Response"),
            Kind::Bounded => ("BoundedSeal", "Bounded", "Bounded"),
        };
        let mark = crate::seal::mark(seal);
        let (seal, marker, variant) = (
            format_ident!("{seal}"),
            format_ident!("{marker}"),
            format_ident!("{variant}"),
        );
        // A size bound is the sum of the parts': the reason vouches for the type's own fields,
        // and each type parameter must be bounded by itself. (An input's or a response's
        // promise is kept by the type's own code, its extractor or `IntoResponse`, which is
        // what the reason vouches for, whatever the parameters.)
        // A parameter named only in `PhantomData` (a typed id's marker) holds no data.
        let mut generics = item.generics.clone();
        if matches!(kind, Kind::Bounded) {
            let parameters = crate::generics::type_params(&item.generics);
            let mut holding = Vec::new();
            for ty in field_types(item) {
                for parameter in crate::generics::holding(ty, &parameters) {
                    if !holding.contains(&parameter) {
                        holding.push(parameter);
                    }
                }
            }
            let predicates = &mut generics.make_where_clause().predicates;
            for parameter in holding {
                predicates.push(syn::parse_quote!(#parameter: ::palisade::__private::Bounded));
            }
        }
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
        // A safe response is an axum response first: the impl holds where the type is one.
        let mut responding = generics.clone();
        responding
            .make_where_clause()
            .predicates
            .push(syn::parse_quote!(Self: ::palisade::__private::axum::response::IntoResponse));
        let responding = responding.split_for_impl().2.cloned();
        let marker_where = match kind {
            Kind::Response => responding.as_ref(),
            Kind::Input | Kind::Bounded => where_clause,
        };
        quote! {
            #[automatically_derived]
            impl #impl_generics ::palisade::__private::#seal for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                const SEAL: ::palisade::__private::Seal<Self, ::palisade::__private::#mark> =
                    ::palisade::__private::Seal::trusted(
                    ::palisade::__private::DoorKind::#variant,
                    #reason,
                    ::core::any::type_name::<Self>,
                );
            }
            #[automatically_derived]
            impl #impl_generics ::palisade::__private::#marker for #ident #ty_generics #marker_where {}
        }
    });
    quote! {
        #item
        #(#impls)*
    }
}

/// The types of every field of the item, of every variant.
fn field_types(item: &syn::DeriveInput) -> Vec<&syn::Type> {
    match &item.data {
        syn::Data::Struct(data) => data.fields.iter().map(|field| &field.ty).collect(),
        syn::Data::Enum(data) => data
            .variants
            .iter()
            .flat_map(|variant| variant.fields.iter().map(|field| &field.ty))
            .collect(),
        syn::Data::Union(data) => data.fields.named.iter().map(|field| &field.ty).collect(),
    }
}

pub fn trusted(attr: TokenStream, item: &TokenStream) -> TokenStream {
    let Ok(input) = syn::parse2::<syn::DeriveInput>(item.clone()) else {
        let error = syn::Error::new(
            Span::call_site(),
            "`#[trusted(...)]` goes on a struct, an enum or a union: the type that keeps the promise",
        )
        .into_compile_error();
        return quote! { #error #item };
    };
    let mut errors = Errors::default();
    let parsed = parse(attr, &mut errors);
    match check(parsed, &input, errors) {
        Ok(checked) => expand(&checked),
        // The type stays, so that its uses report only their own errors.
        Err(error) => {
            let error = error.into_compile_error();
            quote! { #error #input }
        }
    }
}
