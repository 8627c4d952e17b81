use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(partial)]
    card: String,
}

fn main() {}
