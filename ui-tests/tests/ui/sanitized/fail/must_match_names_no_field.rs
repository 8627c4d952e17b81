use palisade::Sanitized;

#[derive(Sanitized)]
struct Signup {
    #[validate(length(min = 12, max = 128))]
    password: palisade::SecretString,
    #[validate(must_match = pasword, length(max = 128))]
    confirmation: palisade::SecretString,
}

fn main() {}
