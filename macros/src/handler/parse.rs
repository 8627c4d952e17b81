//! Stage 1: the attribute and the function → the model, with the rules of a handler's
//! syntax.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, ReturnType, Type};

use crate::attr::Keys;
use crate::errors::Errors;

/// The access decision the attribute records.
pub enum Decision {
    /// `#[public(reason = "...")]`.
    Public { reason: String },
    /// `#[requires_auth(Principal, rule)]`.
    Authenticated {
        principal: Box<Type>,
        rule: Option<Box<Rule>>,
        /// The rule as written, for audit events.
        text: String,
        /// `policy = owns_note(id)`: an object-level check against a handler argument.
        policy: Option<Box<Policy>>,
    },
}

/// `policy = function(argument, ...)` or `policy = function(argument, ...).await`, with
/// `deny = 403` or the default 404.
pub struct Policy {
    pub function: syn::Path,
    /// The handler arguments it is given, after the principal.
    pub arguments: Vec<syn::Ident>,
    /// Whether it is an `async fn`, written `.await` as in Rust.
    pub awaited: bool,
    pub deny: u16,
}

/// An access rule, written in the attribute.
pub enum Rule {
    /// `role = Role::Admin`: an expression of the principal's role type.
    Role(syn::Expr),
    /// `scope = "notes:write"`.
    Scope(LitStr),
    /// `any(rule, ...)`.
    Any(Vec<Rule>),
    /// `all(rule, ...)`.
    All(Vec<Rule>),
    /// `not(rule)`.
    Not(Box<Rule>),
}

impl syn::parse::Parse for Rule {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let key: syn::Ident = input.parse()?;
        match key.to_string().as_str() {
            // role = Role::Admin
            "role" => {
                input.parse::<syn::Token![=]>()?;
                Ok(Rule::Role(input.parse()?))
            }
            // scope = "notes:write"
            "scope" => {
                input.parse::<syn::Token![=]>()?;
                Ok(Rule::Scope(input.parse()?))
            }
            // any(rule, ...) | all(rule, ...) | not(rule)
            "any" | "all" | "not" => {
                let content;
                syn::parenthesized!(content in input);
                let rules = content.parse_terminated(Rule::parse, syn::Token![,])?;
                let rules: Vec<Rule> = rules.into_iter().collect();
                match key.to_string().as_str() {
                    "not" => {
                        let mut rules = rules.into_iter();
                        match (rules.next(), rules.next()) {
                            (Some(rule), None) => Ok(Rule::Not(Box::new(rule))),
                            _ => Err(syn::Error::new(key.span(), "`not` takes one rule")),
                        }
                    }
                    _ if rules.is_empty() => Err(syn::Error::new(
                        key.span(),
                        format!("`{key}` needs at least one rule"),
                    )),
                    "any" => Ok(Rule::Any(rules)),
                    _ => Ok(Rule::All(rules)),
                }
            }
            _ => Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown rule `{key}`: expected `role = ...`, `scope = \"...\"`, `any(...)`, `all(...)` or `not(...)`"
                ),
            )),
        }
    }
}

/// `#[requires_auth(Principal)]` or `#[requires_auth(Principal, rule)]`.
pub fn requires_auth(attr: TokenStream, errors: &mut Errors) -> Option<Decision> {
    let text = attr.to_string();
    let parser = |input: syn::parse::ParseStream<'_>| {
        if input.is_empty() {
            return Err(syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[requires_auth]` needs the principal type: `#[requires_auth(User)]` or `#[requires_auth(User, role = Role::Admin)]`",
            ));
        }
        let principal: Type = input.parse()?;
        let mut rule = None;
        let mut policy: Option<(syn::Path, Vec<syn::Ident>, bool)> = None;
        let mut deny = None;
        let mut keys = Keys::default().hint(": a handler has one");
        while input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
            if input.peek(syn::Ident) && input.peek2(syn::Token![=]) {
                let key: syn::Ident = input.fork().parse()?;
                if key == "policy" || key == "deny" {
                    keys.first_ident(&key)?;
                }
                if key == "policy" {
                    // policy = owns_note(id) or policy = owns_note(state, id).await
                    input.parse::<syn::Ident>()?;
                    input.parse::<syn::Token![=]>()?;
                    let function: syn::Path = input.parse()?;
                    let content;
                    let parens = syn::parenthesized!(content in input);
                    let arguments = content
                        .parse_terminated(<syn::Ident as syn::parse::Parse>::parse, syn::Token![,])?
                        .into_iter()
                        .collect::<Vec<_>>();
                    if arguments.is_empty() {
                        return Err(syn::Error::new(
                            parens.span.join(),
                            "the policy names no argument: name the handler arguments it checks, such as the note id",
                        ));
                    }
                    let awaited = input.peek(syn::Token![.]);
                    if awaited {
                        input.parse::<syn::Token![.]>()?;
                        input.parse::<syn::Token![await]>()?;
                    }
                    policy = Some((function, arguments, awaited));
                    continue;
                }
                if key == "deny" {
                    // deny = 403
                    input.parse::<syn::Ident>()?;
                    input.parse::<syn::Token![=]>()?;
                    let status: syn::LitInt = input.parse()?;
                    let value: u16 = status.base10_parse()?;
                    if value != 403 && value != 404 {
                        return Err(syn::Error::new(
                            status.span(),
                            "a denied object answers 404 (the default: its existence does not leak) or 403",
                        ));
                    }
                    deny = Some(value);
                    continue;
                }
            }
            let parsed: Rule = input.parse()?;
            if rule.replace(parsed).is_some() {
                return Err(input.error("one rule: combine rules with `any(...)` or `all(...)`"));
            }
        }
        if !input.is_empty() {
            return Err(input.error("expected `,` between the principal, the rule and the policy"));
        }
        if deny.is_some() && policy.is_none() {
            return Err(syn::Error::new(
                proc_macro2::Span::call_site(),
                "`deny` says how a policy's refusal answers: give a `policy = ...`",
            ));
        }
        let policy = policy.map(|(function, arguments, awaited)| Policy {
            function,
            arguments,
            awaited,
            deny: deny.unwrap_or(404),
        });
        Ok((principal, rule, policy))
    };
    match syn::parse::Parser::parse2(parser, attr) {
        Ok((principal, rule, policy)) => Some(Decision::Authenticated {
            principal: Box::new(principal),
            // The rule as written, after the principal: what audit events record.
            text: rule_text(&text, rule.is_some()),
            rule: rule.map(Box::new),
            policy: policy.map(Box::new),
        }),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

pub struct Handler<'a> {
    pub function: &'a ItemFn,
    /// The argument types, in order.
    pub arguments: Vec<&'a Type>,
    /// The argument names, where the pattern is a plain name.
    pub names: Vec<Option<&'a syn::Ident>>,
    /// The written return type; `None` for `()`.
    pub output: Option<&'a Type>,
    /// A `#[csrf_exempt(reason = "...")]` among the function's attributes: its span and its
    /// reason.
    pub csrf_exempt: Option<(proc_macro2::Span, String)>,
}

/// What a handler takes that a browser's cross-site write could ride on: the session (a login
/// form logs the victim into the attacker's account) or a form body.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WriteInput {
    /// `Session`.
    Session,
    /// `Valid<Form<T>>`.
    Form,
}

impl Handler<'_> {
    /// The session or form body the handler takes, the session first.
    pub fn write_input(&self) -> Option<WriteInput> {
        let last = |ty: &Type| match ty {
            Type::Path(path) => path.path.segments.last().cloned(),
            _ => None,
        };
        let kinds = self.arguments.iter().filter_map(|ty| {
            let segment = last(ty)?;
            if segment.ident == "Session" {
                return Some(WriteInput::Session);
            }
            let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
                return None;
            };
            let inner = arguments.args.iter().find_map(|argument| match argument {
                syn::GenericArgument::Type(inner) => last(inner),
                _ => None,
            })?;
            (segment.ident == "Valid" && inner.ident == "Form").then_some(WriteInput::Form)
        });
        kinds.min_by_key(|kind| *kind != WriteInput::Session)
    }
}

/// Whether `attr` is `#[name(...)]`, by its last path segment (`#[palisade::name]` too).
pub fn is_attribute(attr: &syn::Attribute, name: &str) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == name)
}

/// `#[public(reason = "...")]`: the reason, required and not empty.
pub fn public(attr: TokenStream, errors: &mut Errors) -> Option<Decision> {
    let reason = reason(
        attr,
        proc_macro2::Span::call_site(),
        "public",
        "say why anyone may call this handler",
        "health checks are open to load balancers",
        errors,
    )?;
    Some(Decision::Public { reason })
}

/// `reason = "..."` of `#[name(...)]`, required and not empty; `why` says what the reason
/// tells, `example` is one; a missing reason is reported at `span`.
fn reason(
    attr: TokenStream,
    span: proc_macro2::Span,
    name: &str,
    why: &str,
    example: &str,
    errors: &mut Errors,
) -> Option<String> {
    let mut reason: Option<LitStr> = None;
    let mut keys = Keys::default();
    let parser = syn::meta::parser(|meta| {
        // reason = "..."
        if meta.path.is_ident("reason") {
            keys.first(&meta)?;
            let value = meta.value()?.parse::<LitStr>()?;
            if value.value().trim().is_empty() {
                return Err(syn::Error::new(
                    value.span(),
                    format!("the reason is empty: {why}"),
                ));
            }
            reason = Some(value);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown key `{}` in `#[{name}(...)]`: the only one is `reason = \"...\"`",
                crate::errors::path_text(&meta.path)
            )))
        }
    });
    let had_input = !attr.is_empty();
    if let Err(error) = syn::parse::Parser::parse2(parser, attr) {
        errors.push(error);
        return None;
    }
    if reason.is_none() && !had_input {
        errors.at(
            span,
            format!("`#[{name}]` needs a reason: `#[{name}(reason = \"{example}\")]`"),
        );
    } else if reason.is_none() {
        errors.at(span, format!("`#[{name}(...)]` needs `reason = \"...\"`"));
    }
    reason.map(|reason| reason.value())
}

/// The reason of a `#[csrf_exempt(...)]` attribute of the function; a missing one is reported
/// on the attribute.
fn csrf_exempt(attr: &syn::Attribute, errors: &mut Errors) -> Option<String> {
    let tokens = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    reason(
        tokens,
        attr.path().span(),
        "csrf_exempt",
        "say why cross-site requests may change state here",
        "the payment provider posts here with its own signature",
        errors,
    )
}

/// The rules every handler meets whatever its decision: an `async fn`, free, not generic, with
/// typed arguments and a nameable return type.
pub fn handler<'a>(function: &'a ItemFn, errors: &mut Errors) -> Handler<'a> {
    let signature = &function.sig;
    if signature.asyncness.is_none() {
        errors.at(
            signature.fn_token.span(),
            "a handler is an `async fn`: add `async`",
        );
    }
    if !signature.generics.params.is_empty() {
        errors.at(
            signature.generics.span(),
            "a handler is not generic: the router needs one concrete handler to check and to call",
        );
    }
    let mut exempt = None;
    let mut attributes = Keys::default().hint(": a handler has one");
    for attr in &function.attrs {
        if is_attribute(attr, "csrf_exempt") {
            errors.keep(attributes.first_at("#[csrf_exempt]", attr.path().span()));
            exempt = csrf_exempt(attr, errors).map(|reason| (attr.path().span(), reason));
        }
        for other in ["public", "requires_auth"] {
            if is_attribute(attr, other) {
                errors.at(
                    attr.path().span(),
                    "a handler has one access decision: `#[public(...)]` or `#[requires_auth(...)]`, not both",
                );
            }
        }
    }
    let mut arguments = Vec::new();
    let mut names = Vec::new();
    for argument in &signature.inputs {
        match argument {
            FnArg::Receiver(receiver) => errors.at(
                receiver.span(),
                "a handler is a free function, not a method",
            ),
            FnArg::Typed(typed) => {
                arguments.push(&*typed.ty);
                names.push(match &*typed.pat {
                    syn::Pat::Ident(pat) => Some(&pat.ident),
                    _ => None,
                });
            }
        }
    }
    if arguments.len() > 16 {
        errors.at(
            signature.inputs.span(),
            "a handler takes at most 16 arguments",
        );
    }
    let output = match &signature.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => {
            if let Type::ImplTrait(_) = &**ty {
                errors.at(
                    ty.span(),
                    "`impl Trait` hides what the handler returns, so palisade cannot check it cannot leak: name the type, such as `Result<Json<Note>, NoteError>`",
                );
            }
            Some(&**ty)
        }
    };
    Handler {
        function,
        arguments,
        names,
        output,
        csrf_exempt: exempt,
    }
}

/// The part of the attribute after the principal type (and its comma), or `authenticated`.
fn rule_text(attr: &str, has_rule: bool) -> String {
    // The attribute's items at depth 0: the principal, the rule, the policy and its `deny`.
    let mut items = Vec::new();
    let mut depth = 0_i32;
    let mut start = 0;
    for (index, c) in attr.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                items.push(attr[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(attr[start..].trim());
    let rule = items
        .iter()
        .skip(1)
        .find(|item| !item.is_empty() && !item.starts_with("policy") && !item.starts_with("deny"));
    match rule {
        Some(rule) if has_rule => (*rule).to_owned(),
        _ => "authenticated".to_owned(),
    }
}
