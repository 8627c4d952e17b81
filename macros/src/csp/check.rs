//! Stage 2: the policy against the CSP grammar.

use super::parse::Input;

/// A policy the grammar accepts, normalized.
pub struct Checked {
    pub text: String,
    pub nonce: bool,
    /// Private, so that only `check` builds a `Checked`.
    _sealed: (),
}

pub fn check(input: &Input) -> syn::Result<Checked> {
    let checked = palisade_csp_grammar::check(&input.policy.value(), input.allow)
        .map_err(|message| syn::Error::new(input.policy.span(), message))?;
    Ok(Checked {
        text: checked.text,
        nonce: checked.nonce,
        _sealed: (),
    })
}
