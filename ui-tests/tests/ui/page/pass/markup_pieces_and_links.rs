//! Pieces that start and end in element content (a quoted `>`, an unquoted value, a `<` that
//! opens nothing); links through `Href`.

use palisade::markup;
use palisade::page::{Href, HtmlPage};

fn main() {
    let href = Href::parse("https://example.com/a?b=1&c=\"2\"").unwrap();
    let page = HtmlPage::new("t")
        .markup(markup!("<main class=\"a>b\" data-x='1' id=main><p>1 < 2</p><br/>"))
        .text("\"><script>alert(1)</script>")
        .link(&href, "<b>go</b>")
        .markup(markup!("</main>"))
        .finish();
    let html = page.as_str();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("<a href=\"https://example.com/a?b=1&amp;c=&quot;2&quot;\">&lt;b&gt;go&lt;/b&gt;</a>"), "{html}");
}
