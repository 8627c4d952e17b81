use palisade::requires_auth;

include!("../principal.rs");

#[requires_auth(User)]
#[palisade::public(reason = "anyone may ask")]
async fn both() -> &'static str {
    "both"
}

fn main() {}
