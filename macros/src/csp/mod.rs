//! `csp!("...")`: a Content-Security-Policy checked when the code compiles.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

// The grammar is the runtime's, compiled here too, so that the macro and `Csp::parse` agree.
#[path = "../../../runtime/src/csp_grammar.rs"]
#[allow(dead_code)]
mod grammar;

/// `csp!("policy")`, `csp!(unsafe_inline, "policy")`, `csp!(unsafe_eval, unsafe_inline, "…")`.
struct Input {
    allow: grammar::Allow,
    policy: LitStr,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut allow = grammar::Allow::default();
        while input.peek(Ident) {
            let flag: Ident = input.parse()?;
            let slot = match flag.to_string().as_str() {
                "unsafe_inline" => &mut allow.unsafe_inline,
                "unsafe_eval" => &mut allow.unsafe_eval,
                _ => {
                    return Err(syn::Error::new(
                        flag.span(),
                        format!(
                            "unknown opt-in `{flag}`: expected `unsafe_inline` or `unsafe_eval`, then the policy"
                        ),
                    ));
                }
            };
            if *slot {
                return Err(syn::Error::new(flag.span(), format!("duplicate `{flag}`")));
            }
            *slot = true;
            input.parse::<Token![,]>()?;
        }
        let policy = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        Ok(Self { allow, policy })
    }
}

pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let Input { allow, policy } = syn::parse2(input)?;
    let checked = grammar::check(&policy.value(), allow)
        .map_err(|message| syn::Error::new(policy.span(), message))?;
    let text = checked.text;
    let nonce = checked.nonce;
    Ok(quote! { ::palisade::csp::Csp::__checked(#text, #nonce) })
}
