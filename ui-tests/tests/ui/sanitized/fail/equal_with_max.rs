use palisade::Sanitized;

#[derive(Sanitized)]
struct Code {
    #[validate(length(equal = 6, max = 6))]
    digits: String,
}

fn main() {}
