use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(blur)]
    name: String,
    #[redact(partial)]
    card: String,
    #[redact(fixed(width = 0))]
    pin: String,
    #[redact(email, fingerprint)]
    email: String,
    #[redact(reason = "masked anyway")]
    phone: String,
    #[redact(no)]
    token_count: u32,
}

fn main() {}
