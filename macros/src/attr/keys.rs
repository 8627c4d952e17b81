//! A key given twice in an attribute is an error, worded one way for every attribute.

use proc_macro2::Span;
use syn::Ident;
use syn::meta::ParseNestedMeta;

use crate::errors::path_text;

/// The keys one attribute, or one parenthesized list in it, has given so far: the second of a
/// key is an error at it, ``duplicate `max` in `length` ``.
#[derive(Default)]
pub struct Keys<'w> {
    /// The key whose list this is, named in the message: `length` of `length(...)`.
    within: Option<&'w str>,
    /// Said after the message, with its leading `: `.
    hint: &'static str,
    seen: Vec<String>,
}

impl<'w> Keys<'w> {
    /// The keys inside `within(...)`.
    pub fn within(within: &'w str) -> Self {
        Self {
            within: Some(within),
            ..Self::default()
        }
    }

    /// Says `hint` after the message: `": give each rule once per field"`.
    pub fn hint(self, hint: &'static str) -> Self {
        Self { hint, ..self }
    }

    /// Records the key of `meta`, before its value is read: an error if it came before.
    pub fn first(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let key = path_text(&meta.path);
        if self.seen(key) {
            return Err(meta.error(self.message(&path_text(&meta.path))));
        }
        Ok(())
    }

    /// Records a key written as an identifier: an error at it if it came before.
    pub fn first_ident(&mut self, key: &Ident) -> syn::Result<()> {
        self.first_at(&key.to_string(), key.span())
    }

    /// Records `key`, written at `span`: an error there if it came before.
    pub fn first_at(&mut self, key: &str, span: Span) -> syn::Result<()> {
        if self.seen(key.to_owned()) {
            return Err(syn::Error::new(span, self.message(key)));
        }
        Ok(())
    }

    /// Whether `key` was seen before; records it.
    fn seen(&mut self, key: String) -> bool {
        if self.seen.contains(&key) {
            return true;
        }
        self.seen.push(key);
        false
    }

    fn message(&self, key: &str) -> String {
        match self.within {
            Some(within) => format!("duplicate `{key}` in `{within}`{}", self.hint),
            None => format!("duplicate `{key}`{}", self.hint),
        }
    }
}
