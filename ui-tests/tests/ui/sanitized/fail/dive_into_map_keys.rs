use std::collections::BTreeMap;

use palisade::Sanitized;

#[derive(Sanitized, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    #[validate(length(max = 8))]
    name: String,
}

#[derive(Sanitized)]
struct Index {
    #[validate(length(max = 8), keys(dive), each(range(max = 9)))]
    entries: BTreeMap<Key, u8>,
}

fn main() {}
