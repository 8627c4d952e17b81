use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(email, fingerprint)]
    email: String,
}

fn main() {}
