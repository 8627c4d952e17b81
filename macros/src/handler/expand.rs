//! Stage 3: the handler → a unit struct implementing axum's `Handler` and palisade's marker.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ItemFn;
use syn::spanned::Spanned;

use super::check::Checked;
use super::parse::{Decision, Handler, Policy, Rule, WriteInput};

pub fn expand(checked: &Checked<'_, '_>) -> TokenStream {
    let Checked {
        handler, decision, ..
    } = checked;
    let function = handler.function;
    let name = &function.sig.ident;
    let vis = &function.vis;
    let docs = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"));
    let mut inner = function.clone();
    inner.sig.ident = format_ident!("__palisade_handler");
    inner.vis = syn::Visibility::Inherited;
    inner.attrs.retain(|attr| {
        !attr.path().is_ident("doc") && !super::parse::is_attribute(attr, "csrf_exempt")
    });
    // Palisade requires handlers to be `async`, awaiting or not.
    inner
        .attrs
        .push(syn::parse_quote!(#[allow(clippy::unused_async)]));

    let checks = handler.arguments.iter().map(|ty| {
        let span = Span::call_site().located_at(ty.span());
        quote_spanned! {span=> ::palisade::__private::assert_trusted_input::<#ty>(); }
    });
    // The output is answered through a function bounded on `SafeResponse`: one error, naming
    // the leaking type, on the return type.
    let respond = if let Some(ty) = handler.output {
        let span = Span::call_site().located_at(ty.span());
        quote_spanned! {span=> ::palisade::__private::into_safe_response::<#ty> }
    } else {
        quote! { ::palisade::__private::into_safe_response::<()> }
    };

    let gate = match decision {
        Decision::Public { .. } => public_csrf(handler, name),
        Decision::Authenticated {
            principal,
            rule,
            text,
            policy,
        } => Some(gate_code(
            handler,
            name,
            principal,
            rule.as_deref(),
            text,
            policy
                .as_deref()
                .map(|policy| (policy, &checked.policy_arguments[..])),
        )),
    };
    let handler_impl = handler_impl(handler, name, &respond, gate.as_ref());
    let exempt_use = exempt_uses(function);
    let decision = match decision {
        Decision::Public { reason } => {
            let checked = handler.write_input().is_some() && handler.csrf_exempt.is_none();
            let exempt = if let Some((_, reason)) = &handler.csrf_exempt {
                quote!(::core::option::Option::Some(#reason))
            } else {
                quote!(::core::option::Option::None)
            };
            quote! {
                ::palisade::__private::Access::Public {
                    reason: #reason,
                    csrf_checked: #checked,
                    csrf_exempt: #exempt,
                }
            }
        }
        Decision::Authenticated { text, policy, .. } => {
            access_metadata(text, policy.as_deref(), handler.csrf_exempt.as_ref())
        }
    };
    let seal = access_seal(name);
    let doors = doors(handler);
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #vis struct #name;

        const _: () = {
            #inner
            #exempt_use

            #[allow(dead_code, clippy::all)]
            fn __palisade_checks() {
                #(#checks)*
            }

            #handler_impl

            #seal

            #[automatically_derived]
            impl ::palisade::__private::AccessDecided for #name {
                const ACCESS: ::palisade::__private::Access = #decision;

                fn doors(__palisade_doors: &mut ::palisade::__private::Doors) {
                    #doors
                }
            }
        };
    }
}

/// The doors the handler's argument and return types open, for the route report: each type
/// probed without requiring its trait (the check on the type reports a missing one).
fn doors(handler: &Handler<'_>) -> TokenStream {
    let inputs = handler.arguments.iter();
    // `impl Trait` names no type to probe; it is no safe response either, as its check says.
    let output = handler
        .output
        .filter(|ty| !matches!(ty, syn::Type::ImplTrait(_)))
        .map(|ty| {
            quote! {
                (&&::palisade::__private::Probe::<#ty>::new()).response_doors(__palisade_doors);
            }
        });
    quote! {
        #[allow(unused_imports)]
        use ::palisade::__private::{
            InputDoors as _, NoInputDoors as _, NoResponseDoors as _, ResponseDoors as _,
        };
        #(
            (&&::palisade::__private::Probe::<#inputs>::new()).input_doors(__palisade_doors);
        )*
        #output
    }
}

/// The seal of the access marker: written by the attribute, for the handler's struct.
fn access_seal(name: &syn::Ident) -> TokenStream {
    crate::seal::derived(
        "AccessDecidedSeal",
        name,
        &syn::Generics::default(),
        &crate::seal::no_doors(),
    )
}

/// What the router's route report says of an authenticated handler.
fn access_metadata(
    rule: &str,
    policy: Option<&Policy>,
    csrf_exempt: Option<&(Span, String)>,
) -> TokenStream {
    let some = |text: String| quote!(::core::option::Option::Some(#text));
    let none = quote!(::core::option::Option::None);
    let policy = policy.map_or_else(
        || none.clone(),
        |policy| {
            let function = policy
                .function
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            let arguments = policy
                .arguments
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            some(format!("{function}({arguments}), deny {}", policy.deny))
        },
    );
    let exempt = csrf_exempt.map_or_else(|| none.clone(), |(_, reason)| some(reason.clone()));
    quote! {
        ::palisade::__private::Access::Authenticated {
            rule: #rule,
            policy: #policy,
            csrf_exempt: #exempt,
        }
    }
}

/// axum's `Handler` for the struct: the arguments extracted as axum would (the last one may
/// take the body), the user's function called, its output answered as a safe response.
fn handler_impl(
    handler: &Handler<'_>,
    name: &syn::Ident,
    respond: &TokenStream,
    gate: Option<&GateCode>,
) -> TokenStream {
    let (gate_before, gate_bound, gate_after) = gate.map_or((None, None, None), |code| {
        (Some(&code.before), Some(&code.bound), Some(&code.after))
    });
    let count = handler.arguments.len();
    let values: Vec<_> = (0..count)
        .map(|index| format_ident!("__palisade_arg_{}", index))
        .collect();
    let (parts, last) = match handler.arguments.split_last() {
        Some((last, parts)) => (parts, Some(*last)),
        None => (&[][..], None),
    };
    let part_values = &values[..parts.len()];
    let axum = quote!(::palisade::__private::axum);
    let (marker, generics) = if last.is_some() {
        (
            quote!((::palisade::__private::Decided, __PalisadeM)),
            quote!(<__PalisadeS, __PalisadeM>),
        )
    } else {
        (
            quote!((::palisade::__private::Decided,)),
            quote!(<__PalisadeS>),
        )
    };
    let last_bound = last.map(|ty| {
        quote! { #ty: #axum::extract::FromRequest<__PalisadeS, __PalisadeM> + ::core::marker::Send, }
    });
    let last_extract = last.zip(values.last()).map(|(ty, value)| {
        quote! {
            let __palisade_request = #axum::http::Request::from_parts(__palisade_parts, __palisade_body);
            let #value = match <#ty as #axum::extract::FromRequest<__PalisadeS, __PalisadeM>>::from_request(__palisade_request, &__palisade_state).await {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(rejection) => return #axum::response::IntoResponse::into_response(rejection),
            };
        }
    });
    let split = quote! {
        #[allow(unused_mut, unused_variables)]
        let (mut __palisade_parts, __palisade_body) = __palisade_request.into_parts();
    };
    quote! {
    #[automatically_derived]
    impl #generics #axum::handler::Handler<#marker, __PalisadeS> for #name
    where
        __PalisadeS: ::core::marker::Send + ::core::marker::Sync + 'static,
        #gate_bound
        #( #parts: #axum::extract::FromRequestParts<__PalisadeS> + ::core::marker::Send, )*
        #last_bound
    {
        type Future = ::core::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = #axum::response::Response> + ::core::marker::Send>>;

        fn call(self, __palisade_request: #axum::extract::Request, __palisade_state: __PalisadeS) -> Self::Future {
            ::std::boxed::Box::pin(async move {
                #split
                #gate_before
                #(
                    let #part_values = match <#parts as #axum::extract::FromRequestParts<__PalisadeS>>::from_request_parts(&mut __palisade_parts, &__palisade_state).await {
                        ::core::result::Result::Ok(value) => value,
                        ::core::result::Result::Err(rejection) => return #axum::response::IntoResponse::into_response(rejection),
                    };
                )*
                #last_extract
                #gate_after
                let _ = &__palisade_state;
                #respond(__palisade_handler(#(#values),*).await)
            })
        }
    }
    }
}

/// The access attribute reads `#[csrf_exempt]` and removes it: naming its path keeps the
/// user's import of it used.
fn exempt_uses(function: &ItemFn) -> TokenStream {
    function
        .attrs
        .iter()
        .filter(|attr| super::parse::is_attribute(attr, "csrf_exempt"))
        .map(|attr| {
            let path = attr.path();
            quote! { #[allow(unused_imports)] use #path as _; }
        })
        .collect()
}

/// The stand-in when the attribute or the function is wrong: the struct and its marker, so
/// that the router using it adds no error of its own.
pub fn stub(function: &ItemFn) -> TokenStream {
    let exempt_use = exempt_uses(function);
    let seal = access_seal(&function.sig.ident);
    let name = &function.sig.ident;
    let vis = &function.vis;
    let axum = quote!(::palisade::__private::axum);
    quote! {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #vis struct #name;

        impl<__PalisadeS: ::core::marker::Send + ::core::marker::Sync + 'static>
            #axum::handler::Handler<(::palisade::__private::Decided,), __PalisadeS> for #name
        {
            type Future = ::core::future::Ready<#axum::response::Response>;
            fn call(self, _: #axum::extract::Request, _: __PalisadeS) -> Self::Future {
                ::core::future::ready(#axum::response::IntoResponse::into_response(
                    #axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                ))
            }
        }

        #seal

        impl ::palisade::__private::AccessDecided for #name {
            const ACCESS: ::palisade::__private::Access = ::palisade::__private::Access::Public {
                reason: "",
                csrf_checked: false,
                csrf_exempt: ::core::option::Option::None,
            };

            fn doors(_: &mut ::palisade::__private::Doors) {}
        }

        const _: () = { #exempt_use };
    }
}

/// The CSRF check of a public handler that takes the session or a form body, before its
/// arguments are read: a browser's write from another site is refused (login CSRF), unless
/// `#[csrf_exempt(reason)]` waives it.
fn public_csrf(handler: &Handler<'_>, name: &syn::Ident) -> Option<GateCode> {
    if handler.csrf_exempt.is_some() {
        return None;
    }
    let handler_name = name.to_string();
    let input = handler.write_input()?;
    // The session's settings name the origins writes may come from.
    let bound = if input == WriteInput::Session {
        quote! { __PalisadeS: ::palisade::__private::ProvidesAuth, }
    } else {
        TokenStream::new()
    };
    let check = match input {
        WriteInput::Session => quote! {
            ::palisade::__private::public_session_write(
                &__palisade_parts,
                ::palisade::__private::ProvidesAuth::session_settings(&__palisade_state),
                #handler_name,
            )
        },
        WriteInput::Form => quote! {
            ::palisade::__private::public_write(&__palisade_parts, #handler_name)
        },
    };
    Some(GateCode {
        before: quote! {
            if let ::core::option::Option::Some(response) = #check {
                return response;
            }
        },
        bound,
        after: TokenStream::new(),
    })
}

/// The gate of a `#[requires_auth]` handler: the rule before the arguments, the policy after.
fn gate_code(
    handler: &Handler<'_>,
    name: &syn::Ident,
    principal: &syn::Type,
    rule: Option<&Rule>,
    text: &str,
    policy: Option<(&Policy, &[usize])>,
) -> GateCode {
    let check = rule.map_or_else(|| quote!(true), rule_expression);
    let handler_name = name.to_string();
    let csrf_exempt = handler.csrf_exempt.is_some();
    let gate = quote! {
        ::palisade::__private::Gate { handler: #handler_name, rule: #text, csrf_exempt: #csrf_exempt }
    };
    let policy_follows = policy.is_some();
    let mut before = quote! {
        if let ::core::option::Option::Some(response) = ::palisade::__private::authorize::<#principal, __PalisadeS>(
            &mut __palisade_parts,
            &__palisade_state,
            &#gate,
            |__palisade_principal: &#principal| #check,
            #policy_follows,
        ).await {
            return response;
        }
    };
    let after =
        policy.map(|(policy, arguments)| policy_code(handler, principal, policy, arguments, &gate));
    if policy_follows {
        before.extend(quote! {
                let ::core::option::Option::Some(__palisade_pending) = ::palisade::__private::pending::<#principal>(&__palisade_parts) else {
                    return ::palisade::__private::axum::response::IntoResponse::into_response(
                        ::palisade::__private::axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    );
                };
            });
    }
    GateCode {
        before,
        bound: quote! { __PalisadeS: ::palisade::__private::ProvidesAuth, },
        after: after.unwrap_or_default(),
    }
}

/// The object-level policy, run on the extracted arguments: a sync policy is called through
/// `PolicyFn`, so a wrong signature is one error that shows the right one.
fn policy_code(
    handler: &Handler<'_>,
    principal: &syn::Type,
    policy: &Policy,
    arguments: &[usize],
    gate: &TokenStream,
) -> TokenStream {
    let (values, types): (Vec<_>, Vec<_>) = arguments
        .iter()
        .filter_map(|&index| {
            Some((
                format_ident!("__palisade_arg_{}", index),
                *handler.arguments.get(index)?,
            ))
        })
        .unzip();
    let function = &policy.function;
    let span = Span::call_site().located_at(function.span());
    let call = if policy.awaited {
        quote_spanned! {span=> #function(__palisade_pending.principal(), #(&#values),*).await }
    } else {
        quote_spanned! {span=>
            ::palisade::__private::PolicyFn::<
                (&#principal, #(&#types,)*),
                fn(&#principal, #(&#types),*) -> bool,
                _,
            >::allows(&#function, (__palisade_pending.principal(), #(&#values,)*))
        }
    };
    let deny = policy.deny;
    // Each argument's resource, spanned on its name in the attribute.
    let resources = policy
        .arguments
        .iter()
        .zip(&values)
        .map(|(argument, value)| {
            let span = Span::call_site().located_at(argument.span());
            let value = syn::Ident::new(&value.to_string(), span);
            quote_spanned! {span=> ::palisade::__private::AuditResource::resource(&#value) }
        });
    quote! {
        let __palisade_allowed: bool = #call;
        let __palisade_resource = ::palisade::__private::resource(&[#(#resources),*]);
        if let ::core::option::Option::Some(response) = __palisade_pending.decide(
            &#gate,
            __palisade_allowed,
            #deny,
            __palisade_resource.as_deref(),
        ) {
            return response;
        }
    }
}

/// What an access decision adds to the handler: code before the arguments are extracted (the
/// rule), a bound on the state, and code after (the object-level policy).
struct GateCode {
    before: TokenStream,
    bound: TokenStream,
    after: TokenStream,
}

/// The rule as a `bool` expression over `__palisade_principal`.
fn rule_expression(rule: &Rule) -> TokenStream {
    match rule {
        Rule::Role(expected) => quote! {
            ::palisade::__private::Principal::has_role(__palisade_principal, &(#expected))
        },
        Rule::Scope(scope) => quote! {
            ::palisade::__private::Principal::has_scope(__palisade_principal, #scope)
        },
        Rule::Any(rules) => {
            let rules = rules.iter().map(rule_expression);
            quote! { (false #(|| #rules)*) }
        }
        Rule::All(rules) => {
            let rules = rules.iter().map(rule_expression);
            quote! { (true #(&& #rules)*) }
        }
        Rule::Not(rule) => {
            let rule = rule_expression(rule);
            quote! { !(#rule) }
        }
    }
}
