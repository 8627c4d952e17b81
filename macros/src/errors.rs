//! Collecting every error of one macro call, so a user sees all of them in one build.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::fmt::Display;

/// Errors found so far, folded with `syn::Error::combine`.
#[derive(Default)]
pub struct Errors {
    all: Option<syn::Error>,
    count: usize,
}

impl Errors {
    /// Adds an error.
    pub fn push(&mut self, error: syn::Error) {
        self.count += 1;
        match &mut self.all {
            Some(all) => all.combine(error),
            None => self.all = Some(error),
        }
    }

    /// How many errors were pushed so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Adds an error with `message` at `span`.
    pub fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Keeps the value of `result`, or records its error.
    pub fn keep<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// `Err` with every error, if there was one.
    pub fn finish(self) -> syn::Result<()> {
        self.all.map_or(Ok(()), Err)
    }
}

/// What a macro writes: the expansion of its checked model, or, when a rule failed, every
/// error beside the stand-in impls of `stub`, so that the user's other code adds no
/// follow-on errors.
pub fn expansion_or_stub(
    expansion: syn::Result<TokenStream>,
    stub: impl FnOnce() -> TokenStream,
) -> TokenStream {
    expansion.unwrap_or_else(|error| {
        let error = error.into_compile_error();
        let stub = stub();
        quote! { #error #stub }
    })
}

/// A derive in three stages: `parse` the input into a model (collecting errors), `check` it
/// and `expand` the checked model; or, when a rule failed, every error beside `stub`.
pub fn derive<'a, M>(
    input: &'a syn::DeriveInput,
    parse: impl FnOnce(&'a syn::DeriveInput, &mut Errors) -> M,
    check_and_expand: impl FnOnce(&M, Errors) -> syn::Result<TokenStream>,
    stub: impl FnOnce(&M) -> TokenStream,
) -> TokenStream {
    let mut errors = Errors::default();
    let model = parse(input, &mut errors);
    expansion_or_stub(check_and_expand(&model, errors), || stub(&model))
}

/// The `derive` function of a macro whose folder holds the three stages as modules: `parse`
/// (`fn parse(&DeriveInput, &mut Errors) -> Model`), `check` (`fn check(&Model, Errors) ->
/// syn::Result<Checked>`) and `expand` (`fn expand(&Checked) -> TokenStream` and `fn
/// stub(&Model) -> TokenStream`, the impl that stands in when a rule failed, so that the user
/// sees that error alone).
macro_rules! staged_derive {
    () => {
        pub fn derive(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
            $crate::errors::derive(
                input,
                parse::parse,
                |model, errors| check::check(model, errors).map(|checked| expand::expand(&checked)),
                expand::stub,
            )
        }
    };
}
pub(crate) use staged_derive;

/// A path as written: `a::b`.
pub fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
