use palisade::Sanitized;

#[derive(Sanitized)]
struct Post {
    #[clean(html)]
    #[validate(unbounded(reason = "the body limit bounds it"), length(min = 1))]
    body: String,
    #[clean(trim, html)]
    #[validate(length(max = 20), each(unbounded(reason = "the list is short")))]
    comments: Vec<String>,
}

fn main() {}
