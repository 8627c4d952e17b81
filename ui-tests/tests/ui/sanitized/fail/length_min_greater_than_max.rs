use palisade::Sanitized;

#[derive(Sanitized)]
struct Note {
    #[validate(length(min = 200, max = 100))]
    title: String,
}

fn main() {}
