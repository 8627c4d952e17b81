use palisade::Sanitized;

#[derive(Sanitized)]
struct Upload {
    #[validate(length(min = 1))]
    content: Vec<u8>,
}

fn main() {}
