use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[validate(length(maximum = 32))]
    username: String,
}

fn main() {}
