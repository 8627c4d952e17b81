// `html` with only `unbounded`: the first error is the missing size bound, not a missing rule.

use palisade::Sanitized;

#[derive(Sanitized)]
struct Post {
    #[clean(html)]
    #[validate(unbounded(reason = "the body limit bounds it"))]
    body: String,
}

fn main() {}
