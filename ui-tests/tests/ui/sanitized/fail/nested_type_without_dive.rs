//! A field holding a `Sanitized` type without `dive`: the nested type's sanitizers and rules
//! would never run, so each is refused on its type.

use std::collections::HashMap;

use palisade::Sanitized;

#[derive(serde::Deserialize, Sanitized)]
struct Address {
    #[clean(trim, strip_control)]
    #[validate(length(min = 1, max = 100))]
    street: String,
}

#[derive(serde::Deserialize, Sanitized)]
struct Order {
    #[validate(required)]
    shipping: Option<Address>,
    #[validate(length(max = 3))]
    stops: Vec<Address>,
    #[validate(length(max = 3), keys(length(max = 20)))]
    by_name: HashMap<String, Address>,
    #[validate(length(max = 3), each(required))]
    maybe: Vec<Option<Address>>,
}

#[derive(serde::Deserialize, Sanitized)]
struct Gift {
    #[validate(range(min = 1, max = 9))]
    count: u8,
    #[validate(custom = any_address)]
    to: Box<Address>,
}

fn any_address(_: &Box<Address>) -> Result<(), palisade::validate::Invalid> {
    Ok(())
}

fn main() {}

/// A `Sanitized` type of another crate is refused the same way.
#[derive(serde::Deserialize, Sanitized)]
struct Parcel {
    #[validate(required)]
    destination: Option<palisade_testkit::types::PostalAddress>,
}
