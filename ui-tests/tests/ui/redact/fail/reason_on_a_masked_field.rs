use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(reason = "masked anyway")]
    phone: String,
}

fn main() {}
