use palisade::{Redact, SecretString};

/// `no` accepts the name, but the secret still needs a way to be written.
#[derive(Redact)]
struct Card {
    #[redact(no, reason = "checked elsewhere")]
    api_token: SecretString,
}

fn main() {}
