use palisade::Sanitized;

struct Address {
    street: String,
}

#[derive(Sanitized)]
struct Customer {
    #[validate(dive)]
    address: Address,
}

fn main() {}
