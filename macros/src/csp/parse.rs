//! Stage 1: the macro's input → the opt-ins and the policy literal.

use palisade_csp_grammar::Allow;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use crate::attr::Keys;

/// `csp!("policy")`, `csp!(unsafe_inline, "policy")`, `csp!(unsafe_eval, unsafe_inline, "…")`.
pub struct Input {
    pub allow: Allow,
    pub policy: LitStr,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut allow = Allow::default();
        let mut keys = Keys::default();
        // unsafe_inline, | unsafe_eval,
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
            keys.first_ident(&flag)?;
            *slot = true;
            input.parse::<Token![,]>()?;
        }
        // "policy" ,?
        let policy = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        Ok(Self { allow, policy })
    }
}
