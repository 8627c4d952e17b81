use palisade::Sanitized;
use palisade::password::Password;

#[derive(serde::Deserialize, Sanitized)]
struct Signup {
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(password(unlike = nosuch))]
    password: Password,
}

fn main() {}
