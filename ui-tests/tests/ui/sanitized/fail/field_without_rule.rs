use palisade::Sanitized;

#[derive(Sanitized)]
struct Login {
    #[validate(email, length(max = 254))]
    email: String,
    remember_me: bool,
}

fn main() {}
