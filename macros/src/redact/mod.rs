//! `#[derive(Redact)]`: one `#[redact]` mark per field drives `Debug`, `Serialize` and, where
//! asked, `Display` (DESIGN.md G4, G5): parse → check → expand.

mod check;
mod expand;
mod parse;

crate::errors::staged_derive!();
