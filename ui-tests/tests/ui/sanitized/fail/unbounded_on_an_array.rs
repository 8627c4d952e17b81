use palisade::Sanitized;

#[derive(Sanitized)]
struct Post {
    #[validate(each(length(max = 32)), unbounded(reason = "an array's size is fixed"))]
    tags: [String; 3],
}

fn main() {}
