//! `#[redact(...)]` on fields and types: read by `#[derive(Redact)]` and `#[derive(Sanitized)]`
//! alike, so that a field is marked once for every channel.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, LitInt, LitStr, Type};

use super::names::{guessable, sensitive_part};
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
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("redact")) {
        if found.is_some() {
            errors.at(
                attr.path().span(),
                "duplicate `#[redact]`: give every option in one attribute",
            );
            continue;
        }
        let span = attr.path().span();
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
            "omit" => &mut self.omit,
            "no" => &mut self.no,
            "expose" => &mut self.expose,
            "reason" => {
                if self.reason.is_some() {
                    return Err(meta.error("duplicate `reason`"));
                }
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
        if slot.is_some() {
            return Err(meta.error(format!("duplicate `{key}`")));
        }
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
    meta.parse_nested_meta(|inner| {
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
        if slot.is_some() {
            return Err(inner.error("duplicate option in `partial`"));
        }
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
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if !inner.path.is_ident("width") {
                return Err(inner.error("unknown option of `fixed`: the only one is `width`"));
            }
            if width.is_some() {
                return Err(inner.error("duplicate `width`"));
            }
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
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("redact")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("display") {
                if display.is_some() {
                    return Err(meta.error("duplicate `display`"));
                }
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

/// A field the rule of sensitive names looks at.
pub struct Subject<'a> {
    /// How messages name it: ``field `password` `` or ``field 0 of `ApiKey` ``.
    pub label: String,
    /// The names that say what it holds: its own, serde's names for it, or for a tuple field
    /// the name of its variant or type.
    pub names: Vec<String>,
    /// Where errors point.
    pub span: Span,
    pub ty: &'a Type,
}

/// The rule of sensitive names (G4) for one field: an error at its name, or an assertion,
/// spanned at the name, that its type is a secret type; and no fingerprint of a guessable
/// secret.
pub fn check_sensitive(
    subject: &Subject<'_>,
    redaction: Redaction,
    errors: &mut Errors,
) -> TokenStream {
    let Some(pattern) = subject.names.iter().find_map(|name| sensitive_part(name)) else {
        return TokenStream::new();
    };
    if let Redaction::Masked {
        mask: Mask::Fingerprint,
        span,
        ..
    } = redaction
        && guessable(pattern)
    {
        errors.at(
            span,
            format!("a fingerprint of a `{pattern}` can be reversed by trying every likely value: use `#[redact]` or `#[redact(fixed)]`"),
        );
    }
    if !matches!(redaction, Redaction::Shown) || is_bool(subject.ty) {
        return TokenStream::new();
    }
    if looks_secret(subject.ty) {
        let ty = subject.ty;
        let span = Span::call_site().located_at(subject.span);
        return quote_spanned! {span=> ::palisade::__private::assert_secret_type::<#ty>(); };
    }
    errors.at(
        subject.span,
        format!(
            "{} has a sensitive name (`{pattern}`): mark it `#[redact]`, make it a secret type (`palisade::SecretString`), or opt out with `#[redact(no, reason = \"...\")]`",
            subject.label
        ),
    );
    quote!()
}

/// A `bool` (also optional) says whether, never what: it holds no secret.
fn is_bool(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.path.is_ident("bool") => true,
        Type::Path(path) => type_argument(path, &["Option"]).is_some_and(is_bool),
        _ => false,
    }
}

/// The type argument of `path` when its last segment is one of `names`: `T` of `Option<T>`.
fn type_argument<'a>(path: &'a syn::TypePath, names: &[&str]) -> Option<&'a Type> {
    let last = path.path.segments.last()?;
    if !names.iter().any(|name| last.ident == name) {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `ty` is written as a secret type (through `Option`, `Box`, `Arc`, `Rc` and `Vec`):
/// the trait assertion confirms.
pub fn looks_secret(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    [
        "SecretString",
        "SecretBox",
        "SecretSlice",
        "Password",
        "PasswordHash",
    ]
    .iter()
    .any(|name| last.ident == name)
        || type_argument(path, &["Option", "Box", "Arc", "Rc", "Vec"]).is_some_and(looks_secret)
}
