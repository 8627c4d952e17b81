//! HTML pages a handler can return safely: markup comes only from `&'static str` pieces written
//! in the program, every runtime string is escaped, and rich text is sanitized again on the way
//! out, whatever was stored.
//!
//! ```
//! use palisade::page::HtmlPage;
//!
//! let page = HtmlPage::new("A <note>")
//!     .markup("<h1>")
//!     .text("Groceries & <b>more</b>")
//!     .markup("</h1><article>")
//!     .rich_text("<p onclick=\"steal()\">milk <em>and</em> eggs</p>")
//!     .markup("</article>")
//!     .finish();
//! let html = page.as_str();
//! assert!(html.contains("<title>A &lt;note&gt;</title>"));
//! assert!(html.contains("Groceries &amp; &lt;b&gt;more&lt;/b&gt;"));
//! assert!(html.contains("<p>milk <em>and</em> eggs</p>"));
//! ```

use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::csp::CspNonce;

/// A page being written.
#[derive(Debug)]
#[must_use]
pub struct HtmlPage {
    html: String,
}

/// A finished page: `text/html; charset=utf-8`, a safe response.
#[derive(Clone, Debug)]
pub struct Page {
    html: String,
}

impl HtmlPage {
    /// A page whose `<title>` is `title` (escaped), in UTF-8.
    pub fn new(title: &str) -> Self {
        let mut page = Self {
            html: String::from(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
            ),
        };
        page.push_escaped(title);
        page.html.push_str("</title></head><body>");
        page
    }

    fn push_escaped(&mut self, text: &str) {
        let mut escaped = text.to_owned();
        crate::sanitize::escape_html(&mut escaped);
        self.html.push_str(&escaped);
    }

    /// Markup written in the program.
    pub fn markup(mut self, markup: &'static str) -> Self {
        self.html.push_str(markup);
        self
    }

    /// Text, escaped: it shows as written and never becomes markup.
    pub fn text(mut self, text: &str) -> Self {
        self.push_escaped(text);
        self
    }

    /// Rich text, sanitized with [`crate::sanitize::basic_html`] again here, so that what was
    /// stored before a policy change, or by another program, cannot bring markup of its own.
    pub fn rich_text(mut self, html: &str) -> Self {
        let mut clean = html.to_owned();
        crate::sanitize::basic_html(&mut clean);
        self.html.push_str(&clean);
        self
    }

    /// An inline script written in the program, with the response's CSP nonce.
    pub fn script(mut self, nonce: &CspNonce, script: &'static str) -> Self {
        self.html.push_str("<script nonce=\"");
        self.html.push_str(nonce.as_str());
        self.html.push_str("\">");
        self.html.push_str(script);
        self.html.push_str("</script>");
        self
    }

    /// The finished page.
    pub fn finish(mut self) -> Page {
        self.html.push_str("</body></html>\n");
        Page { html: self.html }
    }
}

impl Page {
    /// The page's HTML.
    pub fn as_str(&self) -> &str {
        &self.html
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut response = self.html.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // The stack sends HTML only from here and from static files.
        response.extensions_mut().insert(crate::layers::MarkupMade);
        response
    }
}

impl crate::seal::SafeResponseSeal for Page {
    const SEAL: crate::seal::Seal = crate::seal::Seal::PALISADE;
}
impl crate::error::SafeResponse for Page {}
