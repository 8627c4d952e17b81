use palisade::Sanitized;

#[derive(Sanitized)]
struct Note {
    #[validate(length(chars))]
    title: String,
}

fn main() {}
