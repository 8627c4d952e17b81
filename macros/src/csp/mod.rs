//! `csp!("...")`: a Content-Security-Policy checked when the code compiles, with the grammar
//! `Csp::parse` uses at run time (`palisade-csp-grammar`): parse → check → expand.

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;

pub fn csp(input: TokenStream) -> syn::Result<TokenStream> {
    let input = syn::parse2::<parse::Input>(input)?;
    let checked = check::check(&input)?;
    Ok(expand::expand(&checked))
}
