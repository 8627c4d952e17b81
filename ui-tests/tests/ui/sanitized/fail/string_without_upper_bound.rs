use palisade::Sanitized;

#[derive(Sanitized)]
struct Note {
    #[validate(length(min = 1))]
    title: String,
}

fn main() {}
