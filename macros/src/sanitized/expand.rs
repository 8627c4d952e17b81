//! Stage 3: the checked model → the `Sanitized` impl. Cannot fail.
//!
//! Each rule is a call into `::palisade::__private`, located at the field's type so that a rule
//! that does not fit the type is reported there, and resolved at the call site so that the
//! generated locals stay hygienic.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Lit, Type};

use super::check::{Checked, CheckedBody, CheckedField, CheckedShape, Sibling};
use super::kind::{Kind, kind_of, unoptional};
use super::parse::{
    Bound, Cleaner, Custom, Input, IpVersion, Length, Range, RuleKind, Rules, Segment, Shape,
};
use crate::generics::{mentions, type_params};

pub fn expand(checked: &Checked<'_, '_>) -> TokenStream {
    let input = checked.input;
    let context = context_type(input);
    let generics = with_bounds(checked, &context);
    let (sanitize, validate) = match &checked.body {
        CheckedBody::Struct(shape) => {
            let pattern = pattern(&quote!(Self), shape.shape);
            let sanitize = sanitize_shape(shape, &context);
            let validate = validate_shape(shape, &context, input.generics);
            (
                quote! { let #pattern = self; #sanitize },
                quote! { let #pattern = self; #validate },
            )
        }
        CheckedBody::Enum(variants) if variants.is_empty() => {
            (quote! { match *self {} }, quote! { match *self {} })
        }
        CheckedBody::Enum(variants) => {
            let mut sanitize_arms = Vec::new();
            let mut validate_arms = Vec::new();
            for (variant, shape) in variants {
                let variant_ident = &variant.ident;
                let pattern = pattern(&quote!(Self::#variant_ident), &variant.shape);
                let sanitize = sanitize_shape(shape, &context);
                let validate = validate_shape(shape, &context, input.generics);
                let enter = variant.segment.as_ref().map(|segment| {
                    quote! { let __palisade_path = &__palisade_path.field(#segment); }
                });
                sanitize_arms.push(quote! { #pattern => { #sanitize } });
                validate_arms.push(quote! { #pattern => { #enter #validate } });
            }
            (
                quote! { match self { #(#sanitize_arms)* } },
                quote! { match self { #(#validate_arms)* } },
            )
        }
    };
    let type_rules = input.custom.iter().map(|custom| {
        let call = custom_call(custom, &quote!(self), custom.function.span());
        quote! {
            if let ::core::result::Result::Err(__palisade_invalid) = #call {
                __palisade_errors.push_invalid(__palisade_path, __palisade_invalid);
            }
        }
    });
    // Fields marked `#[redact]` are masked only by `#[derive(Redact)]`'s impls: require them.
    let redact = checked
        .body
        .fields()
        .find_map(|checked| checked.field.redaction.needs_derive())
        .map(|span| {
            let span = at(span);
            quote_spanned! {span=> ::palisade::__private::assert_redact::<Self>(); }
        });
    impls(
        input,
        &generics,
        &context,
        &sanitize,
        &quote! { #redact #validate #(#type_rules)* },
        &doors(checked, &generics, &context),
    )
}

/// The doors inside the type, for the route report: every type its fields name that was made
/// `Bounded` or `Sanitized` through `#[palisade::trusted(...)]`, probed without requiring the
/// trait (the field's own check reports a missing one). In a generic type, the types that name
/// a type parameter are not probed (a probe cannot see through one); the others are.
fn doors(
    checked: &Checked<'_, '_>,
    generics: &syn::Generics,
    context: &TokenStream,
) -> TokenStream {
    let params = type_params(checked.input.generics);
    let mut types: Vec<Type> = Vec::new();
    // What a field with `dive` holds through a type parameter reports its doors through the
    // bound the impl has on it.
    let mut dived: Vec<&Type> = Vec::new();
    for checked in checked.body.fields() {
        types_within(&checked.field.ty, &mut types);
        let nested = nested_type(&checked.field.ty);
        if checked.field.rules.skip.is_none()
            && has_dive(&checked.field.rules)
            && mentions(nested, &params)
        {
            dived.push(nested);
        }
    }
    let mut seen = std::collections::HashSet::new();
    // `Self` cannot be named inside the function below; a recursive type's doors are its own.
    let self_type = [Ident::new("Self", Span::call_site())];
    types.retain(|ty| {
        !mentions(ty, &params) && !mentions(ty, &self_type) && seen.insert(quote!(#ty).to_string())
    });
    if types.is_empty() && dived.is_empty() {
        return crate::seal::no_doors();
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    // The function is named with its type and const parameters; its lifetimes are inferred.
    let arguments: Vec<TokenStream> = generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(param) => Some(param.ident.to_token_stream()),
            syn::GenericParam::Const(param) => Some(param.ident.to_token_stream()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    let turbofish = (!arguments.is_empty()).then(|| quote!(::<#(#arguments),*>));
    quote! {{
        fn __palisade_doors #impl_generics (
            __palisade_doors: &mut ::palisade::__private::Doors,
        ) #where_clause {
            #[allow(unused_imports)]
            use ::palisade::__private::{
                BoundedDoors as _, NoBoundedDoors as _, NoSanitizedDoors as _,
                SanitizedDoors as _,
            };
            #(
                (&&::palisade::__private::Probe::<#types>::new()).bounded_doors(__palisade_doors);
                (&&::palisade::__private::Probe::<#types>::new()).sanitized_doors(__palisade_doors);
            )*
            #(
                <#dived as ::palisade::__private::Dive<#context>>::dive_doors(__palisade_doors);
            )*
        }
        __palisade_doors #turbofish
    }}
}

/// `ty` and every type written inside it (generic arguments, elements), outermost first.
fn types_within(ty: &Type, types: &mut Vec<Type>) {
    types.push(ty.clone());
    match ty {
        Type::Path(path) => {
            for segment in &path.path.segments {
                if let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments {
                    for argument in &arguments.args {
                        if let syn::GenericArgument::Type(inner) = argument {
                            types_within(inner, types);
                        }
                    }
                }
            }
        }
        Type::Reference(reference) => types_within(&reference.elem, types),
        Type::Array(array) => types_within(&array.elem, types),
        Type::Slice(slice) => types_within(&slice.elem, types),
        Type::Paren(paren) => types_within(&paren.elem, types),
        Type::Group(group) => types_within(&group.elem, types),
        Type::Tuple(tuple) => {
            for element in &tuple.elems {
                types_within(element, types);
            }
        }
        _ => {}
    }
}

/// The impl that stands in when the input is invalid, so that the user's other code does not
/// drown in follow-on errors; the `compile_error!` beside it keeps the build failing.
pub fn stub(input: &Input<'_>) -> TokenStream {
    impls(
        input,
        input.generics,
        &context_type(input),
        &TokenStream::new(),
        &TokenStream::new(),
        &crate::seal::no_doors(),
    )
}

/// `Dive`, `Bounded` and `Sanitized` for the type, with the bodies of `sanitize` and
/// `validate_into`.
fn impls(
    input: &Input<'_>,
    generics: &syn::Generics,
    context: &TokenStream,
    sanitize: &TokenStream,
    validate: &TokenStream,
    doors: &TokenStream,
) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let dive = dive_impl(input, generics);
    let sanitized_seal = crate::seal::derived("SanitizedSeal", ident, generics, doors);
    let bounded_seal = crate::seal::derived("BoundedSeal", ident, generics, doors);
    quote! {
        #dive
        #sanitized_seal
        #bounded_seal
        #[automatically_derived]
        impl #impl_generics ::palisade::__private::Bounded for #ident #ty_generics #where_clause {}
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics ::palisade::__private::Sanitized for #ident #ty_generics #where_clause {
            type Context = #context;

            fn sanitize(&mut self) {
                #sanitize
            }

            fn validate_into(
                &self,
                __palisade_context: &Self::Context,
                __palisade_path: &::palisade::__private::FieldPath<'_>,
                __palisade_errors: &mut ::palisade::__private::ValidationErrors,
            ) {
                #validate
            }
        }
    }
}

/// `Dive`, so that an enclosing type can validate this one: under any context when this type
/// needs none, else under its own context only.
fn dive_impl(input: &Input<'_>, generics: &syn::Generics) -> TokenStream {
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let mut generics = generics.clone();
    let (context, passed) = if let Some(context) = &input.context {
        (quote!(#context), quote!(__palisade_context))
    } else {
        generics.params.push(syn::parse_quote!(__PalisadeContext));
        (quote!(__PalisadeContext), quote!(&()))
    };
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::palisade::__private::Dive<#context> for #ident #ty_generics #where_clause {
            fn dive_doors(__palisade_doors: &mut ::palisade::__private::Doors) {
                <Self as ::palisade::__private::SanitizedSeal>::SEAL.doors(__palisade_doors);
            }

            fn dive_sanitize(&mut self) {
                ::palisade::__private::Sanitized::sanitize(self);
            }

            fn dive_validate(
                &self,
                __palisade_context: &#context,
                __palisade_path: &::palisade::__private::FieldPath<'_>,
                __palisade_errors: &mut ::palisade::__private::ValidationErrors,
            ) {
                let _ = __palisade_context;
                ::palisade::__private::Sanitized::validate_into(self, #passed, __palisade_path, __palisade_errors);
            }
        }
    }
}

/// The type's generics, with the bounds that fields mentioning a type parameter need, so
/// that a generic container needs no bound naming palisade's internals: `Nested: Dive<Context>`
/// for what a field with `dive` validates, and `Level: Bounded` (or `BoundedByLength`) for each
/// level whose size bound the macro cannot see. The impls exist where these hold.
fn with_bounds(checked: &Checked<'_, '_>, context: &TokenStream) -> syn::Generics {
    let input = checked.input;
    let mut generics = input.generics.clone();
    let params = type_params(input.generics);
    if params.is_empty() {
        return generics;
    }
    let mut predicates: Vec<syn::WherePredicate> = Vec::new();
    for field in checked
        .body
        .fields()
        .filter(|field| field.rules.skip.is_none())
    {
        let nested = nested_type(&field.field.ty);
        if has_dive(&field.rules) && mentions(nested, &params) {
            predicates.push(syn::parse_quote!(#nested: ::palisade::__private::Dive<#context>));
        }
        for &(level, by_length) in &field.unseen_levels {
            if mentions(level, &params) {
                predicates.push(if by_length {
                    syn::parse_quote!(#level: ::palisade::__private::BoundedByLength)
                } else {
                    syn::parse_quote!(#level: ::palisade::__private::Bounded)
                });
            }
        }
    }
    if !predicates.is_empty() {
        generics.make_where_clause().predicates.extend(predicates);
    }
    generics
}

/// The type that `dive` validates inside `ty`: through options, pointers, sequences and the
/// values of maps (map keys are never dived into).
fn nested_type(ty: &Type) -> &Type {
    match kind_of(ty) {
        Kind::Optional(inner)
        | Kind::Sequence(inner)
        | Kind::Array(inner)
        | Kind::Map(_, inner) => nested_type(inner),
        Kind::Text | Kind::Bytes | Kind::Tuple(_) | Kind::Other => ty,
    }
}

fn context_type(input: &Input<'_>) -> TokenStream {
    input
        .context
        .as_ref()
        .map_or_else(|| quote!(()), |ty| quote!(#ty))
}

fn binding(index: usize) -> Ident {
    format_ident!("__palisade_{}", index)
}

/// `Path { field: __palisade_0, 1: __palisade_1, .. }`: binds every field by reference.
fn pattern(path: &TokenStream, shape: &Shape) -> TokenStream {
    let fields = shape.fields.iter().enumerate().map(|(index, field)| {
        let member = &field.member;
        let name = binding(index);
        quote!(#member: #name)
    });
    quote!(#path { #(#fields,)* .. })
}

/// A span at `located`'s place in the source that resolves names at the macro's call site.
fn at(located: Span) -> Span {
    Span::call_site().located_at(located)
}

fn sanitize_shape(shape: &CheckedShape<'_>, context: &TokenStream) -> TokenStream {
    let steps = shape.fields.iter().enumerate().map(|(index, checked)| {
        let CheckedField { field, rules, .. } = checked;
        let value = Ident::new(&binding(index).to_string(), at(field.ty.span()));
        let span = at(field.ty.span());
        let cleaners = field.cleaners.iter().map(|cleaner| match cleaner {
            // Checked: `html` has a size limit.
            Cleaner::Text {
                function: "html", ..
            } => {
                let limit = rules.text_level(&field.ty).and_then(Rules::size_limit);
                let (unit, limit) = limit.map(|length| (unit(length, span), length.max.as_ref().or(length.equal.as_ref()))).unzip();
                let limit = limit.flatten().map(|bound| &bound.expr);
                quote_spanned! {span=>
                    ::palisade::__private::sanitize_text_within(#value, ::palisade::__private::sanitize::html, #unit, #limit);
                }
            }
            Cleaner::Text { function, .. } => {
                let function = Ident::new(function, span);
                quote_spanned! {span=>
                    ::palisade::__private::sanitize_text(#value, ::palisade::__private::sanitize::#function);
                }
            }
            // Checked: `custom` on text has a size limit, and runs only within it.
            Cleaner::Custom(function) => {
                let call = quote_spanned! {span=> #function(#value); };
                match kind_of(unoptional(&field.ty)) {
                    Kind::Text => within_limit(
                        rules.text_level(&field.ty).and_then(Rules::size_limit),
                        &value,
                        span,
                        &call,
                    ),
                    _ => call,
                }
            }
        });
        // `email` maps the domain to its one ASCII form, after the field's own sanitizers and
        // before every rule, so that one mailbox is one stored value.
        let email = rules
            .text_level(&field.ty)
            .is_some_and(|text| {
                text.items
                    .iter()
                    .any(|rule| matches!(rule.kind, RuleKind::Email))
            })
            .then(|| {
                quote_spanned! {span=>
                    {
                        #[allow(unused_imports)]
                        use ::palisade::__private::{KeepEmailText as _, MapEmailText as _};
                        (&mut ::palisade::__private::EmailField(#value)).map_email();
                    }
                }
            });
        let dive = has_dive(rules).then(|| {
            quote_spanned! {span=>
                ::palisade::__private::Dive::<#context>::dive_sanitize(#value);
            }
        });
        let steps = quote! { #(#cleaners)* #email #dive };
        // Sanitizers leave the number of items alone, so a collection over its size limit
        // fails whatever they do: its items are not rewritten, and the work stays bounded.
        let limit = match kind_of(unoptional(&field.ty)) {
            Kind::Sequence(_) | Kind::Map(..) => rules.size_limit(),
            _ => None,
        };
        within_limit(limit, &value, span, &steps)
    });
    quote! { #(#steps)* }
}

/// Whether nested values are validated, on the field or on its elements: their sanitizers
/// must then run too, and `Dive` on the field reaches the elements as well.
fn has_dive<F>(rules: &Rules<F>) -> bool {
    rules
        .items
        .iter()
        .any(|rule| matches!(rule.kind, RuleKind::Dive))
        || rules.each.as_ref().is_some_and(|(_, each)| has_dive(each))
}

fn validate_shape(
    shape: &CheckedShape<'_>,
    context: &TokenStream,
    generics: &syn::Generics,
) -> TokenStream {
    let fields = shape.fields.iter().enumerate().map(|(index, checked)| {
        let field = checked.field;
        if checked.rules.skip.is_some() {
            return TokenStream::new();
        }
        let enter = match &field.segment {
            Segment::Name(name) => quote! { let __palisade_path = &__palisade_path.field(#name); },
            Segment::Index(index) => {
                quote! { let __palisade_path = &__palisade_path.index(#index); }
            }
            Segment::Transparent => TokenStream::new(),
        };
        let scope = Scope { context };
        let checks = scope.rules(
            &checked.rules,
            &binding(index).to_string(),
            &field.ty,
            Some(&field.ty),
        );
        let params = type_params(generics);
        // Levels that mention a type parameter are bounded in the impl's `where` clause.
        let assertions = checked
            .unseen_levels
            .iter()
            .filter(|(level, _)| !mentions(level, &params))
            .map(|&(level, by_length)| {
                let span = at(level.span());
                if by_length {
                    quote_spanned!(span=> ::palisade::__private::assert_bounded_by_length::<#level>();)
                } else {
                    quote_spanned!(span=> ::palisade::__private::assert_bounded::<#level>();)
                }
            });
        // A nested `Sanitized` type without `dive`, or where no `dive` reaches, would keep its
        // rules from running: refused where the probe can see the type (not through a type
        // parameter).
        let probe = |levels: &[&Type], require: &str, decision: &str| {
            levels
                .iter()
                .filter(|level| !mentions(level, &params))
                .map(|level| {
                    let span = at(level.span());
                    let (require, decision) = (Ident::new(require, span), Ident::new(decision, span));
                    quote_spanned! {span=>
                        ::palisade::__private::#require(
                            (&&::palisade::__private::Probe::<#level>::new()).#decision(),
                        );
                    }
                })
                .collect::<Vec<_>>()
        };
        let dives = probe(
            &checked.undived_levels,
            "require_dive_decided",
            "dive_decision",
        )
        .into_iter()
        .chain(probe(
            &checked.out_of_reach_levels,
            "require_reach_decided",
            "reach_decision",
        ))
            .collect::<Vec<_>>();
        let probes = (!dives.is_empty()).then(|| {
            quote! {
                use ::palisade::__private::{
                    NestedSanitized as _, NotNested as _, NotOutOfReach as _,
                    OutOfReachSanitized as _,
                };
            }
        });
        let secret = &checked.secret;
        quote! { { #probes #(#assertions)* #(#dives)* #secret #enter #checks } }
    });
    quote! { #(#fields)* }
}

/// What the rules of one field can refer to.
struct Scope<'a> {
    context: &'a TokenStream,
}

impl Scope<'_> {
    /// The checks of one level of rules on the value bound to `value` (a reference), with
    /// `__palisade_path` its path.
    ///
    /// `level` is the syntactic type of the value at this level (the field's type, then its
    /// elements' or keys' types), where the macro can see it; it only words messages.
    fn rules(
        &self,
        rules: &Rules<Sibling>,
        value: &str,
        ty: &Type,
        level: Option<&Type>,
    ) -> TokenStream {
        let span = at(ty.span());
        let value = Ident::new(value, span);
        // `dive` reaches the elements of a collection, so it runs with `each` and `keys`.
        let (dives, checks): (Vec<_>, Vec<_>) = rules
            .items
            .iter()
            .partition(|rule| matches!(rule.kind, RuleKind::Dive));
        let checks = checks
            .into_iter()
            .map(|rule| self.rule(&rule.kind, &value, span, level));
        let mut nested: Vec<TokenStream> = dives
            .into_iter()
            .map(|rule| self.rule(&rule.kind, &value, span, level))
            .collect();
        if let Some((_, keys)) = &rules.keys {
            let inner = self.rules(keys, "__palisade_value", ty, level.and_then(key_type));
            nested.push(quote_spanned! {span=>
                ::palisade::__private::keys(#value, __palisade_path, &mut |__palisade_value, __palisade_path| {
                    #inner
                });
            });
        }
        if let Some((_, each)) = &rules.each {
            let inner = self.rules(each, "__palisade_value", ty, level.and_then(element_type));
            nested.push(quote_spanned! {span=>
                ::palisade::__private::each(#value, __palisade_path, &mut |__palisade_value, __palisade_path| {
                    #inner
                });
            });
        }
        // A collection over its size limit has already failed; its elements are not looked
        // at, so that the work and the answer stay bounded by the limit, not the input.
        let nested = within_limit(rules.size_limit(), &value, span, &quote! { #(#nested)* });
        quote! { #(#checks)* #nested }
    }

    #[allow(clippy::too_many_lines)] // one arm per rule keeps the table of rules in one place
    fn rule(
        &self,
        kind: &RuleKind<Sibling>,
        value: &Ident,
        span: Span,
        level: Option<&Type>,
    ) -> TokenStream {
        let fail = |code: &str, message: &str| {
            quote! { __palisade_errors.push(__palisade_path, #code, #message); }
        };
        let check = |condition: TokenStream, code: &str, message: &str| {
            let fail = fail(code, message);
            quote! { if !(#condition) { #fail } }
        };
        let rules = quote_spanned!(span=> ::palisade::__private);
        match kind {
            RuleKind::Length(length) => {
                let unit = unit(length, span);
                let [min, max, equal] = [&length.min, &length.max, &length.equal]
                    .map(|bound| option(bound.as_ref(), span));
                let assertion = const_order(length.min.as_ref(), length.max.as_ref(), false);
                let message = length_message(length, noun(level, length.bytes.is_some()));
                let call = quote_spanned!(span=> #rules::length(#value, #unit, #min, #max, #equal));
                let check = check(call, "length", &message);
                quote! { #assertion #check }
            }
            RuleKind::Range(range) => {
                let [min, max, exclusive_min, exclusive_max] = [
                    &range.min,
                    &range.max,
                    &range.exclusive_min,
                    &range.exclusive_max,
                ]
                .map(|bound| option(bound.as_ref(), span));
                let low = range.min.as_ref().or(range.exclusive_min.as_ref());
                let high = range.max.as_ref().or(range.exclusive_max.as_ref());
                let strict = range.exclusive_min.is_some() || range.exclusive_max.is_some();
                let assertion = const_order(low, high, strict);
                let call = quote_spanned!(span=> #rules::range(#value, #min, #max, #exclusive_min, #exclusive_max));
                let check = check(call, "range", &range_message(range));
                quote! { #assertion #check }
            }
            RuleKind::Email => check(
                quote_spanned!(span=> #rules::email(#value)),
                "email",
                "must be a valid email address",
            ),
            RuleKind::Url { schemes } => {
                let names: Vec<String> = if schemes.is_empty() {
                    vec!["http".into(), "https".into()]
                } else {
                    schemes.iter().map(syn::LitStr::value).collect()
                };
                let message = format!("must be a valid {} URL", names.join(" or "));
                check(
                    quote_spanned!(span=> #rules::url(#value, &[#(#names),*])),
                    "url",
                    &message,
                )
            }
            RuleKind::Ip(version) => {
                let (variant, message) = match version {
                    IpVersion::Any => (quote!(Any), "must be a valid IP address"),
                    IpVersion::V4 => (quote!(V4), "must be a valid IPv4 address"),
                    IpVersion::V6 => (quote!(V6), "must be a valid IPv6 address"),
                };
                check(
                    quote_spanned!(span=> #rules::ip(#value, #rules::IpVersion::#variant)),
                    "ip",
                    message,
                )
            }
            RuleKind::Regex(pattern) => {
                let fail = fail("regex", "must match the required pattern");
                quote_spanned! {span=>
                    {
                        static __PALISADE_REGEX: #rules::LazyLock<::core::option::Option<#rules::Regex>> =
                            #rules::LazyLock::new(|| #rules::Regex::new(#pattern).ok());
                        if !#rules::regex(#value, __PALISADE_REGEX.as_ref()) { #fail }
                    }
                }
            }
            RuleKind::Contains(needle) => check(
                quote_spanned!(span=> #rules::contains(#value, #needle)),
                "contains",
                &format!("must contain {:?}", needle.value()),
            ),
            RuleKind::DoesNotContain(needle) => check(
                quote_spanned!(span=> #rules::does_not_contain(#value, #needle)),
                "does_not_contain",
                &format!("must not contain {:?}", needle.value()),
            ),
            RuleKind::OneOf(values) => check(
                quote_spanned!(span=> #rules::one_of(#value, &[#(#values),*])),
                "one_of",
                &one_of_message(values),
            ),
            RuleKind::Required => check(
                quote_spanned!(span=> #rules::required(#value)),
                "required",
                "is required",
            ),
            RuleKind::MustMatch(other) => {
                let other_value = Ident::new(&binding(other.index).to_string(), span);
                check(
                    quote_spanned!(span=> #rules::must_match(#value, #other_value)),
                    "must_match",
                    &format!("must match `{}`", other.name),
                )
            }
            RuleKind::Password { unlike } => {
                let call = if let Some(other) = unlike {
                    // At the name in the attribute, so that a field that is not text is
                    // reported there.
                    let other_value = Ident::new(&binding(other.index).to_string(), at(other.span));
                    quote_spanned!(span=> #rules::password_unlike(#value, #other_value))
                } else {
                    quote_spanned!(span=> #rules::password(#value))
                };
                quote! {
                    if let ::core::result::Result::Err(__palisade_invalid) = #call {
                        __palisade_errors.push_invalid(__palisade_path, __palisade_invalid);
                    }
                }
            }
            RuleKind::CreditCard => check(
                quote_spanned!(span=> #rules::credit_card(#value)),
                "credit_card",
                "must be a valid credit card number",
            ),
            RuleKind::NonControlCharacter => check(
                quote_spanned!(span=> #rules::non_control_character(#value)),
                "non_control_character",
                "must not contain control characters",
            ),
            RuleKind::Dive => {
                let context = self.context;
                quote_spanned! {span=>
                    #rules::Dive::<#context>::dive_validate(#value, __palisade_context, __palisade_path, __palisade_errors);
                }
            }
            RuleKind::Custom(custom) => {
                let call = custom_call(custom, &quote!(#value), span);
                quote! {
                    if let ::core::result::Result::Err(__palisade_invalid) = #call {
                        __palisade_errors.push_invalid(__palisade_path, __palisade_invalid);
                    }
                }
            }
        }
    }
}

/// `steps`, run only while `value` is within the size `limit` (when there is one).
fn within_limit(
    limit: Option<&Length>,
    value: &Ident,
    span: Span,
    steps: &TokenStream,
) -> TokenStream {
    let Some(length) = limit.filter(|_| !steps.is_empty()) else {
        return steps.clone();
    };
    let unit = unit(length, span);
    let [max, equal] = [&length.max, &length.equal].map(|bound| option(bound.as_ref(), span));
    let none = quote_spanned!(span=> ::core::option::Option::None);
    quote_spanned! {span=>
        if ::palisade::__private::length(#value, #unit, #none, #max, #equal) {
            #steps
        }
    }
}

/// The `LengthUnit` a `length` rule counts text in.
fn unit(length: &Length, span: Span) -> TokenStream {
    if length.bytes.is_some() {
        quote_spanned!(span=> ::palisade::__private::LengthUnit::Bytes)
    } else {
        quote_spanned!(span=> ::palisade::__private::LengthUnit::Chars)
    }
}

/// What `length` counts, in messages: characters or bytes of text, items of a collection.
fn noun(level: Option<&Type>, bytes: bool) -> &'static str {
    match level.map(kind_of) {
        Some(Kind::Optional(inner)) => noun(Some(inner), bytes),
        Some(Kind::Bytes) => "bytes",
        Some(Kind::Sequence(_) | Kind::Map(..) | Kind::Array(_)) => "items",
        _ if bytes => "bytes",
        Some(Kind::Text) => "characters",
        Some(Kind::Tuple(_) | Kind::Other) | None => "units",
    }
}

/// The element type of a collection type, as far as its syntax shows.
fn element_type(ty: &Type) -> Option<&Type> {
    match kind_of(ty) {
        Kind::Optional(inner) => element_type(inner),
        Kind::Sequence(element) | Kind::Array(element) | Kind::Map(_, element) => Some(element),
        Kind::Text | Kind::Bytes | Kind::Tuple(_) | Kind::Other => None,
    }
}

/// The key type of a map type, as far as its syntax shows.
fn key_type(ty: &Type) -> Option<&Type> {
    match kind_of(ty) {
        Kind::Optional(inner) => key_type(inner),
        Kind::Map(key, _) => Some(key),
        _ => None,
    }
}

fn custom_call(custom: &Custom, value: &TokenStream, span: Span) -> TokenStream {
    let function = &custom.function;
    if custom.with_context.is_some() {
        quote_spanned!(span=> #function(#value, __palisade_context))
    } else {
        quote_spanned!(span=> #function(#value))
    }
}

fn option(bound: Option<&Bound>, span: Span) -> TokenStream {
    if let Some(bound) = bound {
        let expr = &bound.expr;
        quote_spanned!(span=> ::core::option::Option::Some(#expr))
    } else {
        quote_spanned!(span=> ::core::option::Option::None)
    }
}

/// Bounds given as constants are compared when the code compiles.
/// With `strict` (an exclusive bound), equal bounds leave no value either.
fn const_order(low: Option<&Bound>, high: Option<&Bound>, strict: bool) -> TokenStream {
    match (low, high) {
        (Some(low), Some(high)) if low.value.is_none() || high.value.is_none() => {
            let span = at(low.span());
            let (low, high) = (&low.expr, &high.expr);
            let (order, message) = if strict {
                (
                    quote_spanned!(span=> #low < #high),
                    "contradictory bounds: the lower bound is not below the upper bound, so no value passes",
                )
            } else {
                (
                    quote_spanned!(span=> #low <= #high),
                    "contradictory bounds: the lower bound is greater than the upper bound, so no value passes",
                )
            };
            quote_spanned! {span=>
                const {
                    ::core::assert!(#order, #message);
                }
            }
        }
        _ => TokenStream::new(),
    }
}

fn show(bound: &Bound) -> Option<String> {
    bound.value.map(|v| format!("{v}"))
}

fn length_message(length: &Length, noun: &str) -> String {
    let given = [&length.min, &length.max, &length.equal];
    // A bound given as a constant has no value here: name none rather than half of them.
    if given
        .iter()
        .filter_map(|bound| bound.as_ref())
        .any(|bound| bound.value.is_none())
    {
        return "must have an allowed length".to_owned();
    }
    let [min, max, equal] = given.map(|bound| bound.as_ref().and_then(show));
    let bounds = match (min, max, equal) {
        (_, _, Some(n)) => format!("exactly {n}"),
        (Some(min), Some(max), _) => format!("between {min} and {max}"),
        (Some(min), None, _) => format!("at least {min}"),
        (None, Some(max), _) => format!("at most {max}"),
        _ => return "must have an allowed length".to_owned(),
    };
    match noun {
        "items" => format!("must have {bounds} items"),
        "units" => format!("must have a length of {bounds}"),
        _ => format!("must be {bounds} {noun} long"),
    }
}

fn range_message(range: &Range) -> String {
    if let (Some(min), Some(max)) = (
        range.min.as_ref().and_then(show),
        range.max.as_ref().and_then(show),
    ) {
        return format!("must be between {min} and {max}");
    }
    let parts: Vec<String> = [
        (&range.min, "at least"),
        (&range.exclusive_min, "greater than"),
        (&range.max, "at most"),
        (&range.exclusive_max, "less than"),
    ]
    .into_iter()
    .filter_map(|(bound, words)| {
        bound
            .as_ref()
            .map(|b| show(b).map(|v| format!("{words} {v}")))
    })
    .collect::<Option<Vec<_>>>()
    .unwrap_or_default();
    if parts.is_empty() {
        "must be within the allowed range".to_owned()
    } else {
        format!("must be {}", parts.join(" and "))
    }
}

fn one_of_message(values: &[Lit]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|lit| match lit {
            Lit::Str(s) => format!("{:?}", s.value()),
            other => quote!(#other).to_string(),
        })
        .collect();
    let list = shown.join(", ");
    if list.len() <= 200 {
        format!("must be one of {list}")
    } else {
        "must be one of the allowed values".to_owned()
    }
}
