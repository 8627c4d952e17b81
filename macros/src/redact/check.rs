//! Stage 2: the rules across the type's attributes and fields: what `#[derive(Redact)]`
//! follows of serde, the rule of sensitive names, and the `Display` template.

use proc_macro2::Span;
use syn::{LitStr, Type};

use super::parse::{Body, Input, Shape, Style};
use crate::attr::redact::{Mask, Redaction};
use crate::attr::sensitive::{self, SecretType, looks_secret};
use crate::attr::template::{self, Piece};
use crate::errors::Errors;

/// The model once every rule holds. Only `check` builds one.
pub struct Checked<'m, 'a> {
    pub input: &'m Input<'a>,
    /// What the `Debug` impl asserts when the code compiles, in field order.
    pub assertions: Vec<Assertion<'a>>,
    /// `#[redact(display = "...")]` on a struct, its placeholders resolved to fields.
    pub display: Option<Display>,
    /// With `#[serde(transparent)]`, the index of the one serialized field.
    pub transparent: Option<usize>,
    _sealed: (),
}

/// A compile-time assertion about a field's type.
pub enum Assertion<'a> {
    /// `#[redact(email)]`: the type can be masked as an email address.
    EmailMaskable(&'a Type),
    /// A sensitive name on a secret type (see `attr::sensitive`).
    SecretType(SecretType),
}

/// A `Display` template: text, and the index of each field it shows.
pub struct Display {
    pub pieces: Vec<Piece<usize>>,
    /// The template literal, where the format string is spanned.
    pub span: Span,
}

pub fn check<'m, 'a>(input: &'m Input<'a>, mut errors: Errors) -> syn::Result<Checked<'m, 'a>> {
    check_container(input, &mut errors);
    let mut assertions = Vec::new();
    if let Body::Enum(variants) = &input.body {
        for variant in variants.iter().filter(|variant| variant.unsupported) {
            errors.at(
                variant.ident.span(),
                "`#[derive(Redact)]` does not support skipped, untagged or custom-serialized variants",
            );
        }
    }
    for shape in input.shapes() {
        check_fields(shape, &mut assertions, &mut errors);
    }
    let mut transparent = None;
    let mut display = None;
    match &input.body {
        Body::Enum(_) => {
            if let Some(format) = &input.display {
                errors.at(
                    format.span(),
                    "`display` is supported on structs; write `Display` for an enum by hand from its masked `Debug`",
                );
            }
        }
        Body::Struct(shape) => {
            if input.serde.transparent {
                let mut serialized = shape
                    .fields
                    .iter()
                    .enumerate()
                    .filter(|(_, field)| !field.skipped());
                match (serialized.next(), serialized.next()) {
                    (Some((index, _)), None) => transparent = Some(index),
                    _ => errors.at(
                        input.ident.span(),
                        "`#[serde(transparent)]` needs exactly one serialized field",
                    ),
                }
            }
            if let Some(format) = &input.display {
                display = check_display(shape, format, &mut errors);
            }
        }
    }
    refuse_foreign_display(input, &mut errors);
    errors.finish()?;
    Ok(Checked {
        input,
        assertions,
        display,
        transparent,
        _sealed: (),
    })
}

/// serde container attributes that `#[derive(Redact)]` does not follow are refused, and so
/// are derives of the impls it writes: those after its own list, which the compiler shows to
/// this macro, and its neighbours in its own list, read from the source.
fn check_container(input: &Input<'_>, errors: &mut Errors) {
    for derived in &input.derives {
        let name = &derived.name;
        let remove = if derived.in_own_list {
            format!("remove `{name}` from this `#[derive(...)]` list")
        } else {
            "remove this derive".to_owned()
        };
        errors.at(
            derived.span,
            format!("`{name}` is written by `#[derive(Redact)]`, which masks the redacted fields: {remove}, or it would show them"),
        );
    }
    let serde = &input.serde;
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
}

fn check_fields<'a>(shape: &Shape<'a>, assertions: &mut Vec<Assertion<'a>>, errors: &mut Errors) {
    for field in &shape.fields {
        if let Some(key) = &field.serde.custom_serialize {
            errors.at(
                field.span,
                format!("`#[derive(Redact)]` writes `Serialize` itself, so `#[serde({key})]` is not supported: mask the field with `#[redact]`, or leave it out with `#[serde(skip_serializing)]`"),
            );
        }
        if field.serde.flatten {
            errors.at(
                field.span,
                "`#[derive(Redact)]` does not support `#[serde(flatten)]` yet",
            );
        }
        if field.omitted() && shape.style != Style::Named {
            errors.at(
                field.span,
                "`omit` applies to named fields: a position of a tuple cannot be left out; mask it instead",
            );
        }
        if let Redaction::Masked {
            mask: Mask::Email, ..
        } = field.redaction
        {
            assertions.push(Assertion::EmailMaskable(field.ty));
        }
        if let Some(secret) = sensitive::check(&field.subject, field.redaction, errors) {
            assertions.push(Assertion::SecretType(secret));
        }
        if matches!(field.redaction, Redaction::Shown | Redaction::No)
            && !field.serde.skip_serializing
            && looks_secret(field.ty)
        {
            errors.at(
                field.subject.span,
                format!("{} holds a secret, which is never serialized implicitly: mark it `#[redact]` to write a mask, or `#[redact(expose, reason = \"...\")]` to write the secret", field.subject.label),
            );
        }
    }
}

/// `{field}` shows the field as `Display` does, or its mask; `{{` and `}}` are braces.
fn check_display(shape: &Shape<'_>, format: &LitStr, errors: &mut Errors) -> Option<Display> {
    let pieces = template::parse(&format.value(), |name| {
        shape
            .fields
            .iter()
            .position(|field| field.name == name)
            .ok_or_else(|| template::no_field("`display`", "type", name))
    });
    match pieces {
        Ok(pieces) => Some(Display {
            pieces,
            span: format.span(),
        }),
        Err(error) => {
            errors.at(format.span(), error.into_message("`display`"));
            None
        }
    }
}

/// A `Display` written by another derive (`thiserror`'s `#[error(...)]`, `derive_more`'s
/// `#[display(...)]`) would format fields without their masks: refused on a type with masked
/// fields. (`displaydoc`, which reads doc comments, cannot be told apart here.)
fn refuse_foreign_display(input: &Input<'_>, errors: &mut Errors) {
    let masked = input
        .shapes()
        .iter()
        .flat_map(|shape| &shape.fields)
        .any(|field| field.redaction.needs_derive().is_some());
    if !masked {
        return;
    }
    for span in &input.foreign_display {
        errors.at(
            *span,
            "this attribute writes a `Display` that would show the redacted fields unmasked: use `#[redact(display = \"...\")]`, whose placeholders show the masks",
        );
    }
}
