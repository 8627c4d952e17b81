//! A generic type trusted as bounded is bounded only where its type parameters are: the reason
//! vouches for its own fields, not for what it is given.

use palisade::Sanitized;

#[palisade::trusted(bounded, reason = "two values side by side")]
#[derive(serde::Deserialize)]
struct Pair<T>(T, T);

#[derive(serde::Deserialize, Sanitized)]
struct Route {
    #[validate(length(max = 4))]
    ports: Vec<Pair<u16>>,
    #[validate(length(max = 4))]
    names: Vec<Pair<String>>,
}

fn main() {}
