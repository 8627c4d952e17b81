use palisade::Sanitized;

#[derive(Sanitized)]
struct Upload {
    #[validate(length(max = 10, bytes), each(length(max = 64, bytes)))]
    names: Vec<String>,
    #[validate(length(max = 4096, chars))]
    content: Vec<u8>,
}

fn main() {}
