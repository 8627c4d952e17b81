//! `#[derive(Sanitized)]`: parse → check → expand.

mod check;
mod expand;
mod kind;
mod parse;

crate::errors::staged_derive!();
