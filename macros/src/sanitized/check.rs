//! Stage 2: the rules across keys, fields and types (DESIGN.md G3). Every field is decided,
//! every input is bounded, bounds agree with each other, patterns compile.
//!
//! Rules that need the type system (a rule that does not fit the field's type) are left to
//! trait bounds in the generated code, whose errors land on the field's type.

use proc_macro2::Span;
use syn::{GenericArgument, PathArguments, Type};

use super::parse::{Body, Field, Input, Length, Range, Rule, RuleKind, Rules, Shape, rule_name};
use crate::errors::Errors;

pub fn check(input: &Input<'_>, errors: &mut Errors) {
    let shapes: Vec<&Shape> = match &input.body {
        Body::Struct(shape) => vec![shape],
        Body::Enum(variants) => variants.iter().map(|v| &v.shape).collect(),
    };
    let has_context = input.context.is_some();
    for custom in &input.custom {
        if let (Some(span), false) = (custom.with_context, has_context) {
            errors.at(span, NEEDS_CONTEXT);
        }
    }
    for shape in shapes {
        for field in &shape.fields {
            check_field(field, shape, has_context, errors);
        }
    }
}

const NEEDS_CONTEXT: &str =
    "`with_context` needs a context type: add `#[validate(context = MyContext)]` to the type";

fn check_field(field: &Field, shape: &Shape, has_context: bool, errors: &mut Errors) {
    let rules = &field.rules;
    if field.malformed {
        return;
    }
    if !rules.decides() {
        errors.at(
            field.name_span,
            format!(
                "field `{}` has no validation rule: add one with `#[validate(...)]`, or opt out with `#[validate(skip(reason = \"...\"))]`",
                field.name
            ),
        );
    }
    if let Some(skip) = &rules.skip
        && let Some(other) = rules.items.first()
    {
        errors.at(
            skip.span,
            format!(
                "`skip` conflicts with `{}`: a skipped field has no rules",
                rule_name(&other.kind)
            ),
        );
    }
    check_rules(rules, field, shape, has_context, 0, errors);
    check_bounded(rules, &field.ty, field, &mut String::new(), errors);
}

fn check_rules(
    rules: &Rules,
    field: &Field,
    shape: &Shape,
    has_context: bool,
    depth: usize,
    errors: &mut Errors,
) {
    for rule in &rules.items {
        check_rule(rule, field, shape, has_context, depth, errors);
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
    for (_, nested) in [&rules.each, &rules.keys].into_iter().flatten() {
        if let Some(skip) = &nested.skip {
            errors.at(
                skip.span,
                "`skip` applies to a whole field, not inside `each` or `keys`",
            );
        }
        check_rules(nested, field, shape, has_context, depth + 1, errors);
    }
}

fn check_rule(
    rule: &Rule,
    field: &Field,
    shape: &Shape,
    has_context: bool,
    depth: usize,
    errors: &mut Errors,
) {
    match &rule.kind {
        RuleKind::Length(length) => check_length(length, rule.span, errors),
        RuleKind::Range(range) => check_range(range, rule.span, errors),
        RuleKind::Regex(pattern) => {
            if let Err(error) = regex::Regex::new(&pattern.value()) {
                errors.at(
                    pattern.span(),
                    format!("invalid regex: {}", one_line(&error.to_string())),
                );
            }
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
        }
        RuleKind::Contains(needle) | RuleKind::DoesNotContain(needle) => {
            if needle.value().is_empty() {
                errors.at(needle.span(), "the text to look for is empty");
            }
        }
        RuleKind::OneOf(values) => {
            if values.is_empty() {
                errors.at(rule.span, "`one_of` needs at least one allowed value");
            }
        }
        RuleKind::MustMatch(other) => {
            if depth > 0 {
                errors.at(
                    rule.span,
                    "`must_match` compares whole fields, not inside `each` or `keys`",
                );
            } else if syn::Member::Named(other.clone()) == field.member {
                errors.at(other.span(), "a field cannot be matched against itself");
            } else if !shape
                .fields
                .iter()
                .any(|f| f.member == syn::Member::Named(other.clone()))
            {
                errors.at(
                    other.span(),
                    format!(
                        "`must_match` names no field of this type: there is no field `{other}`"
                    ),
                );
            }
        }
        RuleKind::Custom(custom) => {
            if let (Some(span), false) = (custom.with_context, has_context) {
                errors.at(span, NEEDS_CONTEXT);
            }
        }
        RuleKind::Email
        | RuleKind::Ip(_)
        | RuleKind::Required
        | RuleKind::CreditCard
        | RuleKind::NonControlCharacter
        | RuleKind::Dive => {}
    }
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
                if l > h || (strict && l >= h) {
                    errors.at(
                        low.span(),
                        format!("contradictory bounds: the lower bound ({l}) is not below the upper bound ({h}), so no value passes"),
                    );
                }
            }
        }
    }
}

/// Whether a field's type holds text or bytes, a collection, or a map, as far as its syntax
/// shows; aliases and wrapper types are not seen through.
pub enum Kind<'a> {
    /// Text or bytes: needs `length(max)`.
    Sized,
    /// A growable collection of `T`: needs `length(max)`, and its elements need bounds.
    Sequence(&'a Type),
    /// A fixed-size array of `T`: its elements need bounds.
    Array(&'a Type),
    /// A map: needs `length(max)`, and its keys and values need bounds.
    Map(&'a Type, &'a Type),
    /// `Option<T>`: rules apply to the `T`.
    Optional(&'a Type),
    /// Anything else: a number, a nested type, a type the macro cannot see into.
    Other,
}

pub fn kind_of(ty: &Type) -> Kind<'_> {
    match ty {
        Type::Group(group) => kind_of(&group.elem),
        Type::Paren(paren) => kind_of(&paren.elem),
        Type::Reference(reference) => match &*reference.elem {
            Type::Path(path) if path.path.is_ident("str") => Kind::Sized,
            Type::Slice(slice) => Kind::Sequence(&slice.elem),
            other => kind_of(other),
        },
        Type::Array(array) => Kind::Array(&array.elem),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return Kind::Other;
            };
            let args = type_args(&last.arguments);
            let name = last.ident.to_string();
            match (name.as_str(), args.as_slice()) {
                ("String" | "Bytes" | "BytesMut" | "ByteBuf" | "OsString" | "PathBuf", _) => {
                    Kind::Sized
                }
                ("Vec", [element]) if is_ident(element, "u8") => Kind::Sized,
                ("Cow" | "Box" | "Arc" | "Rc", [inner]) => match inner {
                    Type::Path(path) if path.path.is_ident("str") => Kind::Sized,
                    Type::Slice(slice) => Kind::Sequence(&slice.elem),
                    other if name == "Box" => kind_of(other),
                    _ => Kind::Other,
                },
                (
                    "Vec" | "VecDeque" | "LinkedList" | "BinaryHeap" | "HashSet" | "BTreeSet"
                    | "IndexSet" | "SmallVec",
                    [element, ..],
                ) => Kind::Sequence(element),
                ("HashMap" | "BTreeMap" | "IndexMap", [key, value, ..]) => Kind::Map(key, value),
                ("Option", [inner]) => Kind::Optional(inner),
                _ => Kind::Other,
            }
        }
        _ => Kind::Other,
    }
}

fn type_args(arguments: &PathArguments) -> Vec<&Type> {
    match arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident(name))
}

/// Every string, collection and map has an upper size bound or a reasoned `unbounded`, at
/// every level: `prefix` is the `each(`/`keys(` nesting that leads to this level.
fn check_bounded(
    rules: &Rules,
    ty: &Type,
    field: &Field,
    prefix: &mut String,
    errors: &mut Errors,
) {
    if rules.unbounded.is_some() {
        return;
    }
    let kind = kind_of(ty);
    if matches!(kind, Kind::Sized | Kind::Sequence(_) | Kind::Map(..)) && !rules.bounds_size() {
        errors.push(syn::Error::new_spanned(
            ty,
            unbounded_message(field, prefix),
        ));
    }
    let empty = Rules::default();
    let each = nested(rules.each.as_ref(), &empty);
    match kind {
        Kind::Optional(inner) => check_bounded(rules, inner, field, prefix, errors),
        Kind::Sequence(element) | Kind::Array(element) => {
            descend(each, element, field, prefix, "each", errors);
        }
        Kind::Map(key, value) => {
            let keys = nested(rules.keys.as_ref(), &empty);
            descend(keys, key, field, prefix, "keys", errors);
            descend(each, value, field, prefix, "each", errors);
        }
        Kind::Sized | Kind::Other => {}
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
    check_bounded(rules, ty, field, prefix, errors);
    prefix.truncate(before);
}

fn unbounded_message(field: &Field, prefix: &str) -> String {
    let close = ")".repeat(prefix.matches('(').count());
    let subject = if prefix.is_empty() {
        format!("`{}` has", field.name)
    } else if prefix.ends_with("keys(") {
        format!("the keys of `{}` have", field.name)
    } else {
        format!("the elements of `{}` have", field.name)
    };
    format!(
        "{subject} no upper size bound: add `#[validate({prefix}length(max = ...){close})]`, or `#[validate({prefix}unbounded(reason = \"...\"){close})]`"
    )
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
