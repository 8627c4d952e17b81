//! Stage 2: rules across a variant's keys and fields: what a status needs, and what a public
//! message may show.

use super::parse::{Field, Input, Variant};
use crate::errors::Errors;
use crate::redact::model::Redaction;
use crate::redact::names::sensitive_part;

pub fn check(input: &Input<'_>, errors: &mut Errors) {
    let mut froms: Vec<(String, &syn::Ident)> = Vec::new();
    for variant in &input.variants {
        check_variant(variant, errors);
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
}

fn check_variant(variant: &Variant<'_>, errors: &mut Errors) {
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
            if let Err(error) = pieces(&message.value(), &variant.fields) {
                errors.at(message.span(), error);
            }
        }
        _ => {}
    }
    if let (Some(status), super::parse::Level::Debug | super::parse::Level::Trace) =
        (variant.status, variant.level)
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
}

/// A piece of a public message: text, or a field shown with `Display`.
pub enum Piece<'m> {
    Text(String),
    Field(&'m str),
}

/// The pieces of `message`: `{field}` (or `{0}`) shows a field; `{{` and `}}` are braces. A
/// field may be shown only if it is neither redacted, nor named like a secret, nor a source.
pub fn pieces<'m>(message: &'m str, fields: &[Field<'_>]) -> Result<Vec<Piece<'m>>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '{' if rest.starts_with('{') => {
                rest = &rest[1..];
                text.push('{');
            }
            '}' if rest.starts_with('}') => {
                rest = &rest[1..];
                text.push('}');
            }
            '{' => {
                let end = rest
                    .find('}')
                    .ok_or("unclosed `{` in the message: write `{{` for a brace")?;
                let name = rest[..end].trim();
                rest = &rest[end + 1..];
                let field = fields
                    .iter()
                    .find(|field| field.name == name)
                    .ok_or_else(|| format!("the message names no field of this variant: there is no field `{name}` (write `{{field}}`, no format options)"))?;
                shown(field)?;
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                pieces.push(Piece::Field(name));
            }
            '}' => return Err("unmatched `}` in the message: write `}}` for a brace".to_owned()),
            c => text.push(c),
        }
    }
    pieces.push(Piece::Text(text));
    Ok(pieces)
}

/// Whether a field may appear in a public message.
fn shown(field: &Field<'_>) -> Result<(), String> {
    let name = &field.name;
    if field.source {
        return Err(format!(
            "the public message shows `{name}`, the error's source, whose text is internal: it is logged, never sent"
        ));
    }
    match field.redaction {
        Redaction::Masked { .. } | Redaction::Expose { .. } => Err(format!(
            "the public message shows `{name}`, a redacted field: a client error's message is built only from fields that are neither redacted nor sensitive"
        )),
        Redaction::No => Ok(()),
        Redaction::Shown => match sensitive_part(name) {
            Some(pattern) => Err(format!(
                "the public message shows `{name}`, whose name is sensitive (`{pattern}`): a client error's message is built only from fields that are neither redacted nor sensitive"
            )),
            None => Ok(()),
        },
    }
}
