use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(fixed(width = 0))]
    code: String,
}

fn main() {}
