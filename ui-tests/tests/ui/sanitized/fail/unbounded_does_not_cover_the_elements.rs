use palisade::Sanitized;

#[derive(Sanitized)]
struct Batch {
    #[validate(unbounded(reason = "the body limit bounds the count"), length(min = 1))]
    lines: Vec<String>,
}

fn main() {}
