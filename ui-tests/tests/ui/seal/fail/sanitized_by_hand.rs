//! `Sanitized` written by hand would let any input through `Valid` unchecked.

use palisade::validate::{FieldPath, ValidationErrors};

struct Anything(serde_json::Value);

impl palisade::Sanitized for Anything {
    type Context = ();
    fn sanitize(&mut self) {}
    fn validate_into(&self, _: &(), _: &FieldPath<'_>, _: &mut ValidationErrors) {}
}

fn main() {}
