#[palisade::requires_auth]
async fn admin() -> &'static str {
    "admin"
}

fn main() {}
