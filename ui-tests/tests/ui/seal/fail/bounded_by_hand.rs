//! `Bounded` written by hand would let a growable type pass the size rule unseen.

#[derive(serde::Deserialize)]
struct Notes(Vec<String>);

impl palisade::validate::Bounded for Notes {}

fn main() {}
