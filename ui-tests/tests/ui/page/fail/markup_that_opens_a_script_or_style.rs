//! Elements whose content is not HTML text: escaped text there still runs, or is never parsed.

fn main() {
    let _ = palisade::markup!("<script>");
    let _ = palisade::markup!("<p>x</p><STYLE>");
    let _ = palisade::markup!("<!-- a comment left open");
    let _ = palisade::markup!(concat!("<", "p>"));
}
