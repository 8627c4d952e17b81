use palisade::Sanitized;

#[derive(Sanitized)]
struct Account {
    #[validate(length(max = 10))]
    id: u64,
}

fn main() {}
