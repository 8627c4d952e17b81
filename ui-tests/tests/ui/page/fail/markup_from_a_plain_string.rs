//! `HtmlPage::markup` takes only what `markup!` checked.

fn main() {
    let _ = palisade::page::HtmlPage::new("t").markup("<a href=\"");
}
