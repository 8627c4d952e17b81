use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[validate(length(max = 32), email, length(max = 64))]
    email: String,
}

fn main() {}
