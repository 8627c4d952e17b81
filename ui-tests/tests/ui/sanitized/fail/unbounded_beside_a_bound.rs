use palisade::Sanitized;

#[derive(Sanitized)]
struct Post {
    #[validate(length(max = 10_000), unbounded(reason = "long posts are fine"))]
    body: String,
    #[validate(each(length(max = 32)), unbounded(reason = "an array's size is fixed"))]
    tags: [String; 3],
}

fn main() {}
