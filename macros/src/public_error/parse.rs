//! Stage 1: the enum and its `#[problem(...)]` attributes → the model.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitInt, LitStr, Member, Type};

use crate::attr::Keys;
use crate::attr::redact::{self, Redaction};
use crate::attr::sensitive::Subject;
use crate::attr::serde::{RenameRule, unraw};
use crate::errors::Errors;

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub variants: Vec<Variant<'a>>,
    /// Where a `#[redact]` field asks for the `Redact` derive.
    pub needs_redact: Option<Span>,
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    pub fields: Vec<Field<'a>>,
    pub style: Style,
    /// `status = 404`; `None` when missing (reported).
    pub status: Option<u16>,
    /// `code = "..."`, or the variant's name in snake case.
    pub code: String,
    pub code_span: Span,
    /// `message = "..."`.
    pub message: Option<LitStr>,
    /// `level = "..."`, or the default for the status.
    pub level: Level,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Named,
    Tuple,
    Unit,
}

pub struct Field<'a> {
    pub member: Member,
    /// The name placeholders use: `title`, or `0` for a tuple field.
    pub name: String,
    pub ty: &'a Type,
    pub redaction: Redaction,
    /// `#[from]`: a `From` impl, and the source of the error.
    pub from: bool,
    /// `#[source]` (or `#[from]`): the next error in the chain, never shown.
    pub source: bool,
    /// What the rule of sensitive names reads: a named field that is not a source (a source
    /// is another error type, logged and never sent, whose name says nothing of a secret).
    pub subject: Option<Subject<'a>>,
}

#[derive(Clone, Copy)]
pub enum Level {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

const KNOWN: &[&str] = &["status", "code", "message", "level"];
const KEYS: &str = "`status`, `code`, `message` or `level`";

pub fn parse<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Input<'a> {
    let mut needs_redact = None;
    let variants = if let Data::Enum(data) = &input.data {
        data.variants
            .iter()
            .map(|variant| {
                let fields = fields(&variant.fields, errors, &mut needs_redact);
                parse_variant(variant, fields, errors)
            })
            .collect()
    } else {
        errors.at(
            input.ident.span(),
            "`PublicError` is derived for enums: one variant per way the operation can fail",
        );
        Vec::new()
    };
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("problem"))
    {
        errors.at(
            attr.path().span(),
            "`#[problem(...)]` goes on each variant, not on the enum",
        );
    }
    Input {
        ident: &input.ident,
        generics: &input.generics,
        variants,
        needs_redact,
    }
}

#[allow(clippy::too_many_lines)] // one branch per key keeps the attribute's syntax in one place
fn parse_variant<'a>(
    variant: &'a syn::Variant,
    fields: Vec<Field<'a>>,
    errors: &mut Errors,
) -> Variant<'a> {
    let style = match variant.fields {
        Fields::Named(_) => Style::Named,
        Fields::Unnamed(_) => Style::Tuple,
        Fields::Unit => Style::Unit,
    };
    let mut status = None;
    let mut status_given = false;
    let mut code = None;
    let mut message = None;
    let mut level = None;
    let mut seen = false;
    let mut attributes = Keys::default().hint(": give every key in one");
    let mut keys = Keys::default();
    for attr in variant
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("problem"))
    {
        if errors
            .keep(attributes.first_at("#[problem]", attr.path().span()))
            .is_none()
        {
            continue;
        }
        seen = true;
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if KNOWN.contains(&key.as_str()) {
                keys.first(&meta)?;
            }
            match key.as_str() {
                // status = 404
                "status" => {
                    status_given = true;
                    let literal = meta.value()?.parse::<LitInt>()?;
                    let value: u16 = literal.base10_parse()?;
                    if !(400..=599).contains(&value) {
                        return Err(syn::Error::new(
                            literal.span(),
                            "an error's status is a client (400–499) or server (500–599) error",
                        ));
                    }
                    status = Some(value);
                }
                // code = "note_not_found"
                "code" => {
                    let literal = meta.value()?.parse::<LitStr>()?;
                    let value = literal.value();
                    let valid = value.starts_with(|c: char| c.is_ascii_lowercase())
                        && value
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                    if !valid {
                        return Err(syn::Error::new(
                            literal.span(),
                            "a code is lowercase ASCII in snake case, like `note_not_found`",
                        ));
                    }
                    code = Some((value, literal.span()));
                }
                // message = "a note titled {title} exists"
                "message" => {
                    message = Some(meta.value()?.parse::<LitStr>()?);
                }
                // level = "warn"
                "level" => {
                    let literal = meta.value()?.parse::<LitStr>()?;
                    level = Some(match literal.value().as_str() {
                        "error" => Level::Error,
                        "warn" => Level::Warn,
                        "info" => Level::Info,
                        "debug" => Level::Debug,
                        "trace" => Level::Trace,
                        _ => {
                            return Err(syn::Error::new(
                                literal.span(),
                                "unknown level: expected \"error\", \"warn\", \"info\", \"debug\" or \"trace\"",
                            ));
                        }
                    });
                }
                _ => {
                    return Err(meta.error(format!(
                        "unknown key `{}` in `#[problem(...)]`: expected {KEYS}",
                        crate::errors::path_text(&meta.path)
                    )));
                }
            }
            Ok(())
        });
        errors.keep(result);
    }
    if !status_given && seen {
        errors.at(
            variant.ident.span(),
            format!(
                "variant `{}` has no status: add `status = ...` to its `#[problem(...)]`",
                variant.ident
            ),
        );
    } else if !seen {
        errors.at(
            variant.ident.span(),
            format!("variant `{}` has no status: add `#[problem(status = 404, message = \"...\")]`, or `#[problem(status = 500)]` for a server error", variant.ident),
        );
    }
    let server = status.is_none_or(|status| status >= 500);
    let (code, code_span) = code.unwrap_or_else(|| {
        (
            RenameRule::Snake.apply_to_variant(&unraw(&variant.ident)),
            variant.ident.span(),
        )
    });
    Variant {
        ident: &variant.ident,
        fields,
        style,
        status,
        code,
        code_span,
        message,
        level: level.unwrap_or(if server { Level::Error } else { Level::Info }),
    }
}

fn fields<'a>(
    fields: &'a Fields,
    errors: &mut Errors,
    needs_redact: &mut Option<Span>,
) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let redaction = redact::parse_field(&field.attrs, errors);
            if needs_redact.is_none() {
                *needs_redact = redaction.needs_derive();
            }
            let mut from = false;
            let mut source = false;
            for attr in &field.attrs {
                if attr.path().is_ident("from") || attr.path().is_ident("source") {
                    if !matches!(attr.meta, syn::Meta::Path(_)) {
                        errors.at(
                            attr.meta.span(),
                            "`#[from]` and `#[source]` take no arguments",
                        );
                    }
                    from |= attr.path().is_ident("from");
                    source = true;
                }
            }
            let (member, name) = match &field.ident {
                Some(ident) => (Member::Named(ident.clone()), unraw(ident)),
                None => (Member::Unnamed(index.into()), index.to_string()),
            };
            let subject = match &field.ident {
                Some(ident) if !source => Some(Subject {
                    label: format!("field `{name}`"),
                    names: vec![name.clone()],
                    span: ident.span(),
                    ty: &field.ty,
                }),
                _ => None,
            };
            Field {
                member,
                name,
                ty: &field.ty,
                redaction,
                from,
                source,
                subject,
            }
        })
        .collect()
}
