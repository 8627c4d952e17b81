//! `markup!("...")`: a piece of an HTML page written in the program, checked when the code
//! compiles so that text added after it lands in element content, the one place escaping makes
//! safe (DESIGN.md G7): parse → check → expand.

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;

pub fn markup(input: TokenStream) -> syn::Result<TokenStream> {
    let piece = parse::parse(input)?;
    let checked = check::check(&piece)?;
    Ok(expand::expand(&checked))
}
