use palisade::Sanitized;

#[derive(Sanitized)]
struct Batch {
    #[validate(
        unbounded(reason = "the body limit bounds the count"),
        each(unbounded(reason = "any line length is fine"))
    )]
    lines: Vec<String>,
}

fn main() {}
