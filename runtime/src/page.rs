//! HTML pages a handler can return safely (DESIGN.md G7): markup comes only from pieces written
//! in the program and checked by [`markup!`](crate::markup) when the code compiles, so that
//! every runtime string lands in element content, where it is escaped; a link's address is an
//! [`Href`], checked for its scheme; and rich text is sanitized again on the way out, whatever
//! was stored.
//!
//! ```
//! use palisade::markup;
//! use palisade::page::{Href, HtmlPage};
//!
//! let page = HtmlPage::new("A <note>")
//!     .markup(markup!("<h1>"))
//!     .text("Groceries & <b>more</b>")
//!     .markup(markup!("</h1><article>"))
//!     .rich_text("<p onclick=\"steal()\">milk <em>and</em> eggs</p>")
//!     .markup(markup!("</article>"))
//!     .link(&Href::parse("/notes/7?tab=history").unwrap(), "history")
//!     .finish();
//! let html = page.as_str();
//! assert!(html.contains("<title>A &lt;note&gt;</title>"));
//! assert!(html.contains("Groceries &amp; &lt;b&gt;more&lt;/b&gt;"));
//! assert!(html.contains("<p>milk <em>and</em> eggs</p>"));
//! assert!(html.contains("<a href=\"/notes/7?tab=history\">history</a>"));
//! assert!(Href::parse("javascript:alert(1)").is_err());
//! ```
//!
//! Text cannot be put inside a tag, where escaping would not stop a `javascript:` URL:
//!
//! ```compile_fail
//! let page = palisade::page::HtmlPage::new("t")
//!     .markup(palisade::markup!("<a href=\""))
//!     .text("javascript:alert(1)");
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

/// A piece of a page written in the program and checked by [`markup!`](crate::markup): it
/// starts and ends in element content, so what follows it is text, not an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Markup(&'static str);

impl Markup {
    /// What `markup!` expands to, after checking the piece when the code compiled. Called by
    /// hand, it would make markup that nothing checked: the compiler warns.
    #[doc(hidden)]
    #[deprecated(
        note = "markup from anywhere but `markup!` is unchecked: write `palisade::markup!(\"...\")`"
    )]
    #[must_use]
    pub const fn __checked(piece: &'static str) -> Self {
        Self(piece)
    }

    /// The piece.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        self.0
    }
}

/// What [`HtmlPage::markup`] takes: a [`Markup`] piece, which only `markup!` makes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not markup checked by palisade: write `palisade::markup!(\"...\")`",
    label = "a plain string could leave the page inside a tag, where escaped text is not safe",
    note = "`markup!` checks when the code compiles that the piece starts and ends in element content; runtime text goes in with `.text(...)`, links with `.link(&Href, ...)`"
)]
pub trait CheckedMarkup {
    /// The checked piece.
    fn piece(self) -> Markup;
}

impl CheckedMarkup for Markup {
    fn piece(self) -> Markup {
        self
    }
}

/// The address of a link, checked: a path of this site (`/notes/7`, `?page=2`, `#top`), or an
/// `http:` or `https:` URL. Never a `javascript:`, `data:` or other scheme, nor a
/// protocol-relative `//host`, in any spelling a browser would still read as one.
///
/// ```
/// use palisade::page::Href;
///
/// for good in ["/notes/7", "https://example.com/a?b=c#d", "?page=2", "#top", "notes/7"] {
///     assert!(Href::parse(good).is_ok(), "{good}");
/// }
/// for bad in ["javascript:alert(1)", "JaVaScRiPt:x", " javascript:x", "java\tscript:x",
///             "data:text/html,x", "//evil.example", "/\\evil.example", "vbscript:x", ""] {
///     assert!(Href::parse(bad).is_err(), "{bad:?}");
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Href(String);

/// Why an address was refused as a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HrefError;

impl std::fmt::Display for HrefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a link goes to a path of this site or to an http: or https: URL")
    }
}

impl std::error::Error for HrefError {}

impl Href {
    /// Checks `address` as a link.
    ///
    /// # Errors
    ///
    /// An empty address, one with whitespace, control characters or backslashes (which browsers
    /// strip or read as `/`), a scheme other than `http:` and `https:`, and `//host`.
    pub fn parse(address: &str) -> Result<Self, HrefError> {
        let refused = address.is_empty()
            || address
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
            || address.starts_with("//");
        if refused {
            return Err(HrefError);
        }
        // A scheme is what comes before the first `:` when no `/`, `?` or `#` comes earlier.
        let end = address.find(['/', '?', '#']).unwrap_or(address.len());
        if let Some(colon) = address[..end].find(':') {
            let scheme = &address[..colon];
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            if !web || !address[colon + 1..].starts_with("//") {
                return Err(HrefError);
            }
        }
        Ok(Self(address.to_owned()))
    }

    /// The address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
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

    /// Markup written in the program, checked by [`markup!`](crate::markup).
    pub fn markup<M: CheckedMarkup>(mut self, markup: M) -> Self {
        self.html.push_str(markup.piece().0);
        self
    }

    /// A link to `href` whose text is `text`, escaped.
    pub fn link(mut self, href: &Href, text: &str) -> Self {
        self.html.push_str("<a href=\"");
        self.push_escaped(&href.0);
        self.html.push_str("\">");
        self.push_escaped(text);
        self.html.push_str("</a>");
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
    const SEAL: crate::seal::Seal<Self, crate::seal::SafeResponseMark> =
        crate::seal::Seal::PALISADE;
}
impl crate::error::SafeResponse for Page {}
