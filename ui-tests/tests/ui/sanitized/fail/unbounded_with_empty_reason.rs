use palisade::Sanitized;

#[derive(Sanitized)]
struct Document {
    #[validate(unbounded(reason = " "), non_control_character)]
    text: String,
}

fn main() {}
