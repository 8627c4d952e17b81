use palisade::{csrf_exempt, requires_auth};

include!("../principal.rs");

#[requires_auth(User)]
#[csrf_exempt]
async fn hook() -> &'static str {
    "hooked"
}

fn main() {}
