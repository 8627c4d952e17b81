use palisade::Sanitized;

#[derive(serde::Deserialize, Sanitized)]
struct Signup {
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(password, length(max = 128))]
    chosen: String,
}

fn main() {}
