//! Character rewrites before the markup sanitizers, whitespace after them; a sanitizer of your
//! own on text runs only within its bound.

use palisade::Sanitized;

fn exclaim(text: &mut String) {
    text.push('!');
}

#[derive(Sanitized)]
struct Post {
    #[clean(nfkc, strip_invisible, collapse_whitespace, html, trim)]
    #[validate(length(max = 1000))]
    body: String,
    #[clean(lowercase, escape_html, trim)]
    #[validate(length(max = 100))]
    title: String,
    #[clean(custom = exclaim)]
    #[validate(length(max = 5))]
    short: String,
}

fn main() {
    let mut post = Post {
        body: "\u{FF1C}img src=x onerror=alert(1)\u{FF1E}  <b>hi</b> ".into(),
        title: "A<B".into(),
        short: "abcdefgh".into(),
    };
    assert!(post.sanitize_and_validate().is_err());
    // The look-alikes became markup before `html` checked it: the handler is gone.
    assert!(!post.body.contains("onerror"), "{}", post.body);
    assert!(post.body.ends_with("> <b>hi</b>"), "{}", post.body);
    assert_eq!(post.title, "a&lt;b");
    // Over its bound, the custom sanitizer did not run; the length rule refused it.
    assert_eq!(post.short, "abcdefgh");
}
