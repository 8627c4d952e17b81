//! A sanitizer of your own may cost more than linear time: on text, it needs the size bound
//! it runs within.

use palisade::Sanitized;

fn expensive(text: &mut String) {
    *text = text.repeat(2);
}

#[derive(Sanitized)]
struct Post {
    #[clean(custom = expensive)]
    #[validate(unbounded(reason = "any length"), non_control_character)]
    body: String,
    #[clean(custom = expensive)]
    #[validate(required)]
    note: Option<String>,
}

fn main() {}
