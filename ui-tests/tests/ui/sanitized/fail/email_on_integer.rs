use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[validate(email)]
    id: u64,
}

fn main() {}
