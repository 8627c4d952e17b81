//! Stage 3: the checked policy → a `Csp` constant. Cannot fail.

use proc_macro2::TokenStream;
use quote::quote;

use super::check::Checked;

pub fn expand(checked: &Checked) -> TokenStream {
    let Checked { text, nonce, .. } = checked;
    quote! {{
        #[allow(deprecated)]
        let __palisade_csp = ::palisade::__private::Csp::__checked(#text, #nonce);
        __palisade_csp
    }}
}
