//! A `Sanitized` type the macro cannot see written out is still found: behind a type alias
//! (no `dive`), in a tuple or as a map key (where no `dive` reaches).

use std::collections::BTreeMap;

use palisade::Sanitized;

#[derive(serde::Deserialize, Sanitized, PartialEq, Eq, PartialOrd, Ord)]
struct Address {
    #[clean(trim, strip_control)]
    #[validate(length(min = 1, max = 100))]
    street: String,
}

type Stops = Vec<Address>;

#[derive(serde::Deserialize, Sanitized)]
struct Order {
    #[validate(length(max = 3))]
    stops: Stops,
    #[validate(unbounded(reason = "a pair is two values"), custom = any_pair)]
    pair: (Address, u8),
    #[validate(length(max = 3))]
    by_address: BTreeMap<Address, u8>,
}

fn any_pair(_: &(Address, u8)) -> Result<(), palisade::validate::Invalid> {
    Ok(())
}

fn main() {}
