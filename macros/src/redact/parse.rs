//! Stage 1: the type, its `#[redact]` and serde attributes → the model.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Member, Type};

use crate::attr::redact::{self, Redaction};
use crate::attr::sensitive::Subject;
use crate::attr::serde::{RenameRule, SerdeAttrs, Side, unraw};
use crate::errors::Errors;

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    /// `#[redact(display = "...")]`.
    pub display: Option<LitStr>,
    /// serde's container attributes, on the serialize side.
    pub serde: SerdeAttrs,
    /// `Debug` or `Serialize` in a `#[derive(...)]` the compiler shows to this macro.
    pub derives: Vec<Derived>,
    /// `#[error(...)]` and `#[display(...)]` on the type or its variants: another derive's
    /// `Display`.
    pub foreign_display: Vec<Span>,
    pub body: Body<'a>,
}

/// A derive of an impl that `#[derive(Redact)]` writes itself.
pub struct Derived {
    /// `Debug` or `Serialize`.
    pub name: String,
    /// Its path, or this derive's name when it is a neighbour in the same list.
    pub span: Span,
    /// Whether it is named in the same `#[derive(...)]` list as `Redact`.
    pub in_own_list: bool,
}

impl<'a> Input<'a> {
    /// Whether a std `Debug` is derived already (the stand-in `Debug` would conflict).
    pub fn std_debug(&self) -> bool {
        self.derives.iter().any(|derived| derived.name == "Debug")
    }

    /// Whether the type also derives serde's `Serialize` (refused beside `Redact`).
    pub fn std_serialize(&self) -> bool {
        self.derives
            .iter()
            .any(|derived| derived.name == "Serialize")
    }

    pub fn shapes(&self) -> Vec<&Shape<'a>> {
        match &self.body {
            Body::Struct(shape) => vec![shape],
            Body::Enum(variants) => variants.iter().map(|variant| &variant.shape).collect(),
        }
    }
}

pub enum Body<'a> {
    Struct(Shape<'a>),
    Enum(Vec<Variant<'a>>),
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The name serde writes.
    pub wire: String,
    /// `#[serde(skip_serializing)]`, `untagged` or a custom serializer: not followed.
    pub unsupported: bool,
    pub shape: Shape<'a>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Named,
    Tuple,
    Unit,
}

pub struct Shape<'a> {
    pub style: Style,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    pub member: Member,
    /// The Rust name, for `Debug`: `name`, or `0` for a tuple field.
    pub name: String,
    /// The name serde writes.
    pub wire: String,
    pub ty: &'a Type,
    /// The whole field, where errors about its attributes point.
    pub span: Span,
    pub redaction: Redaction,
    /// What the rule of sensitive names reads.
    pub subject: Subject<'a>,
    /// serde's attributes of the field, on the serialize side.
    pub serde: SerdeAttrs,
    /// An error's source (`PublicError`'s `#[from]`, `#[source]`): logged through `Debug`,
    /// never serialized.
    pub source: bool,
}

impl Field<'_> {
    /// Left out of `Serialize`: `#[serde(skip)]`, `skip_serializing`, `#[redact(omit)]`, or a
    /// source.
    pub fn skipped(&self) -> bool {
        self.serde.skip_serializing || self.omitted() || self.source
    }

    /// `#[redact(omit)]`.
    pub fn omitted(&self) -> bool {
        matches!(self.redaction, Redaction::Masked { omit: true, .. })
    }
}

pub fn parse<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Input<'a> {
    let display = redact::parse_type(&input.attrs, errors);
    let serde = SerdeAttrs::read_side(&input.attrs, Side::Serialize);
    let body = match &input.data {
        Data::Struct(data) => {
            Body::Struct(shape(&data.fields, &input.ident, serde.rename_all, errors))
        }
        Data::Enum(data) => Body::Enum(variants(data, &serde, errors)),
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
    let variant_attrs = match &input.data {
        Data::Enum(data) => data.variants.iter().flat_map(|v| &v.attrs).collect(),
        _ => Vec::new(),
    };
    let foreign_display = input
        .attrs
        .iter()
        .chain(variant_attrs)
        .filter(|attr| attr.path().is_ident("error") || attr.path().is_ident("display"))
        .map(|attr| attr.path().span())
        .collect();
    Input {
        ident: &input.ident,
        generics: &input.generics,
        display,
        serde,
        derives: derives(input),
        foreign_display,
        body,
    }
}

/// The impls this derive writes that a `#[derive(...)]` shown to it would write too.
fn derives(input: &DeriveInput) -> Vec<Derived> {
    let mut found = Vec::new();
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
    {
        // #[derive(Debug, serde::Serialize, ...)]
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(name) = meta.path.segments.last().map(|s| s.ident.to_string())
                && (name == "Debug" || name == "Serialize")
            {
                found.push(Derived {
                    name,
                    span: meta.path.span(),
                    in_own_list: false,
                });
            }
            Ok(())
        });
    }
    // Its neighbours in its own list are not shown to it: read them where it was named.
    for name in crate::attr::derive_list::neighbours("Redact") {
        if name == "Debug" || name == "Serialize" {
            found.push(Derived {
                name,
                span: Span::call_site(),
                in_own_list: true,
            });
        }
    }
    found
}

fn variants<'a>(
    data: &'a syn::DataEnum,
    serde: &SerdeAttrs,
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
            let name = unraw(&variant.ident);
            let wire = variant_serde.rename.clone().unwrap_or_else(|| {
                serde
                    .rename_all
                    .map_or_else(|| name.clone(), |rule| rule.apply_to_variant(&name))
            });
            Variant {
                ident: &variant.ident,
                wire,
                unsupported: variant_serde.skip_serializing
                    || variant_serde.custom_serialize.is_some()
                    || variant_serde.untagged,
                shape: shape(
                    &variant.fields,
                    &variant.ident,
                    variant_serde.rename_all.or(serde.rename_all_fields),
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
            let redaction = redact::parse_field(&field.attrs, errors);
            let subject = match &field.ident {
                Some(ident) => Subject {
                    label: format!("field `{}`", unraw(ident)),
                    names: SerdeAttrs::all_names(&field.attrs, &unraw(ident)),
                    span: ident.span(),
                    ty: &field.ty,
                },
                None => Subject {
                    label: format!("field {index} of `{}`", unraw(owner)),
                    names: vec![unraw(owner)],
                    span: field.ty.span(),
                    ty: &field.ty,
                },
            };
            let (member, name, wire) = match &field.ident {
                Some(ident) => {
                    let name = unraw(ident);
                    let wire = serde.rename.clone().unwrap_or_else(|| {
                        rename_all.map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
                    });
                    (Member::Named(ident.clone()), name, wire)
                }
                None => (
                    Member::Unnamed(index.into()),
                    index.to_string(),
                    String::new(),
                ),
            };
            Field {
                member,
                name,
                wire,
                ty: &field.ty,
                span: field.span(),
                redaction,
                subject,
                serde,
                source: field
                    .attrs
                    .iter()
                    .any(|attr| attr.path().is_ident("from") || attr.path().is_ident("source")),
            }
        })
        .collect();
    Shape { style, fields }
}
