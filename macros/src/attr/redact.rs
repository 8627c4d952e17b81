//! `#[redact(...)]` on fields and types: read by `#[derive(Redact)]`, `#[derive(Sanitized)]`
//! and `#[derive(PublicError)]` alike, so that a field is marked once for every channel.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, LitInt, LitStr};

use super::Keys;
use crate::errors::Errors;

/// How a field shows in `Debug`, `Display` and `Serialize`.
#[derive(Clone, Copy)]
pub enum Mask {
    Full,
    Partial {
        first: usize,
        last: usize,
        min: usize,
    },
    Fixed {
        width: usize,
    },
    Email,
    Fingerprint,
}

/// What `#[redact(...)]` says of a field.
#[derive(Clone, Copy)]
pub enum Redaction {
    /// No `#[redact]`: the field shows as it is.
    Shown,
    /// `#[redact(no, reason = "...")]`: shown, and its sensitive name is accepted.
    No,
    /// Masked in every channel; with `omit`, left out of `Serialize`.
    Masked { mask: Mask, omit: bool, span: Span },
    /// `#[redact(expose, reason = "...")]`: a secret type serialized as itself.
    Expose { span: Span },
}

impl Redaction {
    /// Whether the field needs the `Redact` derive's impls to be masked.
    pub fn needs_derive(self) -> Option<Span> {
        match self {
            Redaction::Masked { span, .. } | Redaction::Expose { span } => Some(span),
            Redaction::Shown | Redaction::No => None,
        }
    }
}

const KEYS: &str = "`partial(...)`, `fixed`, `email`, `fingerprint`, `omit`, `no` or `expose` (a bare `#[redact]` is the full mask)";

/// Reads the `#[redact]` attributes of a field.
pub fn parse_field(attrs: &[Attribute], errors: &mut Errors) -> Redaction {
    let mut found: Option<Redaction> = None;
    let mut attributes = Keys::default().hint(": give every option in one attribute");
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("redact")) {
        let span = attr.path().span();
        if errors
            .keep(attributes.first_at("#[redact]", span))
            .is_none()
        {
            continue;
        }
        if matches!(attr.meta, syn::Meta::Path(_)) {
            found = Some(Redaction::Masked {
                mask: Mask::Full,
                omit: false,
                span,
            });
            continue;
        }
        let mut options = Options::default();
        let result = attr.parse_nested_meta(|meta| options.read(&meta));
        if errors.keep(result).is_some() {
            found = Some(options.finish(span, errors));
        } else {
            // Malformed: masked fully, so that no follow-on error claims the field is shown.
            found = Some(Redaction::Masked {
                mask: Mask::Full,
                omit: false,
                span,
            });
        }
    }
    found.unwrap_or(Redaction::Shown)
}

#[derive(Default)]
struct Options {
    keys: Keys<'static>,
    mask: Option<(Mask, Span)>,
    omit: Option<Span>,
    no: Option<Span>,
    expose: Option<Span>,
    reason: Option<LitStr>,
}

impl Options {
    fn read(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let span = meta.path.span();
        let mask = match key.as_str() {
            "full" => Some(Mask::Full),
            "email" => Some(Mask::Email),
            "fingerprint" => Some(Mask::Fingerprint),
            "partial" => Some(parse_partial(meta)?),
            "fixed" => Some(parse_fixed(meta)?),
            _ => None,
        };
        if let Some(mask) = mask {
            // full | email | fingerprint | partial(...) | fixed | fixed(...)
            if self.mask.is_some() {
                return Err(meta.error("one masking strategy per field: remove one"));
            }
            if matches!(mask, Mask::Full | Mask::Email | Mask::Fingerprint) {
                no_arguments(meta, &key)?;
            }
            self.mask = Some((mask, span));
            return Ok(());
        }
        let slot = match key.as_str() {
            // omit | no | expose
            "omit" => &mut self.omit,
            "no" => &mut self.no,
            "expose" => &mut self.expose,
            // reason = "..."
            "reason" => {
                self.keys.first(meta)?;
                let reason = meta.value()?.parse::<LitStr>()?;
                if reason.value().trim().is_empty() {
                    return Err(syn::Error::new(
                        reason.span(),
                        "the reason is empty: say why this field needs no masking",
                    ));
                }
                self.reason = Some(reason);
                return Ok(());
            }
            _ => {
                return Err(meta.error(format!(
                    "unknown `redact` option `{}`: expected {KEYS}",
                    crate::errors::path_text(&meta.path)
                )));
            }
        };
        self.keys.first(meta)?;
        no_arguments(meta, &key)?;
        *slot = Some(span);
        Ok(())
    }

    fn finish(self, span: Span, errors: &mut Errors) -> Redaction {
        if let (Some(_), Some(expose)) = (self.no, self.expose) {
            errors.at(expose, "`expose` contradicts `no`: give one");
            return Redaction::No;
        }
        let opt_out = self
            .no
            .map(|at| (at, "no"))
            .or(self.expose.map(|at| (at, "expose")));
        if let Some((at, word)) = opt_out {
            if let Some((_, mask_span)) = self.mask {
                errors.at(
                    mask_span,
                    format!("`{word}` contradicts a masking strategy: a field is masked or not"),
                );
            }
            if let Some(omit) = self.omit {
                errors.at(
                    omit,
                    format!("`{word}` contradicts `omit`: a field is masked or not"),
                );
            }
            if self.reason.is_none() {
                errors.at(
                    at,
                    format!("`{word}` needs a reason: `#[redact({word}, reason = \"...\")]`"),
                );
            }
            return if word == "no" {
                Redaction::No
            } else {
                Redaction::Expose { span: at }
            };
        }
        if let Some(reason) = &self.reason {
            errors.at(
                reason.span(),
                "`reason` goes with `no` or `expose`: a masked field needs none",
            );
        }
        Redaction::Masked {
            mask: self.mask.map_or(Mask::Full, |(mask, _)| mask),
            omit: self.omit.is_some(),
            span,
        }
    }
}

fn no_arguments(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{key}` takes no arguments")));
    }
    Ok(())
}

fn number(meta: &ParseNestedMeta<'_>) -> syn::Result<usize> {
    meta.value()?.parse::<LitInt>()?.base10_parse()
}

/// `partial(last = 4)`, `partial(first = 1, last = 2, min = 8)`.
fn parse_partial(meta: &ParseNestedMeta<'_>) -> syn::Result<Mask> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(
            "`partial` needs what to show: `partial(last = 4)`, `partial(first = 1, last = 2)`",
        ));
    }
    let (mut first, mut last, mut min) = (None, None, None);
    let mut keys = Keys::within("partial");
    meta.parse_nested_meta(|inner| {
        // first = n | last = n | min = n
        let slot = if inner.path.is_ident("first") {
            &mut first
        } else if inner.path.is_ident("last") {
            &mut last
        } else if inner.path.is_ident("min") {
            &mut min
        } else {
            return Err(
                inner.error("unknown option of `partial`: expected `first`, `last` or `min`")
            );
        };
        keys.first(&inner)?;
        *slot = Some(number(&inner)?);
        Ok(())
    })?;
    let (first, last) = (first.unwrap_or(0), last.unwrap_or(0));
    if first + last == 0 {
        return Err(
            meta.error("`partial` shows nothing: give `last = n` or `first = n` (or use `fixed`)")
        );
    }
    // At least half of the text stays hidden.
    let floor = 2 * (first + last);
    if min.is_some_and(|min| min < floor) {
        return Err(meta.error(format!(
            "`min` below {floor} would show more than half of a short value: give `min = {floor}` or more, or show fewer characters"
        )));
    }
    let min = min.unwrap_or(floor);
    Ok(Mask::Partial { first, last, min })
}

/// `fixed`, `fixed(width = 6)`.
fn parse_fixed(meta: &ParseNestedMeta<'_>) -> syn::Result<Mask> {
    let mut width = None;
    let mut keys = Keys::within("fixed");
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            // width = n
            if !inner.path.is_ident("width") {
                return Err(inner.error("unknown option of `fixed`: the only one is `width`"));
            }
            keys.first(&inner)?;
            let value = number(&inner)?;
            if value == 0 {
                return Err(inner.error("`width` must be at least 1"));
            }
            width = Some(value);
            Ok(())
        })?;
    }
    Ok(Mask::Fixed {
        width: width.unwrap_or(8),
    })
}

/// Reads `#[redact(display = "...")]` on a type.
pub fn parse_type(attrs: &[Attribute], errors: &mut Errors) -> Option<LitStr> {
    let mut display = None;
    let mut keys = Keys::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("redact")) {
        let result = attr.parse_nested_meta(|meta| {
            // display = "..."
            if meta.path.is_ident("display") {
                keys.first(&meta)?;
                display = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error(
                    "unknown key on the type: `#[redact(...)]` on a type takes `display = \"...\"`; masks go on the fields",
                ))
            }
        });
        errors.keep(result);
    }
    display
}
