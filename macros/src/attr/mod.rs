//! What several macros read, read once: `#[redact(...)]`, serde's names, the rule of sensitive
//! names, `{field}` message templates, and the refusal of a key given twice.

pub mod derive_list;
mod keys;
pub mod redact;
pub mod sensitive;
pub mod serde;
pub mod template;

pub use keys::Keys;
