use palisade::{Redact, Sanitized};

/// Both derives read `#[redact]`; each mistake is reported once.
#[derive(Sanitized, Redact)]
struct Login {
    #[validate(length(max = 64))]
    #[redact(blur)]
    email: String,
    #[validate(length(max = 64))]
    reset_token: String,
}

fn main() {}
