//! A sanitizer that rewrites characters after `html` or `escape_html` could turn the checked
//! markup back into live markup; each is refused on its name, with the safe order.

use palisade::Sanitized;

fn shout(text: &mut String) {
    text.push('!');
}

#[derive(Sanitized)]
struct Post {
    #[clean(html, nfkc)]
    #[validate(length(max = 1000))]
    body: String,
    #[clean(escape_html, lowercase, trim)]
    #[validate(length(max = 100))]
    title: String,
    #[clean(html, strip_invisible, collapse_whitespace, custom = shout)]
    #[validate(length(max = 1000))]
    summary: String,
}

fn main() {}
