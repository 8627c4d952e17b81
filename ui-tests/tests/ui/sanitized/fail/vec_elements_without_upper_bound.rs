use palisade::Sanitized;

#[derive(Sanitized)]
struct Note {
    #[validate(length(max = 10))]
    tags: Vec<String>,
}

fn main() {}
