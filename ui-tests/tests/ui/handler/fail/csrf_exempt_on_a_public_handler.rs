use palisade::{csrf_exempt, public};

#[csrf_exempt(reason = "a webhook")]
#[public(reason = "the provider calls it")]
async fn hook() -> &'static str {
    "hooked"
}

fn main() {}
