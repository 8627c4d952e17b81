use palisade::requires_auth;

include!("../principal.rs");

#[requires_auth(User, role = Role::Admn)]
async fn admin() -> &'static str {
    "admin"
}

fn main() {}
