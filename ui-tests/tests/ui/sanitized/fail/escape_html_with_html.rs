use palisade::Sanitized;

#[derive(Sanitized)]
struct Comment {
    #[clean(html, escape_html)]
    #[validate(length(max = 500))]
    rich: String,
}

fn main() {}
