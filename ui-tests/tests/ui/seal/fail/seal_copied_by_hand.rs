//! Copying what the derive writes, seal included, is what the compiler warns about: under
//! `deny(warnings)` it is an error that names the derive and the door.

#![deny(deprecated)]

use palisade::validate::{FieldPath, ValidationErrors};

struct Anything(serde_json::Value);

impl palisade::__private::SanitizedSeal for Anything {
    const SEAL: palisade::__private::Seal<Self, palisade::__private::SanitizedMark> =
        palisade::__private::Seal::derived(palisade::__private::no_doors);
}

impl palisade::Sanitized for Anything {
    type Context = ();
    fn sanitize(&mut self) {}
    fn validate_into(&self, _: &(), _: &FieldPath<'_>, _: &mut ValidationErrors) {}
}

fn main() {}
