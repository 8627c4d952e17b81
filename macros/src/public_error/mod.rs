//! `#[derive(PublicError)]`: parse → check → expand (DESIGN.md G6).

mod check;
mod expand;
mod parse;

crate::errors::staged_derive!();
