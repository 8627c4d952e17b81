use palisade::Sanitized;

#[derive(Sanitized)]
struct Headers {
    #[validate(length(max = 50))]
    pairs: Vec<(String, String)>,
    #[validate(range(max = 10))]
    weight: (u8, Option<Vec<u8>>),
}

fn main() {}
