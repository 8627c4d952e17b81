use palisade::{Redact, SecretString};

#[derive(Redact)]
struct Card {
    #[redact(partial(first = 4, last = 4, min = 9))]
    number: String,
    #[redact(fingerprint)]
    pin: String,
    #[redact(no, reason = "checked elsewhere")]
    api_token: SecretString,
}

fn main() {}
