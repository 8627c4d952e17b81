//! Stage 2: the rules across keys, fields and types (DESIGN.md G3). Every field is decided,
//! every input is bounded, bounds agree with each other, patterns compile.
//!
//! Rules that need the type system (a rule that does not fit the field's type) are left to
//! trait bounds in the generated code, whose errors land on the field's type.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Ident, Type};

use super::kind::{Kind, kind_of, unoptional};
use super::parse::{
    Body, Cleaner, Field, Input, Length, Range, Rule, RuleKind, Rules, Segment, Shape, Variant,
    cleaner_name, rule_name,
};
use crate::attr::sensitive::{self, SecretType, Subject};
use crate::errors::Errors;

/// The model once every rule holds, with each reference to another field resolved. Only
/// `check` builds one.
pub struct Checked<'m, 'a> {
    pub input: &'m Input<'a>,
    pub body: CheckedBody<'m>,
    _sealed: (),
}

pub enum CheckedBody<'m> {
    Struct(CheckedShape<'m>),
    Enum(Vec<(&'m Variant, CheckedShape<'m>)>),
}

pub struct CheckedShape<'m> {
    pub shape: &'m Shape,
    pub fields: Vec<CheckedField<'m>>,
}

pub struct CheckedField<'m> {
    pub field: &'m Field,
    /// The field's rules, naming other fields by `Sibling`.
    pub rules: Rules<Sibling>,
    /// A sensitive name on a secret type, asserted when the code compiles.
    pub secret: Option<SecretType>,
    /// The levels whose size bound a trait must prove (see `unseen_levels`).
    pub unseen_levels: Vec<(&'m Type, bool)>,
    /// The levels without `dive` that must not hold a `Sanitized` type (see `undived_levels`).
    pub undived_levels: Vec<&'m Type>,
    /// The tuple elements and map keys, which must not hold a `Sanitized` type (see
    /// `out_of_reach_levels`).
    pub out_of_reach_levels: Vec<&'m Type>,
}

impl<'m> CheckedBody<'m> {
    pub fn fields(&self) -> impl Iterator<Item = &CheckedField<'m>> {
        let shapes: Vec<&CheckedShape<'m>> = match self {
            CheckedBody::Struct(shape) => vec![shape],
            CheckedBody::Enum(variants) => variants.iter().map(|(_, shape)| shape).collect(),
        };
        shapes.into_iter().flat_map(|shape| &shape.fields)
    }
}

/// Another field of the type that a rule names (`must_match = other`, `unlike = other`).
#[derive(Clone)]
pub struct Sibling {
    /// Its position in the shape, whose binding holds it.
    pub index: usize,
    /// Its name in messages to the client: the name it is sent under, or its Rust name.
    pub name: String,
    /// Where the rule names it.
    pub span: Span,
}

pub fn check<'m, 'a>(input: &'m Input<'a>, mut errors: Errors) -> syn::Result<Checked<'m, 'a>> {
    let shapes: Vec<&Shape> = match &input.body {
        Body::Struct(shape) => vec![shape],
        Body::Enum(variants) => variants.iter().map(|variant| &variant.shape).collect(),
    };
    // The rule of sensitive names first, in field order, as each field's attributes are read.
    let secrets: Vec<Option<SecretType>> = shapes
        .iter()
        .flat_map(|shape| &shape.fields)
        .map(|field| {
            let subject = Subject {
                label: field.label.clone(),
                names: field.sensitive_names.clone(),
                span: field.name_span,
                ty: &field.ty,
            };
            sensitive::check(&subject, field.redaction, &mut errors)
        })
        .collect();
    let mut secrets = secrets.into_iter();
    let has_context = input.context.is_some();
    for custom in &input.custom {
        if let (Some(span), false) = (custom.with_context, has_context) {
            errors.at(span, NEEDS_CONTEXT);
        }
    }
    let mut check_shape = |shape: &'m Shape| {
        let fields = shape
            .fields
            .iter()
            .filter_map(|field| {
                let secret = secrets.next().flatten();
                let rules = check_field(field, shape, has_context, &mut errors)?;
                let mut unseen = Vec::new();
                unseen_levels(&field.rules, &field.ty, &mut unseen);
                let mut undived = Vec::new();
                let mut out_of_reach = Vec::new();
                if field.rules.skip.is_none() {
                    undived_levels(&field.rules, &field.ty, &mut undived);
                    out_of_reach_levels(&field.ty, &mut out_of_reach);
                }
                Some(CheckedField {
                    field,
                    rules,
                    secret,
                    unseen_levels: unseen,
                    undived_levels: undived,
                    out_of_reach_levels: out_of_reach,
                })
            })
            .collect();
        CheckedShape { shape, fields }
    };
    let body = match &input.body {
        Body::Struct(shape) => CheckedBody::Struct(check_shape(shape)),
        Body::Enum(variants) => CheckedBody::Enum(
            variants
                .iter()
                .map(|variant| (variant, check_shape(&variant.shape)))
                .collect(),
        ),
    };
    errors.finish()?;
    Ok(Checked {
        input,
        body,
        _sealed: (),
    })
}

const NEEDS_CONTEXT: &str =
    "`with_context` needs a context type: add `#[validate(context = MyContext)]` to the type";

/// The field's rules, checked, with the fields they name resolved; `None` when one is wrong.
fn check_field(
    field: &Field,
    shape: &Shape,
    has_context: bool,
    errors: &mut Errors,
) -> Option<Rules<Sibling>> {
    let rules = &field.rules;
    if field.malformed {
        return None;
    }
    // A bound the cleaners need is the first thing to fix: a rule added without it still fails.
    check_cleaners(field, errors);
    if !rules.decides() {
        let message = if rules.unbounded.is_some() {
            format!(
                "field `{}` has no validation rule: `unbounded` waives only the size bound, so add a rule that decides the value beside it (such as `length(min = 1)` or `non_control_character`), or opt out with `skip(reason = \"...\")` instead",
                field.name
            )
        } else {
            format!(
                "field `{}` has no validation rule: add one with `#[validate(...)]`, or opt out with `#[validate(skip(reason = \"...\"))]`",
                field.name
            )
        };
        errors.at(field.name_span, message);
    }
    if let Some(skip) = &rules.skip {
        let other = rules
            .items
            .first()
            .map(|rule| rule_name(&rule.kind))
            .or(rules.each.as_ref().map(|_| "each"))
            .or(rules.keys.as_ref().map(|_| "keys"))
            .or(rules.unbounded.as_ref().map(|_| "unbounded"));
        if let Some(other) = other {
            errors.at(
                skip.span,
                format!("`skip` conflicts with `{other}`: a skipped field has no rules"),
            );
        }
    }
    let checked = check_rules(rules, field, shape, has_context, 0, errors);
    // A skipped field is opted out of every rule, its size bound included.
    if rules.skip.is_none() {
        check_levels(rules, &field.ty, field, &mut String::new(), errors);
    }
    checked
}

/// Sanitizers that cost more than linear time run only on text within its size limit, so the
/// text they rewrite needs one.
fn check_cleaners(field: &Field, errors: &mut Errors) {
    let span_of = |name: &str| {
        field.cleaners.iter().find_map(|cleaner| match cleaner {
            Cleaner::Text { function, span } if *function == name => Some(*span),
            _ => None,
        })
    };
    if let (Some(_), Some(escape)) = (span_of("html"), span_of("escape_html")) {
        errors.at(
            escape,
            "`escape_html` contradicts `html`: `html` keeps the allowed markup and `escape_html` escapes all of it; give `html` for rich text, `escape_html` for plain text",
        );
    }
    let bounded = field
        .rules
        .text_level(&field.ty)
        .and_then(Rules::size_limit)
        .is_some();
    for cleaner in &field.cleaners {
        match cleaner {
            Cleaner::Text {
                function: "html",
                span,
            } if !bounded => errors.at(
                *span,
                "`html` needs the text's size bound: parsing hostile markup costs more than linear time, so it runs only on text within `length(max = ...)` (also inside `each(...)`); `unbounded` is not enough",
            ),
            Cleaner::Custom(function)
                if !bounded && matches!(kind_of(unoptional(&field.ty)), Kind::Text) =>
            {
                errors.at(
                    function.span(),
                    "`custom` on text needs the text's size bound: a sanitizer of your own may cost more than linear time, so it runs only on text within `length(max = ...)`; `unbounded` is not enough",
                );
            }
            _ => {}
        }
    }
    check_order(field, errors);
}

/// After `html` or `escape_html`, the text is markup (or escaped markup) that was checked as it
/// stands; a later sanitizer that rewrites characters could change what it means. Only `trim`,
/// which removes whitespace at the two ends of the whole text and nothing inside it, may follow.
/// `palisade::sanitize`'s tests hold the witnesses, from the Unicode data, for the others.
fn check_order(field: &Field, errors: &mut Errors) {
    let Some(escaper) = field.cleaners.iter().find_map(|cleaner| match cleaner {
        Cleaner::Text { function, .. } if matches!(*function, "html" | "escape_html") => {
            Some(*function)
        }
        _ => None,
    }) else {
        return;
    };
    let after = field
        .cleaners
        .iter()
        .skip_while(
            |cleaner| !matches!(cleaner, Cleaner::Text { function, .. } if *function == escaper),
        )
        .skip(1);
    for cleaner in after {
        let (name, span, why) = match cleaner {
            Cleaner::Text { function, span } => {
                let why = match cleaner_name(function) {
                    "trim" | "html" | "escape_html" => continue,
                    "collapse_whitespace" => {
                        "can turn a Unicode space the markup check read as part of a URL into a space a browser strips (`href=\"\u{3000}javascript:...\"`)"
                    }
                    "nfc" | "nfkc" => {
                        "can turn look-alike characters into markup characters (NFKC maps `＜` to `<`) or join a combining mark onto one (NFC makes `>` and U+0338 one `≯`)"
                    }
                    "lowercase" | "uppercase" => {
                        "can turn a look-alike letter into a URL scheme the markup check did not see (`ſ` uppercases to `S`)"
                    }
                    _ => {
                        "can join what the markup check saw apart (`java` and `script:` around an invisible or control character)"
                    }
                };
                (cleaner_name(function).to_owned(), *span, why)
            }
            Cleaner::Custom(function) => (
                format!("custom = {}", crate::errors::path_text(function)),
                function.span(),
                "can write anything, markup included",
            ),
        };
        errors.at(
            span,
            format!(
                "put `{name}` before `{escaper}`: after it, `{name}` {why}; `#[clean({name}, {escaper})]` sanitizes in the safe order"
            ),
        );
    }
}

/// One level of rules checked, and rebuilt with the fields they name resolved.
fn check_rules(
    rules: &Rules,
    field: &Field,
    shape: &Shape,
    has_context: bool,
    depth: usize,
    errors: &mut Errors,
) -> Option<Rules<Sibling>> {
    let mut complete = true;
    let mut items = Vec::new();
    for rule in &rules.items {
        match check_rule(rule, field, shape, has_context, depth, errors) {
            Some(kind) => items.push(Rule {
                span: rule.span,
                kind,
            }),
            None => complete = false,
        }
    }
    if let Some((_, keys)) = &rules.keys
        && let Some(dive) = keys
            .items
            .iter()
            .find(|rule| matches!(rule.kind, RuleKind::Dive))
    {
        errors.at(
            dive.span,
            "`dive` does not apply to map keys, which cannot be sanitized in place: check keys with rules such as `keys(length(max = ...))`",
        );
    }
    let mut descend_into = |slot: &Option<(Span, Box<Rules>)>| {
        let (span, nested) = slot.as_ref()?;
        if let Some(skip) = &nested.skip {
            errors.at(
                skip.span,
                "`skip` applies to a whole field, not inside `each` or `keys`",
            );
        }
        let checked = check_rules(nested, field, shape, has_context, depth + 1, errors);
        complete &= checked.is_some();
        Some((*span, Box::new(checked?)))
    };
    let each = descend_into(&rules.each);
    let keys = descend_into(&rules.keys);
    complete.then_some(Rules {
        items,
        each,
        keys,
        skip: rules.skip,
        unbounded: rules.unbounded,
    })
}

/// One rule checked; the rule with the field it names resolved, or `None` when it is wrong.
fn check_rule(
    rule: &Rule,
    field: &Field,
    shape: &Shape,
    has_context: bool,
    depth: usize,
    errors: &mut Errors,
) -> Option<RuleKind<Sibling>> {
    let resolved = match &rule.kind {
        RuleKind::Length(length) => {
            check_length(length, rule.span, errors);
            RuleKind::Length(length.clone())
        }
        RuleKind::Range(range) => {
            check_range(range, rule.span, errors);
            RuleKind::Range(range.clone())
        }
        RuleKind::Regex(pattern) => {
            if let Err(error) = regex::Regex::new(&pattern.value()) {
                errors.at(
                    pattern.span(),
                    format!("invalid regex: {}", one_line(&error.to_string())),
                );
            }
            RuleKind::Regex(pattern.clone())
        }
        RuleKind::Url { schemes } => {
            for scheme in schemes {
                let value = scheme.value();
                let valid = value.starts_with(|c: char| c.is_ascii_lowercase())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c));
                if !valid {
                    errors.at(
                        scheme.span(),
                        "a URL scheme is lowercase ASCII without `:`, like `https`",
                    );
                }
            }
            RuleKind::Url {
                schemes: schemes.clone(),
            }
        }
        RuleKind::Contains(needle) | RuleKind::DoesNotContain(needle) => {
            if needle.value().is_empty() {
                errors.at(needle.span(), "the text to look for is empty");
            }
            match &rule.kind {
                RuleKind::Contains(_) => RuleKind::Contains(needle.clone()),
                _ => RuleKind::DoesNotContain(needle.clone()),
            }
        }
        RuleKind::OneOf(values) => {
            if values.is_empty() {
                errors.at(rule.span, "`one_of` needs at least one allowed value");
            }
            RuleKind::OneOf(values.clone())
        }
        RuleKind::MustMatch(other) => {
            let place = Place {
                field,
                shape,
                depth,
            };
            RuleKind::MustMatch(check_other_field(
                &MUST_MATCH,
                rule.span,
                other,
                &place,
                errors,
            )?)
        }
        RuleKind::Password { unlike } => RuleKind::Password {
            unlike: match unlike {
                Some(other) => {
                    let place = Place {
                        field,
                        shape,
                        depth,
                    };
                    Some(check_other_field(
                        &UNLIKE,
                        other.span(),
                        other,
                        &place,
                        errors,
                    )?)
                }
                None => None,
            },
        },
        RuleKind::Custom(custom) => {
            if let (Some(span), false) = (custom.with_context, has_context) {
                errors.at(span, NEEDS_CONTEXT);
            }
            RuleKind::Custom(custom.clone())
        }
        RuleKind::Email => RuleKind::Email,
        RuleKind::Ip(version) => RuleKind::Ip(*version),
        RuleKind::Required => RuleKind::Required,
        RuleKind::CreditCard => RuleKind::CreditCard,
        RuleKind::NonControlCharacter => RuleKind::NonControlCharacter,
        RuleKind::Dive => RuleKind::Dive,
    };
    Some(resolved)
}

/// A rule that names another field of the type (`must_match = other`, `unlike = other`).
struct OtherField {
    /// The key, in messages.
    name: &'static str,
    /// The message of a field named after itself.
    itself: &'static str,
    /// Added to the message of a name that is no field.
    hint: &'static str,
}

const MUST_MATCH: OtherField = OtherField {
    name: "must_match",
    itself: "a field cannot be matched against itself",
    hint: "",
};

const UNLIKE: OtherField = OtherField {
    name: "unlike",
    itself: "a password cannot be compared with itself: `unlike` names the account field, such as `unlike = email`",
    hint: "; name the field that identifies the account, such as `unlike = email`",
};

/// Where a rule stands: its field, the field's shape, and how deep in `each` or `keys`.
struct Place<'a> {
    field: &'a Field,
    shape: &'a Shape,
    depth: usize,
}

/// `other` is another field of the type, compared whole: that field. A rule inside `each` or
/// `keys` is reported at `span`.
fn check_other_field(
    rule: &OtherField,
    span: Span,
    other: &Ident,
    place: &Place<'_>,
    errors: &mut Errors,
) -> Option<Sibling> {
    let Place {
        field,
        shape,
        depth,
    } = *place;
    let named = syn::Member::Named(other.clone());
    let found = shape
        .fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.member == named);
    if depth > 0 {
        errors.at(
            span,
            format!(
                "`{}` compares whole fields, not inside `each` or `keys`",
                rule.name
            ),
        );
        return None;
    }
    if named == field.member {
        errors.at(other.span(), rule.itself);
        return None;
    }
    let Some((index, target)) = found else {
        errors.at(
            other.span(),
            format!(
                "`{}` names no field of this type: there is no field `{other}`{}",
                rule.name, rule.hint
            ),
        );
        return None;
    };
    let name = match &target.segment {
        Segment::Name(name) => name.clone(),
        Segment::Index(_) | Segment::Transparent => target.name.clone(),
    };
    Some(Sibling {
        index,
        name,
        span: other.span(),
    })
}

fn check_length(length: &Length, span: Span, errors: &mut Errors) {
    if length.min.is_none() && length.max.is_none() && length.equal.is_none() {
        errors.at(span, "`length` needs a bound: `min`, `max` or `equal`");
    }
    if let (Some(bytes), Some(_)) = (length.bytes, length.chars) {
        errors.at(
            bytes,
            "`bytes` and `chars` contradict each other: count one or the other",
        );
    }
    if let Some(equal) = &length.equal
        && (length.min.is_some() || length.max.is_some())
    {
        errors.at(
            equal.span(),
            "`equal` contradicts `min` and `max`: give either `equal` or bounds",
        );
    }
    if let (Some(min), Some(max)) = (&length.min, &length.max)
        && let (Some(low), Some(high)) = (min.value, max.value)
        && low > high
    {
        errors.at(
            min.span(),
            format!(
                "contradictory bounds: `min` ({low}) is greater than `max` ({high}), so no value passes"
            ),
        );
    }
}

fn check_range(range: &Range, span: Span, errors: &mut Errors) {
    let lows = [&range.min, &range.exclusive_min];
    let highs = [&range.max, &range.exclusive_max];
    if lows.iter().chain(&highs).all(|bound| bound.is_none()) {
        errors.at(
            span,
            "`range` needs a bound: `min`, `max`, `exclusive_min` or `exclusive_max`",
        );
    }
    if let (Some(_), Some(exclusive)) = (&range.min, &range.exclusive_min) {
        errors.at(
            exclusive.span(),
            "`exclusive_min` contradicts `min`: give one lower bound",
        );
    }
    if let (Some(_), Some(exclusive)) = (&range.max, &range.exclusive_max) {
        errors.at(
            exclusive.span(),
            "`exclusive_max` contradicts `max`: give one upper bound",
        );
    }
    for low in lows.into_iter().flatten() {
        for high in highs.into_iter().flatten() {
            if let (Some(l), Some(h)) = (low.value, high.value) {
                let strict = range.exclusive_min.is_some() || range.exclusive_max.is_some();
                let relation = if l > h {
                    "is greater than"
                } else if strict && l >= h {
                    "is not below"
                } else {
                    continue;
                };
                errors.at(
                    low.span(),
                    format!("contradictory bounds: the lower bound ({l}) {relation} the upper bound ({h}), so no value passes"),
                );
            }
        }
    }
}

/// Every string, collection and map has an upper size bound or a reasoned `unbounded`, at
/// every level, and `length` counts in a unit the level has: `prefix` is the `each(`/`keys(`
/// nesting that leads to this level.
fn check_levels(rules: &Rules, ty: &Type, field: &Field, prefix: &mut String, errors: &mut Errors) {
    let kind = kind_of(ty);
    if let Kind::Optional(inner) = kind {
        check_levels(rules, inner, field, prefix, errors);
        return;
    }
    check_unit(rules, &kind, errors);
    if let Some(unbounded) = &rules.unbounded {
        if rules.size_limit().is_some() {
            errors.at(
                unbounded.span,
                "`unbounded` contradicts `length`: this level has an upper size bound already, so remove `unbounded`",
            );
        } else if let Kind::Array(_) = kind {
            errors.at(
                unbounded.span,
                "an array has a fixed number of items, so `unbounded` opts out of nothing here: its elements take their own bounds in `each(...)`",
            );
        }
    }
    if kind.grows() && !rules.bounds_size() {
        errors.push(syn::Error::new_spanned(
            ty,
            unbounded_message(field, prefix),
        ));
    }
    let empty = Rules::default();
    let each = nested(rules.each.as_ref(), &empty);
    match kind {
        Kind::Sequence(element) | Kind::Array(element) => {
            descend(each, element, field, prefix, "each", errors);
        }
        Kind::Map(key, value) => {
            let keys = nested(rules.keys.as_ref(), &empty);
            descend(keys, key, field, prefix, "keys", errors);
            descend(each, value, field, prefix, "each", errors);
        }
        Kind::Tuple(elements) if rules.unbounded.is_none() => {
            for element in elements {
                if let Some(growing) = growing_part(element) {
                    errors.push(syn::Error::new_spanned(
                        growing,
                        format!(
                            "a tuple in `{}` holds a value with no upper size bound, and tuple elements take no rules: use a struct that derives `Sanitized` (with `dive`), or `#[validate({prefix}unbounded(reason = \"...\"){close})]`",
                            field.name,
                            close = ")".repeat(prefix.matches('(').count()),
                        ),
                    ));
                }
            }
        }
        Kind::Text | Kind::Bytes | Kind::Tuple(_) | Kind::Optional(_) | Kind::Other => {}
    }
}

/// The levels of a field whose size the macro cannot see in their syntax, and that no
/// `unbounded` opts out of: each must prove a bound through a trait, `Bounded`, or
/// `BoundedByLength` where the level has `length(max = ...)` (`true` beside the type).
pub fn unseen_levels<'a>(rules: &Rules, ty: &'a Type, out: &mut Vec<(&'a Type, bool)>) {
    let empty = Rules::default();
    let each = nested(rules.each.as_ref(), &empty);
    match kind_of(ty) {
        Kind::Optional(inner) => unseen_levels(rules, inner, out),
        Kind::Text | Kind::Bytes => {}
        Kind::Sequence(element) | Kind::Array(element) => unseen_levels(each, element, out),
        Kind::Map(key, value) => {
            unseen_levels(nested(rules.keys.as_ref(), &empty), key, out);
            unseen_levels(each, value, out);
        }
        // A growing part of a tuple is reported by the syntactic check already.
        Kind::Tuple(_) if rules.unbounded.is_some() || growing_part(ty).is_some() => {}
        Kind::Tuple(_) => out.push((ty, false)),
        Kind::Other if rules.unbounded.is_some() => {}
        Kind::Other => out.push((ty, rules.size_limit().is_some())),
    }
}

/// The levels of a field that no `dive` reaches: the value itself (through `Option`, `Box` and
/// the like), the elements of a collection or array and the values of a map. Each must be
/// shown not to be a `Sanitized` type, whose own rules would otherwise never run.
pub fn undived_levels<'a>(rules: &Rules, ty: &'a Type, out: &mut Vec<&'a Type>) {
    // `dive` on the field reaches through options, collections and maps to what they hold.
    if rules
        .items
        .iter()
        .any(|rule| matches!(rule.kind, RuleKind::Dive))
    {
        return;
    }
    let empty = Rules::default();
    let each = nested(rules.each.as_ref(), &empty);
    match kind_of(ty) {
        Kind::Optional(inner) => undived_levels(rules, inner, out),
        Kind::Sequence(element) | Kind::Array(element) | Kind::Map(_, element) => {
            undived_levels(each, element, out);
        }
        // Text holds no nested type; tuple elements take no rules, `dive` included.
        Kind::Text | Kind::Bytes | Kind::Tuple(_) => {}
        Kind::Other => out.push(ty),
    }
}

/// The parts of a field that no `dive` reaches, `dive` or not: tuple elements and map keys.
/// Each must be shown not to hold a `Sanitized` type.
pub fn out_of_reach_levels<'a>(ty: &'a Type, out: &mut Vec<&'a Type>) {
    match kind_of(ty) {
        Kind::Optional(inner) | Kind::Sequence(inner) | Kind::Array(inner) => {
            out_of_reach_levels(inner, out);
        }
        Kind::Map(key, value) => {
            out.push(key);
            out_of_reach_levels(value, out);
        }
        Kind::Tuple(elements) => out.extend(elements),
        Kind::Text | Kind::Bytes | Kind::Other => {}
    }
}

/// The first part of `ty` that grows without limit, looking through options, arrays and
/// tuples, whose parts cannot carry rules.
fn growing_part(ty: &Type) -> Option<&Type> {
    let kind = kind_of(ty);
    if kind.grows() {
        return Some(ty);
    }
    match kind {
        Kind::Optional(inner) | Kind::Array(inner) => growing_part(inner),
        Kind::Tuple(elements) => elements.into_iter().find_map(growing_part),
        _ => None,
    }
}

/// `bytes` and `chars` choose how text is counted; collections count items and byte buffers
/// count bytes, so the words would mislead there.
fn check_unit(rules: &Rules, kind: &Kind<'_>, errors: &mut Errors) {
    for rule in &rules.items {
        let RuleKind::Length(length) = &rule.kind else {
            continue;
        };
        match kind {
            Kind::Sequence(_) | Kind::Array(_) | Kind::Map(..) => {
                for (flag, word) in [(length.bytes, "bytes"), (length.chars, "chars")] {
                    if let Some(span) = flag {
                        errors.at(
                            span,
                            format!("`{word}` counts text, but the length of a collection counts its items: remove `{word}`"),
                        );
                    }
                }
            }
            Kind::Bytes => {
                if let Some(span) = length.chars {
                    errors.at(
                        span,
                        "a byte buffer has no characters: its length counts bytes, so remove `chars`",
                    );
                }
            }
            _ => {}
        }
    }
}

fn nested<'a>(slot: Option<&'a (Span, Box<Rules>)>, empty: &'a Rules) -> &'a Rules {
    slot.map_or(empty, |(_, rules)| rules)
}

fn descend(
    rules: &Rules,
    ty: &Type,
    field: &Field,
    prefix: &mut String,
    key: &str,
    errors: &mut Errors,
) {
    let before = prefix.len();
    prefix.push_str(key);
    prefix.push('(');
    check_levels(rules, ty, field, prefix, errors);
    prefix.truncate(before);
}

fn unbounded_message(field: &Field, prefix: &str) -> String {
    let close = ")".repeat(prefix.matches('(').count());
    // `unbounded` alone decides nothing: where nothing else does, say what must go with it.
    let beside = if field.rules.decides() {
        ""
    } else {
        " beside a rule that decides the value"
    };
    let subject = if prefix.is_empty() {
        format!("`{}` has", field.name)
    } else if prefix.ends_with("keys(") {
        format!("the keys of `{}` have", field.name)
    } else {
        format!("the elements of `{}` have", field.name)
    };
    format!(
        "{subject} no upper size bound: add `#[validate({prefix}length(max = ...){close})]`, or `#[validate({prefix}unbounded(reason = \"...\"){close})]`{beside}"
    )
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
