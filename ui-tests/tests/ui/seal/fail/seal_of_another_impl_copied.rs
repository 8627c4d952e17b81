//! The seal of another impl, copied, is made for another type or another trait: it does not
//! compile, with no deprecated constructor in sight.

use palisade::validate::{FieldPath, ValidationErrors};

#[derive(serde::Deserialize, palisade::Sanitized)]
struct Checked {
    #[validate(range(max = 9))]
    count: u8,
}

#[derive(palisade::Redact)]
struct Shown {
    name: String,
}

struct Anything(serde_json::Value);

impl palisade::__private::SanitizedSeal for Anything {
    const SEAL: palisade::__private::Seal<Self, palisade::__private::SanitizedMark> =
        <Checked as palisade::__private::SanitizedSeal>::SEAL;
}

impl palisade::Sanitized for Anything {
    type Context = ();
    fn sanitize(&mut self) {}
    fn validate_into(&self, _: &(), _: &FieldPath<'_>, _: &mut ValidationErrors) {}
}

impl palisade::__private::SanitizedSeal for Shown {
    const SEAL: palisade::__private::Seal<Self, palisade::__private::SanitizedMark> =
        <Shown as palisade::__private::RedactSeal>::SEAL;
}

fn main() {}
