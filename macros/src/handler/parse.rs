//! Stage 1: the attribute and the function → the model, with the rules of a handler.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, ReturnType, Type};

use crate::errors::Errors;

/// The access decision the attribute records.
pub enum Decision {
    /// `#[public(reason = "...")]`.
    Public { reason: String },
}

pub struct Handler<'a> {
    pub function: &'a ItemFn,
    /// The argument types, in order.
    pub arguments: Vec<&'a Type>,
    /// The written return type; `None` for `()`.
    pub output: Option<&'a Type>,
}

/// `reason = "..."`, required and not empty.
pub fn public_reason(attr: TokenStream, errors: &mut Errors) -> Option<String> {
    let mut reason: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        // reason = "..."
        if meta.path.is_ident("reason") {
            if reason.is_some() {
                return Err(meta.error("duplicate `reason`"));
            }
            let value = meta.value()?.parse::<LitStr>()?;
            if value.value().trim().is_empty() {
                return Err(syn::Error::new(
                    value.span(),
                    "the reason is empty: say why anyone may call this handler",
                ));
            }
            reason = Some(value);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown key `{}` in `#[public(...)]`: the only one is `reason = \"...\"`",
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
            proc_macro2::Span::call_site(),
            "`#[public]` needs a reason: `#[public(reason = \"health checks are open to load balancers\")]`",
        );
    } else if reason.is_none() {
        errors.at(
            proc_macro2::Span::call_site(),
            "`#[public(...)]` needs `reason = \"...\"`",
        );
    }
    reason.map(|reason| reason.value())
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
    for attr in &function.attrs {
        for other in ["public", "requires_auth"] {
            if attr.path().is_ident(other)
                || attr
                    .path()
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == other)
            {
                errors.at(
                    attr.path().span(),
                    "a handler has one access decision: `#[public(...)]` or `#[requires_auth(...)]`, not both",
                );
            }
        }
    }
    let mut arguments = Vec::new();
    for argument in &signature.inputs {
        match argument {
            FnArg::Receiver(receiver) => errors.at(
                receiver.span(),
                "a handler is a free function, not a method",
            ),
            FnArg::Typed(typed) => arguments.push(&*typed.ty),
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
        output,
    }
}
