//! Types the derive cannot see into are accepted where a trait proves their size bound.

use std::collections::BTreeMap;

use palisade::{Sanitized, validate::Invalid};

type Name = String;
type Scores = Vec<u32>;

#[palisade::trusted(bounded, reason = "one of two unit variants")]
#[derive(serde::Deserialize, PartialEq)]
enum Role {
    Reader,
    Writer,
}

fn any_json(_: &serde_json::Value) -> Result<(), Invalid> {
    Ok(())
}

fn anything<T>(_: &T) -> Result<(), Invalid> {
    Ok(())
}

#[derive(Sanitized)]
struct Address {
    #[validate(length(max = 10))]
    zip: String,
}

#[derive(Sanitized)]
struct Profile {
    #[validate(length(min = 1, max = 64))]
    name: Name,
    #[validate(length(max = 10))]
    scores: Scores,
    #[validate(required)]
    role: Option<Role>,
    #[validate(length(max = 4), keys(length(max = 8)))]
    roles: BTreeMap<String, Role>,
    #[validate(dive)]
    home: Box<Address>,
    #[validate(custom(function = anything))]
    at: (u32, std::net::Ipv4Addr),
    #[validate(custom(function = any_json), unbounded(reason = "the body limit bounds it"))]
    extra: serde_json::Value,
}

/// A parameter takes the bound in the impl: `Labelled<u32>` is validated, and so is a
/// `Labelled` of a nested validated type.
#[derive(Sanitized)]
struct Labelled<T> {
    #[validate(custom(function = anything))]
    value: T,
}

fn validated<T: Sanitized>() {}

fn main() {
    validated::<Profile>();
    validated::<Labelled<u32>>();
    validated::<Labelled<Address>>();
    validated::<Labelled<Option<Role>>>();
    let profile = Profile {
        name: "Ada".into(),
        scores: vec![1, 2],
        role: Some(Role::Writer),
        roles: BTreeMap::from([("a".into(), Role::Reader)]),
        home: Box::new(Address { zip: "12345".into() }),
        at: (1, std::net::Ipv4Addr::LOCALHOST),
        extra: serde_json::json!({"a": 1}),
    };
    assert!(profile.validate().is_ok());
}
