use palisade::Sanitized;

#[derive(Sanitized)]
struct Login {
    #[validate(required, length(max = 254))]
    email: String,
}

fn main() {}
