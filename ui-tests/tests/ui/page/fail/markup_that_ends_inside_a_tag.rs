//! Text after a piece that ends inside a tag would land in an attribute: `href`, `srcdoc`, an
//! event handler, where escaping does not make it safe.

use palisade::markup;
use palisade::page::HtmlPage;

fn page(next: &str, preview: &str) {
    let _ = HtmlPage::new("t")
        .markup(markup!("<a href=\""))
        .text(next)
        .markup(markup!("\">next</a><iframe srcdoc="))
        .text(preview)
        .markup(markup!("></iframe>"));
    let _ = markup!("<img alt='unclosed>");
}

fn main() {}
