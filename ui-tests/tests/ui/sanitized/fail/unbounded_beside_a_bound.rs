use palisade::Sanitized;

#[derive(Sanitized)]
struct Post {
    #[validate(length(max = 10_000), unbounded(reason = "long posts are fine"))]
    body: String,
}

fn main() {}
