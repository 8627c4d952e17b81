use palisade::Sanitized;

#[derive(Sanitized)]
struct Comment {
    #[clean(trim, strip_control, trim)]
    #[clean(strip_control(keep_newlines))]
    #[validate(length(max = 500))]
    body: String,
}

fn main() {}
