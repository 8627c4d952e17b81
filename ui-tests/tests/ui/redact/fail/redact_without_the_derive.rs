use palisade::Sanitized;

/// `#[redact]` marks that nothing would honour: `Sanitized` requires `Redact` beside it.
#[derive(Sanitized)]
struct Login {
    #[validate(email, length(max = 254))]
    email: String,
    #[validate(length(min = 8, max = 128))]
    #[redact]
    password: String,
}

fn main() {}
