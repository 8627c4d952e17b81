//! Stage 2: rules across a variant's keys and fields: what a status needs, and what a public
//! message may show.

use super::parse::{Field, Input, Level, Variant};
use crate::attr::redact::Redaction;
use crate::attr::sensitive::{self, SecretType, sensitive_part};
use crate::attr::template::{self, Piece};
use crate::errors::Errors;

/// The model once every rule holds. Only `check` builds one.
pub struct Checked<'m, 'a> {
    pub input: &'m Input<'a>,
    pub variants: Vec<CheckedVariant<'m, 'a>>,
    /// Fields with sensitive names that hold secret types, asserted when the code compiles.
    pub secrets: Vec<SecretType>,
    _sealed: (),
}

pub struct CheckedVariant<'m, 'a> {
    pub variant: &'m Variant<'a>,
    /// A client error's public message, its placeholders resolved to field indices.
    pub message: Option<Vec<Piece<usize>>>,
}

pub fn check<'m, 'a>(input: &'m Input<'a>, mut errors: Errors) -> syn::Result<Checked<'m, 'a>> {
    let mut secrets = Vec::new();
    for field in input.variants.iter().flat_map(|variant| &variant.fields) {
        if let Some(subject) = &field.subject {
            secrets.extend(sensitive::check(subject, field.redaction, &mut errors));
        }
    }
    let mut froms: Vec<(String, &syn::Ident)> = Vec::new();
    let mut variants = Vec::new();
    for variant in &input.variants {
        let message = check_variant(variant, &mut errors);
        variants.push(CheckedVariant { variant, message });
        for field in variant.fields.iter().filter(|field| field.from) {
            let ty = field.ty;
            let key = quote::quote!(#ty).to_string();
            if let Some((_, first)) = froms.iter().find(|(seen, _)| *seen == key) {
                errors.at(
                    variant.ident.span(),
                    format!("`{first}` is built `#[from]` this source type already: `?` could not choose; mark this one `#[source]`"),
                );
            } else {
                froms.push((key, variant.ident));
            }
        }
    }
    errors.finish()?;
    Ok(Checked {
        input,
        variants,
        secrets,
        _sealed: (),
    })
}

/// The variant's rules; its public message if it is a client error's.
fn check_variant(variant: &Variant<'_>, errors: &mut Errors) -> Option<Vec<Piece<usize>>> {
    let mut pieces = None;
    match (variant.status, &variant.message) {
        (Some(status), Some(message)) if status >= 500 => errors.at(
            message.span(),
            "a server error is answered with a generic message and an incident id, never this one: remove `message` (the variant is logged in full under the incident id)",
        ),
        (Some(status), None) if status < 500 => errors.at(
            variant.ident.span(),
            format!("client error `{}` needs the message the client sees: add `message = \"...\"` to its `#[problem(...)]`", variant.ident),
        ),
        (Some(_), Some(message)) => {
            match template::parse(&message.value(), |name| shown(name, &variant.fields)) {
                Ok(checked) => pieces = Some(checked),
                Err(error) => errors.at(message.span(), error.into_message("the message")),
            }
        }
        _ => {}
    }
    if let (Some(status), Level::Debug | Level::Trace) = (variant.status, variant.level)
        && status >= 500
    {
        errors.at(
            variant.ident.span(),
            "a server error is logged at `info` or above (`level = \"error\"` by default), so that the incident id its client gets is in the log",
        );
    }
    let sources = variant.fields.iter().filter(|field| field.source).count();
    if sources > 1 {
        errors.at(
            variant.ident.span(),
            "a variant has one source: mark one field `#[source]` or `#[from]`",
        );
    }
    if variant.fields.iter().any(|field| field.from) && variant.fields.len() != 1 {
        errors.at(
            variant.ident.span(),
            "`#[from]` builds the variant from its source alone: the variant must have no other field",
        );
    }
    pieces
}

/// The index of the field `name` of a public message: `{field}` (or `{0}`). A field may be
/// shown only if it is neither redacted, nor named like a secret, nor a source.
fn shown(name: &str, fields: &[Field<'_>]) -> Result<usize, String> {
    let (index, field) = fields
        .iter()
        .enumerate()
        .find(|(_, field)| field.name == name)
        .ok_or_else(|| template::no_field("the message", "variant", name))?;
    if field.source {
        return Err(format!(
            "the public message shows `{name}`, the error's source, whose text is internal: it is logged, never sent"
        ));
    }
    match field.redaction {
        Redaction::Masked { .. } | Redaction::Expose { .. } => Err(format!(
            "the public message shows `{name}`, a redacted field: a client error's message is built only from fields that are neither redacted nor sensitive"
        )),
        Redaction::No => Ok(index),
        Redaction::Shown => match sensitive_part(name) {
            Some(pattern) => Err(format!(
                "the public message shows `{name}`, whose name is sensitive (`{pattern}`): a client error's message is built only from fields that are neither redacted nor sensitive"
            )),
            None => Ok(index),
        },
    }
}
