//! Pieces a browser would leave inside an attribute value while a naive scan would not: bogus
//! comments, `--!>`, a quote that opens no value, RCDATA elements.

use palisade::markup;

fn main() {
    let _ = markup!("<!x \"><img src=x onerror=\"1>");
    let _ = markup!("<!-- --!><img src=x onerror=\"1> -->");
    let _ = markup!("<img title=a' src=x onerror=\"1'>");
    let _ = markup!("<textarea><a title=\"</textarea><img src=x onerror=\">");
    let _ = markup!("</ x>");
}
