//! Pieces that start and end in element content, quoted `>` and comments included; links
//! through `Href`.

use palisade::markup;
use palisade::page::{Href, HtmlPage};

fn main() {
    let href = Href::parse("https://example.com/a?b=1&c=\"2\"").unwrap();
    let page = HtmlPage::new("t")
        .markup(markup!("<main class=\"a>b\" data-x='1'><!-- a > comment -->"))
        .text("\"><script>alert(1)</script>")
        .markup(markup!("<textarea>"))
        .text("</textarea><script>")
        .markup(markup!("</textarea>"))
        .link(&href, "<b>go</b>")
        .markup(markup!("</main>"))
        .finish();
    let html = page.as_str();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("<a href=\"https://example.com/a?b=1&amp;c=&quot;2&quot;\">&lt;b&gt;go&lt;/b&gt;</a>"), "{html}");
}
