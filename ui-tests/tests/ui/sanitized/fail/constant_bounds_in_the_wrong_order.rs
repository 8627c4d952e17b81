use palisade::Sanitized;

const SHORTEST: usize = 64;
const LONGEST: usize = 8;

#[derive(Sanitized)]
struct Note {
    #[validate(length(min = SHORTEST, max = LONGEST))]
    title: String,
}

fn main() {
    let _ = Note { title: String::new() }.validate();
}
