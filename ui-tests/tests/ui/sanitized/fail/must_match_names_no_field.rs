use palisade::Sanitized;

#[derive(Sanitized)]
struct Signup {
    #[validate(length(min = 12, max = 128))]
    password: String,
    #[validate(must_match = pasword, length(max = 128))]
    confirmation: String,
}

fn main() {}
