//! Stage 3: the checked piece → a `Markup` constant. Cannot fail.

use proc_macro2::TokenStream;
use quote::quote_spanned;

use super::check::Checked;

pub fn expand(checked: &Checked) -> TokenStream {
    let text = &checked.text;
    let span = checked.literal.span();
    quote_spanned! {span=> {
        #[allow(deprecated)]
        let __palisade_markup = ::palisade::__private::Markup::__checked(#text);
        __palisade_markup
    }}
}
