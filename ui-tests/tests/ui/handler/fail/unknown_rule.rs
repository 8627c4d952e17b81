use palisade::requires_auth;

include!("../principal.rs");

#[requires_auth(User, group = "admins")]
async fn admin() -> &'static str {
    "admin"
}

fn main() {}
