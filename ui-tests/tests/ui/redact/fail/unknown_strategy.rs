use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(blur)]
    name: String,
}

fn main() {}
