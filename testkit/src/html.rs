//! An HTML safety checker: HTML is parsed with html5ever, the parser a browser-grade consumer
//! would use, and the tree it yields is searched for anything that could run script. A
//! sanitizer's output is not trusted as the sanitizer built it, because mutation XSS lives
//! exactly in the gap between the tree a sanitizer saw and the tree its serialized text parses
//! back to.
//!
//! Two sets of rules:
//!
//! - [`unsafe_parts`], for sanitized rich text, parsed as the children of a `<body>`: nothing
//!   active at all, not even a structural or form element, and no `data:` URL.
//! - [`unsafe_parts_of_page`], for a whole page: its skeleton (`<html>`, `<head>`, `<title>`,
//!   `<meta charset>`…) is allowed, and a `<script>` is allowed when it carries the nonce of the
//!   page's `Content-Security-Policy` ([`csp_nonce`]); any other script-capable element, any
//!   `on*` attribute and any script URL is a finding.
//!
//! ```
//! use palisade_testkit::html::{csp_nonce, unsafe_parts, unsafe_parts_of_page};
//!
//! assert!(unsafe_parts("<p>milk <em>and</em> eggs</p>").is_empty());
//! assert!(!unsafe_parts("<img src=x onerror=alert(1)>").is_empty());
//!
//! let nonce = csp_nonce("script-src 'nonce-r4nd0m'");
//! let page = "<!DOCTYPE html><title>t</title><p>hi</p><script nonce=r4nd0m>go()</script>";
//! assert!(unsafe_parts_of_page(page, nonce).is_empty());
//! ```

use html5ever::tendril::TendrilSink as _;
use html5ever::{Attribute, ParseOpts, QualName, local_name, ns, parse_document, parse_fragment};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Parses `html` as the children of a `<body>`, as a page that embeds the sanitized text
/// would, with scripting enabled (the default, and what browsers do: it makes `<noscript>`
/// content raw text, a classic mutation-XSS vector).
///
/// ```
/// use palisade_testkit::html::{fragment_root, parse_body_fragment};
///
/// let dom = parse_body_fragment("<p>a</p>b");
/// assert_eq!(fragment_root(&dom).children.borrow().len(), 2);
/// ```
pub fn parse_body_fragment(html: &str) -> RcDom {
    parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    )
    .one(html)
}

/// The `<html>` element that fragment parsing puts the fragment's nodes under.
///
/// ```
/// use palisade_testkit::html::{fragment_root, parse_body_fragment};
///
/// assert!(fragment_root(&parse_body_fragment("")).children.borrow().is_empty());
/// ```
///
/// # Panics
///
/// When `dom` is not the result of a fragment parse.
pub fn fragment_root(dom: &RcDom) -> Handle {
    let children = dom.document.children.borrow();
    assert_eq!(children.len(), 1, "a fragment parse has exactly one root");
    children[0].clone()
}

/// Elements that run script, load active or framed content, change how the rest of the page
/// is parsed or resolved, or submit data: none may survive sanitizing rich text. `svg` and
/// `math` are also caught by the namespace check, which covers every foreign element.
const FORBIDDEN_IN_FRAGMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "param",
    "base",
    "link",
    "meta",
    "svg",
    "math",
    "template",
    "form",
    "input",
    "button",
    "select",
    "option",
    "textarea",
    "isindex",
    "keygen",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "listing",
    "title",
    "portal",
    "fencedframe",
    "bgsound",
    "marquee",
    "video",
    "audio",
    "source",
    "track",
    "head",
    "body",
    "html",
];

/// Elements of a page that run script or hold a document or plugin of their own, or (`base`)
/// redirect where the page's own relative script URLs load from. `<script>` is judged by its
/// nonce instead, and foreign elements by their namespace.
const SCRIPT_CAPABLE_IN_PAGES: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "portal",
    "fencedframe",
    "base",
];

/// Attributes whose value is a URL, or a list of URLs, that a browser fetches or navigates to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "poster",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "data",
    "codebase",
    "classid",
    "archive",
    "usemap",
    "manifest",
    "icon",
    "profile",
    "ping",
    "srcset",
    "imagesrcset",
    "itemtype",
];

/// Which rules a tree is checked by.
#[derive(Clone, Copy)]
enum Rules<'a> {
    /// Sanitized rich text: nothing active, no structure of a page, no `data:` URL.
    Fragment,
    /// A whole page, whose scripts must carry this nonce (none may run without one).
    Page { nonce: Option<&'a str> },
}

/// A URL as a browser's URL parser reads its scheme: the WHATWG parser drops leading C0
/// controls and spaces and every tab and newline, and schemes are case-insensitive; removing
/// every white space and control character is stricter still.
fn squeezed(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a URL has a scheme that runs script or carries inline active content:
/// `javascript:`, `vbscript:`, or any `data:`. This is the rule for sanitized rich text, which
/// has no reason to hold a `data:` URL at all.
///
/// ```
/// use palisade_testkit::html::has_dangerous_scheme;
///
/// assert!(has_dangerous_scheme(" jAvA\tsCrIpT:alert(1)"));
/// assert!(has_dangerous_scheme("data:image/png;base64,AAAA"));
/// assert!(!has_dangerous_scheme("https://example.com/?q=javascript:"));
/// ```
pub fn has_dangerous_scheme(url: &str) -> bool {
    let url = squeezed(url);
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// Whether a URL on a page runs script: `javascript:`, `vbscript:`, or a `data:` URL of
/// anything but a raster image (`data:text/html`, `data:image/svg+xml`, a script…).
fn runs_script(url: &str) -> bool {
    let url = squeezed(url);
    if url.starts_with("javascript:") || url.starts_with("vbscript:") {
        return true;
    }
    let Some(data) = url.strip_prefix("data:") else {
        return false;
    };
    let media_type = data.split([',', ';']).next().unwrap_or("");
    !(media_type.starts_with("image/") && media_type != "image/svg+xml")
}

/// `srcset` and `ping` hold several URLs; each candidate is checked on its own.
fn urls_of(attribute: &str, value: &str) -> Vec<String> {
    match attribute {
        "srcset" | "imagesrcset" => value
            .split(',')
            .map(|candidate| {
                candidate
                    .trim()
                    .split(char::is_whitespace)
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect(),
        "ping" => value.split_whitespace().map(str::to_owned).collect(),
        _ => vec![value.to_owned()],
    }
}

fn check_attributes(element: &str, attrs: &[Attribute], rules: Rules, problems: &mut Vec<String>) {
    for attr in attrs {
        let name = attr.name.local.to_string().to_ascii_lowercase();
        let value: &str = &attr.value;
        if name.starts_with("on") {
            problems.push(format!("event handler attribute `{name}` on <{element}>"));
        }
        // `srcdoc` is a whole document. `style` can carry `expression()` or script URLs in
        // legacy engines, and rich text has no use for it; on a page, the CSP decides about
        // inline style, which runs no script in a current browser.
        if name == "srcdoc" || (name == "style" && matches!(rules, Rules::Fragment)) {
            problems.push(format!("attribute `{name}` on <{element}>"));
        }
        let script_url = match rules {
            Rules::Fragment => has_dangerous_scheme,
            Rules::Page { .. } => runs_script,
        };
        if URL_ATTRIBUTES.contains(&name.as_str())
            && urls_of(&name, value).iter().any(|url| script_url(url))
        {
            problems.push(format!("script URL in `{name}` on <{element}>: {value:?}"));
        }
    }
}

/// The value of attribute `name` (in no namespace; the parser lowercases HTML attribute names).
fn attribute<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|attr| attr.name.ns == ns!() && &*attr.name.local == name)
        .map(|attr| &*attr.value)
}

fn check_element(name: &QualName, attrs: &[Attribute], rules: Rules, problems: &mut Vec<String>) {
    let element = name.local.to_string().to_ascii_lowercase();
    if name.ns != ns!(html) {
        problems.push(format!("foreign element <{element}> in {:?}", name.ns));
    }
    match rules {
        Rules::Fragment => {
            if FORBIDDEN_IN_FRAGMENTS.contains(&element.as_str()) {
                problems.push(format!("element <{element}>"));
            }
        }
        Rules::Page { nonce } => {
            if element == "script" {
                let carried = attribute(attrs, "nonce");
                if nonce.is_none() || carried != nonce {
                    problems.push(format!(
                        "<script> without the page's CSP nonce (it carries {carried:?})"
                    ));
                }
            } else if SCRIPT_CAPABLE_IN_PAGES.contains(&element.as_str()) {
                problems.push(format!("element <{element}>"));
            } else if element == "meta" && attribute(attrs, "http-equiv").is_some() {
                // A refresh navigates (to a script URL in older browsers), and a set-cookie
                // or policy changes what the page is.
                problems.push("element <meta http-equiv>".to_owned());
            }
        }
    }
    check_attributes(&element, attrs, rules, problems);
}

/// Every reason the parsed tree under `node` is unsafe.
fn walk(node: &Handle, rules: Rules, problems: &mut Vec<String>) {
    if let NodeData::Element {
        name,
        attrs,
        template_contents,
        ..
    } = &node.data
    {
        check_element(name, &attrs.borrow(), rules, problems);
        if let Some(contents) = template_contents.borrow().as_ref() {
            walk(contents, rules, problems);
        }
    }
    for child in node.children.borrow().iter() {
        walk(child, rules, problems);
    }
}

/// Why sanitized rich text `html`, once parsed as the content of a `<body>`, is unsafe; empty
/// when it is safe. Any element beyond plain formatting and links is a finding, and so is any
/// `on*` attribute, `style`, `srcdoc`, and any `javascript:`, `vbscript:` or `data:` URL.
///
/// ```
/// use palisade_testkit::html::unsafe_parts;
///
/// assert!(unsafe_parts("<a href='https://example.com'>x</a>").is_empty());
/// assert_eq!(unsafe_parts("<html onload=alert(1)>").len(), 1);
/// assert!(!unsafe_parts("<noscript><p title='</noscript><img src=x onerror=alert(1)>'>").is_empty());
/// ```
pub fn unsafe_parts(html: &str) -> Vec<String> {
    let dom = parse_body_fragment(html);
    let root = fragment_root(&dom);
    let mut problems = Vec::new();
    // A `<html onload=…>` start tag in body content adds its attributes to the root element
    // instead of creating one, so the root's attributes are checked too.
    if let NodeData::Element { attrs, .. } = &root.data {
        check_attributes(
            "html (fragment root)",
            &attrs.borrow(),
            Rules::Fragment,
            &mut problems,
        );
    }
    for child in root.children.borrow().iter() {
        walk(child, Rules::Fragment, &mut problems);
    }
    problems
}

/// Why the whole page `html` is unsafe, parsed as a browser parses a document; empty when it
/// is safe. A `<script>` is allowed only when its `nonce` attribute equals `nonce`, the nonce
/// of the page's `Content-Security-Policy` (see [`csp_nonce`]; with `None`, no script is
/// allowed). Any other element that runs script or holds a document or plugin of its own
/// (`iframe`, `object`, `embed`, `base`, `<meta http-equiv>`, SVG or `MathML`…), any `on*`
/// attribute, `srcdoc`, and any `javascript:`, `vbscript:` or non-image `data:` URL is a
/// finding.
///
/// ```
/// use palisade_testkit::html::unsafe_parts_of_page;
///
/// let page = "<!DOCTYPE html><html><head><meta charset=utf-8><title>t</title></head>\
///             <body><p>hi</p><script nonce=abc>go()</script></body></html>";
/// assert!(unsafe_parts_of_page(page, Some("abc")).is_empty());
/// assert_eq!(unsafe_parts_of_page(page, Some("xyz")).len(), 1);
/// assert_eq!(unsafe_parts_of_page(page, None).len(), 1);
/// ```
pub fn unsafe_parts_of_page(html: &str, nonce: Option<&str>) -> Vec<String> {
    let dom = parse_document(RcDom::default(), ParseOpts::default()).one(html);
    let mut problems = Vec::new();
    walk(&dom.document, Rules::Page { nonce }, &mut problems);
    problems
}

/// The nonce of a `Content-Security-Policy` header value: what its first `'nonce-…'` source
/// holds.
///
/// ```
/// use palisade_testkit::html::csp_nonce;
///
/// assert_eq!(csp_nonce("default-src 'none'; script-src 'nonce-AbC+/='"), Some("AbC+/="));
/// assert_eq!(csp_nonce("default-src 'self'"), None);
/// assert_eq!(csp_nonce("script-src 'nonce-'"), None);
/// ```
pub fn csp_nonce(policy: &str) -> Option<&str> {
    let (_, rest) = policy.split_once("'nonce-")?;
    let (nonce, _) = rest.split_once('\'')?;
    (!nonce.is_empty()).then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    #[test]
    fn the_fragment_checker_sees_what_it_must_refuse() {
        // A checker that passes everything proves nothing: each of these raw, unsanitized
        // snippets must be reported.
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=' jAvA&#x09;sCrIpT:alert(1)'>x</a>",
            "<a href='&#1;data:text/html,x'>x</a>",
            "<img srcset='a.png 1x, vbscript:x 2x'>",
            "<iframe srcdoc='&lt;script&gt;'></iframe>",
            "<svg><a xlink:href='javascript:alert(1)'>x</a></svg>",
            "<html onload=alert(1)>",
            "<template><img src=x onerror=alert(1)></template>",
            "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
            "<form><button formaction='javascript:alert(1)'>x</button></form>",
            "<p style='background:url(javascript:alert(1))'>x</p>",
        ] {
            assert!(
                !unsafe_parts(attack).is_empty(),
                "the checker misses {attack:?}"
            );
        }
        assert!(unsafe_parts("<a href='https://example.com/?q=javascript:'>x</a>").is_empty());
        // Unsanitized, most of the corpus must be flagged (432 of 713 lines when written; the
        // rest are script fragments without markup, such as `';alert(1)//`).
        let raw_flagged = corpus::payloads("xss")
            .iter()
            .filter(|payload| !unsafe_parts(&payload.text).is_empty())
            .count();
        assert!(
            raw_flagged >= 400,
            "only {raw_flagged} raw payloads flagged"
        );
    }

    /// A page as `palisade::page` writes one, with `body` in its `<article>`.
    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>T</title>\
             </head><body><main><h1>T</h1><article>{body}</article></main>\
             <script nonce=\"n0nce\">document.documentElement.dataset.rendered = 'yes';</script>\
             </body></html>\n"
        )
    }

    #[test]
    fn a_page_with_only_its_nonced_script_is_safe() {
        let safe = page("<p>milk <a href=\"https://example.com\">and</a> eggs</p>");
        assert_eq!(
            unsafe_parts_of_page(&safe, Some("n0nce")),
            Vec::<String>::new()
        );
        assert!(
            unsafe_parts_of_page(
                &page("<img src=\"data:image/png;base64,AA\">"),
                Some("n0nce")
            )
            .is_empty()
        );
    }

    #[test]
    fn a_page_script_needs_the_csp_nonce() {
        let safe = page("");
        assert_eq!(unsafe_parts_of_page(&safe, Some("other")).len(), 1);
        assert_eq!(unsafe_parts_of_page(&safe, None).len(), 1);
        assert_eq!(unsafe_parts_of_page(&safe, Some("")).len(), 1);
        // A script injected without a nonce, or with a guessed one, is a finding beside the
        // page's own.
        for injected in [
            "<script>alert(1)</script>",
            "<script nonce=guess>alert(1)</script>",
            "<script nonce>alert(1)</script>",
        ] {
            assert_eq!(
                unsafe_parts_of_page(&page(injected), Some("n0nce")).len(),
                1,
                "{injected}"
            );
        }
    }

    #[test]
    fn the_page_checker_sees_what_it_must_refuse() {
        for attack in [
            "<img src=x onerror=alert(1)>",
            "<body onload=alert(1)>",
            "<html onmouseover=alert(1)>",
            "<a href=' jAvA&#x09;sCrIpT:alert(1)'>x</a>",
            "<a href='VBScript:x'>x</a>",
            "<iframe src='data:text/html,<script>alert(1)</script>'></iframe>",
            "<object data='data:image/svg+xml;base64,PHN2Zz4='></object>",
            "<embed src=x.swf>",
            "<iframe srcdoc='&lt;script&gt;'></iframe>",
            "<base href='https://evil.example/'>",
            "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
            "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
            "<math><mi>x</mi></math>",
            "<template><img src=x onerror=alert(1)></template>",
            "<form><button formaction='javascript:alert(1)'>x</button></form>",
            "<img srcset='a.png 1x, javascript:x 2x'>",
            "<script src='data:text/javascript,alert(1)' nonce=n0nce></script>",
        ] {
            assert!(
                !unsafe_parts_of_page(&page(attack), Some("n0nce")).is_empty(),
                "the checker misses {attack:?}"
            );
        }
    }

    #[test]
    fn nonces_are_read_from_the_policy() {
        let policy = "default-src 'none'; script-src 'nonce-q1w2e3'; style-src 'self'";
        assert_eq!(csp_nonce(policy), Some("q1w2e3"));
        assert_eq!(csp_nonce("script-src 'nonce-unterminated"), None);
    }
}
