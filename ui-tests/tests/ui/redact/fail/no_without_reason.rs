use palisade::Redact;

#[derive(Redact)]
struct Customer {
    #[redact(no)]
    token_count: u32,
}

fn main() {}
