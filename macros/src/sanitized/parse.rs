//! Stage 1: `syn` → the model of a `Sanitized` type, with a span on everything.
//!
//! Parsing checks only the syntax of `#[clean(...)]` and `#[validate(...)]`: unknown and
//! duplicated keys, and values of the wrong kind. Rules that relate keys, fields and types to
//! each other are in `check`.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{
    Data, DeriveInput, Expr, ExprLit, Fields, Ident, Lit, LitInt, LitStr, Member, Path, Token, Type,
};

use super::kind::{Kind, kind_of};
use crate::attr::Keys;
use crate::attr::redact::{self, Redaction};
use crate::attr::serde::{RenameRule, SerdeAttrs, Tagging, skip_value, unraw};
use crate::errors::Errors;

/// A type deriving `Sanitized`.
pub struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    /// `#[validate(context = Type)]`
    pub context: Option<Type>,
    /// `#[validate(custom = path)]` on the type: rules across fields.
    pub custom: Vec<Custom>,
    pub body: Body,
}

pub enum Body {
    Struct(Shape),
    Enum(Vec<Variant>),
}

pub struct Variant {
    pub ident: Ident,
    /// The path segment the variant adds: its name for externally tagged enums, the content
    /// key for adjacently tagged ones, nothing otherwise.
    pub segment: Option<String>,
    pub shape: Shape,
}

pub struct Shape {
    pub fields: Vec<Field>,
}

/// How a field extends the path.
#[derive(Clone)]
pub enum Segment {
    /// `.name`
    Name(String),
    /// `[index]`, for tuples of more than one field.
    Index(usize),
    /// Nothing: newtypes, `#[serde(transparent)]` and `#[serde(flatten)]`.
    Transparent,
}

pub struct Field {
    pub member: Member,
    /// The Rust name, for messages: `email`, or `0` for a tuple field.
    pub name: String,
    /// Where errors about the field as a whole point: its name, or its type for tuple fields.
    pub name_span: Span,
    pub segment: Segment,
    pub ty: Type,
    pub cleaners: Vec<Cleaner>,
    pub rules: Rules,
    /// Whether an attribute of the field failed to parse: the field's other checks are then
    /// skipped, so that one typo gives one error.
    pub malformed: bool,
    /// What `#[redact(...)]` says of the field.
    pub redaction: Redaction,
    /// How the rule of sensitive names words it: ``field `password` ``.
    pub label: String,
    /// The names that say what it holds: its own and serde's, or for a tuple field the name
    /// of its variant or type.
    pub sensitive_names: Vec<String>,
}

/// One `#[clean(...)]` step.
pub enum Cleaner {
    /// A text sanitizer of `palisade::sanitize`, by function name.
    Text {
        function: &'static str,
        /// The sanitizer's name in the attribute.
        span: Span,
    },
    /// `custom = path`: `fn(&mut FieldType)`.
    Custom(Path),
}

/// A `custom` rule: `fn(&T) -> Result<(), palisade::validate::Invalid>`, or `fn(&T, &Context)` with
/// `with_context`.
#[derive(Clone)]
pub struct Custom {
    pub function: Path,
    pub with_context: Option<Span>,
}

/// A number given to `length` or `range`: the expression, and its value when it is a literal.
#[derive(Clone)]
pub struct Bound {
    pub expr: Expr,
    pub value: Option<Number>,
}

/// The value of a number literal: integers exactly, so that bounds past 2^53 compare right.
#[derive(Clone, Copy, Debug)]
pub enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    #[allow(clippy::cast_precision_loss)] // only to compare an integer with a float
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(int) => int as f64,
            Number::Float(float) => float,
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a.partial_cmp(b),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(int) => write!(f, "{int}"),
            Number::Float(float) => write!(f, "{float}"),
        }
    }
}

impl Bound {
    pub fn span(&self) -> Span {
        self.expr.span()
    }
}

#[derive(Clone, Default)]
pub struct Length {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    pub equal: Option<Bound>,
    pub bytes: Option<Span>,
    pub chars: Option<Span>,
}

#[derive(Clone, Default)]
pub struct Range {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    pub exclusive_min: Option<Bound>,
    pub exclusive_max: Option<Bound>,
}

#[derive(Clone, Copy)]
pub enum IpVersion {
    Any,
    V4,
    V6,
}

/// A rule; `F` is how a rule names another field of the type: as written (`Ident`) once
/// parsed, the field itself (`check::Sibling`) once checked.
#[derive(Clone)]
pub enum RuleKind<F = Ident> {
    Length(Length),
    Range(Range),
    Email,
    Url { schemes: Vec<LitStr> },
    Ip(IpVersion),
    Regex(LitStr),
    Contains(LitStr),
    DoesNotContain(LitStr),
    OneOf(Vec<Lit>),
    Required,
    MustMatch(F),
    Password { unlike: Option<F> },
    CreditCard,
    NonControlCharacter,
    Dive,
    Custom(Custom),
}

pub struct Rule<F = Ident> {
    /// The key's span: `email` in `#[validate(email)]`.
    pub span: Span,
    pub kind: RuleKind<F>,
}

/// A reasoned opt-out: `skip(reason = "...")`, `unbounded(reason = "...")`.
#[derive(Clone, Copy)]
pub struct Reason {
    pub span: Span,
}

/// The rules of one level: a field, or the elements (`each`) or keys (`keys`) of one.
pub struct Rules<F = Ident> {
    pub items: Vec<Rule<F>>,
    pub each: Option<(Span, Box<Rules<F>>)>,
    pub keys: Option<(Span, Box<Rules<F>>)>,
    pub skip: Option<Reason>,
    pub unbounded: Option<Reason>,
}

impl<F> Default for Rules<F> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            each: None,
            keys: None,
            skip: None,
            unbounded: None,
        }
    }
}

impl<F> Rules<F> {
    /// Whether a rule decides the value (an `unbounded` opt-out alone does not).
    pub fn decides(&self) -> bool {
        let nested_decides = |slot: &Option<(Span, Box<Rules<F>>)>| {
            slot.as_ref().is_some_and(|(_, rules)| rules.decides())
        };
        !self.items.is_empty()
            || self.skip.is_some()
            || nested_decides(&self.each)
            || nested_decides(&self.keys)
    }

    /// Whether `length` sets an upper bound, or `unbounded` opts out of one.
    pub fn bounds_size(&self) -> bool {
        self.unbounded.is_some() || self.size_limit().is_some()
    }

    /// The `length` rule that sets an upper bound.
    pub fn size_limit(&self) -> Option<&Length> {
        self.items.iter().find_map(|rule| match &rule.kind {
            RuleKind::Length(length) if length.max.is_some() || length.equal.is_some() => {
                Some(length)
            }
            _ => None,
        })
    }

    /// The rules of the level where the text of a field of type `ty` is: the field itself,
    /// or its elements (`each`) for collections and maps, through `Option`.
    pub fn text_level<'r>(&'r self, ty: &Type) -> Option<&'r Rules<F>> {
        match kind_of(ty) {
            Kind::Optional(inner) => self.text_level(inner),
            Kind::Sequence(element) | Kind::Array(element) | Kind::Map(_, element) => {
                let (_, each) = self.each.as_ref()?;
                each.text_level(element)
            }
            Kind::Text | Kind::Bytes | Kind::Other => Some(self),
            Kind::Tuple(_) => None,
        }
    }
}

pub fn parse<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Input<'a> {
    let serde = SerdeAttrs::read(&input.attrs);
    let mut context = None;
    let mut custom = Vec::new();
    let mut keys = Keys::default();
    for attr in &input.attrs {
        if attr.path().is_ident("clean") {
            errors.at(
                attr.path().span(),
                "`#[clean(...)]` goes on fields, not on the type",
            );
        } else if attr.path().is_ident("validate") {
            let result = attr.parse_nested_meta(|meta| {
                // context = Type
                if meta.path.is_ident("context") {
                    keys.first(&meta)?;
                    context = Some(meta.value()?.parse::<Type>()?);
                    Ok(())
                // custom = path | custom(function = path, with_context)
                } else if meta.path.is_ident("custom") {
                    custom.push(parse_custom(&meta)?);
                    Ok(())
                } else {
                    Err(meta.error(
                        "unknown key on the type: `#[validate(...)]` on a type takes `context = Type` or `custom = path`; put field rules on the fields",
                    ))
                }
            });
            errors.keep(result);
        }
    }

    let body = match &input.data {
        Data::Struct(data) => {
            let transparent = serde.transparent
                || data.fields.len() == 1 && !matches!(data.fields, Fields::Named(_));
            Body::Struct(parse_shape(
                &data.fields,
                &input.ident,
                serde.rename_all,
                transparent,
                errors,
            ))
        }
        Data::Enum(data) => {
            let tagging = serde.tagging();
            let variants = data
                .variants
                .iter()
                .map(|variant| parse_variant(variant, &serde, &tagging, errors))
                .collect();
            Body::Enum(variants)
        }
        Data::Union(data) => {
            errors.at(
                data.union_token.span,
                "`Sanitized` cannot be derived for a union: use a struct or an enum",
            );
            Body::Struct(Shape { fields: Vec::new() })
        }
    };

    Input {
        ident: &input.ident,
        generics: &input.generics,
        context,
        custom,
        body,
    }
}

/// One variant of an enum: its path segment (by serde's tagging) and its fields.
fn parse_variant(
    variant: &syn::Variant,
    serde: &SerdeAttrs,
    tagging: &Tagging,
    errors: &mut Errors,
) -> Variant {
    for attr in &variant.attrs {
        if attr.path().is_ident("redact") {
            errors.at(
                attr.path().span(),
                "`#[redact]` goes on the variant's fields, not on the variant",
            );
        }
        if attr.path().is_ident("clean") || attr.path().is_ident("validate") {
            errors.at(
                attr.path().span(),
                "rules go on the variant's fields, not on the variant",
            );
        }
    }
    let variant_serde = SerdeAttrs::read(&variant.attrs);
    let wire = variant_serde.rename.clone().unwrap_or_else(|| {
        let name = unraw(&variant.ident);
        serde
            .rename_all
            .map_or_else(|| name.clone(), |rule| rule.apply_to_variant(&name))
    });
    let segment = match &tagging {
        _ if variant_serde.untagged => None,
        Tagging::External => Some(wire),
        Tagging::Adjacent { content } => Some(content.clone()),
        Tagging::Internal | Tagging::Untagged => None,
    };
    let field_rule = variant_serde.rename_all.or(serde.rename_all_fields);
    let transparent = variant.fields.len() == 1 && !matches!(variant.fields, Fields::Named(_));
    Variant {
        ident: variant.ident.clone(),
        segment,
        shape: parse_shape(
            &variant.fields,
            &variant.ident,
            field_rule,
            transparent,
            errors,
        ),
    }
}

fn parse_shape(
    fields: &Fields,
    owner: &Ident,
    rename_all: Option<RenameRule>,
    transparent: bool,
    errors: &mut Errors,
) -> Shape {
    // The position of a tuple field in the input: serde leaves skipped fields out.
    let mut wire_index = 0;
    let fields = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let serde = SerdeAttrs::read(&field.attrs);
            let position = wire_index;
            if !serde.skip_deserializing {
                wire_index += 1;
            }
            let (member, name, name_span, wire) = match &field.ident {
                Some(ident) => {
                    let name = unraw(ident);
                    let wire = serde.rename.clone().unwrap_or_else(|| {
                        rename_all.map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
                    });
                    (
                        Member::Named(ident.clone()),
                        name,
                        ident.span(),
                        Segment::Name(wire),
                    )
                }
                None => (
                    Member::Unnamed(index.into()),
                    index.to_string(),
                    field.ty.span(),
                    Segment::Index(position),
                ),
            };
            let segment = if transparent || serde.flatten {
                Segment::Transparent
            } else {
                wire
            };
            let mut cleaners = Vec::new();
            let mut rules = Rules::default();
            let mut rule_keys = rule_keys();
            let errors_before = errors.count();
            for attr in &field.attrs {
                if attr.path().is_ident("clean") {
                    let result = attr.parse_nested_meta(|meta| {
                        if let Some(cleaner) = parse_cleaner(&meta, errors)? {
                            if let Cleaner::Text { function, span } = &cleaner
                                && cleaners.iter().any(|earlier| {
                                    matches!(earlier, Cleaner::Text { function: other, .. }
                                        if same_cleaner(other, function))
                                })
                            {
                                errors.at(
                                    *span,
                                    format!(
                                        "duplicate sanitizer `{}`: each runs once, so give it once",
                                        cleaner_name(function)
                                    ),
                                );
                            }
                            cleaners.push(cleaner);
                        }
                        Ok(())
                    });
                    errors.keep(result);
                } else if attr.path().is_ident("validate") {
                    let result = attr.parse_nested_meta(|meta| {
                        parse_rule(&meta, &mut rules, &mut rule_keys, errors)
                    });
                    errors.keep(result);
                }
            }
            let malformed = errors.count() > errors_before;
            let redaction = redact::parse_field(&field.attrs, errors);
            let (label, sensitive_names) = match &field.ident {
                Some(ident) => (
                    format!("field `{name}`"),
                    SerdeAttrs::all_names(&field.attrs, &unraw(ident)),
                ),
                None => (
                    format!("field {index} of `{}`", unraw(owner)),
                    vec![unraw(owner)],
                ),
            };
            Field {
                member,
                name,
                name_span,
                segment,
                ty: field.ty.clone(),
                cleaners,
                rules,
                malformed,
                redaction,
                label,
                sensitive_names,
            }
        })
        .collect();
    Shape { fields }
}

const TEXT_CLEANERS: &[&str] = &[
    "trim",
    "lowercase",
    "uppercase",
    "nfc",
    "nfkc",
    "strip_control",
    "strip_invisible",
    "collapse_whitespace",
    "escape_html",
    "html",
];

/// `strip_control` with or without `keep_newlines` is one sanitizer.
pub fn cleaner_name(function: &str) -> &str {
    function.strip_suffix("_keep_newlines").unwrap_or(function)
}

fn same_cleaner(a: &str, b: &str) -> bool {
    cleaner_name(a) == cleaner_name(b)
}

fn parse_cleaner(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<Option<Cleaner>> {
    // custom = path
    if meta.path.is_ident("custom") {
        let function = meta.value()?.parse::<Path>()?;
        return Ok(Some(Cleaner::Custom(function)));
    }
    // strip_control(keep_newlines)
    if meta.path.is_ident("strip_control") && meta.input.peek(syn::token::Paren) {
        let mut keys = Keys::within("strip_control");
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("keep_newlines") {
                keys.first(&inner)?;
                no_value(&inner, "keep_newlines")
            } else {
                Err(inner
                    .error("unknown option of `strip_control`: the only one is `keep_newlines`"))
            }
        })?;
        return Ok(Some(Cleaner::Text {
            function: "strip_control_keep_newlines",
            span: meta.path.span(),
        }));
    }
    // trim | lowercase | uppercase | nfc | nfkc | strip_control | strip_invisible
    // | collapse_whitespace | escape_html | html
    let name = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    if let Some(function) = TEXT_CLEANERS.iter().find(|known| **known == name) {
        no_value(meta, function)?;
        return Ok(Some(Cleaner::Text {
            function,
            span: meta.path.span(),
        }));
    }
    errors.push(meta.error(format!(
        "unknown sanitizer `{}`: expected one of {}, or `custom = path`",
        crate::errors::path_text(&meta.path),
        TEXT_CLEANERS
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )));
    skip_value(meta)?;
    Ok(None)
}

const RULE_KEYS: &str = "`length`, `range`, `email`, `url`, `ip`, `regex`, `contains`, `does_not_contain`, `one_of`, `required`, `must_match`, `password`, `credit_card`, `non_control_character`, `dive`, `custom`, `each`, `keys`, `skip` or `unbounded`";

/// The keys of one level of rules: each is given once, but for `custom`.
fn rule_keys() -> Keys<'static> {
    Keys::default().hint(": give each rule once per field")
}

#[allow(clippy::too_many_lines)] // one arm per key keeps the grammar in one place
fn parse_rule(
    meta: &ParseNestedMeta<'_>,
    rules: &mut Rules,
    keys: &mut Keys<'_>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let span = meta.path.span();
    let name = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    if RULE_NAMES.contains(&name.as_str())
        && name != "custom"
        && let Err(duplicate) = keys.first(meta)
    {
        errors.push(duplicate);
        return skip_value(meta);
    }
    let kind = match name.as_str() {
        // length(min = N, max = N, equal = N, bytes | chars)
        "length" => RuleKind::Length(parse_length(meta)?),
        // range(min = X, max = X, exclusive_min = X, exclusive_max = X)
        "range" => RuleKind::Range(parse_range(meta)?),
        // email
        "email" => flag(meta, "email", RuleKind::Email)?,
        // url | url(schemes = ["https", ...])
        "url" => {
            let mut schemes = Vec::new();
            if meta.input.peek(syn::token::Paren) {
                let mut keys = Keys::within("url");
                meta.parse_nested_meta(|inner| {
                    // schemes = ["https", ...]
                    if inner.path.is_ident("schemes") {
                        keys.first(&inner)?;
                        schemes = parse_str_list(&inner)?;
                        if schemes.is_empty() {
                            return Err(inner.error(
                                "`schemes` is empty, so no URL would pass: list the allowed schemes, like `[\"https\"]`",
                            ));
                        }
                        Ok(())
                    } else {
                        Err(inner.error(
                            "unknown option of `url`: the only one is `schemes = [\"https\", ...]`",
                        ))
                    }
                })?;
            }
            RuleKind::Url { schemes }
        }
        // ip | ip(v4) | ip(v6)
        "ip" => {
            let mut version = IpVersion::Any;
            if meta.input.peek(syn::token::Paren) {
                let mut given = false;
                meta.parse_nested_meta(|inner| {
                    if given {
                        return Err(inner.error(
                            "`ip` takes one version: `ip(v4)` or `ip(v6)`, or plain `ip` for either",
                        ));
                    }
                    given = true;
                    version = if inner.path.is_ident("v4") {
                        IpVersion::V4
                    } else if inner.path.is_ident("v6") {
                        IpVersion::V6
                    } else {
                        return Err(inner.error("unknown option of `ip`: expected `v4` or `v6`"));
                    };
                    Ok(())
                })?;
            }
            RuleKind::Ip(version)
        }
        // regex = "pattern" | regex(pattern = "pattern")
        "regex" => {
            if meta.input.peek(syn::token::Paren) {
                let mut pattern = None;
                let mut keys = Keys::within("regex");
                meta.parse_nested_meta(|inner| {
                    // pattern = "..."
                    if inner.path.is_ident("pattern") {
                        keys.first(&inner)?;
                        pattern = Some(inner.value()?.parse::<LitStr>()?);
                        Ok(())
                    } else {
                        Err(inner.error(
                            "unknown option of `regex`: the only one is `pattern = \"...\"`",
                        ))
                    }
                })?;
                RuleKind::Regex(
                    pattern.ok_or_else(|| meta.error("`regex` needs `pattern = \"...\"`"))?,
                )
            } else {
                RuleKind::Regex(string_value(meta, "regex = \"^[a-z]+$\"")?)
            }
        }
        // contains = "text"
        "contains" => RuleKind::Contains(string_value(meta, "contains = \"text\"")?),
        // does_not_contain = "text"
        "does_not_contain" => {
            RuleKind::DoesNotContain(string_value(meta, "does_not_contain = \"text\"")?)
        }
        // one_of = ["a", "b"] | one_of = [1, 2]
        "one_of" => {
            let value = meta.value()?.parse::<Expr>()?;
            let Expr::Array(array) = value else {
                return Err(syn::Error::new(
                    value.span(),
                    "expected a list of literals: `one_of = [\"a\", \"b\"]`",
                ));
            };
            let mut literals = Vec::new();
            for element in array.elems {
                match element {
                    Expr::Lit(ExprLit { lit, .. }) => literals.push(lit),
                    other => {
                        return Err(syn::Error::new(
                            other.span(),
                            "`one_of` takes literals only",
                        ));
                    }
                }
            }
            RuleKind::OneOf(literals)
        }
        // required
        "required" => flag(meta, "required", RuleKind::Required)?,
        // must_match = other_field
        "must_match" => RuleKind::MustMatch(meta.value()?.parse::<Ident>()?),
        // password | password(unlike = other_field)
        "password" => {
            let mut unlike = None;
            if meta.input.peek(Token![=]) {
                return Err(meta.error(
                    "`password` takes no value: `password`, or `password(unlike = other_field)`",
                ));
            }
            if meta.input.peek(syn::token::Paren) {
                let mut keys = Keys::within("password");
                meta.parse_nested_meta(|inner| {
                    // unlike = other_field
                    if inner.path.is_ident("unlike") {
                        keys.first(&inner)?;
                        unlike = Some(inner.value()?.parse::<Ident>()?);
                        Ok(())
                    } else {
                        Err(inner.error(
                            "unknown option of `password`: the only one is `unlike = other_field`",
                        ))
                    }
                })?;
            }
            RuleKind::Password { unlike }
        }
        // credit_card
        "credit_card" => flag(meta, "credit_card", RuleKind::CreditCard)?,
        // non_control_character
        "non_control_character" => {
            flag(meta, "non_control_character", RuleKind::NonControlCharacter)?
        }
        // dive
        "dive" => flag(meta, "dive", RuleKind::Dive)?,
        // custom = path | custom(function = path, with_context)
        "custom" => RuleKind::Custom(parse_custom(meta)?),
        // each(rules...) | keys(rules...)
        "each" | "keys" => {
            let slot = if name == "each" {
                &mut rules.each
            } else {
                &mut rules.keys
            };
            let mut inner_rules = Rules::default();
            let mut inner_keys = rule_keys();
            meta.parse_nested_meta(|inner| {
                parse_rule(&inner, &mut inner_rules, &mut inner_keys, errors)
            })?;
            *slot = Some((span, Box::new(inner_rules)));
            return Ok(());
        }
        // skip(reason = "...") | unbounded(reason = "...")
        "skip" | "unbounded" => {
            let slot = if name == "skip" {
                &mut rules.skip
            } else {
                &mut rules.unbounded
            };
            *slot = Some(parse_reason(meta, &name)?);
            return Ok(());
        }
        _ => {
            errors.push(meta.error(format!(
                "unknown rule `{}`: expected {RULE_KEYS}",
                crate::errors::path_text(&meta.path)
            )));
            return skip_value(meta);
        }
    };
    rules.items.push(Rule { span, kind });
    Ok(())
}

/// Every key of `#[validate(...)]` on a field.
const RULE_NAMES: &[&str] = &[
    "length",
    "range",
    "email",
    "url",
    "ip",
    "regex",
    "contains",
    "does_not_contain",
    "one_of",
    "required",
    "must_match",
    "password",
    "credit_card",
    "non_control_character",
    "dive",
    "custom",
    "each",
    "keys",
    "skip",
    "unbounded",
];

pub fn rule_name<F>(kind: &RuleKind<F>) -> &'static str {
    match kind {
        RuleKind::Length(_) => "length",
        RuleKind::Range(_) => "range",
        RuleKind::Email => "email",
        RuleKind::Url { .. } => "url",
        RuleKind::Ip(_) => "ip",
        RuleKind::Regex(_) => "regex",
        RuleKind::Contains(_) => "contains",
        RuleKind::DoesNotContain(_) => "does_not_contain",
        RuleKind::OneOf(_) => "one_of",
        RuleKind::Required => "required",
        RuleKind::MustMatch(_) => "must_match",
        RuleKind::Password { .. } => "password",
        RuleKind::CreditCard => "credit_card",
        RuleKind::NonControlCharacter => "non_control_character",
        RuleKind::Dive => "dive",
        RuleKind::Custom(_) => "custom",
    }
}

fn parse_length(meta: &ParseNestedMeta<'_>) -> syn::Result<Length> {
    let mut length = Length::default();
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error("`length` needs bounds: `length(max = 64)`, `length(min = 1, max = 64)` or `length(equal = 8)`"));
    }
    let mut keys = Keys::within("length");
    meta.parse_nested_meta(|inner| {
        // min = n | max = n | equal = n | bytes | chars
        let key = inner.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let (slot, flag_slot) = match key.as_str() {
            "min" => (Some(&mut length.min), None),
            "max" => (Some(&mut length.max), None),
            "equal" => (Some(&mut length.equal), None),
            "bytes" => (None, Some(&mut length.bytes)),
            "chars" => (None, Some(&mut length.chars)),
            _ => {
                return Err(inner.error(format!(
                    "unknown option of `length` `{}`: expected `min`, `max`, `equal`, `bytes` or `chars`",
                    crate::errors::path_text(&inner.path)
                )));
            }
        };
        keys.first(&inner)?;
        if let Some(slot) = slot {
            *slot = Some(parse_bound(&inner, true)?);
        } else if let Some(flag_slot) = flag_slot {
            *flag_slot = Some(inner.path.span());
        }
        Ok(())
    })?;
    Ok(length)
}

fn parse_range(meta: &ParseNestedMeta<'_>) -> syn::Result<Range> {
    let mut range = Range::default();
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error("`range` needs bounds: `range(min = 1, max = 100)`"));
    }
    let mut keys = Keys::within("range");
    meta.parse_nested_meta(|inner| {
        // min = x | max = x | exclusive_min = x | exclusive_max = x
        let key = inner.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let slot = match key.as_str() {
            "min" => &mut range.min,
            "max" => &mut range.max,
            "exclusive_min" => &mut range.exclusive_min,
            "exclusive_max" => &mut range.exclusive_max,
            _ => {
                return Err(inner.error(format!(
                    "unknown option of `range` `{}`: expected `min`, `max`, `exclusive_min` or `exclusive_max`",
                    crate::errors::path_text(&inner.path)
                )));
            }
        };
        keys.first(&inner)?;
        *slot = Some(parse_bound(&inner, false)?);
        Ok(())
    })?;
    Ok(range)
}

/// A bound: a number literal (possibly negative) or a path to a constant.
fn parse_bound(meta: &ParseNestedMeta<'_>, unsigned: bool) -> syn::Result<Bound> {
    let expr = meta.value()?.parse::<Expr>()?;
    let value = literal_number(&expr);
    match (ungrouped(&expr), value) {
        (_, Some(Number::Float(_) | Number::Int(i128::MIN..0))) if unsigned => Err(
            syn::Error::new(expr.span(), "a length is a whole number of at least 0"),
        ),
        (_, Some(_)) | (Expr::Path(_) | Expr::Const(_) | Expr::Block(_), None) => {
            Ok(Bound { expr, value })
        }
        _ => Err(syn::Error::new(
            expr.span(),
            "expected a number literal or the path of a constant",
        )),
    }
}

/// The expression inside invisible groups (from `macro_rules!` fragments) and parentheses.
fn ungrouped(expr: &Expr) -> &Expr {
    match expr {
        Expr::Group(group) => ungrouped(&group.expr),
        Expr::Paren(paren) => ungrouped(&paren.expr),
        other => other,
    }
}

fn literal_number(expr: &Expr) -> Option<Number> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int_value(int),
        Expr::Lit(ExprLit {
            lit: Lit::Float(float),
            ..
        }) => float.base10_parse::<f64>().ok().map(Number::Float),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => literal_number(expr).map(|number| match number {
            Number::Int(int) => Number::Int(-int),
            Number::Float(float) => Number::Float(-float),
        }),
        Expr::Group(group) => literal_number(&group.expr),
        Expr::Paren(paren) => literal_number(&paren.expr),
        _ => None,
    }
}

/// An integer literal; one past `i128::MAX` (a `u128` bound) is kept approximately.
fn int_value(int: &LitInt) -> Option<Number> {
    int.base10_parse::<i128>()
        .map(Number::Int)
        .or_else(|_| int.base10_parse::<f64>().map(Number::Float))
        .ok()
}

fn parse_custom(meta: &ParseNestedMeta<'_>) -> syn::Result<Custom> {
    if meta.input.peek(Token![=]) {
        return Ok(Custom {
            function: meta.value()?.parse()?,
            with_context: None,
        });
    }
    let mut function = None;
    let mut with_context = None;
    let mut keys = Keys::within("custom");
    meta.parse_nested_meta(|inner| {
        // function = path | with_context
        if inner.path.is_ident("function") {
            keys.first(&inner)?;
            function = Some(inner.value()?.parse::<Path>()?);
            Ok(())
        } else if inner.path.is_ident("with_context") {
            keys.first(&inner)?;
            no_value(&inner, "with_context")?;
            with_context = Some(inner.path.span());
            Ok(())
        } else {
            Err(inner
                .error("unknown option of `custom`: expected `function = path` or `with_context`"))
        }
    })?;
    let function = function.ok_or_else(|| meta.error("`custom` needs `function = path`"))?;
    Ok(Custom {
        function,
        with_context,
    })
}

fn parse_reason(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Reason> {
    let span = meta.path.span();
    let mut reason = None;
    let mut keys = Keys::within(key);
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            // reason = "..."
            if inner.path.is_ident("reason") {
                keys.first(&inner)?;
                reason = Some(inner.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(inner.error(format!(
                    "unknown option of `{key}`: the only one is `reason = \"...\"`"
                )))
            }
        })?;
    }
    match reason {
        Some(text) if !text.value().trim().is_empty() => Ok(Reason { span }),
        Some(text) => Err(syn::Error::new(
            text.span(),
            format!("the reason for `{key}` is empty: say why"),
        )),
        None => Err(syn::Error::new(
            span,
            format!("`{key}` needs a reason: `{key}(reason = \"...\")`"),
        )),
    }
}

fn flag(meta: &ParseNestedMeta<'_>, key: &str, kind: RuleKind) -> syn::Result<RuleKind> {
    no_value(meta, key)?;
    Ok(kind)
}

fn no_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{key}` takes no value")));
    }
    Ok(())
}

fn string_value(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<LitStr> {
    let value = meta
        .value()
        .map_err(|_| meta.error(format!("expected a string: `{example}`")))?;
    value.parse::<LitStr>()
}

fn parse_str_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    let value = meta.value()?.parse::<Expr>()?;
    let Expr::Array(array) = &value else {
        return Err(syn::Error::new(
            value.span(),
            "expected a list of strings: `[\"https\"]`",
        ));
    };
    array
        .elems
        .iter()
        .map(|element| match element {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Ok(s.clone()),
            other => Err(syn::Error::new(other.span(), "expected a string")),
        })
        .collect()
}
