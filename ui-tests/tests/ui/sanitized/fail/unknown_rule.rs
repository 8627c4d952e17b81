use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[validate(alphanumeric, length(max = 32))]
    username: String,
}

fn main() {}
